//! Values: `FromStr` scalars, strings taken as is, bool spellings, lists and sets,
//! JSON, empty = unset, `allow_empty`, `Option`, literal environment values.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::net::SocketAddr;
use std::path::PathBuf;

use confidant::{ExposeSecret, ProblemKind, Secret, Settings};

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Retry {
    attempts: u8,
    backoff_ms: u64,
}

#[derive(Debug, Settings)]
struct Config {
    #[settings(default)]
    name: String,
    token: Option<Secret<String>>,
    #[settings(default = 0)]
    count: i64,
    #[settings(default = 0.5)]
    ratio: f64,
    #[settings(default = false)]
    debug: bool,
    #[settings(default)]
    hosts: Vec<String>,
    #[settings(default)]
    ports: BTreeSet<u16>,
    #[settings(default)]
    tags: HashSet<String>,
    #[settings(default = "127.0.0.1:80".parse::<SocketAddr>().unwrap())]
    bind: SocketAddr,
    #[settings(default = "/tmp")]
    dir: PathBuf,
    retry: Option<Retry>,
    #[settings(allow_empty, default = "unset")]
    suffix: String,
}

fn load(vars: &[(&str, &str)]) -> Result<Config, confidant::Error> {
    common::load_env(vars)
}

#[test]
fn strings_are_never_reinterpreted() {
    let cfg = load(&[("NAME", "012345"), ("TOKEN", "00123")]).unwrap();
    assert_eq!(cfg.name, "012345");
    assert_eq!(cfg.token.unwrap().expose_secret(), "00123");
    let cfg = load(&[("NAME", "true")]).unwrap();
    assert_eq!(cfg.name, "true");
}

#[test]
fn environment_values_are_taken_literally() {
    let cfg = load(&[("NAME", "  \"quoted\"  ")]).unwrap();
    assert_eq!(cfg.name, "  \"quoted\"  ");
}

#[test]
fn scalars_parse_with_from_str() {
    let cfg = load(&[
        ("COUNT", "-42"),
        ("RATIO", "1e-3"),
        ("BIND", "0.0.0.0:8080"),
        ("DIR", "/var/x"),
    ])
    .unwrap();
    assert_eq!(cfg.count, -42);
    assert!((cfg.ratio - 0.001).abs() < f64::EPSILON);
    assert_eq!(cfg.bind, "0.0.0.0:8080".parse().unwrap());
    assert_eq!(cfg.dir, PathBuf::from("/var/x"));
}

#[test]
fn bool_accepts_common_spellings_in_any_case() {
    for (text, want) in [
        ("true", true),
        ("1", true),
        ("YES", true),
        ("On", true),
        ("false", false),
        ("0", false),
        ("no", false),
        ("OFF", false),
    ] {
        assert_eq!(load(&[("DEBUG", text)]).unwrap().debug, want, "{text}");
    }
    let err = load(&[("DEBUG", "maybe")]).unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Invalid);
    assert!(err.problems()[0].message().contains("yes/no"));
}

