//! Warnings about names: environment variables, `.env` keys and secrets-directory files
//! that look like ours but set nothing (with a `did you mean` when a setting's name is
//! close), and `deprecated` names that are set.
//!
//! Warnings are pushed with an order key like problems: a deprecated name sorts with its
//! leaf (declaration order), unknown names after every leaf, in the order found (secrets
//! directories, `.env` files, then the environment sorted by name). They never hold a
//! value: only names, paths and line numbers.

use std::path::Path;

use crate::error::{EntryIn, Problem, ProblemKind};
use crate::origin::Origin;
use crate::plan::{Node, Plan, Section};

/// A warning with its order key.
pub(crate) type Warnings = crate::error::Problems;

/// Whether `name` starts with the struct's prefix (by the struct's case rule); never
/// with an empty prefix: then nothing can be told to be ours.
fn has_prefix(plan: &Plan, name: &[u8]) -> bool {
    let prefix = plan.meta.prefix;
    if prefix.is_empty() || name.len() < prefix.len() {
        return false;
    }
    let same = |a: &[u8], b: &[u8]| {
        if plan.meta.case_sensitive {
            a == b
        } else {
            a.eq_ignore_ascii_case(b)
        }
    };
    // The variable naming the profile (`profile_env`) is read, so it is no stranger.
    if plan
        .meta
        .profile_env
        .is_some_and(|var| same(name, var.as_bytes()))
    {
        return false;
    }
    // Names the program reads itself (`ignore_env`): no strangers either.
    let ignored = |pattern: &&str| match pattern.strip_suffix('*') {
        Some(start) => name.len() >= start.len() && same(&name[..start.len()], start.as_bytes()),
        None => same(name, pattern.as_bytes()),
    };
    if plan.meta.ignore_env.iter().any(ignored) {
        return false;
    }
    same(&name[..prefix.len()], prefix.as_bytes())
}

/// An environment variable that set nothing (the caller looked it up already).
/// A name that is not UTF-8 is shown lossily (it is a name, never a value).
pub(crate) fn env_var(plan: &Plan, name: &[u8], warnings: &mut Warnings) {
    if has_prefix(plan, name) {
        let name = String::from_utf8_lossy(name);
        push_unknown(plan, &name, Origin::Environment, warnings);
    }
}

/// A `.env` key that set nothing (the caller looked it up already). `line` is asked
/// for only when the key is ours: a shared `.env`'s other keys cost nothing.
pub(crate) fn dotenv_key(
    plan: &Plan,
    key: &str,
    path: &Path,
    line: impl FnOnce() -> usize,
    warnings: &mut Warnings,
) {
    if has_prefix(plan, key.as_bytes()) {
        let origin = Origin::Dotenv {
            path: path.to_owned(),
            line: line(),
            encrypted: false,
        };
        push_unknown(plan, key, origin, warnings);
    }
}

fn push_unknown(plan: &Plan, name: &str, origin: Origin, warnings: &mut Warnings) {
    let near = suggest_env(plan, name);
    warn_unknown(
        plan,
        name,
        origin,
        crate::error::SETS_NO_SETTING.to_owned(),
        near,
        warnings,
    );
}

/// The warning for a name that sets nothing, with `did you mean` when one is close.
fn warn_unknown(
    plan: &Plan,
    name: &str,
    origin: Origin,
    message: String,
    near: Option<String>,
    warnings: &mut Warnings,
) {
    let message = crate::error::did_you_mean(message, near.as_deref());
    warnings.after_leaves(
        plan.leaves.len(),
        Problem::of_name(name, ProblemKind::Unknown, message)
            .at(Some(origin))
            .warning(),
    );
}

/// A config file's key (dotted, as written) that names no setting, with `did you mean`
/// the closest setting's dotted path (or nested section).
pub(crate) fn config_key(plan: &Plan, written: &str, origin: Origin, warnings: &mut Warnings) {
    let mut candidates: Vec<&str> = Vec::new();
    key_paths(plan, plan.top(), &mut candidates);
    let upper = written.to_ascii_uppercase();
    let near = closest(
        &upper,
        candidates.into_iter().map(|c| (c.to_ascii_uppercase(), c)),
    )
    .map(|(_, near)| near);
    warn_unknown(
        plan,
        written,
        origin,
        crate::error::words::CONFIG_UNKNOWN.to_owned(),
        near,
        warnings,
    );
}

