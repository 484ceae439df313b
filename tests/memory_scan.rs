//! No stray copies, seen from outside the allocator: load a secret from each source,
//! drop the settings, then read every readable page of this process (`/proc/self/maps`
//! and `/proc/self/mem`) and count where the secret survives. `alloc_canary` watches
//! freed heap blocks; this scan also sees stacks, live blocks nobody freed, and memory
//! the allocator reused or never returned.
//!
//! The secret must not exist in the test itself: each canary is two random halves, kept
//! apart, joined only into the loader's input (a `Zeroizing` buffer wiped before the
//! scan) or written to a file half by half. The scan looks for the first half followed by
//! the second, so its own needles never match.
#![cfg(all(target_os = "linux", feature = "figment"))]

mod common;

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use confidant::{ExposeSecret, Secret, Settings};
use zeroize::Zeroizing;

#[derive(Debug, Settings)]
#[settings(prefix = "MS_")]
struct Config {
    token: Secret<String>,
    #[settings(default = 1)]
    workers: u8,
}

/// Every secret starts with this: an allocator overwrites the first bytes of a freed
/// block with its own pointers (glibc: 16 bytes), and the padding keeps the halves
/// beyond them, so a freed un-wiped copy is still seen. 100 bytes also keep the
/// secret's block out of the size class of the scanner's small strings.
const PAD: &str = "pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-pad-";

/// A canary as two halves that are never next to each other in this process.
struct Canary {
    head: Vec<u8>,
    tail: Vec<u8>,
}

impl Canary {
    /// Random halves of 16 hex characters each (SHA-256 of the time, pid and `salt`).
    fn new(salt: &str) -> Canary {
        let digest = common::fresh_digest(salt.as_bytes());
        let hex = |bytes: &[u8]| -> Vec<u8> {
            bytes
                .iter()
                .flat_map(|b| format!("{b:02x}").into_bytes())
                .collect()
        };
        Canary {
            head: hex(&digest[..8]),
            tail: hex(&digest[8..16]),
        }
    }

    /// The joined secret, in a buffer that is wiped when dropped.
    fn joined(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::with_capacity(PAD.len() + 64));
        text.push_str(PAD);
        text.push_str(std::str::from_utf8(&self.head).unwrap());
        text.push_str(std::str::from_utf8(&self.tail).unwrap());
        text
    }

    /// Writes `before`, the canary (half by half) and `after` to `path`.
    fn write(&self, path: &Path, before: &[u8], after: &[u8]) {
        let mut file = File::create(path).unwrap();
        file.write_all(before).unwrap();
        file.write_all(PAD.as_bytes()).unwrap();
        file.write_all(&self.head).unwrap();
        file.write_all(&self.tail).unwrap();
        file.write_all(after).unwrap();
    }

    /// Whether `token` holds exactly this canary, compared half by half.
    fn is(&self, token: &Secret<String>) -> bool {
        let Some(bytes) = token
            .expose_secret()
            .as_bytes()
            .strip_prefix(PAD.as_bytes())
        else {
            return false;
        };
        bytes.len() == self.head.len() + self.tail.len()
            && bytes[..self.head.len()] == self.head[..]
            && bytes[self.head.len()..] == self.tail[..]
    }
}

/// How much of the memory is read at a time.
const CHUNK: usize = 4 << 20;

/// Bytes read by the scans since the last reset.
static SCANNED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
/// Bytes of readable mappings the scans could not read (`[vvar]`, guard pages).
static UNREAD: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Where each canary survives: one list of region names per canary.
fn scan(canaries: &[&Canary]) -> Vec<Vec<String>> {
    let longest = canaries
        .iter()
        .map(|c| c.head.len() + c.tail.len())
        .max()
        .unwrap();
    let mut found = vec![Vec::new(); canaries.len()];
    // The buffer holds what it just read: its own bytes are not scanned.
    let mut buf = vec![0u8; CHUNK + longest];
    let own = buf.as_ptr() as usize..buf.as_ptr() as usize + buf.len();
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let mut mem = File::open("/proc/self/mem").unwrap();
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else {
            continue;
        };
        let name = fields.nth(3).unwrap_or("[anon]").to_owned();
        let (start, end) = range.split_once('-').unwrap();
        let start = usize::from_str_radix(start, 16).unwrap();
        let end = usize::from_str_radix(end, 16).unwrap();
        if !perms.starts_with('r') {
            continue;
        }
        if name == "[vvar]" {
            UNREAD.fetch_add(end - start, std::sync::atomic::Ordering::Relaxed);
            continue;
        }
        // Around the buffer, when it lies in this mapping (the second part is then empty
        // or the rest).
        let parts = if own.start < end && start < own.end {
            [start..own.start.max(start), own.end.min(end)..end]
        } else {
            [start..end, end..end]
        };
        for part in parts {
            scan_range(
                &mut mem, part, &mut buf, canaries, longest, &name, perms, &mut found,
            );
        }
    }
    buf.iter_mut().for_each(|b| *b = 0);
    found
}

