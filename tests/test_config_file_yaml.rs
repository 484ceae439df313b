//! YAML config files (SPEC, wave 3, "Config files"; feature `yaml`): every value's line
//! in every YAML form, scalars kept as written (`012345` stays `012345`), `null` leaves a
//! setting unset, unknown keys warn with did you mean, a syntax error names file, line
//! and column only, and a secret in the file is never shown.
#![cfg(feature = "yaml")]

mod common;
#[path = "common/config.rs"]
mod config;

use config::*;

use std::path::Path;
use std::time::Duration;

use confidant::{ExposeSecret, ProblemKind};

const SECRET: &str = "sk-yamlfile-canary-9b3c51e0a2";

fn loader(dir: &Path, text: &str, env: &[(&str, &str)]) -> confidant::Loader<Config> {
    loader_of(dir, "myapp.yaml", text, env)
}

#[test]
fn every_leaf_knows_its_line_in_every_yaml_form() {
    let dir = common::tempdir();
    // Line numbers are on the right; the file has CRLF line endings.
    let text = [
        "# comment",                                      // 1
        "log_level: debug",                               // 2
        "db:",                                            // 3 nested mapping
        "  host: 'db.internal'",                          // 4
        "  port: 5433",                                   // 5
        "",                                               // 6
        "  pool_size: 16",                                // 7
        "hosts:",                                         // 8 block sequence
        "  - a.example",                                  // 9
        "  - \"b.example\"",                              // 10
        "ports: [8080, 8081]",                            // 11 flow sequence
        "providers: {openai: sk-1, anthropic: \"sk-2\"}", // 12 flow mapping
        "motd: |",                                        // 13 literal block scalar
        "  hello",                                        // 14
        "  world",                                        // 15
        "banner: >-",                                     // 16 folded block scalar
        "  one",                                          // 17
        "  two",                                          // 18
        "servers:",                                       // 19 sequence of mappings
        "  - name: x",                                    // 20
        "    weight: 3",                                  // 21
        "  - {name: y, weight: 5}",                       // 22
        "zip: 012345",                                    // 23
    ]
    .join("\r\n");
    let lines = lines_of(loader(dir.path(), &text, &[]));
    let want = [
        ("log_level", 2),
        ("db.host", 4),
        ("db.port", 5),
        ("db.pool_size", 7),
        // A block sequence starts at its first item.
        ("hosts", 9),
        ("ports", 11),
        ("providers", 12),
        // A block scalar starts where its text does, the line after its indicator.
        ("motd", 14),
        ("banner", 17),
        ("servers", 20),
        ("zip", 23),
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
    assert_eq!(providers["openai"].expose_secret(), "sk-1");
    assert_eq!(providers["anthropic"].expose_secret(), "sk-2");
    // CRLF ends lines; the text has none.
    assert_eq!(cfg.motd.as_deref(), Some("hello\nworld\n"));
    assert_eq!(cfg.banner.as_deref(), Some("one two"));
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
    assert_eq!(cfg.zip.as_deref(), Some("012345"));
}

#[test]
fn scalars_stay_as_written_and_are_read_with_the_environments_parsers() {
    let dir = common::tempdir();
    let text = "\
zip: 012345
log_level: 3
temperature: 1
verbose: true
timeout: 1m 30s
ports: [8080, '8081']
db:
  port: \"5433\"
";
    let cfg = loader(dir.path(), text, &[]).load().unwrap();
    // Not the number 12345: the text as written, for a `String`.
    assert_eq!(cfg.zip.as_deref(), Some("012345"));
    assert_eq!(cfg.log_level, "3");
    assert_eq!(cfg.temperature, 1.0);
    assert!(cfg.verbose);
    assert_eq!(cfg.timeout, Duration::from_secs(90));
    assert_eq!(cfg.ports, [8080, 8081]);
    assert_eq!(cfg.db.port, 5433);

    // A quoted `null` is the text `null`; `!!str` makes a plain scalar a string.
    let cfg = loader(dir.path(), "log_level: 'null'\nzip: !!str 007\n", &[])
        .load()
        .unwrap();
    assert_eq!(cfg.log_level, "null");
    assert_eq!(cfg.zip.as_deref(), Some("007"));
}

#[test]
fn null_leaves_a_setting_unset() {
    let dir = common::tempdir();
    let text = "log_level: ~\napi_key: null\nzip:\ntimeout: NULL\ndb: ~\nverbose: !!null x\n";
    let cfg = loader(dir.path(), text, &[("APP_ZIP", "from-env")])
        .load()
        .unwrap();
    // Defaults and lower layers stay: a null sets nothing.
    assert_eq!(cfg.log_level, "info");
    assert!(cfg.api_key.is_none());
    assert_eq!(cfg.zip.as_deref(), Some("from-env"));
    assert_eq!(cfg.timeout, Duration::from_secs(30));
    assert_eq!(cfg.db.port, 5432);
    assert!(!cfg.verbose);
    let lines = lines_of(loader(dir.path(), text, &[]));
    assert!(lines.is_empty(), "{lines:?}");
}

#[test]
fn anchors_and_aliases_are_resolved() {
    let dir = common::tempdir();
    let text = "\
defaults: &host db.internal
hosts: &hosts [a, b]
db:
  host: *host
zip: *host
";
    // `defaults` names no setting; the aliases copy their anchors' values.
    let (cfg, warnings) = loader(
        dir.path(),
        &format!("{text}ports: &p [1, 2]\nservers: []\n"),
        &[],
    )
    .load_with_warnings()
    .unwrap();
    assert_eq!(cfg.db.host, "db.internal");
    assert_eq!(cfg.zip.as_deref(), Some("db.internal"));
    assert_eq!(cfg.hosts, ["a", "b"]);
    assert_eq!(cfg.ports, [1, 2]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].to_string().starts_with("defaults ("));
    // An alias's origin is where the alias is.
    let lines = lines_of(loader(dir.path(), text, &[]));
    assert_eq!((lines["db.host"], lines["zip"]), (4, 5), "{lines:?}");

    // A "billion laughs" is a problem, not a hang.
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f"])
    {
        bomb.push_str(&format!(
            "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    let err = loader(dir.path(), &bomb, &[]).load().unwrap_err();
    assert!(err.to_string().contains("invalid YAML"), "{err}");
}

#[test]
fn a_problem_names_the_key_as_written_the_line_and_the_variable() {
    let dir = common::tempdir();
    let err = loader(dir.path(), "# x\n\nDB:\n  Port: -1\n", &[])
        .load()
        .unwrap_err();
    let shown = err.to_string();
    let path = dir.path().join("myapp.yaml");
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
    let text = "temprature: 0.3\ndb:\n  pool_sise: 16\ndbb:\n  port: 1\n";
    let (_, warnings) = loader(dir.path(), text, &[]).load_with_warnings().unwrap();
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    let path = dir.path().join("myapp.yaml").display().to_string();
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
        // An unterminated quoted string.
        (format!("log_level: x\napi_key: \"{SECRET}\n"), 2, None),
        // A mapping where the indentation allows none.
        (format!("api_key: {SECRET}\n  db: {SECRET}: x\n"), 2, None),
        // A flow sequence left open.
        (format!("api_key: [{SECRET}\n"), 2, None),
        // A tab where indentation belongs.
        (format!("db:\n\thost: {SECRET}\n"), 2, None),
        // A key written twice.
        (
            format!("api_key: {SECRET}\napi_key: {SECRET}\n"),
            2,
            Some(1),
        ),
        // A second document.
        (
            format!("api_key: {SECRET}\n---\napi_key: {SECRET}\n"),
            2,
            Some(1),
        ),
        // A document that is not a mapping.
        (format!("- {SECRET}\n"), 1, Some(1)),
        // A complex key.
        (format!("? [{SECRET}]\n: x\n"), 1, Some(3)),
    ] {
        let err = loader(dir.path(), &text, &[]).load().unwrap_err();
        let shown = common::error_texts(&err);
        let path = dir.path().join("myapp.yaml");
        let head = format!("{}:{line}: invalid YAML at column ", path.display());
        assert!(shown.contains(&head), "{head}\n{shown}");
        if let Some(column) = column {
            assert!(shown.contains(&format!("{head}{column}: ")), "{shown}");
        }
        assert_eq!(common::leaked(SECRET, &shown), None, "{shown}");
        assert!(
            !shown.contains("api_key: "),
            "the line is not quoted: {shown}"
        );
        assert_eq!(err.problems().len(), 1, "{shown}");
        assert_eq!(err.problems()[0].kind(), ProblemKind::Unreadable);
    }
}

#[test]
fn a_secret_in_a_file_loads_and_is_never_shown() {
    let dir = common::tempdir();
    let text = format!(
        "api_key: {SECRET}\nlog_level: \"{SECRET}-in-a-plain-field\"\ndb:\n  port: |\n    {SECRET}\n"
    );
    let err = loader(dir.path(), &text, &[]).explain().unwrap_err();
    let shown = common::error_texts(&err);
    assert!(shown.contains("db.port ("), "{shown}");
    assert_eq!(common::leaked(SECRET, &shown), None, "{shown}");
    let explain = err.explain().expect("the table of a failed load");
    let table = format!("{explain}\n{}\n{explain:?}", explain.to_json());
    assert_eq!(common::leaked(SECRET, &table), None, "{table}");

    let text = format!("api_key: '{SECRET}'\nproviders:\n  openai: {SECRET}\n");
    let cfg = loader(dir.path(), &text, &[]).load().unwrap();
    let shown = format!("{cfg:?}");
    assert_eq!(common::leaked(SECRET, &shown), None, "{shown}");
    assert_eq!(cfg.api_key.unwrap().expose_secret(), SECRET);
    assert_eq!(cfg.providers.unwrap()["openai"].expose_secret(), SECRET);
}

#[test]
fn an_empty_file_sets_nothing_and_yml_is_yaml() {
    let dir = common::tempdir();
    for text in ["", "# only a comment\n", "---\n", "~\n"] {
        let cfg = loader(dir.path(), text, &[]).load().unwrap();
        assert_eq!(cfg.log_level, "info", "{text:?}");
    }
    let file = common::write(dir.path(), "other.yml", "---\nlog_level: warn\n...\n");
    let cfg = common::isolated::<Config>()
        .config_file(file)
        .load()
        .unwrap();
    assert_eq!(cfg.log_level, "warn");
}

#[test]
fn profile_and_local_files_are_yaml_beside_a_yaml_file() {
    let dir = common::tempdir();
    let base = common::write(dir.path(), "myapp.yaml", "log_level: base\nzip: base\n");
    common::write(dir.path(), "myapp.production.yaml", "zip: prod\n");
    common::write(dir.path(), "myapp.local.yaml", "log_level: local\n");
    let cfg = common::isolated::<Config>()
        .config_file(&base)
        .profile("production")
        .load()
        .unwrap();
    assert_eq!(
        (cfg.log_level.as_str(), cfg.zip.as_deref()),
        ("local", Some("prod"))
    );
}
