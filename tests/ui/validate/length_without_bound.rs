use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(length(message = "too short"))]
    name: String,
}

fn main() {}
