//! With feature `tracing`, a reload that leaves `#[settings(restart)]` settings waiting
//! for a restart is also a `warn!` event that names them (SPEC.md "Rotation (wave 3)").
//!
//! Alone in its binary, like tests/test_warnings_tracing.rs: `tracing` caches each
//! callsite's interest for the whole process, against the first thread's subscriber.

#![cfg(feature = "tracing")]

mod common;

use std::time::Duration;

use confidant::{Secret, Settings};

const CANARY_ONE: &str = "canary-restart-tls-one-7d41";
const CANARY_TWO: &str = "canary-restart-tls-two-7d41";

#[derive(Debug, Settings)]
struct Config {
    #[settings(default = 8080, restart)]
    port: u16,
    #[settings(restart)]
    tls_key: Secret<String>,
    #[settings(default = 4)]
    workers: u16,
}

#[test]
fn a_reload_that_waits_for_a_restart_warns_without_values() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tls_key"), CANARY_ONE).unwrap();
    let watch = common::dir_only::<Config>(dir.path())
        .poll_only()
        .poll_interval(Duration::from_secs(3600))
        .watch()
        .unwrap();
    let buffer = common::Captured::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        // A reload of settings that all reload: no warning.
        std::fs::write(dir.path().join("workers"), "9").unwrap();
        watch.reload().unwrap();
        std::fs::write(dir.path().join("port"), "9443").unwrap();
        std::fs::write(dir.path().join("tls_key"), CANARY_TWO).unwrap();
        watch.reload().unwrap();
    });
    let logged = buffer.text();
    assert_eq!(logged.matches("WARN").count(), 1, "{logged}");
    assert!(
        logged.contains("settings changed that take effect only after a restart: port, tls_key"),
        "{logged}"
    );
    for canary in [CANARY_ONE, CANARY_TWO, "9443"] {
        assert!(!logged.contains(canary), "{logged}");
    }
}
