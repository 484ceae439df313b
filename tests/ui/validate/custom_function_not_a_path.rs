use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(custom(function = 1 + 2))]
    name: String,
}

fn main() {}
