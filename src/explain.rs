//! [`Explain`]: where each setting came from, as a table.

use std::fmt;

use crate::build::outcome::{LeafOutcome, Outcomes, Record, Shown};
use crate::origin::Origin;
use crate::plan::Plan;

/// What [`Loader::explain`](crate::Loader::explain) found: one row per setting, in
/// declaration order, with the environment variable, the origin of the value, and the
/// value itself for a plain setting or a fingerprint for a secret. Never a secret's value.
///
/// A secret's fingerprint is `sha256:` + 8 hex digits of its SHA-256 when it holds at
/// least 64 bits of estimated entropy (its length in characters × log2 of the size of
/// the character classes it uses: digits 10, lower case 26, upper case 26, anything else
/// 33), and `(set)` otherwise: a short prefix of an unsalted hash of a PIN or a common
/// password gives the secret away to anyone who tries the candidates. With a key
/// ([`Loader::fingerprint_key`](crate::Loader::fingerprint_key) or
/// `CONFIDANT_FINGERPRINT_KEY` in the loader's environment) every secret shows `hmac:` +
/// 8 hex digits of HMAC-SHA256 keyed with it instead.
///
/// `Display` is an aligned table for a terminal, the same for the same settings on every
/// run, so it can also go to a log at startup:
///
/// ```text
/// SETTING          ENV VAR              ORIGIN                     VALUE
/// llm_temperature  APP_LLM_TEMPERATURE  override                   0.7
/// openai_api_key   APP_OPENAI_API_KEY   environment                sha256:f5acbdaf
/// serper_api_key   APP_SERPER_API_KEY   unset                      (unset)
/// db.port          APP_DB__PORT         .env:1                     5433
/// db.password      APP_DB__PASSWORD     /run/secrets/db__password  sha256:be9bf86a
/// pin              APP_PIN              environment                (set) (too short to redact)
/// ```
///
/// A secret shorter than [`MIN_SECRET_LEN`](crate::MIN_SECRET_LEN) is marked
/// `(too short to redact)`: a [`Redactor`](crate::Redactor) cannot scrub it from logs.
///
/// ```
/// use confidant::{Origin, Secret, Settings};
///
/// #[derive(Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     #[settings(default = 8080)]
///     port: u16,
///     api_key: Secret<String>,
/// }
///
/// let explain = Config::loader()
///     .env_vars([("APP_API_KEY", "sk-live-0123456789")])
///     .no_dotenv()
///     .no_secrets_dir()
///     .explain()?;
/// let rows = explain.rows();
/// assert_eq!(rows[0].setting(), "port");
/// assert_eq!(rows[0].origin(), &Origin::Default);
/// assert_eq!(rows[0].value(), "8080");
/// assert_eq!(rows[1].env_var(), "APP_API_KEY");
/// assert_eq!(rows[1].value(), confidant::fingerprint(b"sk-live-0123456789"));
/// assert!(!explain.to_string().contains("sk-live"));
/// # Ok::<(), confidant::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Explain {
    rows: Vec<ExplainRow>,
}

/// One row of [`Explain`]: one setting.
///
/// ```
/// # use confidant::Settings;
/// # #[derive(Settings)] #[settings(prefix = "APP_")]
/// # struct Config { #[settings(nested)] db: Db }
/// # #[derive(Settings)] struct Db { #[settings(default = 5432)] port: u16 }
/// let explain = Config::fixture().set("db.port", "5433").explain()?;
/// let row = &explain.rows()[0];
/// assert_eq!(row.setting(), "db.port");
/// assert_eq!(row.env_var(), "APP_DB__PORT");
/// assert_eq!(row.origin().to_string(), "override");
/// assert_eq!(row.value(), "5433");
/// assert!(!row.is_secret());
/// # Ok::<(), confidant::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ExplainRow {
    setting: String,
    env_var: String,
    origin: Origin,
    value: String,
    secret: bool,
    too_short: bool,
}

