use confidant::Settings;

#[derive(Settings)]
struct Config {
    #[settings(defualt = 5)]
    port: u16,
}

fn main() {}
