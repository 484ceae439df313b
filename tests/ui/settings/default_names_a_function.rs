use confidant::Settings;

fn default_port() -> u16 {
    8080
}

#[derive(Settings)]
struct Config {
    #[settings(default = "default_port")]
    port: u16,
    #[settings(default = "enabled")]
    verbose: Option<bool>,
}

fn main() {}
