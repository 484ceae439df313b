#![cfg(all(feature = "url", feature = "regex"))]
//! `Settings::json_schema` and `Settings::docs_markdown`: golden files, a JSON Schema
//! validator accepting a good config and refusing bad ones, no secret in either, and
//! the quickstart's committed docs kept fresh.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

use confidant::regex::Regex;
use confidant::{Secret, Settings};
use serde_json::json;

static KEY: LazyLock<Regex> = LazyLock::new(|| Regex::new("^sk-[a-z0-9-]+$").unwrap());

/// Settings of the schema test service.
#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    /// Sampling temperature sent to the model.
    #[settings(default = 0.2)]
    #[validate(range(min = 0.0, max = 2.0))]
    llm_temperature: f64,

    /// Key for the model provider.
    #[settings(fake = "sk-test-0000000000000000000000")]
    #[validate(length(min = 20), regex(path = *KEY))]
    openai_api_key: Secret<String>,

    /// Exact name, no prefix.
    #[settings(env = "DATABASE_URL", alias = "DB_URL", deprecated = "PG_URL")]
    #[validate(url)]
    database_url: Secret<String>,

    /// Optional search key.
    serper_api_key: Option<Secret<String>>,

    /// Where alerts go.
    #[validate(email)]
    alert_email: Option<String>,

    #[settings(nested)]
    db: Db,

    /// Log filter | with a pipe.
    #[settings(default = "INFO")]
    #[validate(length(min = 1, max = 32))]
    log_level: String,

    /// Hosts allowed to call the service.
    #[settings(default)]
    allowed_hosts: Vec<String>,

    /// Feature flags.
    #[settings(default)]
    features: HashSet<String>,

    /// Extra labels.
    labels: Option<BTreeMap<String, String>>,

    /// Dry run.
    #[settings(default = false)]
    dry_run: bool,
}

/// Database connection.
#[derive(Debug, Settings)]
struct Db {
    /// Host name.
    #[settings(default = "localhost")]
    host: String,
    /// Port.
    #[settings(default = 5432)]
    #[validate(range(min = 1024))]
    port: u16,
    /// Password.
    password: Secret<String>,
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os(confidant::testing::BLESS_VAR).is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        actual, expected,
        "{name} changed; CONFIDANT_BLESS=1 rewrites it"
    );
}

#[test]
fn schema_matches_the_golden_file() {
    golden("config.schema.json", &Config::json_schema());
}

#[test]
fn docs_match_the_golden_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/config.docs.md");
    confidant::testing::assert_docs::<Config>(path);
}

fn schema() -> serde_json::Value {
    serde_json::from_str(&Config::json_schema()).unwrap()
}

#[test]
fn schema_keywords() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let p = &s["properties"];
    assert_eq!(p["llm_temperature"]["type"], "number");
    assert_eq!(p["llm_temperature"]["default"], 0.2);
    assert_eq!(p["llm_temperature"]["maximum"], 2.0);
    assert_eq!(p["openai_api_key"]["writeOnly"], true);
    assert_eq!(p["openai_api_key"]["x-secret"], true);
    assert_eq!(p["openai_api_key"]["minLength"], 20);
    assert_eq!(p["openai_api_key"]["pattern"], "^sk-[a-z0-9-]+$");
    assert_eq!(p["database_url"]["format"], "uri");
    assert_eq!(p["database_url"]["x-env"], "DATABASE_URL");
    assert_eq!(p["alert_email"]["format"], "email");
    assert_eq!(p["db"]["properties"]["port"]["x-env"], "APP_DB__PORT");
    assert_eq!(p["db"]["properties"]["port"]["default"], 5432);
    // No `required` lists (a config file holds some settings; the load reports a missing
    // one): a required setting is marked instead.
    assert_eq!(p["db"].get("required"), None);
    assert_eq!(p["db"]["properties"]["password"]["x-required"], true);
    assert_eq!(p["db"]["properties"]["port"].get("x-required"), None);
    assert_eq!(p["allowed_hosts"]["default"], json!([]));
    assert_eq!(p["features"]["uniqueItems"], true);
    assert_eq!(p["labels"]["type"], "object");
    assert_eq!(p["dry_run"]["default"], false);
    assert_eq!(s.get("required"), None);
    for name in ["openai_api_key", "database_url"] {
        assert_eq!(p[name]["x-required"], true, "{name}");
    }
    assert_eq!(p["llm_temperature"].get("x-required"), None);
}

