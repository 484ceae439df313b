//! A reload: the load made again (with `#[settings(restart)]` leaves pinned to their
//! running text when theirs changed), compared with the current one by per-leaf
//! fingerprints, and applied in one swap when a setting changed; [`Change`] tells the
//! callbacks what did.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use arc_swap::ArcSwap;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::paths::Used;
use super::subscribe::Hub;
use crate::build::outcome::{LeafOutcome, Shown};
use crate::error::Error;
use crate::load::Want;
use crate::loader::Loader;
use crate::redact::Redactor;
use crate::settings::Settings;
use crate::value::parse::Input;

/// An applied change, handed to [`Watch::on_change`](crate::Watch::on_change) callbacks:
/// the settings before and after, and which settings' loaded text changed. Never holds a
/// value of its own: the changed settings are found by comparing fingerprints.
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

    /// The settings after the change: what [`Watch::current`](crate::Watch::current) now returns.
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
    /// [`Watch::current`](crate::Watch::current)) keeps the running value of each, and the
    /// new one takes effect at the next start. Empty when every setting reloaded.
    ///
    /// A change to only such settings still reaches [`on_change`](crate::Watch::on_change)
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

    /// The generation of the new settings
    /// ([`Watch::generation`](crate::Watch::generation) after this change).
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
/// Hands the thread the paths a reload's load looked at, when they differ from the last
/// load's (made by the thread's side, so that a reload need not know the thread).
pub(super) type PathsChanged = Box<dyn Fn(Used) + Send + Sync>;

/// What the handles, the thread and the reloads share.
pub(super) struct Inner<S> {
    /// The applied loads for [`Subscription`](crate::Subscription)s, and their wakers.
    pub(super) hub: Arc<Hub<S>>,
    pub(super) current: ArcSwap<S>,
    pub(super) generation: AtomicU64,
    /// Covers the current load's secrets and the previous load's.
    pub(super) redactor: ArcSwap<Redactor>,
    /// Held for the whole of a reload: reloads run one at a time.
    pub(super) state: Mutex<State<S>>,
    pub(super) on_change: Mutex<Vec<Arc<ChangeFn<S>>>>,
    pub(super) on_error: Mutex<Vec<Arc<ErrorFn>>>,
    /// Tells the thread about new paths to watch (a reload's load looked at others).
    pub(super) paths_changed: PathsChanged,
}

/// What a reload reads and updates, under [`Inner::state`]'s lock.
pub(super) struct State<S> {
    pub(super) loader: Loader<S>,
    /// What the watch keeps of each leaf of the current load, in declaration order.
    leaves: Vec<Kept>,
    /// The paths the last load looked at.
    used: Used,
}

/// What a watch keeps of one leaf between reloads: fingerprints of its text, never the
/// text, except a `#[settings(restart)]` leaf's running text.
struct Kept {
    /// The fingerprint of the text the last load read from the sources: what a reload
    /// compares with, to tell a change.
    seen: Option<Print>,
    /// The fingerprint of the current settings' text: `seen`, except for a
    /// `#[settings(restart)]` leaf that kept its running value.
    running: Option<Print>,
    /// A `#[settings(restart)]` leaf's running value (its text, wiped on drop; `None`
    /// when no layer set it): a reload pins the leaf to it while the sources' text waits
    /// for a restart.
    pin: Option<Input>,
}

impl Kept {
    /// What is kept of a leaf a load just made: its text's fingerprint, as seen and as
    /// running, and its pin.
    fn of(outcome: LeafOutcome) -> Kept {
        let print = print(outcome.shown.as_ref());
        Kept {
            seen: print,
            running: print,
            pin: outcome.pin,
        }
    }
}

/// What is kept of a leaf's loaded text to tell whether it changed: its SHA-256, never
/// the text.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Print {
    digest: [u8; 32],
    /// A secret's text (`explain` may show only `(set)` for it).
    secret: bool,
}

/// A load the watch may apply: the settings, and what the watch keeps of each leaf.
pub(super) struct Loaded<S> {
    settings: S,
    leaves: Vec<Kept>,
}

