//! With feature `tracing`, each load warning is also a `warn!` event.
//!
//! This test is alone in its binary on purpose. `tracing` caches each callsite's
//! interest for the whole process, computed by the first thread that reaches it and
//! against that thread's subscriber. A test subscriber installed with `with_default`
//! is thread-local, so a sibling test reaching confidant's `warn!` first, with no
//! subscriber, would cache "never" and this test would see no event (CI saw 0 events
//! instead of 2; 9 of 300 runs failed that way while this test shared `test_warnings`).

#![cfg(feature = "tracing")]

mod common;

use confidant::{Secret, Settings};

const CANARY: &str = "canary-tr4ce-5c20e8";

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    #[settings(default = 8080)]
    port: u16,
    #[settings(deprecated = "APP_OLD_KEY")]
    api_key: Option<Secret<String>>,
}

#[test]
fn each_warning_is_a_tracing_event_without_its_value() {
    let buffer = common::Captured::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let (_, warnings) =
            common::env_only::<Config>(&[("APP_PROT", CANARY), ("APP_OLD_KEY", CANARY)])
                .load_with_warnings()
                .unwrap();
        assert_eq!(warnings.len(), 2);
    });
    let logged = buffer.text();
    assert_eq!(logged.matches("WARN").count(), 2, "{logged}");
    assert!(
        logged.contains("APP_PROT (environment): sets no setting; did you mean APP_PORT?"),
        "{logged}"
    );
    assert!(
        logged.contains("APP_OLD_KEY (environment): deprecated name; use APP_API_KEY"),
        "{logged}"
    );
    assert!(!logged.contains(CANARY), "{logged}");
}
