//! `Settings::json_schema` and `Settings::docs_markdown`: the settings described from
//! the static description (`META`) alone. No value is read, so no secret can appear.
//!
//! Types come from the field's type as written: integers, numbers, booleans, strings
//! (also paths, addresses, `char`), arrays for lists and sets, objects for maps; any
//! other type (an enum or struct read as JSON, a `Duration`) gets no `type` keyword,
//! since the schema cannot know its JSON shape.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::meta::{DefaultShown, Field, RuleMeta};
use crate::plan::{Node, Plan, Section};

/// The JSON Schema (2020-12) of a settings struct, pretty-printed, ending in a newline.
pub(crate) fn json_schema(plan: &Plan) -> String {
    let meta = plan.meta;
    let mut schema = Map::new();
    schema.insert(
        "$schema".into(),
        "https://json-schema.org/draft/2020-12/schema".into(),
    );
    schema.insert("title".into(), meta.name.into());
    let Value::Object(body) = object(plan, plan.top(), meta.doc) else {
        unreachable!("object() builds an object")
    };
    schema.extend(body);
    let mut text = serde_json::to_string_pretty(&Value::Object(schema)).unwrap_or_default();
    text.push('\n');
    text
}

/// One struct (a section of the plan) as an object schema.
///
/// No `required` list: the schema validates a config file, which holds only some of the
/// settings (the keys stay in the environment or a secrets directory), and the load
/// itself reports a required setting no layer sets. A required setting is marked
/// `x-required: true` instead, for documentation tools.
fn object(plan: &Plan, section: &Section, doc: &str) -> Value {
    let mut properties = Map::new();
    for &node in &section.children {
        let (name, schema) = match node {
            Node::Section(index) => {
                let nested = &plan.sections[index];
                let field_doc = nested.field.map_or("", |f| f.doc);
                let doc = if field_doc.is_empty() {
                    nested.meta.doc
                } else {
                    field_doc
                };
                (nested.name(), object(plan, nested, doc))
            }
            Node::Leaf(index) => {
                let setting = &plan.leaves[index];
                let field = setting.field;
                let mut schema = leaf(field, setting.env());
                if is_required(field)
                    && let Value::Object(map) = &mut schema
                {
                    map.insert("x-required".into(), true.into());
                }
                (field.name, schema)
            }
        };
        properties.insert(name.into(), schema);
    }
    let mut out = Map::new();
    if !doc.is_empty() {
        out.insert("description".into(), doc.into());
    }
    out.insert("type".into(), "object".into());
    out.insert("properties".into(), Value::Object(properties));
    out.insert("additionalProperties".into(), false.into());
    Value::Object(out)
}

fn is_required(field: &Field) -> bool {
    !field.optional && field.default.is_none()
}

/// The JSON shape of a Rust type as written.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Integer { min: Option<i64>, max: Option<i64> },
    Number,
    Boolean,
    String,
    Array { items: Box<Shape>, unique: bool },
    Map { values: Box<Shape> },
    Unknown,
}

impl Shape {
    fn name(&self) -> Option<&'static str> {
        Some(match self {
            Shape::Integer { .. } => "integer",
            Shape::Number => "number",
            Shape::Boolean => "boolean",
            Shape::String => "string",
            Shape::Array { .. } => "array",
            Shape::Map { .. } => "object",
            Shape::Unknown => return None,
        })
    }

    fn schema(&self) -> Map<String, Value> {
        let mut out = Map::new();
        if let Some(name) = self.name() {
            out.insert("type".into(), name.into());
        }
        match self {
            Shape::Integer { min, max } => {
                if let Some(min) = min {
                    out.insert("minimum".into(), (*min).into());
                }
                if let Some(max) = max {
                    out.insert("maximum".into(), (*max).into());
                }
            }
            Shape::Array { items, unique } => {
                out.insert("items".into(), Value::Object(items.schema()));
                if *unique {
                    out.insert("uniqueItems".into(), true.into());
                }
            }
            Shape::Map { values } => {
                out.insert(
                    "additionalProperties".into(),
                    Value::Object(values.schema()),
                );
            }
            _ => {}
        }
        out
    }
}

/// Splits `Name<A, B>` into `Name` (last path segment) and its top-level arguments.
fn split_generic(ty: &str) -> (&str, Vec<&str>) {
    let ty = ty.trim();
    let Some(open) = ty.find('<') else {
        return (last_segment(ty), Vec::new());
    };
    let name = last_segment(&ty[..open]);
    let inner = ty[open + 1..].strip_suffix('>').unwrap_or(&ty[open + 1..]);
    let mut args = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                args.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() {
        args.push(inner[start..].trim());
    }
    (name, args)
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path).trim()
}

