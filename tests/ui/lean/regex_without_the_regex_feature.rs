// Built with `--no-default-features`: `regex` needs the `regex` feature (which also
// provides `confidant::regex::Regex`).
use confidant::Settings;

static PATTERN: &str = "^sk-";

#[derive(Settings)]
struct Config {
    #[validate(regex(path = PATTERN))]
    api_key: String,
}

fn main() {}
