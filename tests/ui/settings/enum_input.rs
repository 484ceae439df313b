use confidant::Settings;

#[derive(Settings)]
enum Config {
    A,
}

fn main() {}
