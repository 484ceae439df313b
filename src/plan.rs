//! A settings struct flattened into leaves, with every name that can set each leaf, and
//! the tree of its sections (the struct and each `nested` struct).
//!
//! Built once per settings type from its [`Meta`](crate::meta::Meta) and cached by the
//! derive, so a load does no name formatting. The one place the runtime names settings
//! (with `confidant_naming`'s rule, which the derive's checks share): every other module
//! asks a [`Leaf`] its names, and walks [`Plan::sections`] instead of `Meta`, so that no
//! one counts leaves in step with another walk.

use std::collections::HashMap;
use std::ops::Range;

use confidant_naming as naming;

use crate::error::{Conflict, Problem, ProblemKind, Problems};
use crate::meta::{Field, Meta};

/// One leaf setting: a field that is not `nested`.
#[derive(Debug)]
pub(crate) struct Leaf {
    /// Dotted key path, `db.port`.
    pub path: String,
    /// The environment names in resolution order: the primary name, then aliases, then
    /// deprecated names.
    pub names: Vec<String>,
    /// How many of `names` are current (the primary name and aliases); the rest are
    /// deprecated.
    pub current: usize,
    /// The field as declared; its shape says whether the leaf is secret.
    pub field: &'static Field,
}

impl Leaf {
    /// A problem about this setting: its dotted path and primary environment name.
    pub(crate) fn problem(&self, kind: ProblemKind, message: String) -> Problem {
        Problem::of_setting(&self.path, self.env(), kind, message)
    }
}

impl Leaf {
    /// The field's type holds a secret (or the field is `#[settings(secret)]`): asked of
    /// its shape, the one place secret-ness is held.
    pub fn secret(&self) -> bool {
        self.field.shape.secret
    }

    /// A secret of raw bytes: files are read byte for byte.
    pub fn bytes(&self) -> bool {
        self.field.shape.bytes
    }

    /// The primary environment name (`APP_DB__PORT`).
    pub fn env(&self) -> &str {
        &self.names[0]
    }

    /// The name of this rank: 0 for the primary name, 1.. for aliases.
    pub fn name(&self, rank: u8) -> &str {
        self.names.get(usize::from(rank)).unwrap_or(&self.names[0])
    }

    /// The secrets-file name without prefix (`db__password`).
    pub fn key_file_name(&self) -> String {
        naming::key_file_name(&self.path)
    }
}

/// A struct of the settings: the top one ([`Plan::top`]) or a `nested` one.
#[derive(Debug)]
pub(crate) struct Section {
    /// Dotted key path (`db`, `db.pool`); empty for the top.
    pub path: String,
    /// The struct's description.
    pub meta: &'static Meta,
    /// The `nested` field that holds it; `None` for the top.
    pub field: Option<&'static Field>,
    /// The section that holds it (the top holds itself).
    pub parent: usize,
    /// One per field of `meta`, in declaration order.
    pub children: Vec<Node>,
    /// Its leaves, nested ones included: leaves are numbered in declaration order, so
    /// a section's leaves are consecutive.
    pub leaves: Range<usize>,
}

impl Section {
    /// The name of the `nested` field that holds it; empty for the top.
    pub(crate) fn name(&self) -> &'static str {
        self.field.map_or("", |f| f.name)
    }
}

/// A field of a [`Section`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Node {
    /// A setting: its index in [`Plan::leaves`].
    Leaf(usize),
    /// A `nested` struct: its index in [`Plan::sections`].
    Section(usize),
}

/// What an environment name points at.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameRef {
    pub leaf: usize,
    /// 0 for the primary name, 1.. for aliases in the order written, then deprecated
    /// names.
    pub rank: u8,
    /// `NAME_FILE`: the value is a path to read the setting from.
    pub file: bool,
}

/// What a config file's dotted key names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// A leaf setting.
    Leaf(usize),
    /// A nested struct: a table of settings.
    Section,
}