/// Scans `range` of `mem` for each canary, pushing `name (perms)` per hit.
#[allow(clippy::too_many_arguments)] // reason: one loop body, split out of `scan`
fn scan_range(
    mem: &mut File,
    range: std::ops::Range<usize>,
    buf: &mut [u8],
    canaries: &[&Canary],
    longest: usize,
    name: &str,
    perms: &str,
    found: &mut [Vec<String>],
) {
    let (start, end) = (range.start, range.end);
    let mut at = start;
    let mut kept = 0; // bytes carried over from the previous chunk
    while at < end {
        let want = CHUNK.min(end - at);
        if mem.seek(SeekFrom::Start(at as u64)).is_err() {
            break;
        }
        let read = match mem.read(&mut buf[kept..kept + want]) {
            Ok(0) | Err(_) => {
                // Unreadable (guard pages, device maps): counted, not scanned.
                UNREAD.fetch_add(end - at, std::sync::atomic::Ordering::Relaxed);
                break;
            }
            Ok(n) => n,
        };
        SCANNED.store(
            SCANNED.load(std::sync::atomic::Ordering::Relaxed) + read,
            std::sync::atomic::Ordering::Relaxed,
        );
        let window = &buf[..kept + read];
        for (i, canary) in canaries.iter().enumerate() {
            let n = canary.head.len() + canary.tail.len();
            let mut from = 0;
            while let Some(pos) = find(&window[from..], &canary.head) {
                let p = from + pos;
                if window.len() >= p + n && window[p + canary.head.len()..p + n] == canary.tail[..]
                {
                    found[i].push(format!("{name} ({perms})"));
                }
                from = p + 1;
            }
        }
        at += read;
        // Keep one byte less than a canary: one split across two chunks is seen, and
        // none is seen twice.
        kept = (longest - 1).min(window.len());
        let len = window.len();
        buf.copy_within(len - kept..len, 0);
    }
}

/// The first position of `needle` in `hay`: a `memchr`-style scan for its first byte.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let mut from = 0;
    while let Some(pos) = hay[from..].iter().position(|&b| b == first) {
        let p = from + pos;
        if hay.len() < p + needle.len() {
            return None;
        }
        if hay[p..p + needle.len()] == *needle {
            return Some(p);
        }
        from = p + 1;
    }
    None
}

fn loader() -> confidant::Loader<Config> {
    Config::loader().no_dotenv().no_secrets_dir()
}

