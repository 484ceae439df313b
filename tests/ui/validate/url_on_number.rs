use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(url)]
    port: u16,
}

fn main() {}