/// The flattened settings of one type.
#[derive(Debug)]
pub struct Plan {
    pub(crate) meta: &'static Meta,
    pub(crate) leaves: Vec<Leaf>,
    /// The struct and its `nested` structs, the top first, each before the structs it
    /// holds.
    pub(crate) sections: Vec<Section>,
    /// Environment and `.env` names, normalized (upper-cased unless `case_sensitive`),
    /// as bytes so that a name is looked up before it is checked as UTF-8. Hashed with
    /// foldhash: every variable of the environment is looked up on each load.
    pub(crate) env_names: HashMap<Box<[u8]>, NameRef, foldhash::fast::RandomState>,
    /// The first bytes and lengths of `env_names` (both cases of a letter unless
    /// `case_sensitive`): most of an environment's variables are told apart by these
    /// alone, without hashing.
    env_sketch: Sketch,
    /// Every entry of `env_names` in leaf order, for looking each name up in the
    /// process environment one by one; built for `case_sensitive` plans only (empty
    /// otherwise).
    pub(crate) env_list: Vec<(Box<str>, NameRef)>,
    /// Secrets-file names (always case-insensitive): env names, aliases and key paths
    /// with `__`, upper-cased.
    pub(crate) file_names: HashMap<Box<str>, usize>,
    /// Upper-cased key paths of nested structs (`DB`, `DB__POOL`): subdirectories of a
    /// secrets directory that may hold settings.
    pub(crate) nested_dirs: HashMap<Box<str>, ()>,
    /// Dotted paths, for `set`.
    pub(crate) paths: HashMap<Box<str>, usize>,
    /// Config-file keys: the dotted paths of leaves and of nested sections, lower-cased
    /// unless `case_sensitive` (see [`Plan::config_key`]).
    pub(crate) keys: HashMap<Box<str>, Key, foldhash::fast::RandomState>,
    /// Names that two settings claim, and secrets with a default; reported on every
    /// load, each with its order key (leaf index + 1).
    pub(crate) collisions: Problems,
}

impl Plan {
    /// Flattens `meta`.
    pub fn new(meta: &'static Meta) -> Plan {
        let mut plan = Plan {
            meta,
            leaves: Vec::new(),
            sections: Vec::new(),
            env_names: HashMap::default(),
            env_sketch: Sketch::default(),
            env_list: Vec::new(),
            file_names: HashMap::new(),
            nested_dirs: HashMap::new(),
            paths: HashMap::new(),
            keys: HashMap::default(),
            collisions: Problems::default(),
        };
        plan.walk(meta, String::new(), meta.prefix, None, 0);
        plan.index();
        // A name claimed twice is found by both the environment and the file index.
        plan.collisions.dedup();
        plan
    }

    /// Adds the section of `meta` (held by `parent`'s `field`) and its leaves and
    /// sections; returns its index.
    fn walk(
        &mut self,
        meta: &'static Meta,
        path: String,
        env_prefix: &str,
        field: Option<&'static Field>,
        parent: usize,
    ) -> usize {
        let section = self.sections.len();
        let first = self.leaves.len();
        self.sections.push(Section {
            path,
            meta,
            field,
            parent,
            children: Vec::with_capacity(meta.fields.len()),
            leaves: first..first,
        });
        for field in meta.fields {
            let parent_path = &self.sections[section].path;
            let path = if parent_path.is_empty() {
                field.name.to_owned()
            } else {
                format!("{parent_path}.{}", field.name)
            };
            if let Some(nested) = field.nested {
                self.nested_dirs
                    .insert(naming::key_file_name(&path).to_ascii_uppercase().into(), ());
                let key = self.key_of(&path);
                self.keys.entry(key.into()).or_insert(Key::Section);
                let prefix = naming::nested_prefix(env_prefix, field.name);
                let child = self.walk(nested, path, &prefix, Some(field), section);
                self.sections[section].children.push(Node::Section(child));
                continue;
            }
            let mut names = Vec::with_capacity(1 + field.aliases.len() + field.deprecated.len());
            names.push(
                field
                    .env
                    .map_or_else(|| naming::env_name(env_prefix, field.name), str::to_owned),
            );
            names.extend(field.aliases.iter().map(|a| (*a).to_owned()));
            let current = names.len();
            names.extend(field.deprecated.iter().map(|a| (*a).to_owned()));
            if field.shape.secret && field.default.is_some() {
                // The derive rejects this at compile time (a const assert on this shape,
                // whatever the spelling); kept for a `Meta` the derive did not check.
                let problem = Problem::of_path(
                    &path,
                    ProblemKind::Conflict,
                    Conflict::SecretDefault.sentence(),
                );
                self.collisions
                    .leaf(self.leaves.len(), problem.spelled(&names[0]));
            }
            self.sections[section]
                .children
                .push(Node::Leaf(self.leaves.len()));
            self.leaves.push(Leaf {
                path,
                names,
                current,
                field,
            });
        }
        self.sections[section].leaves.end = self.leaves.len();
        section
    }

    /// The settings struct itself.
    pub(crate) fn top(&self) -> &Section {
        &self.sections[0]
    }

    /// Field `field` of section `section`.
    ///
    /// # Panics
    ///
    /// When the section has no such field: generated code that disagrees with the
    /// struct's `META`, which the derive writes from the same fields.
    pub(crate) fn child(&self, section: usize, field: usize) -> Node {
        self.sections[section].children[field]
    }

