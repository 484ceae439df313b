//! Sealing the `encrypted:` values of a source as it is scanned (feature `dotenvx`):
//! each becomes a [`Sealed`] value, opened only if its layer decides the setting.

use std::path::Path;
use std::rc::Rc;

use zeroize::Zeroizing;

use super::dotenv::{Env, Expansion};
use super::sealed::{KeyEnv, Keys, Sealed};
use super::{Hit, Raw};
use crate::dotenvx::PREFIX;

/// Seals the `encrypted:` values among a `.env` file's hits and marks their origin;
/// once decrypted, each is expanded with `vars` (the environment the loader uses) and
/// the file's values, as dotenvx does.
pub(crate) fn seal_dotenv(hits: &mut [Hit], file: &Path, env: &Rc<KeyEnv>, vars: Env<'_>) {
    seal(hits, env, Some((file, vars)));
}

/// Seals the `encrypted:` values among the environment's hits.
pub(crate) fn seal_env(hits: &mut [Hit], env: &Rc<KeyEnv>) {
    seal(hits, env, None);
}

fn seal(hits: &mut [Hit], env: &Rc<KeyEnv>, dotenv: Option<(&Path, Env<'_>)>) {
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
            // Read only for a file that holds an encrypted value.
            let expansion = dotenv.map(|(file, vars)| {
                Box::new(Expansion::read(file, vars)) as Box<dyn super::sealed::Expand>
            });
            Keys::new(env, file, expansion)
        });
        hit.raw = Raw::Encrypted(Sealed::new(data, keys, hit.found.at));
        // Hidden at rest on purpose: an error about the decrypted text never shows it.
        hit.found.conceal = true;
        hit.found.encrypted = true;
    }
}
