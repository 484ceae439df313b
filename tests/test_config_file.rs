//! Config files (SPEC, wave 3, "Config files"): keys are field paths, values are read
//! from their text with the environment's parsers, every value's origin is `path:line`,
//! unknown keys warn with did you mean, syntax errors name file, line and column only,
//! profiles and `.local` files sit beside the file, and a secret in a file is never shown.
#![cfg(feature = "toml")]

mod common;
#[path = "common/config.rs"]
mod config;

use config::*;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use confidant::{ExposeSecret, Origin, ProblemKind, Settings};

const SECRET: &str = "sk-cfgfile-canary-4f1e2d9c77";

fn loader(dir: &Path, text: &str, env: &[(&str, &str)]) -> confidant::Loader<Config> {
    loader_of(dir, "myapp.toml", text, env)
}

#[test]
fn every_leaf_knows_its_line_in_every_toml_form() {
    let dir = common::tempdir();
    // Line numbers are on the right; the file has CRLF line endings.
    let text = [
        "# comment",                                               // 1
        "log_level = \"debug\"",                                   // 2
        "llm.model = \"large\"",                                   // 3 dotted key
        "hosts = [",                                               // 4 multi-line array
        "  \"a.example\",",                                        // 5
        "  \"b.example\",",                                        // 6
        "]",                                                       // 7
        "zip = \"\"\"",                                            // 8 multi-line string
        "01234\"\"\"",                                             // 9
        "providers = { openai = \"sk-1\", anthropic = \"sk-2\" }", // 10 inline table
        "",                                                        // 11
        "[db]",                                                    // 12
        "host = 'db.internal'",                                    // 13
        "port = 5433",                                             // 14
        "pool_size = 16",                                          // 15
        "[[servers]]",                                             // 16 array of tables
        "name = \"x\"",                                            // 17
        "weight = 3",                                              // 18
        "[[servers]]",                                             // 19
        "name = \"y\"",                                            // 20
        "weight = 5",                                              // 21
    ]
    .join("\r\n");
    let explain = loader(dir.path(), &text, &[]).explain().unwrap();
    let lines: HashMap<&str, usize> = explain
        .rows()
        .iter()
        .filter(|row| matches!(row.origin(), Origin::ConfigFile { .. }))
        .map(|row| (row.setting(), line_of(row.origin())))
        .collect();
    let want = [
        ("log_level", 2),
        ("llm.model", 3),
        ("db.pool_size", 15),
        ("hosts", 4),
        ("zip", 8),
        ("providers", 10),
        ("db.host", 13),
        ("db.port", 14),
    ];
    for (setting, line) in want {
        assert_eq!(lines.get(setting), Some(&line), "{setting}: {lines:?}");
    }
    // An array of tables starts at its first header's table.
    assert!(
        (16..=17).contains(&lines["servers"]),
        "servers: {}",
        lines["servers"]
    );
    let row = explain
        .rows()
        .iter()
        .find(|r| r.setting() == "db.port")
        .unwrap();
    assert_eq!(
        row.origin().to_string(),
        format!("{}:14", dir.path().join("myapp.toml").display())
    );

    let cfg = loader(dir.path(), &text, &[]).load().unwrap();
    assert_eq!(cfg.log_level, "debug");
    assert_eq!(cfg.llm.model, "large");
    assert_eq!(
        (cfg.db.host.as_str(), cfg.db.port, cfg.db.pool_size),
        ("db.internal", 5433, 16)
    );
    assert_eq!(cfg.hosts, ["a.example", "b.example"]);
    // A string keeps its text as written: a leading zero stays.
    assert_eq!(cfg.zip.as_deref(), Some("01234"));
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
}

