use confidant::Settings;

#[derive(Settings)]
#[settings(prefix = "APP_")]
struct Config {
    #[settings(nested)]
    db: Db,
}

// A nested struct's config file would be ignored: only the top struct's is read.
#[derive(Settings)]
#[settings(config_file = "db.toml")]
struct Db {
    host: String,
}

fn main() {}
