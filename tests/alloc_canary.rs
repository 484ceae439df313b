//! No stray copies: a global allocator that scans every freed block for a canary
//! proves that a secret read from a file leaves no un-wiped copy behind in freed memory.
//!
//! This is the only test with `unsafe`: a `#[global_allocator]` must implement the
//! `unsafe trait GlobalAlloc`, and reading a block just before it is freed needs a raw
//! pointer. There is no safe way to observe freed heap memory. The library itself keeps
//! `#![forbid(unsafe_code)]`; the workspace lint is `deny` so that this one test target
//! can allow it.
#![allow(unsafe_code)]
#![cfg(unix)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::fs;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use confidant::{ExposeSecret, Secret, Settings};

/// Distinctive bytes that occur nowhere else on the heap.
const CANARY: &[u8] = b"zq-canary-5e1d0b7a-secret";

/// Freed (or moved-away-from) blocks that held the canary.
static HITS: AtomicUsize = AtomicUsize::new(0);

struct Scanning;

fn holds_canary(ptr: *const u8, size: usize) -> bool {
    if size < CANARY.len() {
        return false;
    }
    // SAFETY: `ptr` is a live block of `size` bytes handed to us by the caller of
    // `dealloc`/`realloc`, not yet freed. No allocation happens here.
    let block = unsafe { std::slice::from_raw_parts(ptr, size) };
    block.windows(CANARY.len()).any(|w| w == CANARY)
}

// SAFETY: every call is forwarded to `System` unchanged; the scans only read blocks
// that are still allocated.
unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if holds_canary(ptr, layout.size()) {
            HITS.fetch_add(1, Ordering::SeqCst);
        }
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The old block counts only if the content moved: then it was freed unwiped.
        let held = holds_canary(ptr, layout.size().min(new_size));
        // SAFETY: forwarded as is.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if held && !new.is_null() && new != ptr {
            HITS.fetch_add(1, Ordering::SeqCst);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Scanning = Scanning;

/// One measurement at a time: the counter is global.
static SERIAL: Mutex<()> = Mutex::new(());

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    token: Secret<String>,
    #[settings(default = 1)]
    workers: u8,
}

fn canary() -> &'static str {
    std::str::from_utf8(CANARY).unwrap()
}

/// Runs `load`, checks the secret, drops everything, and returns how many freed blocks
/// held the canary in between.
fn freed_copies(load: impl FnOnce() -> Config) -> usize {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    HITS.store(0, Ordering::SeqCst);
    let cfg = load();
    assert!(cfg.token.expose_secret().as_bytes() == CANARY);
    assert!(cfg.workers >= 1);
    drop(cfg);
    HITS.load(Ordering::SeqCst)
}

/// Writes the canary to a file without a heap copy of it.
fn write_canary(path: &Path, before: &[u8], after: &[u8]) {
    use std::io::Write;
    let mut file = fs::File::create(path).unwrap();
    file.write_all(before).unwrap();
    file.write_all(CANARY).unwrap();
    file.write_all(after).unwrap();
}

#[test]
fn the_scanner_sees_an_unwiped_copy() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    HITS.store(0, Ordering::SeqCst);
    drop(std::hint::black_box(canary().to_owned()));
    assert_eq!(HITS.load(Ordering::SeqCst), 1);
    HITS.store(0, Ordering::SeqCst);
    drop(std::hint::black_box(Secret::new(canary().to_owned())));
    assert_eq!(
        HITS.load(Ordering::SeqCst),
        0,
        "a Secret is wiped before it is freed"
    );
}

#[test]
fn secrets_dir_file_leaves_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    write_canary(&dir.path().join("APP_TOKEN"), b"\xEF\xBB\xBF  ", b"\r\n");
    let copies = freed_copies(|| {
        Config::loader()
            .env_vars(Vec::<(String, String)>::new())
            .no_dotenv()
            .secrets_dir(dir.path())
            .load()
            .unwrap()
    });
    assert_eq!(copies, 0);
}

#[test]
fn name_file_leaves_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token");
    write_canary(&path, b"", b"\n");
    let copies = freed_copies(|| {
        Config::loader()
            .env_vars([("APP_TOKEN_FILE", &path)])
            .no_dotenv()
            .no_secrets_dir()
            .load()
            .unwrap()
    });
    assert_eq!(copies, 0);
}

