// Built with `--no-default-features`: `email` and `url` need the `url` feature.
use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(email)]
    admin: String,
    #[validate(url)]
    homepage: confidant::Secret<String>,
}

fn main() {}
