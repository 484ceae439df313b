//! Awaiting changes, as SPEC.md "Rotation (wave 3)" describes it:
//! `Watch::subscribe()` gives a `Subscription` whose `changed()` is a future of the first
//! applied load it has not seen yet (a new subscription has seen the current one), as
//! `Arc<S>`, with no executor of its own: tested under a minimal hand-written `block_on`
//! (std `Wake` and thread parking) and under tokio's current-thread runtime.
//!
//! Every wait is bounded: `block_on_for` gives up after `WAIT`, and the tokio tests wrap
//! their awaits in a thread that fails the test past `WAIT`.

mod common;

use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::Thread;
use std::time::{Duration, Instant};

use confidant::{Settings, Subscription, Watch};

/// The bound on every wait (a loaded 2-core machine is slow; a pass is fast).
const WAIT: Duration = Duration::from_secs(10);

/// A polling period no test lasts: reloads are made by hand.
const NO_POLL: Duration = Duration::from_secs(3600);

#[derive(Debug, Settings)]
struct Config {
    #[settings(default = 4)]
    workers: u16,
    #[settings(default = 8080, restart)]
    port: u16,
}

/// `Subscription` moves to and is shared with other threads (an async task's state).
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<Subscription<Config>>();
    send_sync::<confidant::Changed<'static, Config>>();
};

fn watch(dir: &Path) -> Watch<Config> {
    common::dir_only::<Config>(dir)
        .poll_only()
        .poll_interval(NO_POLL)
        .watch()
        .unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// Unparks the thread that polls, and counts its wakes.
struct ThreadWaker {
    thread: Thread,
    wakes: AtomicUsize,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        self.thread.unpark();
    }
}

/// The smallest executor: polls `future` on this thread, parking between wakes; `None`
/// after `limit`. Also returns how many polls it took.
fn block_on_for<F: Future>(future: F, limit: Duration) -> (Option<F::Output>, usize) {
    let mut future = std::pin::pin!(future);
    let waker_state = Arc::new(ThreadWaker {
        thread: std::thread::current(),
        wakes: AtomicUsize::new(0),
    });
    let waker = Waker::from(Arc::clone(&waker_state));
    let mut cx = Context::from_waker(&waker);
    let deadline = Instant::now() + limit;
    let mut polls = 0;
    loop {
        polls += 1;
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return (Some(out), polls);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return (None, polls);
        }
        std::thread::park_timeout(left);
    }
}

#[test]
fn a_new_subscription_has_seen_the_current_load() {
    let dir = tempfile::tempdir().unwrap();
    let watch = watch(dir.path());
    let mut sub = watch.subscribe();
    let (out, _) = block_on_for(sub.changed(), Duration::from_millis(50));
    assert!(out.is_none(), "no load was applied since subscribe()");
}

#[test]
fn changed_is_ready_at_once_for_a_load_applied_before_it_is_awaited() {
    let dir = tempfile::tempdir().unwrap();
    let watch = watch(dir.path());
    let mut sub = watch.subscribe();
    write(dir.path(), "workers", "8");
    watch.reload().unwrap();
    let (out, polls) = block_on_for(sub.changed(), WAIT);
    let cfg = out.expect("ready");
    assert_eq!(cfg.workers, 8);
    assert_eq!(polls, 1);
    assert!(Arc::ptr_eq(&cfg, &watch.current()));
    // Seen now: the next one waits.
    let (out, _) = block_on_for(sub.changed(), Duration::from_millis(50));
    assert!(out.is_none());
}

