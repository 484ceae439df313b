//! The parser against dotenvy 0.15.7: a table of tricky texts (the committed corpus)
//! and a differential property test over a grammar of tricky pieces. Both compare the
//! full list of items (key and value, or "does not parse") with dotenvy's, with the
//! process environment as the substitution source as dotenvy has it, and check each
//! item's line against a computation that uses dotenvy alone.

use std::ffi::OsString;

use proptest::prelude::*;

use super::*;

/// An item as both parsers can tell it: `Err(())` for a logical line that does not
/// parse.
type Seen = Result<(String, String), ()>;

fn ours(text: &str, env: Env<'_>) -> (Vec<Seen>, Vec<usize>) {
    parse(text, env)
        .into_iter()
        .map(|item| match item {
            Item::Pair {
                key, value, line, ..
            } => (Ok((key.to_owned(), value.to_string())), line),
            Item::Bad { line, .. } => (Err(()), line),
        })
        .unzip()
}

fn dotenvy_items(text: &str) -> Vec<Seen> {
    dotenvy::from_read_iter(text.as_bytes())
        .map(|item| match item {
            Ok(pair) => Ok(pair),
            Err(dotenvy::Error::LineParse(..)) => Err(()),
            Err(other) => panic!("dotenvy read a str with {other}"),
        })
        .collect()
}

/// The line each of dotenvy's items starts on, from dotenvy alone: item `k` starts on
/// the first line `L` such that the text up to the end of line `L` already yields more
/// than `k` items (a logical line still open there yields one error item).
fn dotenvy_lines(text: &str) -> Vec<usize> {
    let ends: Vec<usize> = text
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .chain((!text.ends_with('\n') && !text.is_empty()).then_some(text.len()))
        .collect();
    let mut lines = Vec::new();
    for (l, &end) in ends.iter().enumerate() {
        let count = dotenvy::from_read_iter(&text.as_bytes()[..end]).count();
        while lines.len() < count {
            lines.push(l + 1);
        }
    }
    lines
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let (items, lines) = ours(text, Env::Process);
    prop_assert_eq!(&items, &dotenvy_items(text), "items of {:?}", text);
    prop_assert_eq!(&lines, &dotenvy_lines(text), "lines of {:?}", text);
    Ok(())
}

/// Texts that once told the two parsers apart, or that pin one of dotenvy's quirks.
const CORPUS: &[&str] = &[
    "",
    "\n\n",
    "A=1",
    "A=1\nB=2\n",
    "A=1\r\nB=\"x\r\ny\"\r\n",
    "export A=1\nexport=2\nexport  =3\nexportB=4\nexport\n",
    "export\tA=1\nexport A B=1\n",
    "# c\n  # 'open\nA=1 # c\nB=1  # it's\nC=2\n'\n",
    "A=a#b\nB=a #b\nC=\"a#b\" # c\nD='x'#c\n",
    "A=\"multi\nline\" # c\nB=after\n",
    "A='single\n$B\\n'\n",
    "A=\"esc \\\" \\\\ \\$ \\n \\ x\"\nB=\"bad \\q\"\nC=my\\ cool\\ value\n",
    "A=x\\\nB=\\\n",
    "A=hello world\n",
    "A=1 \nB=2 ",
    "A=1\t",
    " ",
    "  ",
    "A=\\",
    "A=\"unterminated\nB=2\n",
    "A='unterminated\nB=2",
    "=value\n1A=x\nA B=c\n.A=1\n",
    "A.b=1\n_a=2\n",
    "A=1\nB=$A\nC=${A}\nD=\"$A\"\nE=\">$A<\"\nF=$A$A\nG=${A}x\nH=$A_x\n",
    "A=1\nB=${A\nC=${}\nD=$\nE=$ x\nF=x$\n",
    "A=${PATH}\nB=$HOME\nC=\"${HOME}/x\"\nPATH=mine\nD=$PATH\n",
    "A=1\nA=2\nB=$A\nA=\nC=x${A}y\n",
    "A=${A B}\nB=${A'}\nC=${é}\nD=$é1\n",
    "A=\"${A\"}\"\n",
    "A=$A\"x\"\nB=$A'x'\nC=$A\\n\n",
    "A=\u{a0}x\nB=x\u{a0}y\nC= \u{a0} \n\u{2003}D=1\n",
    "A=''\nB=\"\"\nC=   \nD=   # c\n",
    "A='a'\"b\"c\nB='a' \"b\"\n",
    "A=\"x\" y # c\n",
    "\rA=1\n\r#c\nB=\r\n",
    "A=\"a\n# not a comment\nb\"\n",
    "#A=\"x\nB=1\n",
    "A=x #\"y\nB=2\n",
    "A=x  #\"y\nB=2\n\"\n",
];

