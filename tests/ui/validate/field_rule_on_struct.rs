use confidant::Settings;

#[derive(Settings)]
#[validate(length(min = 1))]
struct Config {
    name: String,
}

fn main() {}
