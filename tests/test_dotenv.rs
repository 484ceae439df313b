//! `.env` files: dotenvy's quoting, line numbers in origins, unknown keys ignored,
//! explicitly named files must exist, and a line that does not parse is reported by
//! file and line without its content.

mod common;

use confidant::{ExposeSecret, Origin, ProblemKind, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    #[settings(default = "x")]
    greeting: String,
    #[settings(default = 0)]
    port: u16,
    token: Option<Secret<String>>,
}

fn load_file(contents: &str) -> (tempfile::TempDir, Result<Config, confidant::Error>) {
    let dir = common::tempdir();
    let file = common::write(dir.path(), ".env", contents);
    let result = common::env_only::<Config>(&[("UNRELATED", "1")])
        .dotenv(file)
        .load();
    (dir, result)
}

#[test]
fn follows_dotenvy_quoting_rules() {
    let (_d, cfg) = load_file(
        "APP_GREETING=\"hello world\"\nexport APP_PORT=8080\nAPP_TOKEN='s3cr#t' # comment\n",
    );
    let cfg = cfg.unwrap();
    assert_eq!(cfg.greeting, "hello world");
    assert_eq!(cfg.port, 8080);
    assert_eq!(cfg.token.unwrap().expose_secret(), "s3cr#t");
}

#[test]
fn multi_line_values_and_line_numbers() {
    let (dir, result) =
        load_file("# top\nAPP_GREETING=\"line one\nAPP_PORT=not this one\"\n\nAPP_PORT=bad\n");
    let err = result.unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.env_var(), "APP_PORT");
    assert_eq!(
        p.origin(),
        Some(&Origin::Dotenv {
            path: dir.path().join(".env"),
            line: 5,
            encrypted: false,
        })
    );
    assert!(
        err.to_string()
            .contains(&format!("{}:5", dir.path().join(".env").display()))
    );
}

#[test]
fn unknown_keys_are_ignored() {
    let (_d, cfg) = load_file("OTHER_SERVICE_KEY=abc\nAPP_PORT=1\nAPP_UNKNOWN=2\n");
    assert_eq!(cfg.unwrap().port, 1);
}

#[test]
fn a_named_file_must_exist() {
    let dir = common::tempdir();
    let err = Config::loader()
        .env_vars([("A", "1")])
        .dotenv(dir.path().join("nope.env"))
        .load()
        .unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.kind(), ProblemKind::Unreadable);
    assert!(p.message().contains("nope.env"), "{err}");
}

#[test]
fn the_structs_own_dotenv_is_optional() {
    #[derive(Debug, Settings)]
    #[settings(dotenv = "/nonexistent/confidant/.env")]
    struct Optional {
        #[settings(default = 3)]
        n: u8,
    }
    let cfg = Optional::loader()
        .env_vars([("X", "1")])
        .no_secrets_dir()
        .load()
        .unwrap();
    assert_eq!(cfg.n, 3);
}

#[test]
fn a_broken_line_for_our_key_is_a_problem_without_its_content() {
    let (dir, result) =
        load_file("APP_PORT=1\nAPP_TOKEN=\"canary-7f3a9 unterminated\nAPP_GREETING=hi\n");
    let err = result.unwrap_err();
    let text = format!("{err}\n{err:?}");
    assert!(!text.contains("canary-7f3a9"), "{text}");
    // An unterminated quote spoils its own line only (as dotenv for Node and
    // python-dotenv read it): the greeting on the next line loads.
    let reported: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.env_var(), p.kind()))
        .collect();
    assert_eq!(reported, [("APP_TOKEN", ProblemKind::Unreadable)]);
    let origin = Origin::Dotenv {
        path: dir.path().join(".env"),
        line: 2,
        encrypted: false,
    };
    assert_eq!(err.problems()[0].origin(), Some(&origin));
}

#[test]
fn a_broken_line_for_another_services_key_is_ignored() {
    let (_d, cfg) = load_file("APP_PORT=2\nOTHER=\"unterminated\n");
    assert_eq!(cfg.unwrap().port, 2);
}