#[test]
fn the_corpus_parses_as_dotenvy_parses_it() {
    for text in CORPUS {
        if let Err(err) = check(text) {
            panic!("{err}");
        }
    }
}

/// Pieces of values: quotes, escapes, comments, references, whitespace, newlines.
fn value_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "b",
        "1",
        "é",
        ".",
        "=",
        "_",
        "{",
        "}",
        "#",
        " #c",
        " ",
        "  ",
        "\t",
        "\u{a0}",
        "'",
        "\"",
        "\\",
        "\\n",
        "\\\"",
        "\\\\",
        "\\$",
        "\\ ",
        "\\q",
        "$",
        "$A",
        "$A_",
        "${A}",
        "${B}",
        "${A",
        "${}",
        "$PATH",
        "${HOME}",
        "${NOPE_X}",
        "\n",
        "\r\n",
        "'x y'",
        "\"x y\"",
        "\"$A<\"",
        "'$A'",
    ])
}

fn key() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["A", "B", "a.b", "_x", "PATH", "export", "1A", ""])
}

/// One line: usually `KEY=value`, sometimes a comment, a blank, or a broken line.
fn line() -> impl Strategy<Value = String> {
    let assignment = (
        prop::sample::select(vec!["", " ", "\t", "export ", "export  ", " export "]),
        key(),
        prop::sample::select(vec!["=", " = ", "= ", " ", "=="]),
        prop::collection::vec(value_piece(), 0..6),
        prop::sample::select(vec!["", " ", " # comment", "  # it's", "#x"]),
    )
        .prop_map(|(prefix, key, eq, value, trailer)| {
            format!("{prefix}{key}{eq}{}{trailer}", value.concat())
        });
    let other = prop::sample::select(vec![
        "",
        " ",
        "# comment",
        " # 'quoted",
        "#\"",
        "garbage",
        "=x",
        "export",
        "'",
        "\"a\nb\"",
    ])
    .prop_map(str::to_owned);
    prop_oneof![4 => assignment, 1 => other]
}

fn text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(
            (line(), prop::sample::select(vec!["\n", "\n", "\r\n"])),
            0..8,
        ),
        any::<bool>(),
    )
        .prop_map(|(lines, last_newline)| {
            let mut text: String = lines.iter().map(|(l, eol)| format!("{l}{eol}")).collect();
            if !last_newline && text.ends_with('\n') {
                text.pop();
                if text.ends_with('\r') {
                    text.pop();
                }
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parses_exactly_as_dotenvy(text in text()) {
        check(&text)?;
    }
}

#[test]
fn substitution_reads_only_the_given_variables() {
    // `PATH` and `HOME` exist in any process environment; given variables replace it.
    let vars = [(OsString::from("GIVEN"), OsString::from("g"))];
    let text = "A=${PATH}|$HOME|${GIVEN}\nB=x\nC=${B}$GIVEN\n";
    let (items, _) = ours(text, Env::Vars(&vars));
    assert_eq!(
        items,
        [
            Ok(("A".to_owned(), "||g".to_owned())),
            Ok(("B".to_owned(), "x".to_owned())),
            Ok(("C".to_owned(), "xg".to_owned())),
        ]
    );
    // A fixture's environment is empty: only the file's own keys.
    let (items, _) = ours(text, Env::Vars(&[]));
    assert_eq!(items[0], Ok(("A".to_owned(), "||".to_owned())));
    assert_eq!(items[2], Ok(("C".to_owned(), "x".to_owned())));
}

#[test]
fn the_environment_wins_over_the_files_own_keys_as_in_dotenvy() {
    let vars = [
        (OsString::from("B"), OsString::from("first")),
        (OsString::from("B"), OsString::from("env")),
    ];
    let (items, _) = ours("B=file\nC=$B\n", Env::Vars(&vars));
    assert_eq!(items[1], Ok(("C".to_owned(), "env".to_owned())));
}

#[test]
fn a_long_substitution_grows_the_value_by_moving_it() {
    let long = "x".repeat(1000);
    let vars = [(OsString::from("L"), OsString::from(&long))];
    let (items, _) = ours("A=\"<${L}${L}>\"\n", Env::Vars(&vars));
    assert_eq!(items[0], Ok(("A".to_owned(), format!("<{long}{long}>"))));
}
