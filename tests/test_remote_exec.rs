#![cfg(unix)]
//! `confidant::remote::Exec`: a program speaking vector's exec protocol v1, run as a
//! remote source. Each test writes a small shell script into a temp dir.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use confidant::remote::Exec;
use confidant::{ExposeSecret, Origin, ProblemKind, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    api_key: Secret<String>,
    #[settings(default = "info")]
    log_level: String,
    #[settings(nested)]
    db: Db,
}

/// Unlike the Vault and AWS tests' `Db` (tests/common/remote.rs), the password is
/// optional: these tests' programs leave it out, and the load still succeeds.
#[derive(Debug, Settings)]
struct Db {
    #[settings(default = 5432)]
    port: u16,
    password: Option<Secret<String>>,
}

const KEY: &str = "k3y-7c1d9e0f2a4b6c8d";
const PASSWORD: &str = "pw-5e8a1b3c7d9f0e2a";

/// An executable script `name` in `dir` with this body (after `#!/bin/sh`).
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = common::write(dir, name, &format!("#!/bin/sh\n{body}\n"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A script that saves its stdin to `stdin.json` beside it and prints `answer`.
fn answering(dir: &Path, answer: &str) -> PathBuf {
    let saved = dir.join("stdin.json");
    script(
        dir,
        "fetch-secrets",
        &format!("cat > '{}'\ncat <<'EOF'\n{answer}\nEOF", saved.display()),
    )
}

fn loader() -> confidant::Loader<Config> {
    common::isolated::<Config>()
}

/// A loader of [`Config`] whose one source is `program`, run with no arguments.
fn from_program(program: &Path) -> confidant::Loader<Config> {
    loader().source(Exec::new([program]))
}

#[test]
fn the_program_gets_every_env_name_and_its_answer_sets_settings() {
    let dir = common::tempdir();
    let answer = format!(
        r#"{{"APP_API_KEY": {{"value": "{KEY}", "error": null}}, "APP_DB__PORT": {{"value": "6000", "error": null}}}}"#
    );
    let program = answering(dir.path(), &answer);
    let explain = from_program(&program).explain().unwrap();
    let stdin: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("stdin.json")).unwrap())
            .unwrap();
    assert_eq!(
        stdin,
        serde_json::json!({"version": "1.0", "secrets": ["APP_API_KEY", "APP_LOG_LEVEL", "APP_DB__PORT", "APP_DB__PASSWORD"]})
    );
    let origin = format!("exec {}", program.display());
    let row = |path| common::origin_of(&explain, path);
    assert_eq!(row("api_key").to_string(), origin);
    assert_eq!(row("db.port").to_string(), origin);
    assert!(matches!(row("db.port"), Origin::Remote { .. }));
    // A name the program leaves out is not set by it.
    assert_eq!(row("log_level"), &Origin::Default);
    assert!(!explain.to_string().contains(KEY));

    let cfg = from_program(&program).load().unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    assert_eq!(cfg.db.port, 6000);
    assert!(cfg.db.password.is_none());
}

#[test]
fn keys_are_named_like_secrets_files_and_unknown_keys_warn() {
    let dir = common::tempdir();
    let answer = format!(
        r#"{{"api_key": {{"value": "{KEY}"}}, "db/password": {{"value": "{PASSWORD}"}}, "db__prot": {{"value": "1"}}}}"#
    );
    let program = answering(dir.path(), &answer);
    let (cfg, warnings) = from_program(&program).load_with_warnings().unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    assert_eq!(cfg.db.password.unwrap().expose_secret(), PASSWORD);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].kind(), ProblemKind::Unknown);
    assert_eq!(
        warnings[0].to_string(),
        format!(
            "db__prot (exec {}): names no setting; did you mean db__port?",
            program.display()
        )
    );
}

