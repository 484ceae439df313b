//! The process environment, or the map given to `Loader::env_vars`.

use std::ffi::OsString;

use zeroize::Zeroizing;

use super::{Found, Hit, Raw};
use crate::error::ProblemKind;
use crate::names::Warnings;
use crate::origin::Origin;
use crate::plan::{NameRef, Plan};

/// Up to this many names (each setting's names and their `_FILE` forms), a
/// `case_sensitive` load looks names up one by one instead of copying the whole
/// environment. Each lookup scans the environment, so past this point (about 30
/// settings) one snapshot is cheaper: see docs/performance.md.
pub(crate) const LOOKUP_MAX_NAMES: usize = 64;

/// Looks each of the plan's names up in the process environment (`case_sensitive`
/// only, where a name has exactly one spelling): cheaper than a snapshot of the whole
/// environment when the settings have fewer names than the environment has variables.
pub(crate) fn lookup(plan: &Plan, layer: usize, hits: &mut Vec<Hit>) {
    debug_assert!(plan.meta.case_sensitive);
    for (name, r) in &plan.env_list {
        if let Some(value) = std::env::var_os(&**name) {
            push(*r, String::from(&**name), value, layer, hits);
        }
    }
}

/// Turns environment entries into hits. Names that belong to no setting are skipped
/// without copying their values (those with the struct's prefix are warnings); values that are not UTF-8 are kept as a marker, never
/// as text, so they can be reported without being printed.
pub(crate) fn scan(
    plan: &Plan,
    vars: impl Iterator<Item = (OsString, OsString)>,
    layer: usize,
    hits: &mut Vec<Hit>,
    warnings: &mut crate::names::Warnings,
) {
    let mut buf = Vec::new();
    let first = hits.len();
    // Which leaves this layer has set: only a leaf set before can have a name given twice,
    // so the earlier hits are searched for those alone (not for every variable).
    let mut seen = vec![false; plan.leaves.len()];
    for (name, value) in vars {
        let Some(r) = setting_of(plan, &name, &mut buf, warnings) else {
            continue;
        };
        // The plan's names are UTF-8, so a name that matched one is too: moved, not copied.
        let Ok(name) = name.into_string() else {
            continue;
        };
        push(r, name, value, layer, hits);
        if std::mem::replace(&mut seen[r.leaf], true) {
            given_twice(plan, first, hits, warnings);
        }
    }
}

/// The name of the hit pushed last given before in this layer (`env_vars` with one
/// name twice; a map would keep the later): the earlier is dropped (and wiped), and
/// when the two values differ that is a warning, not a conflict of two spellings.
fn given_twice(plan: &Plan, first: usize, hits: &mut Vec<Hit>, warnings: &mut Warnings) {
    let last = hits.len() - 1;
    let (earlier, latest) = hits[first..].split_at(last - first);
    let latest = &latest[0];
    let Some(i) = earlier
        .iter()
        .position(|h| h.leaf == latest.leaf && h.found.spelled == latest.found.spelled)
    else {
        return;
    };
    let same = match (&earlier[i].raw, &latest.raw) {
        (Raw::Text(a), Raw::Text(b)) => a == b,
        (Raw::Path { path: a, .. }, Raw::Path { path: b, .. }) => a == b,
        _ => false,
    };
    if !same {
        let leaf = &plan.leaves[latest.leaf];
        let name = &latest.found.spelled;
        warnings.leaf(
            latest.leaf,
            leaf.problem(ProblemKind::Conflict, crate::error::GIVEN_TWICE.to_owned())
                .spelled(name)
                .at(Some(Origin::Environment))
                .warning(),
        );
    }
    hits.remove(first + i);
}

/// Warns of the environment's unknown names: for a load that looked its names up one
/// by one and failed. Values are skipped unread.
pub(crate) fn unknown_names(
    plan: &Plan,
    vars: impl Iterator<Item = (OsString, OsString)>,
    warnings: &mut crate::names::Warnings,
) {
    let mut buf = Vec::new();
    for (name, value) in vars {
        drop(Zeroizing::new(value.into_encoded_bytes()));
        setting_of(plan, &name, &mut buf, warnings);
    }
}

/// What an environment name sets; a name that sets nothing is handed to the unknown-name
/// warnings.
#[inline]
fn setting_of(
    plan: &Plan,
    name: &OsString,
    buf: &mut Vec<u8>,
    warnings: &mut crate::names::Warnings,
) -> Option<NameRef> {
    let found = plan.env_ref(name.as_encoded_bytes(), buf);
    if found.is_none() {
        crate::names::env_var(plan, name.as_encoded_bytes(), warnings);
    }
    found
}

fn push(r: NameRef, name: String, value: OsString, layer: usize, hits: &mut Vec<Hit>) {
    let raw = match value.into_string() {
        Ok(text) if r.file => Raw::Path {
            path: text.into(),
            regular: false,
        },
        Ok(text) => Raw::Text(Zeroizing::new(text)),
        Err(not_utf8) => {
            drop(Zeroizing::new(not_utf8.into_encoded_bytes()));
            Raw::NotUtf8
        }
    };
    hits.push(Hit {
        leaf: r.leaf,
        raw,
        found: Found::named(layer, r, name),
    });
}
