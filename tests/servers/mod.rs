//! Real servers for the remote-source tests: OpenBao (`bao server -dev`) and moto,
//! started on free loopback ports, seeded over HTTP, stopped when their guard drops.
//!
//! The binaries come from `CONFIDANT_TEST_BAO` / `CONFIDANT_TEST_MOTO`, else `PATH`.
//! `.ci/run` installs both into a virtual environment and runs these tests with
//! `--ignored`. Without a binary a test says so and passes, except under CI
//! (`CI=true`), where a missing binary fails it.
#![allow(dead_code)] // reason: each test binary uses a different subset

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a server may take to come up on a loaded machine.
const READY: Duration = Duration::from_secs(60);

/// The binary `name`, from `var` or `PATH`; `None` (after saying why) when it is
/// missing outside CI.
pub fn binary(var: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var) {
        return Some(PathBuf::from(path));
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{name} is not installed (set {var} or put it on PATH): CI must run this test"
        );
        eprintln!("skipped: {name} is not installed (set {var} or put it on PATH)");
    }
    found
}

/// A free loopback port whose next port is free too (OpenBao's cluster listener takes
/// PORT+1).
pub fn free_port_pair() -> u16 {
    loop {
        let first = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = first.local_addr().unwrap().port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
}

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process, killed when dropped.
pub struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

// ---- a minimal HTTP/1.1 client for seeding (no dependency) --------------------------

/// An HTTP answer: status and body.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One request to `127.0.0.1:port` with `Connection: close`; an error if the connection
/// fails or is reset (a server still starting).
pub fn try_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer: {raw}"));
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Ok(Answer { status, body })
}

/// One request to `127.0.0.1:port` with `Connection: close`, to a server that is up.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    try_request(port, method, path, headers, body).unwrap()
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}

// ---- OpenBao -------------------------------------------------------------------------

/// An OpenBao dev server (root token `root`, KV v2 at `secret/`).
pub struct Bao {
    pub port: u16,
    _guard: Guard,
    /// With `-dev-tls`: the CA file of its certificate.
    pub ca: Option<PathBuf>,
    _dir: tempfile::TempDir,
}

impl Bao {
    /// Starts a dev server, or `None` when `bao` is not installed (outside CI).
    pub fn start() -> Option<Bao> {
        Bao::start_with(false)
    }

    /// Starts a dev server serving TLS with a CA of its own.
    pub fn start_tls() -> Option<Bao> {
        Bao::start_with(true)
    }

