use confidant::{Settings, ValidationError};

#[derive(Settings)]
#[validate(schema(function = "check", skip_on_field_errors = "yes"))]
struct Config {
    name: String,
}

fn check(_: &Config) -> Result<(), ValidationError> {
    Ok(())
}

fn main() {}
