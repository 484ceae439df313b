//! What a load looked at ([`Used`]), and how the watch sees it change: the directories
//! handed to the file-notification watcher with a filter of names each, and a polling
//! signature of the same paths (metadata, `..data` links, directory listings).

#[cfg(feature = "notify")]
use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

#[cfg(feature = "notify")]
use notify::event::{AccessKind, AccessMode};
#[cfg(feature = "notify")]
use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::source::Layers;

/// How deep subdirectories of a secrets directory (nested settings) are watched.
const MAX_DEPTH: usize = 4;

/// The files and directories a load looked at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Used {
    /// Every secrets directory, in layer order, whether or not it exists.
    pub secrets_dirs: Vec<PathBuf>,
    /// Every config file, then every `.env` file, in layer order, whether or not each
    /// exists; then the places a search for the default `.env` or the struct's config
    /// file looked in vain (a file created there is what the next load reads).
    pub dotenvs: Vec<PathBuf>,
    /// Every file named by a `NAME_FILE` variable (environment or `.env`), sorted.
    pub files: Vec<PathBuf>,
}

impl Used {
    /// What a load's layers looked at: its secrets directories, config and `.env` files and
    /// `NAME_FILE` files, whether or not each exists.
    pub(super) fn of(layers: &Layers) -> Used {
        Used {
            secrets_dirs: layers.secrets_dirs().cloned().collect(),
            dotenvs: layers
                .config_files()
                .chain(layers.dotenvs())
                .chain(&layers.searched)
                .cloned()
                .collect(),
            files: layers.name_files.clone(),
        }
    }
}

/// The file-notification watcher (feature `notify`); without the feature there is none
/// and only polling runs.
#[cfg(feature = "notify")]
pub(super) type Watcher = notify::RecommendedWatcher;
#[cfg(not(feature = "notify"))]
pub(super) type Watcher = std::convert::Infallible;

/// Without feature `notify`: nothing is watched, polling finds every change.
#[cfg(not(feature = "notify"))]
pub(super) struct Paths;

#[cfg(not(feature = "notify"))]
impl Paths {
    pub(super) fn new(watcher: Option<Watcher>) -> Self {
        if let Some(never) = watcher {
            match never {}
        }
        Paths
    }

    pub(super) fn update(&mut self, _: &Used) {}
}

/// Which directories to watch, for which names.
#[cfg(feature = "notify")]
enum Filter {
    /// Any entry (a secrets directory).
    Any,
    /// Entries with these names (the parent of a `.env` or `NAME_FILE` file).
    Names(HashSet<OsString>),
}

/// The notification side: what is watched, and which events matter.
#[cfg(feature = "notify")]
pub(super) struct Paths {
    watcher: Option<Watcher>,
    /// Directories watched, as handed to the watcher.
    watched: HashSet<PathBuf>,
    /// Filters by directory, under the absolute and the canonical path (platforms
    /// report events under one or the other).
    filters: HashMap<PathBuf, Filter>,
}

#[cfg(feature = "notify")]
impl Paths {
    pub(super) fn new(watcher: Option<Watcher>) -> Self {
        Paths {
            watcher,
            watched: HashSet::new(),
            filters: HashMap::new(),
        }
    }

    /// Watches the directories `used` needs (retrying those that failed before) and
    /// stops watching the others.
    pub(super) fn update(&mut self, used: &Used) {
        let Some(watcher) = &mut self.watcher else {
            return;
        };
        let targets = targets(used);
        self.watched.retain(|dir| {
            let keep = targets.contains_key(dir);
            if !keep {
                let _ = watcher.unwatch(dir);
            }
            keep
        });
        for dir in targets.keys() {
            if !self.watched.contains(dir)
                && watcher.watch(dir, RecursiveMode::NonRecursive).is_ok()
            {
                self.watched.insert(dir.clone());
            }
        }
        self.filters.clear();
        for (dir, filter) in targets {
            if let Ok(real) = std::fs::canonicalize(&dir)
                && real != dir
            {
                let copy = match &filter {
                    Filter::Any => Filter::Any,
                    Filter::Names(names) => Filter::Names(names.clone()),
                };
                self.filters.insert(real, copy);
            }
            self.filters.insert(dir, filter);
        }
    }

