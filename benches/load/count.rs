//! Instruction counts of one loader, for `valgrind --tool=callgrind` (steady where a
//! shared machine makes wall-clock figures swing): `benches/load/count.sh` runs this with
//! exactly a scenario's environment and prints instructions per load.
//!
//! ```text
//! count env <fields> <unrelated>                    print the scenario's environment
//! count run <loader> <fields> <iterations>           load that many times
//! ```
//!
//! Loaders: `confidant`, `confidant_cs`, `hand_snapshot`, `envy`, `confique`.

mod scenario;
#[rustfmt::skip]
#[allow(dead_code)]
mod structs;

use std::hint::black_box;

use confidant::Settings as _;

macro_rules! load {
    ($n:path, $loader:expr, $iterations:expr) => {{
        use $n as n;
        for _ in 0..$iterations {
            match $loader {
                "confidant" => {
                    black_box(
                        n::Confidant::loader()
                            .no_dotenv()
                            .no_secrets_dir()
                            .load()
                            .unwrap(),
                    );
                }
                "confidant_cs" => {
                    black_box(
                        n::ConfidantCs::loader()
                            .no_dotenv()
                            .no_secrets_dir()
                            .load()
                            .unwrap(),
                    );
                }
                "hand_snapshot" => {
                    black_box(n::by_snapshot().unwrap());
                }
                "envy" => {
                    black_box(envy::prefixed("APP_").from_env::<n::Envy>().unwrap());
                }
                "confique" => {
                    black_box(
                        <n::Confique as confique::Config>::builder()
                            .env()
                            .load()
                            .unwrap(),
                    );
                }
                other => panic!("no loader {other}"),
            }
        }
    }};
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or_default();
    let number = |i: usize| arg(i).parse::<usize>().expect("a number");
    match arg(0) {
        "env" => {
            let env = scenario::settings_env(number(1));
            for (name, value) in env {
                println!("{name}={value}");
            }
            for (name, value) in scenario::unrelated_vars(number(2)) {
                println!("{name}={value}");
            }
        }
        "run" => match number(2) {
            10 => load!(structs::n10, arg(1), number(3)),
            50 => load!(structs::n50, arg(1), number(3)),
            200 => load!(structs::n200, arg(1), number(3)),
            n => panic!("no struct of {n} fields"),
        },
        _ => panic!(
            "usage: count env <fields> <unrelated> | count run <loader> <fields> <iterations>"
        ),
    }
}
