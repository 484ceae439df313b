use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(lenght(min = 2))]
    name: String,
    #[validate(required)]
    port: u16,
    #[validate(range(min = 1, maximum = 2))]
    workers: u8,
}

fn main() {}
