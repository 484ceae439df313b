//! Rotating an API key without a restart, the way Kubernetes updates a Secret volume.
//!
//! ```sh
//! cargo run --example rotation                    # the watch polls the directory
//! cargo run --example rotation --features notify  # the watch hears of it from inotify
//! ```
//!
//! The example lays out a secrets directory in a temporary directory exactly as kubelet
//! (and the CSI secrets-store driver) do:
//!
//! ```text
//! ..2026_12_02_10_00_00.000000001/openai_api_key   the data of one version
//! ..data -> ..2026_12_02_10_00_00.000000001        switched atomically
//! openai_api_key -> ..data/openai_api_key
//! ```
//!
//! starts a watch on it, then rotates the key as kubelet does: a new `..<timestamp>`
//! directory, a `..data_tmp` symlink renamed over `..data`, the old version deleted. The
//! watch sees the rename, reloads, and the change is printed: generation, changed
//! settings, and the new key's fingerprint, never the key.

use confidant::{Secret, Settings};

/// Settings of a small AI service.
#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    /// Key for the model provider.
    #[validate(length(min = 20))]
    openai_api_key: Secret<String>,
    /// Sampling temperature sent to the model.
    #[settings(default = 0.2)]
    llm_temperature: f64,
}

#[cfg(unix)]
use {
    confidant::Change,
    std::os::unix::fs::symlink,
    std::path::Path,
    std::sync::mpsc,
    std::time::{Duration, Instant},
};

/// Writes one version of the volume into `..<timestamp>`; returns the directory's name.
#[cfg(unix)]
fn write_version(volume: &Path, stamp: &str, key: &str) -> std::io::Result<String> {
    let name = format!("..{stamp}");
    std::fs::create_dir(volume.join(&name))?;
    std::fs::write(volume.join(&name).join("openai_api_key"), key)?;
    Ok(name)
}

/// A scratch directory, removed when dropped. (The tests use the `tempfile` crate; the
/// example does without it, so that `cargo run --example quickstart` compiles nothing
/// the quickstart does not use: the examples share one package's dependencies.)
#[cfg(unix)]
struct Scratch(std::path::PathBuf);

#[cfg(unix)]
impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(unix)]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = format!("confidant-rotation-{}", std::process::id());
    let volume = Scratch(std::env::temp_dir().join(name));
    std::fs::create_dir(&volume.0)?;
    let volume = volume.0.as_path();

    // The volume as kubelet mounts it.
    let first = write_version(
        volume,
        "2026_12_02_10_00_00.000000001",
        "sk-live-first-key-0123456789",
    )?;
    symlink(&first, volume.join("..data"))?;
    symlink("..data/openai_api_key", volume.join("openai_api_key"))?;

    let watch = Config::loader()
        .env_vars([("APP_LLM_TEMPERATURE", "0.7")]) // not the process environment
        .no_dotenv()
        .secrets_dir(volume)
        // Without the `notify` feature the watch polls alone: every 250 ms here, not the
        // default 5 s. With it, the watch also hears of the rename from inotify.
        .poll_interval(Duration::from_millis(250))
        .watch()?;
    let cfg = watch.current();
    println!(
        "generation {}: openai_api_key {}, llm_temperature {}",
        watch.generation(),
        cfg.openai_api_key.fingerprint(),
        cfg.llm_temperature
    );

    let (tx, changes) = mpsc::channel();
    watch.on_change(move |change: &Change<Config>| {
        let _ = tx.send((
            change.generation(),
            change.fields().to_vec(),
            change.new().openai_api_key.fingerprint(),
        ));
    });
    watch.on_error(|err| eprintln!("reload refused, settings kept:\n{err}"));

    // The rotation, as kubelet's atomic writer does it.
    let started = Instant::now();
    let second = write_version(
        volume,
        "2026_12_02_10_05_00.000000002",
        "sk-live-second-key-0123456789",
    )?;
    symlink(&second, volume.join("..data_tmp"))?;
    std::fs::rename(volume.join("..data_tmp"), volume.join("..data"))?;
    std::fs::remove_dir_all(volume.join(&first))?;

    let (generation, fields, fingerprint) = changes.recv_timeout(Duration::from_secs(10))?;
    println!(
        "generation {generation}: changed {fields:?}, openai_api_key {fingerprint} (seen after {} ms)",
        started.elapsed().as_millis()
    );
    // Logs written while requests still use the old key are scrubbed of both keys.
    let line = "retrying with sk-live-first-key-0123456789, now sk-live-second-key-0123456789";
    println!("redacted log line: {}", watch.redactor().redact(line));
    Ok(())
}

/// Symlinks and the Kubernetes layout are Unix only.
#[cfg(not(unix))]
fn main() {
    eprintln!("this example lays out a Kubernetes volume with symlinks: Unix only");
}
