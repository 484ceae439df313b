//! [`Loader`]: chooses the layers, then loads.

use std::ffi::OsString;
use std::fmt;
use std::marker::PhantomData;
use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::__private::{Build, Outcomes};
use crate::Settings;
use crate::error::{Error, Problem, ProblemKind, Problems};
use crate::origin::Origin;
use crate::resolve::resolve;
use crate::source::{self, Found, Hit, Layer, Layers, Raw};
use crate::unknown::Warnings;
use crate::watch::Used;

mod profile;

/// Which files a layer reads.
#[derive(Debug, Clone)]
enum Files {
    /// The struct's own (and for `.env`, the nearest `.env`); missing is fine.
    Default,
    /// Named explicitly: each must exist.
    Named(Vec<PathBuf>),
    /// None at all.
    Off,
}

impl Files {
    fn add(&mut self, path: PathBuf) {
        match self {
            Files::Named(paths) => paths.push(path),
            _ => *self = Files::Named(vec![path]),
        }
    }
}

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
    env: Option<Vec<(OsString, OsString)>>,
    dotenv: Files,
    profile: Option<String>,
    secrets: Files,
    overrides: Vec<(String, Zeroizing<String>)>,
    #[cfg(feature = "figment")]
    providers: Vec<figment::Figment>,
    fixture: bool,
    strict: bool,
    max_file_size: u64,
    /// Remote sources (`Loader::source`), in call order.
    sources: source::remote::Sources,
    /// How [`Loader::watch`] looks for changes.
    pub(crate) watch: crate::watch::Options,
    _settings: PhantomData<fn() -> S>,
}

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
            env: self.env.clone(),
            dotenv: self.dotenv.clone(),
            profile: self.profile.clone(),
            strict: self.strict,
            secrets: self.secrets.clone(),
            overrides: self.overrides.clone(),
            #[cfg(feature = "figment")]
            providers: self.providers.clone(),
            fixture: self.fixture,
            max_file_size: self.max_file_size,
            sources: self.sources.clone(),
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
        match &self.env {
            None => d.field("env", &format_args!("process environment")),
            Some(vars) if vars.len() == 1 => d.field("env", &format_args!("1 variable given")),
            Some(vars) => d.field("env", &format_args!("{} variables given", vars.len())),
        };
        d.field("dotenv", &self.dotenv)
            .field("secrets_dir", &self.secrets);
        #[cfg(feature = "figment")]
        d.field(
            "providers",
            &self.providers.iter().map(figment_name).collect::<Vec<_>>(),
        );
        d.field(
            "overrides",
            &self.overrides.iter().map(|(k, _)| k).collect::<Vec<_>>(),
        )
        .field("fixture", &self.fixture)
        .field("max_file_size", &self.max_file_size);
        if !self.sources.is_empty() {
            d.field("sources", &self.sources);
        }
        d.finish()
    }
}

impl<S: Settings> Loader<S> {
    pub(crate) fn new() -> Self {
        Loader {
            env: None,
            dotenv: Files::Default,
            profile: None,
            secrets: Files::Default,
            overrides: Vec::new(),
            #[cfg(feature = "figment")]
            providers: Vec::new(),
            fixture: false,
            strict: false,
            max_file_size: source::file::DEFAULT_MAX_SIZE,
            sources: Vec::new(),
            watch: crate::watch::Options::default(),
            _settings: PhantomData,
        }
    }