    fn index(&mut self) {
        let case_sensitive = self.meta.case_sensitive;
        for (leaf_index, leaf) in self.leaves.iter().enumerate() {
            self.paths.insert(leaf.path.as_str().into(), leaf_index);
            let key = self.key_of(&leaf.path);
            self.keys.entry(key.into()).or_insert(Key::Leaf(leaf_index));
            let key_file = leaf.key_file_name().to_ascii_uppercase();
            for name in leaf.names[..leaf.current]
                .iter()
                .map(|n| n.to_ascii_uppercase())
                .chain([key_file])
            {
                if let Some(&other) = self.file_names.get(name.as_str()) {
                    if other != leaf_index {
                        let problem = collision(&self.leaves, other, leaf_index, &name);
                        self.collisions.leaf(leaf_index, problem);
                    }
                    continue;
                }
                self.file_names.insert(name.into(), leaf_index);
            }
            for (rank, name) in leaf.names.iter().enumerate() {
                let rank = u8::try_from(rank).unwrap_or(u8::MAX);
                let key = naming::normalize(case_sensitive, name);
                if let Some(other) = self.env_names.get(key.as_bytes()) {
                    if other.leaf != leaf_index {
                        let problem = collision(&self.leaves, other.leaf, leaf_index, name);
                        self.collisions.leaf(leaf_index, problem);
                    }
                    continue;
                }
                self.env_names.insert(
                    key.into_bytes().into(),
                    NameRef {
                        leaf: leaf_index,
                        rank,
                        file: false,
                    },
                );
            }
        }
        // `NAME_FILE` for every name, unless that spelling is itself a setting's name.
        let suffix = naming::normalize(case_sensitive, naming::FILE_SUFFIX);
        let file_refs: Vec<(Vec<u8>, NameRef)> = self
            .env_names
            .iter()
            .map(|(name, r)| ([name, suffix.as_bytes()].concat(), *r))
            .collect();
        // A name that is both a setting's own name and another's `NAME_FILE` (a setting
        // `ssl_key_file` beside `ssl_key`) is a problem of every load: the derive rejects
        // it within one struct; across a `nested` boundary the names meet only here.
        let mut file_refs = file_refs;
        file_refs.sort_by_key(|(_, r)| (r.leaf, r.rank));
        for (name, r) in file_refs {
            match self.env_names.entry(name.into()) {
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(NameRef { file: true, ..r });
                }
                std::collections::hash_map::Entry::Occupied(taken) => {
                    let other = *taken.get();
                    if !other.file && other.leaf != r.leaf {
                        let name = String::from_utf8_lossy(taken.key()).into_owned();
                        let problem = file_name_collision(&self.leaves, r.leaf, other.leaf, &name);
                        self.collisions.leaf(other.leaf, problem);
                    }
                }
            }
        }
        for name in self.env_names.keys() {
            self.env_sketch.add(name, case_sensitive);
        }
        if case_sensitive {
            let mut list: Vec<(Box<str>, NameRef)> = self
                .env_names
                .iter()
                .map(|(name, r)| (String::from_utf8_lossy(name).into(), *r))
                .collect();
            list.sort_by_key(|(name, r)| (r.leaf, r.rank, r.file, name.clone()));
            self.env_list = list;
        }
    }

    /// A dotted path as [`Plan::keys`] holds it: lower-cased unless `case_sensitive`.
    pub(crate) fn key_of(&self, path: &str) -> String {
        if self.meta.case_sensitive {
            path.to_owned()
        } else {
            path.to_ascii_lowercase()
        }
    }

    /// What a config file's dotted key (as written) names, matched like field names:
    /// any case unless `case_sensitive`.
    pub(crate) fn config_key(&self, written: &str) -> Option<Key> {
        if self.meta.case_sensitive || !written.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.keys.get(written).copied();
        }
        self.keys
            .get(written.to_ascii_lowercase().as_str())
            .copied()
    }

    /// Looks up an environment or `.env` name, upper-cased first (in `buf`) unless
    /// `case_sensitive`.
    pub(crate) fn env_ref(&self, name: &[u8], buf: &mut Vec<u8>) -> Option<NameRef> {
        if !self.env_sketch.may_hold(name) {
            return None;
        }
        // Most names are written upper-case already: looked up as they are.
        let key = if self.meta.case_sensitive || !name.iter().any(u8::is_ascii_lowercase) {
            name
        } else {
            buf.clear();
            buf.extend_from_slice(name);
            buf.make_ascii_uppercase();
            buf.as_slice()
        };
        self.env_names.get(key).copied()
    }
}

/// Which first bytes and lengths a set of names has: a test that never says no to a
/// name of the set, and says no to most other names for a few instructions.
#[derive(Debug, Default)]
struct Sketch {
    first: [u64; 4],
    /// Lengths 0..=127; a longer name sets bit 127 (and is always looked up).
    len: u128,
}

impl Sketch {
    fn add(&mut self, name: &[u8], case_sensitive: bool) {
        let Some(&first) = name.first() else {
            return;
        };
        let mut set = |b: u8| self.first[usize::from(b >> 6)] |= 1 << (b & 63);
        set(first);
        if !case_sensitive {
            set(first.to_ascii_lowercase());
        }
        self.len |= 1 << name.len().min(127);
    }

