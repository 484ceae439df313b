//! Picks each leaf's value: the highest layer that sets it wins; within one layer the
//! primary name wins over aliases, and disagreeing spellings, `NAME` with `NAME_FILE`,
//! or two secrets files with different contents are conflicts. Files are read only for
//! the layer that decides a leaf.

use std::cmp::Reverse;

use zeroize::Zeroizing;

use crate::error::{Problem, ProblemKind};
use crate::origin::Origin;
use crate::plan::{Leaf, Plan};
use crate::source::file::read_text;
use crate::source::{Hit, Raw};

/// A leaf's value after resolution.
pub(crate) enum Resolved {
    /// No layer sets it.
    Unset,
    /// A problem was recorded; the leaf has no value and is not reported missing.
    Failed,
    /// The winning text, where it came from, and the name that set it.
    Value {
        text: Zeroizing<String>,
        origin: Origin,
        name: String,
    },
}

/// Resolves every leaf. Problems are pushed with their leaf's index + 1 (0 is for
/// problems that belong to no leaf), for ordering.
pub(crate) fn resolve(
    plan: &Plan,
    mut hits: Vec<Hit>,
    max_file_size: u64,
    problems: &mut Vec<(usize, Problem)>,
) -> Vec<Resolved> {
    let mut out: Vec<Resolved> = (0..plan.leaves.len()).map(|_| Resolved::Unset).collect();
    hits.sort_by_key(|h| (h.leaf, Reverse(h.layer), h.rank));
    let mut rest = hits.as_mut_slice();
    while let Some(first) = rest.first() {
        let leaf = first.leaf;
        let n = rest.iter().take_while(|h| h.leaf == leaf).count();
        let (group, tail) = rest.split_at_mut(n);
        rest = tail;
        out[leaf] = resolve_leaf(&plan.leaves[leaf], leaf, group, max_file_size, problems);
    }
    out
}

/// A candidate after its file, if any, was read.
struct Candidate<'h> {
    hit: &'h Hit,
    text: Zeroizing<String>,
    origin: Origin,
}

fn resolve_leaf(
    leaf: &Leaf,
    index: usize,
    group: &mut [Hit],
    max_file_size: u64,
    problems: &mut Vec<(usize, Problem)>,
) -> Resolved {
    let problem = |origin: Option<Origin>, kind, message| {
        (
            index + 1,
            Problem::new(
                leaf.path.clone(),
                leaf.env().to_owned(),
                origin,
                kind,
                message,
            ),
        )
    };
    let allow_empty = leaf.field.allow_empty;
    let mut rest = &mut group[..];
    while let Some(first) = rest.first() {
        let layer = first.layer;
        let n = rest.iter().take_while(|h| h.layer == layer).count();
        let (same_layer, tail) = rest.split_at_mut(n);
        rest = tail;

        let set = |h: &Hit| match &h.raw {
            Raw::Text(t) => allow_empty || !t.is_empty(),
            Raw::Path(p) => !p.as_os_str().is_empty(),
            Raw::NotUtf8 | Raw::Broken(_) => true,
        };
        let Some(rank) = same_layer.iter().filter(|h| set(h)).map(|h| h.rank).min() else {
            continue;
        };
        let chosen: Vec<&mut Hit> = same_layer
            .iter_mut()
            .filter(|h| h.rank == rank && set(h))
            .collect();

        let is_secrets_dir = matches!(chosen[0].origin, Origin::SecretsFile { .. });
        if !is_secrets_dir
            && chosen.iter().any(|h| h.via_file)
            && chosen.iter().any(|h| !h.via_file)
        {
            let direct = chosen
                .iter()
                .find(|h| !h.via_file)
                .map_or("", |h| h.spelled.as_str());
            let file = chosen
                .iter()
                .find(|h| h.via_file)
                .map_or("", |h| h.spelled.as_str());
            problems.push(problem(
                Some(chosen[0].origin.clone()),
                ProblemKind::Conflict,
                format!("both {direct} and {file} are set; keep one of them"),
            ));
            return Resolved::Failed;
        }

        let mut candidates = Vec::with_capacity(chosen.len());
        for hit in chosen {
            let (text, origin) = match std::mem::replace(&mut hit.raw, Raw::NotUtf8) {
                Raw::Text(text) => (text, hit.origin.clone()),
                Raw::NotUtf8 => {
                    problems.push(problem(
                        Some(hit.origin.clone()),
                        ProblemKind::Invalid,
                        format!(
                            "the value of {} is not valid UTF-8 (not shown)",
                            hit.spelled
                        ),
                    ));
                    return Resolved::Failed;
                }
                Raw::Broken(err) => {
                    problems.push(problem(
                        Some(hit.origin.clone()),
                        ProblemKind::Unreadable,
                        err.describe(),
                    ));
                    return Resolved::Failed;
                }
                Raw::Path(path) => {
                    let origin = match &hit.origin {
                        Origin::SecretsFile { .. } => hit.origin.clone(),
                        _ => Origin::File {
                            path: path.clone(),
                            var: hit.spelled.clone(),
                        },
                    };
                    match read_text(&path, max_file_size) {
                        Ok(Some(text)) => (text, origin),
                        Ok(None) if !allow_empty => continue,
                        Ok(None) => (Zeroizing::new(String::new()), origin),
                        Err(err) => {
                            problems.push(problem(
                                Some(origin),
                                ProblemKind::Unreadable,
                                err.describe(),
                            ));
                            return Resolved::Failed;
                        }
                    }
                }
            };
            candidates.push(Candidate { hit, text, origin });
        }
        let Some(first) = candidates.first() else {
            continue;
        };
        if let Some(other) = candidates.iter().find(|c| c.text != first.text) {
            let what = if is_secrets_dir {
                "secrets files"
            } else {
                "names"
            };
            problems.push(problem(
                Some(first.origin.clone()),
                ProblemKind::Conflict,
                format!(
                    "the {what} {} and {} are both set with different values (not shown); keep one",
                    first.hit.spelled, other.hit.spelled
                ),
            ));
            return Resolved::Failed;
        }
        let Candidate { text, origin, hit } = candidates.swap_remove(0);
        let name = leaf
            .names
            .get(usize::from(hit.rank))
            .unwrap_or(&leaf.names[0])
            .clone();
        return Resolved::Value { text, origin, name };
    }
    Resolved::Unset
}