#[test]
fn no_source_leaves_a_copy_in_memory() {
    let dir = common::tempdir();

    // The scanner sees a plain copy, and not the halves it searches with.
    let control = Canary::new("control");
    let plain =
        std::hint::black_box(String::from_utf8(control.joined().as_bytes().to_vec()).unwrap());
    assert_eq!(
        scan(&[&control])[0].len(),
        1,
        "the scanner must see one copy"
    );
    drop(plain);
    // A freed block that was not wiped is seen too (the scan's own allocations are
    // smaller than it, so they do not reuse it).
    let freed = scan(&[&control]);
    assert_eq!(freed[0].len(), 1, "a freed copy: {freed:?}");

    // env_vars: the joined text goes into the loader's input only. While the settings
    // live, the scanner finds the secret they hold.
    let env = Canary::new("env_vars");
    {
        let joined = env.joined();
        let cfg = loader()
            .env_vars([("MS_TOKEN", joined.as_str())])
            .load()
            .unwrap();
        drop(joined);
        assert!(env.is(&cfg.token));
        let live = scan(&[&env]);
        assert_eq!(live[0].len(), 1, "the live secret, once: {live:?}");
    }

    // .env
    let dotenv = Canary::new(".env");
    let dotenv_file = dir.path().join(".env");
    dotenv.write(&dotenv_file, b"MS_WORKERS=2\nMS_TOKEN=", b"\n");
    {
        let cfg = Config::loader()
            .env_vars([("UNRELATED", "1")])
            .dotenv(&dotenv_file)
            .no_secrets_dir()
            .load()
            .unwrap();
        assert!(dotenv.is(&cfg.token));
    }

    // A secrets directory.
    let secrets = Canary::new("secrets dir");
    let secrets_dir = dir.path().join("secrets");
    std::fs::create_dir(&secrets_dir).unwrap();
    secrets.write(&secrets_dir.join("MS_TOKEN"), b"", b"\n");
    {
        let cfg = Config::loader()
            .env_vars([("UNRELATED", "1")])
            .no_dotenv()
            .secrets_dir(&secrets_dir)
            .load()
            .unwrap();
        assert!(secrets.is(&cfg.token));
    }

    // NAME_FILE
    let name_file = Canary::new("NAME_FILE");
    let token_file = dir.path().join("token");
    name_file.write(&token_file, b"", b"\r\n");
    {
        let cfg = loader()
            .env_vars([("MS_TOKEN_FILE", &token_file)])
            .load()
            .unwrap();
        assert!(name_file.is(&cfg.token));
    }

    // Loader::set and a figment provider: measured and reported. figment keeps its own
    // copies of a provider's values and does not wipe them (documented on
    // `Loader::provider`).
    let set = Canary::new("set");
    {
        let joined = set.joined();
        let cfg = loader().set("token", joined.as_str()).load().unwrap();
        drop(joined);
        assert!(set.is(&cfg.token));
    }
    let provider = Canary::new("provider");
    {
        let joined = provider.joined();
        let cfg = loader()
            .provider(confidant::figment::providers::Serialized::default(
                "token",
                joined.as_str(),
            ))
            .load()
            .unwrap();
        drop(joined);
        assert!(provider.is(&cfg.token));
    }
    let measured = scan(&[&set, &provider]);

    // child_env handed to a `Command`: the `Command` keeps its own copy, which is not
    // wiped when it is dropped.
    let child = Canary::new("child_env");
    let (with_command, after_command) = {
        let joined = child.joined();
        let cfg = loader()
            .env_vars([("MS_TOKEN", joined.as_str())])
            .load()
            .unwrap();
        drop(joined);
        let env = cfg.child_env(&["token"]).unwrap();
        let mut command = std::process::Command::new("true");
        env.apply(&mut command);
        drop(env);
        drop(cfg);
        let with_command = scan(&[&child]).remove(0);
        drop(command);
        (with_command, scan(&[&child]).remove(0))
    };
    assert!(!with_command.is_empty(), "the Command holds the value");
    println!(
        "measured, not asserted: Loader::set: {} copies {:?}; figment provider: {} copies {:?}; \
         child_env applied to a Command: {} while the Command lives {:?}, {} after it is dropped {:?}",
        measured[0].len(),
        measured[0],
        measured[1].len(),
        measured[1],
        with_command.len(),
        with_command,
        after_command.len(),
        after_command,
    );

    SCANNED.store(0, std::sync::atomic::Ordering::Relaxed);
    UNREAD.store(0, std::sync::atomic::Ordering::Relaxed);
    let sources = [
        ("env_vars", &env),
        (".env", &dotenv),
        ("secrets dir", &secrets),
        ("NAME_FILE", &name_file),
    ];
    let found = scan(&sources.map(|(_, c)| c));
    let mut report = String::new();
    for ((source, _), places) in sources.iter().zip(&found) {
        report.push_str(&format!("{source}: {} copies {places:?}\n", places.len()));
    }
    println!(
        "copies left in memory after the settings were dropped ({} KiB scanned, {} KiB readable but unreadable):\n{report}",
        SCANNED.load(std::sync::atomic::Ordering::Relaxed) >> 10,
        UNREAD.load(std::sync::atomic::Ordering::Relaxed) >> 10
    );
    assert!(found.iter().all(Vec::is_empty), "stray copies:\n{report}");
}

/// In the child started below: loads from the real process environment, drops the
/// settings and prints how many copies the scan finds.
#[test]
#[ignore = "a child process of another test in this file, which runs it"]
fn child_scans_its_own_environment() {
    let (Some(head), Some(tail)) = (
        std::env::var_os("MS_CHILD_HEAD"),
        std::env::var_os("MS_CHILD_TAIL"),
    ) else {
        return;
    };
    let canary = Canary {
        head: head.into_encoded_bytes(),
        tail: tail.into_encoded_bytes(),
    };
    {
        let cfg = Config::loader()
            .no_dotenv()
            .no_secrets_dir()
            .load()
            .unwrap();
        assert!(canary.is(&cfg.token));
    }
    let found = scan(&[&canary]);
    println!("CHILD_COPIES={} {:?}", found[0].len(), found[0]);
}

/// The real process environment: the kernel writes the environment block at the top of
/// the new process's stack and libc's `environ` points into it; nothing in the process
/// may wipe it, so one copy stays for the life of the process, whatever confidant does.
#[test]
fn the_process_environment_keeps_its_own_copy() {
    let canary = Canary::new("process environment");
    let joined = canary.joined();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_scans_its_own_environment",
            "--nocapture",
        ])
        .env_clear()
        .env("MS_TOKEN", joined.as_str())
        .env("MS_CHILD_HEAD", std::str::from_utf8(&canary.head).unwrap())
        .env("MS_CHILD_TAIL", std::str::from_utf8(&canary.tail).unwrap())
        .output()
        .unwrap();
    drop(joined);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("CHILD_COPIES="))
        .unwrap_or_else(|| panic!("no count from the child:\n{stdout}"));
    println!("process environment: copies left after the settings were dropped: {line}");
    let count: usize = line.split_whitespace().next().unwrap().parse().unwrap();
    // The environment block's copy (in `[stack]`), and no other.
    assert_eq!(count, 1, "{line}");
}
