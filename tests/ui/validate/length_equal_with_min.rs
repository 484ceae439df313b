use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(length(equal = 4, min = 1))]
    pin: String,
}

fn main() {}
