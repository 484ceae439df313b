use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(range(min = 1))]
    api_key: confidant::Secret<String>,
}

fn main() {}
