use confidant::Settings;

struct Opaque;

#[derive(Settings)]
struct Config {
    thing: Opaque,
}

fn main() {}
