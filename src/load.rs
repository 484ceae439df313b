//! One load as a pipeline: every layer read in precedence order into hits, resolved
//! (highest layer wins, conflicts found), then built by the settings type's generated
//! code, and every text it made sent through the load's redactor. Not generic: the
//! settings type enters only where its code builds the value (see `Loader::run_with`),
//! as confique's `Builder::load` is one loop over its sources.

use std::ffi::OsString;
use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::build::Build;
use crate::build::outcome::Outcomes;
use crate::error::{Error, Problem, Problems};
use crate::loader::profile;
use crate::names::Warnings;
use crate::plan::Plan;
use crate::resolve::resolve;
use crate::source::{self, Found, Hit, Layer, Layers, Raw};
use crate::value::parse::Input;

/// What a load reads: the plain data a `Loader` builds up.
#[derive(Clone)]
pub(crate) struct LoadOptions {
    /// `env_vars`: these variables instead of the process environment.
    pub env: Option<Vec<(OsString, OsString)>>,
    /// `config_file`: the struct's file (searched for), the files named, or none.
    pub config: Files,
    pub dotenv: Files,
    /// `profile`: the profile's `.env` files (else the struct's `profile_env`).
    pub profile: Option<String>,
    pub secrets: Files,
    /// `set`: dotted path and text.
    pub overrides: Vec<(String, Zeroizing<String>)>,
    #[cfg(feature = "figment")]
    pub providers: Vec<figment::Figment>,
    /// A fixture: fake values for secrets.
    pub fixture: bool,
    /// Warnings are problems.
    pub strict: bool,
    pub max_file_size: u64,
    /// `Loader::fingerprint_key`: wins over `CONFIDANT_FINGERPRINT_KEY`.
    pub fingerprint_key: Option<Zeroizing<String>>,
    /// Remote sources (`Loader::source`), in call order.
    pub sources: source::remote::Sources,
    /// `cli::Flags`: the flags the user passed, as leaf, flag as spelled and value (a
    /// secret's `--<name>-file` path as `FlagValue::File`), between the environment and
    /// `set`.
    pub flags: Vec<(usize, String, FlagValue)>,
    /// A `Watch`'s `#[settings(restart)]` leaves that keep their running value: each
    /// pinned leaf takes its pin, whatever the layers hold (`None`: no layer's value, so
    /// its default or nothing).
    pub pins: Vec<(usize, Option<Input>)>,
}

impl LoadOptions {
    /// The struct's own layers and the process environment.
    pub(crate) fn new() -> Self {
        LoadOptions {
            env: None,
            config: Files::Default,
            dotenv: Files::Default,
            profile: None,
            secrets: Files::Default,
            overrides: Vec::new(),
            #[cfg(feature = "figment")]
            providers: Vec::new(),
            fixture: false,
            strict: false,
            max_file_size: source::file::DEFAULT_MAX_SIZE,
            fingerprint_key: None,
            sources: Vec::new(),
            pins: Vec::new(),
            flags: Vec::new(),
        }
    }

    /// The key of `hmac:` fingerprints: `Loader::fingerprint_key`, else
    /// `CONFIDANT_FINGERPRINT_KEY` from the loader's environment (the `env_vars` when
    /// given, else the process environment, read only). A secret of the load: the
    /// load's redactor should scrub it.
    pub(crate) fn fingerprint_key_bytes(&self) -> Option<Zeroizing<Vec<u8>>> {
        const VAR: &str = "CONFIDANT_FINGERPRINT_KEY";
        if let Some(key) = &self.fingerprint_key {
            return Some(Zeroizing::new(key.as_bytes().to_vec()));
        }
        let value = match &self.env {
            Some(vars) => vars
                .iter()
                .rev()
                .find(|(k, _)| k == VAR)
                .map(|(_, v)| v.clone()),
            None => std::env::var_os(VAR),
        }?;
        Some(Zeroizing::new(value.into_encoded_bytes()))
    }

    /// A fixture: no process environment, no `.env`, no secrets directory.
    pub(crate) fn fixture() -> Self {
        LoadOptions {
            env: Some(Vec::new()),
            config: Files::Off,
            dotenv: Files::Off,
            secrets: Files::Off,
            fixture: true,
            ..Self::new()
        }
    }
}

