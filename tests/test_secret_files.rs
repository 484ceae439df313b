//! Reading values from files: secrets directories (Docker, Kubernetes, Vault Agent) and
//! `NAME_FILE`, whatever is on disk. Every bad file is a problem naming its path, never a
//! hang, never a silent skip, never its content.
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use common::mkfifo;

use confidant::{Error, ExposeSecret, Origin, ProblemKind, Secret, Settings};

const CANARY: &str = "canary-7f3a9c-do-not-print";

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    token: Secret<String>,
}

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Optional {
    token: Option<Secret<String>>,
}

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Pair {
    #[settings(alias = "LEGACY_TOKEN")]
    token: Secret<String>,
    #[settings(nested)]
    db: Db,
}

#[derive(Debug, Settings)]
struct Db {
    password: Secret<String>,
    #[settings(default = 5432)]
    port: u16,
}

#[derive(Debug, Settings)]
#[settings(prefix = "APP_", secrets_dir = "/nonexistent/confidant-test-secrets")]
struct FromStructDir {
    token: Secret<String>,
}

fn no_env() -> Vec<(String, String)> {
    Vec::new()
}

fn load_dir(dir: &Path) -> Result<Config, Error> {
    common::dir_only(dir).load()
}

fn load_file_var(path: &Path) -> Result<Config, Error> {
    common::isolated()
        .env_vars([("APP_TOKEN_FILE", path)])
        .load()
}

/// The load failed with exactly one problem, for `token`, of `kind`, whose message
/// contains `what` and whose report names `path`; the canary is nowhere.
fn assert_problem(result: Result<Config, Error>, kind: ProblemKind, what: &str, path: &Path) {
    let err = result.expect_err("the load must fail");
    let shown = format!("{err}");
    let debug = format!("{err:?}");
    assert_eq!(err.problems().len(), 1, "{shown}");
    let problem = &err.problems()[0];
    assert_eq!(problem.field(), "token", "{shown}");
    assert_eq!(problem.env_var(), "APP_TOKEN", "{shown}");
    assert_eq!(problem.kind(), kind, "{shown}");
    assert!(problem.message().contains(what), "{shown}");
    assert!(
        shown.contains(&path.display().to_string()),
        "the report must name {}: {shown}",
        path.display()
    );
    assert!(!shown.contains(CANARY), "{shown}");
    assert!(!debug.contains(CANARY), "{debug}");
}

fn write(path: &Path, content: impl AsRef<[u8]>) {
    fs::write(path, content).unwrap();
}

// ---- special files -----------------------------------------------------------------

#[test]
fn fifo_in_secrets_dir_is_a_problem_and_never_blocks() {
    let dir = common::tempdir();
    let fifo = dir.path().join("APP_TOKEN");
    mkfifo(&fifo);
    // With no writer, opening the FIFO for reading would block forever.
    assert_problem(
        load_dir(dir.path()),
        ProblemKind::Unreadable,
        "is a FIFO",
        &fifo,
    );
}

#[test]
fn fifo_named_by_file_var_is_a_problem() {
    let dir = common::tempdir();
    let fifo = dir.path().join("token");
    mkfifo(&fifo);
    let result = load_file_var(&fifo);
    let err = result.as_ref().map(|_| ()).unwrap_err();
    assert!(err.to_string().contains("APP_TOKEN_FILE"), "{err}");
    assert_problem(result, ProblemKind::Unreadable, "is a FIFO", &fifo);
}

#[test]
fn socket_is_a_problem() {
    let dir = common::tempdir();
    let path = dir.path().join("token");
    let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    assert_problem(
        load_dir(dir.path()),
        ProblemKind::Unreadable,
        "is a socket",
        &path,
    );
}

#[test]
fn device_named_by_file_var_is_a_problem() {
    // `/dev/zero` would never end if read.
    let path = Path::new("/dev/zero");
    assert_problem(
        load_file_var(path),
        ProblemKind::Unreadable,
        "is a device",
        path,
    );
}

