//! [`Watch`]: settings that reload themselves when their files change.
//!
//! A watch owns one thread. It waits on file notifications (the `notify` crate: inotify,
//! FSEvents, kqueue, ReadDirectoryChangesW) for the directories a load used, and polls a
//! cheap signature of the same paths as a fallback (without feature `notify`, polling
//! alone finds changes, within [`Loader::poll_interval`]). A burst of changes gives one reload
//! once the paths have been quiet for [`QUIET`]. A reload runs the same [`Loader`] again;
//! it is applied only when it succeeds and some setting's loaded text changed, and
//! readers then see the new load in one atomic swap.
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
//! [`Subscription`]s (src/watch/subscribe.rs) are woken by each applied load.

#[cfg(feature = "notify")]
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
#[cfg(feature = "notify")]
use notify::event::{AccessKind, AccessMode};
#[cfg(feature = "notify")]
use notify::{EventKind, RecursiveMode, Watcher as _};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::build::outcome::{Pin, Shown};
use crate::error::{Error, Problem, ProblemKind};
mod refresh;
mod subscribe;

pub use subscribe::{Changed, Subscription};

use crate::load::Want;
use crate::loader::{Loader, WatchOptions};
use crate::redact::Redactor;
use crate::settings::Settings;
use crate::source::Layers;

/// A reload waits until the watched paths have been quiet this long...
const QUIET: Duration = Duration::from_millis(150);

/// ...but no longer than this after the first change, so that a path written without
/// pause is still reloaded.
const MAX_DELAY: Duration = Duration::from_secs(1);

/// The shortest polling period (a zero period would spin).
const MIN_POLL_INTERVAL: Duration = Duration::from_millis(10);

/// How deep subdirectories of a secrets directory (nested settings) are watched.
const MAX_DEPTH: usize = 4;

/// The files and directories a load looked at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Used {
    /// Every secrets directory, in layer order, whether or not it exists.
    pub secrets_dirs: Vec<PathBuf>,
    /// Every config file, then every `.env` file, in layer order, whether or not each
    /// exists; then the places a search for the default `.env` or the struct's config
    /// file looked in vain (a file created there is what the next load reads).
    pub dotenvs: Vec<PathBuf>,
    /// Every file named by a `NAME_FILE` variable (environment or `.env`), sorted.
    pub files: Vec<PathBuf>,
}

impl Used {
    /// What a load's layers looked at: its secrets directories, config and `.env` files and
    /// `NAME_FILE` files, whether or not each exists.
    fn of(layers: &Layers) -> Used {
        Used {
            secrets_dirs: layers.secrets_dirs().cloned().collect(),
            dotenvs: layers
                .config_files()
                .chain(layers.dotenvs())
                .chain(&layers.searched)
                .cloned()
                .collect(),
            files: layers.name_files.clone(),
        }
    }
}

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
        let settings = Arc::new(loaded.settings);
        let redactor = Redactor::from_visit(|visit| settings.__secrets(visit));
        let inner = Arc::new(Inner {
            hub: Arc::new(subscribe::Hub::new(Arc::clone(&settings))),
            current: ArcSwap::new(settings),
            generation: AtomicU64::new(1),
            redactor: ArcSwap::from_pointee(redactor),
            state: Mutex::new(State {
                loader: self,
                running: loaded.prints.clone(),
                prints: loaded.prints,
                pins: loaded.pins,
                used: used.clone(),
            }),
            on_change: Mutex::new(Vec::new()),
            on_error: Mutex::new(Vec::new()),
            to_thread: tx.clone(),
        });
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

/// An applied change, handed to [`Watch::on_change`] callbacks: the settings before and
/// after, and which settings' loaded text changed. Never holds a value of its own: the
/// changed settings are found by comparing fingerprints.
///
/// ```
/// use confidant::{Change, Settings};
/// # #[derive(Settings)] struct Config { #[settings(default = 8080)] port: u16 }
/// fn log_change(change: &Change<Config>) {
///     for field in change.fields() {
///         println!("{field} changed (generation {})", change.generation());
///     }
///     let _ = (change.old().port, change.new().port);
/// }
/// ```
pub struct Change<S> {
    old: Arc<S>,
    new: Arc<S>,
    fields: Vec<String>,
    restart_required: Vec<String>,
    generation: u64,
}

