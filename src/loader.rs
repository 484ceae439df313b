//! [`Loader`]: chooses the layers, then loads.

use std::ffi::OsString;
use std::fmt;
use std::marker::PhantomData;
use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::build::outcome::Outcomes;
use crate::error::{Error, Problem};
use crate::load::{self, Files, LoadOptions, Want};
use crate::settings::Settings;

pub(crate) mod profile;

/// Builds a load of `S`: which environment, `.env` files, secrets directories, extra
/// figment providers and overrides to read. Get one from [`Settings::loader`] or
/// [`Settings::fixture`].
///
/// Layers, lowest to highest: defaults < figment providers < secrets directories
/// (later wins; then `CREDENTIALS_DIRECTORY`) and remote sources ([`source`](Loader::source),
/// in call order) < `.env` files (later wins; each followed by its profile and `.local`
/// files) < environment (with `NAME_FILE`) < `set`.
///
/// ```
/// use confidant::Settings;
///
/// #[derive(Debug, Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     #[settings(default = 8080)]
///     port: u16,
/// }
///
/// let cfg = Config::loader()
///     .env_vars([("APP_PORT", "9000")])
///     .no_dotenv()
///     .no_secrets_dir()
///     .set("port", "9001")
///     .load()?;
/// assert_eq!(cfg.port, 9001);
/// # Ok::<(), confidant::Error>(())
/// ```
#[must_use = "a loader does nothing until `load` is called"]
pub struct Loader<S> {
    /// What a load reads: plain data (`crate::load`).
    options: LoadOptions,
    /// How [`Loader::watch`] looks for changes.
    pub(crate) watch: WatchOptions,
    _settings: PhantomData<fn() -> S>,
}

/// How a [`Watch`](crate::Watch) looks for changes: [`Loader::poll_interval`].
#[derive(Debug, Clone)]
pub(crate) struct WatchOptions {
    /// The fallback polling period.
    pub poll_interval: std::time::Duration,
    /// Listen for file notifications (feature `notify`) besides polling.
    pub notify: bool,
    /// How often remote sources are probed (`Loader::remote_interval`).
    pub remote_interval: std::time::Duration,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            poll_interval: DEFAULT_POLL_INTERVAL,
            notify: true,
            remote_interval: DEFAULT_REMOTE_INTERVAL,
        }
    }
}

/// How often a watch probes remote sources unless told: every 5 minutes.
pub(crate) const DEFAULT_REMOTE_INTERVAL: std::time::Duration =
    std::time::Duration::from_secs(5 * 60);

/// How often a watch polls unless told: every 5 s.
pub(crate) const DEFAULT_POLL_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// A copy of the loader, to load the same layers again or to branch from a common
/// setup: `S` need not be `Clone`.
///
/// ```
/// # use confidant::Settings;
/// # #[derive(Settings)] struct Config { #[settings(default = 1)] workers: u8 }
/// let base = Config::fixture();
/// let more = base.clone().set("workers", "8");
/// assert_eq!(base.load()?.workers, 1);
/// assert_eq!(more.load()?.workers, 8);
/// # Ok::<(), confidant::Error>(())
/// ```
// Not derived: a derive would ask `S: Clone`. A `Watch` reloads with a clone.
impl<S> Clone for Loader<S> {
    fn clone(&self) -> Self {
        Loader {
            options: self.options.clone(),
            watch: self.watch.clone(),
            _settings: PhantomData,
        }
    }
}

