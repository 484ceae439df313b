//! Picks each leaf's value: the highest layer that sets it wins; within one layer the
//! primary name wins over aliases, and disagreeing spellings, `NAME` with `NAME_FILE`,
//! or two secrets files with different contents are conflicts. Files are read only for
//! the layer that decides a leaf.

use std::cmp::Reverse;

use zeroize::Zeroizing;

use crate::build::outcome::{LeafOutcome, Record};
use crate::error::{
    self, Conflict, DeprecatedWinner, FileError, ProblemKind, Problems, SecretReference,
};
use crate::origin::Origin;
use crate::plan::{Leaf, Plan};
use crate::source::file::{read_raw, read_text};
use crate::source::{Hit, Layers, Raw};
use crate::value::parse::Input;

/// No hit: the end of a leaf's list.
const NONE: u32 = u32::MAX;

/// Resolves every leaf into its outcome: found (with its text), unset or failed; the
/// build goes on from there. Problems are pushed with their leaf's index + 1 (0 is for
/// problems that belong to no leaf), for ordering.
///
/// Hits are chained per leaf in one pass (no sort of the hits themselves); a leaf set
/// by one value, the common case, takes it without further work.
pub(crate) fn resolve(
    plan: &Plan,
    layers: &Layers,
    mut hits: Vec<Hit>,
    max_file_size: u64,
    problems: &mut Problems,
) -> Vec<LeafOutcome> {
    let leaves = plan.leaves.len();
    let mut out: Vec<LeafOutcome> = Vec::with_capacity(leaves);
    // head[leaf] is the first hit of a leaf, next[hit] the leaf's following hit, both
    // in the order the hits were found.
    let mut head = vec![NONE; leaves];
    let mut next = vec![NONE; hits.len()];
    for (i, hit) in hits.iter().enumerate().rev() {
        next[i] = head[hit.leaf];
        head[hit.leaf] = u32::try_from(i).expect("fewer than 4 billion hits");
    }
    let mut group: Vec<u32> = Vec::new();
    for (index, &first) in head.iter().enumerate() {
        let leaf = &plan.leaves[index];
        if first == NONE {
            out.push(LeafOutcome::unset());
            continue;
        }
        if next[first as usize] == NONE
            && let Some(value) = single(leaf, &mut hits[first as usize])
        {
            let refused = leaf.secret() && refuses_reference(leaf, index, layers, &value, problems);
            out.push(if refused {
                LeafOutcome::failed()
            } else {
                value
            });
            continue;
        }
        group.clear();
        let mut at = first;
        while at != NONE {
            group.push(at);
            at = next[at as usize];
        }
        let value = resolve_leaf(
            leaf,
            index,
            layers,
            &mut hits,
            &mut group,
            max_file_size,
            problems,
        );
        let refused = leaf.secret() && refuses_reference(leaf, index, layers, &value, problems);
        out.push(if refused {
            LeafOutcome::failed()
        } else {
            value
        });
    }
    out
}

/// A secret whose value is still a reference for a secret manager to resolve
/// (`op://`, `bw://`, `vault:`, `SECRET[...]`): the program was started without the CLI
/// that resolves it (`op run`, ...). A problem naming the setting; the value is never
/// used, nor shown. Whether `value`, the value of a secret, is refused as an unresolved reference.
fn refuses_reference(
    leaf: &Leaf,
    index: usize,
    layers: &Layers,
    value: &LeafOutcome,
    problems: &mut Problems,
) -> bool {
    let LeafOutcome {
        record: Record::Found(found),
        text: Some(Input::Text(text)),
        ..
    } = value
    else {
        return false;
    };
    let kind = if text.starts_with("op://") {
        SecretReference::OnePassword
    } else if text.starts_with("bw://") {
        SecretReference::Bitwarden
    } else if text.starts_with("vault:") {
        SecretReference::Vault
    } else if text.starts_with("SECRET[") && text.ends_with(']') {
        SecretReference::Bracketed
    } else {
        return false;
    };
    let origin = layers.origin(found);
    problems.leaf(
        index,
        leaf.problem(ProblemKind::Invalid, kind.sentence())
            .at(Some(origin)),
    );
    true
}

