//! `confidant::cli`: every startup flag, run in a child process (this test binary, with
//! an environment given to `Command`; the test process's own is never changed), checked
//! by exit status and output, with a secret canary that must appear in none of it.

use std::process::{Command, Output};

use confidant::{Secret, Settings};

const CANARY: &str = "canary-cli-5d2e8f0a";

/// A small service's settings.
#[derive(Debug, Settings)]
#[settings(prefix = "CLI_")]
struct Config {
    /// Port to listen on.
    #[settings(default = 8080)]
    #[validate(range(min = 1024))]
    port: u16,
    /// Key for the model provider.
    api_key: Secret<String>,
    #[settings(nested)]
    db: Db,
}

/// The database.
#[derive(Debug, Settings)]
struct Db {
    /// Password.
    password: Secret<String>,
}

/// The child: runs the flags in `CONFIDANT_CLI_ARGS` (split on spaces) through
/// `cli::run_with`, with the process's real stdout and stderr, and exits with its
/// status; with no startup flag it prints what it loaded.
#[test]
#[ignore = "a child process of another test in this file, which runs it"]
fn child_cli() {
    let Some(args) = std::env::var_os("CONFIDANT_CLI_ARGS") else {
        return;
    };
    let args: Vec<String> = args
        .to_str()
        .unwrap()
        .split(' ')
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect();
    let outcome = confidant::cli::run_with(
        args,
        Config::loader(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    match outcome {
        confidant::cli::Outcome::Run(cfg) => {
            println!("running on port {}", cfg.port);
            std::process::exit(0);
        }
        confidant::cli::Outcome::Exit(code) => std::process::exit(code),
    }
}

/// The child for `cli::run` itself: its arguments are the test harness's
/// (`--ignored --exact child_run --nocapture`), none of them a startup flag, so it loads.
#[test]
#[ignore = "a child process of another test in this file, which runs it"]
fn child_run() {
    if std::env::var_os("CONFIDANT_CLI_RUN").is_some() {
        let cfg = confidant::cli::run::<Config>();
        println!("running on port {}", cfg.port);
    }
}

fn child(test: &str, marker: (&str, &str), env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            test,
            "--nocapture",
            "--quiet",
            "--test-threads=1",
        ])
        .env_clear()
        .env(marker.0, marker.1)
        .envs(env.iter().copied())
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(stdout).unwrap();
    let stderr = String::from_utf8(stderr).unwrap();
    assert!(
        !stdout.contains(CANARY) && !stderr.contains(CANARY),
        "the secret leaked:\n{stdout}\n{stderr}"
    );
    (status.code(), stdout, stderr)
}

fn cli(args: &str, env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    child("child_cli", ("CONFIDANT_CLI_ARGS", args), env)
}

const GOOD: &[(&str, &str)] = &[
    ("CLI_API_KEY", CANARY),
    ("CLI_DB__PASSWORD", "pw-0123456789"),
];

