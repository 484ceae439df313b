use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[settings(nested, default)]
    db: Db,
}

#[derive(Settings, Default)]
struct Db {
    port: u16,
}

fn main() {}
