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
    let err = load(&dir.path().join("missing")).unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Unreadable);
    assert!(err.problems()[0].message().contains("missing"));
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
