//! The context generated `__build` code runs in: it walks the leaves in declaration
//! order, turns each resolved text into the field's type, applies defaults and fixture
//! values, and records every problem.

use zeroize::Zeroizing;

pub(crate) mod dispatch;
pub(crate) mod outcome;

use crate::build::outcome::{LeafOutcome, Outcomes, Record, Shown};
use crate::error::{Error, Problem, ProblemKind, Problems, ValueShown};
use crate::origin::Origin;
use crate::plan::{Node, Plan};
use crate::source::Layers;
use crate::value::parse::{Input, ParseError, Text, parse_text};
use crate::value::validate::{Rule, error_text};

/// Parses a leaf's value into its stored type; the flag says whether the field is secret.
pub type Parser<T> = fn(Input, bool) -> Result<T, ParseError>;

/// One build step of a leaf whose stored type is `T`: [`Steps::required`] gives `R = T`,
/// [`Steps::optional`] `R = Option<T>`. The `usize` is the field's index in its struct
/// (the plan's tree says which leaf that is). `None`: a problem was recorded.
pub type LeafFn<T, R> =
    fn(&mut Build<'_>, usize, Parser<T>, Option<fn() -> T>, Option<fn() -> T>) -> Option<R>;

/// How the leaves of one field type are built: its parser and its two build steps, as
/// the dispatch of the generated code hands them back, once per field type. The
/// generated `__build` calls `(steps.required)(__build, field, steps.parse, default, fake)`.
///
/// [`Steps::new`] is generic, so its functions are compiled in the crate that derives
/// `Settings`, once per field type. The most common types (`String`, `bool`, `u16`,
/// `u32`, `u64`, `usize`, `i32`, `i64`, `f64`) hand back functions compiled here
/// instead ([`CommonSteps`]): an optimized build shares no generic code between crates,
/// and these instances were a quarter of the code a release build compiled for the
/// derive's expansion (docs/performance.md, "Compile time").
///
/// [`CommonSteps`]: dispatch::CommonSteps
pub struct Steps<T> {
    /// Parses the leaf's text.
    pub parse: Parser<T>,
    /// A required leaf: its value, or `None` after recording why there is none.
    pub required: LeafFn<T, T>,
    /// An `Option` leaf: `Some(None)` when no layer sets it.
    pub optional: LeafFn<T, Option<T>>,
}

impl<T> Steps<T> {
    /// The steps of a field type, with its parser.
    #[must_use]
    pub fn new(parse: Parser<T>) -> Self {
        Steps {
            parse,
            required: required::<T>,
            optional: optional::<T>,
        }
    }
}

impl<T: Text> Steps<T> {
    /// The steps of a [`Text`] type, which call its parser directly rather than through
    /// the pointer they are handed (the same function), so that it can be inlined.
    pub(crate) fn text() -> Self {
        Steps {
            parse: parse_text::<T>,
            required: required_text::<T>,
            optional: optional_text::<T>,
        }
    }
}

fn required_text<T: Text>(
    build: &mut Build<'_>,
    field: usize,
    _: Parser<T>,
    default: Option<fn() -> T>,
    fake: Option<fn() -> T>,
) -> Option<T> {
    required_leaf(build, field, parse_text::<T>, default, fake, false)
}

fn optional_text<T: Text>(
    build: &mut Build<'_>,
    field: usize,
    _: Parser<T>,
    default: Option<fn() -> T>,
    fake: Option<fn() -> T>,
) -> Option<Option<T>> {
    optional_leaf(build, field, parse_text::<T>, default, fake, false)
}

// Free functions, not methods: a method's `Build<'p>` lifetime is the impl's, so it
// would not coerce to `LeafFn`, which takes a `Build` of any lifetime.

/// A required leaf: its value, or `None` after recording why there is none. Its parse
/// may make a `Secret` the type does not show (a user struct holding one).
fn required<T>(
    build: &mut Build<'_>,
    field: usize,
    parse: Parser<T>,
    default: Option<fn() -> T>,
    fake: Option<fn() -> T>,
) -> Option<T> {
    required_leaf(build, field, parse, default, fake, true)
}

/// An `Option` leaf: `Some(None)` when no layer sets it.
fn optional<T>(
    build: &mut Build<'_>,
    field: usize,
    parse: Parser<T>,
    default: Option<fn() -> T>,
    fake: Option<fn() -> T>,
) -> Option<Option<T>> {
    optional_leaf(build, field, parse, default, fake, true)
}

/// `listen`: whether the parse may make secrets the leaf's shape does not show (any type
/// but a [`Text`] one, whose secrets are all in its shape).
fn required_leaf<T>(
    build: &mut Build<'_>,
    field: usize,
    parse: Parser<T>,
    default: Option<fn() -> T>,
    fake: Option<fn() -> T>,
    listen: bool,
) -> Option<T> {
    match build.leaf(field, parse, default, fake, listen) {
        Slot::Value(v) => Some(v),
        Slot::Absent => {
            build.missing();
            None
        }
        Slot::Failed => None,
    }
}

fn optional_leaf<T>(
    build: &mut Build<'_>,
    field: usize,
    parse: Parser<T>,
    default: Option<fn() -> T>,
    fake: Option<fn() -> T>,
    listen: bool,
) -> Option<Option<T>> {
    match build.leaf(field, parse, default, fake, listen) {
        Slot::Value(v) => Some(Some(v)),
        Slot::Absent => Some(None),
        Slot::Failed => None,
    }
}

/// The build context.
pub struct Build<'p> {
    plan: &'p Plan,
    layers: Layers,
    /// One per leaf, in declaration order: resolution's record and text, which the
    /// generated code's steps turn into the leaf's outcome.
    leaves: Vec<LeafOutcome>,
    /// The leaf being built (or built last): the generated code names each field by its
    /// index in its struct, and the plan's tree says which leaf it is.
    current: usize,
    /// The struct being built: its index in the plan's sections.
    section: usize,
    problems: Problems,
    fixture: bool,
    /// The load keeps each leaf's outcome (what `explain` shows, a watch's pins).
    explain: bool,
    /// Hears of every secret the parsers make during the build.
    listener: crate::secret::Listener,
    /// Copies of the secret texts read (see [`Outcomes::secret_texts`]).
    secret_texts: Vec<Zeroizing<Vec<u8>>>,
    /// The text of the leaf being parsed, when explaining: shown once the parse says
    /// whether it made a secret.
    pending: Option<Zeroizing<Vec<u8>>>,
    /// The key of `hmac:` fingerprints (`CONFIDANT_FINGERPRINT_KEY`,
    /// `Loader::fingerprint_key`), when explaining.
    fingerprint_key: Option<Zeroizing<Vec<u8>>>,
}

