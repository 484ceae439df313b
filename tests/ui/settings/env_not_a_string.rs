use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[settings(env = PORT)]
    port: u16,
}

fn main() {}
