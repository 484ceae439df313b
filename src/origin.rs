//! Where a value came from.

use std::borrow::Cow;
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// Where a setting's value came from.
///
/// `Display` spells it as the report does: `default`, `unset`, `environment` (also for values
/// given with [`Loader::env_vars`](crate::Loader::env_vars)), `override`, `<path>:<line>`
/// for a `.env` file (`<path>:<line> (encrypted)` for a dotenvx-encrypted value), and the
/// file's path for a secrets file or a `NAME_FILE`.
///
/// ```
/// use confidant::Origin;
/// assert_eq!(Origin::Environment.to_string(), "environment");
/// let dotenv = Origin::Dotenv { path: ".env".into(), line: 3, encrypted: false };
/// assert_eq!(dotenv.to_string(), ".env:3");
/// let sealed = Origin::Dotenv { path: ".env".into(), line: 3, encrypted: true };
/// assert_eq!(sealed.to_string(), ".env:3 (encrypted)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// The field's `default`.
    Default,
    /// No layer sets it and it has no default: an `Option` left `None` (shown by
    /// `explain` only; a required setting in this state is a problem).
    Unset,
    /// A `fake` value or placeholder of a fixture.
    Fake,
    /// A figment provider added with [`Loader::provider`](crate::Loader::provider).
    Provider {
        /// The provider's name (figment `Metadata::name`).
        name: String,
    },
    /// A file in a secrets directory.
    SecretsFile {
        /// The file's path.
        path: PathBuf,
    },
    /// A key of a config file (`config_file`, [`Loader::config_file`](crate::Loader::config_file)),
    /// shown as `myapp.toml:12`.
    ///
    /// ```
    /// let origin = confidant::Origin::ConfigFile {
    ///     path: "myapp.toml".into(),
    ///     line: 12,
    ///     key: "db.port".into(),
    /// };
    /// assert_eq!(origin.to_string(), "myapp.toml:12");
    /// ```
    ConfigFile {
        /// The file's path.
        path: PathBuf,
        /// The 1-based line the value starts on (0 for a problem with the whole file).
        line: usize,
        /// The dotted key as written in the file (`db.port`); empty for a problem with
        /// the whole file.
        key: String,
    },
    /// A line of a `.env` file.
    Dotenv {
        /// The `.env` file's path.
        path: PathBuf,
        /// The 1-based line the setting is on.
        line: usize,
        /// The value was `encrypted:` (dotenvx) and decrypted at load.
        encrypted: bool,
    },
    /// The process environment, or the map given to `env_vars`.
    Environment,
    /// A file named by a `NAME_FILE` variable (`APP_DB__PASSWORD_FILE=/path`), in
    /// the environment or a `.env` file. A file in a secrets directory is a
    /// [`SecretsFile`](Origin::SecretsFile).
    NameFile {
        /// The file's path.
        path: PathBuf,
        /// The variable that named it (`APP_DB__PASSWORD_FILE`).
        var: String,
    },
    /// [`Loader::set`](crate::Loader::set).
    Override,
    /// A command-line flag of `cli::Flags` (feature `clap`),
    /// shown as `command line (--db-port)`.
    ///
    /// ```
    /// let origin = confidant::Origin::CommandLine { flag: "--db-port".into() };
    /// assert_eq!(origin.to_string(), "command line (--db-port)");
    /// ```
    CommandLine {
        /// The flag as the user spelled it (`--db-port`, `--no-verbose`).
        flag: String,
    },
    /// A key of a remote source added with [`Loader::source`](crate::Loader::source),
    /// e.g. `vault secret/myapp/prod#db__password (v3)`, `aws-sm prod/myapp#db__password
    /// (AWSCURRENT)`, `ssm /myapp/prod/db/password (v2)`, `exec fetch-secrets`.
    ///
    /// ```
    /// use confidant::Origin;
    /// let origin = Origin::Remote {
    ///     source: "vault secret/myapp/prod".into(),
    ///     place: "vault secret/myapp/prod#db__password (v3)".into(),
    /// };
    /// assert_eq!(origin.to_string(), "vault secret/myapp/prod#db__password (v3)");
    /// ```
    Remote {
        /// The source as a whole (`vault secret/myapp/prod`, `exec fetch-secrets`).
        source: String,
        /// The key and version inside it, as `Display` shows them.
        place: String,
    },
}

