//! `Loader::explain`: one row per setting with env var, origin and value or fingerprint.

use confidant::{Origin, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
#[allow(dead_code)] // reason: only loaded to be explained
struct Config {
    #[settings(default = 0.2)]
    llm_temperature: f64,
    openai_api_key: Secret<String>,
    #[settings(env = "DATABASE_URL", alias = "DB_URL")]
    database_url: Secret<String>,
    serper_api_key: Option<Secret<String>>,
    backup_key: Option<Secret<String>>,
    #[settings(nested)]
    db: Db,
    #[settings(default = "INFO")]
    log_level: String,
    #[settings(default)]
    allowed_hosts: Vec<String>,
    pin: Secret<String>,
    motd: Option<String>,
}

#[derive(Debug, Settings)]
#[allow(dead_code)] // reason: only loaded to be explained
struct Db {
    #[settings(default = "localhost")]
    host: String,
    #[settings(default = 5432)]
    port: u16,
    password: Secret<String>,
}

const OPENAI: &str = "sk-canary-openai-3b8f1d";
const DB_URL: &str = "postgres://canary:db-url-pw-9a7c@db/app";
const PIN: &str = "7391";

fn explain() -> confidant::Explain {
    explain_from("tests/data/explain")
}

/// The table of a load whose files are under `data` (`tests/data/explain`, spelled
/// any way).
fn explain_from(data: &str) -> confidant::Explain {
    Config::loader()
        .env_vars([
            ("APP_OPENAI_API_KEY", OPENAI),
            ("DB_URL", DB_URL),
            ("APP_SERPER_API_KEY_FILE", &format!("{data}/serper_key.txt")),
            ("APP_PIN", PIN),
            ("APP_MOTD", "  two\nlines"),
        ])
        .dotenv(format!("{data}/app.env"))
        .secrets_dir(format!("{data}/secrets"))
        .set("llm_temperature", "0.7")
        .explain()
        .unwrap()
}

/// Compares with a golden file; `CONFIDANT_BLESS=1 cargo test` rewrites it.
fn golden(path: &str, actual: &str) {
    if std::env::var_os("CONFIDANT_BLESS").is_some_and(|v| v != "0" && !v.is_empty()) {
        std::fs::write(path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        actual, expected,
        "{path} differs; rerun with CONFIDANT_BLESS=1"
    );
}

#[test]
fn table_matches_the_golden_file() {
    golden("tests/golden/config.explain.txt", &explain().to_string());
}

#[test]
fn rows_name_each_setting_with_its_origin() {
    let explain = explain();
    let rows: Vec<(&str, &str, String)> = explain
        .rows()
        .iter()
        .map(|r| (r.setting(), r.env_var(), r.origin().to_string()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "llm_temperature",
                "APP_LLM_TEMPERATURE",
                "override".to_owned()
            ),
            (
                "openai_api_key",
                "APP_OPENAI_API_KEY",
                "environment".to_owned()
            ),
            ("database_url", "DB_URL", "environment".to_owned()),
            (
                "serper_api_key",
                "APP_SERPER_API_KEY",
                "tests/data/explain/serper_key.txt".to_owned()
            ),
            ("backup_key", "APP_BACKUP_KEY", "unset".to_owned()),
            ("db.host", "APP_DB__HOST", "default".to_owned()),
            (
                "db.port",
                "APP_DB__PORT",
                "tests/data/explain/app.env:1".to_owned()
            ),
            (
                "db.password",
                "APP_DB__PASSWORD",
                "tests/data/explain/secrets/APP_DB__PASSWORD".to_owned()
            ),
            (
                "log_level",
                "APP_LOG_LEVEL",
                "tests/data/explain/app.env:3".to_owned()
            ),
            ("allowed_hosts", "APP_ALLOWED_HOSTS", "default".to_owned()),
            ("pin", "APP_PIN", "environment".to_owned()),
            ("motd", "APP_MOTD", "environment".to_owned()),
        ]
    );
    let rows = explain.rows();
    assert!(
        matches!(rows[3].origin(), Origin::NameFile { var, .. } if var == "APP_SERPER_API_KEY_FILE")
    );
    assert!(matches!(rows[7].origin(), Origin::SecretsFile { .. }));
}

#[test]
fn values_are_shown_for_plain_settings_and_fingerprinted_for_secrets() {
    let explain = explain();
    let values: Vec<&str> = explain.rows().iter().map(|r| r.value()).collect();
    assert_eq!(values[0], "0.7");
    assert_eq!(values[1], confidant::fingerprint(OPENAI.as_bytes()));
    assert_eq!(values[2], confidant::fingerprint(DB_URL.as_bytes()));
    // File contents lose their trailing newline before the fingerprint is taken.
    assert_eq!(values[3], confidant::fingerprint(b"serper-canary-0d9e77"));
    assert_eq!(values[4], "(unset)");
    assert_eq!(values[5], "localhost");
    assert_eq!(values[6], "5433");
    assert_eq!(values[9], "(default)");
    // Control characters and surrounding spaces are escaped: one row stays one line.
    assert_eq!(values[11], r#""  two\nlines""#);
    assert!(explain.rows()[1].is_secret());
    assert!(!explain.rows()[0].is_secret());
}

#[test]
fn short_secrets_are_marked() {
    let explain = explain();
    let short: Vec<&str> = explain
        .rows()
        .iter()
        .filter(|r| r.too_short_to_redact())
        .map(|r| r.setting())
        .collect();
    assert_eq!(short, ["pin"]);
    let line = explain
        .to_string()
        .lines()
        .find(|l| l.starts_with("pin "))
        .unwrap()
        .to_owned();
    assert!(line.ends_with("(too short to redact)"), "{line}");
}

#[test]
fn columns_are_aligned() {
    let text = explain().to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 13);
    let column = |word: &str| lines[0].find(word).unwrap();
    for start in [column("ENV VAR"), column("ORIGIN"), column("VALUE")] {
        for line in &lines[1..] {
            assert_eq!(&line[start - 2..start], "  ", "{line}");
            assert_ne!(&line[start..start + 1], " ", "{line}");
        }
    }
}

#[test]
fn fixture_origins_are_shown() {
    let explain = Config::fixture().explain().unwrap();
    let row = &explain.rows()[1];
    assert_eq!(row.origin(), &Origin::Fake);
    assert_eq!(row.origin().to_string(), "fixture");
    assert_eq!(row.value(), confidant::fingerprint(b"fake-openai_api_key"));
}

#[test]
fn a_failed_load_is_the_same_error_as_load() {
    let err = Config::fixture().set("db.port", "x").explain().unwrap_err();
    assert_eq!(err.problems()[0].env_var(), "APP_DB__PORT");
}

#[test]
fn no_secret_appears_in_display_or_debug() {
    let explain = explain();
    let outputs = [
        explain.to_string(),
        format!("{explain:?}"),
        format!("{explain:#?}"),
    ];
    for out in outputs {
        for canary in [
            OPENAI,
            DB_URL,
            "db-url-pw-9a7c",
            "db-password-canary-51c2",
            "serper-canary-0d9e77",
        ] {
            assert!(!out.contains(canary), "{canary} in {out}");
        }
        // The short secret is not printed either (checked where it cannot occur by chance).
        assert!(!out.contains(&format!(" {PIN}")), "{out}");
    }
}

/// Issue 24: the origins of one table are printed alike: `.env` paths, secrets files and
/// `NAME_FILE` paths relative to the working directory when under it (as providers'
/// files are), whether they were given relative, absolute, or through `..`; the
/// origins themselves keep the path as given.
#[test]
fn paths_under_the_working_directory_are_shown_relative_to_it() {
    let shown = |explain: &confidant::Explain| -> Vec<String> {
        explain
            .rows()
            .iter()
            .map(|r| r.origin().to_string())
            .collect()
    };
    let relative = shown(&explain());
    assert!(relative.contains(&"tests/data/explain/app.env:1".to_owned()));
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let absolute = manifest.join("tests/data/explain");
    let table = explain_from(absolute.to_str().unwrap());
    assert_eq!(shown(&table), relative);
    assert!(
        !table.to_string().contains(env!("CARGO_MANIFEST_DIR")),
        "{table}"
    );
    // The data keeps the path as given.
    assert!(matches!(
        table.rows()[6].origin(),
        Origin::Dotenv { path, .. } if path == &absolute.join("app.env")
    ));
    let package = manifest.file_name().unwrap().to_str().unwrap();
    let around = explain_from(&format!("../{package}/./tests/data/explain"));
    assert_eq!(shown(&around), relative);
    // Outside the working directory: absolute.
    let outside = Origin::SecretsFile {
        path: "/run/secrets/db__password".into(),
    };
    assert_eq!(outside.to_string(), "/run/secrets/db__password");
    let parent = Origin::Dotenv {
        path: "../shared/.env".into(),
        line: 2,
        encrypted: false,
    };
    let expected = manifest.parent().unwrap().join("shared/.env:2");
    assert_eq!(parent.to_string(), expected.display().to_string());
}

#[derive(Debug, Settings)]
#[settings(prefix = "NV_")]
#[allow(dead_code)] // reason: only loaded to be explained
struct NoValue {
    workers: u8,
    missing: String,
    token: Secret<String>,
    maybe: Option<u8>,
    #[settings(fake = "sk-test-0000000000000000000000")]
    typed: Secret<String>,
    #[settings(fake = 3)]
    port: u16,
}

/// A row without a value of its own says why: a text that did not parse keeps where it
/// came from, a missing setting and a conflict are failed, an optional setting is unset,
/// a fixture's typed fake secret is `(secret)`.
#[test]
fn a_row_without_a_value_says_why() {
    let err = NoValue::loader()
        .env_vars([
            ("NV_WORKERS", "many"),
            ("NV_TOKEN", "tok-0123456789"),
            ("NV_TOKEN_FILE", "tests/data/explain/serper_key.txt"),
            ("NV_TYPED", "sk-live-0123456789"),
            ("NV_PORT", "8080"),
        ])
        .no_dotenv()
        .no_secrets_dir()
        .explain()
        .unwrap_err();
    let table = err.explain().expect("a failed explain keeps its table");
    let typed = confidant::fingerprint(b"sk-live-0123456789");
    assert_eq!(
        table.to_string(),
        format!(
            "SETTING  ENV VAR     ORIGIN       VALUE\n\
             workers  NV_WORKERS  environment  (failed)\n\
             missing  NV_MISSING  unset        (failed)\n\
             token    NV_TOKEN    unset        (failed)\n\
             maybe    NV_MAYBE    unset        (unset)\n\
             typed    NV_TYPED    environment  {typed}\n\
             port     NV_PORT     environment  8080\n"
        )
    );
    let err = NoValue::fixture().explain().unwrap_err();
    let table = err.explain().expect("a failed explain keeps its table");
    assert_eq!(
        table.to_string(),
        "SETTING  ENV VAR     ORIGIN   VALUE\n\
         workers  NV_WORKERS  unset    (failed)\n\
         missing  NV_MISSING  unset    (failed)\n\
         token    NV_TOKEN    fixture  (set)\n\
         maybe    NV_MAYBE    unset    (unset)\n\
         typed    NV_TYPED    fixture  (secret)\n\
         port     NV_PORT     fixture  3\n"
    );
    assert!(table.rows()[4].is_secret());
}
