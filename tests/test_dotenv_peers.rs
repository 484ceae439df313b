//! Conformance with the dotenv family: every case of `../shared/dotenv-peers/*.json` (the
//! peers' own test suites) read through confidant's public API, beside dotenvy 0.15.7 read
//! leniently on the same inputs. Prints, per peer, `confidant N/M, dotenvy K/M` and the
//! same over the consensus cases, and fails when confidant agrees with fewer of a peer's
//! cases than dotenvy does, or with fewer than 9 in 10 of the consensus cases (SPEC,
//! "`.env` files as the dotenv family writes them").
//!
//! How a case is read:
//! - confidant: for each expected key, a settings struct with one field named exactly that
//!   key (`case_sensitive`, `allow_empty`, `Option<String>`), the input as the only `.env`
//!   file, the case's environment through `Loader::env_vars` (nothing else: no process
//!   environment, no secrets directory), loaded with `load_with_warnings`. A key no setting
//!   can be named (`VAR.WITH.DOTS`, `a[1]`) is never set.
//! - dotenvy: `from_read_iter`, skipping the items that do not parse (read leniently); run
//!   in a child process of this test whose environment is exactly the case's, since dotenvy
//!   substitutes from the process environment. When the case's test reads values after a
//!   load (`env_wins`), a variable of the environment keeps its value and the first line of
//!   a key wins (dotenvy's `load`); otherwise the last line wins.
//! - When the peer's test reads what the file says although the environment sets the same
//!   key (`env_wins: false`), confidant reads that key with the key itself left out of the
//!   environment: its environment is a layer above `.env`, by contract.
//!
//! An expectation agrees when: `value` — the key loads with that value; `unset` — the load
//!   succeeds and the key is not set (for the probe key `PEERS_PROBE_UNSET`: and nothing is
//!   reported); `error` — the load fails or reports a warning (dotenvy: an item does not
//!   parse), as the data's README says for the probe.
//!
//! The consensus set is computed as the data's README defines it: an expectation that two
//! or more peers' tests assert alike for the same input, environment and key, or that one
//! asserts and the three released readers of `observed.json` all read the same way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use confidant::Settings;
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/dotenv-peers");
/// Set in the environment of the child that reads the cases with dotenvy.
const CHILD: &str = "CONFIDANT_PEERS_DOTENVY_CHILD";
const PROBE: &str = "PEERS_PROBE_UNSET";

/// Expectations of dotenvy's own suite that assert a rule of dotenvy's which the SPEC
/// replaces by name ("`.env` files as the dotenv family writes them"): confidant cannot
/// agree with them and keep the contract. They count in every figure printed; the bar
/// "at least dotenvy's count for each peer" is checked on the other expectations (on
/// these dotenvy agrees by construction and confidant disagrees by contract).
const SPEC_REPLACES: &[(&str, &str, &str, &str)] = &[
    (
        "dotenvy",
        "subst_with_dot",
        "KEY.Value",
        "a key with `.` is a line no setting can use",
    ),
    (
        "dotenvy",
        "subst_before_separators",
        "KEY",
        "`$NAME` takes the whole name",
    ),
    (
        "dotenvy",
        "subst_consequent",
        "KEY",
        "`$NAME` takes the whole name",
    ),
    (
        "dotenvy",
        "subst_consequent",
        "KEY2",
        "`$NAME` takes the whole name",
    ),
    (
        "dotenvy",
        "subst_consequent_missing",
        "KEY",
        "`$NAME` takes the whole name",
    ),
    (
        "dotenvy",
        "subst_consequent_missing",
        "KEY2",
        "`$NAME` takes the whole name",
    ),
    (
        "dotenvy",
        "variable_substitution",
        "SUBSTITUTION_FOR_WEAK_QUOTES",
        "`$NAME` takes the whole name",
    ),
    (
        "dotenvy",
        "variable_substitution",
        "SUBSTITUTION_WITHOUT_QUOTES",
        "`$NAME` takes the whole name",
    ),
    (
        "dotenvy",
        "make_test_dotenv",
        "TESTKEY",
        "the same key twice in one file: the later line wins",
    ),
];