/// The value type of a field's type: without `Option`, `Secret`, `Box`.
fn value_type(ty: &str) -> &str {
    let (name, args) = split_generic(ty);
    match (name, args.as_slice()) {
        ("Option" | "Secret" | "SecretBox" | "Box", [inner]) => value_type(inner),
        ("SecretString", []) => "String",
        _ => ty.trim(),
    }
}

fn shape(ty: &str) -> Shape {
    let ty = value_type(ty);
    if let Some(inner) = ty.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        let item = inner.split(';').next().unwrap_or(inner);
        return Shape::Array {
            items: Box::new(shape(item)),
            unique: false,
        };
    }
    let (name, args) = split_generic(ty);
    let bits = |min: i64, max: i64| Shape::Integer {
        min: Some(min),
        max: Some(max),
    };
    match (name, args.as_slice()) {
        ("u8", []) => bits(0, u8::MAX.into()),
        ("u16", []) => bits(0, u16::MAX.into()),
        ("u32", []) => bits(0, u32::MAX.into()),
        ("u64" | "u128" | "usize", []) => Shape::Integer {
            min: Some(0),
            max: None,
        },
        ("i8", []) => bits(i8::MIN.into(), i8::MAX.into()),
        ("i16", []) => bits(i16::MIN.into(), i16::MAX.into()),
        ("i32", []) => bits(i32::MIN.into(), i32::MAX.into()),
        ("i64" | "i128" | "isize", []) => Shape::Integer {
            min: None,
            max: None,
        },
        ("f32" | "f64", []) => Shape::Number,
        ("bool", []) => Shape::Boolean,
        (
            "String" | "str" | "char" | "PathBuf" | "OsString" | "IpAddr" | "Ipv4Addr" | "Ipv6Addr"
            | "SocketAddr" | "SocketAddrV4" | "SocketAddrV6" | "Url" | "Uri" | "Cow",
            _,
        ) => Shape::String,
        ("Vec" | "VecDeque", [item]) => Shape::Array {
            items: Box::new(shape(item)),
            unique: false,
        },
        ("HashSet" | "BTreeSet", [item, ..]) => Shape::Array {
            items: Box::new(shape(item)),
            unique: true,
        },
        ("HashMap" | "BTreeMap", [_, values, ..]) => Shape::Map {
            values: Box::new(shape(values)),
        },
        _ => Shape::Unknown,
    }
}

/// A number written in a rule bound or default, as JSON.
fn number(text: &str) -> Option<Value> {
    let text: String = text.chars().filter(|c| *c != '_').collect();
    // Literal suffixes: `5u16`, `0.5f64`.
    let text = [
        "u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize", "f32", "f64",
    ]
    .iter()
    .find_map(|s| text.strip_suffix(s))
    .unwrap_or(&text);
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Number(_)) => Some(v),
        _ => None,
    }
}

/// A default as JSON of the field's type where it parses, else its text. Only a value
/// written as one (a literal, a string, `default`): an expression default
/// (`Duration::from_secs(30)`, `default_port()`) is Rust source, and writes none.
fn default_value(field: &Field, shape: &Shape) -> Option<Value> {
    match field.default? {
        DefaultShown::Expr(_) => None,
        DefaultShown::Trait => Some(match shape {
            Shape::Integer { .. } => 0.into(),
            Shape::Number => 0.0.into(),
            Shape::Boolean => false.into(),
            Shape::String => "".into(),
            Shape::Array { .. } => Value::Array(Vec::new()),
            Shape::Map { .. } => Value::Object(Map::new()),
            Shape::Unknown => return None,
        }),
        DefaultShown::Literal(text) | DefaultShown::Text(text) => Some(match shape {
            Shape::Integer { .. } | Shape::Number => number(text).unwrap_or_else(|| text.into()),
            Shape::Boolean => match text {
                "true" => true.into(),
                "false" => false.into(),
                _ => text.into(),
            },
            Shape::String => text.into(),
            _ => match serde_json::from_str::<Value>(text) {
                Ok(v) if !v.is_string() => v,
                _ => text.into(),
            },
        }),
    }
}

fn leaf(field: &Field, env: &str) -> Value {
    let shape = shape(field.ty);
    let mut out = Map::new();
    if !field.doc.is_empty() {
        out.insert("description".into(), field.doc.into());
    }
    out.extend(shape.schema());
    if !field.shape.secret
        && let Some(default) = default_value(field, &shape)
    {
        out.insert("default".into(), default);
    }
    for rule in field.rules {
        rule_keywords(&mut out, rule, &shape);
    }
    if field.shape.secret {
        out.insert("writeOnly".into(), true.into());
        out.insert("x-secret".into(), true.into());
    }
    out.insert("x-env".into(), env.into());
    if !field.aliases.is_empty() {
        out.insert("x-env-aliases".into(), field.aliases.into());
    }
    if !field.deprecated.is_empty() {
        out.insert("x-env-deprecated".into(), field.deprecated.into());
    }
    Value::Object(out)
}

