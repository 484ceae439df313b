//! Parses `#[validate(...)]`, the validator crate's syntax, into typed rules that keep
//! their spans: each argument goes to its rule's slot, set once. Whether a rule fits
//! its field is `check`'s business; the code it generates, `expand::validate`'s.

use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, Ident, LitStr, Path};

use super::skip_value;
use crate::ctxt::Ctxt;

/// One rule as written: its name (spanned, for errors), `code` and `message`, and what
/// it checks: a field rule's [`Kind`], or the struct's [`Schema`].
pub(crate) struct Rule<K> {
    pub name: Ident,
    pub code: Option<LitStr>,
    pub message: Option<LitStr>,
    pub kind: K,
}

/// What a field rule checks.
pub(crate) enum Kind {
    Range(Range),
    Length(Length),
    Email,
    Url,
    /// `regex(path = ...)`: an expression of a regex.
    Regex(Expr),
    Contains(LitStr),
    DoesNotContain(LitStr),
    /// `must_match(other = "field")`: the other field's name, spanned.
    MustMatch(Ident),
    Required,
    Custom(Path),
    /// `nested`: a `#[settings(nested)]` field's own rules apply (they always do).
    Nested,
}

/// `range(..)`: a number within bounds (at least one, checked in `check`).
#[derive(Default)]
pub(crate) struct Range {
    pub min: Option<Expr>,
    pub max: Option<Expr>,
    pub exclusive_min: Option<Expr>,
    pub exclusive_max: Option<Expr>,
}

/// `length(..)`: `equal`, or `min` and/or `max`.
#[derive(Default)]
pub(crate) struct Length {
    pub min: Option<Expr>,
    pub max: Option<Expr>,
    pub equal: Option<Expr>,
}

/// `#[validate(schema(function = path))]` on the struct.
pub(crate) struct Schema {
    pub function: Path,
    pub skip_on_field_errors: bool,
}

type ParseRule = fn(&mut Parser<'_, '_>) -> syn::Result<Option<Kind>>;

