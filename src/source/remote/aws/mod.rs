//! AWS sources (feature `aws`): Secrets Manager and Parameter Store over their JSON
//! APIs, every request signed with SigV4 ([`sigv4`]), credentials from the standard
//! chain ([`credentials`]). No SDK, no async runtime.

mod client;
pub(crate) mod credentials;
mod parameter_store;
mod secrets_manager;
pub(crate) mod sigv4;

pub use parameter_store::AwsParameterStore;
pub use secrets_manager::AwsSecretsManager;
