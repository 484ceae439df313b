//! Warnings: unknown names (environment, `.env`, secrets directory) with their
//! suggestion, a shared `.env`'s silence, `strict`, `deprecated` names; and never a value.

mod common;

use common::{tempdir, write};
use confidant::{ExposeSecret, ProblemKind, Secret, Settings};

const CANARY: &str = "canary-w4rn-7f3a91";

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    #[settings(default = 8080)]
    port: u16,
    #[settings(
        alias = "APP_API_TOKEN",
        deprecated = "APP_OLD_KEY",
        deprecated = "LEGACY_KEY"
    )]
    api_key: Option<Secret<String>>,
    #[settings(nested)]
    db: Db,
    #[settings(default = "INFO", deprecated = "APP_VERBOSITY")]
    log_level: String,
}

#[derive(Debug, Settings)]
struct Db {
    #[settings(default = 5432)]
    port: u16,
    password: Option<Secret<String>>,
}

fn env_only(vars: &[(&str, &str)]) -> confidant::Loader<Config> {
    common::env_only(vars)
}

fn shown(warnings: &[confidant::Problem]) -> Vec<String> {
    warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn unknown_env_var_with_suggestion() {
    let (cfg, warnings) = env_only(&[("APP_DB_PORT", CANARY), ("APP_PROT", "1")])
        .load_with_warnings()
        .unwrap();
    assert_eq!(cfg.db.port, 5432);
    assert_eq!(
        shown(&warnings),
        [
            "APP_DB_PORT (environment): sets no setting; did you mean APP_DB__PORT?",
            "APP_PROT (environment): sets no setting; did you mean APP_PORT?",
        ]
    );
    assert!(warnings.iter().all(|w| w.is_warning()));
    assert!(warnings.iter().all(|w| w.kind() == ProblemKind::Unknown));
}

#[test]
fn unknown_env_var_far_from_every_name_has_no_suggestion() {
    let (_, warnings) = env_only(&[("APP_COMPLETELY_DIFFERENT", "1")])
        .load_with_warnings()
        .unwrap();
    assert_eq!(
        shown(&warnings),
        ["APP_COMPLETELY_DIFFERENT (environment): sets no setting"]
    );
}

#[test]
fn prefix_matches_in_any_case_and_file_forms_are_suggested() {
    let (_, warnings) = env_only(&[("app_db__pasword_file", "/nope")])
        .load_with_warnings()
        .unwrap();
    assert_eq!(
        shown(&warnings),
        [
            "app_db__pasword_file (environment): sets no setting; did you mean APP_DB__PASSWORD_FILE?"
        ]
    );
}

#[test]
fn known_names_aliases_and_file_forms_are_not_warnings() {
    let dir = tempdir();
    let key = write(dir.path(), "key", "k-0123456789");
    let (cfg, warnings) = env_only(&[
        ("APP_PORT", "1"),
        ("APP_API_TOKEN_FILE", key.to_str().unwrap()),
        ("app_db__port", "2"),
        ("OTHER_SERVICE_PORT", "3"),
        ("PATH", "/bin"),
    ])
    .load_with_warnings()
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!((cfg.port, cfg.db.port), (1, 2));
}

#[test]
fn unknown_dotenv_key_names_path_and_line() {
    let dir = tempdir();
    let env = write(
        dir.path(),
        ".env",
        &format!("# shared\nOTHER_TOKEN={CANARY}\nAPP_PORT=1\nAPP_LOG_LEVLE={CANARY}\n"),
    );
    let (cfg, warnings) = common::dotenv_only::<Config>(&env)
        .load_with_warnings()
        .unwrap();
    assert_eq!(cfg.port, 1);
    assert_eq!(
        shown(&warnings),
        [format!(
            "APP_LOG_LEVLE ({}:4): sets no setting; did you mean APP_LOG_LEVEL?",
            env.display()
        )]
    );
}

#[test]
fn shared_dotenv_without_our_prefix_is_silent() {
    let dir = tempdir();
    let env = write(
        dir.path(),
        ".env",
        "POSTGRES_PASSWORD=x\nREDIS_URL=redis://r\nWORKER_THREADS=4\nAPP_PORT=9\n",
    );
    let (_, warnings) = common::dotenv_only::<Config>(&env)
        .load_with_warnings()
        .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[derive(Debug, Settings)]
struct NoPrefix {
    #[settings(default = 1)]
    port: u16,
}

#[test]
fn without_a_prefix_env_and_dotenv_names_are_not_checked() {
    let dir = tempdir();
    let env = write(dir.path(), ".env", "PROT=1\n");
    let (_, warnings) = common::env_only::<NoPrefix>(&[("PORTT", "2")])
        .dotenv(&env)
        .load_with_warnings()
        .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn unknown_secrets_files_are_warnings_with_suggestions() {
    let dir = tempdir();
    write(dir.path(), "APP_DB__PASWORD", CANARY);
    write(dir.path(), "db/pasword", CANARY);
    write(dir.path(), "db/password", "pw-0123456789");
    write(dir.path(), "unrelated.txt", CANARY);
    // Kubernetes bookkeeping and hidden files are not settings.
    std::fs::create_dir(dir.path().join("..2024_01_01_00_00_00.000")).unwrap();
    write(dir.path(), ".gitkeep", "");
    let (cfg, mut warnings) = common::dir_only::<Config>(dir.path())
        .load_with_warnings()
        .unwrap();
    assert_eq!(
        cfg.db.password.as_ref().unwrap().expose_secret(),
        "pw-0123456789"
    );
    // Directory listing order is the file system's.
    warnings.sort_by(|a, b| a.env_var().cmp(b.env_var()));
    let d = dir.path().display();
    assert_eq!(
        shown(&warnings),
        [
            format!(
                "APP_DB__PASWORD (secrets file {d}/APP_DB__PASWORD): names no setting; did you mean APP_DB__PASSWORD?"
            ),
            format!(
                "pasword (secrets file {d}/db/pasword): names no setting; did you mean db/password?"
            ),
            format!("unrelated.txt (secrets file {d}/unrelated.txt): names no setting"),
        ]
    );
}

#[test]
fn secrets_files_are_checked_without_a_prefix_too() {
    let dir = tempdir();
    write(dir.path(), "prot", "1");
    let (_, warnings) = common::dir_only::<NoPrefix>(dir.path())
        .load_with_warnings()
        .unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].message().ends_with("did you mean port?"),
        "{}",
        warnings[0]
    );
}

#[test]
fn strict_turns_warnings_into_problems() {
    let loader = || env_only(&[("APP_PROT", "1"), ("APP_OLD_KEY", CANARY)]);
    assert!(loader().load().is_ok());
    let err = loader().strict().load().unwrap_err();
    assert_eq!(err.problems().len(), 2);
    assert!(err.problems().iter().all(|p| !p.is_warning()));
    assert_eq!(err.problems()[0].kind(), ProblemKind::Deprecated);
    assert_eq!(err.problems()[1].env_var(), "APP_PROT");
    assert!(err.warnings().is_empty());
    assert!(!err.to_string().contains(CANARY));
}

#[test]
fn deprecated_name_alone_sets_the_value_with_a_warning() {
    let (cfg, warnings) = env_only(&[("APP_OLD_KEY", CANARY)])
        .load_with_warnings()
        .unwrap();
    assert_eq!(cfg.api_key.as_ref().unwrap().expose_secret(), CANARY);
    assert_eq!(
        shown(&warnings),
        ["APP_OLD_KEY (environment): deprecated name; use APP_API_KEY"]
    );
    assert_eq!(warnings[0].kind(), ProblemKind::Deprecated);
    assert_eq!(warnings[0].field(), "api_key");
}

#[test]
fn current_name_wins_over_deprecated_and_the_warning_says_so() {
    let (cfg, warnings) = env_only(&[("APP_API_KEY", "new-0123456789"), ("APP_OLD_KEY", CANARY)])
        .load_with_warnings()
        .unwrap();
    assert_eq!(
        cfg.api_key.as_ref().unwrap().expose_secret(),
        "new-0123456789"
    );
    assert_eq!(
        shown(&warnings),
        [
            "APP_OLD_KEY (environment): deprecated name; use APP_API_KEY (APP_API_KEY is set too and wins; remove APP_OLD_KEY)"
        ]
    );
}

#[test]
fn alias_wins_over_deprecated_and_deprecated_over_nothing() {
    let (cfg, warnings) = env_only(&[
        ("APP_API_TOKEN", "alias-0123456789"),
        ("LEGACY_KEY", CANARY),
    ])
    .load_with_warnings()
    .unwrap();
    assert_eq!(
        cfg.api_key.as_ref().unwrap().expose_secret(),
        "alias-0123456789"
    );
    assert!(
        warnings[0]
            .message()
            .contains("APP_API_TOKEN is set too and wins")
    );
    // Two deprecated names: the first written wins, each is a warning.
    let (cfg, warnings) = env_only(&[("LEGACY_KEY", "legacy-0123456789"), ("APP_OLD_KEY", CANARY)])
        .load_with_warnings()
        .unwrap();
    assert_eq!(cfg.api_key.as_ref().unwrap().expose_secret(), CANARY);
    assert_eq!(warnings.len(), 2);
}

#[test]
fn deprecated_in_a_higher_layer_wins() {
    let dir = tempdir();
    let env = write(dir.path(), ".env", "APP_LOG_LEVEL=debug\n");
    let (cfg, warnings) = common::env_only::<Config>(&[("APP_VERBOSITY", "trace")])
        .dotenv(&env)
        .load_with_warnings()
        .unwrap();
    assert_eq!(cfg.log_level, "trace");
    assert_eq!(
        shown(&warnings),
        ["APP_VERBOSITY (environment): deprecated name; use APP_LOG_LEVEL"]
    );
}

#[test]
fn warnings_come_in_declaration_order_then_unknown_names() {
    let (_, warnings) = env_only(&[
        ("APP_ZZZ", "1"),
        ("APP_VERBOSITY", "debug"),
        ("APP_AAA", "1"),
        ("APP_OLD_KEY", CANARY),
    ])
    .load_with_warnings()
    .unwrap();
    let names: Vec<&str> = warnings.iter().map(|w| w.env_var()).collect();
    assert_eq!(
        names,
        ["APP_OLD_KEY", "APP_VERBOSITY", "APP_AAA", "APP_ZZZ"]
    );
}

#[test]
fn a_failed_load_lists_its_warnings_after_its_problems() {
    let err = env_only(&[("APP_PORT", "http"), ("APP_DB__PROT", CANARY)])
        .load()
        .unwrap_err();
    assert_eq!(err.problems().len(), 1);
    assert_eq!(err.warnings().len(), 1);
    let report = err.to_string();
    assert_eq!(
        report,
        "Config: 1 problem loading settings\n  APP_PORT (environment): invalid value \"http\": expected u16: invalid digit found in string\n  warning: APP_DB__PROT (environment): sets no setting; did you mean APP_DB__PORT?"
    );
}

#[test]
fn env_example_lists_deprecated_names() {
    let example = Config::env_example();
    assert!(
        example.contains("# also read from: APP_API_TOKEN\n# deprecated names, still read: APP_OLD_KEY, LEGACY_KEY\n"),
        "{example}"
    );
}

#[test]
fn canary_no_warning_holds_a_value() {
    let dir = tempdir();
    write(dir.path(), "secrets/APP_DB__PASWORD", CANARY);
    let env = write(
        dir.path(),
        ".env",
        &format!("APP_API_KEY={CANARY}\nAPP_APIKEY={CANARY}\nAPP_OLD_KEY={CANARY}\n"),
    );
    let loaders = || {
        Config::loader()
            .env_vars([
                ("APP_OLD_KEY", CANARY),
                ("APP_VERBOSITY", CANARY),
                ("APP_X", CANARY),
            ])
            .dotenv(&env)
            .secrets_dir(dir.path().join("secrets"))
    };
    let (_, warnings) = loaders().load_with_warnings().unwrap();
    assert!(warnings.len() >= 5, "{warnings:?}");
    for w in &warnings {
        assert!(!w.to_string().contains(CANARY), "{w}");
        assert!(!format!("{w:?}").contains(CANARY), "{w:?}");
    }
    let err = loaders().strict().load().unwrap_err();
    assert!(!err.to_string().contains(CANARY));
    assert!(!format!("{err:?}").contains(CANARY));
}

/// Issue 24: a typo in the `_FILE` suffix itself is suggested the `_FILE` form, in the
/// environment and in `.env`.
#[test]
fn a_misspelled_file_form_is_suggested() {
    let dir = tempdir();
    let env = write(dir.path(), ".env", "APP_DB__PASWORD_FILE=/run/x\n");
    let (_, warnings) = env_only(&[("APP_DB__PASSWORD_FIEL", "/run/x")])
        .dotenv(&env)
        .load_with_warnings()
        .unwrap();
    assert_eq!(
        shown(&warnings),
        [
            format!(
                "APP_DB__PASWORD_FILE ({}:1): sets no setting; did you mean APP_DB__PASSWORD_FILE?",
                env.display()
            ),
            "APP_DB__PASSWORD_FIEL (environment): sets no setting; did you mean APP_DB__PASSWORD_FILE?"
                .to_owned(),
        ]
    );
}

/// Issue 24: 10,000 unknown variables do not make a 10,000-line report: the first 20
/// of one kind, then one line counting the rest; every warning is still data.
#[test]
fn past_twenty_warnings_of_one_kind_the_rest_are_counted() {
    let names: Vec<String> = (0..10_000).map(|i| format!("APP_STRAY_{i:05}")).collect();
    let mut vars: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), CANARY)).collect();
    vars.push(("APP_PORT", "http"));
    vars.push(("APP_VERBOSITY", "debug"));
    let err = env_only(&vars).load().unwrap_err();
    assert_eq!(err.warnings().len(), 10_001);
    let text = err.to_string();
    let lines: Vec<&str> = text.lines().collect();
    // Header, the problem, the deprecated name, 20 unknown names, the count.
    assert_eq!(lines.len(), 24, "{text}");
    assert_eq!(
        lines[2],
        "  warning: APP_VERBOSITY (environment): deprecated name; use APP_LOG_LEVEL"
    );
    assert_eq!(
        lines[3],
        "  warning: APP_STRAY_00000 (environment): sets no setting"
    );
    assert_eq!(
        lines[22],
        "  warning: APP_STRAY_00019 (environment): sets no setting"
    );
    assert_eq!(lines[23], "  ... and 9,980 more unknown-name warnings");
    assert!(!text.contains(CANARY));

    // A successful load: `load_with_warnings` returns every one.
    vars.retain(|(name, _)| *name != "APP_PORT");
    let (_, warnings) = env_only(&vars).load_with_warnings().unwrap();
    assert_eq!(warnings.len(), 10_001);
    // Exactly 20 of a kind are listed in full.
    let twenty: Vec<(&str, &str)> = names[..20]
        .iter()
        .map(|n| (n.as_str(), "1"))
        .chain([("APP_PORT", "x")])
        .collect();
    let text = env_only(&twenty).load().unwrap_err().to_string();
    assert_eq!(text.lines().count(), 22, "{text}");
    assert!(!text.contains("more"), "{text}");

    // `strict`: they are problems, counted the same way; other problems are all listed.
    let err = env_only(&vars[..100]).strict().load().unwrap_err();
    assert_eq!(err.problems().len(), 100);
    let text = err.to_string();
    assert_eq!(text.lines().count(), 22, "{text}");
    assert!(text.starts_with("Config: 100 problems loading settings\n"));
    assert!(
        text.ends_with("\n  ... and 80 more unknown-name problems"),
        "{text}"
    );
}
