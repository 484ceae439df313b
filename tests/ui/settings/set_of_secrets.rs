use std::collections::HashSet;

use confidant::{Secret, Settings};

#[derive(Settings)]
struct Config {
    accepted_keys: HashSet<Secret<String>>,
}

fn main() {}
