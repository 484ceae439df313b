use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(length(min = 1, min = 2))]
    name: String,
}

fn main() {}
