//! Secrets directories: Docker's `/run/secrets`, Kubernetes secret volumes, Vault
//! Agent output. A file is named like the env var (`APP_DB__PASSWORD`) or like the key
//! path without prefix (`db__password`, or `db/password` in a subdirectory), in any
//! case. Only entries that name a setting are looked at, and files are read only when
//! their layer decides the setting.

use std::path::Path;

use super::{Hit, Raw};
use crate::error::{Problem, ProblemKind};
use crate::origin::Origin;
use crate::plan::Plan;

/// Lists `dir` into hits. A missing directory is a problem when `required`.
pub(crate) fn scan(
    plan: &Plan,
    dir: &Path,
    required: bool,
    layer: usize,
    hits: &mut Vec<Hit>,
    problems: &mut Vec<(usize, Problem)>,
) {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !required => return,
        Ok(_) => {
            problems.push((0, dir_problem(dir, "is not a directory")));
            return;
        }
        Err(err) => {
            problems.push((0, dir_problem(dir, &err.kind().to_string())));
            return;
        }
    }
    if let Err(err) = scan_level(plan, dir, "", layer, hits) {
        problems.push((0, dir_problem(dir, &err.kind().to_string())));
    }
}

fn scan_level(
    plan: &Plan,
    dir: &Path,
    key_prefix: &str,
    layer: usize,
    hits: &mut Vec<Hit>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        // Kubernetes keeps its bookkeeping (`..data`, `..2024_01_01...`) in `..` names.
        let Some(name) = name.to_str().filter(|n| !n.starts_with("..")) else {
            continue;
        };
        let key = format!("{key_prefix}{}", name.to_ascii_uppercase());
        if let Some(&leaf) = plan.file_names.get(key.as_str()) {
            let path = entry.path();
            hits.push(Hit {
                leaf,
                layer,
                rank: 0,
                via_file: true,
                spelled: path.display().to_string(),
                raw: Raw::Path(path.clone()),
                origin: Origin::SecretsFile { path },
            });
        } else if plan.nested_dirs.contains_key(key.as_str()) && entry.path().is_dir() {
            scan_level(plan, &entry.path(), &format!("{key}__"), layer, hits)?;
        }
    }
    Ok(())
}

fn dir_problem(dir: &Path, what: &str) -> Problem {
    Problem::new(
        String::new(),
        String::new(),
        None,
        ProblemKind::Unreadable,
        format!("secrets directory {}: {what}", dir.display()),
    )
}
