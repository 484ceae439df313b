use confidant::Settings;

static RE: std::sync::LazyLock<confidant::regex::Regex> =
    std::sync::LazyLock::new(|| confidant::regex::Regex::new("^a").unwrap());

#[derive(Settings)]
struct Config {
    #[validate(regex(path = *RE))]
    port: u16,
}

fn main() {}
