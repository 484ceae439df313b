//! The one blocking HTTP client of the remote sources (ureq with rustls, no async
//! runtime), the `http://`-only-to-loopback rule, and JSON read into wiped buffers.

use std::time::Duration;

use serde_core::Deserialize;
use serde_core::de::{MapAccess, Visitor};
use zeroize::Zeroizing;

use super::fetch::{Env, Failure};
use crate::error::remote::{Http, Transport};

/// The most a response body may hold.
const MAX_BODY: u64 = 4 * 1024 * 1024;

/// An address checked for its scheme: `https://`, or `http://` to a loopback host.
pub(crate) struct Address {
    /// Without a trailing `/`.
    pub base: String,
    pub loopback: bool,
}

impl Address {
    /// Checks `url`; the error names what is wrong, never the whole URL (it may hold
    /// user information).
    pub fn parse(url: &str) -> Result<Address, Failure> {
        Address::parse_allowing(url, false)
    }

    /// Like [`parse`](Address::parse), also allowing `http://` to the link-local
    /// addresses of AWS's credential endpoints (the container endpoint `169.254.170.2`
    /// and `169.254.170.23`, the instance metadata service `169.254.169.254` and
    /// `fd00:ec2::254`), which serve plain HTTP inside the host.
    #[cfg(feature = "aws")]
    pub fn parse_metadata(url: &str) -> Result<Address, Failure> {
        Address::parse_allowing(url, true)
    }

    fn parse_allowing(url: &str, metadata: bool) -> Result<Address, Failure> {
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| Failure::Other(Http::BadScheme.sentence()))?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if authority.contains('@') {
            return Err(Failure::Other(Http::UserInfo.sentence()));
        }
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => authority.split(':').next().unwrap_or(""),
        };
        let loopback = is_loopback(host);
        let link_local = metadata
            && matches!(
                host,
                "169.254.170.2" | "169.254.170.23" | "169.254.169.254" | "fd00:ec2::254"
            );
        match scheme.to_ascii_lowercase().as_str() {
            "https" => {}
            "http" if loopback || link_local => {}
            "http" => {
                return Err(Failure::Other(
                    Http::Insecure {
                        host: &super::fetch::escape_controls(host),
                    }
                    .sentence(),
                ));
            }
            _ => {
                return Err(Failure::Other(Http::BadScheme.sentence()));
            }
        }
        Ok(Address {
            base: url.trim_end_matches('/').to_owned(),
            loopback,
        })
    }
}

/// `127.0.0.0/8`, `::1`, `localhost`.
fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// An agent for one load: no proxy to a loopback address, the roots of `cacert` (a
/// PEM file) when given, and a bound on every call.
pub(crate) fn agent(address: &Address, cacert: Option<&str>) -> Result<ureq::Agent, Failure> {
    agent_config(address, cacert, Duration::from_secs(5))
}

/// An agent whose connections give up after `connect` (the instance metadata service,
/// absent off EC2).
#[cfg(feature = "aws")]
pub(crate) fn agent_with_timeout(
    address: &Address,
    connect: Duration,
) -> Result<ureq::Agent, Failure> {
    agent_config(address, None, connect)
}

fn agent_config(
    address: &Address,
    cacert: Option<&str>,
    connect: Duration,
) -> Result<ureq::Agent, Failure> {
    let mut config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(15)))
        .timeout_connect(Some(connect));
    if address.loopback {
        config = config.proxy(None);
    }
    if let Some(path) = cacert {
        let pem = std::fs::read(path).map_err(|err| {
            Failure::Other(
                Http::CaUnreadable {
                    path,
                    why: &crate::error::path_failure(err.kind()),
                }
                .sentence(),
            )
        })?;
        let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(Failure::Other(Http::CaEmpty { path }.sentence()));
        }
        config = config.tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(certs)))
                .build(),
        );
    }
    Ok(config.build().new_agent())
}

/// A response: its status and its body, wiped when dropped.
pub(crate) struct Response {
    pub status: u16,
    pub body: Zeroizing<Vec<u8>>,
}

/// Sends `request` (a body when `Some`) and reads the whole answer.
pub(crate) fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<Response, Failure> {
    let result = match (method, body) {
        ("GET", _) => {
            let mut request = agent.get(url);
            for (k, v) in headers {
                request = request.header(*k, *v);
            }
            request.call()
        }
        ("PUT", body) => {
            let mut request = agent.put(url);
            for (k, v) in headers {
                request = request.header(*k, *v);
            }
            request.send(body.unwrap_or(&[]))
        }
        (_, body) => {
            let mut request = agent.post(url);
            for (k, v) in headers {
                request = request.header(*k, *v);
            }
            request.send(body.unwrap_or(&[]))
        }
    };
    let mut response = result.map_err(unreachable)?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_BODY)
        .read_to_vec()
        .map(Zeroizing::new)
        .map_err(unreachable)?;
    Ok(Response { status, body })
}

