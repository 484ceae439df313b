use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate]
    name: String,
}

fn main() {}