/// Every dotted path a config file's key may name, in declaration order: each setting's,
/// and each nested struct's that holds settings, before its own.
fn key_paths<'p>(plan: &'p Plan, section: &'p Section, out: &mut Vec<&'p str>) {
    for &node in &section.children {
        match node {
            Node::Leaf(index) => out.push(&plan.leaves[index].path),
            Node::Section(index) => {
                let nested = &plan.sections[index];
                if !nested.leaves.is_empty() {
                    out.push(&nested.path);
                }
                key_paths(plan, nested, out);
            }
        }
    }
}

/// A config file's key that names a nested struct but holds a value (`db = 5`).
pub(crate) fn config_section(plan: &Plan, written: &str, origin: Origin, warnings: &mut Warnings) {
    let message = crate::error::words::config_section(written);
    warn_unknown(plan, written, origin, message, None, warnings);
}

/// An entry of a secrets directory (or of one of its subdirectories for nested
/// settings, `key_prefix` = `DB__`) that names no setting. Kubernetes' `..` entries and
/// hidden files are not settings and are skipped by the caller and here.
pub(crate) fn secrets_entry(
    plan: &Plan,
    shown_path: &Path,
    file_name: &str,
    key_prefix: &str,
    warnings: &mut Warnings,
) {
    if file_name.starts_with('.') {
        return;
    }
    let key = confidant_naming::env_name(key_prefix, file_name);
    let (message, near) = match deprecated_file(plan, &key) {
        Some(leaf) => (
            crate::error::deprecated_entry(EntryIn::SecretsDir, &leaf),
            None,
        ),
        None => (
            crate::error::NAMES_NO_SETTING.to_owned(),
            suggest_file(
                plan,
                &key,
                !key_prefix.is_empty(),
                file_name.bytes().any(|b| b.is_ascii_lowercase()),
            ),
        ),
    };
    let origin = Origin::SecretsFile {
        path: shown_path.to_owned(),
    };
    warn_unknown(plan, file_name, origin, message, near, warnings);
}

/// A key of a remote source that names no setting: `key` as the source spells it,
/// `upper` as the secrets-file index does (`DB__PASSWORD`).
pub(crate) fn remote_key(
    plan: &Plan,
    key: &str,
    upper: &str,
    origin: Origin,
    warnings: &mut Warnings,
) {
    let (message, near) = match deprecated_file(plan, upper) {
        Some(leaf) => (
            crate::error::deprecated_entry(EntryIn::RemoteSource, &leaf),
            None,
        ),
        None => (
            crate::error::NAMES_NO_SETTING.to_owned(),
            suggest_file(
                plan,
                upper,
                key.contains('/'),
                key.bytes().any(|b| b.is_ascii_lowercase()),
            ),
        ),
    };
    warn_unknown(plan, key, origin, message, near, warnings);
}

/// The current name of the leaf whose deprecated name `key` (upper-case) is.
fn deprecated_file(plan: &Plan, key: &str) -> Option<String> {
    plan.leaves.iter().find_map(|leaf| {
        leaf.names[leaf.current..]
            .iter()
            .any(|n| n.eq_ignore_ascii_case(key))
            .then(|| leaf.env().to_owned())
    })
}

/// The distance between two upper-cased names: 0 when they differ only in `_` vs `__`
/// (or case), else the optimal string alignment distance (a transposition counts 1).
fn distance(a: &str, b: &str) -> usize {
    if collapse(a) == collapse(b) {
        0
    } else {
        strsim::osa_distance(a, b)
    }
}

/// A name with each run of `_` made one.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    out
}

/// How far a name may be from a setting's name to be suggested.
fn close_enough(d: usize, candidate: &str) -> bool {
    d <= (candidate.len() / 4).clamp(1, 3)
}

/// Whether `name` cannot be close to `candidate`: their lengths differ by more than
/// the distance allowed (which the edit distance is at least), and they are not the
/// same but for `_` vs `__`. Cheaper than the distance, which an environment of
/// thousands of unknown names would compute for every setting.
fn too_far(name: &str, candidate: &str) -> bool {
    !close_enough(name.len().abs_diff(candidate.len()), candidate)
        && collapse(name) != collapse(candidate)
}

/// The closest candidate to `name` (upper-cased) among `candidates` (upper-cased name,
/// name as shown), first in declaration order on ties.
fn closest<'c, U: AsRef<str>>(
    name: &str,
    candidates: impl Iterator<Item = (U, &'c str)>,
) -> Option<(usize, String)> {
    let mut best: Option<(usize, String)> = None;
    for (upper, shown) in candidates {
        let upper = upper.as_ref();
        if too_far(name, upper) {
            continue;
        }
        let d = distance(name, upper);
        if close_enough(d, upper) && best.as_ref().is_none_or(|(b, _)| d < *b) {
            best = Some((d, shown.to_owned()));
        }
    }
    best
}

