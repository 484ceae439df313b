//! Reading one value from a file (a secrets-directory entry or `NAME_FILE`), without
//! stray copies: the file is read into a zeroizing buffer sized from its metadata,
//! checked as UTF-8 before a `String` exists, and trimmed in place, so the buffer that
//! becomes the value is the only one that ever held it.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::FileError;

/// A file looked for by name in a directory and its parents (the default `.env`, a
/// struct's config file).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Search {
    /// The nearest one.
    pub found: Option<PathBuf>,
    /// Where it was looked for and is not, nearest first (all the places when none was
    /// found): a file created at one of them later would be found instead, so a
    /// [`Watch`](crate::Watch) reloads when one appears.
    pub missing: Vec<PathBuf>,
}

/// Looks for `name` in `start`, then in each parent; with `stop_at_repo`, not above
/// the first directory holding `.git` (a repository's root).
pub(crate) fn search_up(start: &Path, name: &str, stop_at_repo: bool) -> Search {
    let mut search = Search::default();
    let mut dir = start.to_owned();
    loop {
        let candidate = dir.join(name);
        if candidate.is_file() {
            search.found = Some(candidate);
            return search;
        }
        search.missing.push(candidate);
        if (stop_at_repo && dir.join(".git").exists()) || !dir.pop() {
            return search;
        }
    }
}

/// The files a profile layers over `base`, lowest first: `base` (required as given),
/// then, each optional, its `<profile>` file, its `local` file and its `<profile>.local`
/// file, each named by `beside` from that middle part (`.env.production`,
/// `myapp.production.toml`). The one order of profile files, for `.env` and config files
/// alike.
pub(crate) fn profile_files(
    base: &Path,
    required: bool,
    profile: Option<&str>,
    beside: impl Fn(&str) -> Option<PathBuf>,
) -> std::iter::Flatten<std::array::IntoIter<Option<(PathBuf, bool)>, 4>> {
    let optional = |middle: &str| beside(middle).map(|path| (path, false));
    let of_profile = profile.and_then(&optional);
    let local = optional("local");
    let local_of_profile = profile.and_then(|p| optional(&format!("{p}.local")));
    [
        Some((base.to_owned(), required)),
        of_profile,
        local,
        local_of_profile,
    ]
    .into_iter()
    .flatten()
}

/// The default cap on a secrets file: Kubernetes' limit on a Secret.
pub(crate) const DEFAULT_MAX_SIZE: u64 = 1024 * 1024;

impl FileError {
    /// Maps an error from opening or looking at `path`, telling dangling and looping
    /// symlinks apart from a plain missing file.
    pub(crate) fn from_io(err: &std::io::Error, path: &Path) -> FileError {
        if is_loop(err) {
            return FileError::Loop;
        }
        match err.kind() {
            std::io::ErrorKind::NotFound => {
                if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                    FileError::Dangling
                } else {
                    FileError::NotFound
                }
            }
            kind => FileError::Io(kind),
        }
    }
}

fn is_loop(err: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        err.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = err;
        false
    }
}

/// Opens a file for reading without ever blocking: `O_NONBLOCK` so that a FIFO swapped
/// in after the type check opens at once (and is then refused after `fstat`), and
/// `O_NOCTTY` so that a terminal never becomes the controlling one.
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

fn kind_name(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO";
        }
        if ft.is_socket() {
            return "socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "device";
        }
    }
    if ft.is_dir() {
        "directory"
    } else {
        "special file"
    }
}

/// Reads `path` as a text value: BOM, surrounding whitespace and so one trailing line
/// ending removed (an all-whitespace file gives empty text, which resolution's one
/// "unset" rule takes as unset unless the field allows empty values).
///
/// `regular`: the caller has just seen a regular file at `path` (a directory listing's
/// file type), so the look before opening is skipped.
pub(crate) fn read_text(
    path: &Path,
    regular: bool,
    max: u64,
) -> Result<Zeroizing<String>, FileError> {
    text_from_buffer(read_bytes(path, regular, max)?)
}

/// Reads `path` byte for byte (a secret of bytes): no UTF-8 check, no trimming.
pub(crate) fn read_raw(
    path: &Path,
    regular: bool,
    max: u64,
) -> Result<Zeroizing<Vec<u8>>, FileError> {
    read_bytes(path, regular, max)
}

/// Reads a whole file (a config file) into a buffer wiped on drop, the same checks as
/// a value's file: a regular file, at most `max` bytes.
pub(crate) fn read_whole(path: &Path, max: u64) -> Result<Zeroizing<Vec<u8>>, FileError> {
    read_bytes(path, false, max)
}

/// Reads a whole file into a buffer sized from its metadata, wiped on drop.
fn read_bytes(path: &Path, regular: bool, max: u64) -> Result<Zeroizing<Vec<u8>>, FileError> {
    let io = |e: std::io::Error| FileError::from_io(&e, path);
    // Look before opening: a FIFO, socket or device is refused without being opened.
    if !regular {
        let meta = std::fs::metadata(path).map_err(io)?;
        if !meta.is_file() {
            return Err(FileError::NotRegular(kind_name(meta.file_type())));
        }
    }
    // The path may have been swapped between the look and the open: open without
    // blocking and look again at what was actually opened (`fstat` on the handle).
    let mut file = open_nonblocking(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(FileError::NotRegular(kind_name(meta.file_type())));
    }
    if meta.len() > max {
        return Err(FileError::TooLarge {
            size: meta.len(),
            max,
        });
    }
    let len = usize::try_from(meta.len()).map_err(|_| FileError::TooLarge {
        size: meta.len(),
        max,
    })?;
    // One byte more than expected, to notice a file that grew; the buffer never grows.
    let mut buf = Zeroizing::new(vec![0u8; len + 1]);
    let mut filled = 0;
    loop {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => {
                filled += n;
                if filled == buf.len() {
                    return Err(FileError::Changed);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(e)),
        }
    }
    buf.truncate(filled);
    Ok(buf)
}

/// Checks and trims a buffer in place, then hands it over as a `String` without a copy.
pub(crate) fn text_from_buffer(
    mut buf: Zeroizing<Vec<u8>>,
) -> Result<Zeroizing<String>, FileError> {
    let (start, end) = {
        let text = std::str::from_utf8(&buf).map_err(|_| FileError::NotUtf8)?;
        if text.contains('\0') {
            return Err(FileError::Nul);
        }
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let trimmed = body.trim();
        let start = trimmed.as_ptr() as usize - text.as_ptr() as usize;
        (start, start + trimmed.len())
    };
    buf.copy_within(start..end, 0);
    buf.truncate(end - start);
    let bytes = std::mem::take(&mut *buf);
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Zeroizing::new(text)),
        // Cannot happen (checked above); wipe and report rather than panic.
        Err(err) => {
            drop(Zeroizing::new(err.into_bytes()));
            Err(FileError::NotUtf8)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        (*text_from_buffer(Zeroizing::new(bytes.to_vec())).unwrap()).clone()
    }

    #[test]
    fn trims_bom_newline_and_whitespace() {
        assert_eq!(text(b"\xEF\xBB\xBF  key \r\n"), "key");
        assert_eq!(text(b"key\n"), "key");
        assert_eq!(text(b" \n"), "");
    }

    #[test]
    fn rejects_bad_bytes() {
        assert!(matches!(
            text_from_buffer(Zeroizing::new(vec![0xff])),
            Err(FileError::NotUtf8)
        ));
        assert!(matches!(
            text_from_buffer(Zeroizing::new(b"a\0b".to_vec())),
            Err(FileError::Nul)
        ));
    }
}
