//! Encrypted `.env` values in the [dotenvx](https://dotenvx.com) format.
//!
//! A value `encrypted:<base64>` is ECIES on secp256k1, as dotenvx (through `eciesjs`,
//! default configuration) writes it: the base64 holds the sender's ephemeral public key
//! (65 bytes, uncompressed), a 16-byte nonce, the 16-byte GCM tag, then the ciphertext.
//! The AES-256-GCM key is HKDF-SHA256 (no salt, empty info) of the ephemeral public key
//! followed by the uncompressed shared point. Everything is RustCrypto (`k256`, `hkdf`,
//! `aes-gcm`); nothing here is hand-written cryptography.
//!
//! The public key (`DOTENV_PUBLIC_KEY`, compressed, hex) sits in the `.env` file and can
//! be committed; the private key (64 hex digits) does not. At load, a `.env` value or an
//! environment value that starts with `encrypted:` is decrypted: the private key of a
//! `.env` file is `DOTENV_PRIVATE_KEY` for `.env`, `DOTENV_PRIVATE_KEY_PRODUCTION` for
//! `.env.production` (or the name the file's `DOTENV_PUBLIC_KEY_<X>` implies), read from
//! the environment the loader uses, then from `.env.keys` beside the file; the key of an
//! environment value is `DOTENV_PRIVATE_KEY` from the environment. Several keys,
//! comma-separated, are tried in order.
//!
//! ```
//! use confidant::{ExposeSecret, Secret, Settings};
//!
//! #[derive(Settings)]
//! #[settings(prefix = "APP_")]
//! struct Config {
//!     api_key: Secret<String>,
//! }
//!
//! let (public_key, private_key) = confidant::dotenvx::generate_keypair();
//! let sealed = confidant::dotenvx::encrypt(&public_key, "sk-live-0123456789")?;
//! assert!(sealed.starts_with("encrypted:"));
//!
//! let cfg = Config::loader()
//!     .env_vars([
//!         ("APP_API_KEY", sealed.as_str()),
//!         ("DOTENV_PRIVATE_KEY", private_key.expose_secret().as_str()),
//!     ])
//!     .no_dotenv()
//!     .load()
//!     .unwrap();
//! assert_eq!(cfg.api_key.expose_secret(), "sk-live-0123456789");
//! # Ok::<(), confidant::dotenvx::Error>(())
//! ```

use std::cell::OnceCell;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use aes_gcm::AesGcm;
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::generic_array::typenum::U16;
use aes_gcm::aead::rand_core::RngCore;
use aes_gcm::aead::{AeadInPlace, KeyInit, OsRng};
use aes_gcm::aes::Aes256;
use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hkdf::Hkdf;
use k256::elliptic_curve::sec1::ToEncodedPoint;
use k256::{PublicKey, SecretKey};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::error::ProblemKind;
use crate::secret::Secret;
use crate::source::{Hit, Raw};

/// The prefix of an encrypted value: `encrypted:` followed by base64.
///
/// ```
/// assert_eq!(confidant::dotenvx::PREFIX, "encrypted:");
/// ```
pub const PREFIX: &str = "encrypted:";

/// AES-256-GCM with the 16-byte nonce `eciesjs` uses.
type Cipher = AesGcm<Aes256, U16>;

const POINT_LEN: usize = 65;
const NONCE_LEN: usize = 16;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = POINT_LEN + NONCE_LEN + TAG_LEN;