/// The setting name closest to an environment or `.env` name, also through the
/// `NAME_FILE` form: a name ending in `_FILE` is matched against the settings' names by
/// its stem, and one whose last word is nearly `FILE` against their `NAME_FILE` forms
/// (`APP_KEY_FIEL`).
pub(crate) fn suggest_env(plan: &Plan, name: &str) -> Option<String> {
    let name = name.to_ascii_uppercase();
    let current: Vec<(String, &str)> = plan
        .leaves
        .iter()
        .flat_map(|leaf| leaf.names[..leaf.current].iter())
        .map(|n| (n.to_ascii_uppercase(), n.as_str()))
        .collect();
    let names = || {
        current
            .iter()
            .map(|(upper, shown)| (upper.as_str(), *shown))
    };
    let plain = closest(&name, names());
    let stem = confidant_naming::strip_file_suffix(&name)
        .and_then(|stem| closest(stem, names()))
        .map(|(d, n)| (d, confidant_naming::file_name(&n)));
    // A misspelled suffix (`_FIEL`, `_FLIE`, `_FILES`): compared with the `_FILE` forms.
    let misspelled_suffix = stem.is_none()
        && name
            .rsplit_once('_')
            .is_some_and(|(_, last)| strsim::osa_distance(last, "FILE") <= 2);
    let form = misspelled_suffix
        .then(|| {
            let forms: Vec<(String, String)> = names()
                .map(|(upper, shown)| {
                    (
                        confidant_naming::file_name(upper),
                        confidant_naming::file_name(shown),
                    )
                })
                .collect();
            closest(&name, forms.iter().map(|(u, s)| (u.as_str(), s.as_str())))
        })
        .flatten();
    // The nearest; on a tie, the setting's own name, then a `_FILE` form.
    [plain, stem, form]
        .into_iter()
        .flatten()
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// The problem of a `set(key, ..)` whose key names no setting, with `did you mean` the
/// closest setting's dotted path (`set("prot", ..)`: `port`).
pub(crate) fn unknown_override(plan: &Plan, key: &str) -> Problem {
    let upper = key.to_ascii_uppercase();
    let near = closest(
        &upper,
        plan.leaves
            .iter()
            .map(|leaf| (leaf.path.to_ascii_uppercase(), leaf.path.as_str())),
    )
    .map(|(_, path)| path);
    Problem::of_path(
        key,
        ProblemKind::Unknown,
        crate::error::unknown_override(key, near.as_deref()),
    )
    .at(Some(Origin::Override))
}

/// The setting file name closest to a secrets-directory key (upper-case, nested
/// levels joined with `__`), spelled as the file would be: the env name, or the key
/// path (`db__password`, or `db/password` inside a subdirectory). On a tie, a file
/// named in lower case is pointed at the key path, one in upper case at the env name.
fn suggest_file(plan: &Plan, key: &str, in_subdir: bool, lower: bool) -> Option<String> {
    let mut env_names: Vec<(String, String)> = Vec::new();
    let mut key_paths: Vec<(String, String)> = Vec::new();
    for leaf in &plan.leaves {
        for name in &leaf.names[..leaf.current] {
            env_names.push((name.to_ascii_uppercase(), name.clone()));
        }
        let key_file = leaf.key_file_name();
        let shown = if in_subdir {
            leaf.path.replace('.', "/")
        } else {
            key_file.clone()
        };
        key_paths.push((key_file.to_ascii_uppercase(), shown));
    }
    let candidates = if lower {
        [key_paths, env_names].concat()
    } else {
        [env_names, key_paths].concat()
    };
    closest(
        key,
        candidates.iter().map(|(u, s)| (u.as_str(), s.as_str())),
    )
    .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underscore_slips_and_case_are_free() {
        assert_eq!(distance("APP_DB_PORT", "APP_DB__PORT"), 0);
        assert_eq!(distance("APP_DBPORT", "APP_DB__PORT"), 2);
        assert_eq!(distance("APP_PROT", "APP_PORT"), 1);
    }

    #[test]
    fn far_names_are_not_close() {
        assert!(!close_enough(
            distance("APP_LOG", "APP_DB__PORT"),
            "APP_DB__PORT"
        ));
        assert!(close_enough(1, "APP_N"));
        assert!(!close_enough(4, "APP_OPENAI_API_KEY"));
    }
}
