//! Readers for each layer. Each turns its source into [`Hit`]s: a leaf, a layer, and
//! the raw text (or a path to read it from), with its origin. Values stay text here;
//! they are parsed once, into the field's type, when the struct is built.

pub(crate) mod config;
pub(crate) mod dotenv;
pub(crate) mod env;
pub(crate) mod file;
#[cfg(feature = "figment")]
pub(crate) mod provider;
pub mod remote;
#[cfg(feature = "dotenvx")]
pub(crate) mod seal;
#[cfg(feature = "dotenvx")]
pub(crate) mod sealed;
pub(crate) mod secrets_dir;

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::origin::Origin;

/// A value as a source holds it, before parsing.
pub(crate) enum Raw {
    /// Text, wiped when dropped.
    Text(Zeroizing<String>),
    /// A value that is not UTF-8 (environment only).
    NotUtf8,
    /// A file to read the value from (`NAME_FILE`, a secrets-directory entry);
    /// `regular` when listing the directory already showed a regular file, so the file
    /// is opened without a separate look first (what was opened is still checked).
    Path { path: PathBuf, regular: bool },
    /// A secrets-directory entry that cannot be read (a dangling, looping or escaping
    /// symlink), reported only if its layer decides the setting.
    Broken(crate::error::FileError),
    /// An `encrypted:` value (dotenvx), decrypted only if its layer decides the leaf.
    #[cfg(feature = "dotenvx")]
    Encrypted(sealed::Sealed),
    /// Bytes that may not be UTF-8 (a remote source's binary secret), wiped when
    /// dropped: a `Secret<Vec<u8>>` takes them as they are, a text setting only if
    /// they are UTF-8.
    Bytes(Zeroizing<Vec<u8>>),
}

/// One place that sets a leaf: the value as its source holds it, and where it was found.
pub(crate) struct Hit {
    pub leaf: usize,
    pub raw: Raw,
    pub found: Found,
}

/// Where a value was found: the one record of a leaf's value. A source makes it;
/// resolution keeps the winner's (and adds the file a `NAME_FILE` named); the build
/// reads it for problems and `explain`. An [`Origin`] is made from it, with the load's
/// [`Layers`], only to be shown.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Which source (an index into [`Layers`]); higher layers win.
    pub layer: usize,
    /// 0 for the primary name, 1.. for aliases, then deprecated names.
    pub rank: u8,
    /// A file to read: a `NAME_FILE` variable, or a secrets-directory entry.
    pub via_file: bool,
    /// The text may hold another setting's secret (a `.env` `$VAR` substitution, a
    /// `.env` value over several lines, a decrypted value): an error about it never
    /// shows it.
    pub conceal: bool,
    /// The value was `encrypted:` (dotenvx) and is decrypted at resolution.
    pub encrypted: bool,
    /// The `.env` line; for a provider, which of its layer's names the value's tag has.
    pub at: usize,
    /// The name as spelled in the source: the variable or `.env` key, the dotted path
    /// of a provider's value or an override, the entry's path inside a secrets
    /// directory.
    pub spelled: String,
    /// The file a `NAME_FILE` named, once it was read.
    pub file: Option<PathBuf>,
}

impl Found {
    /// Found in `layer` under the environment or `.env` name `spelled`, which the plan
    /// maps to `name`.
    pub fn named(layer: usize, name: crate::plan::NameRef, spelled: String) -> Found {
        Found {
            layer,
            rank: name.rank,
            via_file: name.file,
            spelled,
            ..Found::default()
        }
    }
}

/// The sources of one load, one per layer, lowest first: what turns a [`Found`] into
/// an [`Origin`], so that a hit holds no path of its own.
#[derive(Debug, Default)]
pub(crate) struct Layers {
    layers: Vec<Layer>,
    /// The files `NAME_FILE` variables named (secrets-directory entries excluded: their
    /// directory is watched), sorted: what a `Watch` watches besides the layers' paths.
    /// Filled in only for a load that keeps its outcomes.
    pub name_files: Vec<PathBuf>,
    /// Where the default `.env` and the struct's config file were looked for and are
    /// not, nearer than any found (every place when none was): a `Watch` reloads when a
    /// file appears at one of them, since the next load would read it.
    pub searched: Vec<PathBuf>,
}

/// One source of a load.
#[derive(Debug)]
pub(crate) enum Layer {
    /// A figment provider, with the names of its values' metadata.
    #[cfg_attr(not(feature = "figment"), allow(dead_code))]
    Provider(Vec<String>),
    /// A config file, as found or given.
    Config(PathBuf),
    /// A secrets directory, as given.
    SecretsDir(PathBuf),
    /// A `.env` file.
    Dotenv(PathBuf),
    /// The process environment, or the map given to `env_vars`.
    Environment,
    /// `Loader::set`.
    Override,
    /// The command-line flags of `cli::Flags`: `Found::spelled` is the flag.
    #[cfg_attr(not(feature = "clap"), allow(dead_code))]
    CommandLine,
    /// A remote source (`Loader::source`): its name (`vault secret/myapp/prod`) and the
    /// places of its values (`Found::at` indexes them).
    Remote { source: String, places: Vec<String> },
}

impl Layers {
    /// Keeps where a search looked in vain ([`Layers::searched`]); the file it found.
    pub fn search(&mut self, search: file::Search) -> Option<PathBuf> {
        self.searched.extend(search.missing);
        search.found
    }