/// A leaf already built, to record a failed rule on.
#[derive(Debug, Clone, Copy)]
pub struct LeafRef(usize);

/// A struct being built (its section in the plan): `schema` runs only if none of its
/// leaves has a problem.
#[derive(Debug, Clone, Copy)]
pub struct Mark(usize);

enum Slot<T> {
    Value(T),
    Absent,
    Failed,
}

impl<'p> Build<'p> {
    /// The build of `leaves`, resolution's outcome of each leaf of `plan`.
    pub(crate) fn new(
        plan: &'p Plan,
        layers: Layers,
        leaves: Vec<LeafOutcome>,
        problems: Problems,
        fixture: bool,
        explain: bool,
    ) -> Self {
        debug_assert_eq!(leaves.len(), plan.leaves.len());
        Build {
            plan,
            layers,
            leaves,
            current: 0,
            section: 0,
            problems,
            fixture,
            explain,
            listener: crate::secret::Listener::new(),
            secret_texts: Vec::new(),
            pending: None,
            fingerprint_key: None,
        }
    }

    /// Adds secret texts the load read before the build (values of lower layers, the
    /// dotenvx keys it tried): they join the load's redactor.
    pub(crate) fn add_secret_texts(&mut self, texts: impl IntoIterator<Item = Zeroizing<Vec<u8>>>) {
        self.secret_texts.extend(texts);
    }

