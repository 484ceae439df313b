use confidant::Settings;

#[derive(Settings)]
#[validate(schema(code = "x"))]
struct Config {
    name: String,
}

fn main() {}
