//! Remote sources: secret managers read at load time, each a layer at the rank of the
//! secrets directories ([`Loader::source`](crate::Loader::source), in call order).
//!
//! A remote source is read like a secrets directory that lives in a server: its keys
//! are named like secrets-directory files (`APP_DB__PASSWORD`, `db__password` or
//! `db/password`, any case); a key that names no setting is a warning; two keys for one
//! setting that disagree are a conflict. Every source is fail-closed: a source that
//! cannot be reached, refuses the credentials or lacks its secret is a problem naming the
//! source, never a fall back to a lower layer or a default. [`Exec`] runs any program
//! (vector's exec protocol v1) and is always available;
#![cfg_attr(feature = "vault", doc = "[`Vault`] (feature `vault`)")]
#![cfg_attr(not(feature = "vault"), doc = "`Vault` (feature `vault`)")]
//! reads HashiCorp Vault's or OpenBao's KV version 2;
#![cfg_attr(
    feature = "aws",
    doc = "[`AwsSecretsManager`] and [`AwsParameterStore`] (feature `aws`)"
)]
#![cfg_attr(
    not(feature = "aws"),
    doc = "`AwsSecretsManager` and `AwsParameterStore` (feature `aws`)"
)]
//! read AWS, every request signed with SigV4. A watch re-checks each source's version
//! every [`Loader::remote_interval`](crate::Loader::remote_interval).
//!
//! Values travel in zeroizing buffers from the response to the setting; tokens, keys and
//! response bodies never appear in any `Debug`, and a server's or program's message is
//! shown only after the values that source returned were redacted from it.
//!
//! ```
//! use confidant::{ExposeSecret, Secret, Settings};
//! use confidant::remote::Exec;
//!
//! #[derive(Debug, Settings)]
//! #[settings(prefix = "APP_")]
//! struct Config {
//!     api_key: Secret<String>,
//! }
//!
//! # #[cfg(unix)] {
//! // A program that answers the exec protocol: here, a shell one-liner.
//! let fetch = Exec::new([
//!     "sh",
//!     "-c",
//!     r#"cat >/dev/null; echo '{"APP_API_KEY": {"value": "k-0123456789abcdef", "error": null}}'"#,
//! ]);
//! let cfg = Config::loader().env_vars([("HOME", "/nonexistent")]).no_dotenv().source(fetch).load()?;
//! assert_eq!(cfg.api_key.expose_secret(), "k-0123456789abcdef");
//! # }
//! # Ok::<(), confidant::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use super::{Found, Hit, Layer, Layers, Raw};
use crate::error::{Problem, ProblemKind, Problems};
use crate::origin::Origin;
use crate::plan::Plan;

#[cfg(feature = "aws")]
mod aws;
mod exec;
#[cfg(any(feature = "vault", feature = "aws"))]
mod http;
mod refresh;
#[cfg(feature = "vault")]
mod vault;

#[cfg(feature = "aws")]
pub use aws::{AwsParameterStore, AwsSecretsManager};
pub use exec::Exec;
#[cfg(feature = "vault")]
pub use vault::{Vault, VaultAuth};

/// A remote source for [`Loader::source`](crate::Loader::source): [`Exec`], or with
/// their features `Vault`, `AwsSecretsManager`, `AwsParameterStore`. The trait is
/// sealed: its methods are the crate's own.
///
/// ```
/// fn takes_source(_: impl confidant::remote::Source) {}
/// takes_source(confidant::remote::Exec::new(["fetch-secrets"]));
/// ```
pub trait Source: fetch::Fetch + fmt::Debug + Send + Sync + 'static {}

impl<T: fetch::Fetch + fmt::Debug + Send + Sync + 'static> Source for T {}

/// The sources of one loader, shared by its clones (a `Watch` reloads with a clone).
pub(crate) type Sources = Vec<Arc<dyn Source>>;

pub(crate) use fetch::Env;
pub(crate) use refresh::{Check, DEFAULT_REMOTE_INTERVAL, Refresh};

pub(crate) mod fetch {
    //! The crate-internal side of [`Source`](super::Source).

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
}