/// `.env` and environment values leave no copy either; the `.env` one also goes through
/// a `${VAR}` reference to an earlier key of the file.
#[test]
fn dotenv_and_environment_copies_are_measured() {
    let dir = tempfile::tempdir().unwrap();
    let dotenv = dir.path().join(".env");
    write_canary(&dotenv, b"APP_WORKERS=2\nAPP_TOKEN=", b"\n");
    let from_dotenv = freed_copies(|| {
        Config::loader()
            .env_vars(Vec::<(String, String)>::new())
            .dotenv(&dotenv)
            .no_secrets_dir()
            .load()
            .unwrap()
    });
    let from_env = freed_copies(|| {
        // The variable's value is built inside the measurement: it stands for the
        // copy `std::env::vars_os` makes of the process environment.
        Config::loader()
            .env_vars([("APP_TOKEN", canary().to_owned())])
            .no_dotenv()
            .no_secrets_dir()
            .load()
            .unwrap()
    });
    let substituted = dir.path().join("substituted.env");
    write_canary(
        &substituted,
        b"RAW=\"",
        b"\"\nAPP_WORKERS=\"2\"\nAPP_TOKEN=${RAW}\n",
    );
    let from_substitution = freed_copies(|| {
        Config::loader()
            .env_vars(Vec::<(String, String)>::new())
            .dotenv(&substituted)
            .no_secrets_dir()
            .load()
            .unwrap()
    });
    println!(
        "freed un-wiped copies of a secret: .env = {from_dotenv}, .env through ${{VAR}} = {from_substitution}, environment = {from_env}"
    );
    // dotenvy's parser left 3 here (its substitution map and line buffers).
    assert_eq!(from_env, 0, "environment");
    assert_eq!(from_dotenv, 0, ".env");
    assert_eq!(from_substitution, 0, ".env through ${{VAR}}");
}

/// The dotenv family's forms leave no copy either: a POSIX default that substitutes an
/// earlier key, lone `\r` line ends, a single-quoted `\'`; and (dotenvx) a decrypted value
/// expanded from the file, which reads the file a second time.
#[test]
fn dotenv_family_forms_leave_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    let posix = dir.path().join("posix.env");
    write_canary(
        &posix,
        b"Q='it\\'s'\rRAW=\"",
        b"\"\rAPP_WORKERS=2\rAPP_TOKEN=${NOPE:-${RAW}}\r",
    );
    let from_posix = freed_copies(|| {
        Config::loader()
            .env_vars(Vec::<(String, String)>::new())
            .dotenv(&posix)
            .no_secrets_dir()
            .load()
            .unwrap()
    });
    assert_eq!(from_posix, 0, "${{NAME:-${{RAW}}}} with lone CR line ends");

    #[cfg(feature = "dotenvx")]
    {
        use confidant::dotenvx;
        let (public, private) = dotenvx::generate_keypair();
        // The plain text holds only a reference: the canary comes from the file.
        let sealed = dotenvx::encrypt(&public, "${RAW}").unwrap();
        // Named `.env`: its key is `DOTENV_PRIVATE_KEY` (dotenvx's naming).
        fs::create_dir(dir.path().join("encrypted")).unwrap();
        let encrypted = dir.path().join("encrypted/.env");
        let after = format!("\"\nAPP_WORKERS=2\nAPP_TOKEN={sealed}\n");
        write_canary(&encrypted, b"RAW=\"", after.as_bytes());
        let key = private.expose_secret().to_owned();
        let from_decrypted = freed_copies(|| {
            Config::loader()
                .env_vars([("DOTENV_PRIVATE_KEY", key)])
                .dotenv(&encrypted)
                .no_secrets_dir()
                .load()
                .unwrap()
        });
        assert_eq!(
            from_decrypted, 0,
            "a decrypted value expanded from the file"
        );
    }
}

