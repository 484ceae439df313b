//! The value layer (docs/design.md, "Layers"): one value's text turned into its type
//! (`parse`), what a type is (`shape`: the secrecy probe), a value turned back into
//! settings text (`to_text`), the redactor's scan of a value's secrets (`secrets`) and
//! the `#[validate]` rules (`validate`). Per-type conversions only: nothing here knows
//! the plan or a load. Generated code reaches these items through `__private`; the
//! crate's own modules import them from here.

pub(crate) mod parse;
pub(crate) mod secrets;
pub(crate) mod shape;
pub(crate) mod to_text;
pub(crate) mod validate;
