//! A watch sees a searched-for file appear: the struct's config file and the default
//! `.env` are looked for in the working directory and its parents, so a file created
//! later in one of those places (nearer than the one found, or anywhere when none was)
//! is what the next load would read, and the watch reloads for it.
//!
//! The search starts in the working directory, which a test must not change in its own
//! process: each case runs as a child process of this test binary, started in a temp
//! tree with `Command::current_dir` and an empty environment.
#![cfg(all(feature = "notify", feature = "toml"))] // relies on file notifications

use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use confidant::Settings;

/// Generous for a loaded machine; a change normally arrives within milliseconds.
const WAIT: Duration = Duration::from_secs(10);
/// Long enough that only file notifications can trigger a reload.
const NO_POLL: Duration = Duration::from_secs(3600);

#[derive(Debug, Settings)]
#[settings(prefix = "SW_", config_file = "searched.toml")]
struct Config {
    #[settings(default = 1)]
    port: u16,
}

/// Waits until the watch's value is `port`, printing it; exits the child on a timeout.
fn wait_for_port(watch: &confidant::Watch<Config>, changes: &mpsc::Receiver<()>, port: u16) {
    while watch.current().port != port {
        if changes.recv_timeout(WAIT).is_err() {
            println!("timed out waiting for port {port}");
            std::process::exit(3);
        }
    }
    println!("port {port}");
}

fn watch(loader: confidant::Loader<Config>) -> (confidant::Watch<Config>, mpsc::Receiver<()>) {
    let watch = loader
        .poll_interval(NO_POLL)
        .watch()
        .expect("the first load");
    let (tx, rx) = mpsc::channel();
    watch.on_change(move |_| {
        let _ = tx.send(());
    });
    (watch, rx)
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("the test writes its own temp files");
}

#[test]
#[ignore = "a child process of another test in this file, which runs it"]
fn child_config_file() {
    // Only does something in the child spawned below (working directory `repo/app`).
    if std::env::var_os("CONFIDANT_TEST_CHILD").is_none() {
        return;
    }
    let (watch, changes) = watch(Config::loader().no_dotenv());
    wait_for_port(&watch, &changes, 1);
    // None existed: created at the repository's root, where the search ends.
    write(Path::new("../searched.toml"), "port = 2\n");
    wait_for_port(&watch, &changes, 2);
    // Nearer than the one found: it wins.
    write(Path::new("searched.toml"), "port = 3\n");
    wait_for_port(&watch, &changes, 3);
}

#[test]
#[ignore = "a child process of another test in this file, which runs it"]
fn child_dotenv() {
    if std::env::var_os("CONFIDANT_TEST_CHILD").is_none() {
        return;
    }
    let (watch, changes) = watch(Config::loader().no_config_file());
    wait_for_port(&watch, &changes, 1);
    write(Path::new(".env"), "SW_PORT=4\n");
    wait_for_port(&watch, &changes, 4);
}

/// Runs `child` in `repo/app` of a fresh temp tree whose `repo` holds `.git`.
fn run_child(child: &str) -> String {
    let root = tempfile::tempdir().unwrap();
    let app = root.path().join("repo/app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::create_dir(root.path().join("repo/.git")).unwrap();
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            child,
            "--nocapture",
            "--test-threads=1",
        ])
        .env_clear()
        .env("CONFIDANT_TEST_CHILD", "1")
        .current_dir(&app)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    stdout
}

#[test]
fn a_config_file_created_in_a_searched_directory_is_loaded() {
    let stdout = run_child("child_config_file");
    assert!(
        stdout.contains("port 1\nport 2\nport 3\n"),
        "the child saw: {stdout}"
    );
}

#[test]
fn a_dotenv_created_where_it_is_looked_for_is_loaded() {
    let stdout = run_child("child_dotenv");
    assert!(
        stdout.contains("port 1\nport 4\n"),
        "the child saw: {stdout}"
    );
}
