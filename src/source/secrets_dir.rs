//! Secrets directories: Docker's `/run/secrets`, Kubernetes secret volumes (and the CSI
//! secrets-store driver, which writes the same layout), Vault Agent output. A file is
//! named like the env var (`APP_DB__PASSWORD`) or like the key path without prefix
//! (`db__password`, or `db/password` in a subdirectory), in any case. Only entries that
//! name a setting are looked at, and files are read only when their layer decides the
//! setting.
//!
//! # Symlinks and the Kubernetes layout
//!
//! Kubernetes (and the CSI driver) write each version of a volume into a fresh
//! `..<timestamp>` directory, point the `..data` symlink at it by renaming a new symlink
//! over the old one, and expose every key as a symlink `key -> ..data/key`. Reading
//! through the top-level symlinks would resolve `..data` once per key, so an update
//! landing mid-load could mix two versions. Instead `..data` is resolved once per scan
//! and every `..data/...` entry is read through that generation directory: all keys of a
//! load come from one version. (When kubelet then deletes the old version before it is
//! read, the read fails and is reported; it never falls back to the other version.)
//!
//! Any other symlink is resolved at scan time and must stay inside the directory: a
//! symlink to a file outside it (`/etc/shadow`, `/dev/zero`), a dangling or a looping
//! one is a problem for its setting. The resolved path is what gets read later.
//! Names starting with `..` are Kubernetes bookkeeping, never settings.

use std::path::{Component, Path, PathBuf};

use super::{Found, Hit, Layers, Raw};
use crate::error::{FileError, HowTo, LookedIn, Problem, ProblemKind, Problems, path_failure};
use crate::plan::{Leaf, Plan};

/// Lists `dir` into hits. A missing directory is a problem when `required`.
pub(crate) fn scan(
    plan: &Plan,
    dir: &Path,
    required: bool,
    layer: usize,
    hits: &mut Vec<Hit>,
    problems: &mut Problems,
    warnings: &mut crate::names::Warnings,
) {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !required => return,
        Ok(_) => {
            problems.source(dir_problem(dir, crate::error::NOT_A_DIRECTORY));
            return;
        }
        Err(err) => {
            problems.source(dir_problem(dir, &path_failure(err.kind())));
            return;
        }
    }
    let scan = std::fs::canonicalize(dir).and_then(|real| {
        // Kubernetes: the one generation every `..data/...` entry is read from.
        let generation = match std::fs::symlink_metadata(dir.join("..data")) {
            Ok(meta) if meta.file_type().is_symlink() => {
                Some(std::fs::canonicalize(dir.join("..data"))?)
            }
            _ => None,
        };
        let scan = Scan {
            plan,
            shown_root: dir,
            real_root: &real,
            generation: generation.as_deref(),
            layer,
        };
        scan.level(dir, &real, Path::new(""), "", hits, warnings)
    });
    if let Err(err) = scan {
        problems.source(dir_problem(dir, &path_failure(err.kind())));
    }
}

struct Scan<'a> {
    plan: &'a Plan,
    /// The directory as given, for origins and messages.
    shown_root: &'a Path,
    /// The directory with every symlink resolved, for the "stays inside" check.
    real_root: &'a Path,
    /// The resolved target of `..data`, when the directory has one.
    generation: Option<&'a Path>,
    layer: usize,
}