/// Standard base64 (`eciesjs` pads; unpadded input is accepted too).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a value could not be encrypted or decrypted. Never holds a key, a ciphertext or
/// a plaintext.
///
/// ```
/// use confidant::dotenvx::{Error, encrypt};
/// assert!(matches!(encrypt("not hex", "x"), Err(Error::InvalidKey(_))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No private key was given.
    #[error("no private key to decrypt it")]
    MissingKey,
    /// Authentication failed with every private key given: the value was encrypted for
    /// another key pair (or altered).
    #[error("authentication failed with every private key")]
    WrongKey,
    /// The encrypted value is not what dotenvx writes: what is wrong with it.
    #[error("malformed encrypted value: {0}")]
    Malformed(&'static str),
    /// A key does not parse: what is wrong with it.
    #[error("invalid key: {0}")]
    InvalidKey(&'static str),
}

/// Encrypts `value` for the holder of the private key of `public_key_hex` (the hex of a
/// secp256k1 public key, compressed as `DOTENV_PUBLIC_KEY` holds it, or uncompressed).
/// Returns `encrypted:` + base64, as `dotenvx encrypt` writes it; each call uses a new
/// ephemeral key and nonce, so the same value encrypts differently every time.
///
/// ```
/// let (public_key, _private_key) = confidant::dotenvx::generate_keypair();
/// let a = confidant::dotenvx::encrypt(&public_key, "hunter2")?;
/// let b = confidant::dotenvx::encrypt(&public_key, "hunter2")?;
/// assert!(a.starts_with("encrypted:"));
/// assert_ne!(a, b);
/// # Ok::<(), confidant::dotenvx::Error>(())
/// ```
pub fn encrypt(public_key_hex: &str, value: &str) -> Result<String, Error> {
    let bytes =
        hex_decode(public_key_hex.trim()).ok_or(Error::InvalidKey("a public key must be hex"))?;
    let recipient = PublicKey::from_sec1_bytes(&bytes)
        .map_err(|_| Error::InvalidKey("not a secp256k1 public key"))?;
    let ephemeral = SecretKey::random(&mut OsRng);
    let ephemeral_point = ephemeral.public_key().to_encoded_point(false);
    let ephemeral_point = ephemeral_point.as_bytes();
    let key = aes_key(ephemeral_point, &shared_point(&ephemeral, &recipient));
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);

    let mut out = Vec::with_capacity(HEADER_LEN + value.len());
    out.extend_from_slice(ephemeral_point);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&[0u8; TAG_LEN]);
    out.extend_from_slice(value.as_bytes());
    let tag = Cipher::new(GenericArray::from_slice(&key[..]))
        .encrypt_in_place_detached(
            GenericArray::from_slice(&nonce),
            b"",
            &mut out[HEADER_LEN..],
        )
        .map_err(|_| Error::Malformed("value too long to encrypt"))?;
    out[POINT_LEN + NONCE_LEN..HEADER_LEN].copy_from_slice(&tag);
    Ok(format!("{PREFIX}{}", BASE64.encode(&out)))
}

/// A new key pair: the public key as compressed hex (what `DOTENV_PUBLIC_KEY` holds) and
/// the private key as 64 hex digits (what `DOTENV_PRIVATE_KEY` holds), as a [`Secret`].
///
/// ```
/// use confidant::ExposeSecret;
/// let (public_key, private_key) = confidant::dotenvx::generate_keypair();
/// assert_eq!(public_key.len(), 66);
/// assert_eq!(private_key.expose_secret().len(), 64);
/// ```
pub fn generate_keypair() -> (String, Secret<String>) {
    let secret = SecretKey::random(&mut OsRng);
    let public = hex_encode(secret.public_key().to_encoded_point(true).as_bytes());
    let bytes = Zeroizing::new(secret.to_bytes());
    (public, Secret::new(hex_encode(&bytes[..])))
}

/// The public key (compressed hex) of a private key (64 hex digits): to check which
/// key pair a private key belongs to.
///
/// ```
/// use confidant::ExposeSecret;
/// let (public_key, private_key) = confidant::dotenvx::generate_keypair();
/// let derived = confidant::dotenvx::public_key(private_key.expose_secret())?;
/// assert_eq!(derived, public_key);
/// # Ok::<(), confidant::dotenvx::Error>(())
/// ```
pub fn public_key(private_key_hex: &str) -> Result<String, Error> {
    let secret = parse_private_key(private_key_hex.trim())?;
    Ok(hex_encode(
        secret.public_key().to_encoded_point(true).as_bytes(),
    ))
}

