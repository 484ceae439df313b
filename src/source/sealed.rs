//! `encrypted:` values (dotenvx) as a load meets them: sealed when their source is
//! scanned, and opened (decrypted) only if their layer decides the setting, as files are
//! read only for the deciding layer. The format and the crypto are `crate::dotenvx`'s.

use std::cell::{OnceCell, RefCell};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use zeroize::Zeroizing;

use crate::dotenvx::{Error, key_names, open_text};
use crate::error::{ProblemKind, Unsealed};

/// Reads the pairs of a `.env`-format file.
pub(crate) type ReadPairs = fn(&Path) -> Vec<(String, Zeroizing<String>)>;

/// What a decrypted `.env` value is expanded with (dotenvx expands `$NAME` in it, as
/// `dotenvx get` does): the `.env` reader's, handed in so that this module needs no other
/// source.
pub(crate) trait Expand {
    /// The decrypted `text` of the value on `line`, expanded. `Err` for a `${` that does
    /// not close.
    fn expand(&self, text: Zeroizing<String>, line: usize) -> Result<Zeroizing<String>, ()>;
}

// The loader's side: encrypted hits are sealed when a source is scanned and opened only
// if their layer decides the setting, as files are read only for the deciding layer.

/// The `DOTENV_PRIVATE_KEY*` variables of the environment the loader uses, and every
/// private key a load looked up (they are secrets of the load: its redactor has them).
pub(crate) struct KeyEnv {
    vars: KeyVars,
    tried: RefCell<Vec<Zeroizing<Vec<u8>>>>,
    /// Reads a `.env`-format file's pairs (`.env.keys`, the `.env` file's public key
    /// name): the `.env` reader's, handed in so that this module needs no other source.
    read: ReadPairs,
}

enum KeyVars {
    /// The process environment, looked up when a key is needed.
    Process,
    /// The variables given to `Loader::env_vars`: only the private keys, copied.
    Given(Vec<(String, Zeroizing<String>)>),
}

impl KeyEnv {
    pub(crate) fn capture(vars: Option<&[(OsString, OsString)]>, read: ReadPairs) -> Rc<KeyEnv> {
        let vars = match vars {
            None => KeyVars::Process,
            Some(vars) => KeyVars::Given(
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
        };
        Rc::new(KeyEnv {
            vars,
            tried: RefCell::new(Vec::new()),
            read,
        })
    }

    /// The private keys looked up so far (each variable's whole value and each of its
    /// comma-separated keys), taken.
    pub(crate) fn take_tried(&self) -> Vec<Zeroizing<Vec<u8>>> {
        std::mem::take(&mut *self.tried.borrow_mut())
    }

    /// Keeps `keys` (a looked-up key variable's value) for the load's redactor.
    fn tried(&self, keys: &str) {
        let mut tried = self.tried.borrow_mut();
        tried.push(Zeroizing::new(keys.as_bytes().to_vec()));
        for key in keys.split(',').map(str::trim).filter(|k| !k.is_empty()) {
            tried.push(Zeroizing::new(key.as_bytes().to_vec()));
        }
    }

    fn get(&self, name: &str) -> Option<Zeroizing<String>> {
        let value = match &self.vars {
            KeyVars::Process => std::env::var_os(name)
                .and_then(|v| v.into_string().ok())
                .map(Zeroizing::new),
            // The last one given wins, as for any variable given twice.
            KeyVars::Given(vars) => vars
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
    expansion: Option<Box<dyn Expand>>,
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
                Some(file) => private_key_name_of(file, self.env.read),
                None => "DOTENV_PRIVATE_KEY".to_owned(),
            };
            let mut found = self
                .env
                .get(&name)
                .map(|keys| (keys, "the environment".to_owned()));
            if let (None, Some(file)) = (&found, &self.file) {
                let keys_file = keys_file(file);
                found = (self.env.read)(&keys_file)
                    .into_iter()
                    .rfind(|(key, _)| *key == name)
                    .map(|(_, value)| value)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (v, keys_file.display().to_string()));
            }
            if let Some((keys, _)) = &found {
                self.env.tried(keys);
            }
            Lookup { name, found }
        })
    }
}

/// The problem's kind and sentence for a value that gave no text.
fn unsealed(why: Unsealed<'_>) -> (ProblemKind, String) {
    (why.kind(), why.sentence())
}

/// The private key's name for a `.env` file: from the `DOTENV_PUBLIC_KEY*` name written
/// in it, else from its file name (dotenvx's rule).
fn private_key_name_of(file: &Path, read: ReadPairs) -> String {
    read(file)
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
            let file = self
                .keys
                .file
                .as_ref()
                .map(|file| keys_file(file).display().to_string());
            return Err(unsealed(Unsealed::NoKey {
                name,
                keys_file: file.as_deref(),
            }));
        };
        let text = open_text(keys, &self.data).map_err(|err| {
            unsealed(match err {
                Error::MissingKey | Error::WrongKey => Unsealed::WrongKey { name, from },
                Error::InvalidKey(what) => Unsealed::UnusableKey { name, from, what },
                Error::Malformed(what) => Unsealed::Malformed { what },
            })
        })?;
        // dotenvx expands `$NAME` in a decrypted `.env` value (`dotenvx get` does).
        match &self.keys.expansion {
            Some(expansion) => expansion
                .expand(text, self.line)
                .map_err(|()| unsealed(Unsealed::Unclosed)),
            None => Ok(text),
        }
    }
}

impl Keys {
    /// Where the private key of the encrypted values of one source comes from: `file`,
    /// the `.env` file they are in (`None` for environment values).
    pub(crate) fn new(
        env: &Rc<KeyEnv>,
        file: Option<&Path>,
        expansion: Option<Box<dyn Expand>>,
    ) -> Rc<Keys> {
        Rc::new(Keys {
            env: Rc::clone(env),
            file: file.map(Path::to_owned),
            found: OnceCell::new(),
            expansion,
        })
    }
}

impl Sealed {
    /// The `encrypted:` text `data` of `.env` line `line` (0 for the environment),
    /// opened with `keys` if its layer decides.
    pub(crate) fn new(data: Zeroizing<String>, keys: &Rc<Keys>, line: usize) -> Sealed {
        Sealed {
            data,
            keys: Rc::clone(keys),
            line,
        }
    }
}