/// A command-line flag's value (`cli::Flags`).
#[cfg_attr(not(feature = "clap"), allow(dead_code))]
#[derive(Clone)]
pub(crate) enum FlagValue {
    /// The text of a plain setting's flag, wiped on drop.
    Text(Zeroizing<String>),
    /// The file of a secret's `--<name>-file` flag, read like `NAME_FILE`.
    File(PathBuf),
}

/// Which files a layer reads.
#[derive(Debug, Clone)]
pub(crate) enum Files {
    /// The struct's own (for `.env` and a config file, the nearest); missing is fine.
    Default,
    /// Named explicitly: each must exist.
    Named(Vec<PathBuf>),
    /// None at all.
    Off,
}

impl Files {
    pub(crate) fn add(&mut self, path: PathBuf) {
        match self {
            Files::Named(paths) => paths.push(path),
            _ => *self = Files::Named(vec![path]),
        }
    }
}

/// Visits the secrets of a loaded value (the generated `__secrets`).
pub(crate) type Visit<'a> = dyn Fn(&mut dyn FnMut(&[u8])) + 'a;

/// A load under way: its layers read and resolved, its build ready for the settings
/// type's generated code ([`Loading::build`]), then ended by [`Loading::finish`].
pub(crate) struct Loading<'p> {
    /// What the generated `__build` fills in.
    pub build: Build<'p>,
    plan: &'p Plan,
    want: Want,
    warnings: Vec<Problem>,
    /// Unknown environment names were not looked for (a `case_sensitive` lookup).
    env_unchecked: bool,
}

