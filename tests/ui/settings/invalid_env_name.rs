use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[settings(env = "HTTP-PORT")]
    port: u16,
}

fn main() {}
