//! [`Vault`]: HashiCorp Vault or OpenBao, KV version 2.

use std::fmt;
use std::path::PathBuf;

use zeroize::Zeroizing;

use super::fetch::{Ctx, Entry, Failure, Fetch, Fetched, Value};
use super::http::{self, Address, Members, object};
use crate::error::remote::{Vault as VaultSays, VaultCredential};

/// One secret of a KV version 2 engine of HashiCorp Vault or OpenBao (feature `vault`):
/// its data holds many settings, keyed like secrets-directory files (`db__password`,
/// `APP_DB__PASSWORD`, `db/password`).
///
/// - Address: [`address`](Vault::address), else `VAULT_ADDR`, else `BAO_ADDR`;
///   `http://` is refused except to a loopback address.
/// - Token: [`auth`](Vault::auth), else `VAULT_TOKEN` / `BAO_TOKEN`, else
///   `$HOME/.vault-token`.
/// - `VAULT_NAMESPACE` (or `BAO_NAMESPACE`) is sent as the namespace; `VAULT_CACERT`
///   (or `BAO_CACERT`), a PEM file, replaces the built-in roots.
///
/// Every variable is read from the environment the loader uses. A load makes one KV
/// request (after logging in, for AppRole and JWT). A 403 is a problem, never a fall
/// back; [`optional`](Vault::optional) makes an unreachable server or a missing secret a
/// warning. Origins read `vault secret/myapp/prod#db__password (v3)`.
///
/// ```no_run
/// use confidant::{Secret, Settings};
/// use confidant::remote::{Vault, VaultAuth};
///
/// #[derive(Debug, Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     #[settings(nested)]
///     db: Db,
/// }
/// #[derive(Debug, Settings)]
/// struct Db {
///     password: Secret<String>,
/// }
///
/// let cfg = Config::loader()
///     .source(
///         Vault::kv2("secret", "myapp/prod")
///             .address("https://vault.internal:8200")
///             .auth(VaultAuth::jwt("kubernetes", "myapp", "/var/run/secrets/kubernetes.io/serviceaccount/token")),
///     )
///     .load()?;
/// # Ok::<(), confidant::Error>(())
/// ```
#[derive(Clone)]
pub struct Vault {
    mount: String,
    path: String,
    address: Option<String>,
    auth: Option<VaultAuth>,
    version: Option<u64>,
    optional: bool,
}

/// How [`Vault`] gets its token.
///
/// ```
/// use confidant::remote::VaultAuth;
/// let auth = VaultAuth::token("s.0123456789abcdef");
/// assert_eq!(format!("{auth:?}"), "VaultAuth::Token([REDACTED])");
/// ```
#[derive(Clone)]
pub struct VaultAuth(Auth);

#[derive(Clone)]
enum Auth {
    Token(Zeroizing<String>),
    AppRole {
        role_id: Zeroizing<String>,
        secret_id_file: PathBuf,
    },
    Jwt {
        mount: String,
        role: String,
        token_file: PathBuf,
    },
}

impl VaultAuth {
    /// A token given directly.
    ///
    /// ```
    /// let auth = confidant::remote::VaultAuth::token("s.0123456789abcdef");
    /// # let _ = auth;
    /// ```
    pub fn token(token: impl Into<String>) -> VaultAuth {
        VaultAuth(Auth::Token(Zeroizing::new(token.into())))
    }

    /// AppRole login (`auth/approle`): the role id, and a file holding the secret id
    /// (read at each load, so a rotated secret id is picked up).
    ///
    /// ```
    /// let auth = confidant::remote::VaultAuth::approle("myapp-role-id", "/run/secrets/secret-id");
    /// # let _ = auth;
    /// ```
    pub fn approle(role_id: impl Into<String>, secret_id_file: impl Into<PathBuf>) -> VaultAuth {
        VaultAuth(Auth::AppRole {
            role_id: Zeroizing::new(role_id.into()),
            secret_id_file: secret_id_file.into(),
        })
    }