/// Loads again, with `pins` (restart leaves kept at their running value); `used` gets
/// the paths the load looked at, whether it succeeded or not.
pub(super) fn load<S: Settings>(
    loader: &Loader<S>,
    pins: Vec<(usize, Option<Input>)>,
    used: &mut Used,
) -> Result<Loaded<S>, Error> {
    let (result, outcomes) = loader.clone().pinned(pins).run_with(Want {
        outcomes: true,
        warnings: false,
        shown: false,
    });
    *used = Used::of(&outcomes.layers);
    let (settings, _warnings) = result?;
    Ok(Loaded {
        settings,
        leaves: outcomes.leaves.into_iter().map(Kept::of).collect(),
    })
}

/// The fingerprint of a leaf's text; `None` when the value has no text of its own (unset,
/// or a fixture's typed fake secret; an invalid text fails the load, which is not
/// compared).
fn print(shown: Option<&Shown>) -> Option<Print> {
    match shown? {
        Shown::Plain(text) => Some(Print {
            digest: Sha256::digest(text.as_bytes()).into(),
            secret: false,
        }),
        Shown::Fingerprint(_, _, digest) => Some(Print {
            digest: *digest,
            secret: true,
        }),
        Shown::Invalid => None,
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
    /// A watch's shared part, at generation 1 with `loaded` (whose load looked at `used`).
    pub(super) fn new(
        loader: Loader<S>,
        loaded: Loaded<S>,
        used: Used,
        paths_changed: PathsChanged,
    ) -> Self {
        let settings = Arc::new(loaded.settings);
        let redactor = Redactor::from_visit(|visit| settings.__secrets(visit));
        Inner {
            hub: Arc::new(Hub::new(Arc::clone(&settings))),
            current: ArcSwap::new(settings),
            generation: AtomicU64::new(1),
            redactor: ArcSwap::from_pointee(redactor),
            state: Mutex::new(State {
                loader,
                leaves: loaded.leaves,
                used,
            }),
            on_change: Mutex::new(Vec::new()),
            on_error: Mutex::new(Vec::new()),
            paths_changed,
        }
    }

    /// Loads again and applies the load if a setting changed. A `#[settings(restart)]`
    /// leaf whose text differs from its running value is pinned to that value: the load
    /// is made again with the pins (the sources' own text waits for a restart).
    pub(super) fn reload(&self) -> Result<(), Error> {
        let mut state = lock(&self.state);
        let mut used = Used::default();
        let loaded = load(&state.loader, Vec::new(), &mut used);
        if used != state.used {
            state.used = used.clone();
            (self.paths_changed)(used);
        }
        let plan = S::__plan();
        let loaded = loaded.and_then(|loaded| {
            // The restart leaves whose sources' text differs from their running value.
            let waiting: Vec<usize> = (0..plan.leaves.len())
                .filter(|&leaf| {
                    plan.leaves[leaf].field.restart
                        && loaded.leaves[leaf].seen != state.leaves[leaf].running
                })
                .collect();
            if waiting.is_empty() {
                return Ok((loaded, waiting));
            }
            let pins = waiting
                .iter()
                .map(|&leaf| (leaf, state.leaves[leaf].pin.clone()))
                .collect();
            let Loaded {
                settings,
                leaves: seen,
            } = loaded;
            drop(settings);
            let mut ignored = Used::default();
            let mut applied = load(&state.loader, pins, &mut ignored)?;
            // What the sources hold, from the unpinned load: the next reload compares
            // with it.
            for (kept, seen) in applied.leaves.iter_mut().zip(seen) {
                kept.seen = seen.seen;
            }
            Ok((applied, waiting))
        });
        let (loaded, waiting) = match loaded {
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
        let newly_waiting = waiting
            .iter()
            .any(|&leaf| loaded.leaves[leaf].seen != state.leaves[leaf].seen);
        let restart_required = paths(&mut waiting.iter().copied());
        let mut fields = paths(
            &mut (0..plan.leaves.len())
                .filter(|&leaf| state.leaves[leaf].running != loaded.leaves[leaf].running),
        );
        let old = self.current.load_full();
        if fields.is_empty() {
            // The fingerprints are of the texts: compare the secrets the texts made too
            // before calling the load unchanged.
            if secret_bytes(&*old) == secret_bytes(&loaded.settings) {
                for (kept, new) in state.leaves.iter_mut().zip(&loaded.leaves) {
                    kept.seen = new.seen;
                }
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
                    .filter(|&leaf| loaded.leaves[leaf].running.is_some_and(|p| p.secret)),
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
        state.leaves = loaded.leaves;
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

/// A mutex's data, even after a panic.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking callback never holds a lock; the data stays consistent anyway.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
