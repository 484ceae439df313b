//! `default =` with nothing after it: the derive needs an expression, and says so at
//! the comma.
use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[settings(default = , env = "PORT")]
    port: u16,
}

fn main() {}
