//! [`Error`] and [`Problem`]: every problem of a load, collected, then reported once.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;

use crate::origin::Origin;

/// Why a load failed: every problem with every setting, in field declaration order.
///
/// `Display` is the report a person acts on: a header naming the settings type and the
/// number of problems, then one line per problem naming the environment variable to
/// set, where the bad value came from, and what is wrong; when a secret is missing, one
/// line saying every way to provide one; then the warnings (of each kind the first 20,
/// then a line counting the rest: [`warnings`](Error::warnings) has every one). No
/// secret value ever appears in it, nor in `Debug`.
///
/// ```
/// use confidant::Settings;
///
/// #[derive(Debug, Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     port: u16,
///     name: String,
/// }
///
/// let err = Config::loader()
///     .env_vars([("APP_PORT", "eighty")])
///     .no_dotenv()
///     .load()
///     .unwrap_err();
/// assert_eq!(err.problems().len(), 2);
/// assert_eq!(err.problems()[0].env_var(), "APP_PORT");
/// assert_eq!(err.problems()[1].field(), "name");
/// println!("{err}");
/// ```
#[derive(thiserror::Error)]
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    settings: &'static str,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
    /// The table of what did load, for a failed `Loader::explain` (an `Explain`,
    /// named in `explain.rs`, above this layer).
    explain: Option<Box<dyn std::any::Any + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(settings: &'static str, problems: Vec<Problem>) -> Error {
        Error {
            inner: Box::new(Inner {
                settings,
                problems,
                warnings: Vec::new(),
                explain: None,
            }),
        }
    }

    /// The same error, with the warnings of its load (listed after the problems).
    pub(crate) fn with_warnings(mut self, warnings: Vec<Problem>) -> Error {
        self.inner.warnings = warnings;
        self
    }

    /// The error as it leaves its load: every text of every problem and warning passed
    /// through the load's redactor, control characters escaped (see
    /// [`Problem::egress`]). The one door of the failed load's report.
    pub(crate) fn egress(mut self, redactor: &crate::redact::Egress) -> Error {
        let inner = &mut *self.inner;
        for problem in inner.problems.iter_mut().chain(inner.warnings.iter_mut()) {
            problem.egress(redactor);
        }
        self
    }

    /// Keeps the table of what did load (a failed `Loader::explain`), by a type this
    /// layer does not name: `Error::explain` (in `explain.rs`) reads it back.
    pub(crate) fn with_table(mut self, table: Box<dyn std::any::Any + Send + Sync>) -> Error {
        self.inner.explain = Some(table);
        self
    }

    /// The table kept by [`with_table`](Error::with_table).
    pub(crate) fn table(&self) -> Option<&(dyn std::any::Any + Send + Sync)> {
        self.inner.explain.as_deref()
    }

    /// The warnings of the failed load (unknown and deprecated names), in the order
    /// [`Loader::load_with_warnings`](crate::Loader::load_with_warnings) returns them.
    /// `Display` lists them after the problems. Empty after a
    /// [`strict`](crate::Loader::strict) load, where they are problems.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Debug, Settings)] #[settings(prefix = "APP_")] struct Config { port: u16 }
    /// let err = Config::loader()
    ///     .env_vars([("APP_PROT", "80")])
    ///     .no_dotenv()
    ///     .load()
    ///     .unwrap_err();
    /// assert_eq!(err.problems()[0].env_var(), "APP_PORT");
    /// assert_eq!(err.warnings()[0].env_var(), "APP_PROT");
    /// assert!(err.warnings()[0].message().contains("did you mean APP_PORT?"));
    /// ```
    pub fn warnings(&self) -> &[Problem] {
        &self.inner.warnings
    }

    /// Every problem, in field declaration order (the same on every load).
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Debug, Settings)] struct Config { port: u16 }
    /// let err = Config::fixture().load().unwrap_err();
    /// for problem in err.problems() {
    ///     eprintln!("{}: {}", problem.env_var(), problem.message());
    /// }
    /// ```
    pub fn problems(&self) -> &[Problem] {
        &self.inner.problems
    }

    /// Iterates over the problems, in field declaration order: the same as
    /// `problems().iter()`. `for problem in &err` does the same.
    ///
    /// ```
    /// # use confidant::{ProblemKind, Settings};
    /// # #[derive(Debug, Settings)] struct Config { port: u16, name: String }
    /// let err = Config::fixture().load().unwrap_err();
    /// let fields: Vec<&str> = err.iter().map(|p| p.field()).collect();
    /// assert_eq!(fields, ["port", "name"]);
    /// for problem in &err {
    ///     assert_eq!(problem.kind(), ProblemKind::Missing);
    /// }
    /// ```
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.inner.problems.iter()
    }

    /// The name of the settings type that failed to load (`Config`).
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Debug, Settings)] struct Config { port: u16 }
    /// let err = Config::fixture().load().unwrap_err();
    /// assert_eq!(err.settings(), "Config");
    /// ```
    pub fn settings(&self) -> &str {
        self.inner.settings
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.inner.problems.len();
        write!(
            f,
            "{}: {} problem{} loading settings",
            self.inner.settings,
            thousands(n),
            if n == 1 { "" } else { "s" }
        )?;
        // Names that set nothing, made problems by `strict`, are counted past 20 as
        // warnings are; every other problem is listed.
        write_lines(f, &self.inner.problems, "", |kind| {
            matches!(kind, ProblemKind::Unknown | ProblemKind::Deprecated)
        })?;
        // How to provide what is missing: one line under the list, not one per problem.
        if let Some((problem, HowTo::Secret { key_file })) = self
            .inner
            .problems
            .iter()
            .find_map(|p| p.howto.as_ref().map(|h| (p, h)))
        {
            write!(f, "\n  {}", secret_howto(problem.env_var(), key_file))?;
        }
        write_warnings(f, &self.inner.warnings)
    }
}

/// The problems, in field declaration order: see [`Error::iter`].
///
/// ```
/// # use confidant::Settings;
/// # #[derive(Debug, Settings)] #[settings(prefix = "APP_")] struct Config { port: u16 }
/// let err = Config::fixture().load().unwrap_err();
/// let mut names = Vec::new();
/// for problem in &err {
///     names.push(problem.env_var());
/// }
/// assert_eq!(names, ["APP_PORT"]);
/// ```
impl<'a> IntoIterator for &'a Error {
    type Item = &'a Problem;
    type IntoIter = std::slice::Iter<'a, Problem>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("settings", &self.inner.settings)
            .field("problems", &self.inner.problems)
            .field("warnings", &self.inner.warnings)
            .finish()
    }
}

/// What kind of problem a [`Problem`] is.
///
/// ```
/// use confidant::{ProblemKind, Settings};
/// # #[derive(Debug, Settings)] struct Config { port: u16 }
/// let err = Config::fixture().load().unwrap_err();
/// assert_eq!(err.problems()[0].kind(), ProblemKind::Missing);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A required setting has no value in any layer.
    Missing,
    /// A value does not parse as the field's type.
    Invalid,
    /// Two sources of the same layer disagree (two spellings of a name, `NAME` and
    /// `NAME_FILE`, two secrets files), or two settings claim one name.
    Conflict,
    /// A source could not be read: a missing directory or file that was named
    /// explicitly, a bad secrets file, a `.env` line that does not parse.
    Unreadable,
    /// A value parsed but broke a `#[validate(...)]` rule.
    Validation,
    /// A `set` override names no setting; or (a warning) an environment variable,
    /// `.env` key or secrets-directory file looks like one of ours but sets nothing.
    Unknown,
    /// A warning: a `deprecated` name is set.
    Deprecated,
}

/// The kind in one lower-case word, for logs and metrics labels: `missing`, `invalid`,
/// `conflict`, `unreadable`, `validation`, `unknown`, `deprecated`.
///
/// ```
/// use confidant::{ProblemKind, Settings};
/// # #[derive(Debug, Settings)] struct Config { port: u16 }
/// let err = Config::fixture().set("port", "x").load().unwrap_err();
/// assert_eq!(err.problems()[0].kind().to_string(), "invalid");
/// assert_eq!(ProblemKind::Missing.to_string(), "missing");
/// ```
impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProblemKind::Missing => "missing",
            ProblemKind::Invalid => "invalid",
            ProblemKind::Conflict => "conflict",
            ProblemKind::Unreadable => "unreadable",
            ProblemKind::Validation => "validation",
            ProblemKind::Unknown => "unknown",
            ProblemKind::Deprecated => "deprecated",
        })
    }
}

