//! Reading a 5 MB `.env`: confidant (a load through the public API: the file read,
//! parsed, and its keys looked up among the settings) against dotenvy 0.15.7's
//! `from_read_iter` over the same file (every item read). Issue 23's target: confidant
//! within 1.5x of dotenvy.
//!
//! ```text
//! cargo bench -p confidant-benches --bench dotenv
//! ```
//!
//! The file holds lines both read alike (dotenvy would fail on the dotenv family's
//! unquoted inner spaces, so there are none): unquoted, double- and single-quoted
//! values, `export`, comments, `${NAME}` substitutions, a value over two lines. Under
//! `cargo test` (no `--bench` argument) the file is 50 kB and each benchmark runs once.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;

use confidant::{ExposeSecret, Secret, Settings};
use criterion::{Criterion, Throughput};

const BENCH_SIZE: usize = 5 * 1000 * 1000;
const TEST_SIZE: usize = 50 * 1000;

#[derive(Debug, Settings)]
#[settings(case_sensitive)]
struct Config {
    #[settings(env = "SERVICE_URL")]
    url: String,
    #[settings(env = "SERVICE_PORT")]
    port: u16,
    #[settings(env = "SERVICE_API_KEY")]
    api_key: Secret<String>,
}

/// About `size` bytes of `.env`, ending with the three settings.
fn dotenv_text(size: usize) -> String {
    let mut out = String::with_capacity(size + 256);
    let mut i = 0usize;
    while out.len() < size {
        let _ = match i % 8 {
            0 => writeln!(out, "# group {i}: settings of another service"),
            1 => writeln!(out, "OTHER_HOST_{i}=host-{i}.internal.example.com"),
            2 => writeln!(out, "OTHER_NAME_{i}=\"a quoted value with spaces {i}\""),
            3 => writeln!(out, "export OTHER_TOKEN_{i}='tok-{i:016x}-literal $NOT'"),
            4 => writeln!(
                out,
                "OTHER_URL_{i}=\"https://${{OTHER_HOST_{}}}:8443/v1\"",
                i - 3
            ),
            5 => writeln!(
                out,
                "OTHER_PORT_{i} = {} # inline comment",
                1000 + i % 60000
            ),
            6 => writeln!(out, "OTHER_PEM_{i}=\"-----BEGIN KEY-----\nMIIB{i:032x}\""),
            _ => writeln!(out),
        };
        i += 1;
    }
    out.push_str("SERVICE_URL=https://svc.example.com\nSERVICE_PORT=8443\nSERVICE_API_KEY=\"sk-bench-0123456789\"\n");
    out
}

fn confidant_reads(path: &Path) -> Config {
    Config::loader()
        .env_vars([("UNRELATED", "1")])
        .no_secrets_dir()
        .dotenv(path)
        .load()
        .unwrap()
}

fn dotenvy_reads(path: &Path) -> usize {
    let file = std::fs::File::open(path).unwrap();
    dotenvy::from_read_iter(file)
        .map(|item| item.unwrap().1.len())
        .sum()
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let size = if bench { BENCH_SIZE } else { TEST_SIZE };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    let text = dotenv_text(size);
    std::fs::write(&path, &text).unwrap();

    // Both read the whole file, alike.
    let cfg = confidant_reads(&path);
    assert_eq!(cfg.port, 8443);
    assert_eq!(cfg.api_key.expose_secret(), "sk-bench-0123456789");
    let items = dotenvy::from_read_iter(text.as_bytes())
        .map(|item| item.unwrap())
        .collect::<Vec<_>>();
    assert_eq!(items.last().unwrap().1, "sk-bench-0123456789");
    assert!(
        items
            .iter()
            .any(|(k, v)| k == "OTHER_URL_4" && v == "https://host-1.internal.example.com:8443/v1")
    );

    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("dotenv_5mb");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(20);
    g.bench_function("confidant_load", |b| {
        b.iter(|| black_box(confidant_reads(black_box(&path))).port)
    });
    g.bench_function("dotenvy_from_read_iter", |b| {
        b.iter(|| dotenvy_reads(black_box(&path)))
    });
    g.finish();
    c.final_summary();
}