impl<S> Change<S> {
    /// The settings before the change.
    ///
    /// ```
    /// # use confidant::{Change, Settings};
    /// # #[derive(Settings)] struct Config { #[settings(default = 8080)] port: u16 }
    /// fn port_moved(change: &Change<Config>) -> bool { change.old().port != change.new().port }
    /// ```
    pub fn old(&self) -> &Arc<S> {
        &self.old
    }

    /// The settings after the change: what [`Watch::current`] now returns.
    ///
    /// ```
    /// # use confidant::{Change, Settings};
    /// # #[derive(Settings)] struct Config { #[settings(default = 8080)] port: u16 }
    /// fn new_port(change: &Change<Config>) -> u16 { change.new().port }
    /// ```
    #[allow(clippy::new_ret_no_self)] // reason: SPEC.md's name: the settings after the change
    pub fn new(&self) -> &Arc<S> {
        &self.new
    }

    /// The dotted paths (`db.password`) of the settings whose loaded text changed from
    /// [`old`](Change::old) to [`new`](Change::new), in declaration order (a
    /// `#[settings(restart)]` setting that kept its running value is in
    /// [`restart_required`](Change::restart_required) instead).
    ///
    /// ```
    /// # use confidant::{Change, Settings};
    /// # #[derive(Settings)] struct Config { #[settings(default = 8080)] port: u16 }
    /// fn port_changed(change: &Change<Config>) -> bool {
    ///     change.fields().iter().any(|f| f == "port")
    /// }
    /// ```
    pub fn fields(&self) -> &[String] {
        &self.fields
    }

    /// The dotted paths of the `#[settings(restart)]` settings whose loaded text differs
    /// from their running value, in declaration order: [`new`](Change::new) (and
    /// [`Watch::current`]) keeps the running value of each, and the new one takes effect
    /// at the next start. Empty when every setting reloaded.
    ///
    /// A change to only such settings still reaches [`on_change`](Watch::on_change)
    /// (with `old()` and `new()` the same load, [`fields`](Change::fields) empty and the
    /// generation unchanged); a change of other settings names the ones still waiting.
    /// With feature `tracing`, each such change is also a `warn!` event that names them.
    ///
    /// ```
    /// # use confidant::{Change, Settings};
    /// # #[derive(Settings)] struct Config { #[settings(default = 8080, restart)] port: u16 }
    /// fn needs_restart(change: &Change<Config>) -> bool { !change.restart_required().is_empty() }
    /// ```
    pub fn restart_required(&self) -> &[String] {
        &self.restart_required
    }

    /// The generation of the new settings ([`Watch::generation`] after this change).
    ///
    /// ```
    /// # use confidant::{Change, Settings};
    /// # #[derive(Settings)] struct Config { #[settings(default = 8080)] port: u16 }
    /// fn is_first_change(change: &Change<Config>) -> bool { change.generation() == 2 }
    /// ```
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

impl<S> fmt::Debug for Change<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Change")
            .field("generation", &self.generation)
            .field("fields", &self.fields)
            .field("restart_required", &self.restart_required)
            .finish_non_exhaustive()
    }
}

type ChangeFn<S> = dyn Fn(&Change<S>) + Send + Sync;
type ErrorFn = dyn Fn(&Error) + Send + Sync;

struct Inner<S> {
    /// The applied loads for [`Subscription`]s, and their wakers.
    hub: Arc<subscribe::Hub<S>>,
    current: ArcSwap<S>,
    generation: AtomicU64,
    /// Covers the current load's secrets and the previous load's.
    redactor: ArcSwap<Redactor>,
    /// Held for the whole of a reload: reloads run one at a time.
    state: Mutex<State<S>>,
    on_change: Mutex<Vec<Arc<ChangeFn<S>>>>,
    on_error: Mutex<Vec<Arc<ErrorFn>>>,
    /// Tells the thread about new paths to watch.
    to_thread: Sender<Msg>,
}

