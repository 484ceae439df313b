//! The secrets directory, as SPEC.md describes it: files named like the env var or
//! the key path (`db__password`, `db/password`), any case, one trailing newline
//! stripped; an explicitly named directory must exist, the struct's may be missing.

mod common;

use confidant::{ExposeSecret, Origin, ProblemKind, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_", secrets_dir = "/nonexistent/confidant/secrets")]
struct Config {
    api_key: Secret<String>,
    #[settings(nested)]
    db: Db,
}

#[derive(Debug, Settings)]
struct Db {
    password: Secret<String>,
    #[settings(default = 5432)]
    port: u16,
}

fn load(dir: &std::path::Path) -> Result<Config, confidant::Error> {
    common::dir_only::<Config>(dir).load()
}

#[test]
fn files_named_like_env_vars_or_key_paths() {
    let dir = common::tempdir();
    common::write(dir.path(), "APP_API_KEY", "key-1\n");
    common::write(dir.path(), "db__password", "pw-1\r\n");
    common::write(dir.path(), "DB__PORT", "6543");
    let cfg = load(dir.path()).unwrap();
    assert_eq!(cfg.api_key.expose_secret(), "key-1");
    assert_eq!(cfg.db.password.expose_secret(), "pw-1");
    assert_eq!(cfg.db.port, 6543);
}

#[test]
fn subdirectories_hold_nested_settings() {
    let dir = common::tempdir();
    common::write(dir.path(), "api_key", "k");
    common::write(dir.path(), "db/password", "pw-2\n");
    let cfg = load(dir.path()).unwrap();
    assert_eq!(cfg.db.password.expose_secret(), "pw-2");
}

#[test]
fn problems_name_the_secrets_file() {
    let dir = common::tempdir();
    common::write(dir.path(), "api_key", "k");
    common::write(dir.path(), "db__password", "p");
    let port = common::write(dir.path(), "db/port", "not-a-port");
    let err = load(dir.path()).unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(
        p.origin(),
        Some(&Origin::SecretsFile { path: port.clone() })
    );
    assert!(
        err.to_string().contains(&port.display().to_string()),
        "{err}"
    );
}

#[test]
fn two_files_for_one_setting_must_agree() {
    let dir = common::tempdir();
    common::write(dir.path(), "api_key", "same");
    common::write(dir.path(), "APP_API_KEY", "same\n");
    common::write(dir.path(), "db__password", "one");
    common::write(dir.path(), "db/password", "two");
    let err = load(dir.path()).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(err.problems()[0].field(), "db.password");
    assert_eq!(err.problems()[0].kind(), ProblemKind::Conflict);
}

#[test]
fn an_explicit_directory_must_exist_the_structs_may_not() {
    let dir = common::tempdir();
    let missing = dir.path().join("missing");
    let err = load(&missing).unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Unreadable);
    // In words, not the io error's ("entity not found", "No such file or directory").
    assert_eq!(
        err.problems()[0].message(),
        format!("secrets directory {} does not exist", missing.display())
    );
    assert!(!err.to_string().contains("not found"), "{err}");
    assert!(!err.to_string().contains("os error"), "{err}");
    // The struct's own directory does not exist: only the secrets are missing.
    let err = Config::loader()
        .env_vars([("X", "1")])
        .no_dotenv()
        .load()
        .unwrap_err();
    assert!(
        err.problems()
            .iter()
            .all(|p| p.kind() == ProblemKind::Missing),
        "{err}"
    );
}

#[test]
fn environment_wins_over_the_secrets_directory() {
    let dir = common::tempdir();
    common::write(dir.path(), "api_key", "from-file");
    common::write(dir.path(), "db__password", "p");
    let cfg = common::env_only::<Config>(&[("APP_API_KEY", "from-env")])
        .secrets_dir(dir.path())
        .load()
        .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), "from-env");
}

/// Issue 24, F8/F9: a missing secret names the secrets directory it was looked for in,
/// and the how-to (`NAME`, `NAME_FILE`, a file) is one line under the list, not one per
/// problem.
#[test]
fn a_missing_secret_names_the_directory_and_the_how_to_is_said_once() {
    let dir = common::tempdir();
    let err = load(dir.path()).unwrap_err();
    let d = dir.path().display();
    assert_eq!(
        err.problems()[1].message(),
        format!("required secret is not set (no file APP_DB__PASSWORD or db__password in {d})")
    );
    assert_eq!(
        err.to_string(),
        format!(
            "Config: 2 problems loading settings
  APP_API_KEY: required secret is not set (no file APP_API_KEY or api_key in {d})
  APP_DB__PASSWORD: required secret is not set (no file APP_DB__PASSWORD or db__password in {d})
  to provide a missing secret, e.g. APP_API_KEY: set APP_API_KEY, or APP_API_KEY_FILE to the path of a file holding it, or add a file named APP_API_KEY or api_key to a secrets directory"
        )
    );
}

/// The struct's own directory is optional: when it does not exist, a missing secret
/// says so (the usual reason the secret is missing).
#[test]
fn a_missing_secret_says_when_its_directory_does_not_exist() {
    let err = Config::loader()
        .env_vars([("APP_API_KEY", "k")])
        .no_dotenv()
        .load()
        .unwrap_err();
    assert_eq!(
        err.problems()[0].message(),
        "required secret is not set (the secrets directory /nonexistent/confidant/secrets does not exist)"
    );
    assert_eq!(
        err.to_string()
            .matches("to provide a missing secret")
            .count(),
        1,
        "{err}"
    );
    // Several directories: each named, the missing one said to be missing.
    let dir = common::tempdir();
    let err = common::dir_only::<Config>(dir.path())
        .secrets_dir("/nonexistent/second")
        .env_vars([("APP_API_KEY", "k")])
        .load()
        .unwrap_err();
    let missing = err
        .problems()
        .iter()
        .find(|p| p.kind() == ProblemKind::Missing)
        .unwrap();
    assert_eq!(
        missing.message(),
        format!(
            "required secret is not set (no file APP_DB__PASSWORD or db__password in {}; the secrets directory /nonexistent/second does not exist)",
            dir.path().display()
        )
    );
}

/// Without any secrets directory (a fixture with the placeholder off is not a case:
/// `no_secrets_dir`), the problem is short and the how-to still says every way.
#[test]
fn a_missing_secret_without_a_secrets_directory() {
    let err = common::load_env::<Config>(&[]).unwrap_err();
    assert_eq!(err.problems()[0].message(), "required secret is not set");
    let text = err.to_string();
    for way in ["APP_API_KEY_FILE", "api_key", "secrets directory"] {
        assert!(text.contains(way), "{text}");
    }
}
