use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(must_match(other = "pasword"))]
    password_again: String,
    password: String,
}

fn main() {}