#[test]
fn an_unterminated_quote_spoils_only_its_own_line_and_is_a_warning() {
    let dir = common::tempdir();
    let file = common::write(dir.path(), ".env", "OTHER='canary-q1\nAPP_PORT=2\n");
    let (cfg, warnings) = common::env_only::<Config>(&[("UNRELATED", "1")])
        .dotenv(&file)
        .load_with_warnings()
        .unwrap();
    assert_eq!(cfg.port, 2);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0].origin(),
        Some(&Origin::Dotenv {
            path: file.clone(),
            line: 1,
            encrypted: false,
        })
    );
    assert!(!format!("{:?} {}", warnings[0], warnings[0]).contains("canary-q1"));
}

#[test]
fn name_file_in_dotenv_reads_that_file() {
    let dir = common::tempdir();
    let secret = common::write(dir.path(), "token.txt", "tok-123\n");
    let file = common::write(
        dir.path(),
        ".env",
        &format!("APP_TOKEN_FILE={}\n", secret.display()),
    );
    let cfg = Config::loader()
        .env_vars([("A", "1")])
        .dotenv(file)
        .load()
        .unwrap();
    assert_eq!(cfg.token.unwrap().expose_secret(), "tok-123");
}

#[test]
fn a_bad_value_is_reported_on_its_key_and_line() {
    // A `${` with no closing brace: the line does not parse; only its key is named.
    let (dir, result) = load_file("APP_PORT=1\nAPP_GREETING=hello canary-77e1 ${world\n");
    let err = result.unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(
        (p.env_var(), p.kind()),
        ("APP_GREETING", ProblemKind::Unreadable)
    );
    assert_eq!(
        p.origin(),
        Some(&Origin::Dotenv {
            path: dir.path().join(".env"),
            line: 2,
            encrypted: false,
        })
    );
    assert!(!format!("{err}{err:?}").contains("canary-77e1"));
}

#[test]
fn substitution_reads_the_given_variables_not_the_process_environment() {
    // `PATH` is set in any process environment; under `env_vars` it is not seen.
    let dir = common::tempdir();
    let file = common::write(
        dir.path(),
        ".env",
        "APP_GREETING=\"[${PATH}][${GIVEN}]\"\nAPP_PORT=${PORT}\n",
    );
    let cfg = common::env_only::<Config>(&[("GIVEN", "given"), ("PORT", "8081")])
        .dotenv(&file)
        .load()
        .unwrap();
    assert_eq!(cfg.greeting, "[][given]");
    assert_eq!(cfg.port, 8081);
}

#[test]
fn substitution_reads_earlier_keys_of_the_file_after_the_environment() {
    let (_d, cfg) = load_file("BASE=hello\nUNRELATED=file\nAPP_GREETING=${BASE}-$UNRELATED\n");
    // `load_file` gives `UNRELATED=1` as the environment: it wins over the file's key.
    assert_eq!(cfg.unwrap().greeting, "hello-1");
}

#[test]
fn a_fixture_substitutes_nothing_from_the_process_environment() {
    let dir = common::tempdir();
    let file = common::write(dir.path(), ".env", "APP_GREETING=\"<$HOME|${PATH}>\"\n");
    let cfg = Config::fixture().dotenv(&file).load().unwrap();
    assert_eq!(cfg.greeting, "<|>");
}

#[test]
fn a_substituted_secret_stays_out_of_errors_and_explain() {
    // An unterminated `${` in a secret's line: reported by line, without content.
    let (_d, result) = load_file("RAW=canary-subst-41c\nAPP_TOKEN=\"x${RAW\"\n");
    let err = result.unwrap_err();
    let text = format!("{err}\n{err:?}");
    assert!(!text.contains("canary-subst-41c"), "{text}");
    assert_eq!(err.problems()[0].env_var(), "APP_TOKEN");
    // Substituted into the secret, it shows only as a fingerprint.
    let dir = common::tempdir();
    let file = common::write(
        dir.path(),
        ".env",
        "RAW=canary-subst-41c\nAPP_TOKEN=${RAW}\n",
    );
    let explain = common::env_only::<Config>(&[("A", "1")])
        .dotenv(&file)
        .explain()
        .unwrap();
    let text = format!("{explain}\n{explain:?}");
    assert!(!text.contains("canary-subst-41c"), "{text}");
}