/// A leaf's only hit, taken directly when it is text that sets the leaf; `None` leaves
/// it to [`resolve_leaf`] (files to read, bad values, empty text).
fn single(leaf: &Leaf, hit: &mut Hit) -> Option<LeafOutcome> {
    if !sets(hit, leaf.field.allow_empty) {
        return None;
    }
    match &mut hit.raw {
        Raw::Text(text) => Some(LeafOutcome::found(
            Input::Text(std::mem::take(text)),
            std::mem::take(&mut hit.found),
        )),
        _ => None,
    }
}

/// The one "unset" rule: an empty value (text, bytes, a file's contents once trimmed, a
/// decrypted value) leaves its setting unset unless the field allows empty values
/// (`allow_empty`); `.env.example` says so to its readers.
fn empty_is_unset(value: &[u8], allow_empty: bool) -> bool {
    value.is_empty() && !allow_empty
}

/// Whether a hit sets its leaf, by [`empty_is_unset`]; an empty `NAME_FILE` path names
/// no file, so it never does.
fn sets(hit: &Hit, allow_empty: bool) -> bool {
    match &hit.raw {
        Raw::Text(t) => !empty_is_unset(t.as_bytes(), allow_empty),
        Raw::Bytes(b) => !empty_is_unset(b, allow_empty),
        Raw::Path { path, .. } => !empty_is_unset(path.as_os_str().as_encoded_bytes(), false),
        Raw::NotUtf8 | Raw::Broken(_) => true,
        #[cfg(feature = "dotenvx")]
        Raw::Encrypted(_) => true,
    }
}

/// A candidate after its file, if any, was read.
struct Candidate {
    hit: usize,
    text: Input,
    /// The file a `NAME_FILE` named.
    file: Option<std::path::PathBuf>,
}

