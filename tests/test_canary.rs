//! A distinctive secret loaded through every source must never appear in any output of
//! the crate: `Debug` of settings, `Display`/`Debug` of errors from parsing, conflicts,
//! unreadable `.env` lines, and panics that carry them.

mod common;

use confidant::{Secret, Settings};

const CANARY: &str = "canary-5f0c81d2e4";

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    api_key: Secret<String>,
    numeric: Option<Secret<u64>>,
    listed: Option<Secret<Vec<u32>>>,
    #[settings(nested)]
    db: Db,
}

#[derive(Debug, Settings)]
struct Db {
    password: Option<Secret<String>>,
}

fn assert_clean(text: &str) {
    assert!(!text.contains(CANARY), "secret leaked into: {text}");
    assert!(
        !text.contains("5f0c81d2e4"),
        "part of the secret leaked into: {text}"
    );
}

fn base() -> confidant::Loader<Config> {
    Config::loader().no_dotenv().no_secrets_dir()
}

#[test]
fn debug_of_settings() {
    let cfg = base()
        .env_vars([("APP_API_KEY", CANARY), ("APP_DB__PASSWORD", CANARY)])
        .load()
        .unwrap();
    assert_clean(&format!("{cfg:?} {cfg:#?}"));
}

#[test]
fn parse_errors_of_secret_fields() {
    for var in ["APP_NUMERIC", "APP_LISTED"] {
        let err = base()
            .env_vars([("APP_API_KEY", "k"), (var, CANARY)])
            .load()
            .unwrap_err();
        assert_eq!(err.problems().len(), 1);
        assert_clean(&format!("{err} {err:?}"));
    }
    let json = format!("[1, \"{CANARY}\"]");
    let err = base()
        .env_vars([("APP_API_KEY", "k"), ("APP_LISTED", json.as_str())])
        .load()
        .unwrap_err();
    assert_clean(&format!("{err} {err:?}"));
}

#[test]
fn conflicts_between_spellings_and_files() {
    let err = base()
        .env_vars([("APP_API_KEY", CANARY), ("app_api_key", "other")])
        .load()
        .unwrap_err();
    assert_clean(&format!("{err} {err:?}"));

    let dir = common::tempdir();
    common::write(dir.path(), "api_key", CANARY);
    common::write(dir.path(), "APP_API_KEY", "other");
    let err = common::dir_only::<Config>(dir.path()).load().unwrap_err();
    assert_clean(&format!("{err} {err:?}"));

    let file = common::write(dir.path(), "key.txt", "other");
    let file_var = file.display().to_string();
    let err = base()
        .env_vars([
            ("APP_API_KEY", CANARY),
            ("APP_API_KEY_FILE", file_var.as_str()),
        ])
        .load()
        .unwrap_err();
    assert_clean(&format!("{err} {err:?}"));
}

#[test]
fn unreadable_dotenv_lines() {
    let dir = common::tempdir();
    // Broken lines fail the load (the key is missing or its line does not parse); a
    // trailing backslash and inner spaces are text, so those load. Either way no output
    // (warnings included) carries the secret.
    for (contents, loads) in [
        (format!("APP_API_KEY=\"{CANARY}\n"), false),
        (format!("APP_API_KEY='{CANARY}\n"), false),
        (format!("APP_API_KEY={CANARY}\\\n"), true),
        (format!("{CANARY}\n"), false),
        (format!("APP_API_KEY=\"{CANARY}\" 'x\n"), false),
        // Inner spaces in an unquoted value are text (the dotenv family's rule).
        (format!("APP_API_KEY={CANARY} 'x\n"), true),
        (format!("APP_API_KEY=${{{CANARY}\n"), false),
    ] {
        let file = common::write(dir.path(), ".env", &contents);
        let loader = || common::dotenv_only::<Config>(&file);
        let case = contents.replace(CANARY, "<canary>");
        match loader().load() {
            Ok(cfg) => {
                assert!(loads, "{case} should not load");
                assert_clean(&format!("{cfg:?}"));
                let (_, warnings) = loader().load_with_warnings().unwrap();
                assert_clean(&format!("{warnings:?}"));
                assert_clean(&loader().explain().unwrap().to_string());
            }
            Err(err) => {
                assert!(!loads, "{case} should load: {err}");
                assert_clean(&format!("{err} {err:?}"));
                for problem in err.problems() {
                    assert_clean(&format!("{problem} {problem:?}"));
                }
            }
        }
    }
}

#[test]
fn secret_file_problems() {
    let dir = common::tempdir();
    common::write(dir.path(), "numeric", CANARY);
    common::write(dir.path(), "api_key", &format!("{CANARY}\0"));
    let err = common::dir_only::<Config>(dir.path()).load().unwrap_err();
    assert_eq!(err.problems().len(), 2, "{err}");
    assert_clean(&format!("{err} {err:?}"));
}

#[test]
fn panics_that_carry_an_error() {
    let result = std::panic::catch_unwind(|| {
        base()
            .env_vars([("APP_API_KEY", "k"), ("APP_NUMERIC", CANARY)])
            .load()
            .unwrap()
    });
    let message = common::panic_text(result.unwrap_err());
    assert!(message.contains("APP_NUMERIC"), "{message}");
    assert_clean(&message);
}
