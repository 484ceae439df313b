use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(range(message = "out of range"))]
    port: u16,
}

fn main() {}
