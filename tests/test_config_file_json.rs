//! JSON config files (SPEC, wave 3, "Config files"; feature `json`): comments and
//! trailing commas allowed, every value's line, numbers as their literal text, `null`
//! leaves a setting unset, unknown keys warn with did you mean, a syntax error names
//! file, line and column only, and a secret in the file is never shown.
#![cfg(feature = "json")]

mod common;
#[path = "common/config.rs"]
mod config;

use config::*;

use std::path::Path;
use std::time::Duration;

use confidant::{ExposeSecret, ProblemKind};

const SECRET: &str = "sk-jsonfile-canary-3d7a0c94f1";

fn loader(dir: &Path, text: &str, env: &[(&str, &str)]) -> confidant::Loader<Config> {
    loader_of(dir, "myapp.json", text, env)
}

#[test]
fn every_leaf_knows_its_line_with_comments_and_trailing_commas() {
    let dir = common::tempdir();
    // Line numbers are on the right; the file has CRLF line endings.
    let text = [
        "// a comment",                                                            // 1
        "{",                                                                       // 2
        "  \"log_level\": \"debug\", /* a block comment */",                       // 3
        "  \"db\": {",                    // 4 nested object
        "    \"host\": \"db.internal\",", // 5
        "",                               // 6
        "    \"port\": 5433,",            // 7
        "    \"pool_size\": 16,",         // 8 trailing comma
        "  },",                           // 9
        "  \"hosts\": [",                 // 10 multi-line array
        "    \"a.example\",",             // 11
        "    \"b.example\",",             // 12 trailing comma
        "  ],",                           // 13
        "  \"ports\": [8080, 8081],",     // 14
        "  \"providers\": {\"openai\": \"sk-1\", \"anthropic\": \"sk-\\u0032\"},", // 15
        "  \"servers\": [",               // 16 array of objects
        "    {\"name\": \"x\", \"weight\": 3},", // 17
        "    {\"name\": \"y\", \"weight\": 5}", // 18
        "  ],",                           // 19
        "  \"motd\": \"hello\\nworld\",", // 20 escapes
        "  \"zip\": \"012345\"",          // 21
        "}",                              // 22
    ]
    .join("\r\n");
    let lines = lines_of(loader(dir.path(), &text, &[]));
    let want = [
        ("log_level", 3),
        ("db.host", 5),
        ("db.port", 7),
        ("db.pool_size", 8),
        ("hosts", 10),
        ("ports", 14),
        ("providers", 15),
        ("servers", 16),
        ("motd", 20),
        ("zip", 21),
    ];
    for (setting, line) in want {
        assert_eq!(lines.get(setting), Some(&line), "{setting}: {lines:?}");
    }

    let cfg = loader(dir.path(), &text, &[]).load().unwrap();
    assert_eq!(cfg.log_level, "debug");
    assert_eq!(
        (cfg.db.host.as_str(), cfg.db.port, cfg.db.pool_size),
        ("db.internal", 5433, 16)
    );
    assert_eq!(cfg.hosts, ["a.example", "b.example"]);
    assert_eq!(cfg.ports, [8080, 8081]);
    let providers = cfg.providers.unwrap();
    assert_eq!(providers["anthropic"].expose_secret(), "sk-2");
    assert_eq!(
        cfg.servers,
        [
            Server {
                name: "x".into(),
                weight: 3
            },
            Server {
                name: "y".into(),
                weight: 5
            }
        ]
    );
    assert_eq!(cfg.motd.as_deref(), Some("hello\nworld"));
    assert_eq!(cfg.zip.as_deref(), Some("012345"));
}

#[test]
fn numbers_keep_their_text_and_are_read_with_the_environments_parsers() {
    let dir = common::tempdir();
    let text = r#"{
  "log_level": 3.50,
  "temperature": 1e0,
  "verbose": true,
  "timeout": "1m 30s",
  "ports": [8080, "8081"],
  "db": {"port": "5433"}
}"#;
    let cfg = loader(dir.path(), text, &[]).load().unwrap();
    // The literal as written, not a float printed back.
    assert_eq!(cfg.log_level, "3.50");
    assert_eq!(cfg.temperature, 1.0);
    assert!(cfg.verbose);
    assert_eq!(cfg.timeout, Duration::from_secs(90));
    assert_eq!(cfg.ports, [8080, 8081]);
    assert_eq!(cfg.db.port, 5433);
}

#[test]
fn null_leaves_a_setting_unset() {
    let dir = common::tempdir();
    let text = r#"{"log_level": null, "api_key": null, "zip": null, "db": null, "hosts": null}"#;
    let cfg = loader(dir.path(), text, &[("APP_ZIP", "from-env")])
        .load()
        .unwrap();
    assert_eq!(cfg.log_level, "info");
    assert!(cfg.api_key.is_none());
    assert_eq!(cfg.zip.as_deref(), Some("from-env"));
    assert_eq!(cfg.db.port, 5432);
    assert!(cfg.hosts.is_empty());
    let lines = lines_of(loader(dir.path(), text, &[]));
    assert!(lines.is_empty(), "{lines:?}");
}

#[test]
fn a_problem_names_the_key_as_written_the_line_and_the_variable() {
    let dir = common::tempdir();
    let err = loader(dir.path(), "{\n\n  \"DB\": {\n    \"Port\": -1}}\n", &[])
        .load()
        .unwrap_err();
    let shown = err.to_string();
    let path = dir.path().join("myapp.json");
    let want = format!(
        "DB.Port ({}:4, APP_DB__PORT): invalid value \"-1\": expected u16",
        path.display()
    );
    assert!(shown.contains(&want), "{shown}");
    assert_eq!(err.problems()[0].field(), "db.port");
}

