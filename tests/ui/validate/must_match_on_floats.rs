use confidant::Settings;

#[derive(Settings)]
struct Config {
    ratio: f64,
    #[validate(must_match(other = "ratio"))]
    ratio_again: f64,
}

fn main() {}