#[test]
fn a_waiting_task_is_woken_by_a_reload_on_another_thread() {
    let dir = tempfile::tempdir().unwrap();
    let watch = watch(dir.path());
    let mut sub = watch.subscribe();
    let (tx, rx) = mpsc::channel::<()>();
    let reloader = {
        let watch = watch.clone();
        let dir = dir.path().to_owned();
        std::thread::spawn(move || {
            // Reload once the main thread has polled (and parked) at least once.
            rx.recv_timeout(WAIT).expect("the main thread polled");
            write(&dir, "workers", "12");
            watch.reload().unwrap();
        })
    };
    let future = async {
        let mut first = true;
        std::future::poll_fn(|cx| {
            if std::mem::take(&mut first) {
                let _ = tx.send(());
            }
            std::pin::Pin::new(&mut sub.changed()).poll(cx)
        })
        .await
    };
    let (out, polls) = block_on_for(future, WAIT);
    reloader.join().unwrap();
    assert_eq!(out.expect("woken within WAIT").workers, 12);
    assert!(polls >= 2, "it waited first ({polls} polls)");
}

#[test]
fn each_subscription_sees_each_load_once_and_skips_to_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let watch = watch(dir.path());
    let mut a = watch.subscribe();
    write(dir.path(), "workers", "1");
    watch.reload().unwrap();
    let mut b = watch.subscribe();
    write(dir.path(), "workers", "2");
    watch.reload().unwrap();
    write(dir.path(), "workers", "3");
    watch.reload().unwrap();
    // Both missed some loads: each gets the newest, once.
    assert_eq!(block_on_for(a.changed(), WAIT).0.unwrap().workers, 3);
    assert_eq!(block_on_for(b.changed(), WAIT).0.unwrap().workers, 3);
    assert!(
        block_on_for(a.changed(), Duration::from_millis(20))
            .0
            .is_none()
    );
    assert!(
        block_on_for(b.changed(), Duration::from_millis(20))
            .0
            .is_none()
    );
}

#[test]
fn a_refused_or_restart_only_reload_wakes_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let watch = watch(dir.path());
    let mut sub = watch.subscribe();
    write(dir.path(), "workers", "not-a-number");
    assert!(watch.reload().is_err());
    write(dir.path(), "workers", "4");
    write(dir.path(), "port", "9000");
    watch.reload().unwrap();
    assert!(
        block_on_for(sub.changed(), Duration::from_millis(50))
            .0
            .is_none()
    );
    assert_eq!(watch.current().port, 8080);
}

#[test]
fn a_subscription_keeps_the_watch_running() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "workers", "1");
    let watch = common::dir_only::<Config>(dir.path())
        .poll_only()
        .poll_interval(Duration::from_millis(20))
        .watch()
        .unwrap();
    let mut sub = watch.subscribe();
    drop(watch);
    write(dir.path(), "workers", "22");
    let (out, _) = block_on_for(sub.changed(), WAIT);
    assert_eq!(out.expect("the watch still polls").workers, 22);
}

#[test]
fn changed_works_under_tokio_current_thread() {
    let dir = tempfile::tempdir().unwrap();
    let watch = watch(dir.path());
    let mut sub = watch.subscribe();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let reloader = {
        let watch = watch.clone();
        let dir = dir.path().to_owned();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            write(&dir, "workers", "7");
            watch.reload().unwrap();
        })
    };
    let cfg = rt
        .block_on(async { tokio::time::timeout(WAIT, sub.changed()).await })
        .expect("changed() resolved within WAIT");
    reloader.join().unwrap();
    assert_eq!(cfg.workers, 7);
}

#[tokio::test(flavor = "current_thread")]
async fn a_service_loop_awaits_each_change_under_tokio() {
    let dir = tempfile::tempdir().unwrap();
    let watch = watch(dir.path());
    let mut sub = watch.subscribe();
    let task = tokio::spawn(async move {
        let mut seen = Vec::new();
        while seen.last() != Some(&3) {
            seen.push(sub.changed().await.workers);
        }
        seen
    });
    for n in 1..=3 {
        write(dir.path(), "workers", &n.to_string());
        watch.reload().unwrap();
        // The service task runs (and awaits again) before the next change.
        tokio::task::yield_now().await;
    }
    let seen = tokio::time::timeout(WAIT, task)
        .await
        .expect("the service saw the last change within WAIT")
        .unwrap();
    assert_eq!(seen, [1, 2, 3]);
}
