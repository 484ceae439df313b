use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(contains)]
    name: String,
}

fn main() {}