#[test]
fn scalars_are_read_from_their_text_with_the_environments_parsers() {
    let dir = common::tempdir();
    let text = r#"
temperature = 1
verbose = "true"
timeout = "1m 30s"
timeouts = ["500ms", 2]
ports = [8080, "8081"]
log_level = 3

[db]
port = "5433"
note = 1979-05-27T07:32:00Z
"#;
    let cfg = loader(dir.path(), text, &[]).load().unwrap();
    assert_eq!(cfg.temperature, 1.0);
    assert!(cfg.verbose);
    assert_eq!(cfg.timeout, Duration::from_secs(90));
    assert_eq!(
        cfg.timeouts,
        [Duration::from_millis(500), Duration::from_secs(2)]
    );
    assert_eq!(cfg.ports, [8080, 8081]);
    // A number for a string setting is its text.
    assert_eq!(cfg.log_level, "3");
    assert_eq!(cfg.db.port, 5433);
    assert_eq!(cfg.db.note, "1979-05-27T07:32:00Z");
}

#[test]
fn keys_match_field_names_in_any_case() {
    let dir = common::tempdir();
    let cfg = loader(dir.path(), "LOG_LEVEL = \"warn\"\n[DB]\nPort = 1\n", &[])
        .load()
        .unwrap();
    assert_eq!((cfg.log_level.as_str(), cfg.db.port), ("warn", 1));
}

#[test]
fn a_problem_names_the_key_as_written_the_line_and_the_variable() {
    let dir = common::tempdir();
    let err = loader(dir.path(), "# x\n\n[db]\nPort = -1\n", &[])
        .load()
        .unwrap_err();
    let shown = err.to_string();
    let path = dir.path().join("myapp.toml");
    let want = format!(
        "db.Port ({}:4, APP_DB__PORT): invalid value \"-1\": expected u16",
        path.display()
    );
    assert!(shown.contains(&want), "{shown}");
    assert_eq!(err.problems()[0].env_var(), "APP_DB__PORT");
    assert_eq!(err.problems()[0].field(), "db.port");
}

#[test]
fn unknown_keys_warn_with_did_you_mean_and_fail_a_strict_load() {
    let dir = common::tempdir();
    let text = "temprature = 0.3\n[db]\npool_sise = 16\n[dbb]\nport = 1\n";
    let (_, warnings) = loader(dir.path(), text, &[]).load_with_warnings().unwrap();
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    let path = dir.path().join("myapp.toml").display().to_string();
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
fn a_value_where_a_table_of_settings_belongs_is_a_warning() {
    let dir = common::tempdir();
    let (_, warnings) = loader(dir.path(), "db = 5\n", &[])
        .load_with_warnings()
        .unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].to_string().contains("db (") && warnings[0].message().contains("[db]"),
        "{}",
        warnings[0]
    );
}

#[test]
fn a_syntax_error_names_file_line_and_column_never_the_line() {
    let dir = common::tempdir();
    for (text, line, column) in [
        (
            format!("log_level = \"x\"\napi_key = \"{SECRET}\n"),
            2,
            None,
        ),
        (format!("api_key = \"{SECRET}\"\n[db\n"), 2, Some(4)),
        (format!("api_key = \"{SECRET}\\q\"\n"), 1, None),
        // Found by toml's own pass (a key defined twice), reported the same way.
        (
            format!("api_key = \"{SECRET}\"\napi_key = \"{SECRET}\"\n"),
            2,
            Some(1),
        ),
    ] {
        let err = loader(dir.path(), &text, &[]).load().unwrap_err();
        let shown = err.to_string();
        let path = dir.path().join("myapp.toml");
        let head = format!("{}:{line}: invalid TOML at column ", path.display());
        assert!(shown.contains(&head), "{head}\n{shown}");
        if let Some(column) = column {
            assert!(shown.contains(&format!("{head}{column}: ")), "{shown}");
        }
        assert!(
            !shown.contains(SECRET) && !shown.contains("sk-cfgfile"),
            "{shown}"
        );
        assert!(
            !shown.contains("api_key = "),
            "the line is not quoted: {shown}"
        );
        assert_eq!(err.problems()[0].kind(), ProblemKind::Unreadable);
    }
}