/// Every field rule: its name and how its arguments are read. The names listed in
/// errors, the runtime's rule names and the parsers all come from here.
const RULES: &[(&str, ParseRule)] = &[
    ("range", |p| {
        let mut r = Range::default();
        let ok = p.args(&mut [
            ("min", &mut r.min),
            ("max", &mut r.max),
            ("exclusive_min", &mut r.exclusive_min),
            ("exclusive_max", &mut r.exclusive_max),
        ])?;
        Ok(ok.then_some(Kind::Range(r)))
    }),
    ("length", |p| {
        let mut l = Length::default();
        let ok = p.args(&mut [
            ("min", &mut l.min),
            ("max", &mut l.max),
            ("equal", &mut l.equal),
        ])?;
        Ok(ok.then_some(Kind::Length(l)))
    }),
    ("email", |p| Ok(p.args(&mut [])?.then_some(Kind::Email))),
    ("url", |p| Ok(p.args(&mut [])?.then_some(Kind::Url))),
    ("regex", |p| {
        p.one("path", "the regex", "*MY_REGEX", Kind::Regex)
    }),
    ("contains", |p| {
        p.one("pattern", "a pattern", r#""...""#, Kind::Contains)
    }),
    ("does_not_contain", |p| {
        p.one("pattern", "a pattern", r#""...""#, Kind::DoesNotContain)
    }),
    ("must_match", |p| {
        p.one("other", "the other field", r#""password""#, Kind::MustMatch)
    }),
    ("required", |p| {
        Ok(p.args(&mut [])?.then_some(Kind::Required))
    }),
    ("custom", |p| {
        p.one("function", "a function", "my_check", Kind::Custom)
    }),
    ("nested", |p| {
        let meta = p.meta;
        if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
            p.cx.error(p.name, "`nested` takes no arguments; write `nested`");
            skip_value(meta)?;
        }
        Ok(Some(Kind::Nested))
    }),
];

fn rule_names() -> String {
    let names: Vec<String> = RULES.iter().map(|(name, _)| format!("`{name}`")).collect();
    names.join(", ")
}

/// The rules of a field's `#[validate(...)]` attributes, in order.
pub(crate) fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> Vec<Rule<Kind>> {
    let mut rules = Vec::new();
    each_rule(cx, attrs, |cx, meta, name| {
        let parse = match RULES.iter().find(|(rule, _)| name == rule) {
            Some((_, parse)) => parse,
            None if name == "schema" => {
                cx.error(
                    name,
                    "`schema` goes on the struct: `#[validate(schema(function = check))]` above `struct`",
                );
                return skip_value(meta);
            }
            None => {
                let rules = rule_names();
                cx.error(
                    name,
                    format_args!("unknown validation rule `{name}`; expected one of {rules}"),
                );
                return skip_value(meta);
            }
        };
        let mut p = Parser::new(cx, meta, name);
        if let Some(kind) = parse(&mut p)? {
            rules.push(p.rule(kind));
        }
        Ok(())
    });
    rules
}

/// The struct's `#[validate(schema(...))]` functions, in order.
pub(crate) fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> Vec<Rule<Schema>> {
    let mut schemas = Vec::new();
    each_rule(cx, attrs, |cx, meta, name| {
        if name != "schema" {
            cx.error(
                name,
                format_args!("only `schema` applies to the struct; put `{name}` on a field"),
            );
            return skip_value(meta);
        }
        let mut p = Parser::new(cx, meta, name);
        let (mut function, mut skip_on_field_errors) = (None, None);
        if !p.args(&mut [
            ("function", &mut function),
            ("skip_on_field_errors", &mut skip_on_field_errors),
        ])? {
            return Ok(());
        }
        let Some(function) = function else {
            missing(cx, name, "function", "a function", "my_check");
            return Ok(());
        };
        let skip_on_field_errors = skip_on_field_errors.unwrap_or(true);
        schemas.push(p.rule(Schema {
            function,
            skip_on_field_errors,
        }));
        Ok(())
    });
    schemas
}

/// Calls `f` with each rule of the `#[validate(...)]` attributes, and its name.
fn each_rule(
    cx: &mut Ctxt,
    attrs: &[Attribute],
    mut f: impl FnMut(&mut Ctxt, &ParseNestedMeta<'_>, &Ident) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("validate")) {
        if let syn::Meta::Path(path) = &attr.meta {
            let rules = rule_names();
            cx.error(
                path,
                format_args!(
                    "`validate` needs a rule: `#[validate(length(min = 1))]`; one of {rules}"
                ),
            );
            continue;
        }
        let result = attr.parse_nested_meta(|meta| match meta.path.get_ident() {
            Some(name) => f(cx, &meta, name),
            None => {
                let rules = rule_names();
                cx.error(
                    &meta.path,
                    format_args!("unknown validation rule; expected one of {rules}"),
                );
                skip_value(&meta)
            }
        });
        if let Err(err) = result {
            cx.push(err);
        }
    }
}

/// Reads one rule's arguments.
struct Parser<'a, 'm> {
    cx: &'a mut Ctxt,
    meta: &'a ParseNestedMeta<'m>,
    name: &'a Ident,
    code: Option<LitStr>,
    message: Option<LitStr>,
}

impl<'a, 'm> Parser<'a, 'm> {
    fn new(cx: &'a mut Ctxt, meta: &'a ParseNestedMeta<'m>, name: &'a Ident) -> Self {
        Parser {
            cx,
            meta,
            name,
            code: None,
            message: None,
        }
    }

    fn rule<K>(self, kind: K) -> Rule<K> {
        Rule {
            name: self.name.clone(),
            code: self.code,
            message: self.message,
            kind,
        }
    }

    /// Reads `rule(key = value, ...)` into the slots; `message` and `code` are always
    /// there. Unknown and repeated keys and malformed values are reported: `false`.
    fn args(&mut self, slots: &mut [(&str, &mut dyn Slot)]) -> syn::Result<bool> {
        let Parser {
            cx,
            meta,
            name,
            code,
            message,
        } = self;
        if !meta.input.peek(syn::token::Paren) {
            if meta.input.peek(syn::Token![=]) {
                cx.error(
                    &meta.path,
                    format_args!("write `{name}(...)`, not `{name} = ...`"),
                );
                skip_value(meta)?;
                return Ok(false);
            }
            return Ok(true);
        }
        let always: [(&str, &mut dyn Slot); 2] = [("message", message), ("code", code)];
        let mut slots: Vec<(&str, &mut dyn Slot)> = (slots.iter_mut())
            .map(|(key, slot)| (*key, &mut **slot))
            .chain(always)
            .collect();
        let mut ok = true;
        meta.parse_nested_meta(|arg| {
            let key = quote::ToTokens::to_token_stream(&arg.path).to_string();
            let Some(i) = slots.iter().position(|(k, _)| *k == key) else {
                let expected: Vec<String> = slots.iter().map(|(k, _)| format!("`{k}`")).collect();
                cx.error(
                    &arg.path,
                    format_args!(
                        "unknown argument `{key}` for `{name}`; expected {}",
                        expected.join(", ")
                    ),
                );
                ok = false;
                return skip_value(&arg);
            };
            let slot = &mut *slots[i].1;
            if slot.is_set() {
                cx.error(&arg.path, format_args!("duplicate `{key}`"));
                ok = false;
                return skip_value(&arg);
            }
            if !arg.input.peek(syn::Token![=]) {
                cx.error(
                    &arg.path,
                    format_args!("`{key}` needs a value: `{key} = ...`"),
                );
                ok = false;
                return skip_value(&arg);
            }
            let value = super::value_expr(arg.value()?)?;
            if let Err(err) = slot.fill(&key, value) {
                cx.push(err);
                ok = false;
            }
            Ok(())
        })?;
        Ok(ok)
    }

    /// A rule with one argument, which it needs.
    fn one<T: Arg>(
        &mut self,
        key: &str,
        what: &str,
        example: &str,
        kind: fn(T) -> Kind,
    ) -> syn::Result<Option<Kind>> {
        let mut value = None;
        if !self.args(&mut [(key, &mut value)])? {
            return Ok(None);
        }
        if value.is_none() {
            missing(self.cx, self.name, key, what, example);
        }
        Ok(value.map(kind))
    }
}

/// `rule` lacks the argument `key`.
fn missing(cx: &mut Ctxt, rule: &Ident, key: &str, what: &str, example: &str) {
    cx.error(
        rule,
        format_args!("`{rule}` needs {what}: `{rule}({key} = {example})`"),
    );
}

/// Where an argument's value goes: set once.
trait Slot {
    fn is_set(&self) -> bool;
    fn fill(&mut self, key: &str, value: Expr) -> syn::Result<()>;
}

impl<T: Arg> Slot for Option<T> {
    fn is_set(&self) -> bool {
        self.is_some()
    }

    fn fill(&mut self, key: &str, value: Expr) -> syn::Result<()> {
        *self = Some(T::from_value(key, value)?);
        Ok(())
    }
}

/// An argument's type, read from the value written after `key =`.
trait Arg: Sized {
    fn from_value(key: &str, value: Expr) -> syn::Result<Self>;
}

fn lit_str(value: &Expr) -> Option<&LitStr> {
    match value {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s),
        _ => None,
    }
}

fn expected<T>(value: &Expr, what: String) -> syn::Result<T> {
    Err(syn::Error::new_spanned(value, what))
}

/// A value: `min = 1`, `min = MIN`, or `min = "MIN"`.
impl Arg for Expr {
    fn from_value(_: &str, value: Expr) -> syn::Result<Self> {
        match lit_str(&value) {
            Some(s) => s.parse(),
            None => Ok(value),
        }
    }
}

impl Arg for LitStr {
    fn from_value(key: &str, value: Expr) -> syn::Result<Self> {
        match lit_str(&value) {
            Some(s) => Ok(s.clone()),
            None => expected(&value, format!("expected a string: `{key} = \"...\"`")),
        }
    }
}

/// A function path: `function = path` or `function = "path"`.
impl Arg for Path {
    fn from_value(key: &str, value: Expr) -> syn::Result<Self> {
        if let Some(s) = lit_str(&value) {
            return s.parse();
        }
        match value {
            Expr::Path(p) if p.qself.is_none() => Ok(p.path),
            value => expected(
                &value,
                format!("expected a function path: `{key} = my_check`"),
            ),
        }
    }
}

impl Arg for bool {
    fn from_value(key: &str, value: Expr) -> syn::Result<Self> {
        match &value {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Bool(b),
                ..
            }) => Ok(b.value),
            _ => expected(
                &value,
                format!("expected `true` or `false`: `{key} = false`"),
            ),
        }
    }
}

/// A field name: `other = "field"` or `other = field`.
impl Arg for Ident {
    fn from_value(key: &str, value: Expr) -> syn::Result<Self> {
        let ident = match (lit_str(&value), &value) {
            (Some(s), _) => s.parse().ok(),
            (None, Expr::Path(p)) => p.path.get_ident().cloned(),
            _ => None,
        };
        ident.map_or_else(
            || {
                expected(
                    &value,
                    format!("expected a field name: `{key} = \"password\"`"),
                )
            },
            Ok,
        )
    }
}