struct State<S> {
    loader: Loader<S>,
    /// One fingerprint per leaf of the last load read from the sources (what a reload
    /// compares with, to tell a change).
    prints: Vec<Print>,
    /// One fingerprint per leaf of the current load: `prints`, except for the
    /// `#[settings(restart)]` leaves that kept their running value.
    running: Vec<Print>,
    /// The running value of each `#[settings(restart)]` leaf (its text, wiped on drop),
    /// from the current load: a reload pins the leaves whose text changed to it.
    pins: Vec<(usize, Pin)>,
    used: Used,
}

/// Tells the thread to stop when the last [`Watch`] handle is dropped.
struct Stop(Sender<Msg>);

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = self.0.send(Msg::Stop);
    }
}

enum Msg {
    #[cfg(feature = "notify")]
    Event(notify::Result<notify::Event>),
    Paths(Used),
    Stop,
}

/// What is kept of a leaf's loaded text to tell whether it changed: a SHA-256, never the
/// text.
#[derive(Clone, PartialEq, Eq)]
enum Print {
    /// The SHA-256 of a plain value's text.
    Text([u8; 32]),
    /// The SHA-256 of a secret's text (`explain` may show only `(set)` for it).
    Secret([u8; 32]),
    /// A secret with no fingerprint (a typed `fake` value).
    Hidden,
    /// No value.
    Unset,
}

struct Loaded<S> {
    settings: S,
    prints: Vec<Print>,
    pins: Vec<(usize, Pin)>,
}

/// Loads again, with `pins` (restart leaves kept at their running value); `used` gets
/// the paths the load looked at, whether it succeeded or not.
fn load<S: Settings>(
    loader: &Loader<S>,
    pins: Vec<(usize, Pin)>,
    used: &mut Used,
) -> Result<Loaded<S>, Error> {
    let (result, mut outcomes) = loader.clone().pinned(pins).run_with(Want {
        outcomes: true,
        warnings: false,
        shown: false,
    });
    *used = Used::of(&outcomes.layers);
    let (settings, _warnings) = result?;
    Ok(Loaded {
        settings,
        prints: outcomes
            .leaves
            .iter()
            .map(|leaf| print(&leaf.shown))
            .collect(),
        pins: outcomes.take_pins(),
    })
}

fn print(shown: &Shown) -> Print {
    match shown {
        Shown::Plain(text) => Print::Text(Sha256::digest(text.as_bytes()).into()),
        Shown::Fingerprint(_, _, digest) => Print::Secret(*digest),
        Shown::Hidden => Print::Hidden,
        Shown::Unset | Shown::Failed => Print::Unset,
    }
}

/// Every secret's bytes, each after its length, in a buffer wiped on drop.
fn secret_bytes<S: Settings>(settings: &S) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::new());
    settings.__secrets(&mut |bytes| {
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(bytes);
    });
    out
}