    /// Shows every secret's fingerprint as `hmac:` keyed with `key` (a secret of the
    /// load, wiped on drop).
    pub(crate) fn fingerprint_key(&mut self, key: Option<Zeroizing<Vec<u8>>>) {
        self.fingerprint_key = key;
    }

    /// Where the value of leaf `index` came from, for a problem: `None` when unset, or
    /// not built yet.
    fn origin(&self, index: usize) -> Option<Origin> {
        if index > self.current {
            return None;
        }
        self.leaves.get(index)?.record.origin(&self.layers)
    }

    // `leaf` is generic, so it is compiled once per field type (in the crate that derives
    // `Settings`, but for the common types: see `Steps`): it only dispatches. The work is
    // in `step` and `parse_failed`, compiled once, here.
    fn leaf<T>(
        &mut self,
        field: usize,
        parse: Parser<T>,
        default: Option<fn() -> T>,
        fake: Option<fn() -> T>,
        listen: bool,
    ) -> Slot<T> {
        // Plain `match`es, no closures: each closure would be one more function compiled
        // per field type.
        let index = self.start_leaf(field);
        let text_default = self.plan.leaves[index].field.text_default();
        let slot = self.slot(parse, default, fake, listen, text_default.is_some());
        if let Some(text) = text_default {
            // A default written as text is parsed at every load, used or not: one
            // that does not parse fails every load (and so the fixture test).
            if !matches!(self.leaves[index].record, Record::Default)
                && let Err(err) = parse(Input::Text(Zeroizing::new(text.to_owned())), false)
            {
                self.default_failed(index, err);
            }
        }
        slot
    }

    fn slot<T>(
        &mut self,
        parse: Parser<T>,
        default: Option<fn() -> T>,
        fake: Option<fn() -> T>,
        listen: bool,
        text_default: bool,
    ) -> Slot<T> {
        let Some((text, secret)) = self.step(default.is_some() || text_default, fake.is_some())
        else {
            // The record says what the leaf takes.
            return match self.leaves[self.current].record {
                Record::Default => match default {
                    Some(default) => Slot::Value(default()),
                    None => Slot::Absent,
                },
                Record::Fake => match fake {
                    Some(fake) => Slot::Value(fake()),
                    None => Slot::Absent,
                },
                Record::Unset => Slot::Absent,
                // A found value always has its text to parse.
                Record::Failed | Record::Found(_) => Slot::Failed,
            };
        };
        let before = if listen { self.listener.count() } else { 0 };
        let fixture = matches!(self.leaves[self.current].record, Record::Fake);
        let result = match parse(text, secret) {
            Err(err) if fixture => self.fake_forms(parse, secret, err),
            other => other,
        };
        let made_secret = listen && self.listener.count() > before;
        self.parsed(made_secret);
        match result {
            Ok(value) => Slot::Value(value),
            Err(_) if fixture && self.plan.leaves[self.current].field.optional => {
                // A placeholder the type cannot become: an optional field is left unset.
                self.unset_fake();
                Slot::Absent
            }
            Err(err) => {
                self.parse_failed(err, secret || made_secret);
                Slot::Failed
            }
        }
    }

    /// A fixture's placeholder in the forms of a list (`["fake-<path>"]`) and of a map
    /// (`{"fake": "fake-<path>"}`), for types the bare `fake-<path>` is not (`err`: why
    /// it was not).
    fn fake_forms<T>(
        &self,
        parse: Parser<T>,
        secret: bool,
        err: ParseError,
    ) -> Result<T, ParseError> {
        let path = &self.plan.leaves[self.current].path;
        for text in [
            format!("[\"fake-{path}\"]"),
            format!("{{\"fake\": \"fake-{path}\"}}"),
        ] {
            if let Ok(value) = parse(Input::Text(Zeroizing::new(text)), secret) {
                return Ok(value);
            }
        }
        Err(err)
    }

