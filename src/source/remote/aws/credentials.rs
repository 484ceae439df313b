//! The standard AWS credential chain, read from the loader's environment: environment
//! variables, the shared credentials file, web identity (STS), the container endpoint,
//! IMDSv2. Every secret in a wiped buffer; none in any `Debug`.

use std::path::PathBuf;
use std::time::Duration;

use zeroize::Zeroizing;

use super::super::fetch::{Env, Failure};
use super::super::http::{self, Address, object};
use crate::error::remote::{Aws, AwsEndpoint};

/// A key pair, and a session token for temporary credentials.
#[derive(Clone)]
pub(crate) struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: Zeroizing<String>,
    pub session_token: Option<Zeroizing<String>>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials([REDACTED])")
    }
}

impl Credentials {
    /// Every secret part, for redacting a server's message.
    pub fn secrets(&self) -> Vec<&[u8]> {
        let mut out = vec![self.secret_access_key.as_bytes()];
        if let Some(t) = &self.session_token {
            out.push(t.as_bytes());
        }
        out
    }
}

/// Finds credentials as the AWS SDKs do; `region` and `sts` (the STS endpoint) for web
/// identity.
pub(crate) fn resolve(env: &Env<'_>, region: &str) -> Result<Credentials, Failure> {
    // 1. The environment.
    if let (Some(id), Some(secret)) = (
        http::var(env, &["AWS_ACCESS_KEY_ID"]),
        env.secret("AWS_SECRET_ACCESS_KEY"),
    ) {
        return Ok(Credentials {
            access_key_id: id,
            secret_access_key: secret,
            session_token: env.secret("AWS_SESSION_TOKEN"),
        });
    }
    // 2. The shared credentials file, when it has the profile.
    if let Some(found) = shared_file(env)? {
        return Ok(found);
    }
    // 3. Web identity through STS.
    if let (Some(token_file), Some(role)) = (
        http::var(env, &["AWS_WEB_IDENTITY_TOKEN_FILE"]),
        http::var(env, &["AWS_ROLE_ARN"]),
    ) {
        return web_identity(env, region, &token_file, &role);
    }
    // 4. The container endpoint (ECS, EKS Pod Identity).
    if let Some(url) = container_url(env) {
        return container(env, &url);
    }
    // 5. IMDSv2, unless disabled.
    if http::var(env, &["AWS_EC2_METADATA_DISABLED"])
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return Err(none_found());
    }
    imds(env)
}

fn none_found() -> Failure {
    Failure::Denied(Aws::NoCredentials.sentence())
}

/// `[profile]` of `AWS_SHARED_CREDENTIALS_FILE` (else `~/.aws/credentials`);
/// `AWS_PROFILE` (else `default`). `None` when the file or the profile is absent.
fn shared_file(env: &Env<'_>) -> Result<Option<Credentials>, Failure> {
    let path = match http::var(env, &["AWS_SHARED_CREDENTIALS_FILE"]) {
        Some(p) => PathBuf::from(p),
        None => match http::var(env, &["HOME"]) {
            Some(home) => PathBuf::from(home).join(".aws").join("credentials"),
            None => return Ok(None),
        },
    };
    let profile = http::var(env, &["AWS_PROFILE"]).unwrap_or_else(|| "default".to_owned());
    let text = match std::fs::read(&path) {
        Ok(bytes) => Zeroizing::new(bytes),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(Failure::Denied(
                Aws::SharedFileUnreadable {
                    path: &crate::origin::shown_path(&path),
                    why: &crate::error::path_failure(err.kind()),
                }
                .sentence(),
            ));
        }
    };
    let text = std::str::from_utf8(&text).map_err(|_| {
        Failure::Denied(
            Aws::SharedFileNotUtf8 {
                path: &path.display().to_string(),
            }
            .sentence(),
        )
    })?;
    let mut in_profile = false;
    let mut id = None;
    let mut secret = None;
    let mut token = None;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_profile = name.trim() == profile;
            continue;
        }
        if !in_profile {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let v = v.trim();
            match k.trim().to_ascii_lowercase().as_str() {
                "aws_access_key_id" => id = Some(v.to_owned()),
                "aws_secret_access_key" => secret = Some(Zeroizing::new(v.to_owned())),
                "aws_session_token" => token = Some(Zeroizing::new(v.to_owned())),
                _ => {}
            }
        }
    }
    match (id, secret) {
        (Some(access_key_id), Some(secret_access_key)) => Ok(Some(Credentials {
            access_key_id,
            secret_access_key,
            session_token: token,
        })),
        _ => Ok(None),
    }
}

