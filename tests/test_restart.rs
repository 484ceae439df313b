//! Restart-only settings, as SPEC.md "Rotation (wave 3)" describes them: a reload that
//! changes a `#[settings(restart)]` field keeps its running value in `current()`, applies
//! the rest, and `Change::restart_required()` names the fields whose new value waits for
//! a restart; `docs_markdown` shows which settings reload.
//!
//! Every reload here is `Watch::reload()` on a watch that neither polls within the test
//! (`NO_POLL`) nor listens for notifications (`poll_only`): nothing waits on time.

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use confidant::{ExposeSecret, Secret, Settings, Watch};

/// A polling period no test lasts: the tests reload by hand.
const NO_POLL: Duration = Duration::from_secs(3600);

#[derive(Debug, Settings)]
struct Config {
    /// The API key; read again on rotation.
    api_key: Secret<String>,
    /// The port the server listens on.
    #[settings(default = 8080, restart)]
    port: u16,
    /// Worker threads.
    #[settings(default = 4)]
    workers: u16,
    /// The TLS key, loaded once at start.
    #[settings(restart)]
    tls_key: Option<Secret<String>>,
}

const KEY_ONE: &str = "sk-live-restart-one-0123456789";
const KEY_TWO: &str = "sk-live-restart-two-0123456789";
const TLS_ONE: &str = "tls-private-key-one-0123456789";
const TLS_TWO: &str = "tls-private-key-two-0123456789";

/// What `on_change` saw: (generation, fields, restart_required, Debug of the change).
type Seen = Arc<Mutex<Vec<(u64, Vec<String>, Vec<String>, String)>>>;

fn watch(dir: &Path) -> (Watch<Config>, Seen) {
    let watch = common::dir_only::<Config>(dir)
        .poll_only()
        .poll_interval(NO_POLL)
        .watch()
        .unwrap();
    let seen: Seen = Arc::default();
    let sink = Arc::clone(&seen);
    watch.on_change(move |change| {
        sink.lock().unwrap().push((
            change.generation(),
            change.fields().to_vec(),
            change.restart_required().to_vec(),
            format!("{change:?}"),
        ));
    });
    (watch, seen)
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn a_restart_field_keeps_its_running_value_while_the_rest_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api_key", KEY_ONE);
    write(dir.path(), "port", "9000");
    let (watch, seen) = watch(dir.path());
    assert_eq!(watch.current().port, 9000);

    write(dir.path(), "port", "9100");
    write(dir.path(), "workers", "16");
    write(dir.path(), "api_key", KEY_TWO);
    watch.reload().unwrap();

    let current = watch.current();
    assert_eq!(current.port, 9000, "the running port stays");
    assert_eq!(current.workers, 16, "the rest is applied");
    assert_eq!(current.api_key.expose_secret(), KEY_TWO);
    assert_eq!(watch.generation(), 2);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    let (generation, fields, restart, debug) = &seen[0];
    assert_eq!(*generation, 2);
    assert_eq!(fields, &strings(&["api_key", "workers"]));
    assert_eq!(restart, &strings(&["port"]));
    assert!(debug.contains("restart_required: [\"port\"]"), "{debug}");
    assert!(!debug.contains("9100"), "{debug}");
}

#[test]
fn a_change_of_only_restart_fields_is_told_but_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api_key", KEY_ONE);
    let (watch, seen) = watch(dir.path());
    let before = watch.current();
    assert_eq!(before.port, 8080);

    // From its default to a file's value: the default keeps running.
    write(dir.path(), "port", "9100");
    watch.reload().unwrap();
    assert!(Arc::ptr_eq(&before, &watch.current()), "nothing applied");
    assert_eq!(watch.generation(), 1);
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].0, 1);
        assert!(seen[0].1.is_empty());
        assert_eq!(seen[0].2, strings(&["port"]));
    }

    // Nothing new: no second report.
    watch.reload().unwrap();
    assert_eq!(seen.lock().unwrap().len(), 1);

    // Another change still names the waiting field, and keeps its running value.
    write(dir.path(), "workers", "2");
    watch.reload().unwrap();
    assert_eq!(watch.current().port, 8080);
    assert_eq!(watch.current().workers, 2);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].1, strings(&["workers"]));
    assert_eq!(seen[1].2, strings(&["port"]));
}

#[test]
fn a_restart_field_set_back_to_its_running_value_waits_no_more() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api_key", KEY_ONE);
    write(dir.path(), "port", "9000");
    let (watch, seen) = watch(dir.path());

    write(dir.path(), "port", "9100");
    watch.reload().unwrap();
    write(dir.path(), "port", "9000");
    write(dir.path(), "workers", "8");
    watch.reload().unwrap();

    assert_eq!(watch.current().port, 9000);
    assert_eq!(watch.current().workers, 8);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].1, strings(&["workers"]));
    assert!(seen[1].2.is_empty(), "{:?}", seen[1]);
}

#[test]
fn a_restart_secret_keeps_its_running_value_and_is_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api_key", KEY_ONE);
    write(dir.path(), "tls_key", TLS_ONE);
    let (watch, seen) = watch(dir.path());

    write(dir.path(), "tls_key", TLS_TWO);
    write(dir.path(), "api_key", KEY_TWO);
    watch.reload().unwrap();

    let current = watch.current();
    let tls = current.tls_key.as_ref().expect("the TLS key stays loaded");
    assert_eq!(tls.expose_secret(), TLS_ONE);
    assert_eq!(current.api_key.expose_secret(), KEY_TWO);
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].1, strings(&["api_key"]));
    assert_eq!(seen[0].2, strings(&["tls_key"]));
    for canary in [TLS_ONE, TLS_TWO, KEY_ONE, KEY_TWO] {
        assert!(!seen[0].3.contains(canary), "{}", seen[0].3);
        assert!(!format!("{watch:?}").contains(canary));
    }
}

#[test]
fn an_invalid_restart_value_fails_the_reload_like_any_other() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api_key", KEY_ONE);
    let (watch, seen) = watch(dir.path());
    write(dir.path(), "port", "not-a-port");
    let err = watch.reload().unwrap_err().to_string();
    assert!(err.contains("port"), "{err}");
    assert!(seen.lock().unwrap().is_empty());
    assert_eq!(watch.current().port, 8080);
}

#[test]
fn docs_markdown_says_which_settings_reload() {
    let docs = Config::docs_markdown();
    assert!(docs.contains("| Reloads |"), "{docs}");
    let row = |var: &str| {
        docs.lines()
            .find(|l| l.starts_with(&format!("| `{var}` |")))
            .unwrap_or_else(|| panic!("no row for {var}: {docs}"))
            .to_owned()
    };
    assert!(row("PORT").contains("| restart |"), "{}", row("PORT"));
    assert!(row("TLS_KEY").contains("| restart |"));
    assert!(row("WORKERS").contains("| yes |"));
    assert!(!row("WORKERS").contains("restart"));
}
