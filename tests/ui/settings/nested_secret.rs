use confidant::{Secret, Settings};

#[derive(Settings)]
struct Config {
    #[settings(nested)]
    db: Secret<String>,
}

fn main() {}
