//! Startup checks as command-line flags: `--check-config`, `--print-config`,
//! `--print-env-example`, `--print-config-schema`, `--print-config-docs`.
//!
//! [`run`] goes at the top of `main` in place of [`Settings::load_or_exit`]: with one of
//! the flags as the first argument it prints and exits; with none it loads (or prints the
//! report and exits with [`EXIT_CONFIG`]), and every argument is left for the program.
//!
//! | flag | prints | exit status |
//! |---|---|---|
//! | `--check-config` | `ok` (stdout) and the warnings (stderr), or the report (stderr) | 0, or 78 |
//! | `--check-config --strict` | the same, warnings count as problems | 0, or 78 |
//! | `--print-config` | the [`Explain`] table, secrets as fingerprints (on a failed load, the table of what did load, failed settings as `(failed)`, then the report) | 0, or 78 |
//! | `--print-config=json` | the same as JSON ([`Explain::to_json`](crate::Explain::to_json)) | 0, or 78 |
//! | `--print-env-example` | [`Settings::env_example`] | 0 |
//! | `--print-config-schema` | [`Settings::json_schema`] | 0 |
//! | `--print-config-docs` | [`Settings::docs_markdown`] | 0 |
//!
//! A flag followed by an argument it does not take is a usage error (status 64,
//! `EX_USAGE`). No output of these flags holds a secret's value.
//!
//! With feature `clap`, `ConfigArgs` is the same set of flags for a program that
//! parses its arguments with clap (`#[command(flatten)]`).

use std::ffi::OsString;
use std::io::Write;

use crate::error::Usage;
use crate::{EXIT_CONFIG, Explain, Loader, Settings};

/// The exit status of a misused flag: `EX_USAGE` from `sysexits.h`.
pub const EXIT_USAGE: i32 = 64;

/// What [`run_with`] decided: go on with the loaded settings, or exit with a status
/// (after printing).
#[derive(Debug)]
#[must_use = "the program should exit when asked to"]
pub enum Outcome<S> {
    /// No startup flag: the settings loaded; the program goes on.
    Run(S),
    /// A flag was handled, or the settings did not load: exit with this status.
    Exit(i32),
}

/// One startup action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Load,
    Check { strict: bool },
    PrintConfig { json: bool },
    EnvExample,
    Schema,
    Docs,
}

/// Reads the action from the arguments after the program name; `Err` for a usage error.
fn parse(args: &[OsString]) -> Result<Action, String> {
    let Some(first) = args.first().and_then(|a| a.to_str()) else {
        return Ok(Action::Load);
    };
    let (action, takes_strict) = match first {
        "--check-config" => (Action::Check { strict: false }, true),
        "--print-config" | "--print-config=table" => (Action::PrintConfig { json: false }, false),
        "--print-config=json" => (Action::PrintConfig { json: true }, false),
        "--print-env-example" => (Action::EnvExample, false),
        "--print-config-schema" => (Action::Schema, false),
        "--print-config-docs" => (Action::Docs, false),
        other if other.starts_with("--print-config=") => {
            return Err(Usage::UnknownFormat { flag: other }.sentence());
        }
        _ => return Ok(Action::Load),
    };
    match (&args[1..], takes_strict) {
        ([], _) => Ok(action),
        ([strict], true) if strict == "--strict" => Ok(Action::Check { strict: true }),
        ([extra, ..], _) => Err(Usage::Extra {
            flag: first,
            extra: &extra.to_string_lossy(),
            strict_only: takes_strict,
        }
        .sentence()),
    }
}

/// The startup checks for `S`, from the process arguments: see the [module](self) docs.
/// Returns the loaded settings when no flag is given; otherwise prints and exits.
///
/// ```no_run
/// use confidant::Settings;
///
/// #[derive(Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     #[settings(default = 8080)]
///     port: u16,
/// }
///
/// fn main() {
///     // `app --check-config` in CI or an init container; `app` to run.
///     let cfg = confidant::cli::run::<Config>();
///     println!("listening on {}", cfg.port);
/// }
/// ```
pub fn run<S: Settings>() -> S {
    run_loader(S::loader())
}

