use confidant::Settings;

#[derive(Settings)]
#[settings(prefix = "APP.")]
struct Config {
    port: u16,
}

fn main() {}
