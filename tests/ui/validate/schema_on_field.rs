use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(schema(function = check))]
    name: String,
}

fn main() {}