    fn start_with(tls: bool) -> Option<Bao> {
        let bin = binary("CONFIDANT_TEST_BAO", "bao")?;
        let dir = tempfile::tempdir().unwrap();
        for _attempt in 0..5 {
            let port = free_port_pair();
            let mut command = Command::new(&bin);
            command
                .args(["server", "-dev", "-dev-root-token-id=root"])
                .arg(format!("-dev-listen-address=127.0.0.1:{port}"))
                .env("HOME", dir.path())
                .env_remove("VAULT_ADDR")
                .env_remove("BAO_ADDR")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            if tls {
                command
                    .arg("-dev-tls")
                    .arg(format!("-dev-tls-cert-dir={}", dir.path().display()));
            }
            let mut child = command.spawn().expect("bao starts");
            let stderr = child.stderr.take().unwrap();
            let guard = Guard(child);
            // Drains its log so that it never blocks on a full pipe.
            std::thread::spawn(move || for _ in BufReader::new(stderr).lines() {});
            let deadline = Instant::now() + READY;
            let mut ready = false;
            while Instant::now() < deadline {
                if tls {
                    // A TLS server accepts connections once up; the CA file appears first.
                    if dir.path().join("vault-ca.pem").is_file()
                        && TcpStream::connect(("127.0.0.1", port)).is_ok()
                    {
                        ready = true;
                        break;
                    }
                } else if let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) {
                    drop(stream);
                    // Health first; then the KV engine, which upgrades itself to
                    // version 2 just after start and answers 400 meanwhile.
                    // A connection reset while it starts is "not yet".
                    let ok = |path: &str, headers: &[(&str, &str)]| {
                        try_request(port, "GET", path, headers, "").is_ok_and(|a| a.status == 200)
                    };
                    if ok("/v1/sys/health", &[])
                        && ok("/v1/secret/config", &[("X-Vault-Token", "root")])
                    {
                        ready = true;
                        break;
                    }
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if ready {
                let ca = tls.then(|| dir.path().join("vault-ca.pem"));
                return Some(Bao {
                    port,
                    _guard: guard,
                    ca,
                    _dir: dir,
                });
            }
            // Port taken in between, or slow: try another pair.
        }
        panic!("bao did not come up in 5 attempts");
    }

    pub fn addr(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// An API call with the root token; panics unless 2xx.
    pub fn api(&self, method: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
        self.api_in(None, method, path, body)
    }

    /// An API call in a namespace with the root token; panics unless 2xx.
    pub fn api_in(
        &self,
        namespace: Option<&str>,
        method: &str,
        path: &str,
        body: serde_json::Value,
    ) -> serde_json::Value {
        let body = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let mut headers = vec![("X-Vault-Token", "root")];
        if let Some(ns) = namespace {
            headers.push(("X-Vault-Namespace", ns));
        }
        // A KV engine mounted a moment ago upgrades itself to version 2 and answers 400
        // meanwhile: retried for a bounded time.
        let deadline = Instant::now() + READY;
        let answer = loop {
            let answer = request(self.port, method, &format!("/v1/{path}"), &headers, &body);
            if answer.status == 400
                && answer
                    .body
                    .contains("Upgrading from non-versioned to versioned data")
                && Instant::now() < deadline
            {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            break answer;
        };
        assert!(
            (200..300).contains(&answer.status),
            "{method} {path}: {} {}",
            answer.status,
            answer.body
        );
        if answer.body.is_empty() {
            serde_json::Value::Null
        } else {
            answer.json()
        }
    }

    /// Writes a new version of `secret/<path>`; returns its version.
    pub fn put(&self, path: &str, data: serde_json::Value) -> u64 {
        let answer = self.api(
            "POST",
            &format!("secret/data/{path}"),
            serde_json::json!({ "data": data }),
        );
        answer["data"]["version"].as_u64().unwrap()
    }

    /// A token with these policies (and no others).
    pub fn token(&self, policies: &[&str]) -> String {
        let answer = self.api(
            "POST",
            "auth/token/create",
            serde_json::json!({ "policies": policies, "no_default_policy": false }),
        );
        answer["auth"]["client_token"].as_str().unwrap().to_owned()
    }

    /// A policy reading `secret/data/<path>` (and its metadata).
    pub fn read_policy(&self, name: &str, path: &str) {
        let policy = format!(
            "path \"secret/data/{path}\" {{ capabilities = [\"read\"] }}\npath \"secret/metadata/{path}\" {{ capabilities = [\"read\"] }}\n"
        );
        self.api(
            "PUT",
            &format!("sys/policies/acl/{name}"),
            serde_json::json!({ "policy": policy }),
        );
    }
}

// ---- a counting loopback proxy -------------------------------------------------------

/// A TCP proxy in front of `127.0.0.1:upstream` that records the request line of each
/// HTTP request it forwards (keep-alive connections included).
pub struct Counter {
    pub port: u16,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Counter {
    pub fn start(upstream: u16) -> Counter {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                let seen = Arc::clone(&seen);
                // Answers flow back untouched.
                let (mut from_server, mut to_client) =
                    (server.try_clone().unwrap(), client.try_clone().unwrap());
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut from_server, &mut to_client);
                    let _ = to_client.shutdown(Shutdown::Both);
                });
                std::thread::spawn(move || forward_requests(client, server, &seen));
            }
        });
        Counter { port, requests }
    }

    pub fn addr(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The request lines seen so far (`GET /v1/secret/data/myapp/prod`), and clears them.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.requests.lock().unwrap())
    }

    /// Takes request lines until `count` of them are `probe`s, for 30 s at the most (then
    /// fails the test): every line taken, in order. For a watch, whose probes come on
    /// their own.
    #[track_caller]
    pub fn take_until(&self, count: usize, probe: impl Fn(&str) -> bool) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen: Vec<String> = Vec::new();
        while seen.iter().filter(|r| probe(r)).count() < count {
            assert!(
                Instant::now() < deadline,
                "{count} probes not seen: {seen:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
            seen.extend(self.take());
        }
        seen
    }
}

