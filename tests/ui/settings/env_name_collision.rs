use confidant::Settings;

#[derive(Settings)]
#[settings(prefix = "APP_")]
struct Config {
    port: u16,
    #[settings(env = "app_port")]
    http_port: u16,
}

fn main() {}