/// One problem with one setting.
///
/// ```
/// use confidant::Settings;
/// # #[derive(Debug, Settings)]
/// # #[settings(prefix = "APP_")]
/// # struct Config { #[settings(nested)] db: Db }
/// # #[derive(Debug, Settings)]
/// # struct Db { port: u16 }
/// let err = Config::loader()
///     .env_vars([("APP_DB__PORT", "x")])
///     .no_dotenv()
///     .load()
///     .unwrap_err();
/// let problem = &err.problems()[0];
/// assert_eq!(problem.field(), "db.port");
/// assert_eq!(problem.env_var(), "APP_DB__PORT");
/// assert_eq!(problem.origin(), Some(&confidant::Origin::Environment));
/// ```
#[derive(Debug, Clone)]
pub struct Problem {
    field: String,
    env_var: String,
    origin: Option<Origin>,
    kind: ProblemKind,
    message: String,
    code: Option<Cow<'static, str>>,
    warning: bool,
    /// What the report says once, under its list, about problems like this one.
    howto: Option<HowTo>,
}

/// A how-to the report prints once under its list of problems (the first problem that
/// has one gives its names), instead of repeating it in every problem.
#[derive(Debug, Clone)]
pub(crate) enum HowTo {
    /// A required secret is missing: `key_file` is its secrets-file name by key path
    /// (`db__password`); the problem's env var is the other.
    Secret { key_file: String },
}

impl Problem {
    fn bare(kind: ProblemKind, message: String) -> Problem {
        Problem {
            field: String::new(),
            env_var: String::new(),
            origin: None,
            kind,
            message,
            code: None,
            warning: false,
            howto: None,
        }
    }

    /// About one setting: its dotted path and primary environment name.
    pub(crate) fn of_setting(path: &str, env: &str, kind: ProblemKind, message: String) -> Problem {
        Problem {
            field: path.to_owned(),
            env_var: env.to_owned(),
            ..Problem::bare(kind, message)
        }
    }

    /// About a dotted path that names no setting (`set("x.y", ..)`, `child_env`).
    pub(crate) fn of_path(path: &str, kind: ProblemKind, message: String) -> Problem {
        Problem {
            field: path.to_owned(),
            ..Problem::bare(kind, message)
        }
    }

    /// About a name that sets nothing, or a variable that is no setting (an unknown
    /// environment variable, a secrets file, the profile variable).
    pub(crate) fn of_name(name: &str, kind: ProblemKind, message: String) -> Problem {
        Problem {
            env_var: name.to_owned(),
            ..Problem::bare(kind, message)
        }
    }

    /// About a source as a whole (a `.env` file, a secrets directory, a provider) or the
    /// load itself: no setting to name.
    pub(crate) fn of_source(kind: ProblemKind, message: String) -> Problem {
        Problem::bare(kind, message)
    }

    /// Where the value (or the source) is.
    pub(crate) fn at(mut self, origin: Option<Origin>) -> Problem {
        self.origin = origin;
        self
    }

    /// Names the setting by the spelling that set it (an alias, a deprecated name).
    pub(crate) fn spelled(mut self, name: &str) -> Problem {
        name.clone_into(&mut self.env_var);
        self
    }

    /// With the how-to the report prints once under its list.
    pub(crate) fn howto(mut self, howto: HowTo) -> Problem {
        self.howto = Some(howto);
        self
    }

    /// A warning: reported, but the load goes on (unless `strict`).
    pub(crate) fn warning(mut self) -> Problem {
        self.warning = true;
        self
    }

    /// The same problem, no longer a warning (a `strict` load).
    pub(crate) fn into_error(mut self) -> Problem {
        self.warning = false;
        self
    }

    /// Whether this is a warning (an unknown or deprecated name) rather than a problem
    /// that fails the load. [`Loader::strict`](crate::Loader::strict) turns warnings into
    /// problems (then this is `false`).
    ///
    /// ```
    /// # use confidant::{ProblemKind, Settings};
    /// # #[derive(Debug, Settings)] #[settings(prefix = "APP_")]
    /// # struct Config { #[settings(default = 1)] port: u16 }
    /// let (_cfg, warnings) = Config::loader()
    ///     .env_vars([("APP_PORTT", "2")])
    ///     .no_dotenv()
    ///     .load_with_warnings()?;
    /// assert!(warnings[0].is_warning());
    /// assert_eq!(warnings[0].kind(), ProblemKind::Unknown);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn is_warning(&self) -> bool {
        self.warning
    }

    /// The problem as it leaves its load: its message, names and origin passed through
    /// the load's redactor, so a plain value that holds a loaded secret (a URL built
    /// with `${API_KEY}`, a key pasted into the wrong variable) shows `[REDACTED]` in its
    /// place; and control characters escaped, so that no name or value can forge a line
    /// of a report. A name holding one is shown quoted, as a value is.
    pub(crate) fn egress(&mut self, redactor: &crate::redact::Egress) {
        self.message = crate::redact::escape_controls(&redactor.redact(&self.message)).into_owned();
        self.field = crate::redact::shown_name(&redactor.redact(&self.field)).into_owned();
        self.env_var = crate::redact::shown_name(&redactor.redact(&self.env_var)).into_owned();
        if let Some(origin) = &mut self.origin {
            origin.egress(redactor);
        }
        if let Some(HowTo::Secret { key_file }) = &mut self.howto {
            *key_file = crate::redact::shown_name(&redactor.redact(key_file)).into_owned();
        }
    }

    pub(crate) fn with_code(mut self, code: Cow<'static, str>) -> Problem {
        self.code = Some(code);
        self
    }

    /// The dotted path of the setting (`db.port`); empty for a problem with no single
    /// setting, such as an unreadable `.env` line whose key cannot be told.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Debug, Settings)] struct Config { port: u16 }
    /// let err = Config::fixture().load().unwrap_err();
    /// assert_eq!(err.problems()[0].field(), "port");
    /// ```
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The environment variable to set to fix it (`APP_DB__PORT`).
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Debug, Settings)] #[settings(prefix = "APP_")] struct Config { port: u16 }
    /// let err = Config::fixture().load().unwrap_err();
    /// assert_eq!(err.problems()[0].env_var(), "APP_PORT");
    /// ```
    pub fn env_var(&self) -> &str {
        &self.env_var
    }

    /// Where the offending value came from, if a value was involved.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Debug, Settings)] struct Config { port: u16 }
    /// let err = Config::fixture().set("port", "x").load().unwrap_err();
    /// assert_eq!(err.problems()[0].origin(), Some(&confidant::Origin::Override));
    /// ```
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_ref()
    }

    /// What kind of problem this is.
    ///
    /// ```
    /// # use confidant::{ProblemKind, Settings};
    /// # #[derive(Debug, Settings)] struct Config { port: u16 }
    /// let err = Config::fixture().set("port", "x").load().unwrap_err();
    /// assert_eq!(err.problems()[0].kind(), ProblemKind::Invalid);
    /// ```
    pub fn kind(&self) -> ProblemKind {
        self.kind
    }

    /// What is wrong, without the env var or origin (those are in `Display`).
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Debug, Settings)] struct Config { port: u16 }
    /// let err = Config::fixture().load().unwrap_err();
    /// assert!(err.problems()[0].message().contains("required"));
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The validation code of a failed rule (`length`, `range`, or the rule's
    /// `code = "..."`); `None` for other problems.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Debug, Settings)] struct Config { port: u16 }
    /// let err = Config::fixture().load().unwrap_err();
    /// assert_eq!(err.problems()[0].code(), None);
    /// ```
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.env_var.is_empty() && self.field.is_empty() && self.origin.is_none() {
            // About the settings as a whole (a top-level `schema` check).
            return f.write_str(&self.message);
        }
        // A config file's value: the key as written, its line, and the variable.
        if let Some(origin @ Origin::ConfigFile { key, .. }) = &self.origin
            && !key.is_empty()
        {
            return if self.env_var.is_empty() || self.env_var == *key {
                write!(f, "{key} ({origin}): {}", self.message)
            } else {
                write!(f, "{key} ({origin}, {}): {}", self.env_var, self.message)
            };
        }
        let name = if self.env_var.is_empty() {
            &self.field
        } else {
            &self.env_var
        };
        match (&self.origin, name.is_empty()) {
            (Some(origin), true) => write!(f, "{}", origin.describe())?,
            (Some(origin), false) => write!(f, "{name} ({})", origin.describe())?,
            (None, _) => f.write_str(name)?,
        }
        write!(f, ": {}", self.message)
    }
}

