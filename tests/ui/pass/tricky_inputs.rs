//! Inputs that must compile: type aliases (of secrets too), raw identifiers, full paths,
//! lists and JSON types, any default expression, doc comments with quotes, and
//! generated code clean under strict lints.
#![deny(warnings)]

use confidant::{ExposeSecret, Settings};

type Port = u16;
type Hosts = std::vec::Vec<String>;
type ApiKey = confidant::Secret<String>;
type Keys = Vec<ApiKey>;

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
    #[settings(fake = "sk-test-alias-key")]
    alias_key: ApiKey,
    keys: Keys,
    #[settings(default = std::net::SocketAddr::from(([127, 0, 0, 1], 8080)))]
    listen: std::net::SocketAddr,
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
    assert_eq!(cfg.alias_key.expose_secret(), "sk-test-alias-key");
    assert_eq!(cfg.keys[0].expose_secret(), "fake-keys");
    assert_eq!(cfg.listen.port(), 8080);
}
