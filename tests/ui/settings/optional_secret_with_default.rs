use confidant::{Secret, Settings};

#[derive(Settings)]
struct Config {
    #[settings(default)]
    api_key: Option<Secret<String>>,
}

fn main() {}
