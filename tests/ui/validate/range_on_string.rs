use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(range(min = 1, max = 10))]
    name: String,
}

fn main() {}
