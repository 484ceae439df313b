use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(email(message = 5))]
    admin: String,
}

fn main() {}
