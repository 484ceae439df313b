//! Rotation: what a reader pays for `Watch::current`, what a reload costs, and how long a
//! Kubernetes secret update takes to reach the settings.
//!
//! ```text
//! cargo bench --bench watch
//! cargo bench --bench watch -- --warm-up-time 1 --measurement-time 3   # shorter
//! ```
//!
//! - `current/watch_current` against `current/arc_swap_load_full`: `Watch::current` is an
//!   `ArcSwap::load_full` behind one more pointer; the target is within 2x of the bare call.
//! - `reload/unchanged`: `Watch::reload` when nothing changed: a full load of a
//!   Kubernetes-style secrets directory plus the per-setting fingerprints.
//! - `swap_latency/kubelet_rename`: from the rename of `..data_tmp` over `..data` (the
//!   moment kubelet publishes a new version) to the `on_change` callback, through file
//!   notifications. It includes the 150 ms quiet period a reload waits for, so that a
//!   burst of writes gives one reload. `swap_latency/poll_50ms` is the same with
//!   notifications off and a 50 ms polling period.
//!
//! Under `cargo test` (no `--bench` argument) each benchmark runs once. Unix only (the
//! Kubernetes layout is made of symlinks).

#[cfg(unix)]
mod unix {
    use std::hint::black_box;
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, mpsc};
    use std::time::{Duration, Instant};

    use arc_swap::ArcSwap;
    use confidant::{Change, Secret, Settings, Watch};
    use criterion::{Criterion, SamplingMode};

    #[derive(Debug, Settings)]
    #[settings(prefix = "APP_")]
    struct Config {
        openai_api_key: Secret<String>,
        serper_api_key: Secret<String>,
        #[settings(default = 0.2)]
        llm_temperature: f64,
        #[settings(default = 8080)]
        port: u16,
    }

    /// A Kubernetes secret volume that can be updated the way kubelet does it.
    struct Volume {
        dir: tempfile::TempDir,
        version: u64,
    }

    impl Volume {
        fn new() -> Volume {
            let volume = Volume {
                dir: tempfile::tempdir().unwrap(),
                version: 0,
            };
            let generation = volume.write_version();
            std::os::unix::fs::symlink(&generation, volume.path().join("..data")).unwrap();
            for key in ["openai_api_key", "serper_api_key"] {
                std::os::unix::fs::symlink(format!("..data/{key}"), volume.path().join(key))
                    .unwrap();
            }
            volume
        }

        fn path(&self) -> &Path {
            self.dir.path()
        }

        fn version_dir(&self) -> PathBuf {
            self.path()
                .join(format!("..2026_12_02_10_00_00.{:09}", self.version))
        }

        /// Writes the current version's directory; returns its name.
        fn write_version(&self) -> PathBuf {
            let dir = self.version_dir();
            std::fs::create_dir(&dir).unwrap();
            for key in ["openai_api_key", "serper_api_key"] {
                let text = format!("sk-live-{key}-{:012}", self.version);
                std::fs::write(dir.join(key), text).unwrap();
            }
            dir
        }

        /// Prepares the next version: its directory and `..data_tmp`, not yet published.
        fn prepare(&mut self) -> PathBuf {
            let old = self.version_dir();
            self.version += 1;
            let generation = self.write_version();
            std::os::unix::fs::symlink(&generation, self.path().join("..data_tmp")).unwrap();
            old
        }

        /// Publishes the prepared version: the rename kubelet does.
        fn publish(&self) {
            std::fs::rename(self.path().join("..data_tmp"), self.path().join("..data")).unwrap();
        }
    }

    fn watch(
        volume: &Volume,
        configure: impl FnOnce(confidant::Loader<Config>) -> confidant::Loader<Config>,
    ) -> Watch<Config> {
        configure(
            Config::loader()
                .env_vars([("UNRELATED", "1")])
                .no_dotenv()
                .secrets_dir(volume.path()),
        )
        .watch()
        .unwrap()
    }

    /// Time from publishing a version to its `on_change`, summed over `iters` updates.
    fn latency(
        volume: &mut Volume,
        watch: &Watch<Config>,
        changes: &mpsc::Receiver<u64>,
        iters: u64,
    ) -> Duration {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let old = volume.prepare();
            let expected = watch.generation() + 1;
            let start = Instant::now();
            volume.publish();
            loop {
                let generation = changes
                    .recv_timeout(Duration::from_secs(10))
                    .expect("the update is seen");
                if generation >= expected {
                    break;
                }
            }
            total += start.elapsed();
            std::fs::remove_dir_all(old).unwrap();
        }
        total
    }

    pub fn main() {
        let mut c = Criterion::default().configure_from_args();

        let volume = Volume::new();
        let w = watch(&volume, |l| l.poll_interval(Duration::from_secs(3600)));
        let bare = ArcSwap::new(w.current());
        let mut g = c.benchmark_group("current");
        g.bench_function("watch_current", |b| b.iter(|| black_box(w.current())));
        g.bench_function("arc_swap_load_full", |b| {
            b.iter(|| black_box(black_box(&bare).load_full()))
        });
        g.finish();

        let mut g = c.benchmark_group("reload");
        g.bench_function("unchanged", |b| b.iter(|| w.reload().unwrap()));
        g.finish();
        drop(w);

        let mut g = c.benchmark_group("swap_latency");
        g.sampling_mode(SamplingMode::Flat).sample_size(10);
        for (name, poll_only) in [("kubelet_rename", false), ("poll_50ms", true)] {
            let mut volume = Volume::new();
            let w = watch(&volume, |l| {
                if poll_only {
                    l.poll_only().poll_interval(Duration::from_millis(50))
                } else {
                    l.poll_interval(Duration::from_secs(3600))
                }
            });
            let (tx, changes) = mpsc::channel();
            w.on_change(move |change: &Change<Config>| {
                let _ = tx.send(change.generation());
            });
            let w = Arc::new(w);
            g.bench_function(name, |b| {
                b.iter_custom(|iters| latency(&mut volume, &w, &changes, iters))
            });
        }
        g.finish();
        c.final_summary();
    }
}

fn main() {
    #[cfg(unix)]
    unix::main();
}
