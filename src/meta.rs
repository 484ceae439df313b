//! The static description of a settings struct that the derive emits (confique's `META`).
//!
//! Everything that needs to know the settings without loading them (errors,
//! `env_example`, `explain`, fixtures) reads this. It never holds a secret value.

/// One settings struct.
#[derive(Debug)]
pub struct Meta {
    /// The Rust type name (`Config`).
    pub name: &'static str,
    /// The struct's doc comment.
    pub doc: &'static str,
    /// Environment prefix (`APP_`), used only when this struct is loaded at the top.
    pub prefix: &'static str,
    /// The struct's default secrets directory.
    pub secrets_dir: Option<&'static str>,
    /// The struct's default `.env` file.
    pub dotenv: Option<&'static str>,
    /// `config_file = "myapp.toml"`: the struct's config file, looked for in the current
    /// directory and its parents up to a repository's root.
    pub config_file: Option<&'static str>,
    /// Whether environment names match exactly.
    pub case_sensitive: bool,
    /// The fields, in declaration order.
    pub fields: &'static [Field],
    /// `profile_env = "APP_ENV"`: the variable that names the `.env` profile.
    pub profile_env: Option<&'static str>,
    /// `ignore_env = "SVC_WAIT"`, repeatable: names the program reads itself, never
    /// reported as unknown; a trailing `*` matches a prefix (`SVC_DEBUG_*`).
    pub ignore_env: &'static [&'static str],
}

impl Meta {
    /// A struct named `name` with no fields and no attributes: the `META` of the
    /// stand-in impl the derive emits beside its compile errors (so that code calling
    /// `Config::load()` shows only the real errors), made here rather than spelled out
    /// field by field in the derive.
    ///
    /// ```
    /// const META: &confidant::__private::Meta = &confidant::__private::Meta::stub("Config");
    /// assert_eq!(META.name, "Config");
    /// assert!(META.fields.is_empty() && META.prefix.is_empty());
    /// ```
    #[must_use]
    pub const fn stub(name: &'static str) -> Meta {
        Meta {
            name,
            doc: "",
            prefix: "",
            secrets_dir: None,
            dotenv: None,
            config_file: None,
            case_sensitive: false,
            fields: &[],
            profile_env: None,
            ignore_env: &[],
        }
    }
}

/// One field of a settings struct.
#[derive(Debug)]
pub struct Field {
    /// The Rust field name without `r#` (`llm_temperature`).
    pub name: &'static str,
    /// The doc comment, lines joined with `\n`.
    pub doc: &'static str,
    /// `env = "NAME"`: the exact environment name.
    pub env: Option<&'static str>,
    /// `alias = "NAME"`: fallback names, in the order written.
    pub aliases: &'static [&'static str],
    /// The settings struct behind a `nested` field.
    pub nested: Option<&'static Meta>,
    /// What the field's type is (secret, bytes), asked of the type itself (at compile
    /// time, by autoref dispatch) so that it sees through type aliases;
    /// `#[settings(secret)]` is folded in.
    pub shape: Shape,
    /// `Option<_>`.
    pub optional: bool,
    /// `allow_empty`: an empty value is a value, not "unset".
    pub allow_empty: bool,
    /// `restart`: a running program cannot change it; a [`Watch`](crate::Watch) reload
    /// keeps its running value and names it in
    /// [`Change::restart_required`](crate::Change::restart_required).
    pub restart: bool,
    /// The default as written in the source, if the field has one.
    pub default: Option<DefaultShown>,
    /// The `fake` expression as written, if any.
    pub fake: Option<&'static str>,
    /// The field's type as written.
    pub ty: &'static str,
    /// `deprecated = "OLD_NAME"`: names still read after the aliases, with a warning.
    pub deprecated: &'static [&'static str],
    /// The field's `#[validate(...)]` rules that a JSON Schema can state.
    pub rules: &'static [RuleMeta],
}

impl Field {
    /// `default = "TEXT"`: the text the field's parser takes as the default.
    pub(crate) fn text_default(&self) -> Option<&'static str> {
        match self.default {
            Some(DefaultShown::Text(text)) => Some(text),
            _ => None,
        }
    }
}

/// A validation rule, described for JSON Schema: bounds are the expressions as written
/// (used when they are number literals).
#[derive(Debug, Clone, Copy)]
pub enum RuleMeta {
    /// `length(min, max, equal)`.
    Length {
        /// `min`.
        min: Option<&'static str>,
        /// `max`.
        max: Option<&'static str>,
        /// `equal`.
        equal: Option<&'static str>,
    },
    /// `range(min, max, exclusive_min, exclusive_max)`.
    Range {
        /// `min`.
        min: Option<&'static str>,
        /// `max`.
        max: Option<&'static str>,
        /// `exclusive_min`.
        exclusive_min: Option<&'static str>,
        /// `exclusive_max`.
        exclusive_max: Option<&'static str>,
    },
    /// `email`.
    Email,
    /// `url`.
    Url,
    /// `regex(path = ...)`: the pattern, read from the regex when asked.
    Regex(fn() -> String),
}

/// How a default is shown in `.env.example` and `explain`.
#[derive(Debug, Clone, Copy)]
pub enum DefaultShown {
    /// `default = LITERAL`: a number or `bool`, which `.env.example` fills in as the
    /// value.
    Literal(&'static str),
    /// `default = EXPR`, any other expression: its text, shown as code and never
    /// written as a value (`WORKERS * 2` would not parse back).
    Expr(&'static str),
    /// `default`: `Default::default()`.
    Trait,
    /// `default = "TEXT"`: settings text, parsed by the field's own parser at every
    /// load, as text from the environment is (`default = "30s"` on a `Duration`).
    Text(&'static str),
}

/// What a leaf's type is, for the runtime.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    /// The type holds a secret: its value is never shown, only fingerprinted.
    pub secret: bool,
    /// A secret of raw bytes (`Secret<Vec<u8>>`): takes the bytes of the text, and from a
    /// file exactly the file's bytes (no UTF-8 check, no trimming).
    pub bytes: bool,
}

impl Shape {
    /// Neither secret nor bytes (a `nested` field's stand-in).
    pub const PLAIN: Shape = Shape {
        secret: false,
        bytes: false,
    };

    /// `#[settings(secret)]`: secret whatever the type.
    #[must_use]
    pub const fn forced_secret(self) -> Shape {
        Shape {
            secret: true,
            bytes: self.bytes,
        }
    }
}
