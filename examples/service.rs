//! An axum-style service that awaits settings changes instead of registering a callback.
//!
//! ```sh
//! cargo run --example service
//! ```
//!
//! The service's settings come from a secrets directory: a copy of `examples/service/`
//! in a temporary directory (so that the example can edit it). `listen` is
//! `#[settings(restart)]`: a server cannot move its socket while it runs. The example
//! then edits the copy as an operator would: more workers (applied), a new listen address
//! (kept until a restart, and said so), a rotated key (applied). The service loop awaits
//! `Subscription::changed()` under a ten-line `block_on` (no async runtime needed; under
//! tokio it is the same `.await`).

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use confidant::{ExposeSecret, Secret, Settings};

/// Settings of a small service.
#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    /// Key for the model provider.
    #[validate(length(min = 20))]
    api_key: Secret<String>,
    /// The address the server listens on: a change waits for a restart.
    #[settings(default = "0.0.0.0:8080", restart)]
    listen: String,
    /// Worker tasks.
    #[settings(default = 4)]
    workers: u16,
}

/// The smallest executor: polls the future on this thread, parking until woken.
fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::park();
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("service");
    let dir = std::env::temp_dir().join(format!("confidant-service-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    for name in ["api_key", "listen", "workers"] {
        std::fs::copy(source.join(name), dir.join(name))?;
    }

    let watch = Config::loader()
        .no_dotenv()
        .env_vars([("APP_UNUSED", "")])
        .secrets_dir(&dir)
        .poll_interval(Duration::from_millis(50))
        .watch()?;
    watch.on_change(|change| {
        if !change.restart_required().is_empty() {
            println!(
                "restart to apply: {} (the running values stay)",
                change.restart_required().join(", ")
            );
        }
    });
    let cfg = watch.current();
    println!(
        "serving on {} with {} workers, key {}",
        cfg.listen,
        cfg.workers,
        cfg.api_key.fingerprint()
    );

    // The operator, on another thread: three edits, a pause after each.
    let edits = {
        let dir = dir.clone();
        std::thread::spawn(move || -> std::io::Result<()> {
            for (name, text) in [
                ("workers", "8"),
                ("listen", "0.0.0.0:9090"),
                ("api_key", "sk-live-service-rotated-0123456789"),
            ] {
                std::thread::sleep(Duration::from_millis(400));
                std::fs::write(dir.join(name), text)?;
            }
            Ok(())
        })
    };

    // The service: each applied load, as it comes. (The listen change applies nothing,
    // so it wakes no one; the callback above says a restart is due.)
    let mut changes = watch.subscribe();
    block_on(async {
        loop {
            let cfg = changes.changed().await;
            println!(
                "now {} workers, key {}, still on {}",
                cfg.workers,
                cfg.api_key.fingerprint(),
                cfg.listen
            );
            if cfg.api_key.expose_secret().contains("rotated") {
                break;
            }
        }
    });
    edits.join().expect("the edits ran")?;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