#[derive(Clone, PartialEq, Eq, Debug)]
enum Expect {
    Value(String),
    Unset,
    Error,
}

struct Case {
    peer: String,
    id: String,
    input: String,
    env: Vec<(String, String)>,
    env_wins: bool,
    expect: Vec<(String, Expect)>,
}

fn read_cases() -> (Vec<Case>, Value) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(DATA)
        .unwrap_or_else(|e| panic!("{DATA}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    let mut observed = Value::Null;
    for file in files {
        let json: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        if file.file_name().unwrap() == "observed.json" {
            observed = json;
            continue;
        }
        let peer = json["peer"].as_str().unwrap().to_owned();
        for case in json["cases"].as_array().unwrap() {
            let text = |v: &Value| v.as_str().unwrap().to_owned();
            let mut env: Vec<(String, String)> = case["env"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), text(v)))
                .collect();
            env.sort();
            let expect = case["expect"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let expect = if let Some(v) = e.get("value") {
                        Expect::Value(text(v))
                    } else if e.get("unset").is_some() {
                        Expect::Unset
                    } else {
                        assert!(e.get("error").is_some(), "{e}");
                        Expect::Error
                    };
                    (text(&e["key"]), expect)
                })
                .collect();
            cases.push(Case {
                peer: peer.clone(),
                id: text(&case["id"]),
                input: text(&case["input"]),
                env,
                env_wins: case["env_wins"].as_bool().unwrap(),
                expect,
            });
        }
    }
    assert!(cases.len() > 300, "{} cases in {DATA}", cases.len());
    (cases, observed)
}

/// What a reader made of one key of one case.
struct Read {
    /// `None`: the load failed.
    value: Option<Option<String>>,
    /// A line of the file was reported (a warning, or the load failed).
    reported: bool,
}

fn agrees(key: &str, expect: &Expect, read: &Read) -> bool {
    match (expect, &read.value) {
        (Expect::Value(v), Some(Some(got))) => got == v,
        (Expect::Unset, Some(None)) => key != PROBE || !read.reported,
        (Expect::Error, _) => read.reported,
        _ => false,
    }
}

// ---- confidant ------------------------------------------------------------------------

/// A one-field settings struct per key: `keys!` below lists every key of the data that a
/// setting can be named.
trait OneKey {
    fn value(self) -> Option<String>;
}

