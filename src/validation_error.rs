//! [`ValidationError`]: validator's own type with the `url` feature; without it, a copy
//! of validator's type (same fields, same methods), so that `custom` and `schema`
//! functions compile the same with or without validator. The crate names it from here.

#[cfg(not(feature = "url"))]
pub use copy::ValidationError;
#[cfg(feature = "url")]
pub use validator::ValidationError;

#[cfg(not(feature = "url"))]
mod copy {

    use std::borrow::Cow;
    use std::collections::HashMap;
    use std::fmt;

    use serde_core::de::{
        self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
    };
    use serde_core::ser::{Serialize, SerializeStruct as _, Serializer};
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
    #[derive(Debug, PartialEq, Clone)]
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

    // `Serialize` and `Deserialize` as validator's type derives them (the same fields, the
    // same forms: a struct, or a sequence in declaration order; unknown fields ignored, a
    // missing `message` is `None`), written out because this copy is only compiled without
    // validator, in the lean build, where serde's derive macros would be the costliest crate
    // of the tree (docs/performance.md, "Build weight").

    const FIELDS: &[&str] = &["code", "message", "params"];

    impl Serialize for ValidationError {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut state = serializer.serialize_struct("ValidationError", FIELDS.len())?;
            state.serialize_field("code", &self.code)?;
            state.serialize_field("message", &self.message)?;
            state.serialize_field("params", &self.params)?;
            state.end()
        }
    }

    /// A field's name (or, in formats that number fields, its index).
    enum Field {
        Code,
        Message,
        Params,
        Other,
    }

    impl Field {
        fn named(name: &[u8]) -> Field {
            match name {
                b"code" => Field::Code,
                b"message" => Field::Message,
                b"params" => Field::Params,
                _ => Field::Other,
            }
        }
    }

    impl<'de> Deserialize<'de> for Field {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct FieldVisitor;

            impl Visitor<'_> for FieldVisitor {
                type Value = Field;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a field identifier")
                }

                fn visit_u64<E: de::Error>(self, index: u64) -> Result<Field, E> {
                    Ok(match index {
                        0 => Field::Code,
                        1 => Field::Message,
                        2 => Field::Params,
                        _ => Field::Other,
                    })
                }

                fn visit_str<E: de::Error>(self, name: &str) -> Result<Field, E> {
                    Ok(Field::named(name.as_bytes()))
                }

                fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Field, E> {
                    Ok(Field::named(name))
                }
            }

            deserializer.deserialize_identifier(FieldVisitor)
        }
    }

    impl<'de> Deserialize<'de> for ValidationError {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct ErrorVisitor;

            impl<'de> Visitor<'de> for ErrorVisitor {
                type Value = ValidationError;

                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("struct ValidationError")
                }

                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                    const WHOLE: &str = "struct ValidationError with 3 elements";
                    let Some(code) = seq.next_element()? else {
                        return Err(de::Error::invalid_length(0, &WHOLE));
                    };
                    let Some(message) = seq.next_element()? else {
                        return Err(de::Error::invalid_length(1, &WHOLE));
                    };
                    let Some(params) = seq.next_element()? else {
                        return Err(de::Error::invalid_length(2, &WHOLE));
                    };
                    Ok(ValidationError {
                        code,
                        message,
                        params,
                    })
                }

                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut code = None;
                    let mut message = None;
                    let mut params = None;
                    while let Some(field) = map.next_key()? {
                        match field {
                            Field::Code if code.is_some() => {
                                return Err(de::Error::duplicate_field("code"));
                            }
                            Field::Message if message.is_some() => {
                                return Err(de::Error::duplicate_field("message"));
                            }
                            Field::Params if params.is_some() => {
                                return Err(de::Error::duplicate_field("params"));
                            }
                            Field::Code => code = Some(map.next_value()?),
                            Field::Message => message = Some(map.next_value()?),
                            Field::Params => params = Some(map.next_value()?),
                            Field::Other => {
                                map.next_value::<IgnoredAny>()?;
                            }
                        }
                    }
                    Ok(ValidationError {
                        code: code.ok_or_else(|| de::Error::missing_field("code"))?,
                        message: message.unwrap_or_default(),
                        params: params.ok_or_else(|| de::Error::missing_field("params"))?,
                    })
                }
            }

            deserializer.deserialize_struct("ValidationError", FIELDS, ErrorVisitor)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn error() -> ValidationError {
            let mut error = ValidationError::new("too_short").with_message("at least 20".into());
            error.add_param("min".into(), &20);
            error
        }

        #[test]
        fn serializes_as_validator_does() {
            let json = serde_json::to_string(&error()).unwrap();
            assert_eq!(
                json,
                r#"{"code":"too_short","message":"at least 20","params":{"min":20}}"#
            );
            let bare = serde_json::to_string(&ValidationError::new("x")).unwrap();
            assert_eq!(bare, r#"{"code":"x","message":null,"params":{}}"#);
        }

        #[test]
        fn deserializes_what_it_serializes() {
            let json = serde_json::to_string(&error()).unwrap();
            assert_eq!(
                serde_json::from_str::<ValidationError>(&json).unwrap(),
                error()
            );
            // The sequence form, in declaration order.
            let seq: ValidationError =
                serde_json::from_str(r#"["too_short", "at least 20", {"min": 20}]"#).unwrap();
            assert_eq!(seq, error());
        }

        #[test]
        fn missing_message_is_none_and_unknown_fields_are_ignored() {
            let error: ValidationError =
                serde_json::from_str(r#"{"extra": [1], "params": {}, "code": "x"}"#).unwrap();
            assert_eq!(error, ValidationError::new("x"));
        }

        #[test]
        fn missing_and_repeated_fields_are_errors() {
            // The messages are validator's (its derive's), checked against validator 0.21.
            let error = |json| {
                serde_json::from_str::<ValidationError>(json)
                    .unwrap_err()
                    .to_string()
            };
            assert!(error(r#"{"params": {}}"#).contains("missing field `code`"));
            assert!(error(r#"{"code": "x"}"#).contains("missing field `params`"));
            assert!(error(r#"{"code": "x", "code": "y"}"#).contains("duplicate field `code`"));
            assert!(
                error(r#"["x"]"#)
                    .contains("invalid length 1, expected struct ValidationError with 3 elements")
            );
        }
    }
}
