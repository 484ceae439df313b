//! Encrypts every value of a `.env` file in place, in the dotenvx format, so a Rust team
//! can commit encrypted `.env` files without installing Node:
//!
//! ```text
//! cargo run --example encrypt_env --features dotenvx -- path/to/.env
//! cargo run --example encrypt_env --features dotenvx -- deploy/.env.production
//! cargo run --example encrypt_env --features dotenvx -- --rotate deploy/.env.production
//! ```
//!
//! - Values of keys ending in `_PLAIN`, the `DOTENV_PUBLIC_KEY*` line, empty values and
//!   values already `encrypted:` stay as they are.
//! - A file without a `DOTENV_PUBLIC_KEY*` line gets a key pair, as `dotenvx encrypt`
//!   does: the public key goes at the top of the file (`DOTENV_PUBLIC_KEY` for `.env`,
//!   `DOTENV_PUBLIC_KEY_PRODUCTION` for `.env.production`), the private key into
//!   `.env.keys` beside it (created with mode 0600). Commit the `.env`; never commit
//!   `.env.keys` (add it to `.gitignore`).
//! - Values that use `$VAR` substitution or span several lines are left clear with a
//!   warning: confidant takes a decrypted value literally.
//! - `--rotate` makes a new key pair for a file that has one: every `encrypted:` value is
//!   decrypted with the current private key (`DOTENV_PRIVATE_KEY[_X]` from the environment
//!   or `.env.keys`) and encrypted for the new public key, and `.env.keys` then holds
//!   `DOTENV_PRIVATE_KEY_X=<new>,<old>`: deploy that value (both the old and the new file
//!   decrypt with it), then the new file, then drop `,<old>`.
//!
//! confidant decrypts the values at load with `DOTENV_PRIVATE_KEY[_X]` from the
//! environment or `.env.keys`; `dotenvx run`/`dotenvx get` read the same file. The
//! program prints key names only, never a value or a key.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use confidant::ExposeSecret;
use confidant::dotenvx;

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let result = match args.as_slice() {
        [flag, path] if flag == "--rotate" => rotate(Path::new(path)),
        [path] if !path.to_string_lossy().starts_with('-') => run(Path::new(path)),
        _ => {
            eprintln!(
                "usage: cargo run --example encrypt_env --features dotenvx -- [--rotate] path/to/.env"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("encrypt_env: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(path: &Path) -> Result<(), String> {
    let text = fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {}", path.display(), e.kind()))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{} is not a file", path.display()))?;

    let (public_key, header) = match existing_public_key(&text) {
        Some(public_key) => (public_key, None),
        None => {
            let (public_name, private_name) = dotenvx::key_names(path);
            let keys_path = path.with_file_name(".env.keys");
            let public_key = keys_file_public_key(&keys_path, &private_name)?
                .map_or_else(|| new_key_pair(&keys_path, &private_name, &file_name), Ok)?;
            let header = dotenvx_header(&public_name, &public_key, &file_name);
            (public_key, Some(header))
        }
    };

    let mut out = header.unwrap_or_default();
    let (mut encrypted, mut left) = (Vec::new(), Vec::new());
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        match parse(line) {
            Line::Other => out.push_str(line),
            Line::Unclosed { key, quote } => {
                out.push_str(line);
                for next in lines.by_ref() {
                    out.push_str(next);
                    if closes(next, quote) {
                        break;
                    }
                }
                left.push(format!("{key} (spans several lines)"));
            }
            Line::Assign(a) if keep_clear(&a) => out.push_str(line),
            Line::Assign(a) if a.substitutes => {
                out.push_str(line);
                left.push(format!("{} (uses $ substitution)", a.key));
            }
            Line::Assign(a) => {
                let sealed = dotenvx::encrypt(&public_key, &a.value)
                    .map_err(|e| format!("{}: {e}", a.key))?;
                let q = a.quote.map(String::from).unwrap_or_default();
                out.push_str(&format!("{}{q}{sealed}{q}{}", a.head, a.tail));
                encrypted.push(a.key);
            }
        }
    }

    replace_file(path, out.as_bytes())?;
    println!(
        "encrypted {} value(s) in {}: {}",
        encrypted.len(),
        path.display(),
        encrypted.join(", ")
    );
    for what in left {
        eprintln!("warning: left clear: {what}");
    }
    Ok(())
}

