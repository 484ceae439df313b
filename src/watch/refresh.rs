//! Refresh of remote sources for [`Watch`](crate::Watch): every
//! [`Loader::remote_interval`] a version probe per source (Vault's metadata, not its
//! data); a reload only when a version changed (or a source has no probe); a failed probe
//! keeps the current settings and goes to `on_error`.

use std::time::{Duration, Instant};

use crate::error::{Error, Problem, ProblemKind};
use crate::loader::Loader;
use crate::origin::Origin;
use crate::settings::Settings;
use crate::source::remote::fetch::Ctx;

/// The shortest interval accepted (a busy loop against a server helps nobody).
const MIN_REMOTE_INTERVAL: Duration = Duration::from_millis(50);

impl<S: Settings> Loader<S> {
    /// How often a [`watch`](Loader::watch) re-checks its remote sources
    /// ([`source`](Loader::source)): 5 minutes unless set. Each check asks every source
    /// for its version only (Vault's metadata), and reloads when one changed; a source
    /// with no version to ask for (an [`Exec`](crate::remote::Exec) program) is read
    /// again, and the reload applied only if a value changed. A failed check keeps the
    /// current settings and is reported to [`on_error`](crate::Watch::on_error).
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] n: u8 }
    /// use std::time::Duration;
    /// let loader = Config::fixture().remote_interval(Duration::from_secs(60));
    /// # let _ = loader;
    /// ```
    pub fn remote_interval(mut self, every: Duration) -> Self {
        self.watch.remote_interval = every.max(MIN_REMOTE_INTERVAL);
        self
    }
}

/// What a check found.
pub(crate) enum Check {
    /// Every version as before: nothing to do.
    Unchanged,
    /// A version changed (or a source has none to compare): reload.
    Changed,
    /// A probe failed: the current settings stay.
    Failed(Error),
}

/// The watch thread's record of its remote sources.
pub(crate) struct Refresh {
    interval: Duration,
    /// When the next check is due.
    pub next: Instant,
    /// Each source's last version; `None` for a source with no probe or not yet known.
    versions: Vec<Option<String>>,
}

impl Refresh {
    /// `None` when the loader has no remote source. Takes each source's version now.
    pub(crate) fn new<S: Settings>(loader: &Loader<S>, interval: Duration) -> Option<Refresh> {
        let (sources, _) = loader.remote_parts();
        if sources.is_empty() {
            return None;
        }
        let versions = probe(loader).unwrap_or_else(|_| vec![None; sources.len()]);
        Some(Refresh {
            interval,
            next: Instant::now() + interval,
            versions,
        })
    }

    /// Probes every source (the caller checks that it is due).
    pub(crate) fn check<S: Settings>(&mut self, loader: &Loader<S>) -> Check {
        self.next = Instant::now() + self.interval;
        match probe(loader) {
            Ok(versions) => {
                let changed = versions.iter().any(Option::is_none) || versions != self.versions;
                self.versions = versions;
                if changed {
                    Check::Changed
                } else {
                    Check::Unchanged
                }
            }
            Err(err) => Check::Failed(err),
        }
    }
}

/// Every source's version, or the problems of the probes that failed.
fn probe<S: Settings>(loader: &Loader<S>) -> Result<Vec<Option<String>>, Error> {
    let plan = S::__plan();
    let (sources, env) = loader.remote_parts();
    let ctx = Ctx {
        env,
        names: plan.leaves.iter().map(|leaf| leaf.env()).collect(),
    };
    let mut versions = Vec::with_capacity(sources.len());
    let mut problems = Vec::new();
    for source in sources {
        match source.probe(&ctx) {
            Ok(version) => versions.push(version),
            Err(failure) => {
                let name = source.describe();
                problems.push(
                    Problem::of_source(ProblemKind::Unreadable, failure.message().to_owned()).at(
                        Some(Origin::Remote {
                            source: name.clone(),
                            place: name,
                        }),
                    ),
                );
            }
        }
    }
    if problems.is_empty() {
        Ok(versions)
    } else {
        Err(Error::new(plan.meta.name, problems))
    }
}