fn load<S: Settings + OneKey>(env: &[(String, String)], file: &Path) -> Read {
    match S::loader()
        .env_vars(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .no_secrets_dir()
        .dotenv(file)
        .load_with_warnings()
    {
        Ok((s, warnings)) => Read {
            value: Some(s.value()),
            reported: !warnings.is_empty(),
        },
        Err(_) => Read {
            value: None,
            reported: true,
        },
    }
}

macro_rules! keys {
    ($($ty:ident = $key:literal,)*) => {
        $(
            #[derive(Settings)]
            #[settings(case_sensitive)]
            struct $ty {
                #[settings(env = $key, allow_empty)]
                v: Option<String>,
            }
            impl OneKey for $ty {
                fn value(self) -> Option<String> {
                    self.v
                }
            }
        )*

        /// The loader of the struct named `key`, if a setting can be named so.
        fn loader_of(key: &str) -> Option<fn(&[(String, String)], &Path) -> Read> {
            match key {
                $($key => Some(load::<$ty>),)*
                _ => None,
            }
        }
    };
}

fn confidant_reads(case: &Case, key: &str, dir: &Path) -> Read {
    let file = dir.join(format!("{}-{}.env", case.peer, case.id));
    if !file.exists() {
        std::fs::write(&file, &case.input).unwrap();
    }
    let env: Vec<(String, String)> = case
        .env
        .iter()
        .filter(|(k, _)| case.env_wins || k != key)
        .cloned()
        .collect();
    match loader_of(key) {
        Some(load) => load(&env, &file),
        None => {
            // No setting can be named so: never set; what the file reports is the probe's.
            let probe = loader_of(PROBE).expect("the probe key has a struct")(&env, &file);
            Read {
                value: probe.value.map(|_| None),
                reported: probe.reported,
            }
        }
    }
}

// ---- dotenvy, in a child process ------------------------------------------------------

fn dotenvy_reads(case: &Case, key: &str) -> Read {
    let mut reported = false;
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for item in dotenvy::from_read_iter(case.input.as_bytes()) {
        match item {
            Ok((k, v)) => {
                if case.env_wins {
                    values.entry(k).or_insert(v);
                } else {
                    values.insert(k, v);
                }
            }
            Err(_) => reported = true,
        }
    }
    let env = case.env.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let value = match env {
        Some(v) if case.env_wins => Some(v.clone()),
        _ => values.remove(key),
    };
    Read {
        value: Some(value),
        reported,
    }
}

/// Runs only in the child (ignored otherwise): reads every case whose environment is
/// this process's with dotenvy and prints one line per expectation,
/// `PEERS\t<peer>\t<id>\t<index>\t<0|1>`.
#[test]
#[ignore = "run by agrees_with_the_peers_at_least_as_well_as_dotenvy, in a child process"]
fn dotenvy_child() {
    assert!(std::env::var_os(CHILD).is_some(), "run only as the child");
    let (cases, _) = read_cases();
    let mut own: Vec<(String, String)> = std::env::vars().filter(|(k, _)| k != CHILD).collect();
    own.sort();
    for case in cases.iter().filter(|c| c.env == own) {
        for (i, (key, expect)) in case.expect.iter().enumerate() {
            let ok = agrees(key, expect, &dotenvy_reads(case, key));
            println!("PEERS\t{}\t{}\t{i}\t{}", case.peer, case.id, u8::from(ok));
        }
    }
}

/// dotenvy's agreement with each expectation, keyed by (peer, id, index).
fn dotenvy_column(cases: &[Case]) -> BTreeMap<(String, String, usize), bool> {
    let envs: BTreeSet<&Vec<(String, String)>> = cases.iter().map(|c| &c.env).collect();
    let exe = std::env::current_exe().unwrap();
    let mut column = BTreeMap::new();
    for env in envs {
        let out = std::process::Command::new(&exe)
            .args([
                "dotenvy_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .env(CHILD, "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for line in String::from_utf8(out.stdout).unwrap().lines() {
            // libtest may print `test dotenvy_child ... ` in front of the first line.
            let Some(at) = line.find("PEERS\t") else {
                continue;
            };
            let rest = &line[at + "PEERS\t".len()..];
            let f: Vec<&str> = rest.split('\t').collect();
            column.insert(
                (f[0].to_owned(), f[1].to_owned(), f[2].parse().unwrap()),
                f[3] == "1",
            );
        }
    }
    let expected: usize = cases.iter().map(|c| c.expect.len()).sum();
    assert_eq!(
        column.len(),
        expected,
        "the children read every expectation"
    );
    column
}

// ---- consensus ------------------------------------------------------------------------

/// Whether each expectation (by case index and expectation index) is in the consensus
/// set.
fn consensus(cases: &[Case], observed: &Value) -> Vec<Vec<bool>> {
    type Group<'a> = (&'a str, &'a [(String, String)], &'a str);
    let mut asserted: BTreeMap<Group<'_>, Vec<(&str, &Expect)>> = BTreeMap::new();
    for case in cases {
        for (key, expect) in &case.expect {
            asserted
                .entry((&case.input, &case.env, key))
                .or_default()
                .push((&case.peer, expect));
        }
    }
    cases
        .iter()
        .map(|case| {
            case.expect
                .iter()
                .map(|(key, expect)| {
                    let peers: BTreeSet<&str> = asserted[&(&*case.input, &*case.env, &**key)]
                        .iter()
                        .filter(|(_, e)| *e == expect)
                        .map(|(p, _)| *p)
                        .collect();
                    if peers.len() >= 2 {
                        return true;
                    }
                    let want = match expect {
                        Expect::Value(v) => Some(v.as_str()),
                        Expect::Unset => None,
                        Expect::Error => return false,
                    };
                    let releases = &observed[format!("{}/{}", case.peer, case.id)];
                    releases.as_object().is_some_and(|releases| {
                        !releases.is_empty()
                            && releases
                                .values()
                                .all(|read| read[key.as_str()].as_str() == want)
                    })
                })
                .collect()
        })
        .collect()
}

// ---- the test -------------------------------------------------------------------------

#[test]
fn agrees_with_the_peers_at_least_as_well_as_dotenvy() {
    let (cases, observed) = read_cases();
    let dotenvy = dotenvy_column(&cases);
    let consensus = consensus(&cases, &observed);
    let dir = tempfile::tempdir().unwrap();

    // peer -> (total, confidant, dotenvy, confidant and dotenvy where the SPEC does not
    // replace the peer's rule), and the same over the consensus cases.
    let mut by_peer: BTreeMap<&str, [usize; 6]> = BTreeMap::new();
    let mut agreed = [0usize; 3];
    let mut misses = Vec::new();
    for (c, case) in cases.iter().enumerate() {
        for (i, (key, expect)) in case.expect.iter().enumerate() {
            let read = confidant_reads(case, key, dir.path());
            let ours = agrees(key, expect, &read);
            let theirs = dotenvy[&(case.peer.clone(), case.id.clone(), i)];
            let row = by_peer.entry(&case.peer).or_default();
            row[0] += 1;
            row[1] += usize::from(ours);
            row[2] += usize::from(theirs);
            let replaced = SPEC_REPLACES
                .iter()
                .any(|&(p, id, k, _)| (p, id, k) == (&*case.peer, &*case.id, &**key));
            if replaced {
                row[5] += 1;
            } else {
                row[3] += usize::from(ours);
                row[4] += usize::from(theirs);
            }
            if consensus[c][i] {
                agreed[0] += 1;
                agreed[1] += usize::from(ours);
                agreed[2] += usize::from(theirs);
            }
            if !ours {
                misses.push(format!(
                    "  {}/{} {key}: expected {expect:?}, read {:?} (reported: {}){}{}",
                    case.peer,
                    case.id,
                    read.value,
                    read.reported,
                    if consensus[c][i] { " [consensus]" } else { "" },
                    if theirs { " [dotenvy agrees]" } else { "" },
                ));
            }
        }
    }
    println!("confidant's disagreements:\n{}", misses.join("\n"));
    let mut failures = Vec::new();
    for (peer, [m, n, k, n_kept, k_kept, replaced]) in &by_peer {
        print!("{peer}: confidant {n}/{m}, dotenvy {k}/{m}");
        if *replaced > 0 {
            print!(
                " (without the {replaced} the SPEC replaces: confidant {n_kept}/{}, dotenvy {k_kept}/{})",
                m - replaced,
                m - replaced
            );
        }
        println!();
        if n_kept < k_kept {
            failures.push(format!("{peer}: confidant {n_kept} < dotenvy {k_kept}"));
        }
    }
    let [m, n, k] = agreed;
    println!("consensus: confidant {n}/{m}, dotenvy {k}/{m}");
    if n * 10 < m * 9 {
        failures.push(format!("consensus: confidant {n}/{m} is under 9 in 10"));
    }
    assert!(
        m >= 300,
        "only {m} consensus expectations: is the data complete?"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

keys! {
    K000 = "A",
    K001 = "AFTER_LINE",
    K002 = "ALTERNATE",
    K003 = "ALTERNATE_WHEN_MISSING",
    K004 = "ALTERNATE_WHEN_SET",
    K005 = "B",
    K006 = "BACKEND_API_HEALTH_CHECK_URL",
    K007 = "BACKTICKS",
    K008 = "BACKTICKS_INSIDE_DOUBLE",
    K009 = "BACKTICKS_INSIDE_SINGLE",
    K010 = "BACKTICKS_SPACED",
    K011 = "BAR",
    K012 = "BASIC",
    K013 = "BASIC_EXPAND",
    K014 = "BASIC_EXPAND_SIMPLE",
    K015 = "BOM",
    K016 = "BUFFER",
    K017 = "C",
    K018 = "CODEGEN_TEST_VAR1",
    K019 = "CODEGEN_TEST_VAR2",
    K020 = "COMMENTS",
    K021 = "D",
    K022 = "DATABASE_HOST",
    K023 = "DATABASE_PASSWORD",
    K024 = "DATABASE_URL",
    K025 = "DATABASE_URL2",
    K026 = "DATABASE_URL3",
    K027 = "DATABASE_URL4",
    K028 = "DATABASE_URL5",
    K029 = "DATABASE_USERNAME",
    K030 = "DB",
    K031 = "DEEP8",
    K032 = "DEEP_SELF",
    K033 = "DEEP_SELF_PRIOR",
    K034 = "DEFAULT_WHEN_MISSING",
    K035 = "DEFAULT_WHEN_UNSET",
    K036 = "DOLLAR",
    K037 = "DOMAIN",
    K038 = "DONT_CHOKE1",
    K039 = "DONT_CHOKE2",
    K040 = "DONT_CHOKE3",
    K041 = "DONT_CHOKE4",
    K042 = "DONT_CHOKE5",
    K043 = "DONT_CHOKE6",
    K044 = "DONT_CHOKE7",
    K045 = "DONT_CHOKE8",
    K046 = "DONT_EXPAND_SQUOTED",
    K047 = "DONT_EXPAND_UNQUOTED",
    K048 = "DOUBLE_AND_SINGLE_QUOTES_INSIDE_BACKTICKS",
    K049 = "DOUBLE_QUOTES",
    K050 = "DOUBLE_QUOTES_INSIDE_BACKTICKS",
    K051 = "DOUBLE_QUOTES_INSIDE_SINGLE",
    K052 = "DOUBLE_QUOTES_SPACED",
    K053 = "DOUBLE_QUOTES_WITH_NO_SPACE_BRACKET",
    K054 = "DUP",
    K055 = "EMPTY",
    K056 = "EMPTY_BACKTICKS",
    K057 = "EMPTY_DOUBLE_QUOTES",
    K058 = "EMPTY_SINGLE_QUOTES",
    K059 = "EQUAL_SIGNS",
    K060 = "ESCAPED_EXPAND",
    K061 = "EVALUATED",
    K062 = "EXISTING",
    K063 = "EXPANDED",
    K064 = "EXPAND_DEFAULT",
    K065 = "EXPAND_DEFAULT_NESTED",
    K066 = "EXPAND_DEFAULT_NESTED2",
    K067 = "EXPAND_DEFAULT_NESTED_TWICE",
    K068 = "EXPAND_DEFAULT_NESTED_TWICE2",
    K069 = "EXPAND_DEFAULT_SPECIAL_CHARACTERS",
    K070 = "EXPAND_DEFAULT_SPECIAL_CHARACTERS2",
    K071 = "EXPAND_NEWLINES",
    K072 = "EXPAND_SELF",
    K073 = "EXPORT_IS_DECLARED",
    K074 = "EXPORT_IS_DECLARED_WITH_SOME_VALUE",
    K075 = "EXPORT_IS_DECLARED_WITH_SOME_VALUE_AND_SPACING",
    K076 = "EXPORT_IS_DECLARED_WITH_SOME_VALUE_SPACED",
    K077 = "EXPORT_IS_DECLARED_WITH_SPACING",
    K078 = "FOO",
    K079 = "HELLO",
    K080 = "HOST",
    K081 = "INLINE_COMMENTS",
    K082 = "INLINE_COMMENTS_BACKTICKS",
    K083 = "INLINE_COMMENTS_DOUBLE_QUOTES",
    K084 = "INLINE_COMMENTS_SINGLE_QUOTES",
    K085 = "INLINE_COMMENTS_SPACE",
    K086 = "INLINE_ESCAPED_EXPAND",
    K087 = "INLINE_ESCAPED_EXPAND_BCRYPT",
    K088 = "KEY",
    K089 = "KEY1",
    K090 = "KEY10",
    K091 = "KEY11",
    K092 = "KEY1_1",
    K093 = "KEY2",
    K094 = "KEY3",
    K095 = "KEY4",
    K096 = "KEY5",
    K097 = "KEY6",
    K098 = "KEY7",
    K099 = "KEY8",
    K100 = "KEY9",
    K101 = "KEY_U",
    K102 = "MACHINE",
    K103 = "MACHINE_EXPAND",
    K104 = "MACHINE_EXPAND_SIMPLE",
    K105 = "MIXED_VALUES",
    K106 = "MOCK_SERVER_HOST",
    K107 = "MOCK_SERVER_PORT",
    K108 = "MONGOLAB_URI",
    K109 = "MONGOLAB_URI_RECURSIVELY",
    K110 = "MULTI_BACKTICKED",
    K111 = "MULTI_DOUBLE_QUOTED",
    K112 = "MULTI_PEM_DOUBLE_QUOTED",
    K113 = "MULTI_SINGLE_QUOTED",
    K114 = "NO_CURLY_BRACES_UNDEFINED_EXPAND_DEFAULT_SPECIAL_CHARACTERS",
    K115 = "NO_CURLY_BRACES_UNDEFINED_EXPAND_DEFAULT_SPECIAL_CHARACTERS2",
    K116 = "NO_CURLY_BRACES_URI",
    K117 = "NO_CURLY_BRACES_URI_RECURSIVELY",
    K118 = "NO_VARIABLES",
    K119 = "ONE",
    K120 = "ONETWO",
    K121 = "ONETWO_SIMPLE",
    K122 = "ONETWO_SIMPLE2",
    K123 = "ONETWO_SUPER_SIMPLE",
    K124 = "OPTION_A",
    K125 = "OPTION_B",
    K126 = "OPTION_C",
    K127 = "OPTION_D",
    K128 = "OPTION_E",
    K129 = "OPTION_ESCAPED",
    K130 = "OPTION_F",
    K131 = "OPTION_G",
    K132 = "OPTION_H",
    K133 = "OPTION_I",
    K134 = "OPTION_J",
    K135 = "OPTION_K",
    K136 = "OPTION_L",
    K137 = "OPTION_M",
    K138 = "OPTION_Z",
    K139 = "PASSWORD",
    K140 = "PASSWORD_EXPAND",
    K141 = "PASSWORD_EXPAND_NESTED",
    K142 = "PASSWORD_EXPAND_NESTED_NESTED",
    K143 = "PASSWORD_EXPAND_SIMPLE",
    K144 = "PEERS_PROBE_UNSET",
    K145 = "PGHOST",
    K146 = "PGHOST2",
    K147 = "PGHOST3",
    K148 = "PGHOST4",
    K149 = "PGHOST5",
    K150 = "PGUSER",
    K151 = "PGUSER2",
    K152 = "PGUSER3",
    K153 = "PGUSER4",
    K154 = "PGUSER5",
    K155 = "PLAIN",
    K156 = "PROGRESSIVE",
    K157 = "RETAIN_INNER_QUOTES",
    K158 = "RETAIN_INNER_QUOTES_AS_BACKTICKS",
    K159 = "RETAIN_INNER_QUOTES_AS_STRING",
    K160 = "SERVER",
    K161 = "SHELL_LOVER",
    K162 = "SINGLE_QUOTE",
    K163 = "SINGLE_QUOTES",
    K164 = "SINGLE_QUOTES_INSIDE_BACKTICKS",
    K165 = "SINGLE_QUOTES_INSIDE_DOUBLE",
    K166 = "SINGLE_QUOTES_SPACED",
    K167 = "SOME_ENV",
    K168 = "SOURCE",
    K169 = "SPACED_KEY",
    K170 = "SPLIT_KEY_VALUE_LINES",
    K171 = "SPLIT_KEY_VALUE_SPACED_LINES",
    K172 = "STRONG",
    K173 = "SUBSTITUTION_FOR_STRONG_QUOTES",
    K174 = "SUBSTITUTION_FOR_WEAK_QUOTES",
    K175 = "SUBSTITUTION_WITHOUT_QUOTES",
    K176 = "TEST",
    K177 = "TESTKEY",
    K178 = "TESTKEY1",
    K179 = "TESTKEY2",
    K180 = "TESTKEY3",
    K181 = "TESTKEY4",
    K182 = "TESTKEY5",
    K183 = "TEST_URLS",
    K184 = "THREE",
    K185 = "TRIM_SPACE_FROM_UNQUOTED",
    K186 = "TWO",
    K187 = "TWO_DOLLAR_SIGNS",
    K188 = "TWO_DOLLAR_SIGNS_FOLLOWED_BY_DIGIT",
    K189 = "TWO_DOLLAR_SIGNS_FOLLOWED_BY_LETTER",
    K190 = "TWO_DOLLAR_SIGNS_FOLLOWED_BY_LETTER_SINGLE_QUOTE",
    K191 = "UNDEFINED_EXPAND",
    K192 = "UNDEFINED_EXPAND_DEFAULT",
    K193 = "UNDEFINED_EXPAND_DEFAULT2",
    K194 = "UNDEFINED_EXPAND_DEFAULT_NESTED",
    K195 = "UNDEFINED_EXPAND_DEFAULT_NESTED2",
    K196 = "UNDEFINED_EXPAND_DEFAULT_NESTED_TWICE",
    K197 = "UNDEFINED_EXPAND_DEFAULT_NESTED_TWICE2",
    K198 = "UNDEFINED_EXPAND_DEFAULT_SPECIAL_CHARACTERS",
    K199 = "UNDEFINED_EXPAND_DEFAULT_SPECIAL_CHARACTERS2",
    K200 = "UNDEFINED_EXPAND_DEFAULT_SPECIAL_CHARACTERS_NESTED",
    K201 = "UNDEFINED_EXPAND_DEFAULT_SPECIAL_CHARACTERS_NESTED2",
    K202 = "UNDEFINED_EXPAND_NESTED",
    K203 = "USERNAME",
    K204 = "VALUE",
    K205 = "VARIABLE_NOT_FOUND",
    K206 = "VAR_TO_BE_LOADED_FROM_OS_ENV",
    K207 = "VAR_WITH_UNDERSCORES",
    K208 = "WEAK",
    K209 = "a",
    K210 = "b",
    K211 = "bar",
    K212 = "baz",
    K213 = "c",
    K214 = "d",
    K215 = "echo",
    K216 = "export",
    K217 = "exportFOO",
    K218 = "exportFoo",
    K219 = "export_FOO",
    K220 = "export_a",
    K221 = "fizz",
    K222 = "foo",
    K223 = "fred",
    K224 = "interp",
    K225 = "no_value_var",
    K226 = "port",
    K227 = "qux",
    K228 = "thud",
    K229 = "zot",
}
