//! The generated code is clean under strict lints (`cargo clippy --all-targets -D warnings`
//! runs on this file with pedantic lints denied) and needs no prelude: every path it
//! emits is absolute.
#![deny(warnings, clippy::pedantic)]
#![no_implicit_prelude]

extern crate std;

use ::confidant::{Secret, Settings};

type ApiKey = Secret<::std::string::String>;

/// Settings of every kind.
#[derive(Debug, Settings)]
#[settings(prefix = "G_")]
struct Config {
    /// A plain setting with a default.
    #[settings(default = 8080)]
    #[validate(range(min = 1, max = 65535))]
    port: u16,
    /// A secret, through an alias.
    #[settings(fake = "sk-test-generated-code")]
    #[validate(length(min = 8))]
    key: ApiKey,
    /// An optional list of secrets.
    keys: ::std::option::Option<::std::vec::Vec<Secret<::std::string::String>>>,
    /// Nested settings.
    #[settings(nested)]
    db: Db,
    /// Secret by the attribute: a JSON type (the derive asks whether its `Debug` shows
    /// its value, in a const).
    #[settings(secret, fake = Creds { user: ::std::string::String::new() })]
    creds: Creds,
}

/// A JSON-typed setting whose `Debug` is its own.
#[derive(::serde::Deserialize, ::serde::Serialize)]
struct Creds {
    user: ::std::string::String,
}

impl ::std::fmt::Debug for Creds {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str("Creds(..)")
    }
}

/// Nested settings.
#[derive(Debug, Settings)]
struct Db {
    #[settings(default = "localhost", alias = "G_DB_HOST")]
    host: ::std::string::String,
}

#[test]
fn loads_with_no_prelude_and_strict_lints() {
    let cfg = Config::fixture().load().unwrap();
    ::std::assert_eq!(cfg.port, 8080);
    ::std::assert_eq!(cfg.db.host, "localhost");
    ::std::assert!(cfg.keys.is_some());
    ::std::assert!(cfg.redactor().secrets() >= 1);
}
