//! The crate-internal side of [`Source`](super::Source): what a source is asked, what
//! it answers, and the helpers every source shares.

use zeroize::Zeroizing;

use std::ffi::{OsStr, OsString};

/// What a source is asked for.
pub struct Ctx<'a> {
    /// The environment the loader uses.
    pub env: Env<'a>,
    /// The primary environment name of every setting, in declaration order.
    pub names: Vec<&'a str>,
}

/// A value a source returned.
pub enum Value {
    /// Text.
    Text(Zeroizing<String>),
    /// Bytes (a binary secret).
    #[cfg_attr(not(feature = "aws"), allow(dead_code))]
    Bytes(Zeroizing<Vec<u8>>),
}

impl Value {
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Value::Text(t) => t.as_bytes(),
            Value::Bytes(b) => b,
        }
    }
}

/// One key of a source's answer.
pub struct Entry {
    /// The key as the source spells it (`db__password`, `db/password`,
    /// `APP_DB__PASSWORD`).
    pub key: String,
    pub value: Value,
    /// Where it is, for its origin: `vault secret/myapp/prod#db__password (v3)`.
    pub place: String,
    /// For a source of several secrets read in order (later wins): the secret's
    /// place in that order. A setting keeps only the hits of its highest group, so
    /// two secrets may set one setting without a conflict.
    pub group: usize,
}

/// A source's answer.
#[derive(Default)]
pub struct Fetched {
    pub entries: Vec<Entry>,
    /// Problems with single keys (an `error` of the exec protocol), already redacted.
    pub problems: Vec<String>,
    /// Warnings (a program's stderr lines), already redacted.
    pub warnings: Vec<String>,
}

/// Why a source gave no answer; the message is already redacted and names no value.
#[derive(Debug)]
pub enum Failure {
    /// The server could not be reached (or the program not run).
    Unreachable(String),
    /// The secret does not exist (404, `ResourceNotFoundException`).
    NotFound(String),
    /// The credentials were refused (401, 403): never optional.
    Denied(String),
    /// Anything else (a malformed answer, a server error).
    Other(String),
}

impl Failure {
    pub fn message(&self) -> &str {
        match self {
            Failure::Unreachable(m)
            | Failure::NotFound(m)
            | Failure::Denied(m)
            | Failure::Other(m) => m,
        }
    }
}

/// The environment a load uses: the loader's `env_vars`, or the process environment
/// (only read).
#[derive(Clone, Copy)]
pub struct Env<'a>(Option<&'a [(OsString, OsString)]>);

impl<'a> Env<'a> {
    pub fn new(vars: Option<&'a [(OsString, OsString)]>) -> Self {
        Env(vars)
    }

    /// A variable's value, when set and UTF-8 (the last one given wins, as the
    /// environment's would).
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match self.0 {
            Some(vars) => vars
                .iter()
                .rev()
                .find(|(k, _)| k == OsStr::new(name))
                .map(|(_, v)| v.clone()),
            None => std::env::var_os(name),
        };
        value.and_then(|v| v.into_string().ok())
    }

    /// A variable's value as [`get`](Env::get), empty counting as unset, wiped after use.
    pub fn secret(&self, name: &str) -> Option<Zeroizing<String>> {
        self.get(name).filter(|v| !v.is_empty()).map(Zeroizing::new)
    }

    /// The variables given to `env_vars`, when the loader was given some.
    pub fn given(&self) -> Option<&'a [(OsString, OsString)]> {
        self.0
    }
}

/// The crate-internal methods of a remote source.
pub trait Fetch {
    /// The source as a whole, for origins and problems: `vault secret/myapp/prod`.
    fn describe(&self) -> String;
    /// A source that cannot be reached or does not exist is a warning, not a problem.
    fn is_optional(&self) -> bool {
        false
    }
    /// One load's values: one round trip (besides logging in and paging).
    fn fetch(&self, ctx: &Ctx<'_>) -> Result<Fetched, Failure>;
    /// A cheap version of what `fetch` would read (metadata, not data), for
    /// `watch`: `None` when the source has no such probe (then every check fetches).
    fn probe(&self, _ctx: &Ctx<'_>) -> Result<Option<String>, Failure> {
        Ok(None)
    }
}

/// A redactor of the values a source returned (and its credentials), for the messages
/// it passes on.
pub(crate) fn redactor<'v>(values: impl IntoIterator<Item = &'v [u8]>) -> crate::redact::Redactor {
    crate::redact::Redactor::new(values)
}

/// `text` with its control characters escaped (`\n`, `\u{1b}`): a message from a
/// server or a program cannot forge an output line.
pub(crate) fn escape_controls(text: &str) -> String {
    crate::redact::escape_controls(text).into_owned()
}
