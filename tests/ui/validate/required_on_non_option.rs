use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(required)]
    name: String,
}

fn main() {}