#[test]
fn a_secret_substituted_into_a_plain_field_is_not_echoed_when_it_fails() {
    let (_d, result) = load_file("APP_TOKEN=canary-subst-77d\nAPP_PORT=${APP_TOKEN}\n");
    let err = result.unwrap_err();
    let text = format!("{err}\n{err:?}");
    assert!(!text.contains("canary-subst-77d"), "{text}");
    let problem = &err.problems()[0];
    assert_eq!(problem.env_var(), "APP_PORT");
    assert!(
        problem
            .message()
            .contains("not shown: it was encrypted, holds a substitution or spans several lines"),
        "{problem}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_reported_by_line_without_content() {
    let dir = common::tempdir();
    let file = dir.path().join(".env");
    std::fs::write(&file, b"APP_PORT=1\nAPP_TOKEN=canary-8bit-\xff\n").unwrap();
    let err = common::env_only::<Config>(&[("A", "1")])
        .dotenv(&file)
        .load()
        .unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.kind(), ProblemKind::Unreadable);
    assert!(p.message().contains("line 2 is not UTF-8"), "{err}");
    assert!(!format!("{err}{err:?}").contains("canary-8bit"));
}

#[test]
fn a_quote_that_swallows_a_secret_line_shows_no_value() {
    // A stray quote on a plain setting runs over the secret's line: the plain value
    // then holds the secret, so its parse error shows no value either.
    let (_d, result) = load_file("APP_PORT='80\nAPP_TOKEN=canary-swallowed-5c1e\n'\n");
    let err = result.unwrap_err();
    let text = format!("{err}\n{err:?}");
    assert!(!text.contains("canary-swallowed-5c1e"), "{text}");
    let problem = &err.problems()[0];
    assert_eq!(problem.env_var(), "APP_PORT");
    assert!(
        problem.message().contains("spans several lines"),
        "{problem}"
    );
}

// ---- the dotenv family's format (SPEC, "`.env` files as the dotenv family writes them")

fn load_with_warnings(
    contents: &str,
    env: &[(&str, &str)],
) -> (
    std::path::PathBuf,
    Result<(Config, Vec<confidant::Problem>), confidant::Error>,
) {
    let dir = common::tempdir();
    let file = common::write(dir.path(), ".env", contents);
    let result = common::env_only::<Config>(env)
        .dotenv(&file)
        .load_with_warnings();
    // The file is read by then: the directory may go.
    let _ = dir.keep();
    (file, result)
}