#[test]
fn directory_named_like_a_setting_is_a_problem() {
    let dir = common::tempdir();
    let path = dir.path().join("APP_TOKEN");
    fs::create_dir(&path).unwrap();
    assert_problem(
        load_dir(dir.path()),
        ProblemKind::Unreadable,
        "is a directory",
        &path,
    );
}

// ---- symlinks ----------------------------------------------------------------------

#[test]
fn dangling_symlink_is_a_problem() {
    let dir = common::tempdir();
    let path = dir.path().join("token");
    symlink(dir.path().join("gone"), &path).unwrap();
    assert_problem(
        load_dir(dir.path()),
        ProblemKind::Unreadable,
        "is a symlink whose target does not exist",
        &path,
    );
    assert_problem(
        load_file_var(&path),
        ProblemKind::Unreadable,
        "is a symlink whose target does not exist",
        &path,
    );
}

#[test]
fn looping_symlink_is_a_problem() {
    let dir = common::tempdir();
    let path = dir.path().join("token");
    symlink("loop_b", &path).unwrap();
    symlink("token", dir.path().join("loop_b")).unwrap();
    assert_problem(
        load_dir(dir.path()),
        ProblemKind::Unreadable,
        "is a symlink that loops",
        &path,
    );
    assert_problem(
        load_file_var(&path),
        ProblemKind::Unreadable,
        "is a symlink that loops",
        &path,
    );
}

#[test]
fn symlink_out_of_the_secrets_dir_is_a_problem_and_not_read() {
    let outside = common::tempdir();
    let target = outside.path().join("elsewhere");
    write(&target, CANARY);
    let dir = common::tempdir();
    let path = dir.path().join("token");
    symlink(&target, &path).unwrap();
    let what = format!(
        "is a symlink that resolves outside {}",
        dir.path().display()
    );
    assert_problem(load_dir(dir.path()), ProblemKind::Unreadable, &what, &path);

    // A device is reached only through a symlink, which escapes too.
    fs::remove_file(&path).unwrap();
    symlink("/dev/zero", &path).unwrap();
    assert_problem(load_dir(dir.path()), ProblemKind::Unreadable, &what, &path);
}

#[test]
fn symlink_within_the_secrets_dir_is_read() {
    let dir = common::tempdir();
    fs::create_dir(dir.path().join("store")).unwrap();
    write(&dir.path().join("store/value"), "from-link\n");
    symlink("store/value", dir.path().join("token")).unwrap();
    let cfg = load_dir(dir.path()).unwrap();
    assert_eq!(cfg.token.expose_secret(), "from-link");
}

// ---- permissions, size, bytes ------------------------------------------------------

#[test]
fn unreadable_file_is_a_problem() {
    let dir = common::tempdir();
    let path = dir.path().join("token");
    write(&path, CANARY);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::File::open(&path).is_ok() {
        // Root (or CAP_DAC_OVERRIDE) reads mode-000 files; nothing to test here.
        eprintln!("note: running with permission to read mode-000 files; skipped");
        return;
    }
    assert_problem(
        load_dir(dir.path()),
        ProblemKind::Unreadable,
        "permission denied",
        &path,
    );
}

#[test]
fn file_over_the_cap_is_a_problem_and_never_read() {
    let dir = common::tempdir();
    let path = dir.path().join("token");
    // Sparse: 8 GiB that take no disk space; reading it whole would exhaust memory.
    let file = fs::File::create(&path).unwrap();
    file.set_len(8 << 30).unwrap();
    drop(file);
    assert_problem(
        load_dir(dir.path()),
        ProblemKind::Unreadable,
        "over the 1048576-byte limit",
        &path,
    );
}

