//! Redactor throughput: a 100 MB log with 20 secrets, redacted in one pass, through
//! `Redactor::redact` and through `Redactor::writer`; beside each, the same for the
//! raw-form redactor (`Redactor::__raw_forms_only`: the secrets' texts only, without their
//! escaped, percent-encoded and base64 forms), measured in the same run, the baseline of
//! SPEC's "at least two thirds of the raw-form redactor's throughput".
//!
//! ```text
//! cargo bench -p confidant-benches --bench redact
//! ```
//!
//! Two logs: `rare` has a secret in one line of 100 (a leak that slipped through), `dense`
//! in one line of 5. Under `cargo test` (no `--bench` argument) the log is 1 MB and each
//! benchmark runs once.

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write as _;

use confidant::{REDACTED, Redactor};
use criterion::{Criterion, Throughput};

const BENCH_SIZE: usize = 100 * 1000 * 1000;
const TEST_SIZE: usize = 1000 * 1000;

/// Twenty secrets shaped like the API keys services hold.
fn secrets() -> Vec<String> {
    let shapes = [
        "sk-proj-",
        "sk-ant-api03-",
        "ghp_",
        "AKIA",
        "xoxb-",
        "glpat-",
        "hf_",
        "AIza",
        "sk_live_",
        "whsec_",
    ];
    (0..20)
        .map(|i| {
            let body: String = (0..32)
                .map(|j| {
                    let x = (i * 131 + j * 17 + 7) % 36;
                    char::from_digit(x as u32, 36).unwrap()
                })
                .collect();
            format!("{}{body}", shapes[i % shapes.len()])
        })
        .collect()
}

/// A log of about `size` bytes; one line of `every` holds a secret.
fn log(size: usize, secrets: &[String], every: usize) -> String {
    let mut out = String::with_capacity(size + 256);
    let mut i = 0usize;
    while out.len() < size {
        let _ = write!(
            out,
            "2026-11-22T10:{:02}:{:02}.{:03}Z INFO http: request method=POST path=/v1/chat/completions status=200 latency_ms={} request_id={:016x}",
            (i / 60000) % 60,
            (i / 1000) % 60,
            i % 1000,
            i % 997,
            i.wrapping_mul(0x9e37_79b9_7f4a_7c15),
        );
        if i.is_multiple_of(every) {
            let _ = write!(
                out,
                " header=\"Authorization: Bearer {}\"",
                secrets[(i / every) % secrets.len()]
            );
        }
        out.push('\n');
        i += 1;
    }
    out
}

/// `--count <which> [every]`: builds a log of 10 MB with a secret in one line of `every`
/// (100 by default: the rare log) and redacts it once with one redactor (`none` builds
/// the log only), for instruction counts under callgrind, which a loaded
/// machine does not disturb: `bash benches/redact-count.sh`.
fn count(which: &str, every: usize) {
    let secrets = secrets();
    let text = log(10 * 1000 * 1000, &secrets, every);
    let full = Redactor::new(&secrets);
    let raw = Redactor::__raw_forms_only(&secrets);
    let len = match which {
        "none" => text.len(),
        "full" => full.redact(&text).len(),
        "raw" => raw.redact(&text).len(),
        "full-writer" | "raw-writer" => {
            let redactor = if which == "full-writer" { &full } else { &raw };
            let mut w = redactor.writer(Vec::with_capacity(text.len()));
            w.write_all(text.as_bytes()).unwrap();
            w.into_inner().unwrap().len()
        }
        other => panic!("--count none|full|raw|full-writer|raw-writer, not {other}"),
    };
    println!("{len}");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--count") {
        let every = args
            .get(i + 2)
            .map_or(100, |e| e.parse().expect("a number of lines"));
        return count(&args[i + 1], every);
    }
    let bench = std::env::args().any(|a| a == "--bench");
    let size = if bench { BENCH_SIZE } else { TEST_SIZE };
    let secrets = secrets();
    let redactor = Redactor::new(&secrets);
    assert_eq!(redactor.secrets(), 20);
    let raw = Redactor::__raw_forms_only(&secrets);

    let mut c = Criterion::default().configure_from_args();
    for (name, every) in [("rare", 100), ("dense", 5)] {
        let text = log(size, &secrets, every);
        let lines = text.lines().count();
        let clean = redactor.redact(&text);
        assert_eq!(
            clean.matches(REDACTED).count(),
            lines.div_ceil(every),
            "every secret in the log is redacted"
        );
        assert!(secrets.iter().all(|s| !clean.contains(s.as_str())));
        assert_eq!(clean, raw.redact(&text), "the log holds no other form");
        drop(clean);

        let mut g = c.benchmark_group(format!("redact_{name}"));
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.sample_size(10);
        g.warm_up_time(std::time::Duration::from_secs(1));
        g.measurement_time(std::time::Duration::from_secs(3));
        for (column, redactor) in [("", &redactor), ("raw_forms_", &raw)] {
            g.bench_function(format!("{column}redact"), |b| {
                b.iter(|| black_box(redactor.redact(black_box(&text))).len())
            });
            g.bench_function(format!("{column}writer"), |b| {
                b.iter(|| {
                    let mut w = redactor.writer(std::io::sink());
                    w.write_all(black_box(text.as_bytes())).unwrap();
                    w.flush().unwrap();
                })
            });
        }
        g.finish();
    }
    c.final_summary();
    if bench {
        paired(&secrets, &redactor, &raw);
    }
}

/// The full redactor against the raw-form one, interleaved: one `redact` of each per
/// round, 15 rounds, the fastest of each kept. On a shared machine criterion's
/// columns are measured seconds apart under different loads; alternating and keeping
/// each one's best time compares them under the same conditions.
fn paired(secrets: &[String], full: &Redactor, raw: &Redactor) {
    use std::time::{Duration, Instant};
    for (name, every) in [("rare", 100), ("dense", 5)] {
        let text = log(BENCH_SIZE, secrets, every);
        // [redact, writer] × [full, raw forms]
        let mut best = [[Duration::MAX; 2]; 2];
        for _ in 0..15 {
            for (i, redactor) in [full, raw].into_iter().enumerate() {
                let start = Instant::now();
                black_box(redactor.redact(black_box(&text)).len());
                best[0][i] = best[0][i].min(start.elapsed());
                let start = Instant::now();
                let mut w = redactor.writer(std::io::sink());
                w.write_all(black_box(text.as_bytes())).unwrap();
                w.flush().unwrap();
                drop(w);
                best[1][i] = best[1][i].min(start.elapsed());
            }
        }
        let gib = |d: Duration| text.len() as f64 / d.as_secs_f64() / f64::from(1u32 << 30);
        for (path, [full, raw]) in ["redact", "writer"].into_iter().zip(best) {
            println!(
                "paired {name} {path}: full {:.2} GiB/s, raw forms {:.2} GiB/s, full / raw forms {:.2}",
                gib(full),
                gib(raw),
                raw.as_secs_f64() / full.as_secs_f64()
            );
        }
    }
}