/// What a failed rule says (`#[validate(...)]`); never the value, only the rule's own
/// bounds and patterns.
pub(crate) mod rule {
    use std::fmt::Display;

    /// `email`.
    #[cfg(feature = "url")]
    pub(crate) const EMAIL: &str = "must be an email address";
    /// `url`.
    #[cfg(feature = "url")]
    pub(crate) const URL: &str = "must be a URL";

    /// `range(min, max, exclusive_min, exclusive_max)`.
    pub(crate) fn range(
        min: Option<&dyn Display>,
        max: Option<&dyn Display>,
        exclusive_min: Option<&dyn Display>,
        exclusive_max: Option<&dyn Display>,
    ) -> String {
        if let (Some(min), Some(max)) = (min, max) {
            return format!("must be between {min} and {max}");
        }
        let lower = min
            .map(|v| format!("at least {v}"))
            .or_else(|| exclusive_min.map(|v| format!("greater than {v}")));
        let upper = max
            .map(|v| format!("at most {v}"))
            .or_else(|| exclusive_max.map(|v| format!("less than {v}")));
        match (lower, upper) {
            (Some(lower), Some(upper)) => format!("must be {lower} and {upper}"),
            (Some(bound), None) | (None, Some(bound)) => format!("must be {bound}"),
            (None, None) => "must be in range".to_owned(),
        }
    }

    /// `length(min, max, equal)`, in characters or items (`(verb, one, many)`).
    pub(crate) fn length(
        (verb, one, many): (&str, &str, &str),
        min: Option<u64>,
        max: Option<u64>,
        equal: Option<u64>,
    ) -> String {
        let unit = |n: u64| if n == 1 { one } else { many };
        match (equal, min, max) {
            (Some(n), _, _) => format!("must {verb} exactly {n} {}", unit(n)),
            (None, Some(min), Some(max)) => format!("must {verb} between {min} and {max} {many}"),
            (None, Some(n), None) => format!("must {verb} at least {n} {}", unit(n)),
            (None, None, Some(n)) => format!("must {verb} at most {n} {}", unit(n)),
            (None, None, None) => format!("must {verb} the right number of {many}"),
        }
    }

    /// `regex`.
    #[cfg(feature = "regex")]
    pub(crate) fn pattern(pattern: &str) -> String {
        format!("must match the pattern `{pattern}`")
    }

    /// `contains`.
    pub(crate) fn contains(pattern: &str) -> String {
        format!("must contain {pattern:?}")
    }

    /// `does_not_contain`.
    pub(crate) fn does_not_contain(pattern: &str) -> String {
        format!("must not contain {pattern:?}")
    }

    /// `contains` on a map: a key.
    pub(crate) fn has_key(pattern: &str) -> String {
        format!("must have the key {pattern:?}")
    }

    /// `does_not_contain` on a map: a key.
    pub(crate) fn has_no_key(pattern: &str) -> String {
        format!("must not have the key {pattern:?}")
    }

    /// A `custom` or `schema` function's error with no message of its own.
    pub(crate) fn failed_check(function: &str) -> String {
        format!("failed the check `{function}`")
    }
}

/// What a value's parser says of text it cannot read (the value layer's sentences; a
/// value itself is never part of them).
pub(crate) mod value {
    /// Bytes that are not text.
    pub(crate) const NOT_UTF8: &str = "not valid UTF-8";
    /// A `bool`'s spellings.
    pub(crate) const EXPECTED_BOOL: &str = "expected true/false, 1/0, yes/no or on/off";
    /// A `Duration`'s forms.
    pub(crate) const EXPECTED_DURATION: &str =
        "expected a duration such as 30s, 500ms, 1m 30s, 2h or 1d, or a number of seconds";

    /// serde_json's error, by kind and position only (its message can quote the input).
    pub(crate) fn json(wrong_shape: bool, line: usize, column: usize) -> String {
        let what = if wrong_shape {
            "JSON of the wrong shape for this type"
        } else {
            "invalid JSON"
        };
        format!("{what} at line {line}, column {column} (value not shown)")
    }

    /// The names a serde type accepts (an enum's variants, a struct's fields).
    pub(crate) fn one_of(expected: &[&str]) -> String {
        match expected {
            [] => "there are no values to choose from".to_owned(),
            [one] => format!("expected `{one}`"),
            _ => {
                let names: Vec<String> = expected.iter().map(|e| format!("`{e}`")).collect();
                format!("expected one of {}", names.join(", "))
            }
        }
    }

    /// A struct read from text that lacks a field.
    pub(crate) fn missing_field(field: &str) -> String {
        format!("missing field `{field}`")
    }

    /// A struct read from text with a field twice.
    pub(crate) fn duplicate_field(field: &str) -> String {
        format!("duplicate field `{field}`")
    }
}

/// Sentences of the report about config files, worded here in one place.
pub(crate) mod words {
    use std::path::Path;

    /// A config file that does not parse: the readers' own sentences (the parsers' are
    /// passed through as they are, one line, never the file's text).
    // reason: each format's reader, behind its feature, uses its own.
    #[cfg_attr(
        not(all(feature = "toml", feature = "yaml", feature = "json")),
        allow(dead_code)
    )]
    pub(crate) mod syntax {
        pub(crate) const DUPLICATE_KEY: &str = "duplicate key";
        pub(crate) const END_OF_DOCUMENT: &str = "unexpected end of the document";
        pub(crate) const EXPECTED_KEY: &str = "expected a key";
        pub(crate) const CANNOT_EXTEND: &str = "cannot extend a value that is not a table";
        pub(crate) const EXPECTED_VALUE: &str = "expected a value";
        pub(crate) const NOT_AN_OBJECT: &str = "the document is not an object of keys to values";
        pub(crate) const KEY_TWICE_IN_OBJECT: &str = "a key written twice in one object";
        pub(crate) const TOO_DEEP: &str = "nested more than 80 levels deep";
        pub(crate) const BAD_UNICODE_ESCAPE: &str = "invalid unicode escape sequence";
        pub(crate) const END_OF_STREAM: &str = "unexpected end of the stream";
        pub(crate) const SECOND_DOCUMENT: &str =
            "a config file holds one YAML document; a second one starts here";
        pub(crate) const OUTSIDE_DOCUMENT: &str = "unexpected event outside a document";
        pub(crate) const NOT_A_MAPPING: &str = "the document is not a mapping of keys to values";
        pub(crate) const UNKNOWN_ANCHOR: &str = "an alias of an unknown anchor";
        pub(crate) const TOO_MANY_ALIASES: &str =
            "aliases expand to too many values (more than 100000)";
        pub(crate) const KEY_NOT_A_NAME: &str =
            "a key is a sequence or a mapping; a config file's keys are names";
        pub(crate) const KEY_TWICE_IN_MAPPING: &str = "a key written twice in one mapping";
    }

    /// A config file whose extension names no format.
    pub(crate) fn config_extension(path: &Path) -> String {
        format!(
            "config file {}: the extension picks the format: `.toml`, `.yaml`/`.yml` or `.json`",
            path.display()
        )
    }

    /// A config file that cannot be read (never its content).
    pub(crate) fn config_unreadable(why: &str) -> String {
        format!("cannot read the config file: {why}")
    }

    /// A config file that is not UTF-8.
    pub(crate) fn config_not_utf8() -> String {
        "the config file is not valid UTF-8 (content not shown)".to_owned()
    }

    /// A config file that does not parse: where and the parser's message, never the line.
    pub(crate) fn config_syntax(format: &str, column: usize, message: &str) -> String {
        format!("invalid {format} at column {column}: {message}")
    }

    /// A config file whose format's feature is off.
    pub(crate) fn config_format_off(feature: &str) -> String {
        format!("this build reads no such config file: enable confidant's `{feature}` feature")
    }

    /// A config key that names no setting.
    pub(crate) const CONFIG_UNKNOWN: &str = "sets no setting";

    /// A config key that names a nested struct but holds a value.
    pub(crate) fn config_section(key: &str) -> String {
        format!("is a table of settings, not a value: write its settings under `[{key}]`")
    }
}

