//! The one naming rule of [confidant](https://docs.rs/confidant) settings: how a field
//! is named in the environment, in a secrets directory and by its `NAME_FILE` variable.
//!
//! Shared by the runtime (its `Plan`, the one place a load names settings) and the
//! derive (whose compile-time checks name the same variables), so that the two cannot
//! disagree. No dependencies; nothing here allocates but the returned names.
//!
//! ```
//! use confidant_naming as naming;
//!
//! let db = naming::nested_prefix("APP_", "db");
//! assert_eq!(db, "APP_DB__");
//! assert_eq!(naming::env_name(&db, "port"), "APP_DB__PORT");
//! assert_eq!(naming::file_name("APP_DB__PORT"), "APP_DB__PORT_FILE");
//! assert_eq!(naming::key_file_name("db.port"), "db__port");
//! ```

#![forbid(unsafe_code)]

/// Joins a nested struct's name to its fields' names: `APP_DB__PORT` in the environment,
/// `db__password` in a secrets directory.
///
/// ```
/// assert_eq!(confidant_naming::NESTED, "__");
/// ```
pub const NESTED: &str = "__";

/// Ends the name of a variable that names a file to read a setting from:
/// `APP_API_KEY_FILE=/run/secrets/api_key`.
///
/// ```
/// assert!("APP_API_KEY_FILE".ends_with(confidant_naming::FILE_SUFFIX));
/// ```
pub const FILE_SUFFIX: &str = "_FILE";

/// The environment name of a field without `env = ".."`: the struct's prefix, then the
/// field's name upper-cased.
///
/// ```
/// assert_eq!(confidant_naming::env_name("APP_", "api_key"), "APP_API_KEY");
/// assert_eq!(confidant_naming::env_name("", "port"), "PORT");
/// ```
#[must_use]
pub fn env_name(prefix: &str, field: &str) -> String {
    let mut name = String::with_capacity(prefix.len() + field.len());
    name.push_str(prefix);
    name.extend(field.chars().map(|c| c.to_ascii_uppercase()));
    name
}

/// The prefix of a nested struct's fields: the nested field's own name, then
/// [`NESTED`].
///
/// ```
/// assert_eq!(confidant_naming::nested_prefix("APP_", "db"), "APP_DB__");
/// ```
#[must_use]
pub fn nested_prefix(prefix: &str, field: &str) -> String {
    let mut name = env_name(prefix, field);
    name.push_str(NESTED);
    name
}

/// The `NAME_FILE` variable of a name.
///
/// ```
/// assert_eq!(confidant_naming::file_name("APP_API_KEY"), "APP_API_KEY_FILE");
/// ```
#[must_use]
pub fn file_name(name: &str) -> String {
    let mut file = String::with_capacity(name.len() + FILE_SUFFIX.len());
    file.push_str(name);
    file.push_str(FILE_SUFFIX);
    file
}

/// The name a `NAME_FILE` variable is the file variable of, if it is one (any case:
/// `app_key_file` gives `app_key`).
///
/// ```
/// assert_eq!(confidant_naming::strip_file_suffix("APP_KEY_FILE"), Some("APP_KEY"));
/// assert_eq!(confidant_naming::strip_file_suffix("app_key_file"), Some("app_key"));
/// assert_eq!(confidant_naming::strip_file_suffix("APP_KEY"), None);
/// ```
#[must_use]
pub fn strip_file_suffix(name: &str) -> Option<&str> {
    let cut = name.len().checked_sub(FILE_SUFFIX.len())?;
    (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(FILE_SUFFIX))
        .then(|| &name[..cut])
}

/// A setting's file name in a secrets directory, without prefix: its dotted path with
/// [`NESTED`] for each dot (looked up in any case).
///
/// ```
/// assert_eq!(confidant_naming::key_file_name("db.password"), "db__password");
/// assert_eq!(confidant_naming::key_file_name("api_key"), "api_key");
/// ```
#[must_use]
pub fn key_file_name(path: &str) -> String {
    path.replace('.', NESTED)
}

/// The command-line flag of a setting's dotted path (`--db-log-level`, without the
/// dashes): dots and underscores become `-`.
///
/// ```
/// assert_eq!(confidant_naming::flag_name("db.log_level"), "db-log-level");
/// ```
#[must_use]
pub fn flag_name(path: &str) -> String {
    path.replace(['.', '_'], "-")
}

/// A name as the environment is matched: upper-cased unless the struct is
/// `case_sensitive`.
///
/// ```
/// assert_eq!(confidant_naming::normalize(false, "app_Port"), "APP_PORT");
/// assert_eq!(confidant_naming::normalize(true, "app_Port"), "app_Port");
/// ```
#[must_use]
pub fn normalize(case_sensitive: bool, name: &str) -> String {
    if case_sensitive {
        name.to_owned()
    } else {
        name.to_ascii_uppercase()
    }
}