/// Reads every remote source into hits, one layer each, in call order.
pub(crate) fn scan(
    plan: &Plan,
    sources: &Sources,
    env: Env<'_>,
    layers: &mut Layers,
    hits: &mut Vec<Hit>,
    problems: &mut Problems,
    warnings: &mut crate::unknown::Warnings,
) {
    if sources.is_empty() {
        return;
    }
    let ctx = fetch::Ctx {
        env,
        names: plan.leaves.iter().map(|leaf| leaf.env()).collect(),
    };
    for source in sources {
        let name = source.describe();
        let whole = Origin::Remote {
            source: name.clone(),
            place: name.clone(),
        };
        let fetched = match source.fetch(&ctx) {
            Ok(fetched) => fetched,
            Err(failure) => {
                let optional = source.is_optional()
                    && matches!(
                        failure,
                        fetch::Failure::Unreachable(_) | fetch::Failure::NotFound(_)
                    );
                let problem =
                    Problem::of_source(ProblemKind::Unreadable, failure.message().to_owned())
                        .at(Some(whole));
                if optional {
                    warnings.source(problem.warning());
                } else {
                    problems.source(problem);
                }
                continue;
            }
        };
        for message in fetched.problems {
            problems.source(
                Problem::of_source(ProblemKind::Unreadable, message).at(Some(whole.clone())),
            );
        }
        for message in fetched.warnings {
            warnings.source(
                Problem::of_source(ProblemKind::Unreadable, message)
                    .at(Some(whole.clone()))
                    .warning(),
            );
        }
        let mut places = Vec::with_capacity(fetched.entries.len());
        let layer_at = layers.len();
        let first_hit = hits.len();
        let mut groups = Vec::with_capacity(fetched.entries.len());
        for entry in fetched.entries {
            let key = file_key(&entry.key);
            let at = places.len();
            let origin = Origin::Remote {
                source: name.clone(),
                place: entry.place.clone(),
            };
            places.push(entry.place);
            let Some(&leaf) = plan.file_names.get(key.as_str()) else {
                crate::unknown::remote_key(plan, &entry.key, &key, origin, warnings);
                continue;
            };
            let raw = match entry.value {
                fetch::Value::Text(text) => Raw::Text(text),
                fetch::Value::Bytes(bytes) => Raw::Bytes(bytes),
            };
            groups.push(entry.group);
            hits.push(Hit {
                leaf,
                raw,
                found: Found {
                    layer: layer_at,
                    at,
                    spelled: entry.key,
                    ..Found::default()
                },
            });
        }
        later_wins(&groups, hits, first_hit);
        layers.push(Layer::Remote {
            source: name,
            places,
        });
    }
}

/// Within one source of several secrets, a setting keeps only the hits of the latest
/// secret that sets it (`hits[first..]` are this source's, `groups` their secrets).
fn later_wins(groups: &[usize], hits: &mut Vec<Hit>, first: usize) {
    if groups.iter().all(|&g| g == 0) {
        return;
    }
    let mut latest: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (hit, &group) in hits[first..].iter().zip(groups.iter()) {
        let entry = latest.entry(hit.leaf).or_insert(group);
        *entry = (*entry).max(group);
    }
    let mut index = 0;
    let mut i = first;
    while i < hits.len() {
        if groups[index] < latest[&hits[i].leaf] {
            hits.remove(i);
        } else {
            i += 1;
        }
        index += 1;
    }
}

/// A key as the secrets-file index spells it: upper case, `/` as `__`.
fn file_key(key: &str) -> String {
    key.trim_matches('/')
        .replace('/', "__")
        .to_ascii_uppercase()
}

/// A redactor of the values a source returned (and its credentials), for the messages
/// it passes on.
pub(crate) fn redactor<'v>(values: impl IntoIterator<Item = &'v [u8]>) -> crate::Redactor {
    crate::Redactor::new(values)
}

/// `text` with its control characters escaped (`\n`, `\u{1b}`): a message from a
/// server or a program cannot forge an output line.
pub(crate) fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}
