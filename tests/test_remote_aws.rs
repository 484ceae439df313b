#![cfg(feature = "aws")]
//! `confidant::remote::{AwsSecretsManager, AwsParameterStore}` against a real moto
//! server, started by each test (tests/servers) with signature and IAM checks on after
//! its seeding. Ignored by a plain `cargo test`: `.ci/run` installs moto and runs them
//! with `--ignored`.

mod common;
#[path = "common/remote.rs"]
mod remote;
mod servers;

use confidant::remote::{AwsParameterStore, AwsSecretsManager};
use confidant::{ExposeSecret, Origin, ProblemKind, Secret, Settings};
use remote::{Db, loader, pairs};
use serde_json::json;
use servers::{Counter, Moto};

const KEY: &str = "ak-6bc1bee22e409f96e93d7e117393172a";
const PASSWORD: &str = "ap-ae2d8a571e03ac9c9eb76fac45af8e51";

/// The environment of a signed load: region, endpoint, the user's key.
fn env(moto: &Moto, key: &(String, String)) -> Vec<(String, String)> {
    vec![
        ("AWS_REGION".into(), "us-east-1".into()),
        ("AWS_ENDPOINT_URL".into(), moto.addr()),
        ("AWS_ACCESS_KEY_ID".into(), key.0.clone()),
        ("AWS_SECRET_ACCESS_KEY".into(), key.1.clone()),
    ]
}

fn create_secret(moto: &Moto, name: &str, string: &str) {
    moto.json(
        "secretsmanager",
        "secretsmanager.CreateSecret",
        json!({ "Name": name, "SecretString": string }),
    );
}

/// A loader with `vars` as its environment and the secret `prod/myapp` as its one
/// remote source.
fn from_myapp(vars: &[(&str, &str)]) -> confidant::Loader<remote::Config> {
    loader(vars).source(AwsSecretsManager::secret("prod/myapp"))
}

/// `prod/myapp`, holding both secrets of [`remote::Config`] as a JSON object.
fn seed(moto: &Moto) {
    create_secret(
        moto,
        "prod/myapp",
        &json!({ "api_key": KEY, "db__password": PASSWORD }).to_string(),
    );
}

/// The IAM role `name`, trusting whom `trust` (a policy document) says, allowed every
/// action.
fn create_role(moto: &Moto, name: &str, trust: &str) {
    let v = ("Version", "2010-05-08");
    moto.query(
        "iam",
        &[
            ("Action", "CreateRole"),
            ("RoleName", name),
            ("AssumeRolePolicyDocument", trust),
            v,
        ],
    );
    moto.query(
        "iam",
        &[
            ("Action", "PutRolePolicy"),
            ("RoleName", name),
            ("PolicyName", "all"),
            (
                "PolicyDocument",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            ),
            v,
        ],
    );
}