    fn may_hold(&self, name: &[u8]) -> bool {
        let Some(&first) = name.first() else {
            return false;
        };
        self.first[usize::from(first >> 6)] & (1 << (first & 63)) != 0
            && self.len & (1 << name.len().min(127)) != 0
    }
}

fn collision(leaves: &[Leaf], first: usize, second: usize, name: &str) -> Problem {
    let leaf = &leaves[second];
    leaf.problem(
        ProblemKind::Conflict,
        Conflict::NameShared {
            name,
            first: &leaves[first].path,
            second: &leaf.path,
        }
        .sentence(),
    )
}

/// `second` answers to the name that is `first`'s `NAME_FILE`.
fn file_name_collision(leaves: &[Leaf], first: usize, second: usize, name: &str) -> Problem {
    let leaf = &leaves[second];
    leaf.problem(
        ProblemKind::Conflict,
        Conflict::NameIsFileName {
            name,
            leaf: &leaf.path,
            file_of: &leaves[first].path,
        }
        .sentence(),
    )
}

#[cfg(test)]
mod tests {
    use super::{Node, Plan, Sketch};
    use crate::meta::{Field, Meta};

    const fn field(name: &'static str, nested: Option<&'static Meta>) -> Field {
        Field {
            name,
            doc: "",
            env: None,
            aliases: &[],
            nested,
            shape: crate::meta::Shape::PLAIN,
            optional: false,
            allow_empty: false,
            restart: false,
            default: None,
            fake: None,
            ty: "String",
            deprecated: &[],
            rules: &[],
        }
    }

    const DEEP: Meta = Meta {
        fields: &[field("z", None)],
        ..Meta::stub("Deep")
    };
    const EMPTY: Meta = Meta::stub("Empty");
    const FIRST: Meta = Meta {
        fields: &[
            field("x", None),
            field("deep", Some(&DEEP)),
            field("y", None),
        ],
        ..Meta::stub("First")
    };
    static TOP: Meta = Meta {
        prefix: "APP_",
        fields: &[
            field("a", None),
            field("first", Some(&FIRST)),
            field("none", Some(&EMPTY)),
            field("b", None),
        ],
        ..Meta::stub("Top")
    };

    #[test]
    fn the_tree_holds_each_struct_its_fields_and_its_leaves() {
        let plan = Plan::new(&TOP);
        let paths: Vec<&str> = plan.leaves.iter().map(|l| l.path.as_str()).collect();
        assert_eq!(paths, ["a", "first.x", "first.deep.z", "first.y", "b"]);
        let envs: Vec<&str> = plan.leaves.iter().map(|l| l.env()).collect();
        assert_eq!(
            envs,
            [
                "APP_A",
                "APP_FIRST__X",
                "APP_FIRST__DEEP__Z",
                "APP_FIRST__Y",
                "APP_B"
            ]
        );
        let sections: Vec<(&str, usize, std::ops::Range<usize>)> = plan
            .sections
            .iter()
            .map(|s| (s.path.as_str(), s.parent, s.leaves.clone()))
            .collect();
        assert_eq!(
            sections,
            [
                ("", 0, 0..5),
                ("first", 0, 1..4),
                ("first.deep", 1, 2..3),
                ("none", 0, 4..4),
            ]
        );
        assert_eq!(
            plan.top().children,
            [
                Node::Leaf(0),
                Node::Section(1),
                Node::Section(3),
                Node::Leaf(4)
            ]
        );
        assert_eq!(plan.child(1, 1), Node::Section(2));
        assert_eq!(plan.child(2, 0), Node::Leaf(2));
        assert_eq!(plan.sections[2].name(), "deep");
        assert_eq!(plan.top().name(), "");
    }

    #[test]
    fn a_sketch_holds_its_names_in_either_case_and_rejects_others() {
        let long = "A".repeat(200);
        let mut sketch = Sketch::default();
        for name in ["APP_PORT", "APP_DB__HOST_FILE", long.as_str()] {
            sketch.add(name.as_bytes(), false);
        }
        for name in [
            "APP_PORT",
            "app_port",
            "APP_DB__HOST_FILE",
            &long,
            &"a".repeat(130),
        ] {
            assert!(sketch.may_hold(name.as_bytes()), "{name}");
        }
        for name in ["PATH", "HOME", "SERVICE_HTTP_SETTING_1", "APP_POR", ""] {
            assert!(!sketch.may_hold(name.as_bytes()), "{name}");
        }
        let mut exact = Sketch::default();
        exact.add(b"App_Port", true);
        assert!(exact.may_hold(b"App_Port"));
        assert!(!exact.may_hold(b"app_Port"));
    }
}