/// [`run`] with a loader of your own (other `.env` files or secrets directories,
/// overrides): the flags still come from the process arguments.
///
/// ```no_run
/// # use confidant::Settings;
/// # #[derive(Settings)] struct Config { #[settings(default = 1)] n: u8 }
/// let cfg = confidant::cli::run_loader(Config::loader().dotenv("config/.env"));
/// ```
pub fn run_loader<S: Settings>(loader: Loader<S>) -> S {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let outcome = run_with(
        args,
        loader,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    match outcome {
        Outcome::Run(settings) => settings,
        Outcome::Exit(code) => std::process::exit(code),
    }
}

/// The core of [`run`], for tests and for programs that choose their own loader or
/// output: `args` are the arguments after the program name; output goes to `out`
/// (results) and `err` (reports, warnings, usage errors). Never exits.
///
/// ```
/// use confidant::Settings;
/// use confidant::cli::{Outcome, run_with};
///
/// #[derive(Debug, Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     #[settings(default = 8080)]
///     port: u16,
/// }
///
/// let loader = || Config::loader().env_vars([("APP_PROT", "1")]).no_dotenv();
/// let (mut out, mut err) = (Vec::new(), Vec::new());
/// let outcome = run_with(["--check-config"], loader(), &mut out, &mut err);
/// assert!(matches!(outcome, Outcome::Exit(0)));
/// assert_eq!(String::from_utf8(out).unwrap(), "ok\n");
/// assert!(String::from_utf8(err).unwrap().contains("did you mean APP_PORT?"));
///
/// let outcome = run_with(["--check-config", "--strict"], loader(), &mut Vec::new(), &mut Vec::new());
/// assert!(matches!(outcome, Outcome::Exit(confidant::EXIT_CONFIG)));
///
/// // No startup flag: load, and leave the arguments to the program.
/// let outcome = run_with(["serve", "--verbose"], loader(), &mut Vec::new(), &mut Vec::new());
/// assert!(matches!(outcome, Outcome::Run(Config { port: 8080 })));
/// ```
pub fn run_with<S, I>(
    args: I,
    loader: Loader<S>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome<S>
where
    S: Settings,
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    match parse(&args) {
        Ok(action) => act(action, loader, out, err),
        Err(usage) => {
            let _ = writeln!(err, "{usage}");
            Outcome::Exit(EXIT_USAGE)
        }
    }
}

/// [`run_loader`] for a program that rotates its settings: the startup flags first
/// (each prints and exits as in [`run`]); with none, a [`Watch`](crate::Watch) of the
/// settings (or the report and [`EXIT_CONFIG`]).
///
/// ```no_run
/// # use confidant::{Secret, Settings};
/// # #[derive(Settings)] #[settings(prefix = "APP_")]
/// # struct Config { api_key: Secret<String> }
/// let settings = confidant::cli::run_watch(Config::loader());
/// let key = settings.current().api_key.clone();
/// ```
pub fn run_watch<S: Settings + Send + Sync>(loader: Loader<S>) -> crate::Watch<S> {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let outcome = watch_with(
        args,
        loader,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    match outcome {
        Outcome::Run(watch) => watch,
        Outcome::Exit(code) => std::process::exit(code),
    }
}

/// The core of [`run_watch`], as [`run_with`] is of [`run`]: never exits.
///
/// ```
/// use confidant::Settings;
/// use confidant::cli::{Outcome, watch_with};
///
/// #[derive(Debug, Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     #[settings(default = 8080)]
///     port: u16,
/// }
///
/// let loader = || Config::loader().env_vars([("APP_PORT", "9090")]).no_dotenv().no_secrets_dir();
/// let outcome = watch_with(["--check-config"], loader(), &mut Vec::new(), &mut Vec::new());
/// assert!(matches!(outcome, Outcome::Exit(0)));
/// let Outcome::Run(watch) = watch_with(["serve"], loader(), &mut Vec::new(), &mut Vec::new()) else {
///     panic!("no flag: a watch");
/// };
/// assert_eq!(watch.current().port, 9090);
/// ```
pub fn watch_with<S, I>(
    args: I,
    loader: Loader<S>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome<crate::Watch<S>>
where
    S: Settings + Send + Sync,
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    match parse(&args) {
        Ok(Action::Load) => match loader.watch() {
            Ok(watch) => Outcome::Run(watch),
            Err(e) => {
                let _ = writeln!(err, "{e}");
                Outcome::Exit(EXIT_CONFIG)
            }
        },
        Ok(action) => match act(action, loader, out, err) {
            Outcome::Exit(code) => Outcome::Exit(code),
            // Only `Action::Load` goes on running, and it is handled above.
            Outcome::Run(_) => Outcome::Exit(0),
        },
        Err(usage) => {
            let _ = writeln!(err, "{usage}");
            Outcome::Exit(EXIT_USAGE)
        }
    }
}

fn act<S: Settings>(
    action: Action,
    loader: Loader<S>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome<S> {
    let warn = |err: &mut dyn Write, warnings: &[crate::Problem]| {
        if !warnings.is_empty() {
            let _ = writeln!(
                err,
                "{}",
                crate::error::warnings_report(S::META.name, warnings)
            );
        }
    };
    let failed = |err: &mut dyn Write, e: crate::Error| {
        let _ = writeln!(err, "{e}");
        Outcome::Exit(EXIT_CONFIG)
    };
    let print = |out: &mut dyn Write, text: &str| {
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
        Outcome::Exit(0)
    };
    match action {
        Action::Load => match loader.load_with_warnings() {
            Ok((settings, warnings)) => {
                warn(err, &warnings);
                Outcome::Run(settings)
            }
            Err(e) => failed(err, e),
        },
        Action::Check { strict } => {
            let loader = if strict { loader.strict() } else { loader };
            match loader.load_with_warnings() {
                Ok((_, warnings)) => {
                    warn(err, &warnings);
                    print(out, "ok\n")
                }
                Err(e) => failed(err, e),
            }
        }
        Action::PrintConfig { json } => match loader.run_with(crate::load::Want::EXPLAIN) {
            (Ok((_, warnings)), outcomes) => {
                warn(err, &warnings);
                let explain = Explain::new(S::__plan(), outcomes);
                if json {
                    print(out, &explain.to_json())
                } else {
                    print(out, &explain.to_string())
                }
            }
            (Err(e), outcomes) => {
                // What did load, then why the rest did not.
                let explain = Explain::new(S::__plan(), outcomes);
                let table = if json {
                    explain.to_json()
                } else {
                    explain.to_string()
                };
                let _ = out.write_all(table.as_bytes());
                let _ = out.flush();
                failed(err, e)
            }
        },
        Action::EnvExample => print(out, &S::env_example()),
        Action::Schema => print(out, &S::json_schema()),
        Action::Docs => print(out, &S::docs_markdown()),
    }
}

/// The startup flags as a `clap::Args` struct (feature `clap`), for a program that
/// parses its own arguments: flatten it into the program's parser, then call
/// [`ConfigArgs::run`] where [`run`] would go.
///
/// ```
/// use clap::Parser;
/// use confidant::Settings;
///
/// #[derive(Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     #[settings(default = 8080)]
///     port: u16,
/// }
///
/// #[derive(Parser)]
/// struct Cli {
///     #[command(flatten)]
///     config: confidant::cli::ConfigArgs,
///     /// The program's own flag.
///     #[arg(long)]
///     verbose: bool,
/// }
///
/// let cli = Cli::parse_from(["app", "--print-config-docs"]);
/// assert!(cli.config.print_config_docs);
/// let (mut out, mut err) = (Vec::new(), Vec::new());
/// let outcome = cli.config.run_with(Config::fixture(), &mut out, &mut err);
/// assert!(matches!(outcome, confidant::cli::Outcome::Exit(0)));
/// assert!(String::from_utf8(out).unwrap().contains("| `APP_PORT` |"));
/// // In `main`: `let cfg = cli.config.run::<Config>();`
/// ```
#[cfg(feature = "clap")]
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// Load and validate the settings, print `ok` or every problem, and exit (78 on
    /// problems).
    #[arg(long)]
    pub check_config: bool,
    /// With --check-config: unknown and deprecated names fail the check too.
    #[arg(long, requires = "check_config")]
    pub strict: bool,
    /// Print where each setting came from (secrets as fingerprints) and exit;
    /// `--print-config=json` for JSON.
    #[arg(
        long,
        value_name = "FORMAT",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "table",
        value_parser = ["table", "json"]
    )]
    pub print_config: Option<String>,
    /// Print a .env.example for the settings and exit.
    #[arg(long)]
    pub print_env_example: bool,
    /// Print the JSON Schema of the settings and exit.
    #[arg(long)]
    pub print_config_schema: bool,
    /// Print a Markdown table of the settings and exit.
    #[arg(long)]
    pub print_config_docs: bool,
}

