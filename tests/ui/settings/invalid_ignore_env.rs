use confidant::Settings;

#[derive(Settings)]
#[settings(ignore_env = "SVC_*_X")]
struct Config {
    port: u16,
}

fn main() {}
