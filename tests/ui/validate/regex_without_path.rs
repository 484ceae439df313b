use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(regex)]
    name: String,
}

fn main() {}
