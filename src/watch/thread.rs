//! The watch's thread: waits for file notifications and polls the paths' signature,
//! debounces a burst of changes into one reload, probes remote sources, and ends when the
//! last handle is dropped.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use super::paths::{Mark, Paths, Used, Watcher, watch_signature};
use super::refresh;
use super::reload::{Inner, lock};
use crate::loader::WatchOptions;
use crate::settings::Settings;

/// A reload waits until the watched paths have been quiet this long...
const QUIET: Duration = Duration::from_millis(150);

/// ...but no longer than this after the first change, so that a path written without
/// pause is still reloaded.
const MAX_DELAY: Duration = Duration::from_secs(1);

/// Tells the thread to stop when the last [`Watch`](crate::Watch) handle is dropped.
pub(super) struct Stop(pub(super) Sender<Msg>);

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = self.0.send(Msg::Stop);
    }
}

/// What the thread hears: a file notification, new paths to watch, or the end.
pub(super) enum Msg {
    #[cfg(feature = "notify")]
    Event(notify::Result<notify::Event>),
    Paths(Used),
    Stop,
}

/// A file-notification watcher sending into the thread's channel; `None` when the
/// platform gives none (then only polling runs).
#[cfg(feature = "notify")]
pub(super) fn notifier(tx: Sender<Msg>) -> Option<Watcher> {
    notify::recommended_watcher(move |event| {
        let _ = tx.send(Msg::Event(event));
    })
    .ok()
}

/// Without feature `notify`: no notifications, polling only.
#[cfg(not(feature = "notify"))]
pub(super) fn notifier(_: Sender<Msg>) -> Option<Watcher> {
    None
}

/// The thread: waits for notifications, polls, debounces, reloads; ends on `Stop`.
pub(super) fn watch_thread<S: Settings + Send + Sync>(
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
