//! `.env` files: dotenvy's quoting, line numbers in origins, unknown keys ignored,
//! explicitly named files must exist, and a line that does not parse is reported by
//! file and line without its content.

mod common;

use confidant::{ExposeSecret, Origin, ProblemKind, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    #[settings(default = "x")]
    greeting: String,
    #[settings(default = 0)]
    port: u16,
    token: Option<Secret<String>>,
}

fn load_file(contents: &str) -> (tempfile::TempDir, Result<Config, confidant::Error>) {
    let dir = common::tempdir();
    let file = common::write(dir.path(), ".env", contents);
    let result = common::env_only::<Config>(&[("UNRELATED", "1")])
        .dotenv(file)
        .load();
    (dir, result)
}

#[test]
fn follows_dotenvy_quoting_rules() {
    let (_d, cfg) = load_file(
        "APP_GREETING=\"hello world\"\nexport APP_PORT=8080\nAPP_TOKEN='s3cr#t' # comment\n",
    );
    let cfg = cfg.unwrap();
    assert_eq!(cfg.greeting, "hello world");
    assert_eq!(cfg.port, 8080);
    assert_eq!(cfg.token.unwrap().expose_secret(), "s3cr#t");
}

#[test]
fn multi_line_values_and_line_numbers() {
    let (dir, result) =
        load_file("# top\nAPP_GREETING=\"line one\nAPP_PORT=not this one\"\n\nAPP_PORT=bad\n");
    let err = result.unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.env_var(), "APP_PORT");
    assert_eq!(
        p.origin(),
        Some(&Origin::Dotenv {
            path: dir.path().join(".env"),
            line: 5,
            encrypted: false,
        })
    );
    assert!(
        err.to_string()
            .contains(&format!("{}:5", dir.path().join(".env").display()))
    );
}

#[test]
fn unknown_keys_are_ignored() {
    let (_d, cfg) = load_file("OTHER_SERVICE_KEY=abc\nAPP_PORT=1\nAPP_UNKNOWN=2\n");
    assert_eq!(cfg.unwrap().port, 1);
}

#[test]
fn a_named_file_must_exist() {
    let dir = common::tempdir();
    let err = Config::loader()
        .env_vars([("A", "1")])
        .dotenv(dir.path().join("nope.env"))
        .load()
        .unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.kind(), ProblemKind::Unreadable);
    assert!(p.message().contains("nope.env"), "{err}");
}

#[test]
fn the_structs_own_dotenv_is_optional() {
    #[derive(Debug, Settings)]
    #[settings(dotenv = "/nonexistent/confidant/.env")]
    struct Optional {
        #[settings(default = 3)]
        n: u8,
    }
    let cfg = Optional::loader()
        .env_vars([("X", "1")])
        .no_secrets_dir()
        .load()
        .unwrap();
    assert_eq!(cfg.n, 3);
}

#[test]
fn a_broken_line_for_our_key_is_a_problem_without_its_content() {
    let (dir, result) =
        load_file("APP_PORT=1\nAPP_TOKEN=\"canary-7f3a9 unterminated\nAPP_GREETING=hi\n");
    let err = result.unwrap_err();
    let text = format!("{err}\n{err:?}");
    assert!(!text.contains("canary-7f3a9"), "{text}");
    // The unterminated quote swallows the greeting line too: both are reported, at the
    // line where the broken value starts, in declaration order.
    let reported: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.env_var(), p.kind()))
        .collect();
    assert_eq!(
        reported,
        [
            ("APP_GREETING", ProblemKind::Unreadable),
            ("APP_TOKEN", ProblemKind::Unreadable)
        ]
    );
    let origin = Origin::Dotenv {
        path: dir.path().join(".env"),
        line: 2,
        encrypted: false,
    };
    assert!(err.problems().iter().all(|p| p.origin() == Some(&origin)));
}

#[test]
fn a_broken_line_for_another_services_key_is_ignored() {
    let (_d, cfg) = load_file("APP_PORT=2\nOTHER=\"unterminated\n");
    assert_eq!(cfg.unwrap().port, 2);
}

#[test]
fn our_keys_swallowed_by_an_unterminated_quote_are_reported() {
    let (dir, result) = load_file("OTHER='unterminated\nAPP_PORT=2\n");
    let err = result.unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(
        (p.env_var(), p.kind()),
        ("APP_PORT", ProblemKind::Unreadable)
    );
    assert_eq!(
        p.origin(),
        Some(&Origin::Dotenv {
            path: dir.path().join(".env"),
            line: 1,
            encrypted: false,
        })
    );
}

#[test]
fn name_file_in_dotenv_reads_that_file() {
    let dir = common::tempdir();
    let secret = common::write(dir.path(), "token.txt", "tok-123\n");
    let file = common::write(
        dir.path(),
        ".env",
        &format!("APP_TOKEN_FILE={}\n", secret.display()),
    );
    let cfg = Config::loader()
        .env_vars([("A", "1")])
        .dotenv(file)
        .load()
        .unwrap();
    assert_eq!(cfg.token.unwrap().expose_secret(), "tok-123");
}