/// `AssumeRoleWithWebIdentity` (not signed: the token is the proof).
fn web_identity(
    env: &Env<'_>,
    region: &str,
    token_file: &str,
    role: &str,
) -> Result<Credentials, Failure> {
    let token = Zeroizing::new(std::fs::read_to_string(token_file).map_err(|err| {
        Failure::Denied(
            Aws::WebIdentityFileUnreadable {
                path: token_file,
                why: &crate::error::path_failure(err.kind()),
            }
            .sentence(),
        )
    })?);
    let endpoint = endpoint(env, "STS", "sts", region);
    let address = Address::parse(&endpoint)?;
    let agent = http::agent(&address, None)?;
    let session =
        http::var(env, &["AWS_ROLE_SESSION_NAME"]).unwrap_or_else(|| "confidant".to_owned());
    let body = Zeroizing::new(format!(
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn={}&RoleSessionName={}&WebIdentityToken={}",
        encode(role),
        encode(&session),
        encode(token.trim())
    ));
    let response = http::send(
        &agent,
        "POST",
        &format!("{}/", address.base),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(body.as_bytes()),
    )?;
    let text = std::str::from_utf8(&response.body).unwrap_or("");
    if response.status != 200 {
        let code = xml_text(text, "Code").unwrap_or("error");
        return Err(Failure::Denied(
            Aws::StsStatus {
                status: response.status,
                code: &super::super::fetch::escape_controls(code),
            }
            .sentence(),
        ));
    }
    match (
        xml_text(text, "AccessKeyId"),
        xml_text(text, "SecretAccessKey"),
        xml_text(text, "SessionToken"),
    ) {
        (Some(id), Some(secret), token) => Ok(Credentials {
            access_key_id: id.to_owned(),
            secret_access_key: Zeroizing::new(secret.to_owned()),
            session_token: token.map(|t| Zeroizing::new(t.to_owned())),
        }),
        _ => Err(Failure::Denied(Aws::StsNoCredentials.sentence())),
    }
}

/// The text of the first `<tag>...</tag>` of an STS answer (three flat elements of a
/// fixed schema; no XML library for them).
fn xml_text<'t>(text: &'t str, tag: &str) -> Option<&'t str> {
    let open = format!("<{tag}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{tag}>"))? + start;
    Some(text[start..end].trim())
}

/// Percent-encoding of a form value (RFC 3986 unreserved kept).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn container_url(env: &Env<'_>) -> Option<String> {
    if let Some(full) = http::var(env, &["AWS_CONTAINER_CREDENTIALS_FULL_URI"]) {
        return Some(full);
    }
    http::var(env, &["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"])
        .map(|rel| format!("http://169.254.170.2{rel}"))
}

object!(ContainerCreds {
    "AccessKeyId" => access_key_id: String,
    "SecretAccessKey" => secret_access_key: http::WipedJson,
    "Token" => token: http::WipedJson,
});