/// The configuration, never a value: whether an environment was given (and how many
/// variables, not which), the `.env` files and secrets directories, the providers'
/// names, the keys of `set` overrides, and the file size cap.
///
/// ```
/// # use confidant::Settings;
/// # #[derive(Settings)] #[settings(prefix = "APP_")] struct Config { token: confidant::Secret<String> }
/// let loader = Config::loader()
///     .env_vars([("APP_TOKEN", "tok-0123456789")])
///     .no_dotenv()
///     .secrets_dir("/run/secrets")
///     .set("token", "tok-9876543210");
/// let shown = format!("{loader:?}");
/// assert!(shown.starts_with(
///     r#"Loader { settings: "Config", env: 1 variable given, dotenv: Off, secrets_dir: Named(["/run/secrets"])"#
/// ));
/// assert!(shown.contains(r#"overrides: ["token"]"#));
/// assert!(!shown.contains("tok-"));
/// ```
impl<S: Settings> fmt::Debug for Loader<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Loader");
        d.field("settings", &S::META.name);
        match &self.options.env {
            None => d.field("env", &format_args!("process environment")),
            Some(vars) if vars.len() == 1 => d.field("env", &format_args!("1 variable given")),
            Some(vars) => d.field("env", &format_args!("{} variables given", vars.len())),
        };
        d.field("dotenv", &self.options.dotenv)
            .field("secrets_dir", &self.options.secrets);
        #[cfg(feature = "figment")]
        d.field(
            "providers",
            &self
                .options
                .providers
                .iter()
                .map(crate::source::provider::figment_name)
                .collect::<Vec<_>>(),
        );
        d.field(
            "overrides",
            &self
                .options
                .overrides
                .iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>(),
        )
        .field("fixture", &self.options.fixture)
        .field("max_file_size", &self.options.max_file_size);
        if !self.options.sources.is_empty() {
            d.field("sources", &self.options.sources);
        }
        if self.options.fingerprint_key.is_some() {
            d.field("fingerprint_key", &format_args!("set"));
        }
        d.finish()
    }
}

impl<S: Settings> Loader<S> {
    pub(crate) fn new() -> Self {
        Loader {
            options: LoadOptions::new(),
            watch: WatchOptions::default(),
            _settings: PhantomData,
        }
    }

    pub(crate) fn fixture() -> Self {
        Loader {
            options: LoadOptions::fixture(),
            ..Self::new()
        }
    }

