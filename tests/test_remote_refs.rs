//! Unresolved secret-manager references are refused, and systemd's
//! `CREDENTIALS_DIRECTORY` is a secrets directory (SPEC, "Remote sources").

mod common;

use confidant::{ExposeSecret, Origin, ProblemKind, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_", secrets_dir = "/nonexistent/struct-secrets")]
struct Config {
    api_key: Secret<String>,
    #[settings(default = "op://not-a-secret")]
    docs_url: String,
}

#[test]
fn an_unresolved_reference_in_a_secret_is_a_problem_naming_the_setting() {
    for reference in [
        "op://prod/openai/api-key",
        "bw://items/5f2e/password",
        "vault:secret/data/myapp#api_key",
        "SECRET[prod/openai:api-key]",
    ] {
        let err = common::load_env::<Config>(&[("APP_API_KEY", reference)]).unwrap_err();
        assert_eq!(err.problems().len(), 1, "{err}");
        let problem = &err.problems()[0];
        assert_eq!(problem.field(), "api_key");
        assert_eq!(problem.env_var(), "APP_API_KEY");
        assert_eq!(problem.kind(), ProblemKind::Invalid);
        assert_eq!(problem.origin(), Some(&Origin::Environment));
        assert!(
            problem
                .message()
                .contains("reference that nothing resolved (not shown)"),
            "{problem}"
        );
        common::assert_error_hides(&err, reference);
    }
    // From a secrets directory too, and never a fall back to a lower layer.
    let dir = common::tempdir();
    common::write(dir.path(), "api_key", "op://prod/openai/api-key\n");
    let low = common::tempdir();
    common::write(low.path(), "api_key", "sk-real-value-000000000");
    let err = common::isolated::<Config>()
        .secrets_dir(low.path())
        .secrets_dir(dir.path())
        .load()
        .unwrap_err();
    assert_eq!(err.problems()[0].field(), "api_key");
}

#[test]
fn a_reference_like_plain_value_or_a_real_secret_loads() {
    let cfg = common::load_env::<Config>(&[
        ("APP_API_KEY", "sk-op://-inside-is-fine"),
        ("APP_DOCS_URL", "op://plain/settings/are/not/checked"),
    ])
    .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), "sk-op://-inside-is-fine");
    assert_eq!(cfg.docs_url, "op://plain/settings/are/not/checked");
    // `SECRET[` without its closing bracket is not a reference.
    assert!(common::load_env::<Config>(&[("APP_API_KEY", "SECRET[abc")]).is_ok());
}

#[test]
fn credentials_directory_is_a_secrets_directory_above_the_others() {
    let creds = common::tempdir();
    common::write(creds.path(), "api_key", "from-systemd-credentials");
    let named = common::tempdir();
    common::write(named.path(), "api_key", "from-the-named-directory");
    let creds_path = creds.path().to_str().unwrap();

    // Above a directory the loader names.
    let explain = Config::loader()
        .no_dotenv()
        .env_vars([("CREDENTIALS_DIRECTORY", creds_path)])
        .secrets_dir(named.path())
        .explain()
        .unwrap();
    assert_eq!(
        explain.rows()[0].origin(),
        &Origin::SecretsFile {
            path: creds.path().join("api_key")
        }
    );
    // With the struct's directory (missing, so optional) it is read too.
    let cfg = Config::loader()
        .no_dotenv()
        .env_vars([("CREDENTIALS_DIRECTORY", creds_path)])
        .load()
        .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), "from-systemd-credentials");
    // `no_secrets_dir` leaves it out.
    let err = Config::loader()
        .no_dotenv()
        .env_vars([("CREDENTIALS_DIRECTORY", creds_path)])
        .no_secrets_dir()
        .load()
        .unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Missing);
}

#[test]
fn a_missing_credentials_directory_is_a_problem() {
    let err = Config::loader()
        .no_dotenv()
        .env_vars([
            ("CREDENTIALS_DIRECTORY", "/nonexistent/credentials"),
            ("APP_API_KEY", "sk-set-in-the-env-00000"),
        ])
        .load()
        .unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(
        err.problems()[0].to_string(),
        "secrets directory /nonexistent/credentials does not exist"
    );
}
