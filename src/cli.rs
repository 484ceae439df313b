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
            return Err(format!(
                "{other}: unknown format; use --print-config or --print-config=json"
            ));
        }
        _ => return Ok(Action::Load),
    };
    match (&args[1..], takes_strict) {
        ([], _) => Ok(action),
        ([strict], true) if strict == "--strict" => Ok(Action::Check { strict: true }),
        ([extra, ..], _) => Err(format!(
            "{first} does not take `{}`{}",
            extra.to_string_lossy(),
            if takes_strict { " (only --strict)" } else { "" }
        )),
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