fn rule_keywords(out: &mut Map<String, Value>, rule: &RuleMeta, shape: &Shape) {
    let mut put = |key: &str, text: Option<&str>| {
        if let Some(v) = text.and_then(number) {
            out.insert(key.into(), v);
        }
    };
    match *rule {
        RuleMeta::Length { min, max, equal } => {
            let (lo, hi) = match shape {
                Shape::Array { .. } => ("minItems", "maxItems"),
                Shape::Map { .. } => ("minProperties", "maxProperties"),
                _ => ("minLength", "maxLength"),
            };
            put(lo, min.or(equal));
            put(hi, max.or(equal));
        }
        RuleMeta::Range {
            min,
            max,
            exclusive_min,
            exclusive_max,
        } => {
            put("minimum", min);
            put("maximum", max);
            put("exclusiveMinimum", exclusive_min);
            put("exclusiveMaximum", exclusive_max);
        }
        RuleMeta::Email => {
            out.insert("format".into(), "email".into());
        }
        RuleMeta::Url => {
            out.insert("format".into(), "uri".into());
        }
        RuleMeta::Regex(pattern) => {
            out.insert("pattern".into(), pattern().into());
        }
    }
}

/// The Markdown table of a settings struct's leaves.
pub(crate) fn docs_markdown(plan: &Plan) -> String {
    let meta = plan.meta;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!-- Generated by confidant from `{0}`: `{0}::docs_markdown()`. Do not edit; regenerate with `CONFIDANT_BLESS=1 cargo test`. -->",
        meta.name
    );
    let _ = writeln!(out, "# Settings of `{}`", meta.name);
    if !meta.doc.is_empty() {
        let _ = write!(out, "\n{}\n", meta.doc);
    }
    out.push_str("\n| Env var | Type | Default | Required | Secret | Reloads | Description |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for leaf in &plan.leaves {
        let field = leaf.field;
        let shape = shape(field.ty);
        let default = match (field.default, default_value(field, &shape)) {
            (None, _) => String::new(),
            (
                Some(
                    DefaultShown::Literal(text)
                    | DefaultShown::Text(text)
                    | DefaultShown::Expr(text),
                ),
                _,
            ) => code(text),
            (Some(DefaultShown::Trait), Some(v)) => code(&v.to_string()),
            (Some(DefaultShown::Trait), None) => code("Default::default()"),
        };
        let required = if is_required(field) { "yes" } else { "no" };
        let secret = if field.shape.secret { "yes" } else { "no" };
        // `restart`: a running program keeps its value (`Change::restart_required`).
        let reloads = if field.restart { "restart" } else { "yes" };
        let mut description = field.doc.split_whitespace().collect::<Vec<_>>().join(" ");
        let also = |out: &mut String, label: &str, names: &[String]| {
            if !names.is_empty() {
                let names: Vec<String> = names.iter().map(|n| code(n)).collect();
                if !out.is_empty() {
                    out.push(' ');
                }
                let _ = write!(out, "{label}: {}.", names.join(", "));
            }
        };
        also(
            &mut description,
            "Also read from",
            &leaf.names[1..leaf.current],
        );
        also(
            &mut description,
            "Deprecated names",
            &leaf.names[leaf.current..],
        );
        let _ = writeln!(
            out,
            "| {} | {} | {default} | {required} | {secret} | {reloads} | {} |",
            code(leaf.env()),
            code(field.ty),
            cell(&description)
        );
    }
    out
}

/// Inline code in a table cell: backticks, `|` escaped.
fn code(text: &str) -> String {
    format!("`{}`", text.replace('|', "\\|"))
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_follow_the_written_type() {
        assert_eq!(shape("Option<Secret<String>>"), Shape::String);
        assert_eq!(shape("std::path::PathBuf"), Shape::String);
        assert_eq!(shape("f64"), Shape::Number);
        assert_eq!(
            shape("Vec<u8>"),
            Shape::Array {
                items: Box::new(Shape::Integer {
                    min: Some(0),
                    max: Some(255)
                }),
                unique: false
            }
        );
        assert!(matches!(
            shape("BTreeMap<String, Vec<String>>"),
            Shape::Map { .. }
        ));
        assert_eq!(shape("LogLevel"), Shape::Unknown);
        assert_eq!(shape("std::time::Duration"), Shape::Unknown);
    }

    #[test]
    fn numbers_parse_with_suffixes_and_underscores() {
        assert_eq!(number("1_024"), Some(1024.into()));
        assert_eq!(number("5u16"), Some(5.into()));
        assert_eq!(number("-0.5"), Some((-0.5).into()));
        assert_eq!(number("MIN_PORT"), None);
    }
}
