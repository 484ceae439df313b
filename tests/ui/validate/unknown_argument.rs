use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(range(min = 1, maximum = 10))]
    port: u16,
}

fn main() {}
