use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(length(min = 2))]
    port: Option<u16>,
}

fn main() {}
