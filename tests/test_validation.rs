//! `#[validate(...)]` rules: every rule on a plain and on a secret field, passing and
//! failing; `message`/`code`; nested paths; `must_match`; `schema`; one report with
//! parse problems; and no secret value in any failure's text. `email` and `url` need
//! the `url` feature, `regex` the `regex` feature; the rest runs in every build.
#![allow(dead_code)] // reason: the settings structs exist to be loaded, not read

mod common;

#[cfg(feature = "regex")]
use std::sync::LazyLock;

#[cfg(feature = "regex")]
use confidant::regex::Regex;
use confidant::{Error, ExposeSecret, Origin, ProblemKind, Secret, Settings, ValidationError};

use common::{assert_error_hides as assert_hidden, load_env as load};

/// The one problem of a failed load, as `(env var, message, code)`.
fn only_problem<S: Settings + std::fmt::Debug>(vars: &[(&str, &str)]) -> (String, String, String) {
    let err = load::<S>(vars).unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    let p = &err.problems()[0];
    assert_eq!(p.kind(), ProblemKind::Validation);
    (
        p.env_var().to_owned(),
        p.message().to_owned(),
        p.code().unwrap_or_default().to_owned(),
    )
}

/// Loads `S` from `vars`, which must fail with the problems `expected` (see
/// `assert_rule_failures`) and show "CANARY" in neither `Display` nor `Debug`.
#[track_caller]
fn assert_fails_hiding_canary<S: Settings + std::fmt::Debug>(
    vars: &[(&str, &str)],
    expected: &[(&str, &str, Option<&str>)],
) -> Error {
    let err = load::<S>(vars).unwrap_err();
    assert_rule_failures(&err, expected);
    assert_hidden(&err, "CANARY");
    err
}

/// Asserts that the error's problems are `expected`, as `(env var, message, code)`.
#[track_caller]
fn assert_rule_failures(err: &Error, expected: &[(&str, &str, Option<&str>)]) {
    let got: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.env_var(), p.message(), p.code()))
        .collect();
    assert_eq!(got, expected);
}

#[cfg(feature = "regex")]
static SK: LazyLock<Regex> = LazyLock::new(|| Regex::new("^sk-[a-z0-9]+$").unwrap());

fn starts_with_sk(value: &Secret<String>) -> Result<(), ValidationError> {
    if value.expose_secret().starts_with("sk-") {
        Ok(())
    } else {
        // validator's habit: the value in the params. It must not reach any text.
        let mut err = ValidationError::new("bad_prefix");
        err.add_param("value".into(), &value.expose_secret());
        Err(err)
    }
}

fn even(value: &u32) -> Result<(), ValidationError> {
    if value.is_multiple_of(2) {
        Ok(())
    } else {
        Err(ValidationError::new("odd").with_message("must be even".into()))
    }
}

#[derive(Debug, Settings)]
#[settings(prefix = "T_")]
struct Range {
    #[settings(default = 4)]
    #[validate(range(min = 1, max = 16))]
    workers: u8,
    #[settings(default = 0.5)]
    #[validate(range(exclusive_min = 0.0, exclusive_max = 1.0))]
    ratio: f64,
    #[validate(range(min = 1000))]
    pin: Option<Secret<u32>>,
}

#[test]
fn range() {
    let ok = load::<Range>(&[("T_WORKERS", "16"), ("T_RATIO", "0.1"), ("T_PIN", "1234")]).unwrap();
    assert_eq!(ok.workers, 16);
    let none = load::<Range>(&[]).unwrap();
    assert!(none.pin.is_none(), "an unset Option skips the rule");

    let (env, message, code) = only_problem::<Range>(&[("T_WORKERS", "17")]);
    assert_eq!(
        (env.as_str(), message.as_str(), code.as_str()),
        ("T_WORKERS", "must be between 1 and 16", "range")
    );
    let (_, message, _) = only_problem::<Range>(&[("T_RATIO", "1.0")]);
    assert_eq!(message, "must be greater than 0 and less than 1");
    let (env, message, _) = only_problem::<Range>(&[("T_PIN", "987")]);
    assert_eq!(
        (env.as_str(), message.as_str()),
        ("T_PIN", "must be at least 1000")
    );
    assert_hidden(&load::<Range>(&[("T_PIN", "987")]).unwrap_err(), "987");
}