    pub(crate) fn fixture() -> Self {
        Loader {
            env: Some(Vec::new()),
            dotenv: Files::Off,
            secrets: Files::Off,
            fixture: true,
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
        self.env
            .get_or_insert_with(Vec::new)
            .extend(vars.into_iter().map(|(k, v)| (k.into(), v.into())));
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
        self.dotenv.add(path.into());
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
        self.profile = Some(name.into());
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
        self.dotenv = Files::Off;
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
        self.secrets.add(path.into());
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
        self.secrets = Files::Off;
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
        self.overrides
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
        self.providers.push(figment::Figment::from(provider));
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
    pub fn source(mut self, source: impl source::remote::Source) -> Self {
        self.sources.push(std::sync::Arc::new(source));
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
        self.max_file_size = bytes;
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
        self.strict = true;
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
        self.run_with(Want::WARNINGS, None)
            .map(|(settings, _, warnings)| (settings, warnings))
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
        self.run_with(Want::SETTINGS, None)
            .map(|(settings, ..)| settings)
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
    pub fn explain(self) -> Result<crate::Explain, Error> {
        let (_settings, outcomes, _warnings) = self.run_with(Want::EXPLAIN, None)?;
        Ok(crate::Explain::new(S::__plan(), outcomes))
    }

    /// Loads; the outcomes of each leaf when `want.outcomes`, and the warnings. Also
    /// records in `used` the files and directories the load looked at, for
    /// [`Watch`](crate::Watch).
    pub(crate) fn run_with(
        self,
        want: Want,
        mut used: Option<&mut Used>,
    ) -> Result<(S, Outcomes, Vec<Problem>), Error> {
        let explain = want.outcomes;
        // Unknown environment names are looked for when someone reads the warnings: the
        // caller, `strict`, or a `tracing` subscriber. Otherwise a `case_sensitive` load
        // may look its names up one by one, and finds unknown names only if it fails
        // (the error lists the warnings: a typo often explains a missing setting).
        let env_warnings_wanted = want.warnings || self.strict || tracing_warns();
        let plan = S::__plan();
        let meta = plan.meta;
        let mut hits: Vec<Hit> = Vec::with_capacity(plan.leaves.len());
        let mut problems: Problems = plan.collisions.clone();
        let mut warnings = Warnings::default();
        let mut layers = Layers::default();

        #[cfg(feature = "figment")]
        for figment in &self.providers {
            let layer = layers.push(Layer::Provider(Vec::new()));
            scan_provider(
                plan,
                figment,
                (&mut layers, layer),
                &mut hits,
                &mut problems,
            );
        }

        let off = matches!(self.secrets, Files::Off);
        let mut secrets_dirs: Vec<(PathBuf, bool)> = match self.secrets {
            Files::Default => meta
                .secrets_dir
                .map(|d| (d.into(), false))
                .into_iter()
                .collect(),
            Files::Named(dirs) => dirs.into_iter().map(|d| (d, true)).collect(),
            Files::Off => Vec::new(),
        };
        // systemd's `LoadCredential=`: above the struct's and the loader's directories.
        if !off
            && let Some(dir) =
                source::remote::Env::new(self.env.as_deref()).get("CREDENTIALS_DIRECTORY")
            && !dir.is_empty()
        {
            secrets_dirs.push((dir.into(), true));
        }
        if let Some(used) = used.as_deref_mut() {
            used.secrets_dirs = secrets_dirs.iter().map(|(d, _)| d.clone()).collect();
        }
        for (dir, required) in &secrets_dirs {
            let layer = layers.push(Layer::SecretsDir(dir.clone()));
            source::secrets_dir::scan(
                plan,
                dir,
                *required,
                layer,
                &mut hits,
                &mut problems,
                &mut warnings,
            );
        }

        source::remote::scan(
            plan,
            &self.sources,
            source::remote::Env::new(self.env.as_deref()),
            &mut layers,
            &mut hits,
            &mut problems,
            &mut warnings,
        );

        let dotenvs: Vec<(PathBuf, bool)> = match self.dotenv {
            Files::Default => meta
                .dotenv
                .map(PathBuf::from)
                .or_else(source::dotenv::find_default)
                .map(|p| (p, false))
                .into_iter()
                .collect(),
            Files::Named(files) => files.into_iter().map(|f| (f, true)).collect(),
            Files::Off => Vec::new(),
        };
        // The private keys of `encrypted:` values come from the environment read below.
        #[cfg(feature = "dotenvx")]
        let key_env = crate::dotenvx::KeyEnv::capture(self.env.as_deref());
        if !dotenvs.is_empty() {
            let env = match &self.env {
                Some(vars) => source::dotenv::Env::Vars(vars),
                None => source::dotenv::Env::Process,
            };
            let profile = match self.profile {
                Some(name) => Some(name),
                None => meta
                    .profile_env
                    .and_then(|var| profile::from_env(env, var, &mut problems)),
            };
            for (base, required) in &dotenvs {
                for (file, required) in profile::files(base, *required, profile.as_deref()) {
                    let layer = layers.push(Layer::Dotenv(file.clone()));
                    if let Some(used) = used.as_deref_mut() {
                        used.dotenvs.push(file.clone());
                    }
                    let _first = hits.len();
                    let dotenv = source::dotenv::DotenvFile {
                        path: &file,
                        required,
                        layer,
                    };
                    source::dotenv::scan(
                        plan,
                        &dotenv,
                        env,
                        &mut hits,
                        &mut problems,
                        &mut warnings,
                    );
                    #[cfg(feature = "dotenvx")]
                    crate::dotenvx::seal_dotenv(&mut hits[_first..], &file, &key_env);
                }
            }
        }

        let layer = layers.push(Layer::Environment);
        let _first = hits.len();
        let mut env_warnings = Warnings::default();
        // Unknown names were not looked for (a `case_sensitive` lookup, with a prefix).
        let mut env_unchecked = false;
        match self.env {
            Some(vars) => {
                source::env::scan(plan, vars.into_iter(), layer, &mut hits, &mut env_warnings);
            }
            // With a prefix and the warnings wanted, every variable is looked at.
            None if meta.case_sensitive
                && (meta.prefix.is_empty() || !env_warnings_wanted)
                && plan.env_list.len() <= source::env::LOOKUP_MAX_NAMES =>
            {
                source::env::lookup(plan, layer, &mut hits);
                env_unchecked = !meta.prefix.is_empty();
            }
            None => {
                let vars = std::env::vars_os();
                source::env::scan(plan, vars, layer, &mut hits, &mut env_warnings);
            }
        }
        #[cfg(feature = "dotenvx")]
        crate::dotenvx::seal_env(&mut hits[_first..], &key_env);
        // The environment has no order of its own: sorted by name, the same every run.
        env_warnings.sort_by_name();
        warnings.append(&mut env_warnings);

        let layer = layers.push(Layer::Override);
        for (key, value) in self.overrides {
            match plan.paths.get(key.as_str()) {
                Some(&leaf) => hits.push(Hit {
                    leaf,
                    raw: Raw::Text(value),
                    found: Found {
                        layer,
                        spelled: key,
                        ..Found::default()
                    },
                }),
                None => problems.source(
                    Problem::of_path(
                        &key,
                        ProblemKind::Unknown,
                        format!("`set(\"{key}\", ..)` names no setting"),
                    )
                    .at(Some(Origin::Override)),
                ),
            }
        }

        if let Some(used) = used {
            used.files = crate::watch::name_files(&layers, &hits);
        }
        crate::unknown::deprecated(plan, &layers, &hits, &mut warnings);
        let warnings: Vec<Problem> = if self.strict {
            problems.take_as_errors(warnings);
            Vec::new()
        } else {
            warnings.into_sorted()
        };
        #[cfg(feature = "tracing")]
        for warning in &warnings {
            tracing::warn!(settings = meta.name, "{warning}");
        }

        let resolved = resolve(plan, &layers, hits, self.max_file_size, &mut problems);
        let mut build = Build::new(plan, layers, resolved, problems, self.fixture, explain);
        let settings = S::__build(&mut build);
        match build.finish(settings) {
            Ok((settings, outcomes)) => Ok((settings, outcomes, warnings)),
            Err(err) => {
                let mut warnings = warnings;
                if env_unchecked {
                    // Last among the warnings, where the environment's would have been.
                    let mut env_warnings = Warnings::default();
                    source::env::unknown_names(plan, std::env::vars_os(), &mut env_warnings);
                    env_warnings.sort_by_name();
                    warnings.extend(env_warnings.into_sorted());
                }
                Err(err.with_warnings(warnings))
            }
        }
    }
}

impl<S> Loader<S> {
    /// The remote sources and the environment they read, for a watch's version probes.
    pub(crate) fn remote_parts(&self) -> (&source::remote::Sources, source::remote::Env<'_>) {
        (&self.sources, source::remote::Env::new(self.env.as_deref()))
    }
}

/// What a load must compute besides the settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Want {
    /// Each leaf's outcome, for `explain`.
    pub outcomes: bool,
    /// The warnings, for the caller.
    pub warnings: bool,
}

impl Want {
    /// The settings only ([`Loader::load`]).
    pub const SETTINGS: Want = Want {
        outcomes: false,
        warnings: false,
    };
    /// The settings and the warnings ([`Loader::load_with_warnings`]).
    pub const WARNINGS: Want = Want {
        outcomes: false,
        warnings: true,
    };
    /// The settings, the warnings and each leaf's outcome ([`Loader::explain`]).
    pub const EXPLAIN: Want = Want {
        outcomes: true,
        warnings: true,
    };
}

/// Whether a `tracing` subscriber takes the load's warnings.
fn tracing_warns() -> bool {
    #[cfg(feature = "tracing")]
    return tracing::enabled!(tracing::Level::WARN);
    #[cfg(not(feature = "tracing"))]
    false
}

/// The name a provider is shown by: its first metadata's.
#[cfg(feature = "figment")]
fn figment_name(figment: &figment::Figment) -> String {
    figment
        .metadata()
        .next()
        .map_or_else(|| "figment provider".to_owned(), provider_name)
}

/// Looks every leaf up in a figment provider: its data is extracted once, then each leaf
/// is found by dotted path in it. Each value's origin is named from its own tag (a
/// merged `Figment` holds values from several files), so a TOML file's value reads
/// `config.toml`. Errors from figment are not shown: they can quote the provider's
/// content.
#[cfg(feature = "figment")]
fn scan_provider(
    plan: &crate::plan::Plan,
    figment: &figment::Figment,
    (layers, layer): (&mut Layers, usize),
    hits: &mut Vec<Hit>,
    problems: &mut Problems,
) {
    use figment::value::Value;

    let Ok(data) = figment.extract::<Value>() else {
        let name = figment_name(figment);
        problems.source(
            Problem::of_source(
                ProblemKind::Unreadable,
                "the provider could not be read (its error is not shown: it may quote values)"
                    .to_owned(),
            )
            .at(Some(Origin::Provider { name })),
        );
        return;
    };
    for (leaf, l) in plan.leaves.iter().enumerate() {
        let Some(value) = data.find_ref(&l.path) else {
            continue;
        };
        let text = match value {
            Value::String(_, s) => s.clone(),
            other => match serde_json::to_string(other) {
                Ok(json) => json,
                Err(_) => continue,
            },
        };
        let name = figment
            .get_metadata(value.tag())
            .map_or_else(|| "figment provider".to_owned(), provider_name);
        hits.push(Hit {
            leaf,
            raw: Raw::Text(Zeroizing::new(text)),
            found: Found {
                layer,
                at: layers.provider_name(layer, name),
                spelled: l.path.clone(),
                ..Found::default()
            },
        });
    }
}

/// A provider's name for an origin: a file's path (relative to the current directory
/// when under it), else the provider's name and where it was added.
#[cfg(feature = "figment")]
fn provider_name(metadata: &figment::Metadata) -> String {
    match &metadata.source {
        Some(figment::Source::File(path)) => {
            let relative = std::env::current_dir().ok().and_then(|cwd| {
                path.strip_prefix(cwd)
                    .ok()
                    .map(std::path::Path::to_path_buf)
            });
            relative.as_deref().unwrap_or(path).display().to_string()
        }
        Some(source) => format!("{} {source}", metadata.name),
        None => metadata.name.to_string(),
    }
}