/// Reads every layer of `options` in precedence order, resolves each setting, and
/// makes the build; `want` says what the load computes besides the settings.
pub(crate) fn start(plan: &Plan, options: LoadOptions, want: Want) -> Loading<'_> {
    let explain = want.outcomes;
    let fingerprint_key = if explain {
        options.fingerprint_key_bytes()
    } else {
        None
    };
    // Unknown environment names are looked for when someone reads the warnings: the
    // caller, `strict`, or a `tracing` subscriber. Otherwise a `case_sensitive` load
    // may look its names up one by one, and finds unknown names only if it fails
    // (the error lists the warnings: a typo often explains a missing setting).
    let env_warnings_wanted = want.warnings || options.strict || tracing_warns();
    let meta = plan.meta;
    let mut hits: Vec<Hit> = Vec::with_capacity(plan.leaves.len());
    let mut problems: Problems = plan.collisions.clone();
    let mut warnings = Warnings::default();
    let mut layers = Layers::default();

    // The profile (`Loader::profile`, else the struct's `profile_env` variable) picks
    // the profile files of config files and `.env` files alike.
    let profile_env = match &options.env {
        Some(vars) => source::dotenv::Env::Vars(vars),
        None => source::dotenv::Env::Process,
    };
    let profile = match options.profile {
        Some(name) => Some(name),
        None => meta
            .profile_env
            .and_then(|var| profile::from_env(profile_env, var, &mut problems)),
    };

    let configs: Vec<(PathBuf, bool)> = match options.config {
        Files::Default => meta
            .config_file
            .and_then(|name| layers.search(source::config::find_default(name)))
            .map(|p| (p, false))
            .into_iter()
            .collect(),
        Files::Named(files) => files.into_iter().map(|f| (f, true)).collect(),
        Files::Off => Vec::new(),
    };
    for (base, required) in &configs {
        for (file, required) in source::config::files(base, *required, profile.as_deref()) {
            let layer = layers.push(Layer::Config(file.clone()));
            let config = source::config::ConfigFile {
                path: &file,
                required,
                layer,
                max_size: options.max_file_size,
            };
            source::config::scan(plan, &config, &mut hits, &mut problems, &mut warnings);
        }
    }

    #[cfg(feature = "figment")]
    for figment in &options.providers {
        let layer = layers.push(Layer::Provider(Vec::new()));
        source::provider::scan(
            plan,
            figment,
            (&mut layers, layer),
            &mut hits,
            &mut problems,
            &mut warnings,
        );
    }

    let off = matches!(options.secrets, Files::Off);
    let mut secrets_dirs: Vec<(PathBuf, bool)> = match options.secrets {
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
            source::remote::Env::new(options.env.as_deref()).get("CREDENTIALS_DIRECTORY")
        && !dir.is_empty()
    {
        secrets_dirs.push((dir.into(), true));
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
        &options.sources,
        source::remote::Env::new(options.env.as_deref()),
        &mut layers,
        &mut hits,
        &mut problems,
        &mut warnings,
    );

    let dotenvs: Vec<(PathBuf, bool)> = match options.dotenv {
        Files::Default => meta
            .dotenv
            .map(PathBuf::from)
            .or_else(|| layers.search(source::dotenv::find_default()))
            .map(|p| (p, false))
            .into_iter()
            .collect(),
        Files::Named(files) => files.into_iter().map(|f| (f, true)).collect(),
        Files::Off => Vec::new(),
    };
    // The private keys of `encrypted:` values come from the environment read below.
    #[cfg(feature = "dotenvx")]
    let key_env =
        crate::source::sealed::KeyEnv::capture(options.env.as_deref(), source::dotenv::pairs);
    if !dotenvs.is_empty() {
        let env = profile_env;
        for (base, required) in &dotenvs {
            for (file, required) in profile::files(base, *required, profile.as_deref()) {
                let layer = layers.push(Layer::Dotenv(file.clone()));
                let _first = hits.len();
                let dotenv = source::dotenv::DotenvFile {
                    path: &file,
                    required,
                    layer,
                };
                source::dotenv::scan(plan, &dotenv, env, &mut hits, &mut problems, &mut warnings);
                #[cfg(feature = "dotenvx")]
                source::seal::seal_dotenv(&mut hits[_first..], &file, &key_env, env);
            }
        }
    }

    let layer = layers.push(Layer::Environment);
    let _first = hits.len();
    let mut env_warnings = Warnings::default();
    // Unknown names were not looked for (a `case_sensitive` lookup, with a prefix).
    let mut env_unchecked = false;
    match options.env {
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
    source::seal::seal_env(&mut hits[_first..], &key_env);
    // The environment has no order of its own: sorted by name, the same every run.
    env_warnings.sort_by_name();
    warnings.append(&mut env_warnings);

    if !options.flags.is_empty() {
        let layer = layers.push(Layer::CommandLine);
        for (leaf, flag, value) in options.flags {
            let (raw, via_file) = match value {
                FlagValue::Text(text) => (Raw::Text(text), false),
                FlagValue::File(path) => (
                    Raw::Path {
                        path,
                        regular: false,
                    },
                    true,
                ),
            };
            hits.push(Hit {
                leaf,
                raw,
                found: Found {
                    layer,
                    via_file,
                    spelled: flag,
                    ..Found::default()
                },
            });
        }
    }

    let layer = layers.push(Layer::Override);
    for (key, value) in options.overrides {
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
            None => problems.source(crate::names::unknown_override(plan, &key)),
        }
    }

    if want.outcomes {
        // What a `Watch` watches besides the layers' own paths.
        layers.name_files = source::name_files(&layers, &hits);
    }
    if !options.pins.is_empty() {
        // Pinned leaves: what the layers hold now waits for a restart (its files are
        // still watched, above); the running value is the one hit.
        hits.retain(|hit| options.pins.iter().all(|(leaf, _)| *leaf != hit.leaf));
        let layer = layers.push(Layer::Override);
        for (leaf, pin) in options.pins {
            let raw = match pin {
                Some(Input::Text(text)) => Raw::Text(text),
                Some(Input::Bytes(bytes)) => Raw::Bytes(bytes),
                None => continue,
            };
            let spelled = plan.leaves[leaf].path.clone();
            hits.push(Hit {
                leaf,
                raw,
                found: Found {
                    layer,
                    spelled,
                    ..Found::default()
                },
            });
        }
    }
    crate::resolve::deprecated(plan, &layers, &hits, &mut warnings);
    let warnings: Vec<Problem> = if options.strict {
        problems.take_as_errors(warnings);
        Vec::new()
    } else {
        warnings.into_sorted()
    };

    // Every secret text a source read, whichever layer wins: the load's redactor
    // has them (files and decrypted values are added by the build, once read).
    // A JSON text's strings join it one by one (a `#[settings(secret)]` struct is
    // scrubbed whole, a list of secrets element by element, parsed or not).
    let mut secret_texts: Vec<Zeroizing<Vec<u8>>> = Vec::new();
    for hit in hits.iter().filter(|hit| plan.leaves[hit.leaf].secret()) {
        if let Raw::Text(text) = &hit.raw {
            secret_texts.push(Zeroizing::new(text.as_bytes().to_vec()));
            crate::value::secrets::json_strings(text, &mut |bytes| {
                secret_texts.push(Zeroizing::new(bytes.to_vec()));
            });
        }
    }
    let resolved = resolve(plan, &layers, hits, options.max_file_size, &mut problems);
    let mut build = Build::new(plan, layers, resolved, problems, options.fixture, explain);
    build.add_secret_texts(secret_texts);
    if explain {
        // Only `explain` shows fingerprints: a plain load does not look for the key.
        // The key is a secret of the load.
        if let Some(key) = fingerprint_key {
            build.add_secret_texts([Zeroizing::new(key.to_vec())]);
            build.fingerprint_key(Some(key));
        }
    }
    #[cfg(feature = "dotenvx")]
    build.add_secret_texts(key_env.take_tried());
    Loading {
        build,
        plan,
        want,
        warnings,
        env_unchecked,
    }
}

