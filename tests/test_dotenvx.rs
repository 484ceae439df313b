//! dotenvx-encrypted values: fixtures made by dotenvx itself (tests/data/dotenvx, see
//! make-fixtures.sh) decrypt into settings with the key from the environment or from
//! `.env.keys`; missing keys, wrong keys and malformed data are problems that name the
//! setting, the `.env` line and the class, and never a key, a ciphertext or a value;
//! confidant's own `encrypt` output loads back, and dotenvx reads it when installed.
#![cfg(feature = "dotenvx")]

mod common;

use std::path::{Path, PathBuf};

use confidant::{ExposeSecret, Origin, ProblemKind, Secret, Settings, dotenvx};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    name: String,
    port: u16,
    #[settings(nested)]
    db: Db,
    api_key: Secret<String>,
    #[settings(default = "unset")]
    greeting_plain: String,
}

#[derive(Debug, Settings)]
struct Db {
    password: Secret<String>,
}

/// The `.env` values the fixtures were made from.
const DEV_PASSWORD: &str = "canary-dev-Vx9q2Lw7";
const DEV_API_KEY: &str = "sk-test-DEV-0123456789abcdef";
const PROD_PASSWORD: &str = "canary-prod-Qm4Zt8Kp";
const PROD_API_KEY: &str = "sk-test-PROD-fedcba9876543210";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dotenvx")
}

/// A private key from the fixtures' `.env.keys`.
fn fixture_key(name: &str) -> String {
    let text = std::fs::read_to_string(fixtures().join(".env.keys")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} in .env.keys"))
        .trim_matches('"')
        .to_owned()
}

/// The `encrypted:` texts of a fixture file.
fn ciphertexts(file: &str) -> Vec<String> {
    std::fs::read_to_string(fixtures().join(file))
        .unwrap()
        .lines()
        .filter_map(|l| {
            l.split_once("=encrypted:")
                .map(|(_, c)| c.trim_matches('"'))
        })
        .map(|c| c[..24].to_owned())
        .collect()
}

/// Copies a fixture to a temp dir of its own, without `.env.keys`.
fn copy_alone(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = common::tempdir();
    let path = dir.path().join(name);
    std::fs::copy(fixtures().join(name), &path).unwrap();
    (dir, path)
}

fn load(file: &Path, env: &[(&str, &str)]) -> Result<Config, confidant::Error> {
    Config::loader()
        .env_vars([("UNRELATED", "1")])
        .env_vars(env.iter().copied())
        .dotenv(file)
        .no_secrets_dir()
        .load()
}

/// Neither a private key, nor a ciphertext, nor a decrypted value appears in `text`.
fn assert_clean(text: &str, keys: &[&str], file: &str) {
    for secret in [DEV_PASSWORD, DEV_API_KEY, PROD_PASSWORD, PROD_API_KEY] {
        assert!(!text.contains(secret), "a value leaked into: {text}");
    }
    for key in keys {
        assert!(
            !text.contains(&key[..16]),
            "a private key leaked into: {text}"
        );
    }
    for c in ciphertexts(file) {
        assert!(!text.contains(&c), "a ciphertext leaked into: {text}");
    }
}

#[test]
fn dotenvx_fixture_decrypts_with_the_key_from_env_vars() {
    let (_dir, file) = copy_alone(".env");
    let key = fixture_key("DOTENV_PRIVATE_KEY");
    let cfg = load(&file, &[("DOTENV_PRIVATE_KEY", &key)]).unwrap();
    // Encrypted values go into plain fields too.
    assert_eq!(cfg.name, "confidant-fixture");
    assert_eq!(cfg.port, 8123);
    assert_eq!(cfg.db.password.expose_secret(), DEV_PASSWORD);
    assert_eq!(cfg.api_key.expose_secret(), DEV_API_KEY);
    // `_PLAIN` keys stay clear text.
    assert_eq!(cfg.greeting_plain, "hello");
}