/// The problems (or warnings) of one load, each kept with its place in the report:
/// the leaf it is about, in declaration order; a problem about a source or the settings
/// as a whole comes first; names that set nothing come last. Sorting is stable, so
/// problems of one place keep the order they were found in.
#[derive(Debug, Clone, Default)]
pub(crate) struct Problems(Vec<(usize, Problem)>);

impl Problems {
    /// About a source or the settings as a whole: reported first.
    pub(crate) fn source(&mut self, problem: Problem) {
        self.0.push((0, problem));
    }

    /// About the leaf at `index` (declaration order).
    pub(crate) fn leaf(&mut self, index: usize, problem: Problem) {
        self.0.push((index + 1, problem));
    }

    /// About no leaf, after all of them (names that set nothing).
    pub(crate) fn after_leaves(&mut self, leaves: usize, problem: Problem) {
        self.0.push((leaves + 1, problem));
    }

    /// Whether a problem is about a leaf in `first..end`.
    pub(crate) fn any_in(&self, first: usize, end: usize) -> bool {
        self.0
            .iter()
            .any(|(order, _)| *order > first && *order <= end)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Moves `other`'s problems in, keeping their places.
    pub(crate) fn append(&mut self, other: &mut Problems) {
        self.0.append(&mut other.0);
    }

    /// Sorts by the name each problem is about (the environment has no order of its own).
    pub(crate) fn sort_by_name(&mut self) {
        self.0.sort_by(|a, b| a.1.env_var().cmp(b.1.env_var()));
    }

    /// Drops a problem that is already there at the same place with the same text.
    pub(crate) fn dedup(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.0
            .retain(|(order, p)| seen.insert((*order, p.to_string())));
    }

    /// Takes `warnings` in as problems (a `strict` load).
    pub(crate) fn take_as_errors(&mut self, warnings: Problems) {
        self.0.extend(
            warnings
                .0
                .into_iter()
                .map(|(order, w)| (order, w.into_error())),
        );
    }

    /// The problems in report order.
    pub(crate) fn into_sorted(mut self) -> Vec<Problem> {
        self.0.sort_by_key(|(order, _)| *order);
        self.0.into_iter().map(|(_, p)| p).collect()
    }
}

/// The warnings of a successful load as a report: a header, then one line each (past
/// [`WARNINGS_SHOWN`] of one kind, a line counting the rest).
pub(crate) fn warnings_report(settings: &str, warnings: &[Problem]) -> String {
    let n = warnings.len();
    let mut out = format!(
        "{settings}: {} warning{} loading settings",
        thousands(n),
        if n == 1 { "" } else { "s" }
    );
    let _ = write_warnings(&mut out, warnings);
    out
}

/// How many warnings of one kind a report lists; the rest are counted in one line
/// (`Error::warnings` and `Loader::load_with_warnings` still return every one).
pub(crate) const WARNINGS_SHOWN: usize = 20;

/// One line per warning, `warning: ` first; of each kind the first
/// [`WARNINGS_SHOWN`], then, after the last of that kind, one line counting the rest.
fn write_warnings(out: &mut impl fmt::Write, warnings: &[Problem]) -> fmt::Result {
    write_lines(out, warnings, "warning: ", |_| true)
}

/// One line per problem, each after `prefix`; of each kind that is `capped`, the first
/// [`WARNINGS_SHOWN`], then, after the last of that kind, one line counting the rest.
fn write_lines(
    out: &mut impl fmt::Write,
    problems: &[Problem],
    prefix: &str,
    capped: impl Fn(ProblemKind) -> bool,
) -> fmt::Result {
    // Per kind: (kind, how many, index of the last one).
    let mut kinds: Vec<(ProblemKind, usize, usize)> = Vec::new();
    for (i, problem) in problems.iter().enumerate() {
        match kinds.iter_mut().find(|(k, ..)| *k == problem.kind) {
            Some((_, n, last)) => {
                *n += 1;
                *last = i;
            }
            None => kinds.push((problem.kind, 1, i)),
        }
    }
    let mut shown: Vec<usize> = vec![0; kinds.len()];
    for (i, problem) in problems.iter().enumerate() {
        let k = kinds
            .iter()
            .position(|(kind, ..)| *kind == problem.kind)
            .expect("every kind was counted");
        let (kind, n, last) = kinds[k];
        if shown[k] < WARNINGS_SHOWN || !capped(kind) {
            shown[k] += 1;
            write!(out, "\n  {prefix}{problem}")?;
        }
        if i == last && n > WARNINGS_SHOWN && capped(kind) {
            let noun = if problem.warning {
                "warning"
            } else {
                "problem"
            };
            write!(out, "\n  {}", more_warnings(kind, noun, n - WARNINGS_SHOWN))?;
        }
    }
    Ok(())
}

// The report's wording: every sentence a load's report is made of that more than one
// module says, here, so that it can be read and reviewed in one place.

/// The line that ends a run of warnings (`noun`: or of problems, under `strict`) of one
/// kind past [`WARNINGS_SHOWN`]: `... and 9,980 more unknown-name warnings`.
pub(crate) fn more_warnings(kind: ProblemKind, noun: &str, more: usize) -> String {
    let what = match kind {
        ProblemKind::Unknown => "unknown-name ",
        ProblemKind::Deprecated => "deprecated-name ",
        ProblemKind::Unreadable => "unreadable-line ",
        _ => "",
    };
    format!(
        "... and {} more {what}{noun}{}",
        thousands(more),
        if more == 1 { "" } else { "s" }
    )
}

/// A count with its thousands separated: `9,980`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Why a path could not be read, said after the path: `does not exist` for a missing
/// one (never the io error's "entity not found" / "No such file or directory"), else
/// `cannot be read: permission denied` and the like.
pub(crate) fn path_failure(kind: std::io::ErrorKind) -> Cow<'static, str> {
    match kind {
        std::io::ErrorKind::NotFound => "does not exist".into(),
        std::io::ErrorKind::NotADirectory => "does not exist (a part of its path is a file)".into(),
        kind => format!("cannot be read: {kind}").into(),
    }
}

/// A secrets directory that cannot be listed: `what` is [`path_failure`]'s text or
/// `is not a directory`.
pub(crate) fn secrets_dir_failure(dir: &str, what: &str) -> String {
    format!("secrets directory {dir} {what}")
}

/// A secrets "directory" that is something else.
pub(crate) const NOT_A_DIRECTORY: &str = "is not a directory";

/// A figment provider whose data cannot be extracted (figment's error may quote a value,
/// so it is not shown).
#[cfg(feature = "figment")]
pub(crate) const PROVIDER_UNREADABLE: &str =
    "the provider could not be read (its error is not shown: it may quote values)";

/// A `.env` file that cannot be read: `what` is [`path_failure`]'s text, or
/// [`dotenv_line_not_utf8`]'s.
pub(crate) fn dotenv_failure(path: &str, what: &str) -> String {
    format!(".env file {path} {what}")
}