impl Explain {
    pub(crate) fn new(plan: &Plan, outcomes: Outcomes) -> Explain {
        let Outcomes {
            layers,
            leaves,
            egress,
            ..
        } = outcomes;
        // The table leaves through the load's redactor: a plain value that holds a loaded
        // secret (`https://svc:${API_KEY}@db`) shows `[REDACTED]` in its place.
        let redactor = egress.unwrap_or_default();
        let rows = plan
            .leaves
            .iter()
            .zip(leaves)
            .map(|(leaf, LeafOutcome { record, shown, .. })| {
                let secret = matches!(shown, Some(Shown::Fingerprint(..)));
                let (value, too_short) = match shown {
                    Some(Shown::Plain(text)) => (shown_plain(&redactor.redact(&text)), false),
                    Some(Shown::Fingerprint(fingerprint, short, _)) => (fingerprint, short),
                    Some(Shown::Invalid) => ("(failed)".to_owned(), false),
                    // No text of its own: the record says why.
                    None => {
                        let value = match record {
                            Record::Failed => "(failed)",
                            // A typed fake secret: no text to fingerprint.
                            Record::Fake => "(secret)",
                            _ => "(unset)",
                        };
                        (value.to_owned(), false)
                    }
                };
                let mut origin = record.origin(&layers).unwrap_or(Origin::Unset);
                origin.egress(&redactor);
                ExplainRow {
                    setting: leaf.path.clone(),
                    env_var: leaf.name(record.rank()).to_owned(),
                    origin,
                    value,
                    secret: secret || leaf.secret(),
                    too_short,
                }
            })
            .collect();
        Explain { rows }
    }

    /// The rows, one per setting, in declaration order (nested settings flattened).
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] a: u8, b: Option<u8> }
    /// let explain = Config::fixture().explain()?;
    /// let values: Vec<&str> = explain.rows().iter().map(|r| r.value()).collect();
    /// assert_eq!(values, ["1", "(unset)"]);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn rows(&self) -> &[ExplainRow] {
        &self.rows
    }

    /// The rows as pretty-printed JSON: `{"settings": [{"setting", "env_var", "origin",
    /// "value", "secret", "too_short_to_redact"}, ...]}`, values as in the table
    /// (secrets as fingerprints). `--print-config=json` prints it (see
    /// [`cli`](crate::cli)).
    ///
    /// ```
    /// # use confidant::{Secret, Settings};
    /// # #[derive(Settings)] #[settings(prefix = "APP_")]
    /// # struct Config { #[settings(default = 8080)] port: u16, token: Secret<String> }
    /// let explain = Config::fixture().set("token", "tok-0123456789").explain()?;
    /// let json: serde_json::Value = serde_json::from_str(&explain.to_json()).unwrap();
    /// assert_eq!(json["settings"][0]["env_var"], "APP_PORT");
    /// assert_eq!(json["settings"][0]["value"], "8080");
    /// assert_eq!(json["settings"][1]["value"], confidant::fingerprint(b"tok-0123456789"));
    /// assert!(!explain.to_json().contains("tok-0123456789"));
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        let rows: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|row| {
                serde_json::json!({
                    "setting": row.setting,
                    "env_var": row.env_var,
                    "origin": row.origin.to_string(),
                    "value": row.value,
                    "secret": row.secret,
                    "too_short_to_redact": row.too_short,
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&serde_json::json!({ "settings": rows }))
            .unwrap_or_default();
        text.push('\n');
        text
    }
}

/// A plain value as one table cell: as is, unless it is empty or holds characters that
/// would break the table (then quoted and escaped like a Rust string).
fn shown_plain(text: &str) -> String {
    if text.is_empty() || text.chars().any(char::is_control) || text.trim() != text {
        format!("{text:?}")
    } else {
        text.to_owned()
    }
}

