//! The canary matrix: SOURCES × SHAPES × FAULTS × OUTPUTS, every cell a case.
//!
//! A random canary (fresh each run) is loaded as a secret from every source, in every
//! secret shape, with every fault that can break a load, and every output of the crate
//! is searched for any 8-byte window of it. One test walks the whole table, collects
//! every failing cell into one report, and prints the matrix size and each skipped
//! cell's reason. The load-or-exit output is taken from a child process: this test
//! binary run again in a child mode (`LEAKS_CHILD`).
//!
//! The egress issue's reproductions are rows of it: L1 `Fault::SubstitutedIntoPlain`, L2
//! `Fault::KeyInNeighbour` and `Fault::KeyInPlain`, L3 the shapes `Creds` (a user struct
//! holding a `Secret`) and `(String, Secret<String>)`, L4 the shape
//! `#[settings(secret)] CredsDe` (no `Serialize`), L6 `Fault::KeyInNameFile`, L8 the
//! forms of the redactor's log line, L9 `Fault::Encrypted` (the decrypted value and the
//! private key), CR `Fault::ClassicMac`. L5 (`#[settings(secret)]` on `String`) is a
//! compile error now (tests/ui), and L7 (fingerprints) is tests/test_explain.rs'. The
//! number of cells checked and skipped for each reason is asserted: a setup that fails
//! everywhere cannot pass.

mod common;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

#[cfg(feature = "figment")]
use confidant::figment::providers::Serialized;
use confidant::{Loader, Secret, Settings};
use serde::Serialize;

type ApiKey = Secret<String>;

/// A JSON struct whose sensitive member is a `Secret`.
#[derive(Debug, serde::Deserialize, Serialize)]
struct Creds {
    user: String,
    password: Secret<String>,
}

/// The same with no `Serialize`: the redactor reads it through `Debug`.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // reason: read only through `Debug`, by the redactor
struct CredsDe {
    user: String,
    password: Secret<String>,
}

/// The fixed canary of the fixture source: `fake = ...` takes a literal.
const FAKE: &str = "f4ke5ecret9d41c7e0b2a6f3518e7d";
/// The fixed digits canary of the fixture source for `Secret<u32>` (its `fake` below).
const FAKE_DIGITS: &str = "2718281828";

/// One module per shape: `Cfg` (the secret `key` with an alias, and a required,
/// validated neighbour) and, when `length` applies to the shape, `Checked` (the same with
/// `#[validate(length(min = 200))]` on the secret).
macro_rules! shape {
    ($m:ident, $ty:ty, $fake:expr) => {
        mod $m {
            #[allow(unused_imports)]
            use super::*;
            #[derive(Debug, Settings, Serialize)]
            #[settings(prefix = "LK_")]
            pub struct Cfg {
                #[settings(alias = "LK_OLD_KEY", fake = $fake)]
                pub key: $ty,
                #[validate(range(max = 10))]
                pub neighbour: u16,
                #[settings(default)]
                pub url: String,
            }
        }
    };
    ($m:ident, $ty:ty, $fake:expr, checked) => {
        mod $m {
            #[allow(unused_imports)]
            use super::*;
            #[derive(Debug, Settings, Serialize)]
            #[settings(prefix = "LK_")]
            pub struct Cfg {
                #[settings(alias = "LK_OLD_KEY", fake = $fake)]
                pub key: $ty,
                #[validate(range(max = 10))]
                pub neighbour: u16,
                #[settings(default)]
                pub url: String,
            }
            #[derive(Debug, Settings, Serialize)]
            #[settings(prefix = "LK_")]
            pub struct Checked {
                #[settings(alias = "LK_OLD_KEY", fake = $fake)]
                #[validate(length(min = 200))]
                pub key: $ty,
                #[validate(range(max = 10))]
                pub neighbour: u16,
                #[settings(default)]
                pub url: String,
            }
        }
    };
}

shape!(s_string, Secret<String>, FAKE, checked);
// Written out: through a macro's `$ty` the derive cannot see the `Option` (an invisible
// group around the type), and would treat the field as a required JSON value.
mod s_option {
    #[allow(unused_imports)]
    use super::*;
    #[derive(Debug, Settings, Serialize)]
    #[settings(prefix = "LK_")]
    pub struct Cfg {
        #[settings(alias = "LK_OLD_KEY", fake = FAKE)]
        pub key: Option<Secret<String>>,
        #[validate(range(max = 10))]
        pub neighbour: u16,
        #[settings(default)]
        pub url: String,
    }
    #[derive(Debug, Settings, Serialize)]
    #[settings(prefix = "LK_")]
    pub struct Checked {
        #[settings(alias = "LK_OLD_KEY", fake = FAKE)]
        #[validate(length(min = 200))]
        pub key: Option<Secret<String>>,
        #[validate(range(max = 10))]
        pub neighbour: u16,
        #[settings(default)]
        pub url: String,
    }
}
shape!(s_u32, Secret<u32>, Secret::new(2_718_281_828_u32));
shape!(s_alias, ApiKey, FAKE, checked);
shape!(
    s_vec,
    Vec<Secret<String>>,
    vec![Secret::from(FAKE)],
    checked
);
shape!(
    s_map,
    BTreeMap<String, Secret<String>>,
    BTreeMap::from([("a".to_owned(), Secret::from(FAKE))]),
    checked
);
shape!(
    s_bytes,
    Secret<Vec<u8>>,
    Secret::new(FAKE.as_bytes().to_vec()),
    checked
);