#[cfg(feature = "clap")]
impl ConfigArgs {
    fn action(&self) -> Action {
        if self.check_config {
            Action::Check {
                strict: self.strict,
            }
        } else if let Some(format) = &self.print_config {
            Action::PrintConfig {
                json: format == "json",
            }
        } else if self.print_env_example {
            Action::EnvExample
        } else if self.print_config_schema {
            Action::Schema
        } else if self.print_config_docs {
            Action::Docs
        } else {
            Action::Load
        }
    }

    /// Acts on the flags like [`run`]: prints and exits when one is set, else loads
    /// `S` (or prints the report and exits with [`EXIT_CONFIG`]).
    ///
    /// ```no_run
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] n: u8 }
    /// # let args = confidant::cli::ConfigArgs::default();
    /// let cfg: Config = args.run();
    /// ```
    pub fn run<S: Settings>(&self) -> S {
        let outcome = self.run_with(
            S::loader(),
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        );
        match outcome {
            Outcome::Run(settings) => settings,
            Outcome::Exit(code) => std::process::exit(code),
        }
    }

    /// Acts on the flags like [`run_with`]: never exits.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] n: u8 }
    /// let args = confidant::cli::ConfigArgs { check_config: true, ..Default::default() };
    /// let (mut out, mut err) = (Vec::new(), Vec::new());
    /// let outcome = args.run_with(Config::fixture(), &mut out, &mut err);
    /// assert!(matches!(outcome, confidant::cli::Outcome::Exit(0)));
    /// assert_eq!(out, b"ok\n");
    /// ```
    pub fn run_with<S: Settings>(
        &self,
        loader: Loader<S>,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Outcome<S> {
        act(self.action(), loader, out, err)
    }
}