#[test]
fn dotenvx_fixtures_decrypt_with_the_keys_in_dotenv_keys_beside_them() {
    let cfg = load(&fixtures().join(".env"), &[]).unwrap();
    assert_eq!(cfg.db.password.expose_secret(), DEV_PASSWORD);
    assert_eq!(cfg.api_key.expose_secret(), DEV_API_KEY);

    // `.env.production` takes DOTENV_PRIVATE_KEY_PRODUCTION from the same `.env.keys`.
    let cfg = load(&fixtures().join(".env.production"), &[]).unwrap();
    assert_eq!(cfg.name, "confidant-prod-fixture");
    assert_eq!(cfg.port, 9443);
    assert_eq!(cfg.db.password.expose_secret(), PROD_PASSWORD);
    assert_eq!(cfg.api_key.expose_secret(), PROD_API_KEY);
}

#[test]
fn the_environment_key_wins_over_dotenv_keys() {
    // A wrong key in the environment is used (and fails) even though .env.keys holds
    // the right one: the environment is looked at first.
    let wrong = fixture_key("DOTENV_PRIVATE_KEY_PRODUCTION");
    let err = load(&fixtures().join(".env"), &[("DOTENV_PRIVATE_KEY", &wrong)]).unwrap_err();
    assert!(err.to_string().contains("authentication failed"), "{err}");
}

#[test]
fn comma_separated_keys_are_tried_in_order() {
    let (_dir, file) = copy_alone(".env.production");
    let other = fixture_key("DOTENV_PRIVATE_KEY");
    let right = fixture_key("DOTENV_PRIVATE_KEY_PRODUCTION");
    let keys = format!("{other},not-a-key,{right}");
    let cfg = load(&file, &[("DOTENV_PRIVATE_KEY_PRODUCTION", &keys)]).unwrap();
    assert_eq!(cfg.api_key.expose_secret(), PROD_API_KEY);
}

#[test]
fn missing_private_key_names_the_variable_and_the_keys_file() {
    let (dir, file) = copy_alone(".env.production");
    // The `.env` key does not open `.env.production`.
    let dev_key = fixture_key("DOTENV_PRIVATE_KEY");
    let err = load(&file, &[("DOTENV_PRIVATE_KEY", &dev_key)]).unwrap_err();
    let problems = err.problems();
    assert_eq!(problems.len(), 4, "{err}");
    let p = &problems[0];
    assert_eq!(p.field(), "name");
    assert_eq!(p.env_var(), "APP_NAME");
    assert_eq!(p.kind(), ProblemKind::Unreadable);
    assert_eq!(
        p.origin(),
        Some(&Origin::Dotenv {
            path: file.clone(),
            line: 8,
            encrypted: true
        })
    );
    let keys_file = dir.path().join(".env.keys");
    assert!(
        p.message().contains(&format!(
            "set DOTENV_PRIVATE_KEY_PRODUCTION or add it to {}",
            keys_file.display()
        )),
        "{}",
        p.message()
    );
    let text = err.to_string();
    assert!(
        text.contains(&format!(
            "APP_DB__PASSWORD ({}:10 (encrypted))",
            file.display()
        )),
        "{text}"
    );
    assert_clean(&text, &[&dev_key], ".env.production");
    assert_clean(&format!("{err:?}"), &[&dev_key], ".env.production");
}

#[test]
fn wrong_private_key_is_an_authentication_failure() {
    let (_dir, file) = copy_alone(".env");
    let wrong = fixture_key("DOTENV_PRIVATE_KEY_PRODUCTION");
    let err = load(&file, &[("DOTENV_PRIVATE_KEY", &wrong)]).unwrap_err();
    assert_eq!(err.problems().len(), 4, "{err}");
    let p = err
        .problems()
        .iter()
        .find(|p| p.env_var() == "APP_API_KEY")
        .unwrap();
    assert_eq!(p.kind(), ProblemKind::Unreadable);
    assert!(
        p.message()
            .contains("authentication failed with every key in DOTENV_PRIVATE_KEY"),
        "{}",
        p.message()
    );
    assert!(err.to_string().contains(":12 (encrypted)"), "{err}");
    assert_clean(&err.to_string(), &[&wrong], ".env");
    assert_clean(&format!("{err:?}"), &[&wrong], ".env");
}