#[test]
fn default_cap_is_one_mebibyte_and_configurable() {
    let dir = common::tempdir();
    let path = dir.path().join("token");
    let file = fs::File::create(&path).unwrap();
    // Exactly 1 MiB of NUL bytes: within the cap, so it is read (and refused for NUL).
    file.set_len(1 << 20).unwrap();
    drop(file);
    assert_problem(load_dir(dir.path()), ProblemKind::Unreadable, "NUL", &path);

    write(&path, "0123456789abcdef!");
    let small = |max| {
        common::dir_only::<Config>(dir.path())
            .max_file_size(max)
            .load()
    };
    assert_problem(
        small(16),
        ProblemKind::Unreadable,
        "17 bytes, over the 16-byte limit",
        &path,
    );
    assert_eq!(
        small(17).unwrap().token.expose_secret(),
        "0123456789abcdef!"
    );
}

#[test]
fn non_utf8_content_is_a_problem() {
    let dir = common::tempdir();
    let path = dir.path().join("token");
    let mut bytes = CANARY.as_bytes().to_vec();
    bytes.push(0xff);
    write(&path, &bytes);
    assert_problem(
        load_dir(dir.path()),
        ProblemKind::Unreadable,
        "not valid UTF-8",
        &path,
    );
}

#[test]
fn nul_byte_is_a_problem() {
    let dir = common::tempdir();
    let path = dir.path().join("token");
    write(&path, format!("{CANARY}\0tail"));
    assert_problem(load_dir(dir.path()), ProblemKind::Unreadable, "NUL", &path);
    assert_problem(load_file_var(&path), ProblemKind::Unreadable, "NUL", &path);
}

#[test]
fn bom_and_one_trailing_line_ending_are_removed() {
    let dir = common::tempdir();
    let path = dir.path().join("token");
    for content in [
        "\u{feff}s3cret\n",
        "s3cret\r\n",
        "s3cret",
        "\u{feff}s3cret\r\n",
    ] {
        write(&path, content);
        let cfg = load_dir(dir.path()).unwrap();
        assert_eq!(cfg.token.expose_secret(), "s3cret", "{content:?}");
        let cfg = load_file_var(&path).unwrap();
        assert_eq!(cfg.token.expose_secret(), "s3cret", "{content:?}");
    }
}

#[test]
fn empty_file_is_unset() {
    let dir = common::tempdir();
    let path = dir.path().join("token");
    write(&path, "");
    let err = load_dir(dir.path()).unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Missing, "{err}");
    let cfg = common::dir_only::<Optional>(dir.path()).load().unwrap();
    assert!(cfg.token.is_none());
}

// ---- Docker / Compose / Vault Agent ------------------------------------------------

#[test]
fn docker_read_only_secret_files_are_read() {
    // Compose mounts secrets read-only (0444) under /run/secrets, named as declared.
    let dir = common::tempdir();
    let path = dir.path().join("app_token");
    write(&path, "from-compose\n");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let cfg = load_dir(dir.path()).unwrap();
    assert_eq!(cfg.token.expose_secret(), "from-compose");
}

#[test]
fn later_secrets_dir_wins_and_origin_is_the_file() {
    let docker = common::tempdir();
    let vault = common::tempdir();
    write(&docker.path().join("APP_TOKEN"), "from-docker");
    write(&docker.path().join("db__password"), "pw-docker");
    // Vault Agent templates render one file per secret, here in a nested directory.
    fs::create_dir(vault.path().join("db")).unwrap();
    write(&vault.path().join("token"), "from-vault\n");
    let load = || {
        common::dir_only::<Pair>(docker.path())
            .secrets_dir(vault.path())
            .load()
    };
    let cfg = load().unwrap();
    assert_eq!(cfg.token.expose_secret(), "from-vault");
    assert_eq!(cfg.db.password.expose_secret(), "pw-docker");

    write(&vault.path().join("db/password"), "pw-vault");
    let cfg = load().unwrap();
    assert_eq!(cfg.db.password.expose_secret(), "pw-vault");

    // Origins are the file paths: seen in a problem about the file.
    write(&vault.path().join("db/port"), "not-a-port");
    let err = load().unwrap_err();
    assert_eq!(
        err.problems()[0].origin(),
        Some(&Origin::SecretsFile {
            path: vault.path().join("db").join("port")
        }),
        "{err}"
    );
}