mod s_json {
    #[allow(unused_imports)]
    use super::*;
    #[derive(Debug, Settings, Serialize)]
    #[settings(prefix = "LK_")]
    pub struct Cfg {
        #[settings(
            secret,
            alias = "LK_OLD_KEY",
            fake = Creds { user: "u".to_owned(), password: Secret::from(FAKE) }
        )]
        pub key: Creds,
        #[validate(range(max = 10))]
        pub neighbour: u16,
        #[settings(default)]
        pub url: String,
    }
}

mod s_creds {
    #[allow(unused_imports)]
    use super::*;
    #[derive(Debug, Settings, Serialize)]
    #[settings(prefix = "LK_")]
    pub struct Cfg {
        #[settings(
            alias = "LK_OLD_KEY",
            fake = Creds { user: "u".to_owned(), password: Secret::from(FAKE) }
        )]
        pub key: Creds,
        #[validate(range(max = 10))]
        pub neighbour: u16,
        #[settings(default)]
        pub url: String,
    }
}

mod s_tuple {
    #[allow(unused_imports)]
    use super::*;
    #[derive(Debug, Settings, Serialize)]
    #[settings(prefix = "LK_")]
    pub struct Cfg {
        #[settings(alias = "LK_OLD_KEY", fake = ("u".to_owned(), Secret::from(FAKE)))]
        pub key: (String, Secret<String>),
        #[validate(range(max = 10))]
        pub neighbour: u16,
        #[settings(default)]
        pub url: String,
    }
}

mod s_deonly {
    #[allow(unused_imports)]
    use super::*;
    #[derive(Debug, Settings)]
    #[settings(prefix = "LK_")]
    pub struct Cfg {
        #[settings(
            secret,
            alias = "LK_OLD_KEY",
            fake = CredsDe { user: "u".to_owned(), password: Secret::from(FAKE) }
        )]
        pub key: CredsDe,
        #[validate(range(max = 10))]
        pub neighbour: u16,
        #[settings(default)]
        pub url: String,
    }
}

// ---------------------------------------------------------------------------------
// The axes.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Env,
    Dotenv,
    DotenvOverride,
    SecretsDir,
    Kubernetes,
    NameFile,
    Set,
    Fake,
    #[cfg(feature = "figment")]
    Provider,
    /// A TOML config file (`Loader::config_file`).
    #[cfg(feature = "toml")]
    ConfigFile,
}

const SOURCES: &[Source] = &[
    Source::Env,
    Source::Dotenv,
    Source::DotenvOverride,
    Source::SecretsDir,
    Source::Kubernetes,
    Source::NameFile,
    Source::Set,
    Source::Fake,
    #[cfg(feature = "figment")]
    Source::Provider,
    #[cfg(feature = "toml")]
    Source::ConfigFile,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    None,
    MissingNeighbour,
    ParseSecret,
    ValidateSecret,
    ValidateNeighbour,
    AliasDisagrees,
    SpellingConflict,
    NameFileConflict,
    UnreadableDir,
    UnreadableFifo,
    EscapingSymlink,
    NulByte,
    MalformedLine,
    UnterminatedQuote,
    /// A neighbour's quoted value runs over the secret's line and closes after it.
    QuoteSwallowsSecret,
    /// A neighbour's `NAME_FILE` path is `${LK_KEY}`: a file that does not exist.
    SubstitutedPath,
    /// L1: a plain setting built in `.env` around `${LK_KEY}` (a URL with a password).
    SubstitutedIntoPlain,
    /// L2: the key pasted into a plain setting that does not parse it (`LK_NEIGHBOUR`).
    KeyInNeighbour,
    /// L2: the key as the text of a plain string setting (`LK_URL`).
    KeyInPlain,
    /// L6: the key pasted into `LK_KEY_FILE`, which then names no file.
    KeyInNameFile,
    /// CR: a `.env` with classic-Mac line endings (a lone `\r`).
    ClassicMac,
    /// L9: the secret `encrypted:` (dotenvx), and a plain setting holding the key.
    Encrypted,
}

const FAULTS: [Fault; 22] = [
    Fault::None,
    Fault::MissingNeighbour,
    Fault::ParseSecret,
    Fault::ValidateSecret,
    Fault::ValidateNeighbour,
    Fault::AliasDisagrees,
    Fault::SpellingConflict,
    Fault::NameFileConflict,
    Fault::UnreadableDir,
    Fault::UnreadableFifo,
    Fault::EscapingSymlink,
    Fault::NulByte,
    Fault::MalformedLine,
    Fault::UnterminatedQuote,
    Fault::QuoteSwallowsSecret,
    Fault::SubstitutedPath,
    Fault::SubstitutedIntoPlain,
    Fault::KeyInNeighbour,
    Fault::KeyInPlain,
    Fault::KeyInNameFile,
    Fault::ClassicMac,
    Fault::Encrypted,
];

