//! The settings the config-file tests load (tests/test_config_file*.rs, one file per
//! format), and their helpers: one struct with every shape a config file feeds.
#![allow(dead_code)] // reason: each format's tests use a different subset

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use confidant::{Origin, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
pub struct Config {
    #[settings(default = "info")]
    pub log_level: String,
    #[settings(default = 0.2)]
    pub temperature: f64,
    pub api_key: Option<Secret<String>>,
    #[settings(nested)]
    pub db: Db,
    #[settings(default)]
    pub hosts: Vec<String>,
    #[settings(default)]
    pub ports: Vec<u16>,
    #[settings(default = "30s")]
    pub timeout: Duration,
    #[settings(default)]
    pub timeouts: Vec<Duration>,
    pub providers: Option<HashMap<String, Secret<String>>>,
    #[settings(default)]
    pub servers: Vec<Server>,
    pub zip: Option<String>,
    #[settings(default = false)]
    pub verbose: bool,
    #[settings(nested)]
    pub llm: Llm,
    pub motd: Option<String>,
    pub banner: Option<String>,
}

#[derive(Debug, Settings)]
pub struct Db {
    #[settings(default = "localhost")]
    pub host: String,
    #[settings(default = 5432)]
    pub port: u16,
    #[settings(default = 4)]
    pub pool_size: u32,
    #[settings(default)]
    pub note: String,
}

#[derive(Debug, Settings)]
pub struct Llm {
    #[settings(default = "small")]
    pub model: String,
}

#[derive(Debug, PartialEq, serde::Deserialize)]
pub struct Server {
    pub name: String,
    pub weight: u8,
}

/// Loads `text` written to `dir/<name>`, reading nothing else but `env`.
pub fn loader_of(
    dir: &Path,
    name: &str,
    text: &str,
    env: &[(&str, &str)],
) -> confidant::Loader<Config> {
    let file = crate::common::write(dir, name, text);
    crate::common::env_only::<Config>(env).config_file(file)
}

/// The line of `origin`, which must be a config file's.
pub fn line_of(origin: &Origin) -> usize {
    match origin {
        Origin::ConfigFile { line, .. } => *line,
        other => panic!("not a config file's origin: {other:?}"),
    }
}

/// Each setting a config file set, and its line.
pub fn lines_of(loader: confidant::Loader<Config>) -> HashMap<String, usize> {
    let explain = loader.explain().unwrap();
    explain
        .rows()
        .iter()
        .filter_map(|row| match row.origin() {
            Origin::ConfigFile { line, .. } => Some((row.setting().to_owned(), *line)),
            _ => None,
        })
        .collect()
}
