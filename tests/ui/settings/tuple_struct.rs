use confidant::Settings;

#[derive(Settings)]
struct Config(u16);

fn main() {}