impl Loading<'_> {
    /// Ends the load after the settings type's code ran: `built` says whether it made
    /// the value, and `secrets` visits the secrets of that value. The warnings, or the
    /// error with every problem; and the outcomes (the load's layers, and each leaf's
    /// record when `want.outcomes`). The one door: every text made from this load
    /// (problems, warnings, `explain`) leaves through the load's redactor here.
    pub(crate) fn finish(
        self,
        built: bool,
        secrets: &Visit<'_>,
    ) -> (Result<Vec<Problem>, Error>, Outcomes) {
        let Loading {
            build,
            plan,
            want,
            mut warnings,
            env_unchecked,
        } = self;
        let name = plan.meta.name;
        let (result, mut outcomes) = build.finish(built);
        let result = match result {
            Ok(()) => {
                if want.shown || !warnings.is_empty() {
                    let egress = outcomes.egress(|visit| secrets(visit));
                    for warning in &mut warnings {
                        warning.egress(&egress);
                    }
                    if want.shown {
                        outcomes.egress = Some(egress);
                    }
                }
                trace_warnings(name, &warnings);
                Ok(warnings)
            }
            Err(err) => {
                if env_unchecked {
                    // Last among the warnings, where the environment's would have been.
                    let mut env_warnings = Warnings::default();
                    source::env::unknown_names(plan, std::env::vars_os(), &mut env_warnings);
                    env_warnings.sort_by_name();
                    warnings.extend(env_warnings.into_sorted());
                }
                let egress = outcomes.egress(|_| {});
                let err = err.with_warnings(warnings).egress(&egress);
                if want.shown {
                    // The table of what did load (`Error::explain`) leaves through it too.
                    outcomes.egress = Some(egress);
                }
                trace_warnings(name, err.warnings());
                Err(err)
            }
        };
        (result, outcomes)
    }
}

/// What a load must compute besides the settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Want {
    /// Each leaf's outcome, for `explain`.
    pub outcomes: bool,
    /// The warnings, for the caller.
    pub warnings: bool,
    /// The outcomes are shown (`explain`): they leave through the load's redactor.
    pub shown: bool,
}

impl Want {
    /// The settings only ([`Loader::load`]).
    pub const SETTINGS: Want = Want {
        outcomes: false,
        warnings: false,
        shown: false,
    };
    /// The settings and the warnings ([`Loader::load_with_warnings`]).
    pub const WARNINGS: Want = Want {
        outcomes: false,
        warnings: true,
        shown: false,
    };
    /// The settings, the warnings and each leaf's outcome ([`Loader::explain`]).
    pub const EXPLAIN: Want = Want {
        outcomes: true,
        warnings: true,
        shown: true,
    };
}

/// Each warning of a load as a `tracing::warn!` event (feature `tracing`), as it left
/// the load's redactor.
fn trace_warnings(settings: &'static str, warnings: &[Problem]) {
    #[cfg(feature = "tracing")]
    for warning in warnings {
        tracing::warn!(settings, "{warning}");
    }
    #[cfg(not(feature = "tracing"))]
    let _ = (settings, warnings);
}

/// Whether a `tracing` subscriber takes the load's warnings.
fn tracing_warns() -> bool {
    #[cfg(feature = "tracing")]
    return tracing::enabled!(tracing::Level::WARN);
    #[cfg(not(feature = "tracing"))]
    false
}
