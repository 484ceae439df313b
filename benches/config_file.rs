//! Loading a 200-key TOML config file: confidant (a load through the public API: the
//! file read, checked, parsed with spans, each key looked up among the settings and each
//! value parsed into its field) against `toml::from_str` into an equivalent serde struct
//! and figment's `Toml` provider + `extract` (both also reading the file). Issue 26's
//! target: confidant within 1.5x of `toml::from_str`, and faster than figment.
//!
//! ```text
//! cargo bench -p confidant-benches --bench config_file
//! ```
//!
//! `bash benches/config_file_count.sh` prints instructions per load of each (callgrind:
//! steady on a loaded machine, where the times above swing).
//!
//! The structs are the load benchmark's 200-field ones (`load/structs.rs`): 196 top-level
//! keys of ten types and a `[db]` table of four. Under `cargo test` each benchmark runs
//! once.

use std::hint::black_box;
use std::path::Path;

use confidant::Settings as _;
use criterion::Criterion;
use figment::Figment;
use figment::providers::{Format, Toml};

#[path = "load/structs.rs"]
mod structs;

use structs::n200;

/// The 200 settings of `n200::ENV` as a TOML document: `APP_FIELD7` is `field7`,
/// `APP_DB__PORT` is `port` under `[db]`; numbers and booleans bare, the rest quoted.
fn toml_text() -> String {
    let value = |v: &str| {
        if v.parse::<f64>().is_ok() || v == "true" || v == "false" {
            v.to_owned()
        } else {
            format!("{v:?}")
        }
    };
    let mut top = String::from("# 196 settings, then the database's four\n");
    let mut db = String::from("\n[db]\n");
    for (name, v) in n200::ENV {
        let name = name.strip_prefix("APP_").unwrap().to_ascii_lowercase();
        match name.strip_prefix("db__") {
            Some(key) => db.push_str(&format!("{key} = {}\n", value(v))),
            None => top.push_str(&format!("{name} = {}\n", value(v))),
        }
    }
    top + &db
}

fn confidant_reads(path: &Path) -> n200::Confidant {
    n200::Confidant::loader()
        .env_vars([("UNRELATED", "1")])
        .no_dotenv()
        .no_secrets_dir()
        .config_file(path)
        .load()
        .unwrap()
}

fn toml_reads(path: &Path) -> n200::Plain {
    let text = std::fs::read_to_string(path).unwrap();
    toml::from_str(&text).unwrap()
}

fn figment_reads(path: &Path) -> n200::Plain {
    Figment::from(Toml::file(path)).extract().unwrap()
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("myapp.toml");
    std::fs::write(&path, toml_text()).unwrap();

    // `CONFIDANT_COUNT=<reader>:<iterations>`: only that, for callgrind.
    if let Ok(count) = std::env::var("CONFIDANT_COUNT") {
        let (reader, n) = count.split_once(':').unwrap();
        for _ in 0..n.parse::<u32>().unwrap() {
            match reader {
                "confidant" => drop(black_box(confidant_reads(&path))),
                "toml" => drop(black_box(toml_reads(&path))),
                "figment" => drop(black_box(figment_reads(&path))),
                other => panic!("no reader {other}"),
            }
        }
        return;
    }

    // The three read the same values.
    let (c, t, f) = (
        confidant_reads(&path),
        toml_reads(&path),
        figment_reads(&path),
    );
    assert_eq!((c.field1, c.db.port), (t.field1, t.db.port));
    assert_eq!((t.field195, t.db.pool), (f.field195, f.db.pool));

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("config_file_200_keys");
    group.bench_function("confidant", |b| {
        b.iter(|| black_box(confidant_reads(&path)))
    });
    group.bench_function("toml_from_str", |b| b.iter(|| black_box(toml_reads(&path))));
    group.bench_function("figment_toml_extract", |b| {
        b.iter(|| black_box(figment_reads(&path)))
    });
    group.finish();
    c.final_summary();
}
