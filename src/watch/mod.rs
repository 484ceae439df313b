//! [`Watch`]: settings that reload themselves when their files change.
//!
//! A watch owns one thread. It waits on file notifications (the `notify` crate: inotify,
//! FSEvents, kqueue, ReadDirectoryChangesW) for the directories a load used, and polls a
//! cheap signature of the same paths as a fallback (without feature `notify`, polling
//! alone finds changes, within [`Loader::poll_interval`]). A burst of changes gives one reload
//! once the paths have been quiet for `QUIET` (`thread.rs`). A reload runs the same
//! [`Loader`] again; it is applied only when it succeeds and some setting's loaded text
//! changed, and readers then see the new load in one atomic swap.
//!
//! Which paths are watched, and how:
//! - each secrets directory, non-recursively, and each of its real subdirectories (nested
//!   settings) except Kubernetes' `..` bookkeeping: the `..data` rename of a Kubernetes or
//!   CSI volume update is an event in the directory itself, and an in-place rewrite
//!   (Vault Agent) is an event for a file in it;
//! - each `.env` file and each `NAME_FILE` file through its parent directory, filtered by
//!   name (`..data` included, for a file in a Kubernetes volume), so that editors that
//!   save by renaming a new file over the old one are seen.
//!
//! Changes are told apart by per-setting fingerprints of the loaded text (SHA-256), never
//! by keeping values; the one exception is the text of each `#[settings(restart)]`
//! setting (wiped on drop), which a reload that finds it changed pins the setting to:
//! the load is made again with that text in place of the sources' (see
//! [`Change::restart_required`]), so `current()` keeps the running value.
//!
//! The files: this one is the API ([`Loader::watch`], [`Watch`]); `reload.rs` loads again,
//! compares and applies (and holds [`Change`]); `thread.rs` is the watch's thread (events,
//! polling, debounce); `paths.rs` is what a load looked at and how it is watched and
//! signed; `refresh.rs` probes remote sources; `subscribe.rs` wakes [`Subscription`]s.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Duration;

use crate::error::{Error, Problem, ProblemKind};
use crate::loader::Loader;
use crate::redact::Redactor;
use crate::settings::Settings;

mod paths;
mod refresh;
mod reload;
mod subscribe;
mod thread;

pub use reload::Change;
pub use subscribe::{Changed, Subscription};

use paths::{Paths, Used, watch_signature};
use reload::{Inner, load, lock};
use thread::{Msg, Stop, notifier, watch_thread};

/// The shortest polling period (a zero period would spin).
const MIN_POLL_INTERVAL: Duration = Duration::from_millis(10);

impl<S: Settings> Loader<S> {
    /// How often a [`Watch`] polls its paths, besides listening for file notifications:
    /// every 5 s unless set (at least 10 ms). Polling compares a cheap signature of each
    /// watched path (modification time, size, inode, and where a Kubernetes `..data` link
    /// points), so it also sees changes that notifications miss, as on network mounts.
    ///
    /// ```
    /// use std::time::Duration;
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] n: u8 }
    /// let watch = Config::fixture().poll_interval(Duration::from_secs(30)).watch()?;
    /// # let _ = watch;
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn poll_interval(mut self, every: Duration) -> Self {
        self.watch.poll_interval = every.max(MIN_POLL_INTERVAL);
        self
    }

    /// Makes a [`Watch`] poll only, without file notifications: for file systems that
    /// send none (NFS, SMB, some FUSE mounts) or when notification handles are scarce
    /// (Linux's `fs.inotify.max_user_instances`). Set the period with
    /// [`poll_interval`](Loader::poll_interval).
    ///
    /// ```
    /// use std::time::Duration;
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] n: u8 }
    /// let watch = Config::fixture().poll_only().poll_interval(Duration::from_secs(2)).watch()?;
    /// # let _ = watch;
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn poll_only(mut self) -> Self {
        self.watch.notify = false;
        self
    }
}

