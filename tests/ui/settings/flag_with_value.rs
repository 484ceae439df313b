use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[settings(nested = true)]
    db: Db,
}

#[derive(Settings)]
struct Db {
    port: u16,
}

fn main() {}
