//! Inputs that must compile: type aliases, raw identifiers, full paths, lists and
//! JSON types, doc comments with quotes, and generated code clean under strict lints.
#![deny(warnings)]

use confidant::{ExposeSecret, Settings};

type Port = u16;
type Hosts = std::vec::Vec<String>;

#[derive(serde::Deserialize, Debug, PartialEq)]
struct Limits {
    rps: u32,
}

/// "Quoted" docs, with a backslash \ and braces {}.
#[derive(Debug, Settings)]
#[settings(prefix = "T_", case_sensitive)]
struct Config {
    /// The `type` setting: a raw identifier.
    #[settings(default = "kind")]
    r#type: String,
    #[settings(default = 1)]
    port: Port,
    #[settings(default)]
    hosts: Hosts,
    #[settings(default = -3)]
    offset: i64,
    key: confidant::Secret<String>,
    maybe: std::option::Option<u8>,
    #[settings(default = Limits { rps: 10 })]
    limits: Limits,
    #[settings(nested)]
    r#inner: Inner,
}

#[derive(Debug, Settings)]
struct Inner {
    #[settings(default = true, alias = "T_FLAG")]
    flag: bool,
}

fn main() {
    let cfg = Config::fixture().set("type", "other").load().unwrap();
    assert_eq!(cfg.r#type, "other");
    assert_eq!(cfg.port, 1);
    assert_eq!(cfg.offset, -3);
    assert_eq!(cfg.key.expose_secret(), "fake-key");
    assert_eq!(cfg.maybe, None);
    assert_eq!(cfg.limits, Limits { rps: 10 });
    assert!(cfg.r#inner.flag);
    assert!(cfg.hosts.is_empty());
}
