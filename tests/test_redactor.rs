//! `Redactor`: replaces loaded secrets in text, in writers and in tracing output.

mod common;

use std::io::Write;

use confidant::{MIN_SECRET_LEN, Redactor, Secret, Settings};

#[derive(Debug, Settings)]
#[allow(dead_code)] // reason: loaded for its secrets
struct Config {
    openai_api_key: Secret<String>,
    backup_key: Option<Secret<String>>,
    unset_key: Option<Secret<String>>,
    pin: Secret<String>,
    #[settings(nested)]
    db: Db,
    seed: Secret<u64>,
    #[settings(default = "public-value-123")]
    name: String,
}

#[derive(Debug, Settings)]
#[allow(dead_code)] // reason: loaded for its secrets
struct Db {
    password: Secret<String>,
}

const OPENAI: &str = "sk-canary-openai-3b8f1d";
const BACKUP: &str = "sk-canary-openai-3b8f1d-backup";
const DB_PASSWORD: &str = "db-canary-pw-77e1";

fn cfg() -> Config {
    common::env_only::<Config>(&[
        ("OPENAI_API_KEY", OPENAI),
        ("BACKUP_KEY", BACKUP),
        ("PIN", "1234"),
        ("DB__PASSWORD", DB_PASSWORD),
        ("SEED", "42424242424242"),
    ])
    .load()
    .unwrap()
}

#[test]
fn replaces_every_loaded_secret() {
    let redactor = cfg().redactor();
    let text = format!("a={OPENAI} b={DB_PASSWORD} c={OPENAI}, d={BACKUP}.");
    assert_eq!(
        redactor.redact(&text),
        "a=[REDACTED] b=[REDACTED] c=[REDACTED], d=[REDACTED]."
    );
}

#[test]
fn overlapping_secrets_are_replaced_whole() {
    // BACKUP starts with OPENAI: leftmost-longest replaces all of it, leaving no tail.
    let redactor = cfg().redactor();
    assert_eq!(redactor.redact(BACKUP), "[REDACTED]");
    assert_eq!(
        redactor.redact(&format!("{OPENAI}{DB_PASSWORD}")),
        "[REDACTED][REDACTED]"
    );
}

#[test]
fn text_without_secrets_is_borrowed_and_unchanged() {
    let redactor = cfg().redactor();
    let text = "public-value-123 ünïcödé 42424242424242";
    let out = redactor.redact(text);
    assert!(matches!(out, std::borrow::Cow::Borrowed(_)));
    assert_eq!(out, text);
    assert_eq!(Redactor::new::<[&str; 0]>([]).redact("x"), "x");
}

#[test]
fn short_secrets_and_non_string_secrets_are_left_alone() {
    let redactor = cfg().redactor();
    assert!("1234".len() < MIN_SECRET_LEN);
    assert_eq!(redactor.redact("port 1234"), "port 1234");
    assert_eq!(redactor.secrets(), 3);
    assert_eq!(redactor.too_short(), 1);
}

#[test]
fn debug_prints_counts_only() {
    let redactor = cfg().redactor();
    let debug = format!("{redactor:?} {redactor:#?}");
    assert!(
        debug.starts_with("Redactor { secrets: 3, too_short: 1 }"),
        "{debug}"
    );
    for canary in [OPENAI, BACKUP, DB_PASSWORD, "1234"] {
        assert!(!debug.contains(canary));
    }
    let writer = redactor.writer(Vec::new());
    let debug = format!("{writer:?}");
    assert!(!debug.contains(OPENAI), "{debug}");
}

#[test]
fn multibyte_text_around_secrets_survives() {
    let redactor = Redactor::new(["pässwörd-ünïcode"]);
    assert_eq!(redactor.redact("→pässwörd-ünïcode←"), "→[REDACTED]←");
}

#[test]
fn writer_redacts_secrets_split_across_writes() {
    let redactor = cfg().redactor();
    let mut out = redactor.writer(Vec::new());
    let (a, b) = OPENAI.split_at(7);
    write!(out, "key={a}").unwrap();
    write!(out, "{b} and ").unwrap();
    // Nothing of the line is passed on before it is complete.
    assert!(out.get_ref().is_empty());
    write!(out, "{DB_PASSWORD}\nnext {}", &OPENAI[..3]).unwrap();
    assert_eq!(out.get_ref(), b"key=[REDACTED] and [REDACTED]\n");
    write!(out, "{}", &OPENAI[3..]).unwrap();
    let bytes = out.into_inner().unwrap();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "key=[REDACTED] and [REDACTED]\nnext [REDACTED]"
    );
}

#[test]
fn writer_passes_on_the_rest_on_flush_and_drop() {
    let redactor = cfg().redactor();
    let mut sink = Vec::new();
    {
        let mut out = redactor.writer(&mut sink);
        write!(out, "a {OPENAI}").unwrap();
        out.flush().unwrap();
        write!(out, " b {DB_PASSWORD}").unwrap();
    }
    assert_eq!(
        String::from_utf8(sink).unwrap(),
        "a [REDACTED] b [REDACTED]"
    );
}

#[test]
fn writer_redacts_a_huge_line_written_byte_by_byte() {
    let redactor = cfg().redactor();
    let mut out = redactor.writer(Vec::new());
    let filler = "x".repeat(100_000);
    let text = format!("{filler}{OPENAI}{filler}{DB_PASSWORD}{filler}");
    for byte in text.as_bytes() {
        out.write_all(&[*byte]).unwrap();
    }
    // A line past the cap is passed on before it ends.
    assert!(!out.get_ref().is_empty());
    let bytes = out.into_inner().unwrap();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        format!("{filler}[REDACTED]{filler}[REDACTED]{filler}")
    );
}

#[test]
fn hundreds_of_secrets_are_all_replaced() {
    // Past the packed (SIMD) searcher's limit of 128 patterns the automaton takes over:
    // same leftmost-longest result. (Speed is measured in benches/redact.rs.)
    let secrets: Vec<String> = (0..500)
        .map(|i| format!("secret-value-{i:05}-canary"))
        .chain(["secret-value-00007-canary-and-longer".to_owned()])
        .collect();
    let redactor = Redactor::new(&secrets);
    assert_eq!(redactor.secrets(), 501);
    let line = "GET /api/v1/items?page=2 200 12ms user=alice\n";
    let mut log = line.repeat(1000);
    for i in [0, 7, 250, 499] {
        log.push_str(&format!("token={} ", secrets[i]));
    }
    log.push_str("token=secret-value-00007-canary-and-longer.");
    let out = redactor.redact(&log);
    assert!(!out.contains("canary"), "{}", &out[out.len() - 200..]);
    assert_eq!(out.matches("[REDACTED]").count(), 5);
    assert!(out.ends_with("token=[REDACTED]."));
}

#[cfg(feature = "tracing")]
#[test]
fn tracing_subscriber_output_is_redacted() {
    let redactor = cfg().redactor();
    let shared = common::Captured::default();
    let sink = shared.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(confidant::RedactingMakeWriter::new(redactor, move || {
            sink.clone()
        }))
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        tracing::info!(key = OPENAI, "calling the model with {DB_PASSWORD}");
        tracing::warn!("second event");
    });
    let out = shared.text();
    assert!(
        out.contains("calling the model with [REDACTED] key=\"[REDACTED]\""),
        "{out}"
    );
    assert!(out.contains("second event"), "{out}");
    assert!(!out.contains(OPENAI) && !out.contains(DB_PASSWORD), "{out}");
}
