//! [`AwsSecretsManager`].

use std::fmt;

use base64::Engine as _;
use zeroize::Zeroizing;

use super::super::fetch::{Ctx, Entry, Failure, Fetch, Fetched, Value};
use super::super::http::{Members, WipedJson, object};
use super::client::Client;
use crate::error::remote::Aws;

/// Secrets of AWS Secrets Manager (feature `aws`): a secret whose `SecretString` is a
/// JSON object of settings, keyed like secrets-directory files (`db__password`,
/// `APP_DB__PASSWORD`); or, with [`setting`](AwsSecretsManager::setting), a secret that
/// holds one setting's value (a `SecretBinary` feeds a `Secret<Vec<u8>>`).
/// [`secrets`](AwsSecretsManager::secrets) reads several (later wins) in one
/// `BatchGetSecretValue` per 20.
///
/// Region from `AWS_REGION` or `AWS_DEFAULT_REGION`; endpoint from
/// `AWS_ENDPOINT_URL_SECRETS_MANAGER`, else `AWS_ENDPOINT_URL`; credentials from the
/// standard chain (environment, shared credentials file and `AWS_PROFILE`, web identity,
/// the container endpoint, IMDSv2), all read from the loader's environment. Every request
/// is signed with SigV4. Origins read `aws-sm prod/myapp#db__password (AWSCURRENT)`.
///
/// ```no_run
/// use confidant::{Secret, Settings};
/// use confidant::remote::AwsSecretsManager;
///
/// #[derive(Debug, Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     api_key: Secret<String>,
///     tls_key: Secret<Vec<u8>>,
/// }
///
/// let cfg = Config::loader()
///     .source(AwsSecretsManager::secret("prod/myapp"))
///     .source(AwsSecretsManager::secret("prod/myapp/tls-key").setting("tls_key"))
///     .load()?;
/// # Ok::<(), confidant::Error>(())
/// ```
#[derive(Clone)]
pub struct AwsSecretsManager {
    ids: Vec<String>,
    setting: Option<String>,
    optional: bool,
}

impl fmt::Debug for AwsSecretsManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsSecretsManager")
            .field("ids", &self.ids)
            .field("setting", &self.setting)
            .field("optional", &self.optional)
            .finish()
    }
}

/// How many ids one `BatchGetSecretValue` takes.
const BATCH: usize = 20;

impl AwsSecretsManager {
    /// One secret, by name or ARN.
    ///
    /// ```
    /// let source = confidant::remote::AwsSecretsManager::secret("prod/myapp");
    /// # let _ = source;
    /// ```
    pub fn secret(id: impl Into<String>) -> AwsSecretsManager {
        AwsSecretsManager {
            ids: vec![id.into()],
            setting: None,
            optional: false,
        }
    }

    /// Several secrets (later wins), read with `BatchGetSecretValue`, 20 per request.
    ///
    /// ```
    /// let source = confidant::remote::AwsSecretsManager::secrets(["prod/shared", "prod/myapp"]);
    /// # let _ = source;
    /// ```
    pub fn secrets<I, S>(ids: I) -> AwsSecretsManager
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        AwsSecretsManager {
            ids: ids.into_iter().map(Into::into).collect(),
            setting: None,
            optional: false,
        }
    }

    /// The secret holds one value, for the setting at this dotted path (`db.password`):
    /// its `SecretString`, or its `SecretBinary`'s bytes.
    ///
    /// ```
    /// let source = confidant::remote::AwsSecretsManager::secret("prod/db-password").setting("db.password");
    /// # let _ = source;
    /// ```
    #[must_use]
    pub fn setting(mut self, path: impl Into<String>) -> AwsSecretsManager {
        self.setting = Some(path.into());
        self
    }

    /// A server that cannot be reached, or a secret that does not exist
    /// (`ResourceNotFoundException`), is a warning instead of a problem; refused
    /// credentials stay a problem.
    ///
    /// ```
    /// let source = confidant::remote::AwsSecretsManager::secret("prod/overrides").optional();
    /// # let _ = source;
    /// ```
    #[must_use]
    pub fn optional(mut self) -> AwsSecretsManager {
        self.optional = true;
        self
    }
}

object!(SecretValue {
    "ARN" => arn: String,
    "Name" => name: String,
    "SecretString" => string: WipedJson,
    "SecretBinary" => binary: WipedJson,
    "VersionStages" => stages: Vec<String>,
});
object!(BatchAnswer {
    "SecretValues" => values: Vec<SecretValue>,
    "Errors" => errors: Vec<BatchError>,
});
object!(BatchError {
    "SecretId" => id: String,
    "ErrorCode" => code: String,
});
object!(Describe {
    "VersionIdsToStages" => versions: VersionMap,
});

/// `VersionIdsToStages`: the version id that holds `AWSCURRENT`.
#[derive(Default)]
pub(crate) struct VersionMap(Option<String>);

impl<'de> serde_core::Deserialize<'de> for VersionMap {
    fn deserialize<D: serde_core::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde_core::de::Visitor<'de> for V {
            type Value = VersionMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of versions to stages")
            }
            fn visit_map<A: serde_core::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<VersionMap, A::Error> {
                let mut current = None;
                while let Some((id, stages)) = map.next_entry::<String, Vec<String>>()? {
                    if stages.iter().any(|s| s == "AWSCURRENT") {
                        current = Some(id);
                    }
                }
                Ok(VersionMap(current))
            }
        }
        d.deserialize_map(V)
    }
}

