#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod build;
mod child_env;
pub mod cli;
#[cfg(feature = "dotenvx")]
pub mod dotenvx;
mod env_example;
mod error;
mod explain;
mod load;
mod loader;
mod meta;
mod names;
mod origin;
mod plan;
mod redact;
mod resolve;
mod schema;
mod secret;
mod settings;
mod source;
pub mod testing;
mod validation_error;
mod value;
mod watch;

#[doc(hidden)]
pub mod __private;

pub use child_env::ChildEnv;
pub use confidant_derive::Settings;
pub use error::{Error, Problem, ProblemKind};
pub use explain::{Explain, ExplainRow};
pub use loader::Loader;
pub use origin::Origin;
#[cfg(feature = "tracing")]
pub use redact::RedactingMakeWriter;
pub use redact::{MIN_SECRET_LEN, REDACTED, RedactingWriter, Redactor};
pub use secrecy::ExposeSecret;
pub use secret::{Secret, fingerprint};
pub use settings::Settings;
pub use source::remote;
pub use validation_error::ValidationError;
pub use watch::{Change, Changed, Subscription, Watch};

/// regex, re-exported for `#[validate(regex(path = *MY_REGEX))]`: the pattern is a
/// `confidant::regex::Regex`, so no other dependency is needed.
///
/// ```
/// use std::sync::LazyLock;
/// use confidant::{Settings, regex::Regex};
///
/// static KEY: LazyLock<Regex> = LazyLock::new(|| Regex::new("^sk-").unwrap());
///
/// #[derive(Debug, Settings)]
/// struct Config {
///     #[validate(regex(path = *KEY))]
///     api_key: confidant::Secret<String>,
/// }
///
/// let err = Config::fixture().set("api_key", "pk-1").load().unwrap_err();
/// assert_eq!(err.problems()[0].message(), "must match the pattern `^sk-`");
/// ```
#[cfg(feature = "regex")]
pub use regex;

/// figment, re-exported so that extra layers ([`Loader::provider`]) need no other
/// dependency.
#[cfg(feature = "figment")]
pub use figment;

/// The exit status of [`Settings::load_or_exit`]: `EX_CONFIG` from `sysexits.h`.
pub const EXIT_CONFIG: i32 = 78;