impl ExplainRow {
    /// The dotted path of the setting (`db.port`).
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] n: u8 }
    /// assert_eq!(Config::fixture().explain()?.rows()[0].setting(), "n");
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn setting(&self) -> &str {
        &self.setting
    }

    /// The environment variable: the name that set the value (an alias if the value
    /// came through one), else the setting's primary name.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Settings)] struct Config { #[settings(alias = "OLD_N")] n: u8 }
    /// let explain = Config::loader().env_vars([("OLD_N", "2")]).no_dotenv().explain()?;
    /// assert_eq!(explain.rows()[0].env_var(), "OLD_N");
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn env_var(&self) -> &str {
        &self.env_var
    }

    /// Where the value came from; `Display` spells it as the table does.
    ///
    /// ```
    /// # use confidant::{Origin, Settings};
    /// # #[derive(Settings)] struct Config { #[settings(default = 1)] n: u8 }
    /// assert_eq!(Config::fixture().explain()?.rows()[0].origin(), &Origin::Default);
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The value as shown: the text of a plain setting (quoted if empty or holding
    /// control characters or surrounding spaces), a fingerprint for a secret (`sha256:`,
    /// `hmac:`, or `(set)` for a secret too weak to fingerprint: see [`Explain`]),
    /// `(unset)` for an optional setting without a value, `(secret)` for a fixture's
    /// typed fake secret.
    ///
    /// ```
    /// # use confidant::{Secret, Settings};
    /// # #[derive(Settings)] struct Config { token: Secret<String> }
    /// let explain = Config::fixture().set("token", "tok-0123456789").explain()?;
    /// assert_eq!(explain.rows()[0].value(), confidant::fingerprint(b"tok-0123456789"));
    /// let explain = Config::fixture().set("token", "hunter2").explain()?;
    /// assert_eq!(explain.rows()[0].value(), "(set)");
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Whether the setting is a secret (its value is a fingerprint).
    ///
    /// ```
    /// # use confidant::{Secret, Settings};
    /// # #[derive(Settings)] struct Config { token: Secret<String> }
    /// assert!(Config::fixture().explain()?.rows()[0].is_secret());
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn is_secret(&self) -> bool {
        self.secret
    }

    /// Whether the setting is a secret shorter than
    /// [`MIN_SECRET_LEN`](crate::MIN_SECRET_LEN), which a
    /// [`Redactor`](crate::Redactor) does not replace.
    ///
    /// ```
    /// # use confidant::{Secret, Settings};
    /// # #[derive(Settings)] struct Config { pin: Secret<String> }
    /// let explain = Config::fixture().set("pin", "1234").explain()?;
    /// assert!(explain.rows()[0].too_short_to_redact());
    /// assert!(explain.to_string().contains("(too short to redact)"));
    /// # Ok::<(), confidant::Error>(())
    /// ```
    pub fn too_short_to_redact(&self) -> bool {
        self.too_short
    }
}

impl crate::error::Error {
    /// The table of what did load, when the error is a failed
    /// [`Loader::explain`](crate::Loader::explain): failed settings show `(failed)`,
    /// secrets their fingerprints. `None` for the errors of other loads.
    ///
    /// ```
    /// # use confidant::Settings;
    /// # #[derive(Debug, Settings)] #[settings(prefix = "APP_")]
    /// # struct Config { #[settings(default = 8080)] port: u16, workers: u8 }
    /// let err = Config::loader()
    ///     .env_vars([("APP_WORKERS", "many")])
    ///     .no_dotenv()
    ///     .explain()
    ///     .unwrap_err();
    /// let table = err.explain().expect("a failed explain keeps its table");
    /// assert_eq!(table.rows()[0].value(), "8080");
    /// assert_eq!(table.rows()[1].value(), "(failed)");
    /// ```
    #[must_use]
    pub fn explain(&self) -> Option<&Explain> {
        self.table()?.downcast_ref()
    }
}

impl fmt::Display for Explain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const HEADER: [&str; 4] = ["SETTING", "ENV VAR", "ORIGIN", "VALUE"];
        let cells: Vec<[String; 4]> = self
            .rows
            .iter()
            .map(|row| {
                let mut value = row.value.clone();
                if row.too_short {
                    value.push_str(" (too short to redact)");
                }
                [
                    row.setting.clone(),
                    row.env_var.clone(),
                    row.origin.to_string(),
                    value,
                ]
            })
            .collect();
        let mut widths = HEADER.map(|h| h.chars().count());
        for row in &cells {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let header = HEADER.map(str::to_owned);
        for row in std::iter::once(&header).chain(&cells) {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                if i + 1 == row.len() {
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    let pad = widths[i] - cell.chars().count() + 2;
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}
