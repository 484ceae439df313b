//! `#[settings(crate = "...")]`: a crate that re-exports confidant names the path its
//! users reach it by, through a renamed crate or a module's re-export.
#![deny(warnings)]

extern crate confidant as renamed;

mod framework {
    pub use ::confidant;
}

use renamed::ExposeSecret as _;

fn check_name(name: &str) -> Result<(), renamed::ValidationError> {
    if name.is_empty() {
        return Err(renamed::ValidationError::new("empty"));
    }
    Ok(())
}

fn check_config(config: &Config) -> Result<(), renamed::ValidationError> {
    check_name(&config.name)
}

#[derive(Debug, renamed::Settings)]
#[settings(crate = "renamed", prefix = "R_")]
#[validate(schema(function = check_config))]
struct Config {
    #[settings(default = 8080)]
    #[validate(range(min = 1))]
    port: u16,
    #[settings(default = "app")]
    #[validate(custom(function = check_name), length(min = 1))]
    name: String,
    #[settings(fake = "sk-test-crate-path")]
    #[validate(length(min = 8))]
    key: renamed::Secret<String>,
    #[validate(required)]
    backup_key: Option<renamed::Secret<String>>,
    #[settings(nested)]
    db: Db,
}

#[derive(Debug, framework::confidant::Settings)]
#[settings(crate = "crate::framework::confidant")]
struct Db {
    #[settings(default = "localhost")]
    #[validate(must_match(other = "replica"))]
    host: String,
    #[settings(default = "localhost")]
    replica: String,
}

fn main() {
    let cfg = <Config as renamed::Settings>::fixture()
        .set("backup_key", "sk-backup-crate-path")
        .load()
        .unwrap();
    assert_eq!(cfg.port, 8080);
    assert_eq!(cfg.key.expose_secret(), "sk-test-crate-path");
    assert_eq!(cfg.db.host, "localhost");
    let err = <Config as renamed::Settings>::fixture()
        .set("port", "0")
        .set("backup_key", "sk-backup-crate-path")
        .load()
        .unwrap_err();
    assert!(err.to_string().contains("must be at least 1"), "{err}");
}
