//! [`Settings`]: the trait a settings struct derives, and what users call on it.

use crate::child_env::{self, ChildEnv};
use crate::error::{Error, warnings_report};
use crate::loader::Loader;
use crate::redact::Redactor;
use crate::{env_example, schema};

/// A settings struct: derive it with `#[derive(Settings)]`.
///
/// The methods below are the whole interface; the `__`-prefixed items are called by the
/// generated code and are not part of the API.
///
/// ```
/// use confidant::{ExposeSecret, Secret, Settings};
///
/// #[derive(Debug, Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     /// Port to listen on.
///     #[settings(default = 8080)]
///     port: u16,
///     api_key: Secret<String>,
/// }
///
/// let cfg = Config::fixture().load()?;
/// assert_eq!(cfg.port, 8080);
/// assert_eq!(cfg.api_key.expose_secret(), "fake-api_key");
/// # Ok::<(), confidant::Error>(())
/// ```
pub trait Settings: Sized + 'static {
    #[doc(hidden)]
    const META: &'static crate::meta::Meta;

    #[doc(hidden)]
    fn __plan() -> &'static crate::plan::Plan;

    #[doc(hidden)]
    fn __build(build: &mut crate::build::Build<'_>) -> Option<Self>;

    #[doc(hidden)]
    fn __secrets(&self, visit: &mut dyn FnMut(&[u8]));

    /// Hands `visit` each leaf's value with a writer of its text, naming the field by
    /// its index in its struct, and steps into and out of `nested` fields. Generic, so
    /// that it is compiled only in a crate that calls `child_env`, which asks for it with
    /// `V = dyn VisitTexts` (one instance per settings type).
    #[doc(hidden)]
    fn __texts<V>(&self, visit: &mut V)
    where
        V: crate::value::to_text::VisitTexts + ?Sized;

    /// Loads from the struct's layers: its secrets directory, the nearest `.env`, and the
    /// process environment. Same as `Self::loader().load()`.
    ///
    /// ```no_run
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { name: String }
    /// let cfg = Config::load()?;
    /// # Ok::<(), confidant::Error>(())
    /// ```
    fn load() -> Result<Self, Error> {
        Self::loader().load()
    }

    /// Loads, or prints the report of every problem to stderr and exits with status 78
    /// (`EX_CONFIG`). For the top of `main`. Warnings (unknown and deprecated names, see
    /// [`Loader::load_with_warnings`]) are printed to stderr and the program goes on.
    ///
    /// ```no_run
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { name: String }
    /// let cfg = Config::load_or_exit();
    /// ```
    fn load_or_exit() -> Self {
        match Self::loader().load_with_warnings() {
            Ok((settings, warnings)) => {
                if !warnings.is_empty() {
                    eprintln!("{}", warnings_report(Self::META.name, &warnings));
                }
                settings
            }
            Err(err) => {
                eprintln!("{err}");
                std::process::exit(crate::EXIT_CONFIG)
            }
        }
    }

    /// A [`Loader`] with the struct's layers, to change before loading.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] #[settings(prefix = "APP_")] struct Config { name: String }
    /// let cfg = Config::loader().no_dotenv().env_vars([("APP_NAME", "x")]).load()?;
    /// # Ok::<(), confidant::Error>(())
    /// ```
    fn loader() -> Loader<Self> {
        Loader::new()
    }

    /// A [`Loader`] for tests: no process environment, no `.env`, no secrets directory;
    /// every secret gets its `fake` value or the placeholder `fake-<field path>`.
    /// Fixtures are validated like any load and touch no process state.
    ///
    /// ```
    /// # use confidant::{ExposeSecret, Secret, Settings};
    /// #[derive(Settings)]
    /// struct Config {
    ///     #[settings(fake = "sk-test-0000")]
    ///     openai_api_key: Secret<String>,
    ///     #[settings(nested)]
    ///     db: Db,
    /// }
    /// #[derive(Settings)]
    /// struct Db { password: Secret<String> }
    ///
    /// let cfg = Config::fixture().load()?;
    /// assert_eq!(cfg.openai_api_key.expose_secret(), "sk-test-0000");
    /// assert_eq!(cfg.db.password.expose_secret(), "fake-db.password");
    /// # Ok::<(), confidant::Error>(())
    /// ```
    fn fixture() -> Loader<Self> {
        Loader::fixture()
    }

    /// A `.env.example` for these settings: one block per setting in declaration order
    /// (nested settings flattened, `APP_DB__PORT`), each with its doc comment, whether it
    /// is required, optional or has a default (`# default: 5432`), whether it is a secret
    /// and the file names that can hold it, its aliases, and `NAME=` with the default
    /// filled in for plain settings (empty otherwise: an empty value means unset).
    ///
    /// Rendered from the static description only: no value is read, so no secret can
    /// appear. Keep the committed file in sync with
    /// [`testing::assert_env_example`](crate::testing::assert_env_example).
    ///
    /// ```
    /// use confidant::{Secret, Settings};
    ///
    /// #[derive(Settings)]
    /// #[settings(prefix = "APP_")]
    /// struct Config {
    ///     /// Port to listen on.
    ///     #[settings(default = 8080)]
    ///     port: u16,
    ///     /// Key for the model provider.
    ///     openai_api_key: Secret<String>,
    /// }
    ///
    /// let example = Config::env_example();
    /// assert!(example.contains("# Port to listen on.\n# default: 8080\nAPP_PORT=8080\n"));
    /// assert!(example.contains("# required\n# secret; or put it in a file named openai_api_key"));
    /// assert!(example.contains("\nAPP_OPENAI_API_KEY=\n"));
    /// ```
    fn env_example() -> String {
        env_example::render(Self::__plan())
    }

    /// The JSON Schema (draft 2020-12) of these settings, pretty-printed: an object
    /// nested as the struct is, each setting with its `type` (from the Rust type),
    /// `default`, `description` (the doc comment), `x-env` (its environment variable;
    /// `x-env-aliases` and `x-env-deprecated` for its other names), validation rules as
    /// keywords (`minLength`/`maxLength`, `minimum`/`maximum`, `pattern`,
    /// `format: email`/`uri`), and `x-required: true` on a setting with no default that
    /// is not an `Option`. There is no `required` list: the schema validates a config
    /// file (`#:schema` for taplo / Even Better TOML), which holds only some settings;
    /// the load reports a required setting that no layer sets. Secrets are marked
    /// `writeOnly` and `x-secret` and never carry a value. `--print-config-schema` prints
    /// it (see [`cli`](crate::cli)).
    ///
    /// ```
    /// use confidant::{Secret, Settings};
    ///
    /// #[derive(Settings)]
    /// #[settings(prefix = "APP_")]
    /// struct Config {
    ///     /// Port to listen on.
    ///     #[settings(default = 8080)]
    ///     #[validate(range(min = 1024))]
    ///     port: u16,
    ///     api_key: Secret<String>,
    /// }
    ///
    /// let schema: serde_json::Value = serde_json::from_str(&Config::json_schema()).unwrap();
    /// let port = &schema["properties"]["port"];
    /// assert_eq!(port["type"], "integer");
    /// assert_eq!(port["default"], 8080);
    /// assert_eq!(port["minimum"], 1024);
    /// assert_eq!(port["x-env"], "APP_PORT");
    /// assert_eq!(schema["properties"]["api_key"]["writeOnly"], true);
    /// assert_eq!(schema["properties"]["api_key"]["x-required"], true);
    /// assert!(schema.get("required").is_none());
    /// ```
    fn json_schema() -> String {
        schema::json_schema(Self::__plan())
    }

    /// A Markdown page with one table row per setting, in declaration order (nested
    /// settings flattened): env var, type, default, required, secret, reloads (`yes`, or
    /// `restart` for a `#[settings(restart)]` field that a watch reload keeps at its
    /// running value), description (the doc comment, and the setting's other names). Rendered from the static
    /// description only. Keep a committed copy fresh with [`testing::assert_docs`](crate::testing::assert_docs);
    /// `--print-config-docs` prints it (see [`cli`](crate::cli)).
    ///
    /// ```
    /// use confidant::Settings;
    ///
    /// #[derive(Settings)]
    /// #[settings(prefix = "APP_")]
    /// struct Config {
    ///     /// Port to listen on.
    ///     #[settings(default = 8080, restart)]
    ///     port: u16,
    ///     /// Worker threads.
    ///     #[settings(default = 4)]
    ///     workers: u16,
    /// }
    ///
    /// let docs = Config::docs_markdown();
    /// assert!(docs.contains("| `APP_PORT` | `u16` | `8080` | no | no | restart | Port to listen on. |"));
    /// assert!(docs.contains("| `APP_WORKERS` | `u16` | `4` | no | no | yes | Worker threads. |"));
    /// ```
    fn docs_markdown() -> String {
        schema::docs_markdown(Self::__plan())
    }

    /// A [`Redactor`] for every loaded string secret of at least [`MIN_SECRET_LEN`](crate::MIN_SECRET_LEN)
    /// bytes: replaces them with `[REDACTED]` in any text.
    ///
    /// ```
    /// use confidant::{Secret, Settings};
    ///
    /// #[derive(Settings)]
    /// struct Config { token: Secret<String>, backup_token: Option<Secret<String>> }
    ///
    /// let cfg = Config::fixture().set("token", "tok-0123456789").load()?;
    /// let redactor = cfg.redactor();
    /// assert_eq!(redactor.redact("token=tok-0123456789"), "token=[REDACTED]");
    /// # Ok::<(), confidant::Error>(())
    /// ```
    fn redactor(&self) -> Redactor {
        Redactor::from_visit(|visit| self.__secrets(visit))
    }

    /// The environment for a child process that should get these settings and no
    /// others: see [`ChildEnv`]. Each entry of `fields` is a setting's dotted path
    /// (`db.host`) or a nested struct's path (`db`, for all of its settings). An unknown
    /// path, or a value with no text form, is a problem in the returned [`Error`].
    ///
    /// ```
    /// use confidant::{Secret, Settings};
    ///
    /// #[derive(Settings)]
    /// #[settings(prefix = "APP_")]
    /// struct Config {
    ///     openai_api_key: Secret<String>,
    ///     serper_api_key: Secret<String>,
    ///     #[settings(nested)]
    ///     db: Db,
    /// }
    /// #[derive(Settings)]
    /// struct Db {
    ///     #[settings(default = "localhost")]
    ///     host: String,
    ///     #[settings(default = 5432)]
    ///     port: u16,
    /// }
    ///
    /// let cfg = Config::fixture().load()?;
    /// let env = cfg.child_env(&["openai_api_key", "db"])?;
    /// assert_eq!(
    ///     env.names().collect::<Vec<_>>(),
    ///     ["APP_OPENAI_API_KEY", "APP_DB__HOST", "APP_DB__PORT"]
    /// );
    /// assert_eq!(format!("{env:?}"), r#"ChildEnv { names: ["APP_OPENAI_API_KEY", "APP_DB__HOST", "APP_DB__PORT"], .. }"#);
    /// // std::process::Command::new("worker").env_clear().envs(&env)
    /// # Ok::<(), confidant::Error>(())
    /// ```
    fn child_env(&self, fields: &[&str]) -> Result<ChildEnv, Error> {
        child_env::child_env(self, fields)
    }
}

/// The dispatch that picks a field type's parser names `#[settings(nested)]` in its
/// compile error for a type that derives `Settings` (`ViaHint`).
impl<T: Settings> crate::build::dispatch::DerivesSettings for T {}
