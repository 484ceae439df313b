use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[settings(nested)]
    db: Option<Db>,
}

#[derive(Settings)]
struct Db {
    port: u16,
}

fn main() {}