#[test]
fn malformed_encrypted_data_is_reported_as_such() {
    let good = std::fs::read_to_string(fixtures().join(".env")).unwrap();
    let api_line = good
        .lines()
        .find(|l| l.starts_with("APP_API_KEY="))
        .unwrap();
    // 24 bytes shorter (32 base64 digits, the closing quote kept apart).
    let truncated = &api_line[..api_line.len() - 33];
    let dir = common::tempdir();
    let file = common::write(
        dir.path(),
        ".env",
        &format!(
            "APP_NAME=encrypted:not*base64\nAPP_PORT=encrypted:QUJD\n{truncated}\"\nAPP_DB__PASSWORD={}\n",
            good.lines()
                .find_map(|l| l.strip_prefix("APP_DB__PASSWORD="))
                .unwrap()
        ),
    );
    let key = fixture_key("DOTENV_PRIVATE_KEY");
    let err = load(&file, &[("DOTENV_PRIVATE_KEY", &key)]).unwrap_err();
    let problems = err.problems();
    assert_eq!(problems.len(), 3, "{err}");
    assert_eq!(problems[0].env_var(), "APP_NAME");
    assert_eq!(problems[0].kind(), ProblemKind::Invalid);
    assert!(
        problems[0]
            .message()
            .contains("malformed: it is not base64")
    );
    assert_eq!(problems[1].env_var(), "APP_PORT");
    assert!(problems[1].message().contains("malformed: it is too short"));
    // A cut ciphertext still has its header: the GCM tag no longer matches.
    assert_eq!(problems[2].env_var(), "APP_API_KEY");
    assert!(problems[2].message().contains("authentication failed"));
    assert_clean(&err.to_string(), &[&key], ".env");
    assert_clean(&format!("{err:?}"), &[&key], ".env");
}

#[test]
fn encrypted_environment_values_take_dotenv_private_key_from_the_environment() {
    let (public, private) = dotenvx::generate_keypair();
    let sealed = dotenvx::encrypt(&public, DEV_API_KEY).unwrap();
    let base = || {
        Config::loader()
            .env_vars([
                ("APP_NAME", "api"),
                ("APP_PORT", "1"),
                ("APP_DB__PASSWORD", "pw-plain"),
            ])
            .env_vars([("APP_API_KEY", sealed.as_str())])
            .no_dotenv()
            .no_secrets_dir()
    };
    let cfg = base()
        .env_vars([("DOTENV_PRIVATE_KEY", private.expose_secret().as_str())])
        .load()
        .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), DEV_API_KEY);

    let err = base().load().unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.env_var(), "APP_API_KEY");
    assert_eq!(p.origin(), Some(&Origin::Environment));
    assert!(
        p.message()
            .ends_with("no private key to decrypt it: set DOTENV_PRIVATE_KEY"),
        "{}",
        p.message()
    );
    assert!(!err.to_string().contains(&sealed[10..40]), "{err}");
}

#[test]
fn explain_shows_encrypted_dotenv_origins() {
    let file = fixtures().join(".env");
    let explain = common::dotenv_only::<Config>(&file).explain().unwrap();
    let row = |s: &str| explain.rows().iter().find(|r| r.setting() == s).unwrap();
    // Under the working directory: shown relative to it, as every path of the table.
    let file = Path::new("tests/data/dotenvx/.env");
    assert_eq!(
        row("name").origin().to_string(),
        format!("{}:9 (encrypted)", file.display())
    );
    assert_eq!(row("name").value(), "confidant-fixture");
    assert_eq!(
        row("db.password").origin().to_string(),
        format!("{}:11 (encrypted)", file.display())
    );
    assert_eq!(
        row("db.password").value(),
        confidant::fingerprint(DEV_PASSWORD.as_bytes())
    );
    assert_eq!(
        row("greeting_plain").origin().to_string(),
        format!("{}:13", file.display())
    );
    let text = explain.to_string();
    assert!(text.contains(".env:12 (encrypted)"), "{text}");
    assert_clean(&text, &[&fixture_key("DOTENV_PRIVATE_KEY")], ".env");
}