    /// The secrets directories, in layer order, whether or not each exists.
    pub fn secrets_dirs(&self) -> impl Iterator<Item = &PathBuf> {
        self.layers.iter().filter_map(|layer| match layer {
            Layer::SecretsDir(dir) => Some(dir),
            _ => None,
        })
    }

    /// The config files, in layer order, whether or not each exists.
    pub fn config_files(&self) -> impl Iterator<Item = &PathBuf> {
        self.layers.iter().filter_map(|layer| match layer {
            Layer::Config(file) => Some(file),
            _ => None,
        })
    }

    /// The `.env` files, in layer order, whether or not each exists.
    pub fn dotenvs(&self) -> impl Iterator<Item = &PathBuf> {
        self.layers.iter().filter_map(|layer| match layer {
            Layer::Dotenv(file) => Some(file),
            _ => None,
        })
    }

    /// Adds the next layer; returns its index.
    pub fn push(&mut self, layer: Layer) -> usize {
        self.layers.push(layer);
        self.layers.len() - 1
    }

    /// How many layers there are: the index the next one gets.
    pub fn len(&self) -> usize {
        self.layers.len()
    }

    /// The index of `name` among a provider layer's names, added if new.
    #[cfg(feature = "figment")]
    pub fn provider_name(&mut self, layer: usize, name: String) -> usize {
        let Layer::Provider(names) = &mut self.layers[layer] else {
            unreachable!("a provider's values are found in its own layer");
        };
        names.iter().position(|n| *n == name).unwrap_or_else(|| {
            names.push(name);
            names.len() - 1
        })
    }

    /// The `.env` file of `layer`, if it is one: a `NAME_FILE` path in it is relative
    /// to its directory (an encrypted one is made so once decrypted).
    #[cfg(feature = "dotenvx")]
    pub fn dotenv_of(&self, layer: usize) -> Option<&Path> {
        match &self.layers[layer] {
            Layer::Dotenv(file) => Some(file),
            _ => None,
        }
    }

    /// Whether `layer` is a secrets directory.
    pub fn is_secrets_dir(&self, layer: usize) -> bool {
        matches!(self.layers[layer], Layer::SecretsDir(_))
    }

    /// Whether `layer` holds the overrides.
    pub fn is_override(&self, layer: usize) -> bool {
        matches!(self.layers[layer], Layer::Override)
    }

    /// Where `found`'s value came from, with the file it named when it was read.
    pub fn origin(&self, found: &Found) -> Origin {
        self.origin_with(found, found.file.as_deref())
    }

    /// Where `found`'s value came from, `file` being the file a `NAME_FILE` named (for
    /// a candidate not yet the winner); `None` names the variable's own place.
    pub fn origin_with(&self, found: &Found, file: Option<&Path>) -> Origin {
        match (&self.layers[found.layer], file) {
            (Layer::SecretsDir(dir), _) => Origin::SecretsFile {
                path: dir.join(&found.spelled),
            },
            (_, Some(path)) => Origin::NameFile {
                path: path.to_owned(),
                var: found.spelled.clone(),
            },
            (Layer::Provider(names), None) => Origin::Provider {
                name: names[found.at].clone(),
            },
            (Layer::Config(path), None) => Origin::ConfigFile {
                path: path.clone(),
                line: found.at,
                key: found.spelled.clone(),
            },
            (Layer::Dotenv(path), None) => Origin::Dotenv {
                path: path.clone(),
                line: found.at,
                encrypted: found.encrypted,
            },
            (Layer::Environment, None) => Origin::Environment,
            (Layer::Override, None) => Origin::Override,
            (Layer::CommandLine, None) => Origin::CommandLine {
                flag: found.spelled.clone(),
            },
            (Layer::Remote { source, places }, None) => Origin::Remote {
                source: source.clone(),
                place: places
                    .get(found.at)
                    .cloned()
                    .unwrap_or_else(|| source.clone()),
            },
        }
    }

    /// How a conflict names the place `found` came from: the variable or key, or a
    /// secrets file's path.
    pub fn spelled(&self, found: &Found) -> String {
        match &self.layers[found.layer] {
            Layer::SecretsDir(dir) => dir.join(&found.spelled).display().to_string(),
            _ => found.spelled.clone(),
        }
    }
}

/// The path a `NAME_FILE` value in the file `file` (a `.env`) names: a relative one is
/// relative to `file`'s directory, an absolute or empty one is taken as it is.
pub(crate) fn beside(file: &Path, value: &str) -> PathBuf {
    let named = Path::new(value);
    match file.parent() {
        Some(dir) if !value.is_empty() && named.is_relative() => dir.join(named),
        _ => named.to_owned(),
    }
}

/// The `NAME_FILE` paths among a load's hits (secrets-directory entries excluded: their
/// directory is watched), sorted.
pub(crate) fn name_files(layers: &Layers, hits: &[Hit]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = hits
        .iter()
        .filter(|hit| hit.found.via_file && !layers.is_secrets_dir(hit.found.layer))
        .filter_map(|hit| match &hit.raw {
            Raw::Path { path, .. } if !path.as_os_str().is_empty() => Some(path.clone()),
            _ => None,
        })
        .collect();
    files.sort();
    files.dedup();
    files
}