impl<S: Settings + Send + Sync> Loader<S> {
    /// Loads, then keeps the settings current: see [`Watch`]. Fails with the same
    /// [`Error`] as [`load`](Loader::load) when the first load fails.
    ///
    /// The watch reloads when a secrets directory (a Kubernetes `..data` swap included),
    /// a `.env` file or a `NAME_FILE` file of the load changes. A `.env` file that did not
    /// exist when the watch started is not watched.
    ///
    /// The loader is kept to load again, with what it was given: values passed to
    /// [`env_vars`](Loader::env_vars) and [`set`](Loader::set) stay in memory for as long
    /// as the watch (`set` values are wiped when it ends; `env_vars` values, like the
    /// process environment, are not).
    ///
    /// ```
    /// use confidant::{ExposeSecret, Secret, Settings};
    ///
    /// #[derive(Settings)]
    /// struct Config { api_key: Secret<String> }
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("api_key"), "sk-live-one-0123456789").unwrap();
    /// let watch = Config::loader().no_dotenv().env_vars([("X", "")]).secrets_dir(dir.path()).watch()?;
    /// assert_eq!(watch.current().api_key.expose_secret(), "sk-live-one-0123456789");
    /// assert_eq!(watch.generation(), 1);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn watch(self) -> Result<Watch<S>, Error> {
        let options = self.watch.clone();
        let (tx, rx) = mpsc::channel();
        let mut paths = Paths::new(options.notify.then(|| notifier(tx.clone())).flatten());
        // Load, watch what the load used, and load again: a change made before the
        // watches were set up is in the second load, one made after is seen. Again if
        // the second load used other paths (a `.env` naming another `NAME_FILE`).
        let mut used = Used::default();
        let mut loaded = load(&self, Vec::new(), &mut used)?;
        let mut signature = Vec::new();
        for _ in 0..3 {
            paths.update(&used);
            signature = watch_signature(&used);
            let mut again = Used::default();
            loaded = load(&self, Vec::new(), &mut again)?;
            if again == used {
                break;
            }
            used = again;
        }
        let to_thread = tx.clone();
        let paths_changed = Box::new(move |used| {
            let _ = to_thread.send(Msg::Paths(used));
        });
        let inner = Arc::new(Inner::new(self, loaded, used.clone(), paths_changed));
        let thread = Arc::clone(&inner);
        std::thread::Builder::new()
            .name("confidant-watch".to_owned())
            .spawn(move || watch_thread(&thread, &rx, paths, used, signature, &options))
            .map_err(|err| {
                let problem = Problem::of_source(
                    ProblemKind::Unreadable,
                    crate::error::watch_thread_failed(&err.to_string()),
                );
                Error::new(S::__plan().meta.name, vec![problem])
            })?;
        Ok(Watch {
            inner,
            _stop: Arc::new(Stop(tx)),
        })
    }
}

/// Settings that stay current: a complete, validated load that is replaced atomically
/// when a secrets directory, `.env` file or `NAME_FILE` file changes. Get one from
/// [`Loader::watch`].
///
/// - [`current`](Watch::current) is one load, never a mix of two: readers take an
///   `Arc` and keep it as long as they like.
/// - A reload that fails (a missing key, an invalid value, a file half written or deleted
///   mid-read) keeps the current settings and is reported to
///   [`on_error`](Watch::on_error) with the same [`Error`] as a load; the next good
///   change is applied.
/// - A reload that changes no setting's loaded text is not applied: the generation stays
///   and no [`on_change`](Watch::on_change) callback runs.
///
/// A watch runs one thread, named `confidant-watch`, which stops when the last clone of
/// the `Watch` is dropped (a callback that holds a clone of its own watch keeps it
/// running). Callbacks run on the thread that reloaded: the watch's thread, or the caller
/// of [`reload`](Watch::reload); a panic in a callback on the watch's thread is caught
/// and the watch goes on.
///
/// ```
/// use std::sync::mpsc;
/// use std::time::Duration;
/// use confidant::{ExposeSecret, Secret, Settings};
///
/// #[derive(Settings)]
/// struct Config { api_key: Secret<String> }
///
/// let dir = tempfile::tempdir().unwrap();
/// let key = dir.path().join("api_key");
/// std::fs::write(&key, "sk-live-one-0123456789").unwrap();
/// let watch = Config::loader().no_dotenv().env_vars([("X", "")]).secrets_dir(dir.path()).watch()?;
///
/// let (tx, rx) = mpsc::channel();
/// watch.on_change(move |change| tx.send(change.fields().to_vec()).unwrap());
/// std::fs::write(&key, "sk-live-two-0123456789").unwrap();
/// let fields = rx.recv_timeout(Duration::from_secs(10)).expect("a reload");
/// assert_eq!(fields, ["api_key"]);
/// assert_eq!(watch.current().api_key.expose_secret(), "sk-live-two-0123456789");
/// assert_eq!(watch.generation(), 2);
/// # Ok::<(), confidant::Error>(())
/// ```
#[must_use = "dropping the last `Watch` stops watching"]
pub struct Watch<S> {
    inner: Arc<Inner<S>>,
    /// Held by the handles only: when the last one drops, the thread is told to stop.
    _stop: Arc<Stop>,
}