impl Scan<'_> {
    /// Lists one level: `shown` is its path as the user sees it, `real` the directory
    /// actually listed.
    fn level(
        &self,
        shown: &Path,
        real: &Path,
        relative: &Path,
        key_prefix: &str,
        hits: &mut Vec<Hit>,
        warnings: &mut crate::names::Warnings,
    ) -> std::io::Result<()> {
        for entry in std::fs::read_dir(real)? {
            let entry = entry?;
            let name = entry.file_name();
            // Kubernetes keeps its bookkeeping (`..data`, `..2024_01_01...`) in `..` names.
            let Some(name) = name.to_str().filter(|n| !n.starts_with("..")) else {
                continue;
            };
            let key = confidant_naming::env_name(key_prefix, name);
            let shown_path = shown.join(name);
            if let Some(&leaf) = self.plan.file_names.get(key.as_str()) {
                // The listing's file type (no extra system call on Linux).
                let file_type = entry.file_type().ok();
                let raw = match self.target(&entry.path(), file_type, real) {
                    Ok(path) => Raw::Path {
                        path,
                        regular: file_type.is_some_and(|t| t.is_file()),
                    },
                    Err(err) => Raw::Broken(err),
                };
                hits.push(Hit {
                    leaf,
                    raw,
                    found: Found {
                        layer: self.layer,
                        via_file: true,
                        // The entry's path inside the directory (which its layer holds).
                        spelled: relative.join(name).display().to_string(),
                        ..Found::default()
                    },
                });
            } else if self.plan.nested_dirs.contains_key(key.as_str()) {
                // A subdirectory for a nested struct; it may itself be a `..data` link.
                if let Ok(sub) = self.target(&entry.path(), entry.file_type().ok(), real)
                    && sub.is_dir()
                {
                    let key_prefix = format!("{key}{}", confidant_naming::NESTED);
                    let relative = relative.join(name);
                    self.level(&shown_path, &sub, &relative, &key_prefix, hits, warnings)?;
                }
            } else {
                crate::names::secrets_entry(self.plan, &shown_path, name, key_prefix, warnings);
            }
        }
        Ok(())
    }

    /// The path to read for an entry: the entry itself when it is not a symlink, else
    /// its resolved target, which must lie inside the secrets directory. `file_type` is
    /// the listing's, when it had one.
    fn target(
        &self,
        entry: &Path,
        file_type: Option<std::fs::FileType>,
        parent: &Path,
    ) -> Result<PathBuf, FileError> {
        let io = |err: std::io::Error| FileError::from_io(&err, entry);
        let file_type = match file_type {
            Some(file_type) => file_type,
            None => std::fs::symlink_metadata(entry).map_err(io)?.file_type(),
        };
        if !file_type.is_symlink() {
            return Ok(entry.to_owned());
        }
        let link = std::fs::read_link(entry).map_err(io)?;
        let mut components = link.components();
        let through_data = self.generation.filter(|_| {
            components.next() == Some(Component::Normal("..data".as_ref()))
                && parent == self.real_root
        });
        let candidate = match through_data {
            Some(generation) => generation.join(components.as_path()),
            None => parent.join(&link),
        };
        let real = std::fs::canonicalize(&candidate).map_err(|err| {
            match FileError::from_io(&err, &candidate) {
                FileError::NotFound => FileError::Dangling,
                other => other,
            }
        })?;
        if real.starts_with(self.real_root) {
            Ok(real)
        } else {
            Err(FileError::Escapes(self.shown_root.to_owned()))
        }
    }
}

fn dir_problem(dir: &Path, what: &str) -> Problem {
    Problem::of_source(
        ProblemKind::Unreadable,
        crate::error::secrets_dir_failure(&crate::origin::shown_path(dir), what),
    )
}

/// The problem of a required secret that no layer sets: it names the secrets
/// directories the load read and says which do not exist; how to provide a secret is
/// said once under the report's list.
pub(crate) fn missing(leaf: &Leaf, layers: &Layers) -> Problem {
    let dirs: Vec<LookedIn> = layers
        .secrets_dirs()
        .map(|dir| LookedIn {
            dir: crate::origin::shown_path(dir).into_owned(),
            exists: std::fs::metadata(dir).is_ok_and(|m| m.is_dir()),
        })
        .collect();
    let key_file = leaf.key_file_name();
    let message = crate::error::missing_secret(leaf.env(), &key_file, &dirs);
    leaf.problem(ProblemKind::Missing, message)
        .howto(HowTo::Secret { key_file })
}