/// Re-encrypts every `encrypted:` value of the file for a new key pair.
fn rotate(path: &Path) -> Result<(), String> {
    let text = fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {}", path.display(), e.kind()))?;
    let public_name = text
        .split_inclusive('\n')
        .find_map(|line| match parse(line) {
            Line::Assign(a) if a.key.starts_with("DOTENV_PUBLIC_KEY") => Some(a.key),
            _ => None,
        })
        .ok_or_else(|| {
            format!(
                "{} has no DOTENV_PUBLIC_KEY: nothing to rotate",
                path.display()
            )
        })?;
    let private_name = public_name.replacen("DOTENV_PUBLIC_KEY", "DOTENV_PRIVATE_KEY", 1);
    let keys_path = path.with_file_name(".env.keys");
    let keys_text = zeroize::Zeroizing::new(fs::read_to_string(&keys_path).unwrap_or_default());
    let old_keys = match std::env::var(&private_name) {
        Ok(keys) if !keys.trim().is_empty() => zeroize::Zeroizing::new(keys),
        _ => keys_text
            .split_inclusive('\n')
            .find_map(|line| match parse(line) {
                Line::Assign(a) if a.key == private_name => Some(zeroize::Zeroizing::new(a.value)),
                _ => None,
            })
            .ok_or_else(|| {
                format!(
                    "no private key: set {private_name} or add it to {}",
                    keys_path.display()
                )
            })?,
    };
    let (public_key, private_key) = dotenvx::generate_keypair();

    let mut out = zeroize::Zeroizing::new(String::new());
    let mut rotated = Vec::new();
    for line in text.split_inclusive('\n') {
        match parse(line) {
            Line::Assign(a) if a.key == public_name => {
                out.push_str(&format!("{}\"{public_key}\"{}", a.head, a.tail));
            }
            Line::Assign(a) if a.value.starts_with(dotenvx::PREFIX) => {
                let value = dotenvx::decrypt(&old_keys, &a.value)
                    .map_err(|e| format!("{} ({private_name}): {e}", a.key))?;
                let sealed = dotenvx::encrypt(&public_key, value.expose_secret())
                    .map_err(|e| format!("{}: {e}", a.key))?;
                let q = a.quote.map(String::from).unwrap_or_default();
                out.push_str(&format!("{}{q}{sealed}{q}{}", a.head, a.tail));
                rotated.push(a.key);
            }
            _ => out.push_str(line),
        }
    }

    // `.env.keys` first: with `<new>,<old>` in it, the old and the new file both decrypt.
    let both = zeroize::Zeroizing::new(format!(
        "{private_name}={},{}\n",
        private_key.expose_secret(),
        old_keys.split(',').next().unwrap_or_default().trim()
    ));
    let mut keys_out = zeroize::Zeroizing::new(String::new());
    let mut replaced = false;
    for line in keys_text.split_inclusive('\n') {
        match parse(line) {
            Line::Assign(a) if a.key == private_name && !replaced => {
                keys_out.push_str(&both);
                replaced = true;
            }
            _ => keys_out.push_str(line),
        }
    }
    if !replaced {
        if !keys_out.is_empty() && !keys_out.ends_with('\n') {
            keys_out.push('\n');
        }
        keys_out.push_str(&format!("\n# {}\n{}", file_label(path), &*both));
    }
    replace_file(&keys_path, keys_out.as_bytes())?;
    replace_file(path, out.as_bytes())?;
    println!(
        "rotated {} value(s) in {} to a new key pair: {}",
        rotated.len(),
        path.display(),
        rotated.join(", ")
    );
    println!(
        "{private_name} in {} is now <new>,<old>: deploy it, then the new {}, then drop ,<old>",
        keys_path.display(),
        file_label(path)
    );
    Ok(())
}

fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Writes beside, then renames: the file is never half written. A new file is created
/// with mode 0600 (the `.env.keys` of a rotation keeps the file's own mode).
fn replace_file(path: &Path, contents: &[u8]) -> Result<(), String> {
    let tmp = path.with_file_name(format!(".{}.encrypting", file_label(path)));
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let write = |tmp: &Path| -> std::io::Result<()> {
        let mut file = options.open(tmp)?;
        file.write_all(contents)?;
        if let Ok(meta) = fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()
    };
    write(&tmp).map_err(|e| format!("cannot write {}: {}", tmp.display(), e.kind()))?;
    fs::rename(&tmp, path).map_err(|e| format!("cannot replace {}: {}", path.display(), e.kind()))
}

/// The value of the file's `DOTENV_PUBLIC_KEY*` line, if it has one.
fn existing_public_key(text: &str) -> Option<String> {
    text.split_inclusive('\n')
        .find_map(|line| match parse(line) {
            Line::Assign(a) if a.key.starts_with("DOTENV_PUBLIC_KEY") => Some(a.value),
            _ => None,
        })
}

/// The public key of a private key already in `.env.keys` under `private_name` (a rerun
/// after a failed write, or a `.env` whose public key line was removed).
fn keys_file_public_key(keys_path: &Path, private_name: &str) -> Result<Option<String>, String> {
    let Ok(text) = fs::read_to_string(keys_path) else {
        return Ok(None);
    };
    let text = zeroize::Zeroizing::new(text);
    for line in text.split_inclusive('\n') {
        if let Line::Assign(a) = parse(line)
            && a.key == private_name
        {
            let value = zeroize::Zeroizing::new(a.value);
            let first = value.split(',').next().unwrap_or_default();
            let public = dotenvx::public_key(first)
                .map_err(|e| format!("{private_name} in {}: {e}", keys_path.display()))?;
            return Ok(Some(public));
        }
    }
    Ok(None)
}

/// Makes a key pair, appends the private key to `.env.keys` (as dotenvx lays it out) and
/// returns the public key.
fn new_key_pair(
    keys_path: &PathBuf,
    private_name: &str,
    file_name: &str,
) -> Result<String, String> {
    let (public_key, private_key) = dotenvx::generate_keypair();
    let fresh = !keys_path.exists();
    let mut options = fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(keys_path)
        .map_err(|e| format!("cannot write {}: {}", keys_path.display(), e.kind()))?;
    let mut entry = zeroize::Zeroizing::new(String::new());
    if fresh {
        entry.push_str(concat!(
            "#/------------------!DOTENV_PRIVATE_KEYS!-------------------/\n",
            "#/ private decryption keys. DO NOT commit to source control /\n",
            "#/     [how it works](https://dotenvx.com/encryption)       /\n",
            "#/----------------------------------------------------------/\n",
        ));
    }
    entry.push_str(&format!(
        "\n# {file_name}\n{private_name}={}\n",
        private_key.expose_secret()
    ));
    file.write_all(entry.as_bytes())
        .map_err(|e| format!("cannot write {}: {}", keys_path.display(), e.kind()))?;
    println!(
        "wrote a new private key {private_name} to {}",
        keys_path.display()
    );
    Ok(public_key)
}

/// The block `dotenvx encrypt` puts at the top of a file it gives a key pair.
fn dotenvx_header(public_name: &str, public_key: &str, file_name: &str) -> String {
    format!(
        "#/-------------------[DOTENV_PUBLIC_KEY]--------------------/\n\
         #/            public-key encryption for .env files          /\n\
         #/       [how it works](https://dotenvx.com/encryption)     /\n\
         #/----------------------------------------------------------/\n\
         {public_name}=\"{public_key}\"\n\n# {file_name}\n"
    )
}

