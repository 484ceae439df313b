use confidant::{Secret, Settings};

#[derive(Settings)]
struct Config {
    #[settings(default = "sk-123")]
    api_key: Secret<String>,
}

fn main() {}