#[test]
fn a_secret_in_a_file_loads_and_is_never_shown() {
    let dir = common::tempdir();
    let text = format!(
        "api_key = \"{SECRET}\"\nlog_level = \"{SECRET}-in-a-plain-field\"\n[db]\nport = \"{SECRET}\"\n"
    );
    let err = loader(dir.path(), &text, &[]).explain().unwrap_err();
    let shown = format!("{err}\n{err:?}");
    assert!(shown.contains("db.port ("), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
    let explain = err.explain().expect("the table of a failed load");
    let table = format!("{explain}\n{}", explain.to_json());
    assert!(!table.contains(SECRET), "{table}");

    let text = format!("api_key = '{SECRET}'\n");
    let cfg = loader(dir.path(), &text, &[]).load().unwrap();
    assert_eq!(cfg.api_key.unwrap().expose_secret(), SECRET);
}

#[test]
fn config_files_sit_below_every_other_layer() {
    let dir = common::tempdir();
    let dotenv = common::write(dir.path(), ".env", "APP_DB__PORT=2\n");
    let text = "log_level = \"file\"\n[db]\nport = 1\nhost = \"file\"\npool_size = 9\n";
    let cfg = loader(dir.path(), text, &[("APP_LOG_LEVEL", "env")])
        .dotenv(&dotenv)
        .set("db.pool_size", "10")
        .load()
        .unwrap();
    assert_eq!(cfg.log_level, "env");
    assert_eq!(cfg.db.port, 2);
    assert_eq!(cfg.db.host, "file");
    assert_eq!(cfg.db.pool_size, 10);
}

#[test]
fn later_files_win_and_profiles_and_local_files_sit_beside_each() {
    let dir = common::tempdir();
    let base = common::write(
        dir.path(),
        "myapp.toml",
        "log_level = \"base\"\nhosts = [\"base\"]\nzip = \"base\"\n[db]\nhost = \"base\"\n",
    );
    common::write(
        dir.path(),
        "myapp.production.toml",
        "hosts = [\"prod\"]\nzip = \"prod\"\n[db]\nhost = \"prod\"\n",
    );
    common::write(
        dir.path(),
        "myapp.local.toml",
        "zip = \"local\"\n[db]\nhost = \"local\"\n",
    );
    common::write(
        dir.path(),
        "myapp.production.local.toml",
        "[db]\nhost = \"prod-local\"\n",
    );
    common::write(
        dir.path(),
        "myapp.staging.toml",
        "log_level = \"staging\"\n",
    );
    let cfg = common::isolated::<Config>()
        .config_file(&base)
        .profile("production")
        .load()
        .unwrap();
    assert_eq!(
        (
            cfg.log_level.as_str(),
            cfg.hosts[0].as_str(),
            cfg.zip.as_deref(),
            cfg.db.host.as_str()
        ),
        ("base", "prod", Some("local"), "prod-local")
    );
    // Without a profile: the file, then its `.local`.
    let cfg = common::isolated::<Config>()
        .config_file(&base)
        .load()
        .unwrap();
    assert_eq!(
        (cfg.hosts[0].as_str(), cfg.db.host.as_str()),
        ("base", "local")
    );
    // A second named file wins over the first (and its `.local`).
    let second = common::write(dir.path(), "other/second.toml", "[db]\nhost = \"second\"\n");
    let cfg = common::isolated::<Config>()
        .config_file(&base)
        .config_file(&second)
        .load()
        .unwrap();
    assert_eq!(cfg.db.host, "second");
}

#[test]
fn a_named_file_must_exist_and_the_extension_picks_the_format() {
    let dir = common::tempdir();
    let missing = dir.path().join("nope.toml");
    let err = common::isolated::<Config>()
        .config_file(&missing)
        .load()
        .unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
    assert!(err.to_string().contains("nope.toml"), "{err}");

    let odd = common::write(dir.path(), "myapp.ini", "a = 1\n");
    let err = common::isolated::<Config>()
        .config_file(&odd)
        .load()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("`.toml`, `.yaml`/`.yml` or `.json`"),
        "{err}"
    );
}