/// The names dotenvx gives a `.env` file's keys, from the file's name: `.env` has
/// `DOTENV_PUBLIC_KEY` and `DOTENV_PRIVATE_KEY`, `.env.production` has
/// `DOTENV_PUBLIC_KEY_PRODUCTION` and `DOTENV_PRIVATE_KEY_PRODUCTION`, `.env.ci.local`
/// has `..._CI_LOCAL`. At load, a `DOTENV_PUBLIC_KEY_<X>` written in the file itself
/// takes precedence: its private key is `DOTENV_PRIVATE_KEY_<X>`.
///
/// ```
/// use confidant::dotenvx::key_names;
/// assert_eq!(key_names(".env".as_ref()), ("DOTENV_PUBLIC_KEY".into(), "DOTENV_PRIVATE_KEY".into()));
/// assert_eq!(key_names("deploy/.env.production".as_ref()).1, "DOTENV_PRIVATE_KEY_PRODUCTION");
/// ```
pub fn key_names(env_file: &Path) -> (String, String) {
    let mut name = env_file
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.starts_with(".env") && name.ends_with(".txt") {
        name.truncate(name.len() - 4);
    }
    if name == ".env" {
        return ("DOTENV_PUBLIC_KEY".into(), "DOTENV_PRIVATE_KEY".into());
    }
    // dotenvx's rule: the parts after `.env.`, at most two, joined with `_`.
    let parts: Vec<&str> = name.split('.').skip(2).take(2).collect();
    let environment = if parts.is_empty() {
        name.replacen(".env", "development", 1)
    } else {
        parts.join("_")
    }
    .to_uppercase();
    (
        format!("DOTENV_PUBLIC_KEY_{environment}"),
        format!("DOTENV_PRIVATE_KEY_{environment}"),
    )
}

/// Decrypts an `encrypted:` value with the first of the comma-separated private keys
/// (64 hex digits each) that authenticates it. Settings need no call: the loader
/// decrypts `encrypted:` values itself; this is for tools (re-encrypting, rotating).
///
/// ```
/// use confidant::ExposeSecret;
/// use confidant::dotenvx::{Error, decrypt, encrypt, generate_keypair};
///
/// let (public_key, private_key) = generate_keypair();
/// let (_, other_key) = generate_keypair();
/// let sealed = encrypt(&public_key, "hunter2")?;
/// let keys = format!("{},{}", other_key.expose_secret(), private_key.expose_secret());
/// assert_eq!(decrypt(&keys, &sealed)?.expose_secret(), "hunter2");
/// assert_eq!(decrypt(other_key.expose_secret(), &sealed).unwrap_err(), Error::WrongKey);
/// assert_eq!(decrypt("", &sealed).unwrap_err(), Error::MissingKey);
/// # Ok::<(), Error>(())
/// ```
pub fn decrypt(private_keys: &str, value: &str) -> Result<Secret<String>, Error> {
    let mut text = open_text(private_keys, value)?;
    Ok(Secret::new(std::mem::take(&mut *text)))
}

/// [`decrypt`] into a zeroizing buffer, for the loader.
fn open_text(private_keys: &str, value: &str) -> Result<Zeroizing<String>, Error> {
    let encoded = value
        .strip_prefix(PREFIX)
        .ok_or(Error::Malformed("it does not start with `encrypted:`"))?;
    let data = Zeroizing::new(
        BASE64
            .decode(encoded.trim())
            .map_err(|_| Error::Malformed("it is not base64"))?,
    );
    if data.len() < HEADER_LEN {
        return Err(Error::Malformed("it is too short"));
    }
    let (point, rest) = data.split_at(POINT_LEN);
    let (nonce, rest) = rest.split_at(NONCE_LEN);
    let (tag, ciphertext) = rest.split_at(TAG_LEN);
    if point[0] != 0x04 {
        return Err(Error::Malformed(
            "its ephemeral key is not an uncompressed point",
        ));
    }
    let ephemeral = PublicKey::from_sec1_bytes(point)
        .map_err(|_| Error::Malformed("its ephemeral key is not a point on secp256k1"))?;

    let mut outcome = Error::MissingKey;
    for key in private_keys
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        let secret = match parse_private_key(key) {
            Ok(secret) => secret,
            Err(err) => {
                if outcome == Error::MissingKey {
                    outcome = err;
                }
                continue;
            }
        };
        let aes = aes_key(point, &shared_point(&secret, &ephemeral));
        let mut plain = Zeroizing::new(ciphertext.to_vec());
        let opened = Cipher::new(GenericArray::from_slice(&aes[..])).decrypt_in_place_detached(
            GenericArray::from_slice(nonce),
            b"",
            &mut plain,
            GenericArray::from_slice(tag),
        );
        if opened.is_ok() {
            return match String::from_utf8(std::mem::take(&mut *plain)) {
                Ok(text) => Ok(Zeroizing::new(text)),
                Err(err) => {
                    drop(Zeroizing::new(err.into_bytes()));
                    Err(Error::Malformed("the decrypted value is not UTF-8"))
                }
            };
        }
        outcome = Error::WrongKey;
    }
    Err(outcome)
}