    /// The leaf built last took no placeholder: unset after all.
    fn unset_fake(&mut self) {
        let outcome = &mut self.leaves[self.current];
        outcome.record = Record::Unset;
        outcome.shown = None;
    }

    /// Makes field `field` of the struct being built the leaf being built; its index.
    fn start_leaf(&mut self, field: usize) -> usize {
        let Node::Leaf(index) = self.plan.child(self.section, field) else {
            unreachable!("generated code builds a setting where the plan has a section")
        };
        self.current = index;
        index
    }

    /// Decides what the leaf being built takes, in its record: its found value,
    /// its default, a fixture's fake value, nothing (unset), or nothing after a problem
    /// (failed). Hands back the text to parse, if any, and whether it is parsed as a
    /// secret's (an error about it shows no value). Keeps what `explain` shows of the
    /// leaf (a parsed text's once parsed) and a restart leaf's pin.
    fn step(&mut self, has_default: bool, has_fake: bool) -> Option<(Input, bool)> {
        let index = self.current;
        let leaf = &self.plan.leaves[index];
        let secret = leaf.secret();
        let explain = self.explain;
        let outcome = &mut self.leaves[index];
        if leaf.field.restart && explain {
            outcome.pin = outcome.text.clone();
        }
        let text = match (outcome.text.take(), &outcome.record) {
            (Some(text), _) => text,
            (None, Record::Unset) if self.fixture && has_fake => {
                outcome.record = Record::Fake;
                // A typed fake secret has no text to fingerprint: `explain` reads the
                // record.
                if explain && !secret {
                    let fake = leaf.field.fake.unwrap_or("(fake)").to_owned();
                    outcome.shown = Some(Shown::Plain(fake));
                }
                return None;
            }
            (None, Record::Unset) if self.fixture && secret => {
                outcome.record = Record::Fake;
                Input::Text(Zeroizing::new(format!("fake-{}", leaf.path)))
            }
            (None, Record::Unset) if has_default && leaf.field.text_default().is_some() => {
                // `default = "30s"`: parsed by the field's parser, like a found value.
                outcome.record = Record::Default;
                let text = leaf.field.text_default().unwrap_or_default();
                Input::Text(Zeroizing::new(text.to_owned()))
            }
            (None, Record::Unset) if has_default => {
                outcome.record = Record::Default;
                if explain {
                    outcome.shown = Some(Shown::Plain(match leaf.field.default {
                        Some(
                            crate::meta::DefaultShown::Literal(text)
                            | crate::meta::DefaultShown::Text(text)
                            | crate::meta::DefaultShown::Expr(text),
                        ) => text.to_owned(),
                        _ => String::from("(default)"),
                    }));
                }
                return None;
            }
            // Unset (no default, no fake), or failed in resolution: the record says so.
            (None, _) => return None,
        };
        let (conceal, read) = match &outcome.record {
            Record::Found(found) => (found.conceal, found.via_file || found.encrypted),
            _ => (false, false),
        };
        if secret && read {
            // A secret read from a file or decrypted joins the load's redactor whether
            // it parses or not (a source's text did before resolution).
            self.secret_texts
                .push(Zeroizing::new(text.as_bytes().to_vec()));
        }
        // Shown once parsed: a parse that makes a `Secret` makes the leaf secret.
        if explain {
            self.pending = Some(Zeroizing::new(text.as_bytes().to_vec()));
        }
        Some((text, secret || conceal))
    }

