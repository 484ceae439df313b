//! Near misses of the compile errors about secrets, `_FILE` names and defaults, which
//! must compile: a `_FILE`-like name that is no other setting's, `#[settings(secret)]` on
//! a type whose `Debug` is its own, defaults on plain aliases and user types, a string
//! default on a string.
#![deny(warnings)]

use confidant::{ExposeSecret, Secret, Settings};

type Port = u16;
type Hosts = Vec<String>;

#[derive(serde::Deserialize, serde::Serialize, PartialEq)]
struct Creds {
    user: String,
}

impl std::fmt::Debug for Creds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Creds(..)")
    }
}

#[derive(serde::Deserialize, Debug, PartialEq)]
struct Limits {
    rps: u32,
}

#[derive(Debug, Settings)]
#[settings(prefix = "N_")]
struct Config {
    /// `N_CERT_FILE`: there is no setting `cert`.
    cert_file: String,
    ssl_key: Secret<String>,
    /// Not `ssl_key_file`.
    ssl_key_path: String,
    #[settings(default = 8080)]
    port: Port,
    #[settings(default)]
    hosts: Hosts,
    #[settings(default = Limits { rps: 10 })]
    limits: Limits,
    #[settings(secret, fake = Creds { user: "u".to_owned() })]
    creds: Creds,
    #[settings(default = "default_model")]
    model: String,
    #[settings(nested)]
    db: Db,
}

#[derive(Debug, Settings)]
struct Db {
    /// `N_DB__PASSWORD_FILE` is `password`'s own `_FILE` name.
    password: Secret<String>,
}

fn main() {
    let cfg = Config::fixture()
        .set("cert_file", "/etc/cert.pem")
        .set("ssl_key_path", "/etc/key.pem")
        .load()
        .unwrap();
    assert_eq!(cfg.port, 8080);
    assert!(cfg.hosts.is_empty());
    assert_eq!(cfg.limits, Limits { rps: 10 });
    assert_eq!(cfg.creds.user, "u");
    assert_eq!(cfg.model, "default_model");
    assert_eq!(cfg.ssl_key.expose_secret(), "fake-ssl_key");
    assert_eq!(cfg.db.password.expose_secret(), "fake-db.password");
}