    /// Reads these variables instead of the process environment (which is then not read
    /// at all). Further calls add more. Values are taken literally, as the environment's.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] #[settings(prefix = "APP_")] struct Config { name: String }
    /// let cfg = Config::loader().env_vars([("APP_NAME", "api")]).no_dotenv().load()?;
    /// assert_eq!(cfg.name, "api");
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn env_vars<I, K, V>(mut self, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<OsString>,
        V: Into<OsString>,
    {
        self.options
            .env
            .get_or_insert_with(Vec::new)
            .extend(vars.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }

    /// Reads this config file instead of the struct's `#[settings(config_file = "...")]`;
    /// each further call adds a file (later wins). A file named here must exist. The
    /// extension picks the format: `.toml` (feature `toml`, on by default), `.yaml` or
    /// `.yml` (feature `yaml`), `.json` (feature `json`). Each file is followed by its
    /// optional `<stem>.local.<ext>` and, with a [`profile`](Loader::profile),
    /// `<stem>.<profile>.<ext>` and `<stem>.<profile>.local.<ext>`. Config files sit
    /// above defaults and below every other layer; a key is a field's dotted path
    /// (`[db]` then `port = 5433` sets `db.port`).
    ///
    /// ```
    /// # use confidant::Settings;
    /// #[derive(Debug, Settings)]
    /// #[settings(prefix = "APP_")]
    /// struct Config {
    ///     #[settings(default = 1)]
    ///     workers: u8,
    /// }
    /// # #[cfg(feature = "toml")] {
    /// let dir = tempfile::tempdir()?;
    /// let file = dir.path().join("myapp.toml");
    /// std::fs::write(&file, "workers = 4\n")?;
    /// let cfg = Config::loader().env_vars([("UNRELATED", "1")]).config_file(&file).load()?;
    /// assert_eq!(cfg.workers, 4);
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn config_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.options.config.add(path.into());
        self
    }

    /// Reads no config file at all (not the struct's `config_file`).
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] #[settings(config_file = "myapp.toml")] struct Config { #[settings(default = 1)] n: u8 }
    /// let cfg = Config::loader().no_config_file().no_dotenv().env_vars([("N", "2")]).load()?;
    /// assert_eq!(cfg.n, 2);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn no_config_file(mut self) -> Self {
        self.options.config = Files::Off;
        self
    }

    /// Reads this `.env` file instead of the default one; each further call adds a file
    /// (later wins). A file named here must exist. Like every `.env` file, it is
    /// followed by its optional `F.local` and, with a [`profile`](Loader::profile),
    /// `F.<profile>` and `F.<profile>.local`.
    ///
    /// ```no_run
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { name: String }
    /// let cfg = Config::loader().dotenv("config/.env").dotenv("config/.env.local").load()?;
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn dotenv(mut self, path: impl Into<PathBuf>) -> Self {
        self.options.dotenv.add(path.into());
        self
    }

    /// Reads the `.env` files of this profile too: above each `.env` file `F` the loader
    /// reads come `F.<profile>`, then `F.local`, then `F.<profile>.local` (later wins;
    /// each is optional, even when `F` was named with [`dotenv`](Loader::dotenv)).
    /// This wins over the struct's `#[settings(profile_env = "...")]` variable. Without
    /// any profile, only `F.local` is added. Secrets directories are not affected.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] #[settings(prefix = "APP_")] struct Config { #[settings(default = 1)] workers: u8 }
    /// let dir = tempfile::tempdir()?;
    /// std::fs::write(dir.path().join(".env"), "APP_WORKERS=2\n")?;
    /// std::fs::write(dir.path().join(".env.production"), "APP_WORKERS=8\n")?;
    /// let cfg = Config::loader()
    ///     .env_vars([("UNRELATED", "1")])
    ///     .dotenv(dir.path().join(".env"))
    ///     .profile("production")
    ///     .load()?;
    /// assert_eq!(cfg.workers, 8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.options.profile = Some(name.into());
        self
    }

    /// Reads no `.env` file at all.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] n: u8 }
    /// let cfg = Config::loader().no_dotenv().env_vars([("N", "2")]).load()?;
    /// assert_eq!(cfg.n, 2);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn no_dotenv(mut self) -> Self {
        self.options.dotenv = Files::Off;
        self
    }

    /// Reads this secrets directory instead of the struct's; each further call adds a
    /// directory (later wins). A directory named here must exist.
    ///
    /// ```no_run
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { token: confidant::Secret<String> }
    /// let cfg = Config::loader().secrets_dir("/run/secrets").secrets_dir("/vault/secrets").load()?;
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn secrets_dir(mut self, path: impl Into<PathBuf>) -> Self {
        self.options.secrets.add(path.into());
        self
    }

    /// Reads no secrets directory at all.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] #[settings(secrets_dir = "/run/secrets")] struct Config { #[settings(default = 1)] n: u8 }
    /// let cfg = Config::loader().no_secrets_dir().no_dotenv().env_vars([("N", "3")]).load()?;
    /// assert_eq!(cfg.n, 3);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn no_secrets_dir(mut self) -> Self {
        self.options.secrets = Files::Off;
        self
    }

    /// Sets one setting by its dotted path (`db.port`), above every other layer. The
    /// value is text, parsed like an environment value. An unknown path is a problem.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Debug, Settings)] struct Config { #[settings(nested)] db: Db }
    /// # #[derive(Debug, Settings)] struct Db { #[settings(default = 5432)] port: u16 }
    /// let cfg = Config::fixture().set("db.port", "5433").load()?;
    /// assert_eq!(cfg.db.port, 5433);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn set(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.options
            .overrides
            .push((key.into(), Zeroizing::new(value.into())));
        self
    }

    /// Adds any figment provider as a layer just above the defaults (below secrets
    /// directories, `.env` and the environment); later providers win over earlier ones.
    /// Values are looked up by dotted path (`db.port`). Strings are parsed like
    /// environment text; other values are converted through JSON.
    ///
    /// figment keeps its own copies of the values it reads and does not wipe them: put
    /// secrets in a secrets directory or the environment, not in a provider.
    ///
    /// ```
    /// use confidant::Settings;
    /// use confidant::figment::providers::Serialized;
    ///
    /// #[derive(Debug, Settings)]
    /// struct Config { #[settings(default = 1)] workers: u8 }
    ///
    /// let cfg = Config::fixture().provider(Serialized::default("workers", 4)).load()?;
    /// assert_eq!(cfg.workers, 4);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    #[cfg(feature = "figment")]
    pub fn provider(mut self, provider: impl figment::Provider) -> Self {
        self.options
            .providers
            .push(figment::Figment::from(provider));
        self
    }

    /// Adds a remote source (a secret manager) as a layer at the rank of the secrets
    /// directories, above them, in call order (later wins): see [`remote`](crate::remote).
    /// Its keys are named like secrets-directory files; a key that names no setting is a
    /// warning. A source that cannot be read is a problem naming it (fail-closed: no
    /// fall back to a lower layer or a default).
    ///
    /// ```no_run
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { token: confidant::Secret<String> }
    /// use confidant::remote::Exec;
    /// let cfg = Config::loader().source(Exec::new(["fetch-secrets", "--env", "prod"])).load()?;
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn source(mut self, source: impl crate::source::remote::Source) -> Self {
        self.options.sources.push(std::sync::Arc::new(source));
        self
    }

    /// Caps the size of a file read for a setting (secrets directory, `NAME_FILE`);
    /// 1 MiB by default, Kubernetes' limit on a Secret. A larger file is a problem and is
    /// not read.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] n: u8 }
    /// let loader = Config::fixture().max_file_size(64 * 1024);
    /// # let _ = loader;
    /// ```
    pub fn max_file_size(mut self, bytes: u64) -> Self {
        self.options.max_file_size = bytes;
        self
    }

    /// Shows every secret's fingerprint in [`explain`](Loader::explain) and
    /// `--print-config` as `hmac:` + the first 8 hex digits of HMAC-SHA256 keyed with the
    /// bytes of `key`, whatever the secret's entropy; wins over the
    /// `CONFIDANT_FINGERPRINT_KEY` variable of the loader's environment, which does the
    /// same. Without a key, a secret shows `sha256:` + 8 hex digits when it has at least
    /// 64 bits of estimated entropy and `(set)` otherwise (docs/security.md says why).
    /// The key is a secret of the load: kept in a buffer wiped on drop, never shown
    /// (`Debug` says `fingerprint_key: set`).
    ///
    /// ```
    /// # use confidant::{Secret, Settings};
    /// # #[derive(Settings)] struct Config { pin: Secret<String> }
    /// let explain = Config::fixture().set("pin", "123456").explain()?;
    /// assert_eq!(explain.rows()[0].value(), "(set)");
    ///
    /// let loader = Config::fixture().set("pin", "123456").fingerprint_key("per-deploy-key");
    /// assert!(format!("{loader:?}").contains("fingerprint_key: set"));
    /// let shown = loader.explain()?.rows()[0].value().to_owned();
    /// assert!(shown.starts_with("hmac:") && shown.len() == 13, "{shown}");
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn fingerprint_key(mut self, key: &str) -> Self {
        self.options.fingerprint_key = Some(Zeroizing::new(key.to_owned()));
        self
    }

    /// Turns every warning (an unknown name, a deprecated name) into a problem that
    /// fails the load, for CI and `--check-config --strict`.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Debug, Settings)] #[settings(prefix = "APP_")]
    /// # struct Config { #[settings(default = 1)] port: u16 }
    /// let loader = || Config::loader().env_vars([("APP_PROT", "2")]).no_dotenv();
    /// assert!(loader().load().is_ok());
    /// let err = loader().strict().load().unwrap_err();
    /// assert_eq!(err.problems()[0].env_var(), "APP_PROT");
    /// assert!(!err.problems()[0].is_warning());
    /// ```
    pub fn strict(mut self) -> Self {
        self.options.strict = true;
        self
    }

    /// Loads like [`load`](Loader::load), and also returns the warnings: environment
    /// variables and `.env` keys with the struct's prefix, and secrets-directory files,
    /// that set nothing (with `did you mean ...?` when a setting's name is close), and
    /// deprecated names that are set. Deprecated names come first, in field declaration
    /// order, then unknown names in the order of the layers (environment names sorted).
    /// No warning holds a value. With feature `tracing`, each is also a `warn!` event.
    /// (A test that captures those events with a thread-local subscriber, such as
    /// `tracing::subscriber::with_default`, should sit alone in its test binary:
    /// `tracing` caches whether anyone listens at each call site for the whole process,
    /// and a sibling test thread with no subscriber can reach the call site first.)
    ///
    /// Without a `prefix`, environment variables and `.env` keys are not checked: nothing
    /// tells another program's names from a typo of ours.
    ///
    /// ```
    /// use confidant::Settings;
    ///
    /// #[derive(Debug, Settings)]
    /// #[settings(prefix = "APP_")]
    /// struct Config {
    ///     #[settings(nested)]
    ///     db: Db,
    /// }
    /// #[derive(Debug, Settings)]
    /// struct Db {
    ///     #[settings(default = 5432)]
    ///     port: u16,
    /// }
    ///
    /// let (cfg, warnings) = Config::loader()
    ///     .env_vars([("APP_DB_PORT", "6000"), ("OTHER_SERVICE_PORT", "1")])
    ///     .no_dotenv()
    ///     .load_with_warnings()?;
    /// assert_eq!(cfg.db.port, 5432);
    /// assert_eq!(warnings.len(), 1);
    /// assert_eq!(
    ///     warnings[0].to_string(),
    ///     "APP_DB_PORT (environment): sets no setting; did you mean APP_DB__PORT?"
    /// );
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn load_with_warnings(self) -> Result<(S, Vec<Problem>), Error> {
        self.run_with(Want::WARNINGS).0
    }

    /// Loads the settings: every layer is read, every value parsed and checked, and
    /// every problem reported in one [`Error`].
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] n: u8 }
    /// let cfg = Config::fixture().load()?;
    /// assert_eq!(cfg.n, 1);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn load(self) -> Result<S, Error> {
        self.run_with(Want::SETTINGS)
            .0
            .map(|(settings, _)| settings)
    }

    /// Loads like [`load`](Loader::load), then tells where each setting came from:
    /// see [`Explain`](crate::Explain). Secrets are shown as fingerprints only. Fails
    /// with the same [`Error`] as `load` when the settings do not load.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] #[settings(prefix = "APP_")]
    /// # struct Config { #[settings(default = 8080)] port: u16 }
    /// let explain = Config::loader().env_vars([("APP_PORT", "9000")]).no_dotenv().explain()?;
    /// println!("{explain}");
    /// assert_eq!(explain.rows()[0].origin().to_string(), "environment");
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn explain(self) -> Result<crate::explain::Explain, Error> {
        let (result, outcomes) = self.run_with(Want::EXPLAIN);
        let explain = crate::explain::Explain::new(S::__plan(), outcomes);
        match result {
            Ok(_) => Ok(explain),
            Err(err) => Err(err.with_table(Box::new(explain))),
        }
    }

    /// Loads: every layer read (`crate::load`), the value built by the generated code,
    /// and every text the load made sent through its redactor. The settings with the
    /// warnings, or the error; and the outcomes (see `Want`), whichever way it went.
    pub(crate) fn run_with(self, want: Want) -> (Result<(S, Vec<Problem>), Error>, Outcomes) {
        let mut loading = load::start(S::__plan(), self.options, want);
        let settings = S::__build(&mut loading.build);
        let secrets = |visit: &mut dyn FnMut(&[u8])| {
            if let Some(settings) = &settings {
                settings.__secrets(visit);
            }
        };
        let (result, outcomes) = loading.finish(settings.is_some(), &secrets);
        let result = match (result, settings) {
            (Ok(warnings), Some(settings)) => Ok((settings, warnings)),
            (Err(err), _) => Err(err),
            (Ok(_), None) => unreachable!("a load succeeds only when its settings were built"),
        };
        (result, outcomes)
    }

    /// The loader with the command-line flags a user passed (`cli::Flags`).
    #[cfg(feature = "clap")]
    pub(crate) fn flags(mut self, flags: Vec<(usize, String, crate::load::FlagValue)>) -> Self {
        self.options.flags = flags;
        self
    }

    /// The loader with `#[settings(restart)]` leaves pinned to their running values
    /// (a [`Watch`](crate::Watch) reload: see `LoadOptions::pins`).
    pub(crate) fn pinned(mut self, pins: Vec<(usize, Option<crate::value::parse::Input>)>) -> Self {
        self.options.pins = pins;
        self
    }
}

impl<S> Loader<S> {
    /// The remote sources and the environment they read, for a watch's version probes.
    pub(crate) fn remote_parts(
        &self,
    ) -> (
        &crate::source::remote::Sources,
        crate::source::remote::Env<'_>,
    ) {
        (
            &self.options.sources,
            crate::source::remote::Env::new(self.options.env.as_deref()),
        )
    }
}
