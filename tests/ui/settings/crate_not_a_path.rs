use confidant::Settings;

#[derive(Settings)]
#[settings(crate = "my framework")]
struct Config {
    port: u16,
}

fn main() {}