/// A transport failure: what ureq says, which names no body.
fn unreachable(err: ureq::Error) -> Failure {
    let other;
    let what = match &err {
        ureq::Error::Io(io) => Transport::Io(io.kind()),
        ureq::Error::Timeout(_) => Transport::TimedOut,
        ureq::Error::HostNotFound => Transport::HostNotFound,
        ureq::Error::ConnectionFailed => Transport::ConnectionFailed,
        ureq::Error::BodyExceedsLimit(n) => Transport::TooLarge(*n),
        err => {
            other = super::fetch::escape_controls(&err.to_string());
            Transport::Other(&other)
        }
    };
    Failure::Unreachable(Http::Unreachable(what).sentence())
}

/// A variable of the loader's environment, empty counting as unset.
pub(crate) fn var(env: &Env<'_>, names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| env.get(n).filter(|v| !v.is_empty()))
}

// ---- JSON into wiped buffers -------------------------------------------------------

/// A JSON value as text, wiped when dropped: a string as its content, anything else
/// as its JSON.
pub(crate) struct WipedJson(pub Zeroizing<String>);

impl<'de> Deserialize<'de> for WipedJson {
    fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WipedJson;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<WipedJson, E> {
                Ok(WipedJson(Zeroizing::new(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<WipedJson, E> {
                Ok(WipedJson(Zeroizing::new(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<WipedJson, E> {
                Ok(WipedJson(Zeroizing::new(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<WipedJson, E> {
                Ok(WipedJson(Zeroizing::new(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<WipedJson, E> {
                Ok(WipedJson(Zeroizing::new(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<WipedJson, E> {
                Ok(WipedJson(Zeroizing::new(v.to_string())))
            }
            fn visit_unit<E>(self) -> Result<WipedJson, E> {
                Ok(WipedJson(Zeroizing::new(String::new())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<WipedJson, A::Error> {
                let value = serde_json::Value::deserialize(
                    serde_core::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(WipedJson(Zeroizing::new(value.to_string())))
            }
            fn visit_seq<A: serde_core::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> Result<WipedJson, A::Error> {
                let value = serde_json::Value::deserialize(
                    serde_core::de::value::SeqAccessDeserializer::new(seq),
                )?;
                Ok(WipedJson(Zeroizing::new(value.to_string())))
            }
        }
        d.deserialize_any(V)
    }
}

/// A JSON object's members in order, each value wiped when dropped.
pub(crate) struct Members(pub Vec<(String, WipedJson)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, WipedJson>()? {
                    out.push(entry);
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A JSON object read into a struct of `Option` fields by name, other members skipped
/// (the crate does not use serde's derive).
macro_rules! object {
    ($(#[$m:meta])* $name:ident { $($field:literal => $var:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Default)]
        pub(crate) struct $name { $(pub $var: Option<$ty>),* }

        impl<'de> serde_core::Deserialize<'de> for $name {
            fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde_core::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a JSON object")
                    }
                    fn visit_map<A: serde_core::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                            match &*key {
                                $($field => out.$var = map.next_value()?,)*
                                _ => {
                                    map.next_value::<serde_core::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
}
pub(crate) use object;

#[cfg(feature = "vault")]
object!(
    /// `{"errors": [...]}`, Vault's error answer.
    Errors { "errors" => errors: Vec<String> }
);

/// A server's error messages, redacted and escaped, joined; `None` when it gave none.
#[cfg(feature = "vault")]
pub(crate) fn errors(body: &[u8], redactor: &crate::redact::Redactor) -> Option<String> {
    let errors = serde_json::from_slice::<Errors>(body).ok()?.errors?;
    let shown: Vec<String> = errors
        .iter()
        .filter(|e| !e.is_empty())
        // One line: a multi-line message (Go's `1 error occurred:\n\t* ...`) joined by
        // spaces, then any other control character escaped.
        .map(|e| {
            let e = e.split_whitespace().collect::<Vec<_>>().join(" ");
            super::fetch::escape_controls(&redactor.redact(&e))
        })
        .filter(|e| !e.is_empty())
        .collect();
    (!shown.is_empty()).then(|| shown.join("; "))
}