#[test]
fn struct_secrets_dir_is_optional_and_replaced_by_the_loader() {
    // The struct's directory does not exist: fine, it is optional.
    let err = FromStructDir::loader()
        .env_vars(no_env())
        .no_dotenv()
        .load()
        .unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Missing, "{err}");
    let dir = common::tempdir();
    write(&dir.path().join("token"), "from-loader");
    let cfg = common::dir_only::<FromStructDir>(dir.path())
        .load()
        .unwrap();
    assert_eq!(cfg.token.expose_secret(), "from-loader");
}

#[test]
fn named_secrets_dir_must_exist() {
    let dir = common::tempdir();
    let missing = dir.path().join("nope");
    let err = load_dir(&missing).unwrap_err();
    assert!(
        err.to_string().contains(&missing.display().to_string()),
        "{err}"
    );
}

// ---- NAME_FILE ---------------------------------------------------------------------

#[test]
fn file_var_from_env_and_dotenv_sets_every_field() {
    let dir = common::tempdir();
    write(&dir.path().join("token"), "tok\n");
    write(&dir.path().join("pw"), "pw\n");
    write(&dir.path().join("port"), "6543\n");
    let path = |name: &str| dir.path().join(name).display().to_string();
    let cfg = common::isolated::<Pair>()
        .env_vars([
            ("APP_TOKEN_FILE", path("token")),
            ("APP_DB__PASSWORD_FILE", path("pw")),
        ])
        .set("db.port", "1")
        .load()
        .unwrap();
    assert_eq!(cfg.token.expose_secret(), "tok");
    assert_eq!(cfg.db.password.expose_secret(), "pw");

    let dotenv = dir.path().join(".env");
    write(
        &dotenv,
        format!(
            "APP_TOKEN_FILE={}\nAPP_DB__PASSWORD_FILE={}\nAPP_DB__PORT_FILE={}\n",
            path("token"),
            path("pw"),
            path("port")
        ),
    );
    let cfg = common::dotenv_only::<Pair>(&dotenv).load().unwrap();
    assert_eq!(cfg.token.expose_secret(), "tok");
    assert_eq!(cfg.db.password.expose_secret(), "pw");
    assert_eq!(cfg.db.port, 6543);
}

/// Issue 24, F10: a relative `NAME_FILE` path in a `.env` file is relative to that
/// file's directory, so the same `.env` works wherever the process starts; a relative
/// path from the environment stays relative to the working directory. A problem shows
/// the path it tried.
#[test]
fn a_relative_file_var_in_dotenv_is_relative_to_the_dotenv() {
    let dir = common::tempdir();
    fs::create_dir_all(dir.path().join("config/keys")).unwrap();
    write(&dir.path().join("config/keys/token"), "tok-beside\n");
    write(&dir.path().join("config/pw"), "pw-beside\n");
    let dotenv = dir.path().join("config/.env");
    write(
        &dotenv,
        "APP_TOKEN_FILE=keys/token\nAPP_DB__PASSWORD_FILE=./pw\nAPP_DB__PORT=1\n",
    );
    // The working directory (the package's) holds neither file.
    assert!(!Path::new("keys/token").exists());
    let cfg = common::dotenv_only::<Pair>(&dotenv).load().unwrap();
    assert_eq!(cfg.token.expose_secret(), "tok-beside");
    assert_eq!(cfg.db.password.expose_secret(), "pw-beside");
    let explain = common::dotenv_only::<Pair>(&dotenv).explain().unwrap();
    assert_eq!(
        explain.rows()[0].origin(),
        &Origin::NameFile {
            path: dir.path().join("config/keys/token"),
            var: "APP_TOKEN_FILE".into()
        }
    );

    // A file that is not there: the problem shows the path that was tried (for a plain
    // setting: a secret's `NAME_FILE` that names no file may be the secret itself).
    write(
        &dotenv,
        "APP_TOKEN_FILE=keys/token\nAPP_DB__PASSWORD=p\nAPP_DB__PORT_FILE=keys/missing\n",
    );
    let tried = dir.path().join("config/keys/missing");
    let err = common::dotenv_only::<Pair>(&dotenv).load().unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Pair: 1 problem loading settings\n  APP_DB__PORT (file {} named by APP_DB__PORT_FILE): the file does not exist",
            tried.display()
        )
    );

    // From the environment, relative to the working directory, as a shell would read it.
    let err = common::isolated::<Pair>()
        .env_vars([
            ("APP_TOKEN", "t"),
            ("APP_DB__PASSWORD", "p"),
            ("APP_DB__PORT_FILE", "keys/missing"),
        ])
        .load()
        .unwrap_err();
    assert_eq!(
        err.problems()[0].origin(),
        Some(&Origin::NameFile {
            path: "keys/missing".into(),
            var: "APP_DB__PORT_FILE".into()
        })
    );
    let cwd_relative = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    assert!(cwd_relative.exists());
    let cfg = common::isolated::<Optional>()
        .env_vars([("APP_TOKEN_FILE", "Cargo.toml")])
        .load()
        .unwrap();
    let manifest = fs::read_to_string(cwd_relative).unwrap();
    assert_eq!(cfg.token.unwrap().expose_secret(), manifest.trim());
}