impl<S: Settings + Send + Sync> Inner<S> {
    /// Loads again and applies the load if a setting changed. A `#[settings(restart)]`
    /// leaf whose text differs from its running value is pinned to that value: the load
    /// is made again with the pins (the sources' own text waits for a restart).
    fn reload(&self) -> Result<(), Error> {
        let mut state = lock(&self.state);
        let mut used = Used::default();
        let loaded = load(&state.loader, Vec::new(), &mut used);
        if used != state.used {
            state.used = used.clone();
            let _ = self.to_thread.send(Msg::Paths(used));
        }
        let plan = S::__plan();
        let loaded = loaded.and_then(|loaded| {
            let waiting: Vec<usize> = state
                .pins
                .iter()
                .map(|(leaf, _)| *leaf)
                .filter(|&leaf| loaded.prints[leaf] != state.running[leaf])
                .collect();
            if waiting.is_empty() {
                return Ok((loaded.prints.clone(), loaded, waiting));
            }
            let pins = state
                .pins
                .iter()
                .filter(|(leaf, _)| waiting.contains(leaf))
                .cloned()
                .collect();
            let seen = loaded.prints;
            drop(loaded.settings);
            let mut ignored = Used::default();
            let applied = load(&state.loader, pins, &mut ignored)?;
            Ok((seen, applied, waiting))
        });
        let (seen, loaded, waiting) = match loaded {
            Ok(loaded) => loaded,
            Err(err) => {
                drop(state);
                let callbacks = lock(&self.on_error).clone();
                for f in callbacks {
                    f(&err);
                }
                return Err(err);
            }
        };
        let paths = |leaves: &mut dyn Iterator<Item = usize>| -> Vec<String> {
            leaves.map(|leaf| plan.leaves[leaf].path.clone()).collect()
        };
        // Restart leaves whose text changed in this reload (not only still waiting).
        let newly_waiting = waiting.iter().any(|&leaf| seen[leaf] != state.prints[leaf]);
        let restart_required = paths(&mut waiting.iter().copied());
        let mut fields = paths(
            &mut (0..plan.leaves.len()).filter(|&leaf| state.running[leaf] != loaded.prints[leaf]),
        );
        let old = self.current.load_full();
        if fields.is_empty() {
            // A secret's fingerprint has 32 bits: compare the secrets themselves before
            // calling the load unchanged.
            if secret_bytes(&*old) == secret_bytes(&loaded.settings) {
                state.prints = seen;
                if !newly_waiting {
                    return Ok(());
                }
                // Only restart settings changed: nothing to apply, but say so.
                let generation = self.generation.load(Ordering::Acquire);
                drop(state);
                let change = Change {
                    new: Arc::clone(&old),
                    old,
                    fields,
                    restart_required,
                    generation,
                };
                self.tell(&change);
                return Ok(());
            }
            fields = paths(
                &mut (0..plan.leaves.len())
                    .filter(|&leaf| matches!(loaded.prints[leaf], Print::Secret(_))),
            );
        }
        let new = Arc::new(loaded.settings);
        // The redactor first: whatever `current` a reader sees, the redactor covers it.
        let redactor = Redactor::from_visit(|visit| {
            new.__secrets(visit);
            old.__secrets(visit);
        });
        self.redactor.store(Arc::new(redactor));
        self.current.store(Arc::clone(&new));
        let generation = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        self.hub.publish(generation, Arc::clone(&new));
        state.prints = seen;
        state.running = loaded.prints;
        state.pins = loaded.pins;
        drop(state);
        let change = Change {
            old,
            new,
            fields,
            restart_required,
            generation,
        };
        self.tell(&change);
        Ok(())
    }