#[test]
fn a_bad_value_is_reported_on_its_key_and_line() {
    // Unquoted whitespace in a value: dotenvy rejects it and reports only the value.
    let (dir, result) = load_file("APP_PORT=1\nAPP_GREETING=hello canary-77e1 world\n");
    let err = result.unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(
        (p.env_var(), p.kind()),
        ("APP_GREETING", ProblemKind::Unreadable)
    );
    assert_eq!(
        p.origin(),
        Some(&Origin::Dotenv {
            path: dir.path().join(".env"),
            line: 2,
            encrypted: false,
        })
    );
    assert!(!format!("{err}{err:?}").contains("canary-77e1"));
}

#[test]
fn substitution_reads_the_given_variables_not_the_process_environment() {
    // `PATH` is set in any process environment; under `env_vars` it is not seen.
    let dir = common::tempdir();
    let file = common::write(
        dir.path(),
        ".env",
        "APP_GREETING=\"[${PATH}][${GIVEN}]\"\nAPP_PORT=${PORT}\n",
    );
    let cfg = common::env_only::<Config>(&[("GIVEN", "given"), ("PORT", "8081")])
        .dotenv(&file)
        .load()
        .unwrap();
    assert_eq!(cfg.greeting, "[][given]");
    assert_eq!(cfg.port, 8081);
}

#[test]
fn substitution_reads_earlier_keys_of_the_file_after_the_environment() {
    let (_d, cfg) = load_file("BASE=hello\nUNRELATED=file\nAPP_GREETING=${BASE}-$UNRELATED\n");
    // `load_file` gives `UNRELATED=1` as the environment: it wins over the file's key.
    assert_eq!(cfg.unwrap().greeting, "hello-1");
}

#[test]
fn a_fixture_substitutes_nothing_from_the_process_environment() {
    let dir = common::tempdir();
    let file = common::write(dir.path(), ".env", "APP_GREETING=\"<$HOME|${PATH}>\"\n");
    let cfg = Config::fixture().dotenv(&file).load().unwrap();
    assert_eq!(cfg.greeting, "<|>");
}

#[test]
fn a_substituted_secret_stays_out_of_errors_and_explain() {
    // An unterminated `${` in a secret's line: reported by line, without content.
    let (_d, result) = load_file("RAW=canary-subst-41c\nAPP_TOKEN=\"x${RAW\"\n");
    let err = result.unwrap_err();
    let text = format!("{err}\n{err:?}");
    assert!(!text.contains("canary-subst-41c"), "{text}");
    assert_eq!(err.problems()[0].env_var(), "APP_TOKEN");
    // Substituted into the secret, it shows only as a fingerprint.
    let dir = common::tempdir();
    let file = common::write(
        dir.path(),
        ".env",
        "RAW=canary-subst-41c\nAPP_TOKEN=${RAW}\n",
    );
    let explain = common::env_only::<Config>(&[("A", "1")])
        .dotenv(&file)
        .explain()
        .unwrap();
    let text = format!("{explain}\n{explain:?}");
    assert!(!text.contains("canary-subst-41c"), "{text}");
}

#[test]
fn a_secret_substituted_into_a_plain_field_is_not_echoed_when_it_fails() {
    let (_d, result) = load_file("APP_TOKEN=canary-subst-77d\nAPP_PORT=${APP_TOKEN}\n");
    let err = result.unwrap_err();
    let text = format!("{err}\n{err:?}");
    assert!(!text.contains("canary-subst-77d"), "{text}");
    let problem = &err.problems()[0];
    assert_eq!(problem.env_var(), "APP_PORT");
    assert!(
        problem
            .message()
            .contains("not shown: it was encrypted, holds a substitution or spans several lines"),
        "{problem}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_reported_by_line_without_content() {
    let dir = common::tempdir();
    let file = dir.path().join(".env");
    std::fs::write(&file, b"APP_PORT=1\nAPP_TOKEN=canary-8bit-\xff\n").unwrap();
    let err = common::env_only::<Config>(&[("A", "1")])
        .dotenv(&file)
        .load()
        .unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.kind(), ProblemKind::Unreadable);
    assert!(p.message().contains("line 2 is not UTF-8"), "{err}");
    assert!(!format!("{err}{err:?}").contains("canary-8bit"));
}

#[test]
fn a_quote_that_swallows_a_secret_line_shows_no_value() {
    // A stray quote on a plain setting runs over the secret's line: the plain value
    // then holds the secret, so its parse error shows no value either.
    let (_d, result) = load_file("APP_PORT='80\nAPP_TOKEN=canary-swallowed-5c1e\n'\n");
    let err = result.unwrap_err();
    let text = format!("{err}\n{err:?}");
    assert!(!text.contains("canary-swallowed-5c1e"), "{text}");
    let problem = &err.problems()[0];
    assert_eq!(problem.env_var(), "APP_PORT");
    assert!(
        problem.message().contains("spans several lines"),
        "{problem}"
    );
}