#[test]
fn alias_file_var_is_read() {
    let dir = common::tempdir();
    write(&dir.path().join("token"), "legacy\n");
    let cfg = common::isolated::<Pair>()
        .env_vars([
            ("LEGACY_TOKEN_FILE", dir.path().join("token")),
            ("APP_DB__PASSWORD", PathBuf::from("pw")),
        ])
        .load()
        .unwrap();
    assert_eq!(cfg.token.expose_secret(), "legacy");
}

#[test]
fn name_and_name_file_together_are_a_conflict() {
    let dir = common::tempdir();
    let path = dir.path().join("token");
    write(&path, CANARY);
    let result = common::isolated::<Config>()
        .env_vars([
            ("APP_TOKEN", CANARY.to_owned()),
            ("APP_TOKEN_FILE", path.display().to_string()),
        ])
        .load();
    let err = result.as_ref().map(|_| ()).unwrap_err();
    assert!(err.to_string().contains("APP_TOKEN_FILE"), "{err}");
    assert_problem(
        result,
        ProblemKind::Conflict,
        "APP_TOKEN",
        Path::new("environment"),
    );

    // The same within a `.env` file.
    let dotenv = dir.path().join(".env");
    write(
        &dotenv,
        format!("APP_TOKEN={CANARY}\nAPP_TOKEN_FILE={}\n", path.display()),
    );
    let result = common::dotenv_only::<Config>(&dotenv).load();
    assert_problem(result, ProblemKind::Conflict, "APP_TOKEN_FILE", &dotenv);
}

#[test]
fn name_file_naming_an_empty_file_is_unset_not_a_conflict() {
    let dir = common::tempdir();
    let path = dir.path().join("token");
    write(&path, "\n");
    let cfg = common::isolated::<Config>()
        .env_vars([
            ("APP_TOKEN", "from-env".to_owned()),
            ("APP_TOKEN_FILE", path.display().to_string()),
        ])
        .load()
        .unwrap();
    assert_eq!(cfg.token.expose_secret(), "from-env");
}