    /// JWT login at `auth/<mount>` with `role` and the token in `token_file` (read at
    /// each load). For Kubernetes, `mount` is where its auth method is enabled
    /// (`"kubernetes"`) and the file the service account's token.
    ///
    /// ```
    /// let auth = confidant::remote::VaultAuth::jwt(
    ///     "kubernetes",
    ///     "myapp",
    ///     "/var/run/secrets/kubernetes.io/serviceaccount/token",
    /// );
    /// # let _ = auth;
    /// ```
    pub fn jwt(
        mount: impl Into<String>,
        role: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> VaultAuth {
        VaultAuth(Auth::Jwt {
            mount: mount.into(),
            role: role.into(),
            token_file: token_file.into(),
        })
    }
}

/// Names the method, never a token or a role id.
impl fmt::Debug for VaultAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Auth::Token(_) => f.write_str("VaultAuth::Token([REDACTED])"),
            Auth::AppRole { secret_id_file, .. } => f
                .debug_struct("VaultAuth::AppRole")
                .field("secret_id_file", secret_id_file)
                .finish_non_exhaustive(),
            Auth::Jwt {
                mount,
                role,
                token_file,
            } => f
                .debug_struct("VaultAuth::Jwt")
                .field("mount", mount)
                .field("role", role)
                .field("token_file", token_file)
                .finish(),
        }
    }
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vault")
            .field("mount", &self.mount)
            .field("path", &self.path)
            .field("address", &self.address)
            .field("auth", &self.auth)
            .field("version", &self.version)
            .field("optional", &self.optional)
            .finish()
    }
}

impl Vault {
    /// The secret at `path` of the KV version 2 engine mounted at `mount`
    /// (`Vault::kv2("secret", "myapp/prod")` reads `secret/data/myapp/prod`).
    ///
    /// ```
    /// let source = confidant::remote::Vault::kv2("secret", "myapp/prod");
    /// # let _ = source;
    /// ```
    pub fn kv2(mount: impl Into<String>, path: impl Into<String>) -> Vault {
        Vault {
            mount: mount.into().trim_matches('/').to_owned(),
            path: path.into().trim_matches('/').to_owned(),
            address: None,
            auth: None,
            version: None,
            optional: false,
        }
    }

    /// The server's address (`https://vault.internal:8200`), instead of `VAULT_ADDR` /
    /// `BAO_ADDR`.
    ///
    /// ```
    /// let source = confidant::remote::Vault::kv2("secret", "myapp").address("https://vault:8200");
    /// # let _ = source;
    /// ```
    #[must_use]
    pub fn address(mut self, url: impl Into<String>) -> Vault {
        self.address = Some(url.into());
        self
    }

    /// How to get a token, instead of `VAULT_TOKEN` / `BAO_TOKEN` / `~/.vault-token`.
    ///
    /// ```
    /// use confidant::remote::{Vault, VaultAuth};
    /// let source = Vault::kv2("secret", "myapp").auth(VaultAuth::approle("role", "/run/secret-id"));
    /// # let _ = source;
    /// ```
    #[must_use]
    pub fn auth(mut self, auth: VaultAuth) -> Vault {
        self.auth = Some(auth);
        self
    }

    /// Reads this version of the secret instead of the current one.
    ///
    /// ```
    /// let source = confidant::remote::Vault::kv2("secret", "myapp").version(3);
    /// # let _ = source;
    /// ```
    #[must_use]
    pub fn version(mut self, version: u64) -> Vault {
        self.version = Some(version);
        self
    }

    /// A server that cannot be reached, or a secret that does not exist (404), is a
    /// warning instead of a problem. Refused credentials (401, 403) stay a problem.
    ///
    /// ```
    /// let source = confidant::remote::Vault::kv2("secret", "myapp/overrides").optional();
    /// # let _ = source;
    /// ```
    #[must_use]
    pub fn optional(mut self) -> Vault {
        self.optional = true;
        self
    }

    /// The agent, address and token of one load.
    fn connect(&self, ctx: &Ctx<'_>) -> Result<Session, Failure> {
        let address = match &self.address {
            Some(a) => a.clone(),
            None => http::var(&ctx.env, &["VAULT_ADDR", "BAO_ADDR"])
                .ok_or_else(|| Failure::Other(VaultSays::NoAddress.sentence()))?,
        };
        let address = Address::parse(&address)?;
        let cacert = http::var(&ctx.env, &["VAULT_CACERT", "BAO_CACERT"]);
        let agent = http::agent(&address, cacert.as_deref())?;
        let namespace = http::var(&ctx.env, &["VAULT_NAMESPACE", "BAO_NAMESPACE"]);
        let mut session = Session {
            agent,
            base: address.base,
            namespace,
            token: Zeroizing::new(String::new()),
        };
        session.token = self.token(ctx, &session)?;
        Ok(session)
    }

