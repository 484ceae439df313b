use confidant::Settings;

#[derive(serde::Deserialize)]
struct Creds {
    user: String,
}

#[derive(Settings)]
struct Config {
    #[settings(secret, default = Creds { user: String::new() })]
    creds: Creds,
}

fn main() {}