/// A secret's `NAME_FILE` that names no file may hold the secret itself, pasted into the
/// wrong variable (SPEC, wave 3): the problem names the variable, never its value.
#[test]
fn file_var_naming_a_missing_file_names_the_variable_not_the_path() {
    let dir = common::tempdir();
    let path = dir.path().join("missing");
    let err = load_file_var(&path).unwrap_err();
    let shown = err.to_string();
    assert!(!shown.contains(&path.display().to_string()), "{shown}");
    let problem = &err.problems()[0];
    assert_eq!(problem.kind(), ProblemKind::Unreadable);
    assert_eq!(
        problem.message(),
        "APP_TOKEN_FILE names no file; its value is not shown, as it may be the secret itself (did you mean APP_TOKEN?)"
    );
    assert_eq!(
        problem.origin(),
        Some(&Origin::NameFile {
            path: "(path not shown: it names no file)".into(),
            var: "APP_TOKEN_FILE".to_owned()
        })
    );
}

// ---- Kubernetes secret volumes -----------------------------------------------------

use common::publish_kubernetes as k8s_publish;

/// The first and the second generation of the volumes below.
const GEN1: &str = "..2024_01_01_00_00_00.1";
const GEN2: &str = "..2024_01_01_00_01_00.2";

#[test]
fn kubernetes_layout_is_read_and_bookkeeping_ignored() {
    let dir = common::tempdir();
    k8s_publish(
        dir.path(),
        GEN1,
        &[("token", "v1\n"), ("db__password", "pw1")],
    );
    let load = || common::dir_only::<Pair>(dir.path()).load().unwrap();
    let cfg = load();
    assert_eq!(cfg.token.expose_secret(), "v1");
    assert_eq!(cfg.db.password.expose_secret(), "pw1");

    k8s_publish(
        dir.path(),
        GEN2,
        &[("token", "v2\n"), ("db__password", "pw2")],
    );
    let cfg = load();
    assert_eq!(cfg.token.expose_secret(), "v2");
    assert_eq!(cfg.db.password.expose_secret(), "pw2");
}

/// Publishes generation 1 (`v1`, `pw1`) in `dir`, then loads while generation 2 (`v2`,
/// `pw2`) is published between the scan of the directory and the read of its files, and
/// with `remove_old` generation 1 is then deleted, as kubelet does once `..data` has moved
/// on. The load's `.env` is a FIFO: the load blocks on it after the scan and before any
/// read, while the swap runs.
fn load_across_a_swap(dir: &Path, remove_old: bool) -> Result<Pair, Error> {
    k8s_publish(dir, GEN1, &[("token", "v1"), ("db__password", "pw1")]);
    let fifo_dir = common::tempdir();
    let fifo = fifo_dir.path().join(".env");
    mkfifo(&fifo);
    std::thread::scope(|s| {
        let loading = s.spawn(|| common::dir_only::<Pair>(dir).dotenv(&fifo).load());
        s.spawn(|| {
            // Opening for writing waits for the loader to open the FIFO for reading:
            // by then it has scanned the secrets directory.
            let writer = fs::OpenOptions::new().write(true).open(&fifo).unwrap();
            k8s_publish(dir, GEN2, &[("token", "v2"), ("db__password", "pw2")]);
            if remove_old {
                fs::remove_dir_all(dir.join(GEN1)).unwrap();
            }
            drop(writer);
        });
        loading.join().unwrap()
    })
}

#[test]
fn kubernetes_swap_between_scan_and_read_keeps_one_generation() {
    let dir = common::tempdir();
    let cfg = load_across_a_swap(dir.path(), false).unwrap();
    // The top-level symlinks now lead to generation 2, but the load read generation 1
    // for every key.
    assert_eq!(cfg.token.expose_secret(), "v1");
    assert_eq!(cfg.db.password.expose_secret(), "pw1");
    assert_eq!(fs::read_to_string(dir.path().join("token")).unwrap(), "v2");
}

#[test]
fn kubernetes_generation_removed_mid_load_is_reported_not_mixed() {
    let dir = common::tempdir();
    let err = load_across_a_swap(dir.path(), true).unwrap_err();
    assert_eq!(err.problems().len(), 2, "{err}");
    for problem in err.problems() {
        assert_eq!(problem.kind(), ProblemKind::Unreadable, "{err}");
        assert!(problem.message().contains("does not exist"), "{err}");
    }
}