impl<S> Clone for Watch<S> {
    fn clone(&self) -> Self {
        Watch {
            inner: Arc::clone(&self.inner),
            _stop: Arc::clone(&self._stop),
        }
    }
}

impl<S> fmt::Debug for Watch<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watch")
            .field("generation", &self.inner.generation.load(Ordering::Acquire))
            .finish_non_exhaustive()
    }
}

impl<S: Settings + Send + Sync> Watch<S> {
    /// A [`Subscription`] to this watch's applied loads, which has seen the current
    /// one.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 8080)] port: u16 }
    /// let watch = Config::fixture().watch()?;
    /// let changes: confidant::Subscription<Config> = watch.subscribe();
    /// # let _ = changes;
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn subscribe(&self) -> Subscription<S> {
        let keep: Arc<dyn Send + Sync> = Arc::clone(&self._stop) as _;
        Subscription::new(Arc::clone(&self.inner.hub), keep)
    }

    /// The current settings: one complete, validated load.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 8080)] port: u16 }
    /// let watch = Config::fixture().watch()?;
    /// let cfg: std::sync::Arc<Config> = watch.current();
    /// assert_eq!(cfg.port, 8080);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn current(&self) -> Arc<S> {
        self.inner.current.load_full()
    }

    /// Loads now, as a change would. On success the new load is applied if any setting
    /// changed; on failure the current settings stay, every
    /// [`on_error`](Watch::on_error) callback runs, and the error is returned.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 8080)] port: u16 }
    /// let watch = Config::fixture().watch()?;
    /// watch.reload()?; // nothing changed
    /// assert_eq!(watch.generation(), 1);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn reload(&self) -> Result<(), Error> {
        self.inner.reload()
    }

    /// Calls `f` after each applied change, with the old and the new settings and the
    /// settings whose loaded text changed. Callbacks run in the order they were added.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 8080)] port: u16 }
    /// let watch = Config::fixture().watch()?;
    /// watch.on_change(|change: &confidant::Change<Config>| {
    ///     println!("generation {}: {:?} changed", change.generation(), change.fields());
    /// });
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn on_change(&self, f: impl Fn(&Change<S>) + Send + Sync + 'static) {
        lock(&self.inner.on_change).push(Arc::new(f));
    }

    /// Calls `f` with the [`Error`] of each reload that failed (the current settings
    /// stayed). The error is the same report as a load's and shows no secret.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 8080)] port: u16 }
    /// let watch = Config::fixture().watch()?;
    /// watch.on_error(|err| eprintln!("settings not reloaded: {err}"));
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn on_error(&self, f: impl Fn(&Error) + Send + Sync + 'static) {
        lock(&self.inner.on_error).push(Arc::new(f));
    }

    /// How many loads were applied: 1 after [`Loader::watch`], one more per change.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 8080)] port: u16 }
    /// assert_eq!(Config::fixture().watch()?.generation(), 1);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn generation(&self) -> u64 {
        self.inner.generation.load(Ordering::Acquire)
    }

    /// A [`Redactor`] for the secrets of the current load and of the one before it, so
    /// that a key just rotated out is still scrubbed from logs written while requests
    /// that used it finish. Call it again after a change to get the new secrets.
    ///
    /// ```
    /// use confidant::{Secret, Settings};
    /// # #[derive(Settings)] struct Config { token: Secret<String> }
    /// let watch = Config::fixture().set("token", "tok-0123456789").watch()?;
    /// assert_eq!(watch.redactor().redact("token tok-0123456789"), "token [REDACTED]");
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn redactor(&self) -> Redactor {
        Redactor::clone(&self.inner.redactor.load())
    }
}
