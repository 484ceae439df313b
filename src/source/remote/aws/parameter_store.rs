//! [`AwsParameterStore`].

use std::fmt;

use super::super::fetch::{Ctx, Entry, Failure, Fetch, Fetched, Value};
use super::super::http::{WipedJson, object};
use super::client::Client;
use crate::error::remote::Aws;

/// The parameters under a path of AWS Systems Manager Parameter Store (feature `aws`):
/// `GetParametersByPath`, recursive, decrypted (`SecureString`s included), every page.
/// `/myapp/prod/db/password` sets `db.password` (the rest of the name is read like a
/// secrets-directory path: `db/password`, `db__password` or `APP_DB__PASSWORD`).
///
/// Region, credentials and signing as
#[cfg_attr(
    feature = "aws",
    doc = "[`AwsSecretsManager`](crate::remote::AwsSecretsManager);"
)]
/// the endpoint from `AWS_ENDPOINT_URL_SSM`, else `AWS_ENDPOINT_URL`. Origins read
/// `ssm /myapp/prod/db/password (v2)`.
///
/// ```no_run
/// # use confidant::Settings;
/// # #[derive(Settings)] struct Config { token: confidant::Secret<String> }
/// use confidant::remote::AwsParameterStore;
/// let cfg = Config::loader().source(AwsParameterStore::path("/myapp/prod")).load()?;
/// # Ok::<(), confidant::Error>(())
/// ```
#[derive(Clone)]
pub struct AwsParameterStore {
    path: String,
    optional: bool,
}

impl fmt::Debug for AwsParameterStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsParameterStore")
            .field("path", &self.path)
            .field("optional", &self.optional)
            .finish()
    }
}

impl AwsParameterStore {
    /// Every parameter under `path` (`/myapp/prod`).
    ///
    /// ```
    /// let source = confidant::remote::AwsParameterStore::path("/myapp/prod");
    /// # let _ = source;
    /// ```
    pub fn path(path: impl Into<String>) -> AwsParameterStore {
        let path = path.into();
        let path = format!("/{}", path.trim_matches('/'));
        AwsParameterStore {
            path,
            optional: false,
        }
    }

    /// A server that cannot be reached, or a path with no parameter, is a warning
    /// instead of a problem; refused credentials stay a problem.
    ///
    /// ```
    /// let source = confidant::remote::AwsParameterStore::path("/myapp/overrides").optional();
    /// # let _ = source;
    /// ```
    #[must_use]
    pub fn optional(mut self) -> AwsParameterStore {
        self.optional = true;
        self
    }
}

object!(Page {
    "Parameters" => parameters: Vec<Parameter>,
    "NextToken" => next: String,
});
object!(Parameter {
    "Name" => name: String,
    "Value" => value: WipedJson,
    "Version" => version: u64,
});

impl Fetch for AwsParameterStore {
    fn describe(&self) -> String {
        format!("ssm {}", self.path)
    }

    fn is_optional(&self) -> bool {
        self.optional
    }

    fn fetch(&self, ctx: &Ctx<'_>) -> Result<Fetched, Failure> {
        let client = Client::new(&ctx.env, "SSM", "ssm")?;
        let mut fetched = Fetched::default();
        let mut next: Option<String> = None;
        loop {
            let mut body = serde_json::json!({
                "Path": self.path,
                "Recursive": true,
                "WithDecryption": true,
                "MaxResults": 10,
            });
            if let Some(token) = &next {
                body["NextToken"] = serde_json::Value::String(token.clone());
            }
            let answer =
                client.call("AmazonSSM.GetParametersByPath", body.to_string().as_bytes())?;
            let page = serde_json::from_slice::<Page>(&answer)
                .map_err(|_| Failure::Other(Aws::NotParameterPage.sentence()))?;
            for p in page.parameters.unwrap_or_default() {
                let (Some(name), Some(value)) = (p.name, p.value) else {
                    continue;
                };
                let key = name
                    .strip_prefix(&self.path)
                    .unwrap_or(&name)
                    .trim_start_matches('/')
                    .to_owned();
                let shown = super::super::fetch::escape_controls(&name);
                let place = match p.version {
                    Some(v) => format!("ssm {shown} (v{v})"),
                    None => format!("ssm {shown}"),
                };
                fetched.entries.push(Entry {
                    key,
                    value: Value::Text(value.0),
                    place,
                    group: 0,
                });
            }
            match page.next.filter(|t| !t.is_empty()) {
                Some(token) => next = Some(token),
                None => break,
            }
        }
        if fetched.entries.is_empty() {
            return Err(Failure::NotFound(
                Aws::NoParameter { path: &self.path }.sentence(),
            ));
        }
        Ok(fetched)
    }

    fn probe(&self, ctx: &Ctx<'_>) -> Result<Option<String>, Failure> {
        let client = Client::new(&ctx.env, "SSM", "ssm")?;
        let mut versions = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let mut body = serde_json::json!({
                "ParameterFilters": [{ "Key": "Path", "Option": "Recursive", "Values": [self.path] }],
                "MaxResults": 50,
            });
            if let Some(token) = &next {
                body["NextToken"] = serde_json::Value::String(token.clone());
            }
            let answer =
                client.call("AmazonSSM.DescribeParameters", body.to_string().as_bytes())?;
            let page = serde_json::from_slice::<Page>(&answer)
                .map_err(|_| Failure::Other(Aws::NotParameterPage.sentence()))?;
            for p in page.parameters.unwrap_or_default() {
                versions.push(format!(
                    "{}:{}",
                    p.name.unwrap_or_default(),
                    p.version.unwrap_or(0)
                ));
            }
            match page.next.filter(|t| !t.is_empty()) {
                Some(token) => next = Some(token),
                None => break,
            }
        }
        versions.sort();
        Ok(Some(versions.join(",")))
    }
}