/// A secret read from a TOML config file leaves no copy: basic and literal strings,
/// inside a table, and a file that does not parse (its error copies nothing either).
#[cfg(feature = "toml")]
#[test]
fn toml_config_file_leaves_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("myapp.toml");
    for (before, after) in [
        (&b"workers = 2\ntoken = \""[..], &b"\"\n"[..]),
        (b"token = '", b"'\r\n[extra]\nx = 1\n"),
        (b"# c\r\ntoken = \"\"\"\n", b"\"\"\"\n"),
    ] {
        write_canary(&path, before, after);
        let copies = freed_copies(|| from_config_file(&path).unwrap());
        assert_eq!(copies, 0, "{}", String::from_utf8_lossy(before));
    }
    // With an escape: decoded into a buffer with room for it all, so it never moves.
    let mut escaped = b"token = \"\\u007A".to_vec();
    escaped.extend_from_slice(&CANARY[1..]);
    escaped.extend_from_slice(b"\"\n");
    assert_eq!(CANARY[0], b'z');
    fs::write(&path, &escaped).unwrap();
    let copies = freed_copies(|| from_config_file(&path).unwrap());
    assert_eq!(copies, 0, "a basic string with an escape");
    // A syntax error after the secret, and a key defined twice: reported without a copy
    // of the document.
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    for after in [&b"\"\n[broken\n"[..], b"\"\ntoken = \"x\"\n"] {
        write_canary(&path, b"token = \"", after);
        HITS.store(0, Ordering::SeqCst);
        let err = from_config_file(&path).unwrap_err();
        drop(err);
        assert_eq!(
            HITS.load(Ordering::SeqCst),
            0,
            "{}",
            String::from_utf8_lossy(after)
        );
    }
}

/// How many freed blocks held the canary while `run` ran and its result was dropped.
#[cfg(any(feature = "yaml", feature = "json"))]
fn freed_by<T>(run: impl FnOnce() -> T) -> usize {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    HITS.store(0, Ordering::SeqCst);
    drop(run());
    HITS.load(Ordering::SeqCst)
}

/// Loads the config file `path` and nothing else.
#[cfg(any(feature = "toml", feature = "yaml", feature = "json"))]
fn from_config_file(path: &Path) -> Result<Config, confidant::Error> {
    Config::loader()
        .env_vars(Vec::<(String, String)>::new())
        .no_dotenv()
        .no_secrets_dir()
        .config_file(path)
        .load()
}

/// A YAML config file's plain scalar leaves no copy: in a block or a flow mapping,
/// through an anchor and its alias, or with a syntax error after it. saphyr-parser
/// builds each quoted and block scalar in a `String` grown from empty (a plain one from
/// 129 bytes): the blocks it outgrows are freed unwiped. Those are measured and shown.
#[cfg(feature = "yaml")]
#[test]
fn yaml_config_file_copies_are_measured() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("myapp.yaml");
    for (before, after) in [
        (&b"workers: 2\ntoken: "[..], &b"\n"[..]),
        (b"{workers: 2, token: ", b"}\n"),
        (b"x: &a ", b"\nworkers: 2\ntoken: *a\n"),
    ] {
        write_canary(&path, before, after);
        let copies = freed_copies(|| from_config_file(&path).unwrap());
        assert_eq!(copies, 0, "{}", String::from_utf8_lossy(before));
    }
    write_canary(&path, b"token: ", b"\nworkers: [\n");
    let copies = freed_by(|| from_config_file(&path).unwrap_err());
    assert_eq!(copies, 0, "a syntax error after the secret");

    let mut forced = Vec::new();
    for (form, before, after) in [
        ("double-quoted", &b"token: \""[..], &b"\"\n"[..]),
        ("single-quoted", b"token: '", b"'\n"),
        ("literal block", b"token: |-\n  ", b"\n"),
        (
            "double-quoted, 40 bytes",
            b"token: \"",
            b"0123456789012345\"\n",
        ),
        (
            "literal block, 40 bytes",
            b"token: |-\n  ",
            b"0123456789012345\n",
        ),
    ] {
        write_canary(&path, before, after);
        forced.push(format!("{form} = {}", freed_by(|| from_config_file(&path))));
    }
    println!(
        "freed un-wiped copies of a 25-byte secret in YAML (saphyr-parser's growing String): {}",
        forced.join(", ")
    );
}

/// A JSON config file's string without escapes is borrowed from the file: no copy,
/// loaded or failing after it. jsonc-parser clones each token it reads: a string with
/// an escape, decoded into a `String` of its own, leaves its clones behind (measured).
#[cfg(feature = "json")]
#[test]
fn json_config_file_copies_are_measured() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("myapp.json");
    write_canary(&path, b"{\"workers\": 2, \"token\": \"", b"\"}");
    assert_eq!(freed_copies(|| from_config_file(&path).unwrap()), 0);
    write_canary(&path, b"{\"token\": \"", b"\", \"workers\": [}");
    let copies = freed_by(|| from_config_file(&path).unwrap_err());
    assert_eq!(copies, 0, "a syntax error after the secret");

    write_canary(&path, b"{\"token\": \"\\u0041", b"\"}");
    let escaped = freed_by(|| from_config_file(&path));
    println!(
        "freed un-wiped copies of a secret in JSON with an escape (jsonc-parser's token clones): {escaped}"
    );
}