#[test]
fn two_keys_for_one_setting_that_disagree_are_a_conflict() {
    let dir = common::tempdir();
    let answer =
        format!(r#"{{"APP_API_KEY": {{"value": "{KEY}"}}, "api_key": {{"value": "{PASSWORD}"}}}}"#);
    let program = answering(dir.path(), &answer);
    let err = from_program(&program).load().unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert_eq!(err.problems()[0].kind(), ProblemKind::Conflict);
    assert_eq!(err.problems()[0].field(), "api_key");
    common::assert_error_hides(&err, KEY);
    common::assert_error_hides(&err, PASSWORD);

    // Agreeing keys are no conflict.
    let answer =
        format!(r#"{{"APP_API_KEY": {{"value": "{KEY}"}}, "api_key": {{"value": "{KEY}"}}}}"#);
    let program = answering(dir.path(), &answer);
    assert!(from_program(&program).load().is_ok());
}

#[test]
fn a_remote_source_ranks_with_the_secrets_directories_in_call_order() {
    let dir = common::tempdir();
    let secrets = dir.path().join("secrets");
    common::write(&secrets, "api_key", "from-the-directory-000");
    common::write(&secrets, "db__port", "7000");
    let first = common::tempdir();
    let first = answering(
        first.path(),
        r#"{"APP_API_KEY": {"value": "from-the-first-source-0"}, "APP_LOG_LEVEL": {"value": "warn"}}"#,
    );
    let second = common::tempdir();
    let second = answering(
        second.path(),
        r#"{"APP_API_KEY": {"value": "from-the-second-source"}, "APP_DB__PORT": {"value": "7001"}}"#,
    );
    let cfg = loader()
        .secrets_dir(&secrets)
        .source(Exec::new([&first]))
        .source(Exec::new([&second]))
        .load()
        .unwrap();
    // Later wins; the sources are above the secrets directory.
    assert_eq!(cfg.api_key.expose_secret(), "from-the-second-source");
    assert_eq!(cfg.db.port, 7001);
    assert_eq!(cfg.log_level, "warn");

    // `.env` and the environment are above every remote source.
    let dotenv = common::write(dir.path(), ".env", "APP_LOG_LEVEL=debug\n");
    let cfg = loader()
        .dotenv(&dotenv)
        .env_vars([("APP_DB__PORT", "7002")])
        .source(Exec::new([&first]))
        .source(Exec::new([&second]))
        .load()
        .unwrap();
    assert_eq!(cfg.log_level, "debug");
    assert_eq!(cfg.db.port, 7002);
}

#[test]
fn the_program_runs_with_the_loaders_environment() {
    let dir = common::tempdir();
    let program = script(
        dir.path(),
        "fetch-secrets",
        r#"cat >/dev/null; printf '{"APP_API_KEY": {"value": "%s"}}' "$FETCH_TOKEN""#,
    );
    let cfg = loader()
        .env_vars([("FETCH_TOKEN", KEY)])
        .source(Exec::new([&program]))
        .load()
        .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
}

/// The program's output (holding `KEY`) is never echoed, and the problem names it.
fn assert_source_problem(body: &str, exec: impl FnOnce(Exec) -> Exec, expect: &str) {
    let dir = common::tempdir();
    let program = script(dir.path(), "fetch-secrets", body);
    let err = loader()
        .source(exec(Exec::new([&program])))
        .load()
        .unwrap_err();
    let problem = &err.problems()[0];
    assert_eq!(
        problem.to_string(),
        format!("exec {}: {expect}", program.display()),
        "{err}"
    );
    assert_eq!(problem.kind(), ProblemKind::Unreadable);
    assert_eq!(
        problem.origin(),
        Some(&Origin::Remote {
            source: format!("exec {}", program.display()),
            place: format!("exec {}", program.display()),
        })
    );
    common::assert_error_hides(&err, KEY);
    // Fail-closed: the settings it would have set are missing, not taken from below.
    assert!(
        err.problems()
            .iter()
            .any(|p| p.kind() == ProblemKind::Missing)
    );
}

#[test]
fn a_non_zero_exit_is_a_problem_naming_the_program() {
    assert_source_problem(
        &format!(r#"cat >/dev/null; echo '{{"APP_API_KEY": {{"value": "{KEY}"}}}}'; exit 3"#),
        |e| e,
        "exited with status 3 (its output is not shown)",
    );
}

#[test]
fn output_that_is_not_the_protocol_is_a_problem_never_echoed() {
    for output in [
        KEY.to_string(),
        format!(r#"{{"APP_API_KEY": "{KEY}"}}"#),
        format!(r#"["{KEY}"]"#),
        format!(r#"{{"APP_API_KEY": {{"value": "{KEY}"}}"#),
    ] {
        assert_source_problem(
            &format!("cat >/dev/null; echo '{output}'"),
            |e| e,
            "its output is not the exec protocol's JSON object (not shown)",
        );
    }
}

#[test]
fn a_timeout_kills_the_program_and_is_a_problem() {
    assert_source_problem(
        &format!(r#"echo '{{"APP_API_KEY": {{"value": "{KEY}"}}}}'; exec sleep 30"#),
        |e| e.timeout(Duration::from_millis(300)),
        "timed out after 300ms (killed)",
    );
}

#[test]
fn a_missing_program_is_a_problem() {
    let err = loader()
        .source(Exec::new(["/nonexistent/fetch-secrets"]))
        .load()
        .unwrap_err();
    assert_eq!(
        err.problems()[0].to_string(),
        "exec /nonexistent/fetch-secrets: could not be started: the program does not exist"
    );
}

#[test]
fn an_error_is_shown_redacted_and_an_empty_value_is_a_problem() {
    let dir = common::tempdir();
    // The error text quotes the other value the program returned: redacted.
    let answer = format!(
        r#"{{"APP_API_KEY": {{"value": "{KEY}"}}, "APP_DB__PASSWORD": {{"value": null, "error": "denied for token {KEY}\nforged line"}}, "APP_LOG_LEVEL": {{"value": ""}}}}"#
    );
    let program = answering(dir.path(), &answer);
    let err = from_program(&program).load().unwrap_err();
    let shown: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    let name = format!("exec {}", program.display());
    assert_eq!(
        shown,
        [
            format!(r"{name}: APP_DB__PASSWORD: denied for token [REDACTED]\nforged line"),
            format!("{name}: APP_LOG_LEVEL: the program returned an empty value"),
        ]
    );
    common::assert_error_hides(&err, KEY);
}

#[test]
fn stderr_lines_are_redacted_warnings() {
    let dir = common::tempdir();
    let program = script(
        dir.path(),
        "fetch-secrets",
        &format!(
            r#"cat >/dev/null
echo "fetching with {PASSWORD}" >&2
echo "" >&2
echo "cached {KEY}" >&2
echo '{{"APP_API_KEY": {{"value": "{KEY}"}}, "APP_DB__PASSWORD": {{"value": "{PASSWORD}"}}}}'"#
        ),
    );
    let (cfg, warnings) = from_program(&program).load_with_warnings().unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    let name = format!("exec {}", program.display());
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            format!("{name}: stderr: fetching with [REDACTED]"),
            format!("{name}: stderr: cached [REDACTED]"),
        ]
    );
    assert!(warnings.iter().all(confidant::Problem::is_warning));
    // `strict` makes them problems.
    let err = from_program(&program).strict().load().unwrap_err();
    assert_eq!(err.problems().len(), 2);
    common::assert_error_hides(&err, KEY);
    common::assert_error_hides(&err, PASSWORD);
}

#[test]
fn debug_shows_no_argument() {
    let exec = Exec::new(["fetch-secrets", "--token", KEY]);
    let shown = format!("{exec:?}");
    // 5 s unless set.
    assert!(shown.ends_with("timeout: 5s }"), "{shown}");
    assert!(!shown.contains(KEY), "{shown}");
    let loader = loader().source(exec);
    let shown = format!("{loader:?}");
    assert!(
        shown.contains("Exec { program: \"fetch-secrets\", args: 2"),
        "{shown}"
    );
    assert!(!shown.contains(KEY), "{shown}");
}

#[test]
fn watch_runs_the_program_again_and_reloads_only_on_a_change() {
    let dir = common::tempdir();
    let value = common::write(dir.path(), "value", KEY);
    let program = script(
        dir.path(),
        "fetch-secrets",
        &format!(
            r#"cat >/dev/null
test -s '{0}' || exit 4
printf '{{"APP_API_KEY": {{"value": "%s"}}}}' "$(cat '{0}')""#,
            value.display()
        ),
    );
    let watch = from_program(&program)
        .remote_interval(Duration::from_millis(50))
        .watch()
        .unwrap();
    let reports = common::Reports::of(&watch);
    // Unchanged output: no change is applied (several checks pass meanwhile).
    reports.assert_no_change_for(Duration::from_millis(400));
    assert_eq!(watch.generation(), 1);

    common::write(dir.path(), "value", PASSWORD);
    let fields = reports.change();
    assert_eq!(fields, ["api_key"]);
    assert_eq!(watch.current().api_key.expose_secret(), PASSWORD);

    // The program fails: on_error, and the settings stay.
    common::write(dir.path(), "value", "");
    let error = reports.error();
    assert!(error.contains("exited with status 4"), "{error}");
    assert!(!error.contains(PASSWORD));
    assert_eq!(watch.current().api_key.expose_secret(), PASSWORD);
    assert_eq!(watch.generation(), 2);
}

#[test]
fn a_canary_from_a_remote_source_is_in_no_output() {
    // A fresh canary per run, as tests/test_leaks.rs does.
    let canary = format!(
        "cnry-{:x}-remote",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    let dir = common::tempdir();
    let program = script(
        dir.path(),
        "fetch-secrets",
        &format!(
            r#"cat >/dev/null
echo "using {canary}" >&2
echo '{{"APP_API_KEY": {{"value": "{canary}"}}, "APP_DB__PORT": {{"value": "not-a-port"}}, "app_unknown": {{"value": "{canary}"}}}}'"#
        ),
    );
    let leaked = |what: &str, text: &str| {
        assert!(
            common::leaked(&canary, text).is_none(),
            "{what} shows the canary: {text}"
        );
    };
    // A failed load (db.port does not parse), with warnings (stderr, an unknown key).
    let err = from_program(&program).load().unwrap_err();
    leaked("Error Display", &err.to_string());
    leaked("Error Debug", &format!("{err:?}"));
    for warning in err.warnings() {
        leaked("a warning", &warning.to_string());
    }
    // A good load: settings, explain (Display, Debug, JSON), warnings, the loader.
    let good = script(
        dir.path(),
        "fetch-good",
        &format!(
            r#"cat >/dev/null
echo "using {canary}" >&2
echo '{{"APP_API_KEY": {{"value": "{canary}"}}, "app_unknown": {{"value": "{canary}"}}}}'"#
        ),
    );
    let (cfg, warnings) = from_program(&good).load_with_warnings().unwrap();
    assert_eq!(cfg.api_key.expose_secret(), &canary);
    leaked("settings Debug", &format!("{cfg:?}"));
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    for warning in &warnings {
        leaked("a warning", &warning.to_string());
        leaked("a warning's Debug", &format!("{warning:?}"));
    }
    let explain = from_program(&good).explain().unwrap();
    leaked("explain Display", &explain.to_string());
    leaked("explain Debug", &format!("{explain:?}"));
    leaked("explain JSON", &explain.to_json());
    leaked("Loader Debug", &format!("{:?}", from_program(&good)));
    let watch = from_program(&good).watch().unwrap();
    leaked("Watch Debug", &format!("{watch:?}"));
}

#[test]
fn output_over_four_mib_is_a_problem() {
    // `head -c` of zeros: 5 MiB, never echoed.
    assert_source_problem(
        "cat >/dev/null; head -c 5242880 /dev/zero",
        |e| e.timeout(Duration::from_secs(30)),
        "its output is over 4 MiB (not shown)",
    );
}