/// Writes a `.env` with confidant's own `encrypt`, the way encrypt_env.rs does.
fn confidant_encrypted_env(dir: &Path, private_name: &str, public_name: &str) -> Secret<String> {
    let (public, private) = dotenvx::generate_keypair();
    let seal = |v: &str| dotenvx::encrypt(&public, v).unwrap();
    common::write(
        dir,
        ".env",
        &format!(
            "{public_name}=\"{public}\"\nAPP_NAME={}\nAPP_PORT={}\nAPP_DB__PASSWORD={}\nAPP_API_KEY=\"{}\"\n",
            seal("round-trip"),
            seal("4242"),
            seal(DEV_PASSWORD),
            seal(DEV_API_KEY),
        ),
    );
    common::write(
        dir,
        ".env.keys",
        &format!("{private_name}={}\n", private.expose_secret()),
    );
    private
}

#[test]
fn encrypt_output_loads_back() {
    let dir = common::tempdir();
    confidant_encrypted_env(dir.path(), "DOTENV_PRIVATE_KEY", "DOTENV_PUBLIC_KEY");
    let cfg = load(&dir.path().join(".env"), &[]).unwrap();
    assert_eq!(cfg.name, "round-trip");
    assert_eq!(cfg.port, 4242);
    assert_eq!(cfg.db.password.expose_secret(), DEV_PASSWORD);
    assert_eq!(cfg.api_key.expose_secret(), DEV_API_KEY);
}

#[test]
fn a_public_key_name_in_the_file_names_the_private_key() {
    // `.env` would mean DOTENV_PRIVATE_KEY; the file says DOTENV_PUBLIC_KEY_CI.
    let dir = common::tempdir();
    let private =
        confidant_encrypted_env(dir.path(), "DOTENV_PRIVATE_KEY_CI", "DOTENV_PUBLIC_KEY_CI");
    std::fs::remove_file(dir.path().join(".env.keys")).unwrap();
    let file = dir.path().join(".env");
    let cfg = load(&file, &[("DOTENV_PRIVATE_KEY_CI", private.expose_secret())]).unwrap();
    assert_eq!(cfg.api_key.expose_secret(), DEV_API_KEY);
    let err = load(&file, &[("DOTENV_PRIVATE_KEY", private.expose_secret())]).unwrap_err();
    assert!(
        err.to_string()
            .contains("set DOTENV_PRIVATE_KEY_CI or add it to"),
        "{err}"
    );
}

#[test]
fn an_encrypted_value_that_does_not_decide_needs_no_key() {
    // The environment overrides the only encrypted value: no key, no problem.
    let (_dir, file) = copy_alone(".env");
    let cfg = load(
        &file,
        &[
            ("APP_NAME", "n"),
            ("APP_PORT", "1"),
            ("APP_DB__PASSWORD", "p"),
            ("APP_API_KEY", "k"),
        ],
    )
    .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), "k");
}

#[test]
fn dotenv_keys_is_never_a_settings_layer() {
    let dir = common::tempdir();
    let file = common::write(dir.path(), ".env", "APP_PORT=1\n");
    common::write(
        dir.path(),
        ".env.keys",
        "APP_NAME=from-keys\nDOTENV_PRIVATE_KEY=00\n",
    );
    let err = load(&file, &[]).unwrap_err();
    assert!(
        err.problems()
            .iter()
            .any(|p| p.env_var() == "APP_NAME" && p.kind() == ProblemKind::Missing)
    );
}

/// Runs only where a `dotenvx` binary is on PATH (`npm install -g @dotenvx/dotenvx`).
#[test]
fn dotenvx_decrypts_confidant_output() {
    let Ok(version) = std::process::Command::new("dotenvx")
        .arg("--version")
        .output()
    else {
        println!("note: no dotenvx on PATH; skipping the dotenvx interoperability check");
        return;
    };
    assert!(version.status.success());
    let dir = common::tempdir();
    confidant_encrypted_env(dir.path(), "DOTENV_PRIVATE_KEY", "DOTENV_PUBLIC_KEY");
    for (key, want) in [
        ("APP_API_KEY", DEV_API_KEY),
        ("APP_DB__PASSWORD", DEV_PASSWORD),
        ("APP_PORT", "4242"),
    ] {
        let out = std::process::Command::new("dotenvx")
            .args(["get", key, "-f", ".env"])
            .current_dir(dir.path())
            .env_remove("DOTENV_PRIVATE_KEY")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8(out.stdout).unwrap().trim_end(), want);
    }
}