    /// Whether an event may change a load: a write, creation, removal or rename in a
    /// watched directory, of a watched name. Opening and reading (the loads' own) are not.
    pub(super) fn relevant(&self, event: &notify::Event) -> bool {
        match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {}
            EventKind::Access(_) => return false,
            _ => {}
        }
        if event.need_rescan() {
            return true;
        }
        event.paths.iter().any(|path| {
            if self.filters.contains_key(path) {
                return true;
            }
            let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
                return false;
            };
            match self.filters.get(parent) {
                Some(Filter::Any) => true,
                Some(Filter::Names(names)) => names.contains(name),
                None => false,
            }
        })
    }
}

/// The directories to watch for `used`, as absolute paths.
#[cfg(feature = "notify")]
fn targets(used: &Used) -> HashMap<PathBuf, Filter> {
    let mut targets = HashMap::new();
    for dir in &used.secrets_dirs {
        let dir = absolute(dir);
        subdirs(&dir, 0, &mut |sub| {
            targets.insert(sub.to_owned(), Filter::Any);
        });
        targets.insert(dir, Filter::Any);
    }
    for file in used.dotenvs.iter().chain(&used.files) {
        let file = absolute(file);
        let (Some(parent), Some(name)) = (file.parent(), file.file_name()) else {
            continue;
        };
        let filter = targets
            .entry(parent.to_owned())
            .or_insert_with(|| Filter::Names(HashSet::from([OsString::from("..data")])));
        if let Filter::Names(names) = filter {
            names.insert(name.to_owned());
        }
    }
    targets
}

#[cfg(feature = "notify")]
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// Calls `f` for each real (not symlinked) subdirectory of `dir`, Kubernetes' `..`
/// directories excluded, down to [`MAX_DEPTH`].
#[cfg(feature = "notify")]
fn subdirs(dir: &Path, depth: usize, f: &mut dyn FnMut(&Path)) {
    if depth >= MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir())
            && !entry.file_name().as_encoded_bytes().starts_with(b"..")
        {
            let path = entry.path();
            f(&path);
            subdirs(&path, depth + 1, f);
        }
    }
}

/// One item of a polling signature.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Mark {
    /// A path's metadata (symlinks followed), or `None` when it cannot be read.
    Stamp(Option<Stamp>),
    /// Where a `..data` link points, if there is one.
    Link(Option<PathBuf>),
    /// An entry of a listed directory.
    Name(OsString),
}

#[cfg(unix)]
type Stamp = (u64, u64, u64, i64, i64, i64, i64);
#[cfg(not(unix))]
type Stamp = (u64, Option<std::time::SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        Some((
            meta.dev(),
            meta.ino(),
            meta.size(),
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec(),
        ))
    }
    #[cfg(not(unix))]
    {
        Some((meta.len(), meta.modified().ok()))
    }
}

/// A cheap signature of everything `used` names: equal signatures mean nothing
/// relevant changed (to the resolution of the file system's timestamps).
pub(super) fn watch_signature(used: &Used) -> Vec<Mark> {
    let mut marks = Vec::new();
    for dir in &used.secrets_dirs {
        dir_marks(dir, 0, &mut marks);
    }
    for file in used.dotenvs.iter().chain(&used.files) {
        marks.push(Mark::Stamp(stamp(file)));
        let parent = file.parent().unwrap_or(Path::new(""));
        marks.push(Mark::Link(std::fs::read_link(parent.join("..data")).ok()));
    }
    marks
}

fn dir_marks(dir: &Path, depth: usize, marks: &mut Vec<Mark>) {
    marks.push(Mark::Stamp(stamp(dir)));
    marks.push(Mark::Link(std::fs::read_link(dir.join("..data")).ok()));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries
        .flatten()
        .filter(|e| !e.file_name().as_encoded_bytes().starts_with(b".."))
        .collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        marks.push(Mark::Name(entry.file_name()));
        if depth + 1 < MAX_DEPTH && entry.file_type().is_ok_and(|t| t.is_dir()) {
            dir_marks(&path, depth + 1, marks);
        } else {
            marks.push(Mark::Stamp(stamp(&path)));
        }
    }
}