#[derive(Debug, Settings)]
#[settings(prefix = "T_")]
struct Length {
    #[validate(length(min = 3, max = 8))]
    name: String,
    #[validate(length(min = 20))]
    api_key: Secret<String>,
    #[validate(length(equal = 4))]
    code: Option<Secret<String>>,
    #[settings(default)]
    #[validate(length(max = 2))]
    hosts: Vec<String>,
}

#[test]
fn length() {
    let key = "k".repeat(20);
    let ok = load::<Length>(&[
        ("T_NAME", "abc"),
        ("T_API_KEY", &key),
        ("T_CODE", "1234"),
        ("T_HOSTS", "a,b"),
    ]);
    assert!(ok.is_ok(), "{ok:?}");

    let err = assert_fails_hiding_canary::<Length>(
        &[
            ("T_NAME", "ab"),
            ("T_API_KEY", "CANARY-short"),
            ("T_CODE", "CANARY"),
            ("T_HOSTS", "a,b,c"),
        ],
        &[
            (
                "T_NAME",
                "must be between 3 and 8 characters",
                Some("length"),
            ),
            (
                "T_API_KEY",
                "must be at least 20 characters",
                Some("length"),
            ),
            ("T_CODE", "must be exactly 4 characters", Some("length")),
            ("T_HOSTS", "must have at most 2 items", Some("length")),
        ],
    );
    assert_eq!(err.problems()[1].origin(), Some(&Origin::Environment));
}

#[cfg(feature = "url")]
#[derive(Debug, Settings)]
#[settings(prefix = "T_")]
struct Email {
    #[validate(email)]
    admin: String,
    #[validate(email)]
    login: Option<Secret<String>>,
}

#[cfg(feature = "url")]
#[test]
fn email() {
    assert!(
        load::<Email>(&[
            ("T_ADMIN", "ops@example.com"),
            ("T_LOGIN", "me@example.org")
        ])
        .is_ok()
    );
    assert!(load::<Email>(&[("T_ADMIN", "ops@example.com")]).is_ok());
    assert_fails_hiding_canary::<Email>(
        &[("T_ADMIN", "ops"), ("T_LOGIN", "CANARY-login")],
        &[
            ("T_ADMIN", "must be an email address", Some("email")),
            ("T_LOGIN", "must be an email address", Some("email")),
        ],
    );
}

#[cfg(feature = "url")]
#[derive(Debug, Settings)]
#[settings(prefix = "T_")]
struct Url {
    #[validate(url)]
    homepage: String,
    #[validate(url)]
    database_url: Secret<String>,
}

#[cfg(feature = "url")]
#[test]
fn url() {
    assert!(
        load::<Url>(&[
            ("T_HOMEPAGE", "https://example.com"),
            ("T_DATABASE_URL", "postgres://u:p@db/x")
        ])
        .is_ok()
    );
    assert_fails_hiding_canary::<Url>(
        &[("T_HOMEPAGE", "example"), ("T_DATABASE_URL", "CANARY db")],
        &[
            ("T_HOMEPAGE", "must be a URL", Some("url")),
            ("T_DATABASE_URL", "must be a URL", Some("url")),
        ],
    );
}

#[cfg(feature = "regex")]
#[derive(Debug, Settings)]
#[settings(prefix = "T_")]
struct Pattern {
    #[validate(regex(path = *SK))]
    public_id: String,
    #[validate(regex(path = "SK"))]
    api_key: Secret<String>,
}