#[test]
fn an_encrypted_name_file_path_is_decrypted_then_read() {
    // `dotenvx encrypt` encrypts every value, `NAME_FILE` paths included.
    let dir = common::tempdir();
    let secret_file = common::write(dir.path(), "api_key.txt", DEV_API_KEY);
    let (public, private) = dotenvx::generate_keypair();
    let sealed_path = dotenvx::encrypt(&public, secret_file.to_str().unwrap()).unwrap();
    let file = common::write(
        dir.path(),
        ".env",
        &format!("APP_NAME=n\nAPP_PORT=1\nAPP_DB__PASSWORD=p\nAPP_API_KEY_FILE={sealed_path}\n"),
    );
    let explain = Config::loader()
        .env_vars([("DOTENV_PRIVATE_KEY", private.expose_secret().as_str())])
        .dotenv(&file)
        .no_secrets_dir()
        .explain()
        .unwrap();
    let row = explain
        .rows()
        .iter()
        .find(|r| r.setting() == "api_key")
        .unwrap();
    assert_eq!(row.value(), confidant::fingerprint(DEV_API_KEY.as_bytes()));
    assert_eq!(
        row.origin(),
        &Origin::NameFile {
            path: secret_file,
            var: "APP_API_KEY_FILE".into()
        }
    );

    let err = load(&file, &[]).unwrap_err();
    assert_eq!(err.problems()[0].env_var(), "APP_API_KEY");
    assert!(err.to_string().contains(":4 (encrypted)"), "{err}");
    assert!(!err.to_string().contains(&sealed_path[10..40]), "{err}");
}

/// tests/data/dotenvx/expand: values whose plain text holds `$NAME` references,
/// encrypted and read back by dotenvx 2.38.2 (make-fixture.sh asserts `dotenvx get`'s
/// output, which these are): a decrypted value is expanded from the environment (which
/// wins) and the file's earlier lines, `${NAME:-default}` included; a value written in
/// single quotes is left as it is; a later line is not seen.
#[test]
fn decrypted_values_expand_as_dotenvx_get_reads_them() {
    #[derive(Debug, Settings)]
    #[settings(prefix = "APP_")]
    struct Expanded {
        password: Secret<String>,
        literal: Secret<String>,
        later: Secret<String>,
    }
    let file = fixtures().join("expand/.env");
    let cfg = Expanded::loader()
        .env_vars([("HOST_PART", "h1")])
        .dotenv(&file)
        .no_secrets_dir()
        .load()
        .unwrap();
    assert_eq!(cfg.password.expose_secret(), "pw-alice-h1-dflt");
    assert_eq!(cfg.literal.expose_secret(), "lit-$USER_NAME");
    assert_eq!(cfg.later.expose_secret(), "x");
    let cfg = Expanded::loader()
        .env_vars([("HOST_PART", "h1"), ("USER_NAME", "envwins")])
        .dotenv(&file)
        .no_secrets_dir()
        .load()
        .unwrap();
    assert_eq!(cfg.password.expose_secret(), "pw-envwins-h1-dflt");
}

/// An earlier `encrypted:` value substituted whole into a later one is decrypted there
/// (the substituted text is itself `encrypted:`); docs/dotenv.md says what is not.
#[test]
fn a_substituted_encrypted_value_is_decrypted() {
    #[derive(Debug, Settings)]
    #[settings(prefix = "APP_")]
    struct One {
        api_key: Secret<String>,
    }
    let dir = common::tempdir();
    let (public, private) = dotenvx::generate_keypair();
    let sealed = dotenvx::encrypt(&public, DEV_API_KEY).unwrap();
    let file = common::write(
        dir.path(),
        ".env",
        &format!("SHARED_KEY={sealed}\nAPP_API_KEY=${{SHARED_KEY}}\n"),
    );
    let cfg = One::loader()
        .env_vars([("DOTENV_PRIVATE_KEY", private.expose_secret().as_str())])
        .dotenv(&file)
        .no_secrets_dir()
        .load()
        .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), DEV_API_KEY);
}
