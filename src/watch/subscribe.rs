//! [`Subscription`]: awaiting a [`Watch`](crate::Watch)'s next applied load, with no executor of its
//! own. The watch keeps a waker per waiting subscription and wakes them all when it
//! applies a load; a subscription's future is ready when the watch's generation is past
//! the one it has seen. Any executor that polls futures with a `Waker` drives it (tokio,
//! async-std, smol, a plain `block_on`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

/// The watch's side: the applied load with its generation, and the wakers of the
/// subscriptions waiting for the next one, under one lock (a subscription never sees a
/// generation with another load's settings).
pub(crate) struct Hub<S> {
    state: Mutex<HubState<S>>,
}

struct HubState<S> {
    generation: u64,
    current: Arc<S>,
    /// One waker per waiting subscription, by its id.
    wakers: Vec<(u64, Waker)>,
    next_id: u64,
}

impl<S> Hub<S> {
    /// The hub of a watch whose first load is `current` (generation 1).
    pub(crate) fn new(current: Arc<S>) -> Self {
        Hub {
            state: Mutex::new(HubState {
                generation: 1,
                current,
                wakers: Vec::new(),
                next_id: 0,
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HubState<S>> {
        // No code that can panic runs under the lock; the data stays consistent anyway.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A load was applied: every waiting subscription is woken.
    pub(crate) fn publish(&self, generation: u64, current: Arc<S>) {
        let wakers = {
            let mut state = self.lock();
            state.generation = generation;
            state.current = current;
            std::mem::take(&mut state.wakers)
        };
        for (_, waker) in wakers {
            waker.wake();
        }
    }

    /// A new subscriber's id and the generation it has seen (the current one).
    fn join(&self) -> (u64, u64) {
        let mut state = self.lock();
        state.next_id += 1;
        (state.next_id, state.generation)
    }

    fn leave(&self, id: u64) {
        self.lock().wakers.retain(|(other, _)| *other != id);
    }
}

/// A watch's applied loads, awaited one at a time: get one from [`Watch::subscribe`](crate::Watch::subscribe).
///
/// [`changed`](Subscription::changed) is a future of the first applied load the
/// subscription has not seen yet; a new subscription has seen the load current when it
/// was made. Loads applied while nobody awaits are not queued: the next `changed()` is
/// ready at once with the newest (a slow consumer skips to the latest settings, never
/// a stale one). A reload that fails, or that changes only `#[settings(restart)]`
/// settings, applies no load and wakes nobody.
///
/// A subscription keeps its watch running, like a clone of the [`Watch`](crate::Watch). It needs no
/// particular executor: the watch wakes the task that awaits.
///
/// ```
/// use confidant::Settings;
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     let mut f = std::pin::pin!(f);
/// #     let waker = std::task::Waker::noop();
/// #     let mut cx = std::task::Context::from_waker(&waker);
/// #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
/// # }
///
/// #[derive(Settings)]
/// struct Config { #[settings(default = 4)] workers: u16 }
///
/// let dir = tempfile::tempdir().unwrap();
/// let watch = Config::loader().no_dotenv().env_vars([("X", "")]).secrets_dir(dir.path()).watch()?;
/// let mut changes = watch.subscribe();
/// std::fs::write(dir.path().join("workers"), "8").unwrap();
/// watch.reload()?;
/// // Under tokio: `let cfg = changes.changed().await;`
/// let cfg = block_on(changes.changed());
/// assert_eq!(cfg.workers, 8);
/// # Ok::<(), confidant::Error>(())
/// ```
#[must_use = "a subscription does nothing until `changed()` is awaited"]
pub struct Subscription<S> {
    hub: Arc<Hub<S>>,
    /// Keeps the watch's thread running (the watch's stop handle).
    _keep: Arc<dyn Send + Sync>,
    id: u64,
    seen: u64,
}

impl<S> Subscription<S> {
    /// A subscription to `hub` that has seen its current load; `keep` keeps the watch
    /// running.
    pub(crate) fn new(hub: Arc<Hub<S>>, keep: Arc<dyn Send + Sync>) -> Self {
        let (id, seen) = hub.join();
        Subscription {
            hub,
            _keep: keep,
            id,
            seen,
        }
    }
}

impl<S> Subscription<S> {
    /// The first applied load this subscription has not seen yet, as the `Arc` that
    /// [`Watch::current`](crate::Watch::current) returns: ready at once if one was applied since the last
    /// `changed()` (or since [`Watch::subscribe`](crate::Watch::subscribe)), else when the next is. Cancel-safe:
    /// dropping the future loses nothing.
    ///
    /// ```no_run
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 8080)] port: u16 }
    /// # async fn serve(watch: confidant::Watch<Config>) {
    /// let mut changes = watch.subscribe();
    /// loop {
    ///     let cfg = changes.changed().await;
    ///     println!("now on port {}", cfg.port);
    /// }
    /// # }
    /// ```
    pub fn changed(&mut self) -> Changed<'_, S> {
        Changed { subscription: self }
    }
}

impl<S> Drop for Subscription<S> {
    fn drop(&mut self) {
        self.hub.leave(self.id);
    }
}

impl<S> fmt::Debug for Subscription<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("seen", &self.seen)
            .finish_non_exhaustive()
    }
}

/// The future of [`Subscription::changed`].
#[must_use = "futures do nothing unless polled"]
pub struct Changed<'a, S> {
    subscription: &'a mut Subscription<S>,
}

impl<S> Future for Changed<'_, S> {
    type Output = Arc<S>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Arc<S>> {
        let sub = &mut *self.get_mut().subscription;
        let mut state = sub.hub.lock();
        if state.generation > sub.seen {
            sub.seen = state.generation;
            return Poll::Ready(Arc::clone(&state.current));
        }
        // Checked and registered under one lock: a publish cannot fall in between.
        match state.wakers.iter_mut().find(|(id, _)| *id == sub.id) {
            Some((_, waker)) => waker.clone_from(cx.waker()),
            None => state.wakers.push((sub.id, cx.waker().clone())),
        }
        Poll::Pending
    }
}

impl<S> fmt::Debug for Changed<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Changed").finish_non_exhaustive()
    }
}
