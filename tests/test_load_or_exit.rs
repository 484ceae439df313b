//! `load_or_exit`: on error, the report on stderr and exit status 78. The test runs
//! itself as a child process with an environment given to `Command` (the test
//! process's own environment is never changed).

use confidant::{Secret, Settings};

const CANARY: &str = "canary-3c9e1b";

#[derive(Debug, Settings)]
#[settings(prefix = "CHILD_")]
struct Config {
    #[allow(dead_code)] // reason: loaded only to fail
    port: u16,
    #[allow(dead_code)] // reason: loaded only to fail
    pin: Secret<u64>,
}

#[test]
#[ignore = "a child process of another test in this file, which runs it"]
fn child_loads_or_exits() {
    // Only does something in the child spawned below.
    if std::env::var_os("CONFIDANT_TEST_CHILD").is_some() {
        let _ = Config::load_or_exit();
        println!("loaded");
    }
}

#[test]
fn prints_the_report_and_exits_78() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_loads_or_exits",
            "--nocapture",
        ])
        .env_clear()
        .env("CONFIDANT_TEST_CHILD", "1")
        .env("CHILD_PORT", "http")
        .env("CHILD_PIN", CANARY)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(78), "{stderr}");
    assert!(
        stderr.contains("Config: 2 problems loading settings"),
        "{stderr}"
    );
    assert!(stderr.contains("CHILD_PORT (environment)"), "{stderr}");
    assert!(stderr.contains("CHILD_PIN (environment)"), "{stderr}");
    assert!(!stderr.contains(CANARY) && !stdout.contains(CANARY));
    assert!(!stdout.contains("loaded"));
}

#[derive(Debug, Settings)]
#[settings(prefix = "WARN_")]
struct Warned {
    #[settings(default = 1)]
    port: u16,
}

#[test]
#[ignore = "a child process of another test in this file, which runs it"]
fn child_loads_with_warnings() {
    if std::env::var_os("CONFIDANT_TEST_WARN_CHILD").is_some() {
        let cfg = Warned::load_or_exit();
        println!("loaded port {}", cfg.port);
    }
}

#[test]
fn prints_warnings_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_loads_with_warnings",
            "--nocapture",
        ])
        .env_clear()
        .env("CONFIDANT_TEST_WARN_CHILD", "1")
        .env("WARN_PORT", "2")
        .env("WARN_PROT", CANARY)
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("loaded port 2"), "{stdout}");
    assert!(
        stderr.contains(
            "Warned: 1 warning loading settings\n  warning: WARN_PROT (environment): sets no setting; did you mean WARN_PORT?"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains(CANARY) && !stdout.contains(CANARY));
}