impl AwsSecretsManager {
    /// The entries of one secret value (`group`: its place among the ids).
    fn entries(&self, value: SecretValue, fetched: &mut Fetched, group: usize) {
        let name = value.name.clone().unwrap_or_default();
        let stage = value
            .stages
            .as_ref()
            .and_then(|s| s.iter().find(|s| *s == "AWSCURRENT").or(s.first()).cloned())
            .unwrap_or_else(|| "AWSCURRENT".to_owned());
        let shown = super::super::fetch::escape_controls(&name);
        if let Some(path) = &self.setting {
            let key = path.replace('.', "__");
            let value = match (value.string, value.binary) {
                (Some(text), _) => Value::Text(text.0),
                (None, Some(b64)) => {
                    match base64::engine::general_purpose::STANDARD.decode(b64.0.as_bytes()) {
                        Ok(bytes) => Value::Bytes(Zeroizing::new(bytes)),
                        Err(_) => {
                            fetched
                                .problems
                                .push(Aws::BinaryNotBase64 { id: &shown }.sentence());
                            return;
                        }
                    }
                }
                (None, None) => {
                    fetched
                        .problems
                        .push(Aws::NoValue { id: &shown }.sentence());
                    return;
                }
            };
            fetched.entries.push(Entry {
                place: format!("aws-sm {shown}#{key} ({stage})"),
                key,
                value,
                group,
            });
            return;
        }
        let Some(text) = value.string else {
            fetched
                .problems
                .push(Aws::BinaryNeedsSetting { id: &shown }.sentence());
            return;
        };
        let Ok(members) = serde_json::from_str::<Members>(&text.0) else {
            fetched
                .problems
                .push(Aws::NotSettingsObject { id: &shown }.sentence());
            return;
        };
        for (key, value) in members.0 {
            fetched.entries.push(Entry {
                place: format!("aws-sm {shown}#{key} ({stage})"),
                key,
                value: Value::Text(value.0),
                group,
            });
        }
    }
}

impl Fetch for AwsSecretsManager {
    fn describe(&self) -> String {
        format!("aws-sm {}", self.ids.join(", "))
    }

    fn is_optional(&self) -> bool {
        self.optional
    }

    fn fetch(&self, ctx: &Ctx<'_>) -> Result<Fetched, Failure> {
        let client = Client::new(&ctx.env, "SECRETS_MANAGER", "secretsmanager")?;
        let mut fetched = Fetched::default();
        if let [id] = self.ids.as_slice() {
            let body =
                serde_json::json!({ "SecretId": id, "VersionStage": "AWSCURRENT" }).to_string();
            let answer = client.call("secretsmanager.GetSecretValue", body.as_bytes())?;
            let value = serde_json::from_slice::<SecretValue>(&answer)
                .map_err(|_| Failure::Other(Aws::NotSecretValue.sentence()))?;
            self.entries(value, &mut fetched, 0);
            return Ok(fetched);
        }
        let mut missing = Vec::new();
        for chunk in self.ids.chunks(BATCH) {
            let body = serde_json::json!({ "SecretIdList": chunk }).to_string();
            let answer = client.call("secretsmanager.BatchGetSecretValue", body.as_bytes())?;
            let batch = serde_json::from_slice::<BatchAnswer>(&answer)
                .map_err(|_| Failure::Other(Aws::NotSecretBatch.sentence()))?;
            for error in batch.errors.unwrap_or_default() {
                let id = super::super::fetch::escape_controls(&error.id.unwrap_or_default());
                let code = error.code.unwrap_or_else(|| "error".to_owned());
                if code == "ResourceNotFoundException" {
                    missing.push(id);
                } else {
                    fetched.problems.push(
                        Aws::SecretError {
                            id: &id,
                            code: &super::super::fetch::escape_controls(&code),
                        }
                        .sentence(),
                    );
                }
            }
            for value in batch.values.unwrap_or_default() {
                let group = self
                    .ids
                    .iter()
                    .position(|id| {
                        Some(id) == value.name.as_ref() || Some(id) == value.arn.as_ref()
                    })
                    .unwrap_or(0);
                self.entries(value, &mut fetched, group);
            }
        }
        for id in missing {
            let message = Aws::SecretNotFound { id: &id }.sentence();
            if self.optional {
                fetched.warnings.push(message);
            } else {
                fetched.problems.push(message);
            }
        }
        Ok(fetched)
    }

    fn probe(&self, ctx: &Ctx<'_>) -> Result<Option<String>, Failure> {
        let client = Client::new(&ctx.env, "SECRETS_MANAGER", "secretsmanager")?;
        let mut versions = Vec::with_capacity(self.ids.len());
        for id in &self.ids {
            let body = serde_json::json!({ "SecretId": id }).to_string();
            let answer = client.call("secretsmanager.DescribeSecret", body.as_bytes())?;
            let described = serde_json::from_slice::<Describe>(&answer).ok();
            versions.push(
                described
                    .and_then(|d| d.versions)
                    .and_then(|v| v.0)
                    .unwrap_or_default(),
            );
        }
        Ok(Some(versions.join(",")))
    }
}