/// Why a file could not give a value (a secrets-directory entry, a `NAME_FILE`): the
/// facts `source/file.rs` finds, said by [`FileError::describe`]. Never holds any of
/// the file's content.
#[derive(Debug)]
pub(crate) enum FileError {
    NotFound,
    NotRegular(&'static str),
    /// A symlink whose target does not exist.
    Dangling,
    /// A symlink chain that loops (or is too long to follow).
    Loop,
    /// A symlink in a secrets directory that resolves outside it (the directory as given).
    Escapes(PathBuf),
    TooLarge {
        size: u64,
        max: u64,
    },
    NotUtf8,
    Nul,
    Changed,
    Io(std::io::ErrorKind),
}

impl FileError {
    /// What is wrong with the file, said after its path.
    pub(crate) fn describe(&self) -> String {
        match self {
            FileError::NotFound => "the file does not exist".to_owned(),
            FileError::NotRegular(kind) => format!("is a {kind}, not a regular file"),
            FileError::Dangling => "is a symlink whose target does not exist".to_owned(),
            FileError::Loop => "is a symlink that loops".to_owned(),
            FileError::Escapes(dir) => {
                format!(
                    "is a symlink that resolves outside {}",
                    crate::origin::shown_path(dir)
                )
            }
            FileError::TooLarge { size, max } => {
                format!("the file is {size} bytes, over the {max}-byte limit")
            }
            FileError::NotUtf8 => "the file is not valid UTF-8 (content not shown)".to_owned(),
            FileError::Nul => "the file contains a NUL byte (content not shown)".to_owned(),
            FileError::Changed => "the file changed size while being read".to_owned(),
            FileError::Io(kind) => format!("the file {}", path_failure(*kind)),
        }
    }
}

/// A required plain setting with no value in any layer.
pub(crate) fn missing_setting(env: &str) -> String {
    format!("required setting is not set; set {env} in the environment or .env")
}

/// A secrets directory a missing secret was looked for in: its path as shown, and
/// whether it exists.
pub(crate) struct LookedIn {
    pub dir: String,
    pub exists: bool,
}

/// A required secret with no value in any layer: which files the secrets directories
/// lacked, or that a directory does not exist. How to provide it is said once, under
/// the report's list ([`secret_howto`]).
pub(crate) fn missing_secret(env: &str, key_file: &str, dirs: &[LookedIn]) -> String {
    let mut message = "required secret is not set".to_owned();
    let (present, absent): (Vec<&LookedIn>, Vec<&LookedIn>) = dirs.iter().partition(|d| d.exists);
    let mut said = Vec::new();
    if !present.is_empty() {
        let dirs: Vec<&str> = present.iter().map(|d| d.dir.as_str()).collect();
        said.push(format!(
            "no file {env} or {key_file} in {}",
            dirs.join(", ")
        ));
    }
    for dir in absent {
        said.push(format!("the secrets directory {} does not exist", dir.dir));
    }
    if !said.is_empty() {
        message.push_str(" (");
        message.push_str(&said.join("; "));
        message.push(')');
    }
    message
}

/// The one line under a report with missing secrets: every way to provide one, with
/// the names of the first (`env`, `key_file`).
pub(crate) fn secret_howto(env: &str, key_file: &str) -> String {
    let file_var = confidant_naming::file_name(env);
    format!(
        "to provide a missing secret, e.g. {env}: set {env}, or {file_var} to the path of a file holding it, or add a file named {env} or {key_file} to a secrets directory"
    )
}

/// A `set(key, ..)` whose key names no setting, with the closest setting's path.
pub(crate) fn unknown_override(key: &str, near: Option<&str>) -> String {
    did_you_mean(format!("`set(\"{key}\", ..)` names no setting"), near)
}

// Names that set nothing (names.rs): said after the name and where it is.

/// An environment variable or `.env` key that looks like one of ours but sets nothing.
pub(crate) const SETS_NO_SETTING: &str = "sets no setting";

/// A secrets-directory file or a remote source's key that names no setting.
pub(crate) const NAMES_NO_SETTING: &str = "names no setting";

/// Where a file or key named by a deprecated name is (deprecated names are read only
/// from the environment and `.env`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum EntryIn {
    SecretsDir,
    RemoteSource,
}

/// A secrets-directory file or remote key named by a deprecated name of `current`.
pub(crate) fn deprecated_entry(place: EntryIn, current: &str) -> String {
    let place = match place {
        EntryIn::SecretsDir => "a secrets directory",
        EntryIn::RemoteSource => "a remote source",
    };
    format!("is named by a deprecated name, which is not read from {place}; rename it to {current}")
}

/// `message`, then `; did you mean {near}?` when a name is close.
pub(crate) fn did_you_mean(mut message: String, near: Option<&str>) -> String {
    if let Some(near) = near {
        message.push_str("; did you mean ");
        message.push_str(near);
        message.push('?');
    }
    message
}

// `.env` lines (source/dotenv.rs): never a line's content.

/// Why a `.env` file cannot be read: line `line` is not UTF-8 (said after the path).
pub(crate) fn dotenv_line_not_utf8(line: usize) -> String {
    format!("cannot be read: line {line} is not UTF-8")
}

/// A `.env` line whose key no setting can have (another program's, or a typo).
pub(crate) const DOTENV_BAD_KEY: &str = "this .env line sets a key no setting can have (only ASCII letters, digits and `_`, not starting with a digit); it is skipped";

/// A `.env` line that would set one of ours but does not parse.
pub(crate) fn dotenv_line_unparsed(line: usize) -> String {
    format!(
        "the .env line {line} does not parse (content not shown); check its quotes and `${{...}}` substitutions"
    )
}

/// A `.env` line of no setting of ours that does not parse.
pub(crate) const DOTENV_LINE_SKIPPED: &str =
    "this .env line does not parse (content not shown); it is skipped";

/// A `${name}` substitution in a value of ours that nothing sets.
pub(crate) fn dotenv_unset_substitution(name: &str) -> String {
    format!(
        "`${name}` is set neither in the environment nor earlier in this file: it was substituted as empty (write `${{{name}:-}}` if that is intended)"
    )
}

// Sealed (dotenvx-encrypted) values (source/sealed.rs): never a key, the ciphertext
// or the value.

/// Why an encrypted value gave no text.
#[cfg(feature = "dotenvx")]
pub(crate) enum Unsealed<'a> {
    /// No private key: `name` is the key variable; `keys_file` the `.env.keys` to add it
    /// to, when the value came from a `.env` file.
    NoKey {
        name: &'a str,
        keys_file: Option<&'a str>,
    },
    /// Every key in `name` (read from `from`) failed to authenticate the value.
    WrongKey { name: &'a str, from: &'a str },
    /// `name` (read from `from`) holds no usable key: `what`.
    UnusableKey {
        name: &'a str,
        from: &'a str,
        what: &'a str,
    },
    /// The ciphertext is malformed: `what`.
    Malformed { what: &'a str },
    /// The decrypted value has a `${` with no `}`.
    Unclosed,
}

#[cfg(feature = "dotenvx")]
impl Unsealed<'_> {
    /// The problem's kind.
    pub(crate) fn kind(&self) -> ProblemKind {
        match self {
            Unsealed::Malformed { .. } | Unsealed::Unclosed => ProblemKind::Invalid,
            _ => ProblemKind::Unreadable,
        }
    }

    /// The problem's sentence.
    pub(crate) fn sentence(&self) -> String {
        match self {
            Unsealed::NoKey {
                name,
                keys_file: Some(file),
            } => format!(
                "the value is encrypted and there is no private key to decrypt it: set {name} or add it to {file}"
            ),
            Unsealed::NoKey {
                name,
                keys_file: None,
            } => format!(
                "the value is encrypted and there is no private key to decrypt it: set {name}"
            ),
            Unsealed::WrongKey { name, from } => format!(
                "cannot decrypt the value: authentication failed with every key in {name} (from {from}); it was encrypted for another key pair or altered"
            ),
            Unsealed::UnusableKey { name, from, what } => format!(
                "cannot decrypt the value: {name} (from {from}) holds no usable key: {what}"
            ),
            Unsealed::Malformed { what } => {
                format!("the encrypted value is malformed: {what}; encrypt it again")
            }
            Unsealed::Unclosed => "the decrypted value has a `${` with no closing `}`".to_owned(),
        }
    }
}

// Startup flags (cli.rs): the usage errors and the flags' help.

/// A startup flag used wrongly; printed alone, then the program exits with
/// `EXIT_USAGE`.
pub(crate) enum Usage<'a> {
    /// `--print-config=<format>` with a format that does not exist.
    UnknownFormat { flag: &'a str },
    /// A flag followed by an argument it does not take (`strict_only`: it takes
    /// `--strict` only).
    Extra {
        flag: &'a str,
        extra: &'a str,
        strict_only: bool,
    },
}

impl Usage<'_> {
    /// The line printed.
    pub(crate) fn sentence(&self) -> String {
        match self {
            Usage::UnknownFormat { flag } => {
                format!("{flag}: unknown format; use --print-config or --print-config=json")
            }
            Usage::Extra {
                flag,
                extra,
                strict_only,
            } => format!(
                "{flag} does not take `{extra}`{}",
                if *strict_only { " (only --strict)" } else { "" }
            ),
        }
    }
}

/// The help of a secret's `--<name>-file` flag, before its `[env: ...]`.
#[cfg(feature = "clap")]
pub(crate) fn flag_file_help(env: &str) -> String {
    format!(
        "A file holding the secret, read like {}.",
        confidant_naming::file_name(env)
    )
}

/// The help of a boolean's `--no-<name>` flag.
#[cfg(feature = "clap")]
pub(crate) fn flag_no_help(env: &str) -> String {
    format!("Sets {env} to false.")
}

