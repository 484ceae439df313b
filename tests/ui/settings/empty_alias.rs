use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[settings(alias = "")]
    port: u16,
}

fn main() {}
