use std::collections::HashSet;

use confidant::{Secret, Settings};

// (`Secret<u64>`, not `Secret<String>`: rustc prints `String` with its full path when
// another crate of the build names a type `String`, which depends on the features.)
#[derive(Settings)]
struct Config {
    accepted_pins: HashSet<Secret<u64>>,
}

fn main() {}
