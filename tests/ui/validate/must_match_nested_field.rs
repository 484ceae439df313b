use confidant::Settings;

#[derive(Settings)]
struct Db {
    port: u16,
}

#[derive(Settings)]
struct Config {
    #[validate(must_match(other = "db"))]
    port: u16,
    #[settings(nested)]
    db: Db,
}

fn main() {}
