//! Helpers shared by the integration tests: temp files, loaders that read only what a
//! test hands them (never the process environment), and the checks that a secret stays
//! out of every text.
#![allow(dead_code)] // reason: each test binary uses a different subset

use std::path::{Path, PathBuf};

use confidant::{Error, Explain, Loader, Origin, Settings, Watch};

// ---- files -------------------------------------------------------------------------

/// Writes `contents` to `dir/name`, creating parent directories.
pub fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, contents).unwrap();
    path
}

/// A fresh temp dir.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Makes a FIFO at `path` (opening it for reading blocks until a writer comes).
#[cfg(unix)]
pub fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

/// Publishes one generation of a Kubernetes secret volume in `dir`, as kubelet's atomic
/// writer does: the files go into the directory `dir/<generation>` (named
/// `..<timestamp>`), each `NAME` is (or already was) a symlink to `..data/NAME`, and
/// `..data` is switched to the new generation by renaming a fresh symlink over it. The
/// previous generation stays on disk.
#[cfg(unix)]
pub fn publish_kubernetes(dir: &Path, generation: &str, files: &[(&str, &str)]) {
    use std::os::unix::fs::symlink;
    for (name, contents) in files {
        write(&dir.join(generation), name, contents);
        let link = dir.join(name);
        if std::fs::symlink_metadata(&link).is_err() {
            symlink(Path::new("..data").join(name), &link).unwrap();
        }
    }
    let tmp = dir.join("..data_tmp");
    symlink(generation, &tmp).unwrap();
    std::fs::rename(&tmp, dir.join("..data")).unwrap();
}

// ---- loaders -----------------------------------------------------------------------

/// A loader of `S` that reads no source it is not given: not the process environment,
/// no config file, no `.env` file, no secrets directory (not even the struct's own).
/// `env_vars`, `config_file`, `dotenv` and `secrets_dir` each add their source back.
pub fn isolated<S: Settings>() -> Loader<S> {
    S::loader()
        .env_vars(std::iter::empty::<(&str, &str)>())
        .no_config_file()
        .no_dotenv()
        .no_secrets_dir()
}

/// A loader of `S` that reads `vars` as its environment and nothing else.
pub fn env_only<S: Settings>(vars: &[(&str, &str)]) -> Loader<S> {
    isolated().env_vars(vars.iter().copied())
}

/// Loads `S` from `vars` as its environment and nothing else.
pub fn load_env<S: Settings>(vars: &[(&str, &str)]) -> Result<S, Error> {
    env_only(vars).load()
}

/// A loader of `S` that reads `dir` as its only secrets directory, and nothing else.
pub fn dir_only<S: Settings>(dir: impl Into<PathBuf>) -> Loader<S> {
    isolated().secrets_dir(dir)
}

/// A loader of `S` that reads the `.env` file `file` (and the files its profile adds to
/// it), and nothing else.
pub fn dotenv_only<S: Settings>(file: impl Into<PathBuf>) -> Loader<S> {
    isolated().dotenv(file)
}

/// The origin `explain` gives `setting` (a dotted path such as `db.password`).
#[track_caller]
pub fn origin_of<'a>(explain: &'a Explain, setting: &str) -> &'a Origin {
    explain
        .rows()
        .iter()
        .find(|row| row.setting() == setting)
        .unwrap_or_else(|| panic!("explain has no row for {setting}"))
        .origin()
}

// ---- a watch's reports -------------------------------------------------------------

/// What a watch reports, each into a channel: the fields of each change it applied
/// (`on_change`) and the text of each failed check (`on_error`).
pub struct Reports {
    changed: std::sync::mpsc::Receiver<Vec<String>>,
    failed: std::sync::mpsc::Receiver<String>,
}

/// How long a test waits for a watch's report on a loaded machine.
const REPORT: std::time::Duration = std::time::Duration::from_secs(30);

impl Reports {
    /// Registers on `watch` the callbacks that fill the channels.
    pub fn of<S: Settings + Send + Sync>(watch: &Watch<S>) -> Reports {
        let (changes, changed) = std::sync::mpsc::channel();
        // A report after the test dropped its `Reports` goes nowhere (no panic on the
        // watch's thread).
        watch.on_change(move |change| {
            let _ = changes.send(change.fields().to_vec());
        });
        let (errors, failed) = std::sync::mpsc::channel();
        watch.on_error(move |err| {
            let _ = errors.send(err.to_string());
        });
        Reports { changed, failed }
    }

    /// The fields of the next change, waited for 30 s at the most (then the test fails).
    #[track_caller]
    pub fn change(&self) -> Vec<String> {
        self.changed
            .recv_timeout(REPORT)
            .expect("a change within 30 s")
    }

    /// The text of the next failed check, waited for 30 s at the most.
    #[track_caller]
    pub fn error(&self) -> String {
        self.failed
            .recv_timeout(REPORT)
            .expect("on_error within 30 s")
    }

    /// Asserts that no change is reported for `time`.
    #[track_caller]
    pub fn assert_no_change_for(&self, time: std::time::Duration) {
        if let Ok(fields) = self.changed.recv_timeout(time) {
            panic!("a change of {fields:?}");
        }
    }
}

// ---- captured output ---------------------------------------------------------------

/// A writer whose clones all append to one buffer: what a `tracing` subscriber (or any
/// other sink handed a writer) wrote, read back by the test with [`Captured::text`].
#[derive(Clone, Default)]
pub struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// ---- secrets out of every text -----------------------------------------------------

/// Asserts that neither the error's `Display` nor its `Debug` holds `canary`.
#[track_caller]
pub fn assert_error_hides(err: &Error, canary: &str) {
    let shown = format!("{err}");
    let debug = format!("{err:?}");
    assert!(!shown.contains(canary), "Display leaks the secret: {shown}");
    assert!(!debug.contains(canary), "Debug leaks the secret: {debug}");
}

/// The first 8-byte window of `canary` found in `text`.
pub fn leaked(canary: &str, text: &str) -> Option<String> {
    canary
        .as_bytes()
        .windows(8)
        .filter_map(|w| std::str::from_utf8(w).ok())
        .find(|w| text.contains(w))
        .map(str::to_owned)
}

/// Every text of an error: `Display` (plain and alternate), `Debug`, and each problem's.
pub fn error_texts(err: &Error) -> String {
    let mut out = format!("{err}\n{err:#}\n{err:?}\n");
    for problem in err.problems() {
        out.push_str(&format!("{problem}\n{problem:?}\n{}\n", problem.message()));
    }
    out
}

/// The message a panic carried (empty when it is neither a `String` nor a `&str`).
pub fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// 32 bytes no two runs share: SHA-256 of the time, the process id and `salt`; the
/// stuff random canaries are made of.
pub fn fresh_digest(salt: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    hash.update(now.as_nanos().to_le_bytes());
    hash.update(std::process::id().to_le_bytes());
    hash.update(salt);
    hash.finalize().into()
}
