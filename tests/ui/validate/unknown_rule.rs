use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(lenght(min = 2))]
    name: String,
}

fn main() {}