// Rotation (watch/).

/// The watching thread could not be started: `why`, the OS's error.
pub(crate) fn watch_thread_failed(why: &str) -> String {
    format!("cannot start the thread that watches the settings: {why}")
}

/// The log line of a reload that changed settings that wait for a restart: their
/// dotted paths, joined.
#[cfg(feature = "tracing")]
pub(crate) fn restart_required(paths: &str) -> String {
    format!("settings changed that take effect only after a restart: {paths}")
}

// A child's environment (child_env.rs).

/// A `child_env(&[selector, ..])` selector that names no setting or section.
pub(crate) fn unknown_child_env(selector: &str) -> String {
    format!("`child_env(&[\"{selector}\", ..])` names no setting")
}

/// A value of type `ty` that cannot be written as text for a child.
pub(crate) fn no_text_form(ty: &str) -> String {
    format!(
        "a value of type {ty} has no text form for a child's environment; give the type `Display` or `Serialize`"
    )
}

/// Sentences of remote sources (source/remote/), said after the source's name. Never
/// a fetched value.
pub(crate) mod remote {
    use std::time::Duration;

    /// Why an `exec` source's program gave no answers (said after `exec <program>`).
    pub(crate) enum ExecFailure<'a> {
        /// The source has no program.
        NoProgram,
        /// The program could not be started: `why` is [`path_failure`](super::path_failure)'s text.
        NotStarted { why: &'a str },
        /// It ran past its timeout and was killed.
        TimedOut { after: Duration },
        /// It exited, but something kept its output open past the timeout.
        OutputOpen { after: Duration },
        /// Waiting for it failed.
        NotWaited { kind: std::io::ErrorKind },
        /// Its output could not be read.
        OutputUnreadable { kind: std::io::ErrorKind },
        /// Its output is over the limit, `mib` MiB.
        TooLarge { mib: u64 },
        /// It exited with `code`, or (`None`) was killed by a signal.
        Exited { code: Option<i32> },
        /// Its output is not the protocol's JSON object.
        NotProtocol,
    }