    /// Runs the `on_change` callbacks (and, with feature `tracing`, warns of the
    /// settings that wait for a restart).
    fn tell(&self, change: &Change<S>) {
        #[cfg(feature = "tracing")]
        if !change.restart_required.is_empty() {
            tracing::warn!(
                settings = S::__plan().meta.name,
                restart_required = ?change.restart_required,
                "{}",
                crate::error::restart_required(&change.restart_required.join(", "))
            );
        }
        let callbacks = lock(&self.on_change).clone();
        for f in callbacks {
            f(change);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking callback never holds a lock; the data stays consistent anyway.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The file-notification watcher (feature `notify`); without the feature there is none
/// and only polling runs.
#[cfg(feature = "notify")]
type Watcher = notify::RecommendedWatcher;
#[cfg(not(feature = "notify"))]
type Watcher = std::convert::Infallible;

/// A file-notification watcher sending into the thread's channel; `None` when the
/// platform gives none (then only polling runs).
#[cfg(feature = "notify")]
fn notifier(tx: Sender<Msg>) -> Option<Watcher> {
    notify::recommended_watcher(move |event| {
        let _ = tx.send(Msg::Event(event));
    })
    .ok()
}

/// Without feature `notify`: no notifications, polling only.
#[cfg(not(feature = "notify"))]
fn notifier(_: Sender<Msg>) -> Option<Watcher> {
    None
}

/// The thread: waits for notifications, polls, debounces, reloads; ends on `Stop`.
fn watch_thread<S: Settings + Send + Sync>(
    inner: &Inner<S>,
    rx: &Receiver<Msg>,
    mut paths: Paths,
    mut used: Used,
    mut last_signature: Vec<Mark>,
    options: &WatchOptions,
) {
    // (first change, last change) of a burst not yet reloaded.
    let mut pending: Option<(Instant, Instant)> = None;
    let mut next_poll = Instant::now() + options.poll_interval;
    // Remote sources: a version probe every `remote_interval` (the one hook of
    // src/source/remote/refresh.rs).
    let mut remote = {
        let loader = lock(&inner.state).loader.clone();
        refresh::Refresh::new(&loader, options.remote_interval)
    };
    loop {
        let wake = match pending {
            Some((first, last)) => (last + QUIET).min(first + MAX_DELAY).min(next_poll),
            None => next_poll,
        };
        let wake = remote.as_ref().map_or(wake, |r| wake.min(r.next));
        let mut changed = false;
        match rx.recv_timeout(wake.saturating_duration_since(Instant::now())) {
            Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => break,
            #[cfg(feature = "notify")]
            Ok(Msg::Event(Ok(event))) => changed = paths.relevant(&event),
            // An error (the notification queue overflowed, say): look again.
            #[cfg(feature = "notify")]
            Ok(Msg::Event(Err(_))) => changed = true,
            Ok(Msg::Paths(new)) => {
                used = new;
                paths.update(&used);
                last_signature = watch_signature(&used);
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        let now = Instant::now();
        if now >= next_poll {
            next_poll = now + options.poll_interval;
            let signature = watch_signature(&used);
            if signature != last_signature {
                last_signature = signature;
                changed = true;
            }
        }
        if let Some(refresh) = remote.as_mut()
            && now >= refresh.next
        {
            let loader = lock(&inner.state).loader.clone();
            match refresh.check(&loader) {
                refresh::Check::Unchanged => {}
                refresh::Check::Changed => changed = true,
                refresh::Check::Failed(err) => {
                    let callbacks = lock(&inner.on_error).clone();
                    let _ =
                        catch_unwind(AssertUnwindSafe(|| callbacks.iter().for_each(|f| f(&err))));
                }
            }
        }
        if changed {
            pending = Some(pending.map_or((now, now), |(first, _)| (first, now)));
        }
        if let Some((first, last)) = pending
            && (now >= last + QUIET || now >= first + MAX_DELAY)
        {
            pending = None;
            // Taken before the load: a change during the load shows at the next poll.
            last_signature = watch_signature(&used);
            let _ = catch_unwind(AssertUnwindSafe(|| inner.reload()));
            // Subdirectories may have appeared, a missing directory may exist now.
            paths.update(&used);
        }
    }
}

/// Without feature `notify`: nothing is watched, polling finds every change.
#[cfg(not(feature = "notify"))]
struct Paths;

#[cfg(not(feature = "notify"))]
impl Paths {
    fn new(watcher: Option<Watcher>) -> Self {
        if let Some(never) = watcher {
            match never {}
        }
        Paths
    }

    fn update(&mut self, _: &Used) {}
}

/// Which directories to watch, for which names.
#[cfg(feature = "notify")]
enum Filter {
    /// Any entry (a secrets directory).
    Any,
    /// Entries with these names (the parent of a `.env` or `NAME_FILE` file).
    Names(HashSet<OsString>),
}

/// The notification side: what is watched, and which events matter.
#[cfg(feature = "notify")]
struct Paths {
    watcher: Option<Watcher>,
    /// Directories watched, as handed to the watcher.
    watched: HashSet<PathBuf>,
    /// Filters by directory, under the absolute and the canonical path (platforms
    /// report events under one or the other).
    filters: HashMap<PathBuf, Filter>,
}

#[cfg(feature = "notify")]
impl Paths {
    fn new(watcher: Option<Watcher>) -> Self {
        Paths {
            watcher,
            watched: HashSet::new(),
            filters: HashMap::new(),
        }
    }

    /// Watches the directories `used` needs (retrying those that failed before) and
    /// stops watching the others.
    fn update(&mut self, used: &Used) {
        let Some(watcher) = &mut self.watcher else {
            return;
        };
        let targets = targets(used);
        self.watched.retain(|dir| {
            let keep = targets.contains_key(dir);
            if !keep {
                let _ = watcher.unwatch(dir);
            }
            keep
        });
        for dir in targets.keys() {
            if !self.watched.contains(dir)
                && watcher.watch(dir, RecursiveMode::NonRecursive).is_ok()
            {
                self.watched.insert(dir.clone());
            }
        }
        self.filters.clear();
        for (dir, filter) in targets {
            if let Ok(real) = std::fs::canonicalize(&dir)
                && real != dir
            {
                let copy = match &filter {
                    Filter::Any => Filter::Any,
                    Filter::Names(names) => Filter::Names(names.clone()),
                };
                self.filters.insert(real, copy);
            }
            self.filters.insert(dir, filter);
        }
    }

    /// Whether an event may change a load: a write, creation, removal or rename in a
    /// watched directory, of a watched name. Opening and reading (the loads' own) are not.
    fn relevant(&self, event: &notify::Event) -> bool {
        match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
            EventKind::Access(_) => return false,
            _ => {}
        }
        if event.need_rescan() {
            return true;
        }
        event.paths.iter().any(|path| {
            if self.filters.contains_key(path) {
                return true;
            }
            let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
                return false;
            };
            match self.filters.get(parent) {
                Some(Filter::Any) => true,
                Some(Filter::Names(names)) => names.contains(name),
                None => false,
            }
        })
    }
}

/// The directories to watch for `used`, as absolute paths.
#[cfg(feature = "notify")]
fn targets(used: &Used) -> HashMap<PathBuf, Filter> {
    let mut targets = HashMap::new();
    for dir in &used.secrets_dirs {
        let dir = absolute(dir);
        subdirs(&dir, 0, &mut |sub| {
            targets.insert(sub.to_owned(), Filter::Any);
        });
        targets.insert(dir, Filter::Any);
    }
    for file in used.dotenvs.iter().chain(&used.files) {
        let file = absolute(file);
        let (Some(parent), Some(name)) = (file.parent(), file.file_name()) else {
            continue;
        };
        let filter = targets
            .entry(parent.to_owned())
            .or_insert_with(|| Filter::Names(HashSet::from([OsString::from("..data")])));
        if let Filter::Names(names) = filter {
            names.insert(name.to_owned());
        }
    }
    targets
}

#[cfg(feature = "notify")]
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// Calls `f` for each real (not symlinked) subdirectory of `dir`, Kubernetes' `..`
/// directories excluded, down to [`MAX_DEPTH`].
#[cfg(feature = "notify")]
fn subdirs(dir: &Path, depth: usize, f: &mut dyn FnMut(&Path)) {
    if depth >= MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir())
            && !entry.file_name().as_encoded_bytes().starts_with(b"..")
        {
            let path = entry.path();
            f(&path);
            subdirs(&path, depth + 1, f);
        }
    }
}

/// One item of a polling signature.
#[derive(Debug, PartialEq, Eq)]
enum Mark {
    /// A path's metadata (symlinks followed), or `None` when it cannot be read.
    Stamp(Option<Stamp>),
    /// Where a `..data` link points, if there is one.
    Link(Option<PathBuf>),
    /// An entry of a listed directory.
    Name(OsString),
}

#[cfg(unix)]
type Stamp = (u64, u64, u64, i64, i64, i64, i64);
#[cfg(not(unix))]
type Stamp = (u64, Option<std::time::SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        Some((
            meta.dev(),
            meta.ino(),
            meta.size(),
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec(),
        ))
    }
    #[cfg(not(unix))]
    {
        Some((meta.len(), meta.modified().ok()))
    }
}

