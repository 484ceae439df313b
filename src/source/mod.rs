//! Readers for each layer. Each turns its source into [`Hit`]s: a leaf, a layer, and
//! the raw text (or a path to read it from), with its origin. Values stay text here;
//! they are parsed once, into the field's type, when the struct is built.

pub(crate) mod dotenv;
pub(crate) mod env;
pub(crate) mod file;
pub(crate) mod secrets_dir;

use std::path::PathBuf;

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
    Broken(file::FileError),
    /// An `encrypted:` value (dotenvx), decrypted only if its layer decides the leaf.
    #[cfg(feature = "dotenvx")]
    Encrypted(crate::dotenvx::Sealed),
}

/// One place that sets a leaf.
pub(crate) struct Hit {
    pub leaf: usize,
    /// Higher layers win.
    pub layer: usize,
    /// 0 for the primary name, 1.. for aliases.
    pub rank: u8,
    /// Set through `NAME_FILE`.
    pub via_file: bool,
    /// The name as it was spelled in the source, for conflict reports.
    pub spelled: String,
    pub raw: Raw,
    pub origin: Origin,
    /// The text may hold another setting's secret (a `.env` `$VAR` substitution, or a
    /// `.env` value over several lines): an error about it never shows it.
    pub conceal: bool,
}