impl Fault {
    /// Whether the load must fail: `None` when either is right (a NUL byte is valid
    /// text for some shapes and sources; inside one layer the primary name beats an
    /// alias, so an alias that disagrees is no conflict).
    fn must_fail(self) -> Option<bool> {
        match self {
            Fault::None
            | Fault::SubstitutedIntoPlain
            | Fault::KeyInPlain
            | Fault::ClassicMac
            | Fault::Encrypted => Some(false),
            Fault::NulByte | Fault::AliasDisagrees => None,
            _ => Some(true),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Output {
    ErrorDisplay,
    ErrorDebug,
    Problems,
    SettingsDebug,
    SettingsJson,
    ExplainText,
    ExplainDebug,
    ExplainJson,
    EnvExample,
    UnwrapPanic,
    LoadOrExit,
    Redactor,
    Warnings,
}

const OUTPUTS: [Output; 13] = [
    Output::ErrorDisplay,
    Output::ErrorDebug,
    Output::Problems,
    Output::SettingsDebug,
    Output::SettingsJson,
    Output::ExplainText,
    Output::ExplainDebug,
    Output::ExplainJson,
    Output::EnvExample,
    Output::UnwrapPanic,
    Output::LoadOrExit,
    Output::Redactor,
    Output::Warnings,
];

/// The shapes: how the canary is written as the field's text, how a parse failure
/// holding it is written, and the generic runners.
struct Shape {
    name: &'static str,
    digits: bool,
    /// The field's text holding `c`.
    text: fn(&str) -> String,
    /// A text holding `c` that does not parse, or why there is none.
    unparsable: Result<fn(&str) -> String, &'static str>,
    run: fn(&Setup) -> Outcome,
    checked: Option<fn(&Setup) -> Outcome>,
    child: fn(bool),
    /// The settings type is `Serialize` (a `SettingsJson` output).
    json: bool,
    /// The field's type says it is secret (else it is found secret as its value is read).
    typed: bool,
}

fn plain(c: &str) -> String {
    c.to_owned()
}

fn runner<S: Settings + Debug + Serialize>(setup: &Setup) -> Outcome {
    run::<S>(setup, |cfg| {
        Some(serde_json::to_string(cfg).unwrap_or_else(|e| format!("error: {e}")))
    })
}

fn child<S: Settings + Debug>() {
    let cfg = S::load_or_exit();
    println!("loaded {:?}", cfg);
}

/// The child of a shape with a `Checked` struct: that one for `checked`, else `Cfg`.
fn child_either<Cfg: Settings + Debug + Serialize, Checked: Settings + Debug + Serialize>(
    checked: bool,
) {
    if checked {
        child::<Checked>()
    } else {
        child::<Cfg>()
    }
}

impl Shape {
    /// A shape whose text is `c`'s alone, with a `Checked` struct (`length` applies).
    fn with_checked<Cfg: Settings + Debug + Serialize, Checked: Settings + Debug + Serialize>(
        name: &'static str,
        text: fn(&str) -> String,
        unparsable: Result<fn(&str) -> String, &'static str>,
    ) -> Shape {
        Shape {
            name,
            digits: false,
            text,
            unparsable,
            run: runner::<Cfg>,
            checked: Some(runner::<Checked>),
            child: child_either::<Cfg, Checked>,
            json: true,
            typed: true,
        }
    }

    /// A shape without a `Checked` struct (`length` does not apply).
    fn unchecked<Cfg: Settings + Debug + Serialize>(
        name: &'static str,
        digits: bool,
        text: fn(&str) -> String,
        unparsable: Result<fn(&str) -> String, &'static str>,
    ) -> Shape {
        Shape {
            name,
            digits,
            text,
            unparsable,
            run: runner::<Cfg>,
            checked: None,
            child: |_| child::<Cfg>(),
            json: true,
            typed: true,
        }
    }

    /// A shape whose settings type is not `Serialize`.
    fn not_serialize<Cfg: Settings + Debug>(
        name: &'static str,
        text: fn(&str) -> String,
        unparsable: Result<fn(&str) -> String, &'static str>,
    ) -> Shape {
        Shape {
            name,
            digits: false,
            text,
            unparsable,
            run: |setup| run::<Cfg>(setup, |_| None),
            checked: None,
            child: |_| child::<Cfg>(),
            json: false,
            typed: true,
        }
    }
}

fn shapes() -> Vec<Shape> {
    const TEXT_PARSES: Result<fn(&str) -> String, &str> = Err("every text parses as a String");
    vec![
        Shape::with_checked::<s_string::Cfg, s_string::Checked>(
            "Secret<String>",
            plain,
            TEXT_PARSES,
        ),
        Shape::with_checked::<s_option::Cfg, s_option::Checked>(
            "Option<Secret<String>>",
            plain,
            TEXT_PARSES,
        ),
        Shape::unchecked::<s_u32::Cfg>("Secret<u32>", true, plain, Ok(|c| format!("{c}x"))),
        Shape::with_checked::<s_alias::Cfg, s_alias::Checked>(
            "type ApiKey = Secret<String>",
            plain,
            TEXT_PARSES,
        ),
        Shape::with_checked::<s_vec::Cfg, s_vec::Checked>(
            "Vec<Secret<String>>",
            |c| format!("first-element,{c}"),
            Ok(|c| format!(r#"["first", "{c}""#)),
        ),
        Shape::with_checked::<s_map::Cfg, s_map::Checked>(
            "BTreeMap<String, Secret<String>>",
            |c| format!(r#"{{"a": "{c}"}}"#),
            Ok(|c| format!(r#"{{"a": "{c}""#)),
        ),
        Shape::with_checked::<s_bytes::Cfg, s_bytes::Checked>(
            "Secret<Vec<u8>>",
            plain,
            Err("every text is bytes"),
        ),
        Shape::unchecked::<s_json::Cfg>(
            "#[settings(secret)] JSON struct",
            false,
            |c| format!(r#"{{"user": "u", "password": "{c}"}}"#),
            Ok(|c| format!(r#"{{"password": "{c}", "user": 5}}"#)),
        ),
        Shape {
            typed: false,
            ..Shape::unchecked::<s_creds::Cfg>(
                "Creds { password: Secret<String> } (L3)",
                false,
                |c| format!(r#"{{"user": "u", "password": "{c}"}}"#),
                Ok(|c| format!(r#"{{"password": "{c}", "user": 5}}"#)),
            )
        },
        Shape {
            typed: false,
            ..Shape::unchecked::<s_tuple::Cfg>(
                "(String, Secret<String>) (L3)",
                false,
                |c| format!(r#"["u", "{c}"]"#),
                Ok(|c| format!(r#"["u", "{c}", 5]"#)),
            )
        },
        Shape::not_serialize::<s_deonly::Cfg>(
            "#[settings(secret)] Deserialize-only struct (L4)",
            |c| format!(r#"{{"user": "u", "password": "{c}"}}"#),
            Ok(|c| format!(r#"{{"password": "{c}", "user": 5}}"#)),
        ),
    ]
}

// ---------------------------------------------------------------------------------
// A cell's inputs.

/// What a cell hands the loader; files live in `dir`.
#[derive(Default)]
struct Setup {
    env: Vec<(String, String)>,
    dotenvs: Vec<PathBuf>,
    config_file: Option<PathBuf>,
    secrets_dir: Option<PathBuf>,
    sets: Vec<(String, String)>,
    #[cfg_attr(not(feature = "figment"), allow(dead_code))]
    provider: Option<(String, String)>,
    fixture: bool,
    /// The child process's working directory (holds `.env` for a dotenv source).
    cwd: Option<PathBuf>,
}

fn loader<S: Settings>(setup: &Setup) -> Loader<S> {
    let mut loader = if setup.fixture {
        S::fixture()
    } else {
        S::loader().env_vars(setup.env.clone())
    };
    if !setup.fixture {
        loader = match &setup.secrets_dir {
            Some(dir) => loader.secrets_dir(dir),
            None => loader.no_secrets_dir(),
        };
        if setup.dotenvs.is_empty() {
            loader = loader.no_dotenv();
        }
        for file in &setup.dotenvs {
            loader = loader.dotenv(file);
        }
        if let Some(file) = &setup.config_file {
            loader = loader.config_file(file);
        }
    }
    for (key, value) in &setup.sets {
        loader = loader.set(key, value);
    }
    #[cfg(feature = "figment")]
    if let Some((key, value)) = &setup.provider {
        loader = loader.provider(Serialized::default(key, value));
    }
    loader
}

const OTHER: &str = "other-value-7";

/// Whether the source is the figment provider (feature `figment`).
fn is_provider(source: Source) -> bool {
    #[cfg(feature = "figment")]
    return source == Source::Provider;
    #[cfg(not(feature = "figment"))]
    {
        let _ = source;
        false
    }
}

/// Whether the source is a TOML config file (feature `toml`).
fn is_config_file(source: Source) -> bool {
    #[cfg(feature = "toml")]
    return source == Source::ConfigFile;
    #[cfg(not(feature = "toml"))]
    {
        let _ = source;
        false
    }
}

/// A TOML basic string holding `value`: quotes, backslashes and control characters
/// escaped.
#[cfg(feature = "toml")]
fn toml_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A `.env` line setting `name` to `value` (single quotes keep JSON as is).
fn dotenv_line(name: &str, value: &str) -> String {
    format!("{name}='{value}'\n")
}

/// Builds a cell's setup, or says why the cell cannot apply.
fn setup(
    source: Source,
    shape: &Shape,
    fault: Fault,
    canary: &str,
    dir: &Path,
) -> Result<Setup, &'static str> {
    let mut s = Setup::default();
    let fixture = source == Source::Fake;
    let canary = if fixture {
        if shape.digits { FAKE_DIGITS } else { FAKE }
    } else {
        canary
    };
    // The secret's text for this fault.
    let mut value = match fault {
        Fault::ParseSecret => (shape.unparsable?)(canary),
        Fault::NulByte => format!("{}\0", (shape.text)(canary)),
        _ => (shape.text)(canary),
    };
    if matches!(fault, Fault::KeyInNameFile | Fault::Encrypted)
        && !matches!(
            source,
            Source::Env | Source::Dotenv | Source::DotenvOverride
        )
    {
        return Err("NAME_FILE and encrypted values are read from the environment and .env only");
    }
    if fault == Fault::KeyInNameFile && !shape.typed {
        return Err(
            "a NAME_FILE that names no file is hidden for settings secret by their type; a user type is found secret only once its value is read",
        );
    }
    if matches!(fault, Fault::KeyInNeighbour | Fault::KeyInPlain) && fixture {
        return Err("a fixture's typed `fake` value is code, not text the load reads");
    }
    if fault == Fault::Encrypted {
        #[cfg(not(feature = "dotenvx"))]
        return Err("encrypted values need the dotenvx feature");
        #[cfg(feature = "dotenvx")]
        {
            use confidant::ExposeSecret;
            let (public, private) = confidant::dotenvx::generate_keypair();
            value = confidant::dotenvx::encrypt(&public, &value).unwrap();
            s.env
                .push(("DOTENV_PRIVATE_KEY".into(), private.expose_secret().clone()));
            s.env.push(("LK_URL".into(), canary.to_owned()));
        }
    }
    if fault == Fault::ValidateSecret && shape.checked.is_none() {
        return Err("`length` does not apply to the shape (compile error)");
    }
    let file_fault = matches!(
        fault,
        Fault::UnreadableDir | Fault::UnreadableFifo | Fault::EscapingSymlink
    );
    let dotenv_fault = matches!(
        fault,
        Fault::MalformedLine
            | Fault::UnterminatedQuote
            | Fault::QuoteSwallowsSecret
            | Fault::SubstitutedPath
            | Fault::SubstitutedIntoPlain
            | Fault::ClassicMac
    );
    let is_dotenv = matches!(source, Source::Dotenv | Source::DotenvOverride);
    let is_dir = matches!(source, Source::SecretsDir | Source::Kubernetes);
    if dotenv_fault && !is_dotenv {
        return Err("a .env fault needs a .env source");
    }
    if file_fault && !(is_dir || source == Source::NameFile) {
        return Err("no file: the source hands over text");
    }
    if fault == Fault::EscapingSymlink && source == Source::NameFile {
        return Err("NAME_FILE follows symlinks by design (the path is the user's)");
    }
    if matches!(fault, Fault::AliasDisagrees | Fault::SpellingConflict)
        && (matches!(source, Source::Set | Source::Fake)
            || is_provider(source)
            || is_config_file(source))
    {
        return Err("the source sets a dotted path: there is no second spelling");
    }
    if fault == Fault::NameFileConflict
        && !matches!(
            source,
            Source::Env | Source::Dotenv | Source::DotenvOverride | Source::NameFile
        )
    {
        return Err("NAME_FILE is read from the environment and .env only");
    }
    if fixture && matches!(fault, Fault::ParseSecret | Fault::NulByte) {
        return Err("fake = ... is a fixed literal that parses");
    }
    let neighbour = match fault {
        Fault::MissingNeighbour
        | Fault::QuoteSwallowsSecret
        | Fault::SubstitutedPath
        | Fault::ClassicMac => None,
        Fault::ValidateNeighbour => Some("99"),
        Fault::KeyInNeighbour => Some(canary),
        _ => Some("1"),
    };
    if fault == Fault::KeyInPlain {
        s.env.push(("LK_URL".into(), canary.to_owned()));
    }
    let other_file = dir.join("other.txt");
    std::fs::write(&other_file, OTHER).unwrap();
    let other_path = other_file.display().to_string();
    if let Some(n) = neighbour {
        match source {
            Source::Fake => s.sets.push(("neighbour".into(), n.into())),
            _ => s.env.push(("LK_NEIGHBOUR".into(), n.into())),
        }
    }
    if !fixture && s.env.is_empty() {
        // An environment that is not the process's.
        s.env.push(("UNRELATED".into(), "1".into()));
    }
    match source {
        Source::Env if fault == Fault::KeyInNameFile => {
            s.env.push(("LK_KEY_FILE".into(), canary.to_owned()));
        }
        Source::Env => {
            s.env.push(("LK_KEY".into(), value));
            match fault {
                Fault::AliasDisagrees => s.env.push(("LK_OLD_KEY".into(), OTHER.into())),
                Fault::SpellingConflict => s.env.push(("lk_key".into(), OTHER.into())),
                Fault::NameFileConflict => s.env.push(("LK_KEY_FILE".into(), other_path)),
                _ => {}
            }
        }
        Source::Dotenv | Source::DotenvOverride => {
            let mut text = match fault {
                // Text after a closing quote: the line does not parse (inner spaces in
                // an unquoted value do, as in the dotenv family).
                Fault::MalformedLine => format!("LK_KEY=\"{canary}\" 'x\n"),
                Fault::QuoteSwallowsSecret => format!("LK_NEIGHBOUR='1\nLK_KEY={canary}\n'\n"),
                Fault::UnterminatedQuote => format!("LK_KEY=\"{canary}\nLK_OTHER=1\nLK_MORE=2\n"),
                Fault::KeyInNameFile => format!("LK_KEY_FILE={canary}\n"),
                Fault::ClassicMac if !value.contains('\'') => {
                    format!("LK_NEIGHBOUR=1\rLK_KEY='{value}'\r")
                }
                _ => {
                    if value.contains('\'') {
                        return Err("the text holds a single quote");
                    }
                    dotenv_line("LK_KEY", &value)
                }
            };
            match fault {
                Fault::SubstitutedPath => text.push_str("LK_NEIGHBOUR_FILE=\"${LK_KEY}\"\n"),
                Fault::SubstitutedIntoPlain => {
                    text.push_str("LK_URL=\"https://svc:${LK_KEY}@db:6333\"\n");
                }
                Fault::AliasDisagrees => text.push_str(&dotenv_line("LK_OLD_KEY", OTHER)),
                Fault::SpellingConflict => text.push_str(&dotenv_line("lk_key", OTHER)),
                Fault::NameFileConflict => text.push_str(&dotenv_line("LK_KEY_FILE", &other_path)),
                _ => {}
            }
            if source == Source::DotenvOverride {
                let earlier = common::write(dir, "base.env", &dotenv_line("LK_KEY", OTHER));
                s.dotenvs.push(earlier);
            }
            let file = common::write(dir, ".env", &text);
            s.dotenvs.push(file);
            s.cwd = Some(dir.to_owned());
        }
        Source::SecretsDir | Source::Kubernetes => {
            let secrets = dir.join("secrets");
            std::fs::create_dir_all(&secrets).unwrap();
            let outside = dir.join("outside");
            std::fs::create_dir_all(&outside).unwrap();
            match fault {
                Fault::UnreadableDir => {
                    let inner = secrets.join("LK_KEY");
                    std::fs::create_dir_all(&inner).unwrap();
                    std::fs::write(inner.join("inner"), &value).unwrap();
                }
                Fault::UnreadableFifo => {
                    common::mkfifo(&secrets.join("LK_KEY"));
                    std::fs::write(secrets.join("LK_KEY.canary"), &value).unwrap();
                }
                Fault::EscapingSymlink => {
                    std::fs::write(outside.join("key"), &value).unwrap();
                    std::os::unix::fs::symlink(outside.join("key"), secrets.join("LK_KEY"))
                        .unwrap();
                }
                _ if source == Source::Kubernetes => {
                    let mut entries = vec![("LK_KEY", value.as_str())];
                    match fault {
                        Fault::AliasDisagrees => entries.push(("LK_OLD_KEY", OTHER)),
                        Fault::SpellingConflict => entries.push(("lk_key", OTHER)),
                        _ => {}
                    }
                    common::publish_kubernetes(
                        &secrets,
                        "..2026_12_02_14_00_00.000000001",
                        &entries,
                    );
                }
                _ => {
                    std::fs::write(secrets.join("LK_KEY"), &value).unwrap();
                    match fault {
                        Fault::AliasDisagrees => {
                            std::fs::write(secrets.join("LK_OLD_KEY"), OTHER).unwrap()
                        }
                        Fault::SpellingConflict => {
                            std::fs::write(secrets.join("lk_key"), OTHER).unwrap()
                        }
                        _ => {}
                    }
                }
            }
            s.secrets_dir = Some(secrets);
        }
        Source::NameFile => {
            let path = dir.join("key.txt");
            match fault {
                Fault::UnreadableDir => {
                    std::fs::create_dir_all(&path).unwrap();
                    std::fs::write(path.join("inner"), &value).unwrap();
                }
                Fault::UnreadableFifo => {
                    common::mkfifo(&path);
                    std::fs::write(dir.join("key.canary"), &value).unwrap();
                }
                _ => std::fs::write(&path, &value).unwrap(),
            }
            s.env
                .push(("LK_KEY_FILE".into(), path.display().to_string()));
            match fault {
                Fault::AliasDisagrees => s.env.push(("LK_OLD_KEY_FILE".into(), other_path)),
                Fault::SpellingConflict => s.env.push(("lk_key_file".into(), other_path)),
                Fault::NameFileConflict => s.env.push(("LK_KEY".into(), OTHER.into())),
                _ => {}
            }
        }
        Source::Set => s.sets.push(("key".into(), std::mem::take(&mut value))),
        #[cfg(feature = "figment")]
        Source::Provider => s.provider = Some(("key".into(), std::mem::take(&mut value))),
        #[cfg(feature = "toml")]
        Source::ConfigFile => {
            let text = format!("# settings\n\nkey = {}\n", toml_string(&value));
            s.config_file = Some(common::write(dir, "myapp.toml", &text));
        }
        Source::Fake => s.fixture = true,
    }
    Ok(s)
}

// ---------------------------------------------------------------------------------
// A cell's outputs.

/// Every output of one load: `(output, text)`, or why an output does not apply.
struct Outcome {
    failed: bool,
    texts: Vec<(Output, String)>,
    redacted: Option<String>,
}

thread_local! {
    /// Set while an expected panic runs: the hook then prints nothing.
    static SILENT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static LOG_LINE: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    /// The cell's canary, also set as the value of an unknown name for the warnings.
    static CELL_CANARY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn run<S: Settings + Debug>(setup: &Setup, json: fn(&S) -> Option<String>) -> Outcome {
    let mut texts = vec![(Output::EnvExample, S::env_example())];
    let mut redacted = None;
    let result = loader::<S>(setup).load();
    let failed = result.is_err();
    match &result {
        Ok(cfg) => {
            texts.push((Output::SettingsDebug, format!("{cfg:?}\n{cfg:#?}")));
            if let Some(json) = json(cfg) {
                texts.push((Output::SettingsJson, json));
            }
            let line = LOG_LINE.with(|l| l.borrow().clone());
            redacted = Some(cfg.redactor().redact(&line).into_owned());
        }
        Err(err) => {
            texts.push((Output::ErrorDisplay, format!("{err}\n{err:#}")));
            texts.push((Output::ErrorDebug, format!("{err:?}\n{err:#?}")));
            let problems = err
                .problems()
                .iter()
                .map(|p| format!("{p}\n{p:?}\n{}\n", p.message()))
                .collect();
            texts.push((Output::Problems, problems));
        }
    }
    SILENT.with(|s| s.set(true));
    let panic = std::panic::catch_unwind(AssertUnwindSafe(|| result.unwrap()));
    SILENT.with(|s| s.set(false));
    if let Err(payload) = panic {
        texts.push((Output::UnwrapPanic, common::panic_text(payload)));
    }
    match loader::<S>(setup).explain() {
        Ok(explain) => {
            texts.push((Output::ExplainText, explain.to_string()));
            texts.push((Output::ExplainDebug, format!("{explain:?}")));
            texts.push((Output::ExplainJson, explain.to_json()));
        }
        Err(err) => {
            texts.push((Output::ExplainText, format!("{err}")));
            texts.push((Output::ExplainDebug, format!("{err:?}")));
            texts.push((Output::ExplainJson, format!("{err}")));
        }
    }
    // Warnings: of a load that succeeds, and listed in the report of one that fails. An
    // unknown name with our prefix, holding the canary, makes sure there is one.
    let stray = CELL_CANARY.with(|c| c.borrow().clone());
    let warnings = match loader::<S>(setup)
        .env_vars([("LK_STRAY_KEY", stray.as_str())])
        .load_with_warnings()
    {
        Ok((_, warnings)) => warnings
            .iter()
            .map(|w| format!("{w}\n{w:?}\n"))
            .collect::<String>(),
        Err(err) => err
            .warnings()
            .iter()
            .map(|w| format!("{w}\n{w:?}\n"))
            .collect(),
    };
    texts.push((Output::Warnings, warnings));
    Outcome {
        failed,
        texts,
        redacted,
    }
}

/// The report `load_or_exit` writes, from a child process with the cell's environment.
fn load_or_exit_output(shape: usize, checked: bool, setup: &Setup, dir: &Path) -> String {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "child_mode", "--nocapture"])
        .env_clear()
        .envs(setup.env.iter().map(|(k, v)| (k, v)))
        .env("LEAKS_CHILD", format!("{shape}:{}", u8::from(checked)))
        .current_dir(setup.cwd.as_deref().unwrap_or(dir))
        .output()
        .unwrap();
    format!(
        "status {:?}\n{}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
#[ignore = "a child process of another test in this file, which runs it"]
fn child_mode() {
    // Only does something in the child processes `load_or_exit_output` starts.
    if let Some(mode) = std::env::var_os("LEAKS_CHILD") {
        let mode = mode.into_string().unwrap();
        let (shape, checked) = mode.split_once(':').unwrap();
        let shapes = shapes();
        (shapes[shape.parse::<usize>().unwrap()].child)(checked == "1");
    }
}

/// A fresh canary per run: 32 hex characters of SHA-256 over the time, the process id
/// and a counter; `digits` gives ten digits that fit a `u32`.
fn canary(digits: bool) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let digest = common::fresh_digest(&COUNTER.fetch_add(1, Ordering::SeqCst).to_le_bytes());
    if digits {
        let n = u64::from_le_bytes(digest[..8].try_into().unwrap());
        (1_000_000_000 + n % 3_000_000_000).to_string()
    } else {
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The cells checked, and the cells each reason skips, for this build's features.
fn floor() -> (usize, Vec<(&'static str, usize)>) {
    // `cargo test -p confidant --all-features --test test_leaks`: every source and fault.
    #[cfg(all(feature = "figment", feature = "dotenvx", feature = "toml"))]
    return (
        10441,
        vec![
            (
                "NAME_FILE and encrypted values are read from the environment and .env only",
                2002,
            ),
            (
                "NAME_FILE follows symlinks by design (the path is the user's)",
                143,
            ),
            ("NAME_FILE is read from the environment and .env only", 858),
            ("`length` does not apply to the shape (compile error)", 650),
            ("a .env fault needs a .env source", 6864),
            (
                "a NAME_FILE that names no file is hidden for settings secret by their type; a user type is found secret only once its value is read",
                78,
            ),
            (
                "a fixture's typed `fake` value is code, not text the load reads",
                286,
            ),
            (
                "a plain field holding the key is shown by the settings' own Debug and Serialize, which confidant does not build",
                294,
            ),
            ("a process environment cannot hold a NUL byte", 11),
            ("every text is bytes", 130),
            ("every text parses as a String", 390),
            ("fake = ... is a fixed literal that parses", 234),
            ("load_or_exit prints nothing on success", 149),
            (
                "load_or_exit reads only the process environment and ./.env (no loader options)",
                742,
            ),
            ("no file: the source hands over text", 3003),
            ("no settings to redact with", 843),
            ("the load failed", 1686),
            ("the load succeeded", 1452),
            (
                "the redactor scrubs string and byte secrets, not numbers",
                30,
            ),
            ("the settings type is not Serialize", 30),
            (
                "the source sets a dotted path: there is no second spelling",
                1144,
            ),
        ],
    );
    // The lean build: no figment provider source, no encrypted values.
    #[cfg(not(any(feature = "figment", feature = "dotenvx")))]
    return (
        8928,
        vec![
            (
                "NAME_FILE and encrypted values are read from the environment and .env only",
                1430,
            ),
            (
                "NAME_FILE follows symlinks by design (the path is the user's)",
                143,
            ),
            ("NAME_FILE is read from the environment and .env only", 572),
            ("`length` does not apply to the shape (compile error)", 520),
            ("a .env fault needs a .env source", 5148),
            (
                "a NAME_FILE that names no file is hidden for settings secret by their type; a user type is found secret only once its value is read",
                78,
            ),
            (
                "a fixture's typed `fake` value is code, not text the load reads",
                286,
            ),
            (
                "a plain field holding the key is shown by the settings' own Debug and Serialize, which confidant does not build",
                189,
            ),
            ("a process environment cannot hold a NUL byte", 11),
            ("encrypted values need the dotenvx feature", 429),
            ("every text is bytes", 104),
            ("every text parses as a String", 312),
            ("fake = ... is a fixed literal that parses", 234),
            ("load_or_exit prints nothing on success", 127),
            (
                "load_or_exit reads only the process environment and ./.env (no loader options)",
                573,
            ),
            ("no file: the source hands over text", 2145),
            ("no settings to redact with", 739),
            ("the load failed", 1478),
            ("the load succeeded", 1104),
            (
                "the redactor scrubs string and byte secrets, not numbers",
                23,
            ),
            ("the settings type is not Serialize", 23),
            (
                "the source sets a dotted path: there is no second spelling",
                572,
            ),
        ],
    );
    // Other feature sets: only the total is checked.
    #[allow(unreachable_code)]
    (0, Vec::new())
}

#[test]
fn no_cell_of_the_matrix_leaks() {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !SILENT.with(std::cell::Cell::get) {
            default_hook(info);
        }
    }));
    let hex = canary(false);
    let digits = canary(true);
    assert!(hex.len() >= 24 && digits.len() == 10);
    // The check can fail: a window anywhere is found.
    assert!(common::leaked(&hex, &format!("..{}..", &hex[5..13])).is_some());
    let shapes = shapes();
    let mut failures: Vec<String> = Vec::new();
    // Per reason: how many cells, and the first one.
    let mut skipped: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut checked_cells = 0usize;
    let mut skipped_cells = 0usize;
    let mut children = 0usize;
    let total = SOURCES.len() * shapes.len() * FAULTS.len() * OUTPUTS.len();
    let mut skip = |reason: &str, cell: String, n: usize, count: &mut usize| {
        *count += n;
        skipped.entry(reason.to_owned()).or_insert((0, cell)).0 += n;
    };
    for &source in SOURCES {
        for (index, shape) in shapes.iter().enumerate() {
            for fault in FAULTS {
                let cell = format!("{source:?} × {} × {fault:?}", shape.name);
                let dir = common::tempdir();
                let canary = match (source, shape.digits) {
                    (Source::Fake, true) => FAKE_DIGITS.to_owned(),
                    (Source::Fake, false) => FAKE.to_owned(),
                    (_, true) => digits.clone(),
                    (_, false) => hex.clone(),
                };
                let setup = match setup(source, shape, fault, &canary, dir.path()) {
                    Ok(setup) => setup,
                    Err(reason) => {
                        skip(reason, cell, OUTPUTS.len(), &mut skipped_cells);
                        continue;
                    }
                };
                // The line quotes the secret as loaded (with its NUL byte, if any).
                let nul = if fault == Fault::NulByte { "\0" } else { "" };
                // L8: the forms logs hold, besides the raw text: `Authorization: Basic`.
                let basic = base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    format!("svc:{canary}{nul}"),
                );
                LOG_LINE.with(|l| {
                    *l.borrow_mut() = format!(
                        "GET /v1 auth={canary}{nul} status=401 Authorization: Basic {basic}"
                    );
                });
                CELL_CANARY.with(|c| c.borrow_mut().clone_from(&canary));
                let checked = fault == Fault::ValidateSecret;
                let outcome = if checked {
                    (shape.checked.unwrap())(&setup)
                } else {
                    (shape.run)(&setup)
                };
                if let Some(must_fail) = fault.must_fail()
                    && must_fail != outcome.failed
                {
                    let got = outcome
                        .texts
                        .iter()
                        .find(|(o, _)| *o == Output::ErrorDisplay)
                        .map_or("loaded".to_owned(), |(_, t)| t.clone());
                    failures.push(format!(
                        "{cell}: expected the load to {}, got: {}",
                        if must_fail { "fail" } else { "succeed" },
                        got.replace(&canary, "<CANARY>")
                    ));
                }
                let mut texts = outcome.texts;
                // load_or_exit reads only the struct's layers: the process environment
                // (given to the child) and the `.env` in its working directory.
                let child_source =
                    matches!(source, Source::Env | Source::Dotenv | Source::NameFile);
                let nul_env = setup.env.iter().any(|(_, v)| v.contains('\0'));
                if outcome.failed && child_source && !nul_env {
                    texts.push((
                        Output::LoadOrExit,
                        load_or_exit_output(index, checked, &setup, dir.path()),
                    ));
                    children += 1;
                }
                for output in OUTPUTS {
                    let cell = format!("{cell} × {output:?}");
                    let reason = match output {
                        Output::LoadOrExit if !child_source => Some(
                            "load_or_exit reads only the process environment and ./.env (no loader options)",
                        ),
                        Output::LoadOrExit if nul_env => {
                            Some("a process environment cannot hold a NUL byte")
                        }
                        Output::LoadOrExit if !outcome.failed => {
                            Some("load_or_exit prints nothing on success")
                        }
                        Output::Redactor if outcome.failed => Some("no settings to redact with"),
                        Output::Redactor if shape.digits => {
                            Some("the redactor scrubs string and byte secrets, not numbers")
                        }
                        Output::ErrorDisplay | Output::ErrorDebug | Output::Problems
                            if !outcome.failed =>
                        {
                            Some("the load succeeded")
                        }
                        Output::SettingsDebug | Output::SettingsJson if outcome.failed => {
                            Some("the load failed")
                        }
                        Output::SettingsJson if !shape.json => {
                            Some("the settings type is not Serialize")
                        }
                        Output::SettingsDebug | Output::SettingsJson
                            if matches!(
                                fault,
                                Fault::KeyInPlain | Fault::Encrypted | Fault::SubstitutedIntoPlain
                            ) =>
                        {
                            Some(
                                "a plain field holding the key is shown by the settings' own Debug and Serialize, which confidant does not build",
                            )
                        }
                        Output::UnwrapPanic if !outcome.failed => Some("the load succeeded"),
                        _ => None,
                    };
                    if let Some(reason) = reason {
                        skip(reason, cell, 1, &mut skipped_cells);
                        continue;
                    }
                    checked_cells += 1;
                    if output == Output::Redactor {
                        let out = outcome.redacted.as_deref().unwrap_or_default();
                        let basic_left = out
                            .split("Basic ")
                            .nth(1)
                            .is_some_and(|rest| !rest.contains("[REDACTED]"));
                        if common::leaked(&canary, out).is_some()
                            || !out.contains("[REDACTED]")
                            || basic_left
                        {
                            failures.push(format!("{cell}: the redactor left {out:?}"));
                        }
                        continue;
                    }
                    let text: String = texts
                        .iter()
                        .filter(|(o, _)| *o == output)
                        .map(|(_, t)| t.as_str())
                        .collect();
                    if text.is_empty() {
                        failures.push(format!("{cell}: no output was produced"));
                    } else if let Some(window) = common::leaked(&canary, &text) {
                        failures.push(format!(
                            "{cell}: {window:?} of the canary leaked into:\n{}",
                            text.replace(&canary, "<CANARY>")
                        ));
                    }
                }
            }
        }
    }
    println!(
        "canary matrix: {} sources × {} shapes × {} faults × {} outputs = {total} cells: {checked_cells} checked, {skipped_cells} skipped; {children} load_or_exit children",
        SOURCES.len(),
        shapes.len(),
        FAULTS.len(),
        OUTPUTS.len()
    );
    for (reason, (n, first)) in &skipped {
        println!("skipped {n:>5} cells: {reason} (e.g. {first})");
    }
    assert_eq!(checked_cells + skipped_cells, total);
    // The floor: how many cells each reason skips, and how many are checked. A setup that
    // fails everywhere (every load failing, no output made) moves cells between reasons.
    let counts: Vec<(&str, usize)> = skipped.iter().map(|(r, (n, _))| (r.as_str(), *n)).collect();
    let floor = floor();
    assert!(
        floor.1.is_empty() || (counts == floor.1 && checked_cells == floor.0),
        "the matrix's shape changed: {checked_cells} cells checked; skipped per reason:\n{counts:#?}\n(expected {} checked and {:#?})",
        floor.0,
        floor.1
    );
    assert!(
        failures.is_empty(),
        "{} failing cells:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