/// A cheap signature of everything `used` names: equal signatures mean nothing
/// relevant changed (to the resolution of the file system's timestamps).
fn watch_signature(used: &Used) -> Vec<Mark> {
    let mut marks = Vec::new();
    for dir in &used.secrets_dirs {
        dir_marks(dir, 0, &mut marks);
    }
    for file in used.dotenvs.iter().chain(&used.files) {
        marks.push(Mark::Stamp(stamp(file)));
        let parent = file.parent().unwrap_or(Path::new(""));
        marks.push(Mark::Link(std::fs::read_link(parent.join("..data")).ok()));
    }
    marks
}

fn dir_marks(dir: &Path, depth: usize, marks: &mut Vec<Mark>) {
    marks.push(Mark::Stamp(stamp(dir)));
    marks.push(Mark::Link(std::fs::read_link(dir.join("..data")).ok()));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries
        .flatten()
        .filter(|e| !e.file_name().as_encoded_bytes().starts_with(b".."))
        .collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        marks.push(Mark::Name(entry.file_name()));
        if depth + 1 < MAX_DEPTH && entry.file_type().is_ok_and(|t| t.is_dir()) {
            dir_marks(&path, depth + 1, marks);
        } else {
            marks.push(Mark::Stamp(stamp(&path)));
        }
    }
}
