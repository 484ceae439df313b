//! Loading from the real process environment, which other tests replace with
//! `env_vars` maps. A `case_sensitive` struct with few names looks each name up
//! (`std::env::var_os`); other structs copy the environment once. Both must give the
//! same results. The test runs itself as a child process with an environment given to
//! `Command` (the test process's own environment is never changed).

use std::process::{Command, Output};

use confidant::{ExposeSecret, Secret, Settings};

/// Few names: looked up one by one.
#[derive(Debug, Settings)]
#[settings(prefix = "CS_", case_sensitive)]
struct Small {
    #[settings(default = 1)]
    port: u16,
    #[settings(default = "unset")]
    name: String,
    #[settings(alias = "LEGACY_REGION", default = "none")]
    region: String,
    token: Option<Secret<String>>,
}

/// The same settings among more than 64 names: one snapshot of the environment.
#[derive(Debug, Settings)]
#[settings(prefix = "CS_", case_sensitive)]
struct Large {
    #[settings(default = 1)]
    port: u16,
    #[settings(default = "unset")]
    name: String,
    #[settings(alias = "LEGACY_REGION", default = "none")]
    region: String,
    token: Option<Secret<String>>,
    #[settings(nested)]
    extra: Extra,
}

#[derive(Debug, Settings)]
struct Extra {
    a0: Option<u8>,
    a1: Option<u8>,
    a2: Option<u8>,
    a3: Option<u8>,
    a4: Option<u8>,
    a5: Option<u8>,
    a6: Option<u8>,
    a7: Option<u8>,
    a8: Option<u8>,
    a9: Option<u8>,
    b0: Option<u8>,
    b1: Option<u8>,
    b2: Option<u8>,
    b3: Option<u8>,
    b4: Option<u8>,
    b5: Option<u8>,
    b6: Option<u8>,
    b7: Option<u8>,
    b8: Option<u8>,
    b9: Option<u8>,
    c0: Option<u8>,
    c1: Option<u8>,
    c2: Option<u8>,
    c3: Option<u8>,
    c4: Option<u8>,
    c5: Option<u8>,
    c6: Option<u8>,
    c7: Option<u8>,
    c8: Option<u8>,
    c9: Option<u8>,
}

/// Case-insensitive: always a snapshot.
#[derive(Debug, Settings)]
#[settings(prefix = "CS_")]
struct Insensitive {
    #[settings(default = 1)]
    port: u16,
    #[settings(default = "unset")]
    name: String,
}

fn show(port: u16, name: &str, region: &str, token: Option<&Secret<String>>) -> String {
    let token = token.map_or("none", |t| t.expose_secret().as_str());
    format!("port={port} name={name} region={region} token={token}")
}

#[test]
#[ignore = "a child process of another test in this file, which runs it"]
fn child_loads() {
    // Only does something in the child spawned below.
    if std::env::var_os("CONFIDANT_TEST_CHILD").is_none() {
        return;
    }
    match Small::load() {
        Ok(s) => println!(
            "small: {}",
            show(s.port, &s.name, &s.region, s.token.as_ref())
        ),
        Err(e) => println!("small error: {e}"),
    }
    match Large::load() {
        Ok(s) => println!(
            "large: {}",
            show(s.port, &s.name, &s.region, s.token.as_ref())
        ),
        Err(e) => println!("large error: {e}"),
    }
    match Insensitive::load() {
        Ok(s) => println!("insensitive: port={} name={}", s.port, s.name),
        Err(e) => println!("insensitive error: {e}"),
    }
    let warnings = match Small::loader().load_with_warnings() {
        Ok((_, warnings)) => warnings.iter().map(ToString::to_string).collect(),
        Err(e) => e
            .warnings()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    };
    println!("small warnings: {}", warnings.join(" | "));
}

fn run_child(vars: &[(&str, &str)]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_loads",
            "--nocapture",
            "--test-threads=1",
        ])
        .env_clear()
        .env("CONFIDANT_TEST_CHILD", "1")
        .envs(vars.iter().copied())
        .current_dir(dir.path())
        .output()
        .unwrap()
}

/// The child's line that starts with `prefix` (the test harness may print before it).
fn line<'a>(stdout: &'a str, prefix: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|l| l.find(prefix).map(|at| &l[at..]))
        .unwrap_or_else(|| panic!("no line {prefix}: {stdout}"))
}

#[test]
fn exact_names_aliases_and_name_file_from_the_process_environment() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "from-a-file\n").unwrap();
    let output = run_child(&[
        ("CS_PORT", "8080"),
        ("cs_name", "wrong-case"),
        ("LEGACY_REGION", "eu-west-1"),
        ("CS_TOKEN_FILE", token.to_str().unwrap()),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    let expected = "port=8080 name=unset region=eu-west-1 token=from-a-file";
    assert_eq!(line(&stdout, "small"), format!("small: {expected}"));
    assert_eq!(line(&stdout, "large"), format!("large: {expected}"));
    assert_eq!(
        line(&stdout, "insensitive"),
        "insensitive: port=8080 name=wrong-case"
    );
}

#[test]
fn name_with_name_file_is_a_conflict_either_way() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "from-a-file").unwrap();
    let output = run_child(&[
        ("CS_TOKEN", "canary-in-env-0451"),
        ("CS_TOKEN_FILE", token.to_str().unwrap()),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    for which in ["small", "large"] {
        let report = &stdout[stdout.find(&format!("{which} error")).expect(&stdout)..];
        assert!(
            report.contains("both CS_TOKEN and CS_TOKEN_FILE are set"),
            "{report}"
        );
    }
    assert!(!stdout.contains("canary-in-env-0451") && !stdout.contains("from-a-file"));
}

/// A `load` that looks names up one by one does not look for unknown names when it
/// succeeds (nobody reads its warnings), but its error still lists them, after the
/// problems: a typo often explains a missing or conflicting setting.
#[test]
fn unknown_names_are_found_by_every_path_that_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "from-a-file").unwrap();
    let output = run_child(&[
        ("CS_PROT", "8080"),
        ("CS_TOKEN", "canary-in-env-0452"),
        ("CS_TOKEN_FILE", token.to_str().unwrap()),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let warning = "CS_PROT (environment): sets no setting; did you mean CS_PORT?";
    // Each report runs from its first line to the next report's.
    let at = |text: &str| stdout.find(text).unwrap_or_else(|| panic!("{stdout}"));
    let reports = [
        &stdout[at("small error")..at("large error")],
        &stdout[at("large error")..at("insensitive")],
    ];
    for report in reports {
        let warning_at = report.find(warning).unwrap_or_else(|| panic!("{report}"));
        assert!(report.find("both CS_TOKEN and CS_TOKEN_FILE").unwrap() < warning_at);
    }
    assert_eq!(
        line(&stdout, "small warnings"),
        format!("small warnings: {warning}")
    );
    assert!(!stdout.contains("canary-in-env-0452"));
}