#[cfg(feature = "regex")]
#[test]
fn regex() {
    assert!(load::<Pattern>(&[("T_PUBLIC_ID", "sk-abc"), ("T_API_KEY", "sk-123")]).is_ok());
    assert_fails_hiding_canary::<Pattern>(
        &[("T_PUBLIC_ID", "pk-abc"), ("T_API_KEY", "CANARY-key")],
        &[
            (
                "T_PUBLIC_ID",
                "must match the pattern `^sk-[a-z0-9]+$`",
                Some("regex"),
            ),
            (
                "T_API_KEY",
                "must match the pattern `^sk-[a-z0-9]+$`",
                Some("regex"),
            ),
        ],
    );
}

#[derive(Debug, Settings)]
#[settings(prefix = "T_")]
struct Contains {
    #[validate(contains(pattern = "://"))]
    endpoint: String,
    #[validate(contains(pattern = "sk-"), does_not_contain(pattern = "CANARY"))]
    token: Secret<String>,
    #[validate(does_not_contain(pattern = " "))]
    tag: String,
}

#[test]
fn contains_and_does_not_contain() {
    assert!(
        load::<Contains>(&[
            ("T_ENDPOINT", "http://x"),
            ("T_TOKEN", "sk-1"),
            ("T_TAG", "v1")
        ])
        .is_ok()
    );
    let err = load::<Contains>(&[
        ("T_ENDPOINT", "x"),
        ("T_TOKEN", "CANARY-token"),
        ("T_TAG", "v 1"),
    ])
    .unwrap_err();
    assert_rule_failures(
        &err,
        &[
            ("T_ENDPOINT", "must contain \"://\"", Some("contains")),
            ("T_TOKEN", "must contain \"sk-\"", Some("contains")),
            (
                "T_TOKEN",
                "must not contain \"CANARY\"",
                Some("does_not_contain"),
            ),
            ("T_TAG", "must not contain \" \"", Some("does_not_contain")),
        ],
    );
    // The pattern is code, shown; the value is not: check with a value the pattern
    // does not spell.
    let err = load::<Contains>(&[
        ("T_ENDPOINT", "http://x"),
        ("T_TOKEN", "s3cr3t-value"),
        ("T_TAG", "v1"),
    ])
    .unwrap_err();
    assert_hidden(&err, "s3cr3t");
}

#[derive(Debug, Settings)]
#[settings(prefix = "T_")]
struct Required {
    #[validate(required)]
    region: Option<String>,
    #[validate(required(message = "set the signing key", code = "no_key"))]
    signing_key: Option<Secret<String>>,
}

#[test]
fn required() {
    assert!(load::<Required>(&[("T_REGION", "eu"), ("T_SIGNING_KEY", "k")]).is_ok());
    let err = load::<Required>(&[]).unwrap_err();
    let got: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.env_var(), p.message(), p.code(), p.origin()))
        .collect();
    assert_eq!(
        got,
        [
            ("T_REGION", "must be set", Some("required"), None),
            ("T_SIGNING_KEY", "set the signing key", Some("no_key"), None),
        ]
    );
}

#[derive(Debug, Settings)]
#[settings(prefix = "T_")]
struct Custom {
    #[settings(default = 2)]
    #[validate(custom(function = even))]
    shards: u32,
    #[validate(custom(function = "starts_with_sk"))]
    api_key: Secret<String>,
    #[validate(custom(function = starts_with_sk, message = "use a secret key", code = "key"))]
    backup_key: Option<Secret<String>>,
}

#[test]
fn custom() {
    assert!(load::<Custom>(&[("T_API_KEY", "sk-1"), ("T_BACKUP_KEY", "sk-2")]).is_ok());
    assert!(
        load::<Custom>(&[("T_API_KEY", "sk-1")]).is_ok(),
        "an unset Option skips the function"
    );
    assert_fails_hiding_canary::<Custom>(
        &[
            ("T_SHARDS", "3"),
            ("T_API_KEY", "CANARY-a"),
            ("T_BACKUP_KEY", "CANARY-b"),
        ],
        &[
            ("T_SHARDS", "must be even", Some("odd")),
            (
                "T_API_KEY",
                "failed the check `starts_with_sk`: bad_prefix",
                Some("bad_prefix"),
            ),
            ("T_BACKUP_KEY", "use a secret key", Some("key")),
        ],
    );
}