/// Every setting of `S` as a command-line flag (feature `clap`): a `clap::Args` to
/// `#[command(flatten)]` into a program's parser, beside [`ConfigArgs`] and the
/// program's own flags and subcommands.
///
/// - A plain setting is a flag named from its dotted path, `_` and `.` spelled `-`
///   (`log_level` is `--log-level`, `db.port` is `--db-port`); a `bool` is also
///   `--no-<name>`. Its help is the field's doc, its environment variable and its
///   default, never a loaded value.
/// - A secret setting is only `--<name>-file PATH`, read like its `NAME_FILE` variable
///   (trimmed, size-capped, its text joins the redactor): no flag takes a secret's
///   value, so none lands in `/proc/<pid>/cmdline` or shell history.
/// - Only the flags the user passed take part (clap's `ValueSource` tells them from
///   defaults): above the process environment and below [`Loader::set`]. Their origin,
///   in problems and `explain`, is `command line (--db-port)`.
///
/// A flag name the program also uses is a clash that clap reports when the parser is
/// built (in debug builds, at the first parse).
///
/// ```
/// use clap::Parser;
/// use confidant::{Secret, Settings};
///
/// #[derive(Settings)]
/// struct Config {
///     /// Log filter.
///     #[settings(default = "info")]
///     log_level: String,
///     #[settings(nested)]
///     db: Db,
/// }
///
/// #[derive(Settings)]
/// struct Db {
///     /// The database port.
///     #[settings(default = 5432)]
///     port: u16,
///     password: Secret<String>,
/// }
///
/// #[derive(Parser)]
/// struct Cli {
///     #[command(flatten)]
///     settings: confidant::cli::Flags<Config>,
/// }
///
/// let dir = tempfile::tempdir().unwrap();
/// let password = dir.path().join("db-password");
/// std::fs::write(&password, "correct-horse-battery-staple").unwrap();
/// let cli = Cli::parse_from([
///     "app".as_ref(),
///     "--db-port=6543".as_ref(),
///     "--db-password-file".as_ref(),
///     password.as_os_str(),
/// ]);
/// let cfg = cli.settings.loader().no_dotenv().no_secrets_dir().env_vars([("X", "")]).load()?;
/// assert_eq!(cfg.db.port, 6543);
/// assert_eq!(cfg.log_level, "info");
/// # Ok::<(), confidant::Error>(())
/// ```
#[cfg(feature = "clap")]
pub struct Flags<S> {
    /// The flags passed: leaf, flag as spelled, value.
    given: Vec<(usize, String, crate::load::FlagValue)>,
    _settings: std::marker::PhantomData<fn() -> S>,
}