fn parse_private_key(hex: &str) -> Result<SecretKey, Error> {
    const INVALID: Error = Error::InvalidKey("a private key must be 64 hex digits");
    if hex.len() != 64 {
        return Err(INVALID);
    }
    let bytes = Zeroizing::new(hex_decode(hex).ok_or(INVALID)?);
    SecretKey::from_slice(&bytes).map_err(|_| Error::InvalidKey("not a secp256k1 private key"))
}

/// The shared point `secret · public`, uncompressed (65 bytes), as `eciesjs` feeds it to
/// HKDF.
fn shared_point(secret: &SecretKey, public: &PublicKey) -> Zeroizing<[u8; POINT_LEN]> {
    let mut scalar = secret.to_nonzero_scalar();
    let mut point = (public.to_projective() * *scalar).to_affine();
    let mut encoded = point.to_encoded_point(false);
    let mut out = Zeroizing::new([0u8; POINT_LEN]);
    out.copy_from_slice(encoded.as_bytes());
    scalar.zeroize();
    point.zeroize();
    encoded.zeroize();
    out
}

/// HKDF-SHA256 of `ephemeral point ‖ shared point`, no salt, empty info: the AES key.
fn aes_key(ephemeral_point: &[u8], shared: &[u8; POINT_LEN]) -> Zeroizing<[u8; 32]> {
    let mut ikm = Zeroizing::new([0u8; 2 * POINT_LEN]);
    ikm[..POINT_LEN].copy_from_slice(ephemeral_point);
    ikm[POINT_LEN..].copy_from_slice(shared);
    let mut key = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(None, &ikm[..])
        .expand(&[], &mut key[..])
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    key
}

fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

fn hex_decode(hex: &str) -> Option<Vec<u8>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let hex = hex.as_bytes();
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    hex.chunks_exact(2)
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

// ---------------------------------------------------------------------------------------
// The loader's side: encrypted hits are sealed when a source is scanned and opened only
// if their layer decides the setting, as files are read only for the deciding layer.

/// The `DOTENV_PRIVATE_KEY*` variables of the environment the loader uses.
pub(crate) enum KeyEnv {
    /// The process environment, looked up when a key is needed.
    Process,
    /// The variables given to `Loader::env_vars`: only the private keys, copied.
    Given(Vec<(String, Zeroizing<String>)>),
}

impl KeyEnv {
    pub(crate) fn capture(vars: Option<&[(OsString, OsString)]>) -> Rc<KeyEnv> {
        Rc::new(match vars {
            None => KeyEnv::Process,
            Some(vars) => KeyEnv::Given(
                vars.iter()
                    .filter(|(name, _)| name.as_encoded_bytes().starts_with(b"DOTENV_PRIVATE_KEY"))
                    .filter_map(|(name, value)| {
                        Some((
                            name.to_str()?.to_owned(),
                            Zeroizing::new(value.to_str()?.to_owned()),
                        ))
                    })
                    .collect(),
            ),
        })
    }

    fn get(&self, name: &str) -> Option<Zeroizing<String>> {
        let value = match self {
            KeyEnv::Process => std::env::var_os(name)
                .and_then(|v| v.into_string().ok())
                .map(Zeroizing::new),
            // The last one given wins, as for any variable given twice.
            KeyEnv::Given(vars) => vars
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone()),
        };
        value.filter(|v| !v.trim().is_empty())
    }
}

/// Where the private key of a group of encrypted values comes from.
pub(crate) struct Keys {
    env: Rc<KeyEnv>,
    /// The `.env` file the values are in; `None` for environment values.
    file: Option<PathBuf>,
    /// Looked up once, when the first value is opened.
    found: OnceCell<Lookup>,
    /// For the values of a `.env` file: what a decrypted value is expanded with.
    expansion: Option<crate::source::dotenv::Expansion>,
}