    /// After the parse of the leaf built last: what `explain` shows of it, a fingerprint
    /// if it is secret by its type or made a secret (`made_secret`), else its text.
    fn parsed(&mut self, made_secret: bool) {
        let Some(bytes) = self.pending.take() else {
            return;
        };
        let index = self.current;
        let secret = made_secret || self.plan.leaves[index].secret();
        self.leaves[index].shown = Some(if secret {
            let short = bytes.len() < crate::redact::MIN_SECRET_LEN;
            let digest = <sha2::Sha256 as sha2::Digest>::digest(&*bytes).into();
            let key = self.fingerprint_key.as_deref().map(Vec::as_slice);
            let shown = crate::secret::shown_fingerprint(&bytes, key);
            Shown::Fingerprint(shown, short, digest)
        } else {
            Shown::Plain(String::from_utf8_lossy(&bytes).into_owned())
        });
    }

    /// Records why the text of the leaf built last did not parse; `hidden`: a secret,
    /// or text that may hold one (a `.env` substitution, or a quoted value that swallowed
    /// the lines after it), so no value is shown.
    fn parse_failed(&mut self, err: ParseError, hidden: bool) {
        let index = self.current;
        let record = &self.leaves[index].record;
        if matches!(record, Record::Default) {
            return self.default_failed(index, err);
        }
        let (fixture, rank) = (matches!(record, Record::Fake), record.rank());
        let leaf = &self.plan.leaves[index];
        let ty = leaf.field.ty;
        let message = if fixture {
            crate::error::fixture_placeholder_invalid(&leaf.path, ty)
        } else {
            let shown = match (hidden, err.value.as_deref()) {
                (true, _) if leaf.secret() => ValueShown::Secret,
                (true, _) => ValueShown::MayHoldSecret,
                (false, Some(v)) => ValueShown::Text(v),
                (false, None) => ValueShown::Nothing,
            };
            // A hidden value's detail only when it names no part of the value.
            let detail = err.detail.as_deref().filter(|_| !hidden || err.safe);
            crate::error::invalid_value(shown, ty, detail)
        };
        let problem = leaf
            .problem(ProblemKind::Invalid, message)
            .spelled(leaf.name(rank))
            .at(self.origin(index));
        self.problems.leaf(index, problem);
        self.show_invalid(index);
    }

    /// What `explain` shows of leaf `index` after its text (or its default's) did not
    /// parse: that it is invalid.
    fn show_invalid(&mut self, index: usize) {
        if self.explain {
            self.leaves[index].shown = Some(Shown::Invalid);
        }
    }

    /// Records that leaf `index`'s default, written as text (`default = "30s"`), does
    /// not parse: a mistake in the program, reported at every load.
    fn default_failed(&mut self, index: usize, err: ParseError) {
        let leaf = &self.plan.leaves[index];
        let ty = leaf.field.ty;
        let text = leaf.field.text_default().unwrap_or_default();
        let message = crate::error::default_invalid(text, ty, err.detail.as_deref());
        let problem = leaf
            .problem(ProblemKind::Invalid, message)
            .at(Some(Origin::Default));
        self.problems.leaf(index, problem);
        self.show_invalid(index);
    }

    fn missing(&mut self) {
        let index = self.current;
        let leaf = &self.plan.leaves[index];
        let problem = if leaf.secret() {
            crate::source::secrets_dir::missing(leaf, &self.layers)
        } else {
            leaf.problem(
                ProblemKind::Missing,
                crate::error::missing_setting(leaf.env()),
            )
        };
        self.problems.leaf(index, problem);
        // No value and no text: the record says it failed (its origin stays none).
        self.leaves[index].record = Record::Failed;
    }

    /// The leaf built last.
    pub fn last_leaf(&self) -> LeafRef {
        LeafRef(self.current)
    }

    /// The primary environment name of a leaf (`APP_DB__PORT`).
    pub fn env_var(&self, leaf: LeafRef) -> &str {
        self.plan.leaves[leaf.0].env()
    }

    /// Records a failed rule on a leaf; `text` says what is wrong and names no value.
    pub fn rule_failed(&mut self, leaf: LeafRef, rule: Rule, text: String) {
        let code = rule.code.unwrap_or(rule.name);
        self.validation_problem(leaf.0, rule, text, code.into());
    }

