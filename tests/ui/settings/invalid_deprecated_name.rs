use confidant::Settings;

#[derive(Settings)]
#[settings(prefix = "APP_")]
struct Config {
    #[settings(deprecated = "APP.OLD_PORT", deprecated = "")]
    port: u16,
    #[settings(nested, deprecated = "APP_DB")]
    db: Db,
}

#[derive(Settings)]
struct Db {
    host: String,
}

fn main() {}
