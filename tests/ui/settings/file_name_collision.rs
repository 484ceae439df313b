use confidant::{Secret, Settings};

#[derive(Settings)]
#[settings(prefix = "APP_")]
struct Config {
    ssl_key: Secret<String>,
    ssl_key_file: String,
    token: Secret<String>,
    #[settings(env = "app_token_file")]
    token_path: String,
}

fn main() {}
