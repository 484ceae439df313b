//! The process environment, or the map given to `Loader::env_vars`.

use std::ffi::OsString;

use zeroize::Zeroizing;

use super::{Hit, Raw};
use crate::origin::Origin;
use crate::plan::Plan;

/// Turns environment entries into hits. Names that belong to no setting are skipped
/// without copying their values; values that are not UTF-8 are kept as a marker, never
/// as text, so they can be reported without being printed.
pub(crate) fn scan(
    plan: &Plan,
    vars: impl Iterator<Item = (OsString, OsString)>,
    layer: usize,
    hits: &mut Vec<Hit>,
) {
    let mut buf = String::new();
    for (name, value) in vars {
        let Some(name) = name.to_str() else { continue };
        let Some(r) = plan.env_ref(name, &mut buf) else {
            continue;
        };
        let raw = match value.into_string() {
            Ok(text) => Raw::Text(Zeroizing::new(text)),
            Err(not_utf8) => {
                drop(Zeroizing::new(not_utf8.into_encoded_bytes()));
                Raw::NotUtf8
            }
        };
        let raw = match raw {
            Raw::Text(path) if r.file => Raw::Path(path.as_str().into()),
            other => other,
        };
        hits.push(Hit {
            leaf: r.leaf,
            layer,
            rank: r.rank,
            via_file: r.file,
            spelled: name.to_owned(),
            raw,
            origin: Origin::Environment,
        });
    }
}
