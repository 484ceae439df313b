//! [`ValidationError`] without the `url` feature: a copy of validator's type (same fields,
//! same methods), so that `custom` and `schema` functions compile the same with or
//! without validator. With the `url` feature, `confidant::ValidationError` is
//! validator's own type instead.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// The error of a `custom` or `schema` validation function.
///
/// This build has no `url` feature, so this is confidant's copy of
/// `validator::ValidationError`, with the same fields and methods: code written against
/// `confidant::ValidationError` compiles with and without the feature. Only the
/// `message` (else the `code`) is shown in a report, never the `params`.
///
/// ```
/// use confidant::{Settings, ValidationError};
///
/// fn no_localhost(host: &String) -> Result<(), ValidationError> {
///     if host == "localhost" {
///         return Err(ValidationError::new("localhost").with_message("must not be localhost".into()));
///     }
///     Ok(())
/// }
///
/// #[derive(Debug, Settings)]
/// struct Config {
///     #[validate(custom(function = no_localhost))]
///     host: String,
/// }
///
/// let err = Config::fixture().set("host", "localhost").load().unwrap_err();
/// assert_eq!(err.problems()[0].message(), "must not be localhost");
/// ```
#[derive(Debug, PartialEq, Clone, serde::Serialize, serde::Deserialize)]
pub struct ValidationError {
    /// What failed, as a short code (`localhost`): the problem's code.
    pub code: Cow<'static, str>,
    /// The text for a person; shown in the report instead of the code.
    pub message: Option<Cow<'static, str>>,
    /// Extra data for programs; never shown by confidant (it may hold values).
    pub params: HashMap<Cow<'static, str>, Value>,
}

impl ValidationError {
    /// An error with this code, no message and no params.
    ///
    /// ```
    /// let error = confidant::ValidationError::new("too_short");
    /// assert_eq!(error.code, "too_short");
    /// ```
    pub fn new(code: &'static str) -> ValidationError {
        ValidationError {
            code: Cow::from(code),
            message: None,
            params: HashMap::new(),
        }
    }

    /// Adds a parameter, converted to JSON (`null` if it has no JSON form).
    ///
    /// ```
    /// let mut error = confidant::ValidationError::new("too_short");
    /// error.add_param("min".into(), &20);
    /// assert_eq!(error.params["min"], 20);
    /// ```
    pub fn add_param<T: Serialize>(&mut self, name: Cow<'static, str>, val: &T) {
        self.params
            .insert(name, serde_json::to_value(val).unwrap_or(Value::Null));
    }

    /// Sets the message shown instead of the code.
    ///
    /// ```
    /// let error = confidant::ValidationError::new("weak").with_message("must be stronger".into());
    /// assert_eq!(error.to_string(), "must be stronger");
    /// ```
    pub fn with_message(mut self, message: Cow<'static, str>) -> ValidationError {
        self.message = Some(message);
        self
    }
}

impl std::error::Error for ValidationError {}

/// The message, else the code and params, as validator's.
impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(message) => write!(f, "{message}"),
            None => write!(f, "Validation error: {} [{:?}]", self.code, self.params),
        }
    }
}