    fn token(&self, ctx: &Ctx<'_>, session: &Session) -> Result<Zeroizing<String>, Failure> {
        match self.auth.as_ref().map(|a| &a.0) {
            Some(Auth::Token(token)) => Ok(token.clone()),
            Some(Auth::AppRole {
                role_id,
                secret_id_file,
            }) => {
                let secret_id = read_file(secret_id_file, VaultCredential::AppRoleSecretId)?;
                let body = Zeroizing::new(
                    serde_json::json!({ "role_id": role_id.as_str(), "secret_id": secret_id.as_str() })
                        .to_string(),
                );
                session.login("approle", &body, &[role_id, &secret_id])
            }
            Some(Auth::Jwt {
                mount,
                role,
                token_file,
            }) => {
                let jwt = read_file(token_file, VaultCredential::Jwt)?;
                let body = Zeroizing::new(
                    serde_json::json!({ "role": role, "jwt": jwt.as_str() }).to_string(),
                );
                session.login(mount.trim_matches('/'), &body, &[&jwt])
            }
            None => {
                if let Some(token) = ctx
                    .env
                    .secret("VAULT_TOKEN")
                    .or_else(|| ctx.env.secret("BAO_TOKEN"))
                {
                    return Ok(token);
                }
                let home = http::var(&ctx.env, &["HOME"]).ok_or_else(no_token)?;
                let path = PathBuf::from(home).join(".vault-token");
                match std::fs::read(&path) {
                    Ok(bytes) => {
                        let bytes = Zeroizing::new(bytes);
                        let token = std::str::from_utf8(&bytes)
                            .map_err(|_| {
                                Failure::Denied(
                                    VaultSays::TokenFileNotUtf8 {
                                        path: &path.display().to_string(),
                                    }
                                    .sentence(),
                                )
                            })?
                            .trim();
                        if token.is_empty() {
                            return Err(no_token());
                        }
                        Ok(Zeroizing::new(token.to_owned()))
                    }
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(no_token()),
                    Err(err) => Err(Failure::Denied(
                        VaultSays::TokenFileUnreadable {
                            path: &crate::origin::shown_path(&path),
                            why: &crate::error::path_failure(err.kind()),
                        }
                        .sentence(),
                    )),
                }
            }
        }
    }

    fn data_url(&self, base: &str) -> String {
        let mut url = format!("{base}/v1/{}/data/{}", self.mount, self.path);
        if let Some(v) = self.version {
            url.push_str(&format!("?version={v}"));
        }
        url
    }
}

fn no_token() -> Failure {
    Failure::Denied(VaultSays::NoToken.sentence())
}

/// A credential file's content, trimmed, wiped when dropped.
fn read_file(path: &std::path::Path, what: VaultCredential) -> Result<Zeroizing<String>, Failure> {
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|err| {
        Failure::Denied(
            VaultSays::CredentialUnreadable {
                what,
                path: &crate::origin::shown_path(path),
                why: &crate::error::path_failure(err.kind()),
            }
            .sentence(),
        )
    })?);
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        Failure::Denied(
            VaultSays::CredentialNotUtf8 {
                what,
                path: &path.display().to_string(),
            }
            .sentence(),
        )
    })?;
    Ok(Zeroizing::new(text.trim().to_owned()))
}

/// One load's connection.
struct Session {
    agent: ureq::Agent,
    base: String,
    namespace: Option<String>,
    token: Zeroizing<String>,
}

object!(
    /// `{"auth": {...}}`
    Login { "auth" => auth: LoginAuth }
);
object!(LoginAuth { "client_token" => client_token: http::WipedJson });
object!(
    /// `{"data": {"data": {...}, "metadata": {...}}}`
    KvRead { "data" => data: KvData }
);
object!(KvData { "data" => data: Members, "metadata" => metadata: KvMeta });
object!(KvMeta { "version" => version: u64 });
object!(
    /// `{"data": {"current_version": n}}` of `metadata/<path>`
    MetaRead { "data" => data: MetaData }
);
object!(MetaData { "current_version" => current_version: u64 });

