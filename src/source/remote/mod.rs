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

pub(crate) mod fetch;

/// Reads every remote source into hits, one layer each, in call order.
pub(crate) fn scan(
    plan: &Plan,
    sources: &Sources,
    env: Env<'_>,
    layers: &mut Layers,
    hits: &mut Vec<Hit>,
    problems: &mut Problems,
    warnings: &mut crate::names::Warnings,
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
                crate::names::remote_key(plan, &entry.key, &key, origin, warnings);
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