#[test]
fn a_default_is_validated_with_its_origin() {
    #[derive(Debug, Settings)]
    struct Bad {
        #[settings(default = 0)]
        #[validate(range(min = 1))]
        workers: u8,
    }
    let err = load::<Bad>(&[]).unwrap_err();
    assert_eq!(err.problems()[0].origin(), Some(&Origin::Default));
    assert_eq!(
        err.to_string(),
        "Bad: 1 problem loading settings\n  WORKERS (default): must be at least 1"
    );
}

#[derive(Debug, Settings)]
#[settings(prefix = "T_")]
struct Match {
    password: Secret<String>,
    #[validate(must_match(other = "password"))]
    password_again: Secret<String>,
    #[settings(default = "a")]
    name: String,
    #[settings(default = "a")]
    #[validate(must_match(other = name, message = "must repeat the name", code = "repeat"))]
    name_again: String,
}

#[test]
fn must_match() {
    assert!(load::<Match>(&[("T_PASSWORD", "x"), ("T_PASSWORD_AGAIN", "x")]).is_ok());
    assert_fails_hiding_canary::<Match>(
        &[
            ("T_PASSWORD", "CANARY-1"),
            ("T_PASSWORD_AGAIN", "CANARY-2"),
            ("T_NAME_AGAIN", "b"),
        ],
        &[
            (
                "T_PASSWORD_AGAIN",
                "must match T_PASSWORD",
                Some("must_match"),
            ),
            ("T_NAME_AGAIN", "must repeat the name", Some("repeat")),
        ],
    );
}

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Service {
    #[validate(length(min = 2))]
    name: String,
    #[settings(nested)]
    #[validate(nested)]
    db: Db,
}

#[derive(Debug, Settings)]
#[validate(schema(function = pool_fits))]
struct Db {
    #[settings(default = 5432)]
    #[validate(range(min = 1024))]
    port: u16,
    #[settings(default = 10)]
    pool: u32,
    #[settings(default = 20)]
    max_pool: u32,
    #[validate(length(min = 12))]
    password: Secret<String>,
}

fn pool_fits(db: &Db) -> Result<(), ValidationError> {
    if db.pool <= db.max_pool {
        Ok(())
    } else {
        let mut err =
            ValidationError::new("pool").with_message("pool must not exceed max_pool".into());
        err.add_param("field".into(), &"pool");
        Err(err)
    }
}

#[test]
fn nested_rules_name_the_full_path() {
    let err = load::<Service>(&[
        ("APP_NAME", "x"),
        ("APP_DB__PORT", "80"),
        ("APP_DB__PASSWORD", "CANARY"),
    ])
    .unwrap_err();
    let got: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.field(), p.env_var(), p.message()))
        .collect();
    assert_eq!(
        got,
        [
            ("name", "APP_NAME", "must be at least 2 characters"),
            ("db.port", "APP_DB__PORT", "must be at least 1024"),
            (
                "db.password",
                "APP_DB__PASSWORD",
                "must be at least 12 characters"
            ),
        ]
    );
    assert_hidden(&err, "CANARY");
}

#[test]
fn schema_runs_on_the_built_struct() {
    let password = ("APP_DB__PASSWORD", "long-enough-password");
    assert!(load::<Service>(&[("APP_NAME", "svc"), password]).is_ok());
    let err =
        load::<Service>(&[("APP_NAME", "svc"), ("APP_DB__POOL", "30"), password]).unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(err.problems().len(), 1);
    assert_eq!(
        (p.field(), p.env_var(), p.message(), p.code()),
        (
            "db.pool",
            "APP_DB__POOL",
            "pool must not exceed max_pool",
            Some("pool")
        )
    );
    assert_eq!(p.origin(), Some(&Origin::Environment));
    // A field problem in the struct skips its schema, as validator does by default.
    let err = load::<Service>(&[
        ("APP_NAME", "svc"),
        ("APP_DB__POOL", "30"),
        ("APP_DB__PORT", "1"),
        password,
    ])
    .unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(err.problems()[0].field(), "db.port");
}

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
#[validate(schema(function = tls_needs_key, code = "tls"), schema(function = never_ok, skip_on_field_errors = false))]
struct Tls {
    #[settings(default = false)]
    tls: bool,
    tls_key: Option<Secret<String>>,
    #[settings(default = 1)]
    #[validate(range(max = 5))]
    level: u8,
}

