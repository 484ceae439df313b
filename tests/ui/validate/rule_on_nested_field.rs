use confidant::Settings;

#[derive(Settings)]
struct Db {
    port: u16,
}

#[derive(Settings)]
struct Config {
    #[settings(nested)]
    #[validate(length(min = 1))]
    db: Db,
}

fn main() {}
