use confidant::Settings;

#[derive(Settings)]
struct Config<T> {
    value: T,
}

fn main() {}