fn tls_needs_key(cfg: &Tls) -> Result<(), ValidationError> {
    if cfg.tls && cfg.tls_key.is_none() {
        return Err(ValidationError::new("tls_key")
            .with_message("`tls_key` is required when `tls` is on".into()));
    }
    Ok(())
}

fn never_ok(cfg: &Tls) -> Result<(), ValidationError> {
    let mut err = ValidationError::new("never_ok");
    if let Some(key) = &cfg.tls_key {
        err.add_param("key".into(), &key.expose_secret());
    }
    Err(err)
}

#[test]
fn schema_at_the_top_names_the_struct() {
    let err = load::<Tls>(&[("APP_TLS", "on")]).unwrap_err();
    let got: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.field(), p.env_var(), p.message(), p.code()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "",
                "",
                "`tls_key` is required when `tls` is on",
                Some("tls")
            ),
            (
                "",
                "",
                "failed the check `never_ok`: never_ok",
                Some("never_ok")
            ),
        ]
    );
    assert_eq!(
        err.to_string(),
        "Tls: 2 problems loading settings\n  `tls_key` is required when `tls` is on\n  failed the check `never_ok`: never_ok"
    );
    // `skip_on_field_errors = false`: runs even after a field rule failed.
    let err = load::<Tls>(&[("APP_TLS_KEY", "CANARY-tls"), ("APP_LEVEL", "9")]).unwrap_err();
    let codes: Vec<_> = err.problems().iter().map(|p| p.code()).collect();
    assert_eq!(codes, [Some("range"), Some("never_ok")]);
    assert_hidden(&err, "CANARY");
}

#[cfg(feature = "url")]
#[test]
fn one_report_parse_missing_and_validation_in_declaration_order() {
    #[derive(Debug, Settings)]
    #[settings(prefix = "APP_")]
    struct Config {
        #[validate(range(min = 1024))]
        port: u16,
        #[validate(length(min = 20))]
        api_key: Secret<String>,
        #[validate(length(min = 100))]
        region: String,
        #[validate(email)]
        admin: String,
    }
    let err = load::<Config>(&[
        ("APP_PORT", "eighty"),
        ("APP_API_KEY", "CANARY-short"),
        ("APP_ADMIN", "ops"),
    ])
    .unwrap_err();
    let got: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.env_var(), p.kind()))
        .collect();
    assert_eq!(
        got,
        [
            // Failed to parse: not validated, so only one problem.
            ("APP_PORT", ProblemKind::Invalid),
            ("APP_API_KEY", ProblemKind::Validation),
            ("APP_REGION", ProblemKind::Missing),
            ("APP_ADMIN", ProblemKind::Validation),
        ]
    );
    assert_hidden(&err, "CANARY");
}

#[test]
fn fixtures_are_validated() {
    #[derive(Debug, Settings)]
    struct Config {
        #[settings(fake = "sk-test-0000000000000000000000")]
        #[validate(length(min = 20))]
        openai_api_key: Secret<String>,
        #[validate(length(min = 40))]
        other_key: Secret<String>,
    }
    let err = Config::fixture().load().unwrap_err();
    assert_eq!(err.problems().len(), 1);
    assert_eq!(err.problems()[0].field(), "other_key");
    assert_eq!(err.problems()[0].origin(), Some(&Origin::Fake));
}