#[cfg(feature = "clap")]
impl<S> Clone for Flags<S> {
    fn clone(&self) -> Self {
        Flags {
            given: self.given.clone(),
            _settings: std::marker::PhantomData,
        }
    }
}

/// The flags passed, never their values.
#[cfg(feature = "clap")]
impl<S> std::fmt::Debug for Flags<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let flags: Vec<&str> = self
            .given
            .iter()
            .map(|(_, flag, _)| flag.as_str())
            .collect();
        f.debug_struct("Flags").field("given", &flags).finish()
    }
}

#[cfg(feature = "clap")]
impl<S: Settings> Flags<S> {
    /// A loader of `S` with the flags the user passed as a layer between the process
    /// environment and [`Loader::set`].
    ///
    /// ```
    /// # use clap::Parser;
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] workers: u16 }
    /// # #[derive(Parser)] struct Cli { #[command(flatten)] settings: confidant::cli::Flags<Config> }
    /// let cli = Cli::parse_from(["app", "--workers", "8"]);
    /// let cfg = cli.settings.loader().env_vars([("WORKERS", "2")]).no_dotenv().load()?;
    /// assert_eq!(cfg.workers, 8);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn loader(&self) -> Loader<S> {
        S::loader().flags(self.given.clone())
    }

    /// Loads with [`loader`](Flags::loader), like [`Settings::load_or_exit`]: the
    /// settings, the warnings printed to stderr; or the report on stderr and exit with
    /// [`EXIT_CONFIG`].
    ///
    /// ```no_run
    /// # use clap::Parser;
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] workers: u16 }
    /// # #[derive(Parser)] struct Cli { #[command(flatten)] settings: confidant::cli::Flags<Config> }
    /// let cfg: Config = Cli::parse().settings.load_or_exit();
    /// ```
    #[must_use]
    pub fn load_or_exit(&self) -> S {
        match self.loader().load_with_warnings() {
            Ok((settings, warnings)) => {
                if !warnings.is_empty() {
                    eprintln!("{}", crate::error::warnings_report(S::META.name, &warnings));
                }
                settings
            }
            Err(err) => {
                eprintln!("{err}");
                std::process::exit(EXIT_CONFIG)
            }
        }
    }
}

/// The flag of a dotted path: `db.log_level` is `db-log-level`.
#[cfg(feature = "clap")]
fn flag_name(path: &str) -> String {
    confidant_naming::flag_name(path)
}

#[cfg(feature = "clap")]
fn flag_id(path: &str) -> String {
    format!("confidant.flag:{path}")
}

#[cfg(feature = "clap")]
fn no_flag_id(path: &str) -> String {
    format!("confidant.no-flag:{path}")
}

#[cfg(feature = "clap")]
fn is_bool(ty: &str) -> bool {
    matches!(ty.replace(' ', "").as_str(), "bool" | "Option<bool>")
}

/// A flag's help: the field's doc, its environment variable and its default (as written
/// in the source: a default is never a secret).
#[cfg(feature = "clap")]
fn flag_help(leaf: &crate::plan::Leaf, file: bool) -> String {
    let mut help = leaf
        .field
        .doc
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let env = leaf.env();
    let mut add = |text: String| {
        if !help.is_empty() {
            help.push(' ');
        }
        help.push_str(&text);
    };
    if file {
        add(crate::error::flag_file_help(env));
        add(format!(
            "[env: {env}, {}]",
            confidant_naming::file_name(env)
        ));
    } else {
        add(format!("[env: {env}]"));
        if let Some(
            crate::meta::DefaultShown::Literal(text)
            | crate::meta::DefaultShown::Expr(text)
            | crate::meta::DefaultShown::Text(text),
        ) = leaf.field.default
        {
            add(format!("[default: {text}]"));
        }
    }
    help
}

