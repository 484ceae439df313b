use confidant::Settings;

#[derive(Settings)]
struct Config {
    password: String,
    #[validate(must_match(other = "password"))]
    port: u16,
}

fn main() {}
