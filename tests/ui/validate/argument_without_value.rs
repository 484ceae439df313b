use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(length(min, max = 64))]
    name: String,
}

fn main() {}