/// The container endpoint: its JSON credentials, with `AWS_CONTAINER_AUTHORIZATION_TOKEN`
/// (or `_FILE`) as the `Authorization` header.
fn container(env: &Env<'_>, url: &str) -> Result<Credentials, Failure> {
    let address = Address::parse_metadata(url)?;
    let agent = http::agent(&address, None)?;
    let auth = match http::var(env, &["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]) {
        Some(file) => Some(Zeroizing::new(
            std::fs::read_to_string(&file)
                .map_err(|err| {
                    Failure::Denied(
                        Aws::ContainerTokenUnreadable {
                            path: &file,
                            why: &crate::error::path_failure(err.kind()),
                        }
                        .sentence(),
                    )
                })?
                .trim()
                .to_owned(),
        )),
        None => env.secret("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
    };
    let mut headers = Vec::new();
    if let Some(auth) = &auth {
        headers.push(("Authorization", auth.as_str()));
    }
    let response = http::send(&agent, "GET", url, &headers, None)?;
    if response.status != 200 {
        return Err(Failure::Denied(
            Aws::EndpointStatus {
                endpoint: AwsEndpoint::Container,
                status: response.status,
            }
            .sentence(),
        ));
    }
    parse_json_creds(&response.body, AwsEndpoint::Container)
}

fn parse_json_creds(body: &[u8], endpoint: AwsEndpoint) -> Result<Credentials, Failure> {
    let creds = serde_json::from_slice::<ContainerCreds>(body).ok();
    match creds {
        Some(ContainerCreds {
            access_key_id: Some(id),
            secret_access_key: Some(secret),
            token,
        }) => Ok(Credentials {
            access_key_id: id,
            secret_access_key: secret.0,
            session_token: token.map(|t| t.0).filter(|t| !t.is_empty()),
        }),
        _ => Err(Failure::Denied(
            Aws::EndpointNoCredentials { endpoint }.sentence(),
        )),
    }
}

/// IMDSv2: a session token (PUT), the role's name, its credentials.
fn imds(env: &Env<'_>) -> Result<Credentials, Failure> {
    let base = http::var(env, &["AWS_EC2_METADATA_SERVICE_ENDPOINT"])
        .unwrap_or_else(|| "http://169.254.169.254".to_owned());
    let address = Address::parse_metadata(&base)?;
    let agent = http::agent_with_timeout(&address, Duration::from_secs(1))?;
    let base = address.base;
    let token = http::send(
        &agent,
        "PUT",
        &format!("{base}/latest/api/token"),
        &[("X-aws-ec2-metadata-token-ttl-seconds", "21600")],
        Some(b""),
    )
    .map_err(|_| none_found())?;
    if token.status != 200 {
        return Err(none_found());
    }
    let token = Zeroizing::new(String::from_utf8_lossy(&token.body).trim().to_owned());
    let headers = [("X-aws-ec2-metadata-token", token.as_str())];
    let roles = http::send(
        &agent,
        "GET",
        &format!("{base}/latest/meta-data/iam/security-credentials/"),
        &headers,
        None,
    )?;
    let role = String::from_utf8_lossy(&roles.body)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_owned();
    if roles.status != 200 || role.is_empty() {
        return Err(Failure::Denied(Aws::NoRole.sentence()));
    }
    let creds = http::send(
        &agent,
        "GET",
        &format!("{base}/latest/meta-data/iam/security-credentials/{role}"),
        &headers,
        None,
    )?;
    if creds.status != 200 {
        return Err(Failure::Denied(
            Aws::EndpointStatus {
                endpoint: AwsEndpoint::Instance,
                status: creds.status,
            }
            .sentence(),
        ));
    }
    parse_json_creds(&creds.body, AwsEndpoint::Instance)
}

/// `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`, else the public endpoint.
pub(crate) fn endpoint(env: &Env<'_>, service_var: &str, prefix: &str, region: &str) -> String {
    http::var(
        env,
        &[
            &format!("AWS_ENDPOINT_URL_{service_var}"),
            "AWS_ENDPOINT_URL",
        ],
    )
    .unwrap_or_else(|| format!("https://{prefix}.{region}.amazonaws.com"))
}