/// Waits for three probes of a watch, request lines ending with `action`, and asserts
/// that from the first probe on nothing else was sent: no read of the values.
#[track_caller]
fn assert_only_probes(counter: &Counter, action: &str) {
    let seen = counter.take_until(3, |r| r.ends_with(action));
    let after: Vec<&String> = seen.iter().skip_while(|r| !r.ends_with(action)).collect();
    assert!(after.iter().all(|r| r.ends_with(action)), "{seen:?}");
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn a_json_secret_sets_settings_with_signed_requests() {
    let Some(moto) = Moto::start(4) else { return };
    let key = moto.user_key("app");
    create_secret(
        &moto,
        "prod/myapp",
        &json!({ "api_key": KEY, "db__password": PASSWORD, "APP_DB__PORT": "6002" }).to_string(),
    );
    let env = env(&moto, &key);
    let explain = from_myapp(&pairs(&env)).explain().unwrap();
    let origin = |path| common::origin_of(&explain, path);
    assert_eq!(
        origin("db.password"),
        &Origin::Remote {
            source: "aws-sm prod/myapp".into(),
            place: "aws-sm prod/myapp#db__password (AWSCURRENT)".into(),
        }
    );
    assert_eq!(origin("log_level"), &Origin::Default);
    let cfg = from_myapp(&pairs(&env)).load().unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    assert_eq!(cfg.db.password.expose_secret(), PASSWORD);
    assert_eq!(cfg.db.port, 6002);
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn a_wrong_secret_key_is_signature_does_not_match_and_no_key_is_shown() {
    let Some(moto) = Moto::start(4) else { return };
    let key = moto.user_key("app");
    create_secret(&moto, "prod/myapp", &json!({ "api_key": KEY }).to_string());
    let wrong = (
        key.0.clone(),
        "wRoNg/SeCrEtKeY0000000000000000000000000".to_owned(),
    );
    let env = env(&moto, &wrong);
    for source in [
        AwsSecretsManager::secret("prod/myapp"),
        AwsSecretsManager::secret("prod/myapp").optional(),
    ] {
        let err = loader(&pairs(&env)).source(source).load().unwrap_err();
        let problem = &err.problems()[0];
        assert!(
            problem
                .to_string()
                .starts_with("aws-sm prod/myapp: SignatureDoesNotMatch (403)"),
            "{err}"
        );
        assert!(!problem.is_warning());
        common::assert_error_hides(&err, &wrong.1);
        common::assert_error_hides(&err, &key.1);
    }
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn one_value_secrets_and_secret_binary() {
    #[derive(Debug, Settings)]
    #[settings(prefix = "APP_")]
    struct Tls {
        key: Secret<Vec<u8>>,
        #[settings(nested)]
        db: Db,
    }
    let Some(moto) = Moto::start(6) else { return };
    let user = moto.user_key("app");
    let bytes: Vec<u8> = vec![0, 159, 146, 150, 255, 10, 13, 32, 7];
    // base64 of the bytes above (standard alphabet).
    moto.json(
        "secretsmanager",
        "secretsmanager.CreateSecret",
        json!({ "Name": "prod/tls-key", "SecretBinary": "AJ+Slv8KDSAH" }),
    );
    create_secret(&moto, "prod/db-password", PASSWORD);
    let env = env(&moto, &user);
    let cfg = common::isolated::<Tls>()
        .env_vars(pairs(&env))
        .source(AwsSecretsManager::secret("prod/tls-key").setting("key"))
        .source(AwsSecretsManager::secret("prod/db-password").setting("db.password"))
        .load()
        .unwrap();
    assert_eq!(cfg.key.expose_secret(), &bytes);
    assert_eq!(cfg.db.password.expose_secret(), PASSWORD);
    // A SecretBinary without `.setting` is a problem; so is a text that is no object.
    let err = common::isolated::<Tls>()
        .env_vars(pairs(&env))
        .source(AwsSecretsManager::secret("prod/tls-key"))
        .source(AwsSecretsManager::secret("prod/db-password"))
        .load()
        .unwrap_err();
    let shown: Vec<String> = err.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        shown[..2],
        [
            "aws-sm prod/tls-key: prod/tls-key: the secret holds SecretBinary: name the setting it is for with .setting(..)".to_owned(),
            "aws-sm prod/db-password: prod/db-password: its SecretString is not a JSON object of settings (not shown); for a secret that holds one value, name its setting with .setting(..)".to_owned(),
        ]
    );
    common::assert_error_hides(&err, PASSWORD);
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn batches_of_twenty_later_wins_and_a_missing_id_is_a_problem() {
    let Some(moto) = Moto::start(3 + 22) else {
        return;
    };
    let user = moto.user_key("app");
    let mut ids = Vec::new();
    for i in 0..21 {
        let name = format!("prod/part-{i:02}");
        create_secret(
            &moto,
            &name,
            &json!({ "api_key": format!("ak-from-secret-{i:02}-000000") }).to_string(),
        );
        ids.push(name);
    }
    create_secret(
        &moto,
        "prod/db",
        &json!({ "db__password": PASSWORD }).to_string(),
    );
    ids.insert(3, "prod/db".to_owned());
    let counter = Counter::start(moto.port);
    let mut env = env(&moto, &user);
    env[1].1 = counter.addr();
    let explain = loader(&pairs(&env))
        .source(AwsSecretsManager::secrets(ids.clone()))
        .explain()
        .unwrap();
    // 22 ids: two requests.
    assert_eq!(
        counter.take(),
        [
            "POST / secretsmanager.BatchGetSecretValue",
            "POST / secretsmanager.BatchGetSecretValue"
        ]
    );
    // The last id that sets it wins, with no conflict.
    assert_eq!(
        common::origin_of(&explain, "api_key").to_string(),
        "aws-sm prod/part-20#api_key (AWSCURRENT)"
    );

    // A missing id: a problem naming it; with `.optional()` a warning.
    let err = loader(&pairs(&env))
        .source(AwsSecretsManager::secrets([
            "prod/db",
            "prod/missing",
            "prod/part-00",
        ]))
        .load()
        .unwrap_err();
    assert_eq!(err.problems().len(), 1, "{err}");
    assert!(
        err.problems()[0]
            .to_string()
            .ends_with(": prod/missing: not found (ResourceNotFoundException)"),
        "{err}"
    );
    let (cfg, warnings) = loader(&pairs(&env))
        .source(AwsSecretsManager::secrets(["prod/db", "prod/missing", "prod/part-00"]).optional())
        .load_with_warnings()
        .unwrap();
    assert_eq!(cfg.api_key.expose_secret(), "ak-from-secret-00-000000");
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].is_warning());
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn a_missing_secret_or_an_unreachable_server_is_a_problem_or_with_optional_a_warning() {
    let Some(moto) = Moto::start(3) else { return };
    let user = moto.user_key("app");
    let mut env = env(&moto, &user);
    env.push(("APP_API_KEY".into(), KEY.into()));
    env.push(("APP_DB__PASSWORD".into(), PASSWORD.into()));
    let err = loader(&pairs(&env))
        .source(AwsSecretsManager::secret("prod/none"))
        .load()
        .unwrap_err();
    assert!(
        err.problems()[0]
            .to_string()
            .starts_with("aws-sm prod/none: ResourceNotFoundException ("),
        "{err}"
    );
    let (_, warnings) = loader(&pairs(&env))
        .source(AwsSecretsManager::secret("prod/none").optional())
        .source(AwsParameterStore::path("/none").optional())
        .load_with_warnings()
        .unwrap();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert_eq!(
        warnings[1].to_string(),
        "ssm /none: no parameter under /none"
    );
    // Unreachable.
    env[1].1 = format!("http://127.0.0.1:{}", servers::free_port());
    let err = from_myapp(&pairs(&env)).load().unwrap_err();
    assert!(
        err.problems()[0]
            .to_string()
            .starts_with("aws-sm prod/myapp: cannot be reached: "),
        "{err}"
    );
    let (_, warnings) = loader(&pairs(&env))
        .source(AwsSecretsManager::secret("prod/myapp").optional())
        .load_with_warnings()
        .unwrap();
    assert_eq!(warnings.len(), 1);
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn parameter_store_reads_a_path_recursively_decrypted_every_page() {
    let Some(moto) = Moto::start(3 + 14) else {
        return;
    };
    let user = moto.user_key("app");
    let put = |name: &str, value: &str, kind: &str| {
        moto.json(
            "ssm",
            "AmazonSSM.PutParameter",
            json!({ "Name": name, "Value": value, "Type": kind, "Overwrite": true }),
        );
    };
    put(
        "/myapp/prod/db/password",
        "first-version-000000",
        "SecureString",
    );
    put("/myapp/prod/db/password", PASSWORD, "SecureString");
    put("/myapp/prod/api_key", KEY, "SecureString");
    put("/myapp/prod/db/port", "6003", "String");
    put("/myapp/other/log_level", "debug", "String");
    for i in 0..9 {
        put(&format!("/myapp/prod/extra/unused_{i}"), "x", "String");
    }
    let counter = Counter::start(moto.port);
    let mut env = env(&moto, &user);
    env[1].1 = counter.addr();
    let (cfg, warnings) = loader(&pairs(&env))
        .source(AwsParameterStore::path("/myapp/prod"))
        .load_with_warnings()
        .unwrap();
    assert_eq!(cfg.db.password.expose_secret(), PASSWORD);
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    assert_eq!(cfg.db.port, 6003);
    assert_eq!(cfg.log_level, "info");
    // 12 parameters, 10 a page: two requests.
    assert_eq!(counter.take().len(), 2);
    // The unused names are warnings.
    assert_eq!(warnings.len(), 9, "{warnings:?}");
    let explain = loader(&pairs(&env))
        .source(AwsParameterStore::path("/myapp/prod/"))
        .explain()
        .unwrap();
    assert_eq!(
        common::origin_of(&explain, "db.password").to_string(),
        "ssm /myapp/prod/db/password (v2)"
    );
    assert!(!explain.to_string().contains(PASSWORD));
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn the_shared_credentials_file_and_aws_profile() {
    let Some(moto) = Moto::start(4) else { return };
    let user = moto.user_key("app");
    seed(&moto);
    let dir = common::tempdir();
    let file = common::write(
        dir.path(),
        "credentials",
        &format!(
            "[default]\naws_access_key_id = AKIAWRONGWRONGWRONG0\naws_secret_access_key = wrong\n\n[ci]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            user.0, user.1
        ),
    );
    let base = [
        ("AWS_DEFAULT_REGION", "us-east-1".to_owned()),
        ("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.addr()),
        ("AWS_SHARED_CREDENTIALS_FILE", file.display().to_string()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
    ];
    let mut env = pairs(&base);
    env.push(("AWS_PROFILE", "ci"));
    let cfg = from_myapp(&env).load().unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    // The default profile's key is refused.
    env.pop();
    let err = from_myapp(&env).load().unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Unreadable);
    common::assert_error_hides(&err, &user.1);
    // $HOME/.aws/credentials, HOME from the loader's environment.
    let home = common::tempdir();
    common::write(
        home.path(),
        ".aws/credentials",
        &format!(
            "[default]\naws_access_key_id={}\naws_secret_access_key={}\n",
            user.0, user.1
        ),
    );
    let home_env = [
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_ENDPOINT_URL", moto.addr()),
        ("HOME", home.path().display().to_string()),
    ];
    let home_env = pairs(&home_env);
    let cfg = from_myapp(&home_env).load().unwrap();
    assert_eq!(cfg.db.password.expose_secret(), PASSWORD);
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn web_identity_through_sts() {
    // Seeding (3 actions), then the unsigned AssumeRoleWithWebIdentity (moto checks no
    // signature on it only within the count); the secret is then read with the role's
    // temporary credentials, signed and checked.
    let Some(moto) = Moto::start(4) else { return };
    create_role(
        &moto,
        "myapp",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/example"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#,
    );
    seed(&moto);
    let dir = common::tempdir();
    let token = common::write(
        dir.path(),
        "token",
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJteWFwcCJ9.c2lnbmF0dXJl",
    );
    let counter = Counter::start(moto.port);
    let env = [
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_ENDPOINT_URL", counter.addr()),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token.display().to_string()),
        (
            "AWS_ROLE_ARN",
            "arn:aws:iam::123456789012:role/myapp".to_owned(),
        ),
    ];
    let env = pairs(&env);
    let cfg = from_myapp(&env).load().unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    assert_eq!(
        counter.take(),
        ["POST /", "POST / secretsmanager.GetSecretValue"],
        "AssumeRoleWithWebIdentity, then the secret"
    );
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn watch_probes_describe_secret_and_reloads_on_a_new_version() {
    use std::time::Duration;
    // Signatures are checked by the tests above; here moto's auth stays off so that the
    // test can put a new version while the watch runs.
    let Some(moto) = Moto::start(1_000_000) else {
        return;
    };
    seed(&moto);
    let counter = Counter::start(moto.port);
    let key = (
        "AKIAIOSFODNN7EXAMPLE".to_owned(),
        "any-key-while-auth-is-off".to_owned(),
    );
    let mut env = env(&moto, &key);
    env[1].1 = counter.addr();
    let watch = from_myapp(&pairs(&env))
        .remote_interval(Duration::from_millis(100))
        .watch()
        .unwrap();
    let reports = common::Reports::of(&watch);
    // Probes that find no change: DescribeSecret only, no GetSecretValue.
    assert_only_probes(&counter, "DescribeSecret");
    assert_eq!(watch.generation(), 1);

    moto.json(
        "secretsmanager",
        "secretsmanager.PutSecretValue",
        json!({ "SecretId": "prod/myapp", "SecretString": json!({ "api_key": "ak-rotated-00000000000000", "db__password": PASSWORD }).to_string() }),
    );
    let fields = reports.change();
    assert_eq!(fields, ["api_key"]);
    assert_eq!(
        watch.current().api_key.expose_secret(),
        "ak-rotated-00000000000000"
    );

    drop(moto);
    let error = reports.error();
    assert!(
        error.contains("aws-sm prod/myapp: cannot be reached"),
        "{error}"
    );
    assert_eq!(
        watch.current().api_key.expose_secret(),
        "ak-rotated-00000000000000"
    );
    assert_eq!(watch.generation(), 2);
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn imdsv2_gives_credentials_when_nothing_else_does() {
    // moto serves IMDSv2 with fixed credentials its IAM does not know: auth stays off.
    let Some(moto) = Moto::start(1_000_000) else {
        return;
    };
    seed(&moto);
    let counter = Counter::start(moto.port);
    let env = [
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_ENDPOINT_URL", moto.addr()),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", counter.addr()),
        ("HOME", "/nonexistent".to_owned()),
    ];
    let env = pairs(&env);
    let cfg = from_myapp(&env).load().unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    assert_eq!(
        counter.take(),
        [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/default-role",
        ]
    );
    // Disabled: no credentials at all is a problem.
    let mut env = env;
    env.push(("AWS_EC2_METADATA_DISABLED", "true"));
    let err = from_myapp(&env).load().unwrap_err();
    assert!(
        err.problems()[0]
            .to_string()
            .starts_with("aws-sm prod/myapp: no AWS credentials"),
        "{err}"
    );
    assert!(counter.take().is_empty());
}

/// A container credentials endpoint (what the ECS agent or EKS Pod Identity serve):
/// answers `body` to requests carrying `Authorization: <token>`, 401 otherwise.
fn container_endpoint(token: &'static str, body: String) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut authorized = false;
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                if line.to_ascii_lowercase().starts_with("authorization:") {
                    authorized = line.split_once(':').unwrap().1.trim() == token;
                }
                line.clear();
            }
            let (status, body) = if authorized {
                ("200 OK", body.as_str())
            } else {
                ("401 Unauthorized", "{}")
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn the_container_endpoint_with_its_authorization_token() {
    let Some(moto) = Moto::start(4) else { return };
    let user = moto.user_key("app");
    seed(&moto);
    let body = json!({ "AccessKeyId": user.0, "SecretAccessKey": user.1, "Token": "", "Expiration": "2099-01-01T00:00:00Z" }).to_string();
    let port = container_endpoint("container-auth-token-0123", body);
    let dir = common::tempdir();
    let token_file = common::write(dir.path(), "token", "container-auth-token-0123\n");
    let full = format!("http://127.0.0.1:{port}/v2/credentials");
    for (var, value) in [
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "container-auth-token-0123".to_owned(),
        ),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.display().to_string(),
        ),
    ] {
        let env = [
            ("AWS_REGION", "us-east-1".to_owned()),
            ("AWS_ENDPOINT_URL", moto.addr()),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.clone()),
            (var, value),
            ("HOME", "/nonexistent".to_owned()),
        ];
        let env = pairs(&env);
        let cfg = from_myapp(&env).load().unwrap();
        assert_eq!(cfg.api_key.expose_secret(), KEY);
    }
    // A wrong token is refused by the endpoint: a problem.
    let env = [
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_ENDPOINT_URL", moto.addr()),
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.clone()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "wrong-token".to_owned(),
        ),
    ];
    let env = pairs(&env);
    let err = from_myapp(&env).load().unwrap_err();
    assert_eq!(
        err.problems()[0].to_string(),
        "aws-sm prod/myapp: the container credentials endpoint answered 401"
    );
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn a_session_token_from_the_environment_is_signed_and_sent() {
    // Seeding: the role, its policy, the secret, and AssumeRole; then auth is on.
    let Some(moto) = Moto::start(4) else { return };
    create_role(
        &moto,
        "reader",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#,
    );
    seed(&moto);
    // Temporary credentials, as `aws sts assume-role` gives them.
    let xml = moto.query(
        "sts",
        &[
            ("Action", "AssumeRole"),
            ("RoleArn", "arn:aws:iam::123456789012:role/reader"),
            ("RoleSessionName", "test"),
            ("Version", "2011-06-15"),
        ],
    );
    let id = servers::tag(&xml, "AccessKeyId");
    let secret = servers::tag(&xml, "SecretAccessKey");
    let token = servers::tag(&xml, "SessionToken");
    let env = [
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_ENDPOINT_URL", moto.addr()),
        ("AWS_ACCESS_KEY_ID", id.clone()),
        ("AWS_SECRET_ACCESS_KEY", secret.clone()),
        ("AWS_SESSION_TOKEN", token.clone()),
    ];
    let env = pairs(&env);
    let cfg = from_myapp(&env).load().unwrap();
    assert_eq!(cfg.api_key.expose_secret(), KEY);
    // Without its session token the temporary key is refused.
    let err = from_myapp(&env[..4]).load().unwrap_err();
    common::assert_error_hides(&err, &secret);
    common::assert_error_hides(&err, &token);
}

#[test]
fn http_is_refused_except_to_loopback() {
    let env = [
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", "http://secretsmanager.example.com"),
        ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
        (
            "AWS_SECRET_ACCESS_KEY",
            "not-a-real-key-000000000000000000000000",
        ),
    ];
    let err = from_myapp(&env)
        .source(AwsParameterStore::path("/myapp/prod"))
        .load()
        .unwrap_err();
    let shown: Vec<String> = err.problems()[..2]
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        shown[0].starts_with("aws-sm prod/myapp: http:// is refused except to a loopback address"),
        "{err}"
    );
    assert!(
        shown[1].starts_with("ssm /myapp/prod: http:// is refused except to a loopback address"),
        "{err}"
    );
    // No region: a problem naming both variables.
    let err = from_myapp(&env[1..]).load().unwrap_err();
    assert_eq!(
        err.problems()[0].to_string(),
        "aws-sm prod/myapp: no region: set AWS_REGION (or AWS_DEFAULT_REGION)"
    );
}

#[test]
#[ignore = "needs OpenBao and moto: run by .ci/run"]
fn parameter_store_endpoint_variable_and_watch_probe() {
    use std::time::Duration;
    let Some(moto) = Moto::start(1_000_000) else {
        return;
    };
    let put = |name: &str, value: &str| {
        moto.json(
            "ssm",
            "AmazonSSM.PutParameter",
            json!({ "Name": name, "Value": value, "Type": "SecureString", "Overwrite": true }),
        );
    };
    put("/myapp/prod/api_key", KEY);
    put("/myapp/prod/db/password", PASSWORD);
    let counter = Counter::start(moto.port);
    let env = [
        ("AWS_REGION", "us-east-1".to_owned()),
        // Only SSM's own variable: the general one points nowhere.
        (
            "AWS_ENDPOINT_URL",
            format!("http://127.0.0.1:{}", servers::free_port()),
        ),
        ("AWS_ENDPOINT_URL_SSM", counter.addr()),
        ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE".to_owned()),
        (
            "AWS_SECRET_ACCESS_KEY",
            "any-key-while-auth-is-off".to_owned(),
        ),
    ];
    let env = pairs(&env);
    let watch = loader(&env)
        .source(AwsParameterStore::path("/myapp/prod"))
        .remote_interval(Duration::from_millis(100))
        .watch()
        .unwrap();
    assert_eq!(watch.current().db.password.expose_secret(), PASSWORD);
    let reports = common::Reports::of(&watch);
    assert_only_probes(&counter, "DescribeParameters");
    put("/myapp/prod/db/password", "ap-rotated-000000000000000");
    let fields = reports.change();
    assert_eq!(fields, ["db.password"]);
    assert_eq!(
        watch.current().db.password.expose_secret(),
        "ap-rotated-000000000000000"
    );
}