impl Session {
    fn headers(&self) -> Vec<(&str, &str)> {
        let mut headers = vec![("X-Vault-Token", self.token.as_str())];
        if let Some(ns) = &self.namespace {
            headers.push(("X-Vault-Namespace", ns.as_str()));
        }
        headers
    }

    /// Logs in at `auth/<mount>/login`; `secrets` are redacted from the server's answer.
    fn login(
        &self,
        mount: &str,
        body: &str,
        secrets: &[&str],
    ) -> Result<Zeroizing<String>, Failure> {
        let url = format!("{}/v1/auth/{mount}/login", self.base);
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(ns) = &self.namespace {
            headers.push(("X-Vault-Namespace", ns.as_str()));
        }
        let response = http::send(&self.agent, "POST", &url, &headers, Some(body.as_bytes()))?;
        let redactor = crate::redact::Redactor::new(secrets.iter().map(|s| s.as_bytes()));
        if response.status != 200 {
            return Err(status_failure(
                &format!("login at auth/{mount}"),
                &response,
                &redactor,
            ));
        }
        serde_json::from_slice::<Login>(&response.body)
            .ok()
            .and_then(|l| l.auth)
            .and_then(|a| a.client_token)
            .map(|t| t.0)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Failure::Other(VaultSays::NoLoginToken { mount }.sentence()))
    }
}

/// A failure for a non-200 answer: 401/403 refused, 404 missing, else the status; the
/// server's messages redacted.
fn status_failure(
    what: &str,
    response: &http::Response,
    redactor: &crate::redact::Redactor,
) -> Failure {
    let status = response.status;
    let said = http::errors(&response.body, redactor);
    let sentence = VaultSays::Status {
        what,
        status,
        said: said.as_deref(),
    }
    .sentence();
    match status {
        401 | 403 => Failure::Denied(sentence),
        404 => Failure::NotFound(sentence),
        _ => Failure::Other(sentence),
    }
}

impl Fetch for Vault {
    fn describe(&self) -> String {
        format!("vault {}/{}", self.mount, self.path)
    }

    fn is_optional(&self) -> bool {
        self.optional
    }

    fn fetch(&self, ctx: &Ctx<'_>) -> Result<Fetched, Failure> {
        let session = self.connect(ctx)?;
        let response = http::send(
            &session.agent,
            "GET",
            &self.data_url(&session.base),
            &session.headers(),
            None,
        )?;
        let redactor = crate::redact::Redactor::new([session.token.as_bytes()]);
        if response.status != 200 {
            return Err(status_failure("read", &response, &redactor));
        }
        let read = serde_json::from_slice::<KvRead>(&response.body)
            .map_err(|_| Failure::Other(VaultSays::NotKv2.sentence()))?;
        let data = read.data.unwrap_or_default();
        let version = data.metadata.and_then(|m| m.version);
        // A deleted or destroyed version has no data.
        let Some(members) = data.data else {
            return Err(Failure::NotFound(
                VaultSays::VersionGone { version }.sentence(),
            ));
        };
        let name = self.describe();
        let suffix = version.map(|v| format!(" (v{v})")).unwrap_or_default();
        let entries = members
            .0
            .into_iter()
            .map(|(key, value)| Entry {
                place: format!("{name}#{key}{suffix}"),
                key,
                value: Value::Text(value.0),
                group: 0,
            })
            .collect();
        Ok(Fetched {
            entries,
            ..Fetched::default()
        })
    }

    fn probe(&self, ctx: &Ctx<'_>) -> Result<Option<String>, Failure> {
        if let Some(v) = self.version {
            return Ok(Some(format!("v{v}")));
        }
        let session = self.connect(ctx)?;
        let url = format!("{}/v1/{}/metadata/{}", session.base, self.mount, self.path);
        let response = http::send(&session.agent, "GET", &url, &session.headers(), None)?;
        let redactor = crate::redact::Redactor::new([session.token.as_bytes()]);
        if response.status != 200 {
            return Err(status_failure("metadata", &response, &redactor));
        }
        let version = serde_json::from_slice::<MetaRead>(&response.body)
            .ok()
            .and_then(|m| m.data)
            .and_then(|d| d.current_version);
        Ok(version.map(|v| format!("v{v}")))
    }
}