/// The private key's name, and its value with where it was found, if it was.
struct Lookup {
    name: String,
    found: Option<(Zeroizing<String>, String)>,
}

impl Keys {
    fn lookup(&self) -> &Lookup {
        self.found.get_or_init(|| {
            let name = match &self.file {
                Some(file) => private_key_name_of(file),
                None => "DOTENV_PRIVATE_KEY".to_owned(),
            };
            let mut found = self
                .env
                .get(&name)
                .map(|keys| (keys, "the environment".to_owned()));
            if let (None, Some(file)) = (&found, &self.file) {
                let keys_file = keys_file(file);
                found = crate::source::dotenv::pairs(&keys_file)
                    .into_iter()
                    .rfind(|(key, _)| *key == name)
                    .map(|(_, value)| value)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (v, keys_file.display().to_string()));
            }
            Lookup { name, found }
        })
    }
}

/// The private key's name for a `.env` file: from the `DOTENV_PUBLIC_KEY*` name written
/// in it, else from its file name (dotenvx's rule).
fn private_key_name_of(file: &Path) -> String {
    crate::source::dotenv::pairs(file)
        .into_iter()
        .find_map(|(key, _)| {
            key.strip_prefix("DOTENV_PUBLIC_KEY")
                .map(|rest| format!("DOTENV_PRIVATE_KEY{rest}"))
        })
        .unwrap_or_else(|| key_names(file).1)
}

fn keys_file(env_file: &Path) -> PathBuf {
    env_file.with_file_name(".env.keys")
}

/// An `encrypted:` value waiting for its layer to decide.
pub(crate) struct Sealed {
    data: Zeroizing<String>,
    keys: Rc<Keys>,
    /// The `.env` line of the value (0 for the environment).
    line: usize,
}

impl Sealed {
    /// Decrypts the value; an error is a problem's kind and message, which name the key
    /// variable and file but never a key, the ciphertext or the value.
    pub(crate) fn open(self) -> Result<Zeroizing<String>, (ProblemKind, String)> {
        let Lookup { name, found } = self.keys.lookup();
        let Some((keys, from)) = found else {
            let message = match &self.keys.file {
                Some(file) => format!(
                    "the value is encrypted and there is no private key to decrypt it: set {name} or add it to {}",
                    keys_file(file).display()
                ),
                None => format!(
                    "the value is encrypted and there is no private key to decrypt it: set {name}"
                ),
            };
            return Err((ProblemKind::Unreadable, message));
        };
        let text = open_text(keys, &self.data).map_err(|err| match err {
            Error::MissingKey | Error::WrongKey => (
                ProblemKind::Unreadable,
                format!(
                    "cannot decrypt the value: authentication failed with every key in {name} (from {from}); it was encrypted for another key pair or altered"
                ),
            ),
            Error::InvalidKey(what) => (
                ProblemKind::Unreadable,
                format!("cannot decrypt the value: {name} (from {from}) holds no usable key: {what}"),
            ),
            Error::Malformed(what) => (
                ProblemKind::Invalid,
                format!("the encrypted value is malformed: {what}; encrypt it again"),
            ),
        })?;
        // dotenvx expands `$NAME` in a decrypted `.env` value (`dotenvx get` does).
        match &self.keys.expansion {
            Some(expansion) => expansion.expand(text, self.line).map_err(|()| {
                (
                    ProblemKind::Invalid,
                    "the decrypted value has a `${` with no closing `}`".to_owned(),
                )
            }),
            None => Ok(text),
        }
    }
}

/// Seals the `encrypted:` values among a `.env` file's hits and marks their origin;
/// once decrypted, each is expanded with `vars` (the environment the loader uses) and
/// the file's values, as dotenvx does.
pub(crate) fn seal_dotenv(
    hits: &mut [Hit],
    file: &Path,
    env: &Rc<KeyEnv>,
    vars: crate::source::dotenv::Env<'_>,
) {
    seal(hits, env, Some((file, vars)));
}

