use confidant::{Secret, Settings};

// Three unrelated mistakes: all three are reported, and `Config::load()` below adds
// no follow-up error.
#[derive(Settings)]
#[settings(prefix = "APP_", colour = "blue")]
struct Config {
    #[settings(default = "x")]
    token: Secret<String>,
    #[settings(env = "")]
    port: u16,
}

fn main() {
    let _ = Config::load();
}