impl Origin {
    /// The origin as it leaves its load: each path and name passed through the load's
    /// redactor, and shown quoted when it holds a control character (a file name can).
    pub(crate) fn egress(&mut self, redactor: &crate::redact::Egress) {
        fn clean(text: &str, redactor: &crate::redact::Egress) -> Option<String> {
            let redacted = redactor.redact(text);
            let shown = crate::redact::shown_name(&redacted);
            (shown != text).then(|| shown.into_owned())
        }
        match self {
            Origin::Provider { name } => {
                if let Some(clean) = clean(name, redactor) {
                    *name = clean;
                }
            }
            Origin::NameFile { path, var } => {
                if let Some(clean) = clean(&path.to_string_lossy(), redactor) {
                    *path = PathBuf::from(clean);
                }
                if let Some(clean) = clean(var, redactor) {
                    *var = clean;
                }
            }
            Origin::SecretsFile { path } | Origin::Dotenv { path, .. } => {
                if let Some(clean) = clean(&path.to_string_lossy(), redactor) {
                    *path = PathBuf::from(clean);
                }
            }
            Origin::ConfigFile { path, key, .. } => {
                if let Some(clean) = clean(&path.to_string_lossy(), redactor) {
                    *path = PathBuf::from(clean);
                }
                if let Some(clean) = clean(key, redactor) {
                    *key = clean;
                }
            }
            Origin::CommandLine { flag } => {
                if let Some(clean) = clean(flag, redactor) {
                    *flag = clean;
                }
            }
            Origin::Remote { source, place } => {
                if let Some(clean) = clean(source, redactor) {
                    *source = clean;
                }
                if let Some(clean) = clean(place, redactor) {
                    *place = clean;
                }
            }
            Origin::Default
            | Origin::Unset
            | Origin::Fake
            | Origin::Environment
            | Origin::Override => {}
        }
    }

    /// A phrase for reports: the spelling of `Display` with a word saying what kind of
    /// place it is, where the bare spelling would be ambiguous.
    pub(crate) fn describe(&self) -> String {
        match self {
            Origin::SecretsFile { path } => format!("secrets file {}", shown_path(path)),
            Origin::NameFile { path, var } => format!("file {} named by {var}", shown_path(path)),
            Origin::Provider { name } => format!("provider {name}"),
            other => other.to_string(),
        }
    }
}

/// A path as every report and table shows it: relative to the working directory when
/// it lies under it (`.env`, `secrets/db__password`), absolute otherwise, so that the
/// origins of one table read alike whether a path was given relative or absolute.
/// `.` and `..` are resolved by their text (a symlink is not followed).
///
/// The origins keep the path as given; only what is shown changes.
pub(crate) fn shown_path(path: &Path) -> Cow<'_, str> {
    let Ok(cwd) = std::env::current_dir() else {
        return path.to_string_lossy();
    };
    if path.is_relative() && path.components().all(|c| matches!(c, Component::Normal(_))) {
        // Already relative to the working directory and under it.
        return path.to_string_lossy();
    }
    let mut absolute = PathBuf::new();
    for component in cwd.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                absolute.pop();
            }
            other => absolute.push(other),
        }
    }
    match absolute.strip_prefix(&cwd) {
        Ok(relative) if relative.as_os_str().is_empty() => ".".into(),
        Ok(relative) => relative.to_string_lossy().into_owned().into(),
        Err(_) => absolute.to_string_lossy().into_owned().into(),
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => f.write_str("default"),
            Origin::Unset => f.write_str("unset"),
            Origin::Fake => f.write_str("fixture"),
            Origin::Provider { name } => f.write_str(name),
            Origin::SecretsFile { path } | Origin::NameFile { path, .. } => {
                f.write_str(&shown_path(path))
            }
            Origin::Dotenv {
                path,
                line,
                encrypted,
            } => {
                write!(f, "{}:{line}", shown_path(path))?;
                if *encrypted {
                    f.write_str(" (encrypted)")?;
                }
                Ok(())
            }
            Origin::ConfigFile { path, line: 0, .. } => f.write_str(&shown_path(path)),
            Origin::ConfigFile { path, line, .. } => write!(f, "{}:{line}", shown_path(path)),
            Origin::Environment => f.write_str("environment"),
            Origin::Override => f.write_str("override"),
            Origin::CommandLine { flag } => write!(f, "command line ({flag})"),
            Origin::Remote { place, .. } => f.write_str(place),
        }
    }
}
