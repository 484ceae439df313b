use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[settings(nested, env = "DB", alias = "DATABASE")]
    db: Db,
}

#[derive(Settings)]
struct Db {
    port: u16,
}

fn main() {}
