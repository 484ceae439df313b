//! What every AWS request shares: the region, the endpoint, the signed client.

use zeroize::Zeroizing;

use super::super::fetch::{Env, Failure};
use super::super::http::{self, Address, object};
use super::credentials::{self, Credentials};
use super::sigv4;
use crate::error::remote::Aws;

/// `AWS_REGION`, else `AWS_DEFAULT_REGION`.
pub(crate) fn region(env: &Env<'_>) -> Result<String, Failure> {
    http::var(env, &["AWS_REGION", "AWS_DEFAULT_REGION"])
        .ok_or_else(|| Failure::Other(Aws::NoRegion.sentence()))
}

/// One service's client for one load: address, region, credentials.
pub(crate) struct Client {
    agent: ureq::Agent,
    base: String,
    host: String,
    region: String,
    service: &'static str,
    credentials: Credentials,
}

object!(AwsError {
    "__type" => kind: String,
    "message" => message: String,
    "Message" => message_upper: String,
});

impl Client {
    /// `service_var` names the endpoint variable (`SECRETS_MANAGER`), `service` signs.
    pub(crate) fn new(
        env: &Env<'_>,
        service_var: &str,
        service: &'static str,
    ) -> Result<Client, Failure> {
        let region = region(env)?;
        let url = credentials::endpoint(env, service_var, service, &region);
        let address = Address::parse(&url)?;
        let host = host_of(&address.base);
        let agent = http::agent(&address, None)?;
        let credentials = credentials::resolve(env, &region)?;
        Ok(Client {
            agent,
            base: address.base,
            host,
            region,
            service,
            credentials,
        })
    }

    /// A JSON-protocol call (`X-Amz-Target: <target>`); the answer's body, or a failure
    /// naming the error code, with the server's message redacted.
    pub(crate) fn call(&self, target: &str, body: &[u8]) -> Result<Zeroizing<Vec<u8>>, Failure> {
        let content_type = "application/x-amz-json-1.1";
        let signed = sigv4::sign(
            &sigv4::Request {
                method: "POST",
                host: &self.host,
                path: "/",
                headers: &[("content-type", content_type), ("x-amz-target", target)],
                body,
            },
            &self.credentials,
            &self.region,
            self.service,
            std::time::SystemTime::now(),
        );
        let mut headers: Vec<(&str, &str)> =
            vec![("Content-Type", content_type), ("X-Amz-Target", target)];
        headers.extend(signed.iter().map(|(k, v)| (*k, v.as_str())));
        let response = http::send(
            &self.agent,
            "POST",
            &format!("{}/", self.base),
            &headers,
            Some(body),
        )?;
        if response.status == 200 {
            return Ok(response.body);
        }
        Err(self.failure(&response))
    }

    pub(crate) fn failure(&self, response: &http::Response) -> Failure {
        let status = response.status;
        let (code, message) = match serde_json::from_slice::<AwsError>(&response.body) {
            Ok(e) => (
                e.kind
                    .map(|k| k.rsplit('#').next().unwrap_or("").to_owned()),
                e.message.or(e.message_upper),
            ),
            // The query-protocol shape (`<Code>` in XML), which some auth errors take.
            Err(_) => {
                let text = String::from_utf8_lossy(&response.body);
                (
                    xml_tag(&text, "Code").map(str::to_owned),
                    xml_tag(&text, "Message").map(str::to_owned),
                )
            }
        };
        let code = code.unwrap_or_else(|| "error".to_owned());
        let redactor = crate::redact::Redactor::new(self.credentials.secrets());
        let said = message.map(|m| {
            let m = m.split_whitespace().collect::<Vec<_>>().join(" ");
            let m: String = m.chars().take(300).collect();
            super::super::fetch::escape_controls(&redactor.redact(&m))
        });
        let code_shown = super::super::fetch::escape_controls(&code);
        let text = Aws::ApiError {
            code: &code_shown,
            status,
            said: said.as_deref(),
        }
        .sentence();
        match code.as_str() {
            "ResourceNotFoundException" | "ParameterNotFound" => Failure::NotFound(text),
            "AccessDeniedException"
            | "UnrecognizedClientException"
            | "InvalidSignatureException"
            | "SignatureDoesNotMatch"
            | "InvalidClientTokenId"
            | "ExpiredTokenException"
            | "IncompleteSignature"
            | "MissingAuthenticationToken" => Failure::Denied(text),
            _ if status == 401 || status == 403 => Failure::Denied(text),
            _ => Failure::Other(text),
        }
    }
}

pub(crate) fn xml_tag<'t>(text: &'t str, tag: &str) -> Option<&'t str> {
    let open = format!("<{tag}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{tag}>"))? + start;
    Some(&text[start..end])
}

/// The `Host` header ureq sends for `base`: its authority without a default port.
pub(crate) fn host_of(base: &str) -> String {
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    let authority = rest.split('/').next().unwrap_or(rest);
    let default = if scheme.eq_ignore_ascii_case("https") {
        ":443"
    } else {
        ":80"
    };
    authority
        .strip_suffix(default)
        .unwrap_or(authority)
        .to_owned()
}