#[test]
fn the_structs_file_is_optional_and_no_config_file_reads_none() {
    #[derive(Debug, Settings)]
    #[settings(prefix = "APP_", config_file = "confidant-test-no-such-file.toml")]
    struct WithFile {
        #[settings(default = 1)]
        n: u8,
    }
    let cfg = common::env_only::<WithFile>(&[]).load().unwrap();
    assert_eq!(cfg.n, 1);

    let dir = common::tempdir();
    let file = common::write(dir.path(), "myapp.toml", "n = 2\n");
    let cfg = common::env_only::<WithFile>(&[])
        .config_file(&file)
        .load()
        .unwrap();
    assert_eq!(cfg.n, 2);
    let cfg = common::env_only::<WithFile>(&[])
        .config_file(&file)
        .no_config_file()
        .load()
        .unwrap();
    assert_eq!(cfg.n, 1);
}

#[test]
fn a_fixture_reads_a_config_file_only_when_named() {
    #[derive(Debug, Settings)]
    #[settings(prefix = "APP_", config_file = "myapp.toml")]
    struct WithFile {
        #[settings(default = 1)]
        n: u8,
    }
    let dir = common::tempdir();
    let file = common::write(dir.path(), "myapp.toml", "n = 3\n");
    assert_eq!(WithFile::fixture().load().unwrap().n, 1);
    assert_eq!(WithFile::fixture().config_file(&file).load().unwrap().n, 3);
}

/// A figment provider's keys are checked like a config file's: a key that names no
/// setting is a warning naming the provider.
#[cfg(feature = "figment")]
#[test]
fn a_providers_unknown_keys_warn_too() {
    use confidant::figment::providers::{Format, Json};
    let (cfg, warnings) = common::isolated::<Config>()
        .provider(Json::string(
            r#"{"log_level": "p", "temprature": 1, "db": {"port": 7, "pool_sise": 2}}"#,
        ))
        .load_with_warnings()
        .unwrap();
    assert_eq!((cfg.log_level.as_str(), cfg.db.port), ("p", 7));
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(
        shown[0].starts_with("db.pool_sise (") || shown[1].starts_with("db.pool_sise ("),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|w| w.contains("did you mean temperature?")),
        "{shown:?}"
    );
    assert!(
        shown.iter().all(|w| w.contains("sets no setting")),
        "{shown:?}"
    );
}

mod generated {
    //! Property: in any TOML document made of the struct's keys, laid out as top-level
    //! keys, `[section]` tables, dotted keys or inline tables, with blank lines and
    //! comments between, LF or CRLF, each value's reported line holds its key.
    use super::*;
    use proptest::prelude::*;

    /// The leaves a document may set: section ("" for top level), key, value as written.
    const LEAVES: &[(&str, &str, &str)] = &[
        ("", "log_level", "\"x\""),
        ("", "temperature", "0.5"),
        ("", "zip", "'''\nz'''"),
        ("", "verbose", "true"),
        ("", "hosts", "[\n  \"a\",\n  \"b\",\n]"),
        ("db", "host", "\"h\""),
        ("db", "port", "1"),
        ("db", "pool_size", "0x10"),
        ("db", "note", "\"\"\"\nmulti\nline\"\"\""),
        ("llm", "model", "\"m\""),
    ];

    #[derive(Debug, Clone, Copy)]
    enum Layout {
        Header,
        Dotted,
        Inline,
    }

    fn layout() -> impl Strategy<Value = Layout> {
        prop_oneof![
            Just(Layout::Header),
            Just(Layout::Dotted),
            Just(Layout::Inline)
        ]
    }

    /// Blank lines and comments between entries.
    fn filler(n: u8) -> String {
        (0..n)
            .map(|i| if i % 2 == 0 { "\n" } else { "# note = 1\n" })
            .collect()
    }

