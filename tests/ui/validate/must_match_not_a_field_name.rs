use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[validate(must_match(other = 1))]
    password_again: String,
    password: String,
}

fn main() {}
