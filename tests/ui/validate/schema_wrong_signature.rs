use confidant::Settings;

fn check(_: &str) -> Result<(), confidant::ValidationError> {
    Ok(())
}

#[derive(Settings)]
#[validate(schema(function = check))]
struct Config {
    name: String,
}

fn main() {}
