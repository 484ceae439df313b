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

// The forms logs hold (SPEC, wave 3, "The redactor sees the forms logs hold").

/// Holds `"` and `\`: its `{:?}` and JSON escapes differ from its text.
const QUOTED: &str = r#"pa"ss\word-1"#;
/// Holds a newline.
const MULTILINE: &str = "line1\nline2-secret";
/// Holds characters outside RFC 3986's unreserved set, one of them not ASCII.
const URLISH: &str = "p@ss/w0rd:é!x";
const BASIC_PASSWORD: &str = "hunter2hunter2";

fn forms_redactor() -> Redactor {
    Redactor::new([QUOTED, MULTILINE, URLISH, BASIC_PASSWORD])
}

fn b64(engine: &base64::engine::GeneralPurpose, bytes: &[u8]) -> String {
    use base64::Engine as _;
    engine.encode(bytes)
}

#[test]
fn debug_and_json_escapes_are_redacted() {
    let redactor = forms_redactor();
    for secret in [QUOTED, MULTILINE] {
        let debug = format!("{secret:?}");
        let json = serde_json::to_string(secret).unwrap();
        let json_of_debug = serde_json::to_string(&debug).unwrap();
        assert_ne!(&debug[1..debug.len() - 1], secret);
        for (form, quoted, want) in [
            ("debug", &debug, r#""[REDACTED]""#),
            ("json", &json, r#""[REDACTED]""#),
            // The `{:?}` quotes, escaped in the JSON string, stay.
            ("json of debug", &json_of_debug, r#""\"[REDACTED]\"""#),
        ] {
            let line = format!("event password={quoted} done");
            let out = redactor.redact(&line);
            assert_eq!(
                out,
                format!("event password={want} done"),
                "{form} of {secret:?}: {line}"
            );
        }
    }
}

#[test]
fn percent_encodings_are_redacted_in_either_hex_case() {
    let redactor = forms_redactor();
    // Every byte outside the unreserved set encoded: upper and lower case hex.
    let upper = "p%40ss%2Fw0rd%3A%C3%A9%21x";
    let lower = "p%40ss%2fw0rd%3a%c3%a9%21x";
    // As URL userinfo (the WHATWG set, the `url` crate's): `!` stays.
    let userinfo = "p%40ss%2Fw0rd%3A%C3%A9!x";
    for encoded in [upper, lower, userinfo] {
        let url = format!("https://svc:{encoded}@db.internal:5432/app");
        assert_eq!(
            redactor.redact(&url),
            "https://svc:[REDACTED]@db.internal:5432/app",
            "{encoded}"
        );
    }
    // A secret of unreserved characters only has no encoded form to look for.
    assert_eq!(
        redactor.redact("q=hunter2%20hunter2"),
        "q=hunter2%20hunter2"
    );
}

#[test]
fn basic_auth_header_is_redacted() {
    use base64::engine::general_purpose::STANDARD;
    let redactor = forms_redactor();
    for user in ["u", "al", "bob", "admin:x"] {
        let header = format!(
            "Authorization: Basic {}",
            b64(&STANDARD, format!("{user}:{BASIC_PASSWORD}").as_bytes())
        );
        let out = redactor.redact(&header);
        assert!(out.starts_with("Authorization: Basic "), "{out}");
        assert!(out.contains("[REDACTED]"), "{user}: {header} -> {out}");
        // What is left is the user's part and at most two characters at each edge of
        // the password (padding included).
        let left: String = out["Authorization: Basic ".len()..].replace("[REDACTED]", "");
        let user_part = (8 * (user.len() + 1)).div_ceil(6);
        assert!(left.len() <= user_part + 4, "{user}: {out}");
    }
}

/// Base64 of the secret inside a longer text, at every alignment, standard and
/// URL-safe: the characters that encode only the secret's bits are gone.
#[test]
fn base64_at_any_alignment_is_redacted() {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let redactor = forms_redactor();
    for secret in [QUOTED, MULTILINE, URLISH, BASIC_PASSWORD] {
        for prefix in ["", "a", "ab", "abc", "{\"k\":\"v\",\"password\":\""] {
            for suffix in ["", "z", "\"}"] {
                let data = format!("{prefix}{secret}{suffix}");
                for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
                    let encoded = b64(engine, data.as_bytes());
                    // Characters `from..to` encode bits of the secret alone.
                    let from = (8 * prefix.len()).div_ceil(6);
                    let to = 8 * (prefix.len() + secret.len()) / 6;
                    let inner = &encoded[from..to];
                    let text = format!("payload={encoded};");
                    let out = redactor.redact(&text);
                    assert!(
                        !out.contains(inner),
                        "{secret:?} after {prefix:?}: {encoded} -> {out}"
                    );
                    assert!(out.starts_with("payload=") && out.ends_with(';'), "{out}");
                }
            }
        }
    }
}

#[test]
fn text_without_any_form_of_a_secret_is_unchanged() {
    use base64::engine::general_purpose::STANDARD;
    let redactor = forms_redactor();
    let text = format!(
        "GET /a%2Fb?q=%22x%22 \"quoted \\\"text\\\"\" Basic {} id=0123456789abcdefABCDEF+/-_ line1 line2-secret",
        b64(&STANDARD, b"user:another-password")
    );
    let out = redactor.redact(&text);
    assert!(matches!(out, std::borrow::Cow::Borrowed(_)), "{out}");
}

#[test]
fn forms_of_overlapping_secrets_are_replaced_whole() {
    use base64::engine::general_purpose::STANDARD;
    // Two secrets side by side in one base64 text, and a raw secret touching a form.
    let a = "first-secret-aaaa";
    let b = "second-secret-bbbb";
    let redactor = Redactor::new([a, b, QUOTED]);
    let encoded = b64(&STANDARD, format!("{a}{b}").as_bytes());
    let out = redactor.redact(&encoded);
    // Left: the character that holds bits of both, and the last one with the padding.
    assert_eq!(out.matches("[REDACTED]").count(), 2, "{encoded} -> {out}");
    assert!(
        out.replace("[REDACTED]", "").len() <= 4,
        "{encoded} -> {out}"
    );
    let debug = format!("{QUOTED:?}");
    let inner = &debug[1..debug.len() - 1];
    assert_eq!(
        redactor.redact(&format!("{a}{inner}")),
        "[REDACTED][REDACTED]"
    );
    // The base64 of `a` overlapping a raw match of `b`: one span, replaced once.
    let a64 = b64(&STANDARD, a.as_bytes());
    let text = format!("{a64}{b}");
    let out = redactor.redact(&text);
    assert!(
        !out.contains(b) && out.matches("[REDACTED]").count() <= 2,
        "{out}"
    );
}

#[test]
fn writers_redact_forms_split_across_writes_and_buffers() {
    use base64::engine::general_purpose::STANDARD;
    let redactor = forms_redactor();
    let json = serde_json::to_string(QUOTED).unwrap();
    let basic = b64(&STANDARD, format!("bob:{BASIC_PASSWORD}").as_bytes());
    let line = format!(
        "{{\"password\":{json}}} Authorization: Basic {basic} url=https://svc:p%40ss%2Fw0rd%3A%C3%A9%21x@db\n"
    );
    let want = redactor.redact(&line).into_owned();
    assert_eq!(want.matches("[REDACTED]").count(), 3, "{want}");
    // Byte by byte.
    let mut out = redactor.writer(Vec::new());
    for byte in line.as_bytes() {
        out.write_all(&[*byte]).unwrap();
    }
    assert_eq!(String::from_utf8(out.into_inner().unwrap()).unwrap(), want);
    // In a line longer than the writer's 64 KiB buffer, around every cut.
    let filler = "x".repeat(70_000);
    let long = format!("{filler}{}{filler}{}", line.trim_end(), line);
    let want = redactor.redact(&long).into_owned();
    assert_eq!(want.matches("[REDACTED]").count(), 6);
    for chunk in [1, 7, 4096, 65_536] {
        let mut out = redactor.writer(Vec::new());
        for piece in long.as_bytes().chunks(chunk) {
            out.write_all(piece).unwrap();
        }
        assert_eq!(
            String::from_utf8(out.into_inner().unwrap()).unwrap(),
            want,
            "chunks of {chunk}"
        );
    }
}

/// A JSON log line as `tracing_subscriber::fmt().json()` writes it: serde_json escapes
/// the message (formatted with the secret's `{:?}` here) and each field.
#[test]
fn json_log_lines_are_redacted() {
    let redactor = forms_redactor();
    let line = serde_json::json!({
        "timestamp": "2026-12-07T02:00:00.000000Z",
        "level": "INFO",
        "fields": {
            "message": format!("login with {QUOTED:?} and {MULTILINE}"),
            "password": QUOTED,
            "debug_password": format!("{MULTILINE:?}"),
        },
        "target": "app",
    })
    .to_string();
    let out = redactor.redact(&line);
    let parsed: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
    assert_eq!(
        parsed["fields"]["message"],
        "login with \"[REDACTED]\" and [REDACTED]"
    );
    assert_eq!(parsed["fields"]["password"], "[REDACTED]");
    assert_eq!(parsed["fields"]["debug_password"], "\"[REDACTED]\"");
}

#[cfg(feature = "tracing")]
#[test]
fn tracing_fields_recorded_with_debug_are_redacted() {
    let redactor = forms_redactor();
    let shared = common::Captured::default();
    let sink = shared.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(confidant::RedactingMakeWriter::new(redactor, move || {
            sink.clone()
        }))
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        tracing::info!(password = QUOTED, multiline = ?MULTILINE, "login {URLISH:?}");
    });
    let out = shared.text();
    assert!(
        out.contains(r#"login "[REDACTED]" password="[REDACTED]" multiline="[REDACTED]""#),
        "{out}"
    );
}

#[test]
fn the_raw_form_redactor_misses_what_the_full_one_catches() {
    // The bench's baseline: the same texts, none of the forms.
    let raw = Redactor::__raw_forms_only([QUOTED]);
    let json = serde_json::to_string(QUOTED).unwrap();
    assert_eq!(raw.redact(&json), json);
    assert_eq!(Redactor::new([QUOTED]).redact(&json), "\"[REDACTED]\"");
}
