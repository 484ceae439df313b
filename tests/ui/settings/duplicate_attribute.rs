use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[settings(env = "PORT", env = "HTTP_PORT")]
    port: u16,
}

fn main() {}
