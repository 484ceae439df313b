//! Profiles: `Loader::profile` or the struct's `profile_env` variable adds, above each
//! `.env` file `F`, `F.<profile>`, `F.local` and `F.<profile>.local`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::error::{Problem, ProblemKind, Problems};
use crate::source::dotenv::Env;

/// The profile named by the variable `var` in the loader's environment. Unset or empty
/// means no profile; a name that is not a plain file-name part is a problem.
pub(crate) fn from_env(env: Env<'_>, var: &str, problems: &mut Problems) -> Option<String> {
    let mut name = None;
    env.with(var, &mut |value| name = Some(value.to_owned()));
    let name = name.filter(|n| !n.is_empty())?;
    let plain = !matches!(name.as_str(), "." | "..") && !name.contains(['/', '\\', '\0']);
    if plain {
        return Some(name);
    }
    problems.source(Problem::of_name(
        var,
        ProblemKind::Invalid,
        crate::error::profile_not_plain(var, &name),
    ));
    None
}

/// The files read for the `.env` file `base`, lowest first: `base` (required as it
/// was), then, each optional, `base.<profile>`, `base.local`, `base.<profile>.local`.
pub(crate) fn files(
    base: &Path,
    required: bool,
    profile: Option<&str>,
) -> impl Iterator<Item = (PathBuf, bool)> {
    crate::source::file::profile_files(base, required, profile, |middle| {
        let mut name = OsString::from(base.as_os_str());
        name.push(".");
        name.push(middle);
        Some(PathBuf::from(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_come_in_spec_order() {
        let got: Vec<_> = files(Path::new("/x/.env"), true, Some("prod")).collect();
        let want = [
            ("/x/.env", true),
            ("/x/.env.prod", false),
            ("/x/.env.local", false),
            ("/x/.env.prod.local", false),
        ];
        assert_eq!(got.len(), want.len());
        for ((path, required), (want_path, want_required)) in got.iter().zip(want) {
            assert_eq!(
                (path.as_path(), *required),
                (Path::new(want_path), want_required)
            );
        }
        let got: Vec<_> = files(Path::new(".env"), false, None).collect();
        assert_eq!(
            got,
            [
                (PathBuf::from(".env"), false),
                (PathBuf::from(".env.local"), false)
            ]
        );
    }

    #[test]
    fn a_profile_that_is_a_path_is_a_problem() {
        let vars = [(OsString::from("APP_ENV"), OsString::from("../etc"))];
        let mut problems = Problems::default();
        assert_eq!(from_env(Env::Vars(&vars), "APP_ENV", &mut problems), None);
        assert_eq!(problems.clone().into_sorted().len(), 1);
        let vars = [(OsString::from("APP_ENV"), OsString::from("staging"))];
        assert_eq!(
            from_env(Env::Vars(&vars), "APP_ENV", &mut problems).as_deref(),
            Some("staging")
        );
        assert_eq!(from_env(Env::Vars(&[]), "APP_ENV", &mut problems), None);
        assert_eq!(problems.into_sorted().len(), 1);
    }
}
