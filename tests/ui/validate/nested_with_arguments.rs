use confidant::Settings;

#[derive(Settings)]
struct Db {
    port: u16,
}

#[derive(Settings)]
struct Config {
    #[settings(nested)]
    #[validate(nested(deep))]
    db: Db,
}

fn main() {}
