//! The settings the Vault and AWS tests (tests/test_remote_vault.rs,
//! tests/test_remote_aws.rs) load from their servers, and the loader they load it with:
//! a secret at the top and one nested (both required, so a source that leaves one out
//! fails the load), a plain setting with a default no source sets, and a nested plain
//! setting a source may set through its env name (`APP_DB__PORT`).
//!
//! tests/test_remote_exec.rs keeps its own struct: its password is optional, because its
//! programs leave it out. tests/test_flags.rs keeps its own too: its docs, its `bool`
//! and its secrets directory are what the flag tests assert.
#![allow(dead_code)] // reason: each test binary uses a different subset

use confidant::{Loader, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
pub struct Config {
    pub api_key: Secret<String>,
    #[settings(default = "info")]
    pub log_level: String,
    #[settings(nested)]
    pub db: Db,
}

#[derive(Debug, Settings)]
pub struct Db {
    #[settings(default = 5432)]
    pub port: u16,
    pub password: Secret<String>,
}

/// A loader of [`Config`] that reads `vars` as its environment and nothing else: each
/// test names its server's address and credentials there.
pub fn loader(vars: &[(&str, &str)]) -> Loader<Config> {
    crate::common::env_only::<Config>(vars)
}

/// `vars` borrowed as [`loader`] takes them, for an environment a test builds from the
/// addresses (`String`s) of its servers.
pub fn pairs<K: AsRef<str>, V: AsRef<str>>(vars: &[(K, V)]) -> Vec<(&str, &str)> {
    vars.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect()
}
