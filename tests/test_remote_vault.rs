#![cfg(feature = "vault")]
//! `confidant::remote::Vault` against a real OpenBao dev server, started by each test
//! (tests/servers). Ignored by a plain `cargo test`: `.ci/run` installs OpenBao and runs
//! them with `--ignored`.

mod common;
#[path = "common/remote.rs"]
mod remote;
mod servers;

use std::path::Path;
use std::process::Command;

use confidant::remote::{Vault, VaultAuth};
use confidant::{ExposeSecret, Origin, ProblemKind};
use remote::{loader, pairs};
use serde_json::json;
use servers::{Bao, Counter};

const KEY: &str = "vk-2b7e151628aed2a6abf7158809cf4f3c";
const PASSWORD: &str = "vp-3ad77bb40d7a3660a89ecaf32466ef97";

/// A loader with `vars` as its environment and the KV v2 secret `secret/myapp/prod` as
/// its one remote source.
fn from_myapp(vars: &[(&str, &str)]) -> confidant::Loader<remote::Config> {
    loader(vars).source(Vault::kv2("secret", "myapp/prod"))
}

fn seed(bao: &Bao) -> u64 {
    bao.put(
        "myapp/prod",
        json!({ "api_key": KEY, "db__password": PASSWORD, "APP_DB__PORT": "6001" }),
    )
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn token_from_vault_token_reads_one_secret_in_one_request() {
    let Some(bao) = Bao::start() else { return };
    seed(&bao);
    let counter = Counter::start(bao.port);
    let addr = counter.addr();
    let explain = from_myapp(&[("VAULT_ADDR", &addr), ("VAULT_TOKEN", "root")])
        .explain()
        .unwrap();
    // One KV request, nothing else.
    assert_eq!(counter.take(), ["GET /v1/secret/data/myapp/prod"]);
    let origin = |path| common::origin_of(&explain, path);
    assert_eq!(
        origin("db.password"),
        &Origin::Remote {
            source: "vault secret/myapp/prod".into(),
            place: "vault secret/myapp/prod#db__password (v1)".into(),
        }
    );
    assert_eq!(
        origin("api_key").to_string(),
        "vault secret/myapp/prod#api_key (v1)"
    );
    assert_eq!(origin("log_level"), &Origin::Default);
    let shown = explain.to_string();
    assert!(!shown.contains(KEY) && !shown.contains(PASSWORD), "{shown}");

    let cfg = from_myapp(&[("VAULT_ADDR", &addr), ("VAULT_TOKEN", "root")])
        .load()
        .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    assert_eq!(cfg.db.password.expose_secret(), PASSWORD);
    assert_eq!(cfg.db.port, 6001);
    assert_eq!(counter.take().len(), 1);
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn address_and_token_sources_in_order() {
    let Some(bao) = Bao::start() else { return };
    seed(&bao);
    let addr = bao.addr();
    // BAO_ADDR and BAO_TOKEN.
    let cfg = from_myapp(&[("BAO_ADDR", &addr), ("BAO_TOKEN", "root")])
        .load()
        .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    // VAULT_ADDR wins over BAO_ADDR; `.address` over both.
    let dead = format!("http://127.0.0.1:{}", servers::free_port());
    assert!(
        from_myapp(&[
            ("VAULT_ADDR", &addr),
            ("BAO_ADDR", &dead),
            ("VAULT_TOKEN", "root")
        ])
        .load()
        .is_ok()
    );
    assert!(
        loader(&[("VAULT_ADDR", &dead), ("VAULT_TOKEN", "root")])
            .source(Vault::kv2("secret", "myapp/prod").address(&addr))
            .load()
            .is_ok()
    );
    // VAULT_TOKEN wins over BAO_TOKEN; `.auth` over both.
    assert!(
        from_myapp(&[
            ("VAULT_ADDR", &addr),
            ("VAULT_TOKEN", "root"),
            ("BAO_TOKEN", "wrong")
        ])
        .load()
        .is_ok()
    );
    assert!(
        loader(&[("VAULT_ADDR", &addr), ("VAULT_TOKEN", "wrong")])
            .source(Vault::kv2("secret", "myapp/prod").auth(VaultAuth::token("root")))
            .load()
            .is_ok()
    );
    // $HOME/.vault-token, HOME read from the loader's environment.
    let home = common::tempdir();
    common::write(home.path(), ".vault-token", "root\n");
    let home = home.path().to_str().unwrap();
    let cfg = from_myapp(&[("VAULT_ADDR", &addr), ("HOME", home)])
        .load()
        .unwrap();
    assert_eq!(cfg.db.password.expose_secret(), PASSWORD);
    // No token anywhere: a problem naming the source.
    let empty = common::tempdir();
    let err = from_myapp(&[
        ("VAULT_ADDR", &addr),
        ("HOME", empty.path().to_str().unwrap()),
    ])
    .load()
    .unwrap_err();
    assert_eq!(
        err.problems()[0].to_string(),
        "vault secret/myapp/prod: no token: set VAULT_TOKEN (or BAO_TOKEN), write ~/.vault-token, or call .auth(..)"
    );
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn a_version_is_read_as_asked() {
    let Some(bao) = Bao::start() else { return };
    seed(&bao);
    let v2 = bao.put(
        "myapp/prod",
        json!({ "api_key": "vk-second-version-000000", "db__password": PASSWORD }),
    );
    assert_eq!(v2, 2);
    let vars = [
        ("VAULT_ADDR", bao.addr()),
        ("VAULT_TOKEN", "root".to_owned()),
    ];
    let vars = pairs(&vars);
    let current = from_myapp(&vars).explain().unwrap();
    assert_eq!(
        common::origin_of(&current, "api_key").to_string(),
        "vault secret/myapp/prod#api_key (v2)"
    );
    let cfg = loader(&vars)
        .source(Vault::kv2("secret", "myapp/prod").version(1))
        .load()
        .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    assert_eq!(cfg.db.port, 6001);
    let explain = loader(&vars)
        .source(Vault::kv2("secret", "myapp/prod").version(1))
        .explain()
        .unwrap();
    assert_eq!(
        common::origin_of(&explain, "api_key").to_string(),
        "vault secret/myapp/prod#api_key (v1)"
    );
    // A version that does not exist is a problem.
    let err = loader(&vars)
        .source(Vault::kv2("secret", "myapp/prod").version(9))
        .load()
        .unwrap_err();
    assert!(
        err.problems()[0]
            .to_string()
            .starts_with("vault secret/myapp/prod: read: not found (404)"),
        "{err}"
    );
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn approle_logs_in_with_a_secret_id_from_a_file() {
    let Some(bao) = Bao::start() else { return };
    seed(&bao);
    bao.read_policy("myapp", "myapp/prod");
    bao.api("POST", "sys/auth/approle", json!({ "type": "approle" }));
    bao.api(
        "POST",
        "auth/approle/role/myapp",
        json!({ "token_policies": ["myapp"] }),
    );
    let role_id = bao.api("GET", "auth/approle/role/myapp/role-id", json!(null))["data"]["role_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let secret_id =
        bao.api("POST", "auth/approle/role/myapp/secret-id", json!({}))["data"]["secret_id"]
            .as_str()
            .unwrap()
            .to_owned();
    let dir = common::tempdir();
    let file = common::write(dir.path(), "secret-id", &format!("{secret_id}\n"));
    let counter = Counter::start(bao.port);
    let cfg = loader(&[("VAULT_ADDR", &counter.addr())])
        .source(Vault::kv2("secret", "myapp/prod").auth(VaultAuth::approle(&role_id, &file)))
        .load()
        .unwrap();
    assert_eq!(cfg.db.password.expose_secret(), PASSWORD);
    // Logging in, then one KV request.
    assert_eq!(
        counter.take(),
        [
            "POST /v1/auth/approle/login",
            "GET /v1/secret/data/myapp/prod"
        ]
    );

    // A wrong secret id is refused: a problem that shows neither id.
    let wrong = common::write(dir.path(), "wrong", "00000000-0000-0000-0000-000000000000");
    let err = loader(&[("VAULT_ADDR", &bao.addr())])
        .source(
            Vault::kv2("secret", "myapp/prod")
                .auth(VaultAuth::approle(&role_id, &wrong))
                .optional(),
        )
        .load()
        .unwrap_err();
    let shown = err.problems()[0].to_string();
    assert!(
        shown.starts_with("vault secret/myapp/prod: login at auth/approle: "),
        "{shown}"
    );
    assert!(!err.problems()[0].is_warning());
    common::assert_error_hides(&err, &secret_id);
    common::assert_error_hides(&err, &role_id);
    // A missing secret-id file is a problem too.
    let err = loader(&[("VAULT_ADDR", &bao.addr())])
        .source(
            Vault::kv2("secret", "myapp/prod")
                .auth(VaultAuth::approle(&role_id, dir.path().join("nope"))),
        )
        .load()
        .unwrap_err();
    assert!(
        err.problems()[0].to_string().contains("secret id file"),
        "{err}"
    );
}

/// `openssl` with these arguments and `input` on stdin; its stdout.
fn openssl(args: &[&str], input: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("openssl runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "openssl {args:?} failed");
    out.stdout
}

/// Base64url without padding, by `openssl base64`.
fn b64url(bytes: &[u8]) -> String {
    let standard = String::from_utf8(openssl(&["base64", "-A"], bytes)).unwrap();
    standard
        .trim()
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

/// An RS256 JWT signed with the key in `key`.
fn jwt(key: &Path, claims: serde_json::Value) -> String {
    let header = b64url(br#"{"alg":"RS256","typ":"JWT"}"#);
    let payload = b64url(claims.to_string().as_bytes());
    let signing = format!("{header}.{payload}");
    let signature = openssl(
        &["dgst", "-sha256", "-sign", key.to_str().unwrap()],
        signing.as_bytes(),
    );
    format!("{signing}.{}", b64url(&signature))
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn jwt_logs_in_with_a_token_file() {
    let Some(bao) = Bao::start() else { return };
    seed(&bao);
    let dir = common::tempdir();
    let key = dir.path().join("key.pem");
    openssl(&["genrsa", "-out", key.to_str().unwrap(), "2048"], b"");
    let public = String::from_utf8(openssl(
        &["rsa", "-in", key.to_str().unwrap(), "-pubout"],
        b"",
    ))
    .unwrap();
    bao.read_policy("myapp", "myapp/prod");
    bao.api("POST", "sys/auth/kubernetes", json!({ "type": "jwt" }));
    bao.api(
        "POST",
        "auth/kubernetes/config",
        json!({ "jwt_validation_pubkeys": [public] }),
    );
    bao.api(
        "POST",
        "auth/kubernetes/role/myapp",
        json!({
            "role_type": "jwt",
            "bound_audiences": ["confidant-test"],
            "user_claim": "sub",
            "token_policies": ["myapp"],
        }),
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let token = jwt(
        &key,
        json!({ "sub": "system:serviceaccount:prod:myapp", "aud": "confidant-test", "iat": now, "nbf": now - 60, "exp": now + 600 }),
    );
    let token_file = common::write(dir.path(), "token", &token);
    let counter = Counter::start(bao.port);
    let cfg = loader(&[("VAULT_ADDR", &counter.addr())])
        .source(Vault::kv2("secret", "myapp/prod").auth(VaultAuth::jwt(
            "kubernetes",
            "myapp",
            &token_file,
        )))
        .load()
        .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    assert_eq!(
        counter.take(),
        [
            "POST /v1/auth/kubernetes/login",
            "GET /v1/secret/data/myapp/prod"
        ]
    );
    // A token for another audience is refused; the JWT is never shown.
    let other = jwt(
        &key,
        json!({ "sub": "x", "aud": "someone-else", "iat": now, "exp": now + 600 }),
    );
    let other_file = common::write(dir.path(), "other", &other);
    let err = loader(&[("VAULT_ADDR", &bao.addr())])
        .source(Vault::kv2("secret", "myapp/prod").auth(VaultAuth::jwt(
            "kubernetes",
            "myapp",
            &other_file,
        )))
        .load()
        .unwrap_err();
    assert!(
        err.problems()[0]
            .to_string()
            .starts_with("vault secret/myapp/prod: login at auth/kubernetes: "),
        "{err}"
    );
    common::assert_error_hides(&err, &other);
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn permission_denied_is_a_problem_with_no_fallback_even_when_optional() {
    let Some(bao) = Bao::start() else { return };
    seed(&bao);
    bao.read_policy("other", "other/app");
    let token = bao.token(&["other"]);
    let secrets = common::tempdir();
    common::write(secrets.path(), "api_key", "from-the-directory-0000");
    common::write(secrets.path(), "db__password", "from-the-directory-0001");
    for optional in [false, true] {
        let mut source = Vault::kv2("secret", "myapp/prod");
        if optional {
            source = source.optional();
        }
        let err = loader(&[("VAULT_ADDR", &bao.addr()), ("VAULT_TOKEN", &token)])
            .secrets_dir(secrets.path())
            .source(source)
            .load()
            .unwrap_err();
        assert_eq!(err.problems().len(), 1, "{err}");
        let problem = &err.problems()[0];
        assert_eq!(
            problem.to_string(),
            "vault secret/myapp/prod: read: permission denied (403): 1 error occurred: * permission denied"
        );
        assert!(!problem.is_warning());
        assert_eq!(problem.kind(), ProblemKind::Unreadable);
        common::assert_error_hides(&err, &token);
    }
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn a_missing_secret_is_a_problem_or_with_optional_a_warning() {
    let Some(bao) = Bao::start() else { return };
    let vars = [
        ("VAULT_ADDR", bao.addr()),
        ("VAULT_TOKEN", "root".to_owned()),
    ];
    let vars = pairs(&vars);
    let err = loader(&vars)
        .env_vars([("APP_API_KEY", KEY), ("APP_DB__PASSWORD", PASSWORD)])
        .source(Vault::kv2("secret", "myapp/missing"))
        .load()
        .unwrap_err();
    assert_eq!(
        err.problems()[0].to_string(),
        "vault secret/myapp/missing: read: not found (404)"
    );
    let (cfg, warnings) = loader(&vars)
        .env_vars([("APP_API_KEY", KEY), ("APP_DB__PASSWORD", PASSWORD)])
        .source(Vault::kv2("secret", "myapp/missing").optional())
        .load_with_warnings()
        .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].is_warning());
    assert_eq!(
        warnings[0].to_string(),
        "vault secret/myapp/missing: read: not found (404)"
    );
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn an_unreachable_server_is_a_problem_or_with_optional_a_warning() {
    // Nothing listens on this port (a server is started only to require the binary).
    let Some(_bao) = Bao::start() else { return };
    let dead = format!("http://127.0.0.1:{}", servers::free_port());
    let vars = [
        ("VAULT_ADDR", dead.as_str()),
        ("VAULT_TOKEN", "root"),
        ("APP_API_KEY", KEY),
        ("APP_DB__PASSWORD", PASSWORD),
    ];
    let err = from_myapp(&vars).load().unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert!(
        err.problems()[0]
            .to_string()
            .starts_with("vault secret/myapp/prod: cannot be reached: "),
        "{err}"
    );
    let (cfg, warnings) = loader(&vars)
        .source(Vault::kv2("secret", "myapp/prod").optional())
        .load_with_warnings()
        .unwrap();
    assert_eq!(cfg.db.password.expose_secret(), PASSWORD);
    assert!(
        warnings[0]
            .to_string()
            .starts_with("vault secret/myapp/prod: cannot be reached: ")
    );
}

#[test]
fn http_is_refused_except_to_loopback() {
    // No server needed: the address is refused before any connection.
    for addr in [
        "http://vault.example.com:8200",
        "http://10.0.0.1:8200",
        "http://[2001:db8::1]:8200",
    ] {
        let err = loader(&[
            ("VAULT_ADDR", addr),
            ("VAULT_TOKEN", "root"),
            ("APP_API_KEY", KEY),
            ("APP_DB__PASSWORD", PASSWORD),
        ])
        .source(Vault::kv2("secret", "myapp/prod").optional())
        .load()
        .unwrap_err();
        assert!(
            err.problems()[0].to_string().starts_with(
                "vault secret/myapp/prod: http:// is refused except to a loopback address"
            ),
            "{err}"
        );
    }
    let err = from_myapp(&[("VAULT_TOKEN", "root")]).load().unwrap_err();
    assert_eq!(
        err.problems()[0].to_string(),
        "vault secret/myapp/prod: no address: set VAULT_ADDR (or BAO_ADDR), or call .address(..)"
    );
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn loopback_spellings_are_allowed() {
    let Some(bao) = Bao::start() else { return };
    seed(&bao);
    for addr in [
        format!("http://localhost:{}", bao.port),
        format!("http://127.0.0.1:{}/", bao.port),
    ] {
        let cfg = from_myapp(&[("VAULT_ADDR", &addr), ("VAULT_TOKEN", "root")])
            .load()
            .unwrap();
        assert_eq!(cfg.api_key.expose_secret(), KEY);
    }
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn vault_namespace_is_honoured() {
    let Some(bao) = Bao::start() else { return };
    bao.api("POST", "sys/namespaces/team", json!({}));
    bao.api_in(
        Some("team"),
        "POST",
        "sys/mounts/secret",
        json!({ "type": "kv", "options": { "version": "2" } }),
    );
    bao.api_in(
        Some("team"),
        "POST",
        "secret/data/myapp/prod",
        json!({ "data": { "api_key": KEY, "db__password": PASSWORD } }),
    );
    let cfg = from_myapp(&[
        ("VAULT_ADDR", &bao.addr()),
        ("VAULT_TOKEN", "root"),
        ("VAULT_NAMESPACE", "team"),
    ])
    .load()
    .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    // Outside the namespace the secret does not exist.
    let err = from_myapp(&[("VAULT_ADDR", &bao.addr()), ("VAULT_TOKEN", "root")])
        .load()
        .unwrap_err();
    assert!(
        err.problems()[0].to_string().contains("not found (404)"),
        "{err}"
    );
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn vault_cacert_trusts_the_servers_ca() {
    let Some(bao) = Bao::start_tls() else { return };
    let ca = bao.ca.clone().unwrap();
    let addr = format!("https://127.0.0.1:{}", bao.port);
    // Seeding over TLS needs a client: through the library itself is circular, so the
    // secret is read from the KV engine the dev server mounts, written with `bao`.
    let bin = servers::binary("CONFIDANT_TEST_BAO", "bao").unwrap();
    // The KV engine upgrades itself just after start: retried for a bounded time.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let status = Command::new(&bin)
            .args(["kv", "put", "-mount=secret", "myapp/prod"])
            .arg(format!("api_key={KEY}"))
            .arg(format!("db__password={PASSWORD}"))
            .env("VAULT_ADDR", &addr)
            .env("VAULT_TOKEN", "root")
            .env("VAULT_CACERT", &ca)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        if status.success() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "bao kv put kept failing"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let cfg = from_myapp(&[
        ("VAULT_ADDR", &addr),
        ("VAULT_TOKEN", "root"),
        ("VAULT_CACERT", ca.to_str().unwrap()),
    ])
    .load()
    .unwrap();
    assert_eq!(cfg.db.password.expose_secret(), PASSWORD);
    // Without the CA the certificate is not trusted.
    let err = from_myapp(&[("VAULT_ADDR", &addr), ("VAULT_TOKEN", "root")])
        .load()
        .unwrap_err();
    assert!(
        err.problems()[0]
            .to_string()
            .starts_with("vault secret/myapp/prod: cannot be reached: "),
        "{err}"
    );
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn unknown_keys_warn_and_values_stay_out_of_every_output() {
    let Some(bao) = Bao::start() else { return };
    bao.put(
        "myapp/prod",
        json!({ "api_key": KEY, "db__pasword": PASSWORD, "db": { "port": 1 } }),
    );
    let vars = [
        ("VAULT_ADDR", bao.addr()),
        ("VAULT_TOKEN", "root".to_owned()),
    ];
    let vars = pairs(&vars);
    let err = from_myapp(&vars).load().unwrap_err();
    // db.password is missing; the misspelt key and `db` are warnings.
    assert_eq!(err.problems()[0].field(), "db.password");
    let warnings: Vec<String> = err.warnings().iter().map(ToString::to_string).collect();
    assert!(
        warnings.contains(&"db__pasword (vault secret/myapp/prod#db__pasword (v1)): names no setting; did you mean db__password?".to_owned()),
        "{warnings:?}"
    );
    common::assert_error_hides(&err, KEY);
    common::assert_error_hides(&err, PASSWORD);
    let source =
        Vault::kv2("secret", "myapp/prod").auth(VaultAuth::token("hvs.do-not-show-this-token"));
    let shown = format!("{source:?} {:?}", loader(&vars).source(source.clone()));
    assert!(!shown.contains("do-not-show"), "{shown}");
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn watch_probes_versions_reloads_on_a_new_one_and_keeps_the_last_good_settings() {
    use std::time::Duration;

    let Some(bao) = Bao::start() else { return };
    seed(&bao);
    let counter = Counter::start(bao.port);
    let watch = from_myapp(&[("VAULT_ADDR", &counter.addr()), ("VAULT_TOKEN", "root")])
        .remote_interval(Duration::from_millis(100))
        .watch()
        .unwrap();
    let reports = common::Reports::of(&watch);
    assert_eq!(watch.current().api_key.expose_secret(), KEY);

    // Probes that find no change read metadata only: no data request.
    let seen = counter.take_until(3, |r| r.contains("/metadata/"));
    let data_reads: Vec<&String> = seen
        .iter()
        .filter(|r| r.starts_with("GET /v1/secret/data/"))
        .collect();
    // The watch's own first loads (two, see `Loader::watch`) read data; probes never do.
    assert!(data_reads.len() <= 2, "{seen:?}");
    let after_first: Vec<&String> = seen
        .iter()
        .skip_while(|r| !r.contains("/metadata/"))
        .collect();
    assert!(
        after_first
            .iter()
            .all(|r| *r == "GET /v1/secret/metadata/myapp/prod"),
        "{seen:?}"
    );
    assert_eq!(watch.generation(), 1);

    // A new version is picked up.
    bao.put(
        "myapp/prod",
        json!({ "api_key": "vk-rotated-0123456789abcdef", "db__password": PASSWORD, "APP_DB__PORT": "6001" }),
    );
    let fields = reports.change();
    assert_eq!(fields, ["api_key"]);
    assert_eq!(
        watch.current().api_key.expose_secret(),
        "vk-rotated-0123456789abcdef"
    );
    assert_eq!(watch.generation(), 2);

    // The server dies: a failed check goes to on_error and the settings stay.
    drop(bao);
    let error = reports.error();
    assert!(
        error.contains("\n  vault secret/myapp/prod: cannot be reached: "),
        "{error}"
    );
    assert_eq!(
        watch.current().api_key.expose_secret(),
        "vk-rotated-0123456789abcdef"
    );
    assert_eq!(watch.generation(), 2);
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn the_documented_bao_exec_adapter_works() {
    let Some(bao) = Bao::start() else { return };
    seed(&bao);
    let bin = servers::binary("CONFIDANT_TEST_BAO", "bao").unwrap();
    let adapter = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/adapters/bao-kv.sh");
    let path = std::env::var("PATH").unwrap_or_default();
    let bin = bin.display().to_string();
    let home = common::tempdir();
    let home = home.path().display().to_string();
    let env = [
        ("VAULT_ADDR", bao.addr()),
        ("VAULT_TOKEN", "root".to_owned()),
        ("BAO", bin),
        ("PATH", path),
        ("HOME", home),
    ];
    let env = pairs(&env);
    let explain = loader(&env)
        .source(confidant::remote::Exec::new([
            adapter,
            "secret",
            "myapp/prod",
        ]))
        .explain()
        .unwrap();
    assert_eq!(
        common::origin_of(&explain, "db.password").to_string(),
        format!("exec {adapter}")
    );
    let cfg = loader(&env)
        .source(confidant::remote::Exec::new([
            adapter,
            "secret",
            "myapp/prod",
        ]))
        .load()
        .unwrap();
    assert_eq!(cfg.db.password.expose_secret(), PASSWORD);
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    assert_eq!(cfg.db.port, 6001);
    // A path with no secret: the CLI fails, a problem naming the adapter.
    let err = loader(&env)
        .source(confidant::remote::Exec::new([
            adapter,
            "secret",
            "myapp/none",
        ]))
        .load()
        .unwrap_err();
    assert!(
        err.problems()[0]
            .to_string()
            .starts_with(&format!("exec {adapter}: exited with status")),
        "{err}"
    );
}