fn resolve_leaf(
    leaf: &Leaf,
    index: usize,
    layers: &Layers,
    hits: &mut [Hit],
    group: &mut [u32],
    max_file_size: u64,
    problems: &mut Problems,
) -> LeafOutcome {
    let problem = |origin: Option<Origin>, kind, message| leaf.problem(kind, message).at(origin);
    // Highest layer first; within a layer the primary name first; ties in found order.
    group.sort_unstable_by_key(|&i| {
        let h = &hits[i as usize].found;
        (Reverse(h.layer), h.rank, i)
    });
    let allow_empty = leaf.field.allow_empty;
    let set = |h: &Hit| sets(h, allow_empty);
    let mut rest = &group[..];
    while let Some(&first) = rest.first() {
        let layer = hits[first as usize].found.layer;
        let n = rest
            .iter()
            .take_while(|&&i| hits[i as usize].found.layer == layer)
            .count();
        let (same_layer, tail) = rest.split_at(n);
        rest = tail;

        let Some(rank) = same_layer
            .iter()
            .map(|&i| &hits[i as usize])
            .filter(|h| set(h))
            .map(|h| h.found.rank)
            .min()
        else {
            continue;
        };
        let mut chosen: Vec<usize> = same_layer
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| hits[i].found.rank == rank && set(&hits[i]))
            .collect();
        // One name given twice in one layer (`set("port", ..)` twice): the later is used,
        // as a map keeps it. Only different spellings can disagree.
        let mut n = 0;
        while n < chosen.len() {
            let spelled = &hits[chosen[n]].found.spelled;
            if chosen[n + 1..]
                .iter()
                .any(|&later| hits[later].found.spelled == *spelled)
            {
                chosen.remove(n);
            } else {
                n += 1;
            }
        }

        let is_secrets_dir = layers.is_secrets_dir(layer);

        let mut candidates = Vec::with_capacity(chosen.len());
        for i in chosen {
            let hit = &mut hits[i];
            // An encrypted `NAME_FILE` path: decrypted here, then read as any path.
            #[cfg(feature = "dotenvx")]
            if hit.found.via_file && matches!(hit.raw, Raw::Encrypted(_)) {
                let Raw::Encrypted(sealed) = std::mem::replace(&mut hit.raw, Raw::NotUtf8) else {
                    unreachable!("matched above");
                };
                match sealed.open() {
                    Ok(path) => {
                        // Relative to its `.env` file's directory, as a plain one is.
                        let path = match layers.dotenv_of(hit.found.layer) {
                            Some(file) => crate::source::beside(file, &path),
                            None => path.as_str().into(),
                        };
                        hit.raw = Raw::Path {
                            path,
                            regular: false,
                        };
                    }
                    Err((kind, message)) => {
                        let origin = layers.origin(&hit.found);
                        problems.leaf(index, problem(Some(origin), kind, message));
                        return LeafOutcome::failed();
                    }
                }
            }
            let (text, file) = match std::mem::replace(&mut hit.raw, Raw::NotUtf8) {
                Raw::Text(text) => (Input::Text(text), None),
                Raw::Bytes(bytes) if leaf.bytes() => (Input::Bytes(bytes), None),
                Raw::Bytes(mut bytes) => match std::str::from_utf8(&bytes) {
                    Ok(_) => {
                        let text = String::from_utf8(std::mem::take(&mut *bytes))
                            .expect("checked as UTF-8 above");
                        (Input::Text(Zeroizing::new(text)), None)
                    }
                    Err(_) => {
                        let message = error::value_not_utf8(&hit.found.spelled);
                        let origin = layers.origin(&hit.found);
                        problems.leaf(index, problem(Some(origin), ProblemKind::Invalid, message));
                        return LeafOutcome::failed();
                    }
                },
                Raw::NotUtf8 => {
                    let message = error::value_not_utf8(&hit.found.spelled);
                    let origin = layers.origin(&hit.found);
                    problems.leaf(index, problem(Some(origin), ProblemKind::Invalid, message));
                    return LeafOutcome::failed();
                }
                Raw::Broken(err) => {
                    let origin = layers.origin(&hit.found);
                    problems.leaf(
                        index,
                        problem(Some(origin), ProblemKind::Unreadable, err.describe()),
                    );
                    return LeafOutcome::failed();
                }
                #[cfg(feature = "dotenvx")]
                Raw::Encrypted(sealed) => match sealed.open() {
                    Ok(text) if empty_is_unset(text.as_bytes(), allow_empty) => continue,
                    Ok(text) => (Input::Text(text), None),
                    Err((kind, message)) => {
                        let origin = layers.origin(&hit.found);
                        problems.leaf(index, problem(Some(origin), kind, message));
                        return LeafOutcome::failed();
                    }
                },
                Raw::Path { path, regular } => {
                    let read = if leaf.bytes() {
                        read_raw(&path, regular, max_file_size).map(Input::Bytes)
                    } else {
                        read_text(&path, regular, max_file_size).map(Input::Text)
                    };
                    // A secrets-directory entry is named by its own origin.
                    let file = (!is_secrets_dir).then_some(path);
                    match read {
                        Ok(text) if empty_is_unset(text.as_bytes(), allow_empty) => continue,
                        Ok(text) => (text, file),
                        Err(err) => {
                            // A concealed path (a `.env` substitution, a value over
                            // several lines, a decrypted value) may hold a secret: the
                            // problem names the variable, not the path. So may a
                            // secret's `NAME_FILE` that names no file: the key itself,
                            // pasted into the wrong variable.
                            let slip = leaf.secret()
                                && file.is_some()
                                && matches!(err, FileError::NotFound);
                            let file = file.map(|path| {
                                if slip {
                                    std::path::PathBuf::from(error::UNNAMED_PATH)
                                } else if hit.found.conceal {
                                    std::path::PathBuf::from(error::CONCEALED_PATH)
                                } else {
                                    path
                                }
                            });
                            let message = if slip {
                                let var = &hit.found.spelled;
                                let name = confidant_naming::strip_file_suffix(var).unwrap_or(var);
                                error::name_file_names_no_file(var, name)
                            } else {
                                err.describe()
                            };
                            let origin = layers.origin_with(&hit.found, file.as_deref());
                            problems.leaf(
                                index,
                                problem(Some(origin), ProblemKind::Unreadable, message),
                            );
                            return LeafOutcome::failed();
                        }
                    }
                }
            };
            candidates.push(Candidate { hit: i, text, file });
        }
        let Some(first) = candidates.first() else {
            continue;
        };
        // `NAME` with `NAME_FILE`, both set (an empty file is unset, so not counted).
        let direct = candidates.iter().find(|c| !hits[c.hit].found.via_file);
        let file = candidates.iter().find(|c| hits[c.hit].found.via_file);
        if let (false, Some(direct), Some(file)) = (is_secrets_dir, direct, file) {
            problems.leaf(
                index,
                problem(
                    Some(layers.origin_with(&hits[first.hit].found, None)),
                    ProblemKind::Conflict,
                    Conflict::DirectAndFile {
                        direct: &hits[direct.hit].found.spelled,
                        file: &hits[file.hit].found.spelled,
                    }
                    .sentence(),
                ),
            );
            return LeafOutcome::failed();
        }
        if let Some(other) = candidates
            .iter()
            .find(|c| c.text.as_bytes() != first.text.as_bytes())
        {
            let (first_name, other_name) = (
                layers.spelled(&hits[first.hit].found),
                layers.spelled(&hits[other.hit].found),
            );
            let conflict = if is_secrets_dir {
                Conflict::SecretsFiles {
                    first: &first_name,
                    other: &other_name,
                }
            } else {
                Conflict::Names {
                    first: &first_name,
                    other: &other_name,
                }
            };
            problems.leaf(
                index,
                problem(
                    Some(layers.origin_with(&hits[first.hit].found, first.file.as_deref())),
                    ProblemKind::Conflict,
                    conflict.sentence(),
                ),
            );
            return LeafOutcome::failed();
        }
        let Candidate { text, hit, file } = candidates.swap_remove(0);
        let mut found = std::mem::take(&mut hits[hit].found);
        found.file = file;
        return LeafOutcome::found(text, found);
    }
    LeafOutcome::unset()
}