/// The output under test, without the line libtest prints first (`--quiet`: no
/// `test name ...` before it).
fn without_harness(stdout: &str) -> String {
    stdout
        .lines()
        .filter(|l| !l.starts_with("running 1 test") && !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn check_config_prints_ok_and_the_warnings() {
    let env = [GOOD, &[("CLI_PROT", "1")]].concat();
    let (code, stdout, stderr) = cli("--check-config", &env);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(without_harness(&stdout), "ok");
    assert!(
        stderr.contains(
            "Config: 1 warning loading settings\n  warning: CLI_PROT (environment): sets no setting; did you mean CLI_PORT?"
        ),
        "{stderr}"
    );
}

#[test]
fn check_config_strict_fails_on_warnings() {
    let env = [GOOD, &[("CLI_PROT", "1")]].concat();
    let (code, stdout, stderr) = cli("--check-config --strict", &env);
    assert_eq!(code, Some(78), "{stderr}");
    assert!(!stdout.contains("ok"), "{stdout}");
    assert!(
        stderr.contains(
            "Config: 1 problem loading settings\n  CLI_PROT (environment): sets no setting"
        ),
        "{stderr}"
    );
    let (code, ..) = cli("--check-config --strict", GOOD);
    assert_eq!(code, Some(0));
}

#[test]
fn check_config_prints_the_report_and_exits_78() {
    let (code, stdout, stderr) = cli(
        "--check-config",
        &[("CLI_API_KEY", CANARY), ("CLI_PORT", "80")],
    );
    assert_eq!(code, Some(78), "{stderr}");
    assert!(!stdout.contains("ok"));
    assert!(
        stderr.contains("Config: 2 problems loading settings"),
        "{stderr}"
    );
    assert!(
        stderr.contains("CLI_PORT (environment): must be at least 1024"),
        "{stderr}"
    );
    assert!(
        stderr.contains("CLI_DB__PASSWORD: required secret is not set"),
        "{stderr}"
    );
}

#[test]
fn print_config_shows_the_table_with_fingerprints() {
    let (code, stdout, stderr) = cli("--print-config", GOOD);
    assert_eq!(code, Some(0), "{stderr}");
    let table = without_harness(&stdout);
    let fingerprint = confidant::fingerprint(CANARY.as_bytes());
    assert_eq!(
        table,
        format!(
            "SETTING      ENV VAR           ORIGIN       VALUE\n\
             port         CLI_PORT          default      8080\n\
             api_key      CLI_API_KEY       environment  {fingerprint}\n\
             db.password  CLI_DB__PASSWORD  environment  {}",
            confidant::fingerprint(b"pw-0123456789")
        )
    );
}

#[test]
fn print_config_with_a_fingerprint_key_in_the_process_environment_shows_hmac() {
    use hmac::{Hmac, Mac};
    let key = "cli-fp-key-77";
    let env = [GOOD, &[("CONFIDANT_FINGERPRINT_KEY", key)]].concat();
    let (code, stdout, stderr) = cli("--print-config=json", &env);
    assert_eq!(code, Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&without_harness(&stdout)).unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(CANARY.as_bytes());
    let tag = mac.finalize().into_bytes();
    let want = format!(
        "hmac:{:02x}{:02x}{:02x}{:02x}",
        tag[0], tag[1], tag[2], tag[3]
    );
    assert_eq!(json["settings"][1]["value"], want.as_str());
    assert!(!stdout.contains(key) && !stderr.contains(key));
}

#[test]
fn print_config_json_is_explain_as_json() {
    let (code, stdout, stderr) = cli("--print-config=json", GOOD);
    assert_eq!(code, Some(0), "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&without_harness(&stdout)).unwrap();
    let rows = json["settings"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["env_var"], "CLI_API_KEY");
    assert_eq!(rows[1]["secret"], true);
    assert_eq!(rows[1]["value"], confidant::fingerprint(CANARY.as_bytes()));
    assert_eq!(rows[0]["origin"], "default");
}

#[test]
fn print_config_of_settings_that_do_not_load_is_the_table_then_the_report() {
    let (code, stdout, stderr) = cli("--print-config", &[("CLI_API_KEY", CANARY)]);
    assert_eq!(code, Some(78));
    // What did load (the secret as its fingerprint), the missing setting as failed.
    assert!(stdout.contains("SETTING"), "{stdout}");
    assert!(
        stdout.contains(&confidant::fingerprint(CANARY.as_bytes())),
        "{stdout}"
    );
    assert!(stdout.contains("(failed)"), "{stdout}");
    assert!(!stdout.contains(CANARY), "{stdout}");
    assert!(stderr.contains("CLI_DB__PASSWORD"), "{stderr}");
}

#[test]
fn print_env_example_schema_and_docs_need_no_settings() {
    for (flag, expected) in [
        ("--print-env-example", Config::env_example()),
        ("--print-config-schema", Config::json_schema()),
        ("--print-config-docs", Config::docs_markdown()),
    ] {
        // Nothing set: these describe the settings, they do not load them.
        let (code, stdout, stderr) = cli(flag, &[]);
        assert_eq!(code, Some(0), "{flag}: {stderr}");
        assert!(stdout.contains(&expected), "{flag}:\n{stdout}");
        assert!(stderr.is_empty() || !stderr.contains("problem"), "{stderr}");
    }
}

#[test]
fn a_flag_with_an_argument_it_does_not_take_is_a_usage_error() {
    let (code, _, stderr) = cli("--print-config-docs --strict", GOOD);
    assert_eq!(code, Some(64));
    assert!(
        stderr.contains("--print-config-docs does not take `--strict`"),
        "{stderr}"
    );
    let (code, _, stderr) = cli("--print-config=yaml", GOOD);
    assert_eq!(code, Some(64));
    assert!(stderr.contains("unknown format"), "{stderr}");
}

#[test]
fn without_a_flag_it_loads_and_leaves_the_arguments() {
    let (code, stdout, stderr) = cli("serve --check-config", GOOD);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("running on port 8080"), "{stdout}");
    let (code, _, stderr) = cli("serve", &[("CLI_API_KEY", CANARY)]);
    assert_eq!(code, Some(78));
    assert!(stderr.contains("CLI_DB__PASSWORD"), "{stderr}");
}

#[test]
fn run_reads_the_process_arguments() {
    let env = [GOOD, &[("CLI_PORT", "9000")]].concat();
    let (code, stdout, stderr) = child("child_run", ("CONFIDANT_CLI_RUN", "1"), &env);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("running on port 9000"), "{stdout}");
    let (code, stdout, _) = child("child_run", ("CONFIDANT_CLI_RUN", "1"), &[]);
    assert_eq!(code, Some(78));
    assert!(!stdout.contains("running on port"));
}
