use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(custom)]
    name: String,
}

fn main() {}