/// Copies requests from `client` to `server`, one at a time, recording each line.
fn forward_requests(client: TcpStream, mut server: TcpStream, seen: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(client);
    loop {
        let mut head = Vec::new();
        let mut line = String::new();
        let mut first = None;
        let mut target = String::new();
        let mut length = 0usize;
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => {
                    let _ = server.shutdown(Shutdown::Write);
                    return;
                }
                Ok(_) => {}
            }
            head.extend_from_slice(line.as_bytes());
            if first.is_none() {
                let mut parts = line.split(' ');
                let method = parts.next().unwrap_or("");
                let target = parts.next().unwrap_or("");
                first = Some(format!("{method} {target}"));
            } else if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                } else if k.eq_ignore_ascii_case("x-amz-target") {
                    target = format!(" {}", v.trim());
                }
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        seen.lock()
            .unwrap()
            .push(first.unwrap_or_default() + &target);
        if server.write_all(&head).is_err() || server.write_all(&body).is_err() {
            return;
        }
    }
}

// ---- moto ------------------------------------------------------------------------------

/// A moto server (`moto_server`) checking SigV4 signatures and IAM policies after its
/// first `no_auth` actions (`INITIAL_NO_AUTH_ACTION_COUNT`), which seed it.
pub struct Moto {
    pub port: u16,
    _guard: Guard,
}

/// A fake `Authorization` header naming `service`: moto routes an unsigned request by
/// the service in its credential scope.
fn scope(service: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0"
    )
}

impl Moto {
    /// Starts moto, or `None` when `moto_server` is not installed (outside CI).
    pub fn start(no_auth: u32) -> Option<Moto> {
        let bin = binary("CONFIDANT_TEST_MOTO", "moto_server")?;
        for _attempt in 0..5 {
            let port = free_port();
            let mut child = Command::new(&bin)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .env("INITIAL_NO_AUTH_ACTION_COUNT", no_auth.to_string())
                .env_remove("AWS_ACCESS_KEY_ID")
                .env_remove("AWS_SECRET_ACCESS_KEY")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("moto_server starts");
            let stderr = child.stderr.take().unwrap();
            let guard = Guard(child);
            std::thread::spawn(move || for _ in BufReader::new(stderr).lines() {});
            let deadline = Instant::now() + READY;
            while Instant::now() < deadline {
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Some(Moto {
                        port,
                        _guard: guard,
                    });
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!("moto did not come up in 5 attempts");
    }

    pub fn addr(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A JSON-protocol call (unsigned: counts against `no_auth`); panics unless 200.
    pub fn json(&self, service: &str, target: &str, body: serde_json::Value) -> serde_json::Value {
        let auth = scope(service);
        let answer = request(
            self.port,
            "POST",
            "/",
            &[
                ("Content-Type", "application/x-amz-json-1.1"),
                ("X-Amz-Target", target),
                ("Authorization", &auth),
            ],
            &body.to_string(),
        );
        assert_eq!(answer.status, 200, "{target}: {}", answer.body);
        answer.json()
    }

    /// A query-protocol call (IAM, STS; unsigned); the XML answer.
    pub fn query(&self, service: &str, form: &[(&str, &str)]) -> String {
        let auth = scope(service);
        let body: Vec<String> = form
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        let answer = request(
            self.port,
            "POST",
            "/",
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Authorization", &auth),
            ],
            &body.join("&"),
        );
        assert_eq!(answer.status, 200, "{form:?}: {}", answer.body);
        answer.body
    }

    /// An IAM user allowed everything, and its access key: 3 actions.
    pub fn user_key(&self, name: &str) -> (String, String) {
        let v = ("Version", "2010-05-08");
        self.query("iam", &[("Action", "CreateUser"), ("UserName", name), v]);
        self.query(
            "iam",
            &[
                ("Action", "PutUserPolicy"),
                ("UserName", name),
                ("PolicyName", "all"),
                (
                    "PolicyDocument",
                    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
                ),
                v,
            ],
        );
        let xml = self.query(
            "iam",
            &[("Action", "CreateAccessKey"), ("UserName", name), v],
        );
        (tag(&xml, "AccessKeyId"), tag(&xml, "SecretAccessKey"))
    }
}

/// The text of `<name>` in an XML answer.
pub fn tag(xml: &str, name: &str) -> String {
    let open = format!("<{name}>");
    let start = xml
        .find(&open)
        .unwrap_or_else(|| panic!("no <{name}> in {xml}"))
        + open.len();
    let end = xml[start..].find(&format!("</{name}>")).unwrap() + start;
    xml[start..end].to_owned()
}

/// Form encoding (RFC 3986 unreserved kept).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