#[cfg(feature = "clap")]
impl<S: Settings> clap::Args for Flags<S> {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        use clap::{Arg, ArgAction, value_parser};
        for leaf in &S::__plan().leaves {
            let name = flag_name(&leaf.path);
            if leaf.secret() {
                cmd = cmd.arg(
                    Arg::new(flag_id(&leaf.path))
                        .long(format!("{name}-file"))
                        .value_name("PATH")
                        .value_parser(value_parser!(std::path::PathBuf))
                        .action(ArgAction::Set)
                        .help(flag_help(leaf, true)),
                );
            } else if is_bool(leaf.field.ty) {
                cmd = cmd
                    .arg(
                        Arg::new(flag_id(&leaf.path))
                            .long(name.clone())
                            .action(ArgAction::SetTrue)
                            .overrides_with(no_flag_id(&leaf.path))
                            .help(flag_help(leaf, false)),
                    )
                    .arg(
                        Arg::new(no_flag_id(&leaf.path))
                            .long(format!("no-{name}"))
                            .action(ArgAction::SetTrue)
                            .overrides_with(flag_id(&leaf.path))
                            .help(crate::error::flag_no_help(leaf.env())),
                    );
            } else {
                cmd = cmd.arg(
                    Arg::new(flag_id(&leaf.path))
                        .long(name)
                        .value_name("VALUE")
                        .value_parser(value_parser!(String))
                        .action(ArgAction::Set)
                        .help(flag_help(leaf, false)),
                );
            }
        }
        cmd
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

#[cfg(feature = "clap")]
impl<S: Settings> clap::FromArgMatches for Flags<S> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut flags = Flags {
            given: Vec::new(),
            _settings: std::marker::PhantomData,
        };
        flags.update_from_arg_matches(matches)?;
        Ok(flags)
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        use crate::load::FlagValue;
        use clap::parser::ValueSource;
        use zeroize::Zeroizing;
        let passed = |id: &str| {
            matches!(matches.try_get_raw(id), Ok(Some(_)))
                && matches.value_source(id) == Some(ValueSource::CommandLine)
        };
        let mut given = Vec::new();
        for (index, leaf) in S::__plan().leaves.iter().enumerate() {
            let id = flag_id(&leaf.path);
            let name = flag_name(&leaf.path);
            if leaf.secret() {
                if passed(&id)
                    && let Some(path) = matches.get_one::<std::path::PathBuf>(&id)
                {
                    given.push((
                        index,
                        format!("--{name}-file"),
                        FlagValue::File(path.clone()),
                    ));
                }
            } else if is_bool(leaf.field.ty) {
                let no = no_flag_id(&leaf.path);
                if passed(&id) && matches.get_flag(&id) {
                    let text = Zeroizing::new("true".to_owned());
                    given.push((index, format!("--{name}"), FlagValue::Text(text)));
                } else if passed(&no) && matches.get_flag(&no) {
                    let text = Zeroizing::new("false".to_owned());
                    given.push((index, format!("--no-{name}"), FlagValue::Text(text)));
                }
            } else if passed(&id)
                && let Some(text) = matches.get_one::<String>(&id)
            {
                let text = Zeroizing::new(text.clone());
                given.push((index, format!("--{name}"), FlagValue::Text(text)));
            }
        }
        // Flags given again (`update_from_arg_matches`) replace those of the same leaf.
        self.given
            .retain(|(leaf, _, _)| given.iter().all(|(l, _, _)| l != leaf));
        self.given.append(&mut given);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Result<Action, String> {
        parse(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    #[test]
    fn flags_only_count_as_the_first_argument() {
        assert_eq!(parsed(&[]), Ok(Action::Load));
        assert_eq!(parsed(&["serve", "--check-config"]), Ok(Action::Load));
        assert_eq!(
            parsed(&["--check-config", "--strict"]),
            Ok(Action::Check { strict: true })
        );
        assert_eq!(
            parsed(&["--print-config=json"]),
            Ok(Action::PrintConfig { json: true })
        );
        assert!(parsed(&["--print-config=yaml"]).is_err());
        assert!(parsed(&["--print-env-example", "--strict"]).is_err());
        assert!(parsed(&["--check-config", "x"]).is_err());
    }
}