#[test]
fn a_validator_accepts_a_good_config_and_refuses_bad_ones() {
    // Formats (`email`, `uri`) are annotations unless asked for.
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema())
        .unwrap();
    let good = json!({
        "llm_temperature": 0.7,
        "openai_api_key": "sk-live-0123456789abcdef",
        "database_url": "postgres://db/app",
        "db": { "password": "pw", "port": 6432 },
        "allowed_hosts": ["a", "b"],
        "labels": { "team": "ai" },
        "alert_email": "ops@example.com"
    });
    assert!(validator.is_valid(&good), "{:?}", validator.validate(&good));
    let with = |path: &[&str], value: serde_json::Value| {
        let mut config = good.clone();
        let mut at = &mut config;
        for key in &path[..path.len() - 1] {
            at = &mut at[*key];
        }
        at[path[path.len() - 1]] = value;
        config
    };
    let bad = [
        with(&["llm_temperature"], json!(2.5)),
        with(&["llm_temperature"], json!("hot")),
        with(&["openai_api_key"], json!("pk-live-0123456789abcdef")),
        with(&["openai_api_key"], json!("sk-short")),
        with(&["db", "port"], json!(80)),
        with(&["db", "port"], json!(70000)),
        with(&["alert_email"], json!("not an email")),
        with(&["log_level"], json!("")),
        with(&["dry_run"], json!("yes")),
        with(&["features"], json!(["a", "a"])),
        with(&["unknown_setting"], json!(1)),
    ];
    for config in &bad {
        assert!(!validator.is_valid(config), "accepted: {config}");
    }
    // A config file that leaves the secrets to other layers is valid: the schema checks
    // the keys and values a file has, not the settings it leaves out.
    let mut partial = good.clone();
    partial["db"].as_object_mut().unwrap().remove("password");
    partial.as_object_mut().unwrap().remove("openai_api_key");
    assert!(
        validator.is_valid(&partial),
        "{:?}",
        validator.validate(&partial)
    );
}

#[test]
fn canary_no_fake_or_value_in_schema_or_docs() {
    let texts = [Config::json_schema(), Config::docs_markdown()];
    for text in &texts {
        assert!(!text.contains("sk-test-0000"), "{text}");
    }
    // A loaded secret changes neither text: they come from the description alone.
    let _cfg = Config::fixture()
        .set("db.password", "canary-schema-81c2")
        .set("database_url", "postgres://db/app")
        .load()
        .unwrap();
    assert_eq!(texts, [Config::json_schema(), Config::docs_markdown()]);
}

#[test]
fn docs_rows_name_every_setting() {
    let docs = Config::docs_markdown();
    assert!(
        docs.contains("| `APP_DB__PORT` | `u16` | `5432` | no | no | yes | Port. |"),
        "{docs}"
    );
    assert!(docs.contains(
        "| `DATABASE_URL` | `Secret<String>` |  | yes | yes | yes | Exact name, no prefix. Also read from: `DB_URL`. Deprecated names: `PG_URL`. |"
    ), "{docs}");
    assert!(docs.contains("Log filter \\| with a pipe."), "{docs}");
}

#[allow(dead_code)] // reason: the example's `main` is not called here
#[path = "../examples/quickstart.rs"]
mod quickstart;

#[test]
fn quickstart_settings_docs_are_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/settings.md");
    confidant::testing::assert_docs::<quickstart::Config>(path);
}

fn default_port() -> u16 {
    8080
}

/// Defaults written every way a user writes them.
#[derive(Debug, Settings)]
#[settings(prefix = "D_")]
struct Defaults {
    #[settings(default = std::time::Duration::from_secs(30))]
    timeout: std::time::Duration,
    #[settings(default = default_port())]
    port: u16,
    #[settings(default = "30s")]
    idle: std::time::Duration,
    #[settings(default = "8080")]
    admin_port: u16,
    #[settings(default = 4)]
    workers: u8,
    #[settings(default = "info")]
    level: String,
}

/// A default is written only when it is a value: an expression (a call, a constructor)
/// is Rust source, not a value of the schema (issue 24, W4).
#[test]
fn schema_writes_literal_defaults_only() {
    let schema: serde_json::Value = serde_json::from_str(&Defaults::json_schema()).unwrap();
    let p = &schema["properties"];
    assert_eq!(p["timeout"].get("default"), None, "{}", p["timeout"]);
    assert_eq!(p["port"].get("default"), None, "{}", p["port"]);
    assert_eq!(p["idle"]["default"], "30s");
    assert_eq!(p["admin_port"]["default"], 8080);
    assert_eq!(p["workers"]["default"], 4);
    assert_eq!(p["level"]["default"], "info");
    assert!(!Defaults::json_schema().contains("from_secs"));
}