    /// The document, and for each key set the dotted path it sets.
    fn document(
        chosen: &[bool],
        layouts: (Layout, Layout),
        gaps: &[u8],
        crlf: bool,
    ) -> (String, Vec<&'static str>) {
        let mut text = String::new();
        let mut set = Vec::new();
        let mut gap = gaps.iter().cycle();
        let mut paths: Vec<&'static str> = Vec::new();
        // Top-level keys and dotted/inline sections first, then `[section]` tables.
        for (i, (section, key, value)) in LEAVES.iter().enumerate() {
            if !chosen[i] || !section.is_empty() {
                continue;
            }
            text.push_str(&filler(*gap.next().unwrap()));
            text.push_str(&format!("{key} = {value}\n"));
            set.push(*key);
        }
        for (section, layout) in [("db", layouts.0), ("llm", layouts.1)] {
            let keys: Vec<_> = LEAVES
                .iter()
                .enumerate()
                .filter(|(i, (s, ..))| chosen[*i] && *s == section)
                .map(|(_, l)| l)
                .collect();
            if keys.is_empty() {
                continue;
            }
            text.push_str(&filler(*gap.next().unwrap()));
            match layout {
                Layout::Header => {
                    text.push_str(&format!("[{section}]\n"));
                    for (_, key, value) in &keys {
                        text.push_str(&filler(*gap.next().unwrap()));
                        text.push_str(&format!("{key} = {value}\n"));
                    }
                }
                Layout::Dotted => {
                    // Dotted keys must come before any `[table]` header: put them at the
                    // start of the document.
                    let mut head = String::new();
                    for (_, key, value) in &keys {
                        head.push_str(&format!("{section}.{key} = {value}\n"));
                    }
                    text.insert_str(0, &head);
                }
                Layout::Inline => {
                    // Inline tables are one line: only single-line values.
                    let parts: Vec<String> = keys
                        .iter()
                        .filter(|(_, _, v)| !v.contains('\n'))
                        .map(|(_, k, v)| format!("{k} = {v}"))
                        .collect();
                    if parts.is_empty() {
                        continue;
                    }
                    // At the top, beside the dotted keys (before any header).
                    text.insert_str(0, &format!("{section} = {{ {} }}\n", parts.join(", ")));
                    for (_, key, value) in &keys {
                        if !value.contains('\n') {
                            paths.push(leak(format!("{section}.{key}")));
                        }
                    }
                    continue;
                }
            }
            for (_, key, _) in &keys {
                paths.push(leak(format!("{section}.{key}")));
            }
        }
        set.extend(paths);
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        (text, set)
    }

    fn leak(s: String) -> &'static str {
        Box::leak(s.into_boxed_str())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn each_reported_line_holds_its_key(
            chosen in proptest::collection::vec(any::<bool>(), LEAVES.len()),
            layouts in (layout(), layout()),
            gaps in proptest::collection::vec(0u8..4, 1..8),
            crlf in any::<bool>(),
        ) {
            let (text, set) = document(&chosen, layouts, &gaps, crlf);
            let dir = common::tempdir();
            let explain = loader(dir.path(), &text, &[]).explain().unwrap();
            let lines: Vec<&str> = text.split('\n').collect();
            for path in &set {
                let row = explain.rows().iter().find(|r| r.setting() == *path).unwrap();
                let line = line_of(row.origin());
                let key = path.rsplit('.').next().unwrap();
                let held = lines[line - 1];
                prop_assert!(
                    held.contains(&format!("{key} =")),
                    "{path} reported at line {line}: {held:?}\n{text}"
                );
            }
        }
    }
}

/// Keys match field names in any case unless the struct is `case_sensitive`: then only
/// the field's own spelling sets it, and another is an unknown key.
#[test]
fn a_case_sensitive_struct_matches_keys_exactly() {
    #[derive(Debug, Settings)]
    #[settings(prefix = "APP_", case_sensitive)]
    struct Exact {
        #[settings(default = 1)]
        port: u16,
    }
    let dir = common::tempdir();
    let exact = common::write(dir.path(), "exact.toml", "port = 2\n");
    let cfg = common::env_only::<Exact>(&[])
        .config_file(&exact)
        .load()
        .unwrap();
    assert_eq!(cfg.port, 2);
    let other = common::write(dir.path(), "other.toml", "Port = 3\n");
    let (cfg, warnings) = common::env_only::<Exact>(&[])
        .config_file(&other)
        .load_with_warnings()
        .unwrap();
    assert_eq!(cfg.port, 1);
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].to_string().starts_with("Port (")
            && warnings[0].message().contains("did you mean port?"),
        "{}",
        warnings[0]
    );
}
