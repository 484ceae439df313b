use confidant::Settings;

struct Plain {
    port: u16,
}

#[derive(Settings)]
struct Config {
    #[settings(nested)]
    plain: Plain,
}

fn main() {}