#[cfg(feature = "url")]
#[test]
fn message_and_code_replace_the_generated_ones() {
    #[derive(Debug, Settings)]
    #[settings(prefix = "T_")]
    struct Config {
        #[settings(default = 1)]
        #[validate(range(max = 5, message = "at most five workers", code = "workers"))]
        workers: u8,
        #[validate(email(code = "mail"), length(max = 10, message = "too long"))]
        admin: Secret<String>,
    }
    let err =
        load::<Config>(&[("T_WORKERS", "6"), ("T_ADMIN", "CANARY-not-an-email")]).unwrap_err();
    let got: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.message(), p.code()))
        .collect();
    assert_eq!(
        got,
        [
            ("at most five workers", Some("workers")),
            ("must be an email address", Some("mail")),
            ("too long", Some("length")),
        ]
    );
    assert_hidden(&err, "CANARY");
}

#[test]
fn must_match_on_optional_secrets() {
    #[derive(Debug, Settings)]
    #[settings(prefix = "T_")]
    struct Config {
        token: Option<Secret<String>>,
        #[validate(must_match(other = "token"))]
        token_again: Option<Secret<String>>,
    }
    assert!(load::<Config>(&[]).is_ok());
    assert!(load::<Config>(&[("T_TOKEN", "a"), ("T_TOKEN_AGAIN", "a")]).is_ok());
    let err = load::<Config>(&[("T_TOKEN", "CANARY-a")]).unwrap_err();
    assert_eq!(err.problems()[0].message(), "must match T_TOKEN");
    assert_eq!(
        err.problems()[0].origin(),
        None,
        "the unset field has no origin"
    );
    assert_hidden(&err, "CANARY");
}

/// secrecy's own `SecretString` (a `SecretBox<str>`) and `SecretBox<String>` take the
/// string rules as `Secret<String>` does (SPEC, "Values (wave 3)").
#[derive(Debug, Settings)]
#[settings(prefix = "T_")]
struct SecrecyRules {
    #[validate(length(min = 20))]
    key: secrecy::SecretString,
    #[validate(contains(pattern = "@"))]
    login: Option<secrecy::SecretString>,
    #[validate(length(max = 8))]
    boxed: Option<secrecy::SecretBox<String>>,
    #[cfg(feature = "regex")]
    #[validate(regex(path = *SK))]
    token: Option<secrecy::SecretString>,
    #[cfg(feature = "url")]
    #[validate(email)]
    admin: Option<secrecy::SecretString>,
    #[cfg(feature = "url")]
    #[validate(url)]
    endpoint: Option<secrecy::SecretString>,
}

#[test]
fn string_rules_on_secrecys_secret_string() {
    let key = "k".repeat(20);
    let ok = load::<SecrecyRules>(&[
        ("T_KEY", key.as_str()),
        ("T_LOGIN", "a@b"),
        ("T_BOXED", "short"),
        ("T_TOKEN", "sk-abc123"),
        ("T_ADMIN", "admin@example.com"),
        ("T_ENDPOINT", "https://user:pw@example.com/x"),
    ])
    .unwrap();
    assert_eq!(ok.key.expose_secret(), key);

    let err = load::<SecrecyRules>(&[
        ("T_KEY", "CANARY-short"),
        ("T_LOGIN", "CANARY-no-at"),
        ("T_BOXED", "CANARY-too-long"),
        ("T_TOKEN", "CANARY"),
        ("T_ADMIN", "CANARY"),
        ("T_ENDPOINT", "CANARY"),
    ])
    .unwrap_err();
    let mut expected = vec![
        ("T_KEY", "must be at least 20 characters", Some("length")),
        ("T_LOGIN", "must contain \"@\"", Some("contains")),
        ("T_BOXED", "must be at most 8 characters", Some("length")),
    ];
    if cfg!(feature = "regex") {
        expected.push((
            "T_TOKEN",
            "must match the pattern `^sk-[a-z0-9]+$`",
            Some("regex"),
        ));
    }
    if cfg!(feature = "url") {
        expected.push(("T_ADMIN", "must be an email address", Some("email")));
        expected.push(("T_ENDPOINT", "must be a URL", Some("url")));
    }
    assert_rule_failures(&err, &expected);
    assert_hidden(&err, "CANARY");
}
