use std::collections::HashMap;

use confidant::{Secret, Settings};

type ApiKey = Secret<String>;

#[derive(Settings)]
struct Config {
    #[settings(default = "sk-123")]
    api_key: ApiKey,
    #[settings(default)]
    provider_keys: HashMap<String, Secret<String>>,
    #[settings(default)]
    accepted_keys: Option<Vec<ApiKey>>,
}

fn main() {}
