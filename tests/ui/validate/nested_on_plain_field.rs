use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(nested)]
    name: String,
}

fn main() {}
