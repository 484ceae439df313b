use confidant::Settings;

fn check_port(_: &u16) -> Result<(), confidant::ValidationError> {
    Ok(())
}

#[derive(Settings)]
struct Config {
    #[validate(custom(function = check_port))]
    name: String,
}

fn main() {}