    impl ExecFailure<'_> {
        /// The sentence.
        pub(crate) fn sentence(&self) -> String {
            match self {
                ExecFailure::NoProgram => "no program given".to_owned(),
                ExecFailure::NotStarted { why } => {
                    format!("could not be started: the program {why}")
                }
                ExecFailure::TimedOut { after } => format!("timed out after {after:?} (killed)"),
                ExecFailure::OutputOpen { after } => {
                    format!("timed out after {after:?}: its output was not closed")
                }
                ExecFailure::NotWaited { kind } => format!("could not be waited for: {kind}"),
                ExecFailure::OutputUnreadable { kind } => {
                    format!("its output could not be read: {kind}")
                }
                ExecFailure::TooLarge { mib } => {
                    format!("its output is over {mib} MiB (not shown)")
                }
                ExecFailure::Exited { code: Some(code) } => {
                    format!("exited with status {code} (its output is not shown)")
                }
                ExecFailure::Exited { code: None } => {
                    "was killed by a signal (its output is not shown)".to_owned()
                }
                ExecFailure::NotProtocol => {
                    "its output is not the exec protocol's JSON object (not shown)".to_owned()
                }
            }
        }
    }

    /// What an `exec` program answered for one key that gives no value: `key` as shown
    /// (escaped).
    pub(crate) enum ExecAnswer<'a> {
        /// The program's own error for the key (redacted, escaped).
        Error { key: &'a str, error: &'a str },
        /// An empty value.
        Empty { key: &'a str },
        /// Neither a value nor an error.
        Neither { key: &'a str },
    }

    impl ExecAnswer<'_> {
        /// The sentence.
        pub(crate) fn sentence(&self) -> String {
            match self {
                ExecAnswer::Error { key, error } => format!("{key}: {error}"),
                ExecAnswer::Empty { key } => format!("{key}: the program returned an empty value"),
                ExecAnswer::Neither { key } => {
                    format!("{key}: the program returned neither a value nor an error")
                }
            }
        }
    }

    /// Why an HTTP source's request was refused or failed before an answer
    /// (source/remote/http.rs).
    #[cfg(any(feature = "vault", feature = "aws"))]
    pub(crate) enum Http<'a> {
        /// The address is not `http(s)://...`.
        BadScheme,
        /// The address holds `user@`.
        UserInfo,
        /// Plain `http://` to a host that is not a loopback (`host` escaped).
        Insecure { host: &'a str },
        /// The CA file cannot be read: `why` is [`path_failure`](super::path_failure)'s text.
        CaUnreadable { path: &'a str, why: &'a str },
        /// The CA file holds no certificate.
        CaEmpty { path: &'a str },
        /// The transport failed.
        Unreachable(Transport<'a>),
    }

    /// What the HTTP client said of a transport failure (it names no body).
    #[cfg(any(feature = "vault", feature = "aws"))]
    pub(crate) enum Transport<'a> {
        Io(std::io::ErrorKind),
        TimedOut,
        HostNotFound,
        ConnectionFailed,
        /// The answer is over `n` bytes.
        TooLarge(u64),
        /// The client's own text (escaped).
        Other(&'a str),
    }

    #[cfg(any(feature = "vault", feature = "aws"))]
    impl Http<'_> {
        /// The sentence.
        pub(crate) fn sentence(&self) -> String {
            match self {
                Http::BadScheme => "the address is not an http(s) URL".to_owned(),
                Http::UserInfo => {
                    "the address holds user information; give credentials through auth".to_owned()
                }
                Http::Insecure { host } => format!(
                    "http:// is refused except to a loopback address (127.0.0.0/8, ::1, localhost): use https:// for {host}"
                ),
                Http::CaUnreadable { path, why } => format!("the CA file {path} {why}"),
                Http::CaEmpty { path } => format!("the CA file {path} holds no PEM certificate"),
                Http::Unreachable(what) => {
                    let what = match what {
                        Transport::Io(kind) => kind.to_string(),
                        Transport::TimedOut => "timed out".to_owned(),
                        Transport::HostNotFound => "host not found".to_owned(),
                        Transport::ConnectionFailed => "connection failed".to_owned(),
                        Transport::TooLarge(n) => format!("the answer is over {n} bytes"),
                        Transport::Other(text) => (*text).to_owned(),
                    };
                    format!("cannot be reached: {what}")
                }
            }
        }
    }

    /// A credential file a Vault login reads.
    #[cfg(feature = "vault")]
    #[derive(Debug, Clone, Copy)]
    pub(crate) enum VaultCredential {
        AppRoleSecretId,
        Jwt,
    }

    /// Why a Vault (or OpenBao) source gave no values (source/remote/vault.rs).
    #[cfg(feature = "vault")]
    pub(crate) enum Vault<'a> {
        /// No address given or set.
        NoAddress,
        /// No token given, set, or in `~/.vault-token`.
        NoToken,
        /// The token file (`path` as shown) is not UTF-8.
        TokenFileNotUtf8 { path: &'a str },
        /// The token file cannot be read: `why` is [`path_failure`](super::path_failure)'s text.
        TokenFileUnreadable { path: &'a str, why: &'a str },
        /// A login's credential file cannot be read.
        CredentialUnreadable {
            what: VaultCredential,
            path: &'a str,
            why: &'a str,
        },
        /// A login's credential file is not UTF-8.
        CredentialNotUtf8 {
            what: VaultCredential,
            path: &'a str,
        },
        /// A login at `auth/{mount}` answered with no token.
        NoLoginToken { mount: &'a str },
        /// The answer to a read is not a KV version 2 secret.
        NotKv2,
        /// The version read (when known) is deleted or destroyed.
        VersionGone { version: Option<u64> },
        /// A request (`what`: `read`, `metadata`, `login at auth/..`) answered `status`;
        /// `said`: the server's messages (redacted).
        Status {
            what: &'a str,
            status: u16,
            said: Option<&'a str>,
        },
    }

    #[cfg(feature = "vault")]
    impl Vault<'_> {
        /// The sentence.
        pub(crate) fn sentence(&self) -> String {
            match self {
                Vault::NoAddress => {
                    "no address: set VAULT_ADDR (or BAO_ADDR), or call .address(..)".to_owned()
                }
                Vault::NoToken => "no token: set VAULT_TOKEN (or BAO_TOKEN), write ~/.vault-token, or call .auth(..)".to_owned(),
                Vault::TokenFileNotUtf8 { path } => format!("{path} is not UTF-8"),
                Vault::TokenFileUnreadable { path, why } => format!("{path} {why}"),
                Vault::CredentialUnreadable { what, path, why } => {
                    format!("the {} file {path} {why}", what.noun())
                }
                Vault::CredentialNotUtf8 { what, path } => {
                    format!("the {} file {path} is not UTF-8", what.noun())
                }
                Vault::NoLoginToken { mount } => {
                    format!("login at auth/{mount}: the answer holds no token (not shown)")
                }
                Vault::NotKv2 => {
                    "read: the answer is not a KV version 2 secret (not shown)".to_owned()
                }
                Vault::VersionGone { version } => format!(
                    "read: version {} is deleted or destroyed",
                    version.map_or_else(|| "?".to_owned(), |v| v.to_string())
                ),
                Vault::Status { what, status, said } => {
                    let said = said.map(|m| format!(": {m}")).unwrap_or_default();
                    match status {
                        401 | 403 => format!("{what}: permission denied ({status}){said}"),
                        404 => format!("{what}: not found (404){said}"),
                        _ => format!("{what}: the server answered {status}{said}"),
                    }
                }
            }
        }
    }

    #[cfg(feature = "vault")]
    impl VaultCredential {
        fn noun(self) -> &'static str {
            match self {
                VaultCredential::AppRoleSecretId => "AppRole secret id",
                VaultCredential::Jwt => "JWT",
            }
        }
    }

    /// An endpoint that hands out AWS credentials as JSON.
    #[cfg(feature = "aws")]
    #[derive(Debug, Clone, Copy)]
    pub(crate) enum AwsEndpoint {
        /// The container credentials endpoint (ECS, EKS Pod Identity).
        Container,
        /// The instance metadata service (IMDSv2).
        Instance,
    }

    #[cfg(feature = "aws")]
    impl AwsEndpoint {
        fn noun(self) -> &'static str {
            match self {
                AwsEndpoint::Container => "the container credentials endpoint",
                AwsEndpoint::Instance => "the instance metadata service",
            }
        }
    }

    /// Why an AWS source found no region or credentials, or what AWS answered
    /// (source/remote/aws/). Paths as shown; never a key or token.
    #[cfg(feature = "aws")]
    pub(crate) enum Aws<'a> {
        /// No region set.
        NoRegion,
        /// No source of credentials gave any.
        NoCredentials,
        /// The shared credentials file cannot be read: `why` is
        /// [`path_failure`](super::path_failure)'s text.
        SharedFileUnreadable { path: &'a str, why: &'a str },
        /// The shared credentials file is not UTF-8.
        SharedFileNotUtf8 { path: &'a str },
        /// The web identity token file cannot be read.
        WebIdentityFileUnreadable { path: &'a str, why: &'a str },
        /// STS answered `status` with the error `code` (escaped).
        StsStatus { status: u16, code: &'a str },
        /// STS's answer holds no credentials.
        StsNoCredentials,
        /// The container authorization token file cannot be read.
        ContainerTokenUnreadable { path: &'a str, why: &'a str },
        /// An endpoint answered `status` (for the instance: for the role's credentials).
        EndpointStatus { endpoint: AwsEndpoint, status: u16 },
        /// An endpoint's answer holds no credentials.
        EndpointNoCredentials { endpoint: AwsEndpoint },
        /// The instance has no IAM role.
        NoRole,
        /// An AWS API error: its `code` (escaped), the HTTP `status`, and its message
        /// (redacted, escaped, shortened).
        ApiError {
            code: &'a str,
            status: u16,
            said: Option<&'a str>,
        },
        /// Parameter Store's answer is not a page of parameters.
        NotParameterPage,
        /// No parameter under `path`.
        NoParameter { path: &'a str },
        /// Secrets Manager's answer is not a secret value.
        NotSecretValue,
        /// Secrets Manager's answer is not a batch of secret values.
        NotSecretBatch,
        /// A secret (`id` escaped) whose `SecretBinary` is not base64.
        BinaryNotBase64 { id: &'a str },
        /// A secret with no value.
        NoValue { id: &'a str },
        /// A secret that holds `SecretBinary` but names no setting.
        BinaryNeedsSetting { id: &'a str },
        /// A secret whose `SecretString` is not a JSON object of settings.
        NotSettingsObject { id: &'a str },
        /// A batch's error for one secret: its `code` (escaped).
        SecretError { id: &'a str, code: &'a str },
        /// A secret of a batch that does not exist.
        SecretNotFound { id: &'a str },
    }

    #[cfg(feature = "aws")]
    impl Aws<'_> {
        /// The sentence.
        pub(crate) fn sentence(&self) -> String {
            match self {
                Aws::NoRegion => "no region: set AWS_REGION (or AWS_DEFAULT_REGION)".to_owned(),
                Aws::NoCredentials => "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile in the shared credentials file, web identity, or run where the container or instance endpoint gives them".to_owned(),
                Aws::SharedFileUnreadable { path, why } => {
                    format!("the shared credentials file {path} {why}")
                }
                Aws::SharedFileNotUtf8 { path } => {
                    format!("the shared credentials file {path} is not UTF-8")
                }
                Aws::WebIdentityFileUnreadable { path, why } => {
                    format!("the web identity token file {path} {why}")
                }
                Aws::StsStatus { status, code } => {
                    format!("web identity: STS answered {status} ({code})")
                }
                Aws::StsNoCredentials => {
                    "web identity: STS's answer holds no credentials (not shown)".to_owned()
                }
                Aws::ContainerTokenUnreadable { path, why } => {
                    format!("the container authorization token file {path} {why}")
                }
                Aws::EndpointStatus {
                    endpoint: AwsEndpoint::Container,
                    status,
                } => format!("the container credentials endpoint answered {status}"),
                Aws::EndpointStatus {
                    endpoint: AwsEndpoint::Instance,
                    status,
                } => format!(
                    "the instance metadata service answered {status} for the role's credentials"
                ),
                Aws::EndpointNoCredentials { endpoint } => format!(
                    "{}'s answer holds no credentials (not shown)",
                    endpoint.noun()
                ),
                Aws::NoRole => "the instance has no IAM role (IMDSv2)".to_owned(),
                Aws::ApiError { code, status, said } => match said {
                    Some(said) => format!("{code} ({status}): {said}"),
                    None => format!("{code} ({status})"),
                },
                Aws::NotParameterPage => {
                    "the answer is not a page of parameters (not shown)".to_owned()
                }
                Aws::NoParameter { path } => format!("no parameter under {path}"),
                Aws::NotSecretValue => "the answer is not a secret value (not shown)".to_owned(),
                Aws::NotSecretBatch => {
                    "the answer is not a batch of secret values (not shown)".to_owned()
                }
                Aws::BinaryNotBase64 { id } => {
                    format!("{id}: its SecretBinary is not base64 (not shown)")
                }
                Aws::NoValue { id } => format!("{id}: the secret has no value"),
                Aws::BinaryNeedsSetting { id } => format!(
                    "{id}: the secret holds SecretBinary: name the setting it is for with .setting(..)"
                ),
                Aws::NotSettingsObject { id } => format!(
                    "{id}: its SecretString is not a JSON object of settings (not shown); for a secret that holds one value, name its setting with .setting(..)"
                ),
                Aws::SecretError { id, code } => format!("{id}: {code}"),
                Aws::SecretNotFound { id } => {
                    format!("{id}: not found (ResourceNotFoundException)")
                }
            }
        }
    }

    /// A line the program wrote to stderr (redacted, escaped), kept as a warning.
    pub(crate) fn exec_stderr(line: &str) -> String {
        format!("stderr: {line}")
    }
}

// The `.env` profile (loader/profile.rs).

/// The profile variable `var` names a profile that is not a plain name; `name` is shown
/// escaped (`escape_debug`).
pub(crate) fn profile_not_plain(var: &str, name: &str) -> String {
    format!(
        "{var} names the .env profile `{}`, which is not a plain name (no `/`, `\\`, `.` or `..`)",
        name.escape_debug()
    )
}

/// The same name given twice, with different values, in one layer (`env_vars`): the
/// later is used, as a map would keep it. Said after the name.
pub(crate) const GIVEN_TWICE: &str =
    "is given twice in env_vars with different values (not shown); the later one is used";

// Values that do not parse (build/): the facts are the field's type, the parser's
// detail, and what may be shown of the value.

/// What an `invalid value` sentence may show of the text that did not parse.
pub(crate) enum ValueShown<'a> {
    /// Nothing: the field is a secret.
    Secret,
    /// Nothing: the text may hold a secret (encrypted, a substitution, several lines).
    MayHoldSecret,
    /// The text, quoted.
    Text(&'a str),
    /// Nothing, and no reason to say (the parser kept no text).
    Nothing,
}

/// A value that does not parse as the field's type `ty`; `detail`: the parser's, when
/// it may be shown.
pub(crate) fn invalid_value(shown: ValueShown<'_>, ty: &str, detail: Option<&str>) -> String {
    let detail = detail.map(|d| format!(": {d}")).unwrap_or_default();
    match shown {
        ValueShown::Secret => format!("invalid value (secret, not shown): expected {ty}{detail}"),
        ValueShown::MayHoldSecret => format!(
            "invalid value (not shown: it was encrypted, holds a substitution or spans several lines): expected {ty}{detail}"
        ),
        ValueShown::Text(v) => format!("invalid value {v:?}: expected {ty}{detail}"),
        ValueShown::Nothing => format!("invalid value: expected {ty}{detail}"),
    }
}

/// The fixture's placeholder (`fake-{path}`) does not parse as the field's type.
pub(crate) fn fixture_placeholder_invalid(path: &str, ty: &str) -> String {
    format!(
        "the fixture's placeholder \"fake-{path}\" is not a valid {ty}; give the field `#[settings(fake = ...)]`"
    )
}

/// A default written as text (`default = "30s"`) that does not parse: a mistake in the
/// program, reported at every load.
pub(crate) fn default_invalid(text: &str, ty: &str, detail: Option<&str>) -> String {
    let detail = detail.map(|d| format!(": {d}")).unwrap_or_default();
    format!(
        "the default {text:?} is not a valid {ty}{detail}; fix `#[settings(default = ...)]` on the field"
    )
}

// Resolution (resolve.rs): what one leaf's hits say together.

/// A secret-manager reference left in a value: what nothing resolved.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SecretReference {
    /// `op://...`
    OnePassword,
    /// `bw://...`
    Bitwarden,
    /// `vault:...`
    Vault,
    /// `SECRET[...]`
    Bracketed,
}

impl SecretReference {
    /// The problem: the reference was not resolved (never shown).
    pub(crate) fn sentence(self) -> String {
        let kind = match self {
            SecretReference::OnePassword => "an `op://` (1Password)",
            SecretReference::Bitwarden => "a `bw://` (Bitwarden)",
            SecretReference::Vault => "a `vault:`",
            SecretReference::Bracketed => "a `SECRET[...]`",
        };
        format!(
            "the value is {kind} reference that nothing resolved (not shown): run the program under its secret manager's CLI, or set the secret itself"
        )
    }
}

/// A value (from the variable or file `name`) that is not UTF-8.
pub(crate) fn value_not_utf8(name: &str) -> String {
    format!("the value of {name} is not valid UTF-8 (not shown)")
}

/// Shown instead of a `NAME_FILE` path that may hold a secret.
pub(crate) const CONCEALED_PATH: &str =
    "(path not shown: it holds a substitution or was encrypted)";

/// Shown instead of a secret's `NAME_FILE` value that names no file: it may be the
/// secret itself, pasted into the wrong variable, so it is never shown.
pub(crate) const UNNAMED_PATH: &str = "(path not shown: it names no file)";

/// A secret's `NAME_FILE` (`var`) whose value names no file: perhaps the secret itself,
/// meant for `name`.
pub(crate) fn name_file_names_no_file(var: &str, name: &str) -> String {
    format!(
        "{var} names no file; its value is not shown, as it may be the secret itself (did you mean {name}?)"
    )
}

/// The problems of kind [`ProblemKind::Conflict`]: two sources of one layer that
/// disagree about one setting (resolve.rs), or settings whose names clash (plan.rs).
pub(crate) enum Conflict<'a> {
    /// `NAME` and `NAME_FILE`, both set.
    DirectAndFile { direct: &'a str, file: &'a str },
    /// Two spellings of a name, set with different values.
    Names { first: &'a str, other: &'a str },
    /// Two files of a secrets directory, with different contents.
    SecretsFiles { first: &'a str, other: &'a str },
    /// The name `name` belongs to two settings (dotted paths).
    NameShared {
        name: &'a str,
        first: &'a str,
        second: &'a str,
    },
    /// The name `name` belongs to `leaf` and is also `file_of`'s `NAME_FILE`.
    NameIsFileName {
        name: &'a str,
        leaf: &'a str,
        file_of: &'a str,
    },
    /// A secret with a default (a `Meta` the derive did not check).
    SecretDefault,
}

impl Conflict<'_> {
    /// The problem, naming both; never a value.
    pub(crate) fn sentence(&self) -> String {
        let (what, first, other) = match self {
            Conflict::DirectAndFile { direct, file } => {
                return format!("both {direct} and {file} are set; keep one of them");
            }
            Conflict::Names { first, other } => ("names", first, other),
            Conflict::SecretsFiles { first, other } => ("secrets files", first, other),
            Conflict::NameShared {
                name,
                first,
                second,
            } => {
                return format!(
                    "the name {name} belongs to both `{first}` and `{second}`; give one of them `env = \"...\"`"
                );
            }
            Conflict::NameIsFileName {
                name,
                leaf,
                file_of,
            } => {
                return format!(
                    "the name {name} belongs to `{leaf}` and is also the `_FILE` name of `{file_of}` (a path to read it from); give `{leaf}` `env = \"...\"`"
                );
            }
            Conflict::SecretDefault => {
                return "a secret cannot have a default: remove `default`, or make the field an `Option` if it is optional".to_owned();
            }
        };
        format!(
            "the {what} {first} and {other} are both set with different values (not shown); keep one"
        )
    }
}

/// What wins over a deprecated name that is set.
pub(crate) enum DeprecatedWinner<'a> {
    /// Nothing: the deprecated name's value is used.
    Nothing,
    /// An override (`set`).
    Override,
    /// A current name, set in the same or a higher layer.
    Name(&'a str),
}

/// The warning for a set deprecated name `old`, whose current name is `new`.
pub(crate) fn deprecated_name(old: &str, new: &str, winner: DeprecatedWinner<'_>) -> String {
    match winner {
        DeprecatedWinner::Nothing => format!("deprecated name; use {new}"),
        DeprecatedWinner::Override => {
            format!("deprecated name; use {new} (an override is set and wins)")
        }
        DeprecatedWinner::Name(name) => {
            format!("deprecated name; use {new} ({name} is set too and wins; remove {old})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(9980), "9,980");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn the_warnings_report_counts_past_twenty_of_a_kind() {
        let unknown = |i: usize| {
            Problem::of_name(
                &format!("APP_X{i}"),
                ProblemKind::Unknown,
                "sets no setting".into(),
            )
            .at(Some(Origin::Environment))
            .warning()
        };
        let deprecated = Problem::of_name("APP_OLD", ProblemKind::Deprecated, "deprecated".into())
            .at(Some(Origin::Environment))
            .warning();
        let mut warnings = vec![deprecated];
        warnings.extend((0..1_021).map(unknown));
        let report = warnings_report("Config", &warnings);
        let lines: Vec<&str> = report.lines().collect();
        assert_eq!(lines[0], "Config: 1,022 warnings loading settings");
        assert_eq!(lines[1], "  warning: APP_OLD (environment): deprecated");
        assert_eq!(
            lines[21],
            "  warning: APP_X19 (environment): sets no setting"
        );
        assert_eq!(lines[22], "  ... and 1,001 more unknown-name warnings");
        assert_eq!(lines.len(), 23);
        // Exactly 21 of a kind: 20 and "1 more" (singular).
        let report = warnings_report("Config", &warnings[..22]);
        assert!(
            report.ends_with("... and 1 more unknown-name warning"),
            "{report}"
        );
    }

    #[test]
    fn a_missing_path_does_not_exist() {
        assert_eq!(path_failure(std::io::ErrorKind::NotFound), "does not exist");
        assert_eq!(
            path_failure(std::io::ErrorKind::PermissionDenied),
            "cannot be read: permission denied"
        );
    }
}
