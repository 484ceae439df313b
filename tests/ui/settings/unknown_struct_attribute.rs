use confidant::Settings;

#[derive(Settings)]
#[settings(prefx = "APP_")]
struct Config {
    port: u16,
}

fn main() {}