/// Seals the `encrypted:` values among the environment's hits.
pub(crate) fn seal_env(hits: &mut [Hit], env: &Rc<KeyEnv>) {
    seal(hits, env, None);
}

fn seal(
    hits: &mut [Hit],
    env: &Rc<KeyEnv>,
    dotenv: Option<(&Path, crate::source::dotenv::Env<'_>)>,
) {
    let file = dotenv.map(|(file, _)| file);
    let mut keys: Option<Rc<Keys>> = None;
    for hit in hits {
        // A `NAME_FILE` path may be encrypted too (dotenvx encrypts every value).
        let data = match &mut hit.raw {
            Raw::Text(text) if text.starts_with(PREFIX) => std::mem::take(text),
            Raw::Path { path, .. }
                if path
                    .as_os_str()
                    .as_encoded_bytes()
                    .starts_with(PREFIX.as_bytes()) =>
            {
                match std::mem::take(path).into_os_string().into_string() {
                    Ok(text) => Zeroizing::new(text),
                    Err(_) => continue,
                }
            }
            _ => continue,
        };
        let keys = keys.get_or_insert_with(|| {
            Rc::new(Keys {
                env: Rc::clone(env),
                file: file.map(Path::to_owned),
                found: OnceCell::new(),
                // Read only for a file that holds an encrypted value.
                expansion: dotenv
                    .map(|(file, vars)| crate::source::dotenv::Expansion::read(file, vars)),
            })
        });
        hit.raw = Raw::Encrypted(Sealed {
            data,
            keys: Rc::clone(keys),
            line: hit.found.at,
        });
        // Hidden at rest on purpose: an error about the decrypted text never shows it.
        hit.found.conceal = true;
        hit.found.encrypted = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn round_trip_with_the_second_of_two_keys() {
        let (public, private) = generate_keypair();
        let (_, other) = generate_keypair();
        let sealed = encrypt(&public, "värde with ünïcode").unwrap();
        let keys = format!("{},{}", other.expose_secret(), private.expose_secret());
        assert_eq!(
            open_text(&keys, &sealed).unwrap().as_str(),
            "värde with ünïcode"
        );
        assert_eq!(
            open_text(other.expose_secret(), &sealed),
            Err(Error::WrongKey)
        );
        assert_eq!(open_text("", &sealed), Err(Error::MissingKey));
        assert!(matches!(
            open_text("zz", &sealed),
            Err(Error::InvalidKey(_))
        ));
    }

    #[test]
    fn empty_values_round_trip() {
        let (public, private) = generate_keypair();
        let sealed = encrypt(&public, "").unwrap();
        assert_eq!(
            open_text(private.expose_secret(), &sealed)
                .unwrap()
                .as_str(),
            ""
        );
    }

    #[test]
    fn malformed_values_are_told_apart() {
        let (_, private) = generate_keypair();
        let key = private.expose_secret();
        assert_eq!(
            open_text(key, "encrypted:***"),
            Err(Error::Malformed("it is not base64"))
        );
        assert_eq!(
            open_text(key, "encrypted:AAAA"),
            Err(Error::Malformed("it is too short"))
        );
        let bad_point = format!("encrypted:{}", BASE64.encode([4u8; HEADER_LEN]));
        assert!(matches!(
            open_text(key, &bad_point),
            Err(Error::Malformed(_))
        ));
    }

    #[test]
    fn key_names_follow_dotenvx() {
        let private = |f: &str| key_names(Path::new(f)).1;
        assert_eq!(private(".env"), "DOTENV_PRIVATE_KEY");
        assert_eq!(private(".env.production"), "DOTENV_PRIVATE_KEY_PRODUCTION");
        assert_eq!(private(".env.ci.local"), "DOTENV_PRIVATE_KEY_CI_LOCAL");
        assert_eq!(private(".env.a.b.c"), "DOTENV_PRIVATE_KEY_A_B");
        assert_eq!(private(".env1"), "DOTENV_PRIVATE_KEY_DEVELOPMENT1");
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(
            hex_decode(&hex_encode(&[0, 1, 0xab, 0xff])).unwrap(),
            [0, 1, 0xab, 0xff]
        );
        assert_eq!(hex_decode("0g"), None);
        assert_eq!(hex_decode("abc"), None);
    }
}