/// Warnings for deprecated names that set a value: each names the current name, and
/// says so when a current name (or an override) is set too and wins. Looked at before
/// resolution, from the hits.
pub(crate) fn deprecated(
    plan: &Plan,
    layers: &Layers,
    hits: &[Hit],
    warnings: &mut crate::names::Warnings,
) {
    let sets = |h: &Hit| sets(h, plan.leaves[h.leaf].field.allow_empty);
    for hit in hits {
        let leaf = &plan.leaves[hit.leaf];
        if usize::from(hit.found.rank) < leaf.current || !sets(hit) {
            continue;
        }
        // A current name in the same or a higher layer wins over the deprecated one
        // (within a layer, every current name ranks before every deprecated one).
        let winner = hits.iter().find(|h| {
            h.leaf == hit.leaf
                && usize::from(h.found.rank) < leaf.current
                && h.found.layer >= hit.found.layer
                && sets(h)
        });
        let old = &hit.found.spelled;
        let new = leaf.env();
        let spelled;
        let winner = match winner {
            Some(w) if layers.is_override(w.found.layer) => DeprecatedWinner::Override,
            Some(w) => {
                spelled = layers.spelled(&w.found);
                DeprecatedWinner::Name(&spelled)
            }
            None => DeprecatedWinner::Nothing,
        };
        let message = error::deprecated_name(old, new, winner);
        warnings.leaf(
            hit.leaf,
            leaf.problem(ProblemKind::Deprecated, message)
                .spelled(old)
                .at(Some(layers.origin(&hit.found)))
                .warning(),
        );
    }
}