#[test]
fn lists_and_sets_take_commas_or_json_arrays() {
    let cfg = load(&[
        ("HOSTS", "a.example, b.example,,"),
        ("PORTS", "443,80,443"),
        ("TAGS", r#"["x", "y,z"]"#),
    ])
    .unwrap();
    assert_eq!(cfg.hosts, ["a.example", "b.example"]);
    assert_eq!(cfg.ports.into_iter().collect::<Vec<_>>(), [80, 443]);
    assert_eq!(cfg.tags, HashSet::from(["x".to_owned(), "y,z".to_owned()]));
    let err = load(&[("PORTS", "80,http")]).unwrap_err();
    assert!(err.problems()[0].message().contains("item 2"), "{err}");
}

#[test]
fn other_types_are_json() {
    let cfg = load(&[("RETRY", r#"{"attempts": 3, "backoff_ms": 250}"#)]).unwrap();
    assert_eq!(
        cfg.retry,
        Some(Retry {
            attempts: 3,
            backoff_ms: 250
        })
    );
    let err = load(&[("RETRY", "{oops}")]).unwrap_err();
    assert_eq!(err.problems()[0].field(), "retry");
}

#[test]
fn empty_means_unset_unless_allow_empty() {
    let cfg = load(&[("NAME", ""), ("COUNT", ""), ("TOKEN", ""), ("RETRY", "")]).unwrap();
    assert_eq!((cfg.name.as_str(), cfg.count), ("", 0));
    assert!(cfg.token.is_none() && cfg.retry.is_none());
    assert_eq!(load(&[]).unwrap().suffix, "unset");
    assert_eq!(load(&[("SUFFIX", "")]).unwrap().suffix, "");
}

#[cfg(unix)]
#[test]
fn a_non_utf8_environment_value_is_a_problem_not_a_panic() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;
    let err = common::isolated::<Config>()
        .env_vars([(
            OsString::from("NAME"),
            OsString::from_vec(vec![b'a', 0xff, b'b']),
        )])
        .load()
        .unwrap_err();
    let p = &err.problems()[0];
    assert_eq!((p.field(), p.kind()), ("name", ProblemKind::Invalid));
    assert!(p.message().contains("UTF-8"));
}

const WORKERS: usize = 4;

fn default_timeout() -> std::time::Duration {
    std::time::Duration::from_millis(1500)
}

/// `default = EXPR` takes any Rust expression.
#[derive(Debug, Settings)]
struct Defaults {
    #[settings(default = SocketAddr::from(([127, 0, 0, 1], 8080)))]
    listen: SocketAddr,
    #[settings(default = std::time::Duration::from_secs(30))]
    #[allow(dead_code)] // reason: the default is what is tested
    idle: std::time::Duration,
    #[settings(default = vec!["a".to_owned(), "b".to_owned()])]
    tags: Vec<String>,
    #[settings(default = WORKERS * 2)]
    threads: usize,
    #[settings(default = if cfg!(debug_assertions) { 1 } else { 2 })]
    level: u8,
    #[settings(default = default_timeout())]
    #[allow(dead_code)] // reason: the default is what is tested
    timeout: std::time::Duration,
    // Expressions syn parses only with its `full` feature, which the derive does not ask
    // for: kept as tokens up to the next `,`, so the keys after them are still read.
    #[settings(default = [7, 9], env = "APP_PORT_LIST")]
    ports: Vec<u16>,
    #[settings(default = { let base: u32 = 10; base + 5 })]
    #[validate(range(max = if cfg!(debug_assertions) { 20 } else { 30 }))]
    retries: u32,
    #[settings(default = match WORKERS { 0 => 1, n => n as u8 - 1 })]
    shards: u8,
}

#[test]
fn defaults_are_any_expression_shown_as_written() {
    let cfg = Defaults::fixture().load().unwrap();
    assert_eq!(cfg.listen, SocketAddr::from(([127, 0, 0, 1], 8080)));
    assert_eq!(cfg.tags, ["a", "b"]);
    assert_eq!(cfg.threads, 8);
    assert_eq!(cfg.level, if cfg!(debug_assertions) { 1 } else { 2 });
    assert_eq!((cfg.ports, cfg.retries, cfg.shards), (vec![7, 9], 15, 3));
    // The key after a kept-as-tokens default is read (`env`), and so is a rule bound.
    let cfg = common::load_env::<Defaults>(&[("APP_PORT_LIST", "[1]")]).unwrap();
    assert_eq!(cfg.ports, [1]);
    let err = common::load_env::<Defaults>(&[("RETRIES", "31")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("RETRIES"), "{err}");
    let example = Defaults::env_example();
    for shown in [
        "# default: SocketAddr::from(([127, 0, 0, 1], 8080))",
        "# default: std::time::Duration::from_secs(30)",
        r#"# default: vec!["a".to_owned(), "b".to_owned()]"#,
        "# default: WORKERS * 2",
        "# default: if cfg!(debug_assertions) { 1 } else { 2 }",
        "# default: default_timeout()",
        "# default: [7, 9]",
        "# default: { let base: u32 = 10; base + 5 }",
        "# default: match WORKERS { 0 => 1, n => n as u8 - 1 }",
    ] {
        assert!(example.contains(shown), "{shown:?} not in\n{example}");
    }
    // Code is shown, never filled in as the value: `WORKERS * 2` would not parse back.
    for empty in [
        "\nIDLE=\n",
        "\nTHREADS=\n",
        "\nAPP_PORT_LIST=\n",
        "\nRETRIES=\n",
    ] {
        assert!(example.contains(empty), "{empty:?} not in\n{example}");
    }
}

macro_rules! settings_with {
    ($name:ident: $ty:ty) => {
        #[derive(Debug, Settings)]
        struct FromMacro {
            $name: $ty,
        }
    };
}

settings_with!(maybe: Option<u16>);

#[test]
fn an_option_passed_through_a_macro_is_still_optional() {
    let cfg = FromMacro::fixture().load().unwrap();
    assert_eq!(cfg.maybe, None);
    let cfg = FromMacro::fixture().set("maybe", "7").load().unwrap();
    assert_eq!(cfg.maybe, Some(7));
}