#[test]
fn unknown_keys_warn_with_did_you_mean_and_fail_a_strict_load() {
    let dir = common::tempdir();
    let text = "{\"temprature\": 0.3,\n\"db\": {\n\"pool_sise\": 16},\n\"dbb\": {\"port\": 1}}\n";
    let (_, warnings) = loader(dir.path(), text, &[]).load_with_warnings().unwrap();
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    let path = dir.path().join("myapp.json").display().to_string();
    assert_eq!(
        shown,
        [
            format!("temprature ({path}:1): sets no setting; did you mean temperature?"),
            format!("db.pool_sise ({path}:3): sets no setting; did you mean db.pool_size?"),
            format!("dbb ({path}:4): sets no setting; did you mean db?"),
        ]
    );
    assert!(warnings.iter().all(|w| w.kind() == ProblemKind::Unknown));
    let err = loader(dir.path(), text, &[]).strict().load().unwrap_err();
    assert_eq!(err.problems().len(), 3, "{err}");
}

#[test]
fn a_syntax_error_names_file_line_and_column_never_the_line() {
    let dir = common::tempdir();
    for (text, line, column) in [
        // An unterminated string.
        (
            format!("{{\"log_level\": \"x\",\n\"api_key\": \"{SECRET}\n}}"),
            2,
            Some(12),
        ),
        // A missing comma: where it belongs, after the value.
        (
            format!("{{\"api_key\": \"{SECRET}\"\n \"zip\": \"{SECRET}\"}}"),
            1,
            Some(44),
        ),
        // A bad escape and a bad `\u` escape.
        (format!("{{\"api_key\": \"{SECRET}\\q\"}}"), 1, None),
        (format!("{{\"api_key\": \"\\u{{{SECRET}}}\"}}"), 1, None),
        (format!("{{\"api_key\": \"\\uD83D{SECRET}\"}}"), 1, Some(14)),
        // JSON5 beyond comments and trailing commas: single quotes, bare keys.
        (format!("{{\n'api_key': '{SECRET}'}}"), 2, Some(1)),
        (format!("{{api_key: \"{SECRET}\"}}"), 1, Some(2)),
        // An object left open.
        (format!("{{\"api_key\": \"{SECRET}\",\n"), 1, None),
        // A key written twice.
        (
            format!("{{\"api_key\": \"{SECRET}\",\n \"api_key\": \"{SECRET}\"}}"),
            2,
            Some(2),
        ),
        // A document that is not an object.
        (format!("\n[\"{SECRET}\"]"), 2, Some(1)),
    ] {
        let err = loader(dir.path(), &text, &[]).load().unwrap_err();
        let shown = common::error_texts(&err);
        let path = dir.path().join("myapp.json");
        let head = format!("{}:{line}: invalid JSON at column ", path.display());
        assert!(shown.contains(&head), "{head}\n{shown}");
        if let Some(column) = column {
            assert!(shown.contains(&format!("{head}{column}: ")), "{shown}");
        }
        assert_eq!(common::leaked(SECRET, &shown), None, "{shown}");
        assert!(
            !shown.contains("api_key\": "),
            "the line is not quoted: {shown}"
        );
        assert!(!shown.contains("D83D"), "nor a piece of it: {shown}");
        assert_eq!(err.problems().len(), 1, "{shown}");
        assert_eq!(err.problems()[0].kind(), ProblemKind::Unreadable);
    }
    // jsonc-parser's own message for an unpaired surrogate quotes the escape: cut.
    let text = "{\"api_key\": \"\\uD83Dx\"}";
    let err = loader(dir.path(), text, &[]).load().unwrap_err();
    assert!(
        err.to_string()
            .ends_with("column 14: invalid unicode escape sequence"),
        "{err}"
    );
}

#[test]
fn a_secret_in_a_file_loads_and_is_never_shown() {
    let dir = common::tempdir();
    let text = format!(
        "{{\"api_key\": \"{SECRET}\", \"log_level\": \"{SECRET}-in-a-plain-field\",\n\"db\": {{\"port\": \"{SECRET}\"}}}}"
    );
    let err = loader(dir.path(), &text, &[]).explain().unwrap_err();
    let shown = common::error_texts(&err);
    assert!(shown.contains("db.port ("), "{shown}");
    assert_eq!(common::leaked(SECRET, &shown), None, "{shown}");
    let explain = err.explain().expect("the table of a failed load");
    let table = format!("{explain}\n{}\n{explain:?}", explain.to_json());
    assert_eq!(common::leaked(SECRET, &table), None, "{table}");

    // With an escape, the string is the parser's own buffer, moved into a wiped one.
    let text = format!(
        "{{\"api_key\": \"{SECRET}\\u0021\", \"providers\": {{\"openai\": \"{SECRET}\"}}}}"
    );
    let cfg = loader(dir.path(), &text, &[]).load().unwrap();
    let shown = format!("{cfg:?}");
    assert_eq!(common::leaked(SECRET, &shown), None, "{shown}");
    assert_eq!(*cfg.api_key.unwrap().expose_secret(), format!("{SECRET}!"));
    assert_eq!(cfg.providers.unwrap()["openai"].expose_secret(), SECRET);
}

#[test]
fn an_empty_file_or_null_sets_nothing() {
    let dir = common::tempdir();
    for text in ["", "// only a comment\n", "null", "{}"] {
        let cfg = loader(dir.path(), text, &[]).load().unwrap();
        assert_eq!(cfg.log_level, "info", "{text:?}");
    }
}
