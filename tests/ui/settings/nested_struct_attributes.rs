use confidant::Settings;

#[derive(Settings)]
#[settings(prefix = "APP_")]
struct Config {
    #[settings(nested)]
    db: Db,
    #[settings(nested)]
    cache: Cache,
}

// Each of these would be ignored when `Db` is loaded as a field of `Config`.
#[derive(Settings)]
#[settings(prefix = "DB_", secrets_dir = "/run/secrets/db")]
struct Db {
    host: String,
}

#[derive(Settings)]
#[settings(dotenv = "cache.env", case_sensitive)]
struct Cache {
    url: String,
}

fn main() {}