    /// Records the error of a `custom` function on a leaf: its message, else its code;
    /// never its params, which validator fills with values.
    pub fn custom_failed(
        &mut self,
        leaf: LeafRef,
        rule: Rule,
        function: &'static str,
        error: &crate::validation_error::ValidationError,
    ) {
        let code = rule.code.map_or_else(|| error.code.clone(), Into::into);
        self.validation_problem(leaf.0, rule, error_text(function, error), code);
    }

    fn validation_problem(
        &mut self,
        index: usize,
        rule: Rule,
        text: String,
        code: std::borrow::Cow<'static, str>,
    ) {
        let leaf = &self.plan.leaves[index];
        let problem = leaf
            .problem(
                ProblemKind::Validation,
                rule.message.map_or(text, str::to_owned),
            )
            .at(self.origin(index))
            .with_code(code);
        self.problems.leaf(index, problem);
    }

    /// Steps into the `nested` field `field` (its index in the struct being built).
    pub fn enter(&mut self, field: usize) {
        let Node::Section(section) = self.plan.child(self.section, field) else {
            unreachable!("generated code enters a section where the plan has a setting")
        };
        self.section = section;
    }

    /// Steps out of the `nested` field entered last.
    pub fn leave(&mut self) {
        self.section = self.plan.sections[self.section].parent;
    }

    /// The struct being built, for its `schema` rules.
    pub fn mark(&self) -> Mark {
        Mark(self.section)
    }

    /// Whether none of the leaves of the struct `mark` was taken in has a problem.
    pub fn clean_since(&self, mark: Mark) -> bool {
        let leaves = &self.plan.sections[mark.0].leaves;
        !self.problems.any_in(leaves.start, leaves.end)
    }

    /// Records the error of a `schema` function of the struct being built. The problem
    /// names the struct's path, or the field named by the error's `field` param.
    pub fn schema_failed(
        &mut self,
        rule: Rule,
        function: &'static str,
        error: &crate::validation_error::ValidationError,
    ) {
        let section = &self.plan.sections[self.section];
        let path = section.path.as_str();
        let named = error
            .params
            .get("field")
            .and_then(|v| v.as_str())
            .and_then(|name| {
                let full = if path.is_empty() {
                    name.to_owned()
                } else {
                    format!("{path}.{name}")
                };
                self.plan.paths.get(full.as_str()).copied()
            });
        let code = rule.code.map_or_else(|| error.code.clone(), Into::into);
        let text = rule
            .message
            .map_or_else(|| error_text(function, error), str::to_owned);
        // The named field's problem, else one about the struct (its dotted path), placed
        // after the struct's last leaf (or the last leaf before it, if it has none).
        match (named, section.leaves.end.checked_sub(1)) {
            (Some(index), _) => {
                let leaf = &self.plan.leaves[index];
                let problem = leaf
                    .problem(ProblemKind::Validation, text)
                    .at(self.origin(index));
                self.problems.leaf(index, problem.with_code(code));
            }
            (None, last) => {
                let problem = Problem::of_path(path, ProblemKind::Validation, text);
                match last {
                    Some(last) => self.problems.leaf(last, problem.with_code(code)),
                    None => self.problems.source(problem.with_code(code)),
                }
            }
        }
    }

    /// Ends the build: the value when there were no problems, else every problem in
    /// field declaration order.
    /// The outcomes hold the secret texts the load read, for its redactor: the
    /// caller redacts the error (and any other text made from the load) with it.
    pub(crate) fn finish(mut self, built: bool) -> (Result<(), Error>, Outcomes) {
        self.secret_texts.append(&mut self.listener.take_texts());
        let outcomes = Outcomes {
            layers: self.layers,
            leaves: if self.explain {
                self.leaves
            } else {
                Vec::new()
            },
            secret_texts: self.secret_texts,
            egress: None,
        };
        if built && self.problems.is_empty() {
            (Ok(()), outcomes)
        } else {
            let error = Error::new(self.plan.meta.name, self.problems.into_sorted());
            (Err(error), outcomes)
        }
    }
}