#[test]
fn a_lone_carriage_return_ends_a_line() {
    let (_f, result) =
        load_with_warnings("APP_PORT=8080\rAPP_TOKEN=sk-cr-1\rAPP_GREETING=hi\r", &[]);
    let (cfg, warnings) = result.unwrap();
    assert_eq!(cfg.port, 8080);
    assert_eq!(cfg.token.unwrap().expose_secret(), "sk-cr-1");
    assert_eq!(cfg.greeting, "hi");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn a_value_read_over_several_lines_is_concealed_whatever_the_line_end() {
    for eol in ["\n", "\r\n", "\r"] {
        let text = format!("APP_PORT=\"80{eol}canary-ml-{}\"{eol}", eol.len());
        let (_f, result) = load_with_warnings(&text, &[]);
        let err = result.unwrap_err();
        assert_eq!(err.problems()[0].env_var(), "APP_PORT");
        let shown = format!("{err}\n{err:?}");
        assert!(!shown.contains("canary-ml"), "{eol:?}: {shown}");
    }
}

#[test]
fn unquoted_values_keep_inner_spaces_and_end_before_a_comment() {
    let (_f, result) = load_with_warnings(
        "APP_GREETING=hello big world   # a comment\nAPP_PORT=1#2\n",
        &[],
    );
    let err = result.unwrap_err();
    // `1#2` is the whole value: a `#` starts a comment only after a blank.
    assert_eq!(err.problems()[0].env_var(), "APP_PORT");
    let (_f, result) = load_with_warnings("APP_GREETING=hello big world   # c\n", &[]);
    assert_eq!(result.unwrap().0.greeting, "hello big world");
    // The last line may end in blanks and no line end.
    let (_f, result) = load_with_warnings("APP_GREETING=last  ", &[]);
    assert_eq!(result.unwrap().0.greeting, "last");
}

#[test]
fn quotes_of_the_dotenv_family() {
    let cases = [
        ("APP_GREETING='a $X \\n'", "a $X \\n"),
        ("APP_GREETING=`back 'tick' \"q\"`", "back 'tick' \"q\""),
        ("APP_GREETING=\"x\\ny\\t\\\"z\\\"\"", "x\ny\t\"z\""),
        ("APP_GREETING=\"it's\"  # comment", "it's"),
        ("APP_GREETING='a'\"b\"c", "abc"),
        ("export APP_GREETING = spaced ", "spaced"),
        ("APP_GREETING: colon", "colon"),
    ];
    for (line, want) in cases {
        let (_f, result) = load_with_warnings(line, &[("X", "x")]);
        let (cfg, _) = result.unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(cfg.greeting, want, "{line}");
    }
}

#[test]
fn the_same_key_twice_in_one_file_the_later_line_wins() {
    let (f, result) = load_with_warnings("APP_PORT=1\nAPP_PORT=2\nAPP_GREETING=$APP_PORT\n", &[]);
    let (cfg, warnings) = result.unwrap();
    assert_eq!((cfg.port, cfg.greeting.as_str()), (2, "2"));
    assert!(warnings.is_empty(), "{warnings:?}");
    let explain = common::env_only::<Config>(&[])
        .dotenv(&f)
        .explain()
        .unwrap()
        .to_string();
    assert!(explain.contains(&format!("{}:2", f.display())), "{explain}");
}

#[test]
fn posix_substitutions() {
    let env = [("SET", "s"), ("EMPTY", "")];
    let cases = [
        ("${SET:-d}", "s"),
        ("${EMPTY:-d}", "d"),
        ("${UNSET:-d}", "d"),
        ("${SET-d}", "s"),
        ("${EMPTY-d}", ""),
        ("${UNSET-d}", "d"),
        ("${SET:+a}", "a"),
        ("${EMPTY:+a}", ""),
        ("${UNSET:+a}", ""),
        ("${SET+a}", "a"),
        ("${EMPTY+a}", "a"),
        ("${UNSET+a}", ""),
        ("${UNSET:-${SET}-x}", "s-x"),
        ("<$SET_X>", "<>"),
        ("\\$SET $ $1", "$SET $ $1"),
    ];
    for (value, want) in cases {
        // In brackets: an empty greeting would be unset (and take its default).
        let (_f, result) = load_with_warnings(&format!("APP_GREETING=\"[{value}]\"\n"), &env);
        let (cfg, _) = result.unwrap_or_else(|e| panic!("{value}: {e}"));
        assert_eq!(cfg.greeting, format!("[{want}]"), "{value}");
    }
}

#[test]
fn a_substitution_of_an_unset_variable_is_a_warning_naming_it() {
    let (f, result) = load_with_warnings(
        "APP_GREETING=a${MISSING_ONE}b\nAPP_TOKEN=${MISSING_TWO:-x}$MISSING_THREE\n",
        &[],
    );
    let (cfg, warnings) = result.unwrap();
    assert_eq!(cfg.greeting, "ab");
    let texts: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts[0].contains("$MISSING_ONE") && texts[0].contains(&format!("{}:1", f.display())));
    // A form with a default names nothing; `$MISSING_THREE` on line 2 does.
    assert!(texts[1].contains("$MISSING_THREE") && texts[1].contains(":2"));
}

#[test]
fn lines_no_setting_can_use_are_warnings_and_the_rest_loads() {
    let (f, result) = load_with_warnings(
        "OPTION-B=canary-w1\nAPP_PORT=7\n456 = canary-w2\nBARE_WORD\na[1]=canary-w3\nVAR.WITH.DOTS=canary-w4\n",
        &[],
    );
    let (cfg, warnings) = result.unwrap();
    assert_eq!(cfg.port, 7);
    let lines: Vec<_> = warnings
        .iter()
        .map(|w| match w.origin() {
            Some(Origin::Dotenv { path, line, .. }) if *path == f => *line,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(lines, [1, 3, 4, 5, 6]);
    let shown = format!("{warnings:?}");
    assert!(!shown.contains("canary-w"), "{shown}");
}
