use std::path::PathBuf;

use confidant::Settings;

type Password = String;

#[derive(Settings)]
struct Config {
    #[settings(secret)]
    api_key: String,
    #[settings(secret)]
    password: Password,
    #[settings(secret)]
    pin: Option<u32>,
    #[settings(secret)]
    key_bytes: Vec<u8>,
    #[settings(secret)]
    key_path: PathBuf,
}

fn main() {}
