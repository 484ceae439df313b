use confidant::{Secret, Settings};

type ApiKey = Secret<String>;

#[derive(Settings)]
struct Db {
    port: u16,
}

// An attribute error does not hide what only the compiler can tell of the types.
#[derive(Settings)]
struct Config {
    #[settings(defualt = 1)]
    retries: u8,
    #[settings(secret)]
    password: String,
    #[settings(default = "sk-0")]
    api_key: ApiKey,
    db: Db,
}

fn main() {}
