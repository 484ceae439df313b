use confidant::Settings;

#[derive(Settings)]
struct Db {
    #[settings(default = 5432)]
    port: u16,
}

#[derive(Settings)]
struct Config {
    #[settings(nested, restart)]
    db: Db,
}

fn main() {}
