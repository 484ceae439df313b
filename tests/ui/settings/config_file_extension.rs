use confidant::Settings;

#[derive(Settings)]
#[settings(config_file = "myapp.ini")]
struct Config {
    port: u16,
}

fn main() {}