fn keep_clear(a: &Assign<'_>) -> bool {
    a.key.ends_with("_PLAIN")
        || a.key.starts_with("DOTENV_PUBLIC_KEY")
        || a.value.is_empty()
        || a.value.starts_with(dotenvx::PREFIX)
}

enum Line<'a> {
    /// A comment, a blank line, or anything that is not `KEY=value`.
    Other,
    /// `KEY=value` on one line.
    Assign(Assign<'a>),
    /// A quoted value that does not close on its line.
    Unclosed { key: &'a str, quote: char },
}

struct Assign<'a> {
    /// Everything up to the value: indentation, `export `, the key, `=`, spaces.
    head: &'a str,
    key: &'a str,
    quote: Option<char>,
    /// The value as a `.env` parser reads it (quotes removed, escapes applied).
    value: String,
    /// Whether a `.env` parser would substitute `$VAR` in it.
    substitutes: bool,
    /// Everything after the value: a comment, the line ending.
    tail: &'a str,
}

fn parse(line: &str) -> Line<'_> {
    let body = line.trim_start();
    let after_export = body.strip_prefix("export ").map_or(body, str::trim_start);
    let key_len = after_export
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(after_export.len());
    let key = &after_export[..key_len];
    let rest = after_export[key_len..].trim_start();
    let (false, Some(value_part)) = (key.is_empty(), rest.strip_prefix('=')) else {
        return Line::Other;
    };
    let value_part = value_part.trim_start_matches([' ', '\t']);
    let head = &line[..line.len() - value_part.len()];

    match value_part.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inner = &value_part[1..];
            let Some(end) = closing(inner, quote) else {
                return Line::Unclosed { key, quote };
            };
            let raw = &inner[..end];
            let (value, substitutes) = if quote == '"' {
                unescape(raw)
            } else {
                (raw.to_owned(), false)
            };
            Line::Assign(Assign {
                head,
                key,
                quote: Some(quote),
                value,
                substitutes,
                tail: &inner[end + 1..],
            })
        }
        _ => {
            let content = value_part.trim_end_matches(['\r', '\n']);
            // An unquoted value ends at ` #` (a comment) and loses trailing spaces.
            let end = content
                .char_indices()
                .find(|&(i, c)| c == '#' && i > 0 && content[..i].ends_with([' ', '\t']))
                .map_or(content.len(), |(i, _)| i);
            let value = content[..end].trim_end();
            Line::Assign(Assign {
                head,
                key,
                quote: None,
                value: value.to_owned(),
                substitutes: value.contains(['$', '\\']),
                tail: &value_part[value.len()..],
            })
        }
    }
}

/// The index of the quote that closes a value in `inner` (after the opening quote).
fn closing(inner: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in inner.char_indices() {
        match c {
            '\\' if quote == '"' && !escaped => escaped = true,
            c if c == quote && !escaped => return Some(i),
            '\n' => return None,
            _ => escaped = false,
        }
    }
    None
}

fn closes(line: &str, quote: char) -> bool {
    let mut escaped = false;
    line.chars().any(|c| {
        let hit = c == quote && !escaped;
        escaped = quote == '"' && c == '\\' && !escaped;
        hit
    })
}

/// A double-quoted value's escapes, and whether it has an unescaped `$`.
fn unescape(raw: &str) -> (String, bool) {
    let mut out = String::with_capacity(raw.len());
    let mut substitutes = false;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some(other @ ('"' | '\\' | '\'' | '$')) => out.push(other),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '$' => {
                substitutes = true;
                out.push('$');
            }
            c => out.push(c),
        }
    }
    (out, substitutes)
}
