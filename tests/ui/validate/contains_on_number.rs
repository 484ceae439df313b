use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(contains(pattern = "1"))]
    port: u16,
}

fn main() {}
