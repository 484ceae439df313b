use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(email)]
    port: u16,
}

fn main() {}
