//! Checks that need more than one attribute or field.

use std::collections::HashMap;

use confidant_naming as naming;
use syn::ext::IdentExt as _;

use syn::LitStr;

use crate::ast::{self, Container, Field};
use crate::attr::validate::{Kind, Length, Range};
use crate::ctxt::Ctxt;
use crate::tokens;

pub(crate) fn check(cx: &mut Ctxt, c: &Container<'_>) {
    if let Some(prefix) = &c.attrs.prefix {
        check_name(cx, prefix, true);
    }
    for field in &c.fields {
        let a = &field.attrs;
        if let (Some((span, _)), true) = (&a.default, field.known_secret()) {
            cx.push(syn::Error::new(
                *span,
                "a secret cannot have a default: secrets have no defaults; make the field `Option<Secret<_>>` if it is optional",
            ));
        }
        if let Some((_, Some(expr))) = &a.default
            && !field.is_nested()
        {
            check_default_text(cx, field, expr);
        }
        if field.is_nested() {
            let misplaced = [
                ("default", a.default.as_ref().map(|(s, _)| *s)),
                ("fake", a.fake.as_ref().map(|(s, _)| *s)),
                ("allow_empty", a.allow_empty),
                ("secret", a.secret),
                ("restart", a.restart),
            ];
            for (name, span) in misplaced {
                if let Some(span) = span {
                    cx.push(syn::Error::new(
                        span,
                        format!("`{name}` does not apply to a `nested` field; put it on the fields of the nested struct"),
                    ));
                }
            }
            if let Some(env) = &a.env {
                cx.error(env, "`env` does not apply to a `nested` field: its fields are named `<PREFIX><FIELD>__<NESTED FIELD>`");
            }
            for alias in &a.aliases {
                cx.error(alias, "`alias` does not apply to a `nested` field");
            }
            for old in &a.deprecated {
                cx.error(old, "`deprecated` does not apply to a `nested` field");
            }
            if ast::peel(field.ty, "Option").is_some() {
                cx.error(field.ty, "a `nested` field cannot be an `Option`; give the nested struct's fields defaults instead");
            }
            if ast::peel(field.ty, "Secret").is_some() {
                cx.error(
                    field.ty,
                    "a `nested` field must be a struct that derives `Settings`, not a `Secret`",
                );
            }
        }
        if let Some(env) = &a.env {
            check_name(cx, env, false);
        }
        for alias in &a.aliases {
            check_name(cx, alias, false);
        }
        for old in &a.deprecated {
            check_name(cx, old, false);
        }
        check_rules(cx, c, field);
    }
    check_collisions(cx, c);
}

/// `default = "default_port"` on a number or a `bool` (serde's habit, where the string
/// names a function): text the field's parser can never take, so a compile error that
/// says how to call the function. Only for a type spelled as a number or `bool` and text
/// that is a Rust identifier that type's parser rejects: `default = "8080"`,
/// `default = "on"`, and any text on another type (`default = "info"` on an enum) are
/// parsed with the field's parser at load.
fn check_default_text(cx: &mut Ctxt, field: &Field<'_>, expr: &syn::Expr) {
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(lit),
        ..
    }) = tokens::ungroup(expr)
    else {
        return;
    };
    let syn::Type::Path(path) = tokens::ungroup_type(field.stored()) else {
        return;
    };
    let Some(ty) = path.path.get_ident().map(ToString::to_string) else {
        return;
    };
    let text = lit.value();
    let identifier = text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let lower = text.to_ascii_lowercase();
    let takes = match ty.as_str() {
        "bool" => ["true", "false", "yes", "no", "on", "off"].contains(&lower.as_str()),
        "f32" | "f64" => ["inf", "infinity", "nan"].contains(&lower.as_str()),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128"
        | "isize" => false,
        _ => return,
    };
    if identifier && !takes {
        cx.error(
            lit,
            format_args!(
                "a `{ty}` cannot be the text `{text}`; to call a function, write `default = {text}()`"
            ),
        );
    }
}

/// Whether each `#[validate(...)]` rule fits its field and its arguments go together.
/// (Which types a rule takes is the compiler's to say: see `expand::validate`.)
fn check_rules(cx: &mut Ctxt, c: &Container<'_>, field: &Field<'_>) {
    for rule in &field.rules {
        let name = &rule.name;
        if let Kind::Nested = rule.kind {
            if !field.is_nested() {
                cx.error(
                    name,
                    "`nested` applies to a `#[settings(nested)]` field; this field is a single setting",
                );
            }
            continue;
        }
        if field.is_nested() {
            cx.error(
                name,
                format_args!("`{name}` does not apply to a `nested` field; put it on the fields of the nested struct"),
            );
            continue;
        }
        match &rule.kind {
            Kind::Range(Range {
                min: None,
                max: None,
                exclusive_min: None,
                exclusive_max: None,
            }) => cx.error(
                name,
                "`range` needs a bound: `range(min = 1, max = 10)`; also `exclusive_min`, `exclusive_max`",
            ),
            Kind::Length(Length {
                min: None,
                max: None,
                equal: None,
            }) => cx.error(
                name,
                "`length` needs a bound: `length(min = 1)`, `length(max = 64)` or `length(equal = 32)`",
            ),
            Kind::Length(Length {
                equal: Some(_),
                min,
                max,
            }) if min.is_some() || max.is_some() => cx.error(
                name,
                "`length(equal = ..)` cannot go with `min` or `max`",
            ),
            Kind::Required if !field.is_optional() => cx.error(
                name,
                "`required` applies to an `Option` field; a field that is not an `Option` is required already",
            ),
            Kind::MustMatch(other) => match c.field(&other.unraw().to_string()) {
                Some((_, f)) if f.is_nested() => cx.error(
                    other,
                    format_args!("`{other}` is a `nested` field; `must_match` compares two settings"),
                ),
                Some(_) => {}
                None => cx.error(other, format_args!("no field named `{other}` in this struct")),
            },
            _ => {}
        }
    }
}

/// Environment names: ASCII letters, digits and `_`; not empty (a prefix may be).
fn check_name(cx: &mut Ctxt, lit: &LitStr, may_be_empty: bool) {
    let name = lit.value();
    if name.is_empty() && !may_be_empty {
        cx.error(lit, "an environment variable name cannot be empty");
    } else if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        cx.error(
            lit,
            format_args!("`{bad}` cannot be part of an environment variable name; use ASCII letters, digits and `_`"),
        );
    }
}

/// Two fields of one struct that answer to the same environment name. The names are
/// the runtime's (`confidant_naming`: the rule its plan names settings by).
fn check_collisions(cx: &mut Ctxt, c: &Container<'_>) {
    let prefix = c.attrs.prefix();
    let case_sensitive = c.attrs.case_sensitive.is_some();
    let normalize = |s: String| naming::normalize(case_sensitive, &s);
    let mut seen: HashMap<String, String> = HashMap::new();
    // Every name a field is read by (deprecated ones too), for the `_FILE` check below.
    let mut all: Vec<(String, String, &Field<'_>, Option<&LitStr>)> = Vec::new();
    for field in c.fields.iter().filter(|f| !f.is_nested()) {
        let primary = field
            .attrs
            .env
            .as_ref()
            .map_or_else(|| naming::env_name(&prefix, &field.name), LitStr::value);
        let names = std::iter::once((primary.clone(), None))
            .chain(field.attrs.aliases.iter().map(|a| (a.value(), Some(a))));
        all.extend(
            std::iter::once((primary, field.attrs.env.as_ref()))
                .chain(field.attrs.aliases.iter().map(|a| (a.value(), Some(a))))
                .chain(field.attrs.deprecated.iter().map(|a| (a.value(), Some(a))))
                .map(|(name, lit)| (normalize(name.clone()), name, field, lit)),
        );
        for (name, lit) in names {
            if let Some(other) = seen.insert(normalize(name.clone()), field.name.clone())
                && other != field.name
            {
                {
                    let message =
                        format!("the environment name `{name}` is already used by field `{other}`");
                    match lit.or(field.attrs.env.as_ref()) {
                        Some(lit) => cx.error(lit, message),
                        None => cx.error(field.ident, message),
                    }
                }
            }
        }
    }
    // `NAME_FILE` names a file to read `NAME` from: a setting answering to another
    // setting's `NAME_FILE` would take the path (or the other's secret) as its value.
    for (name, _, field, _) in &all {
        let file = naming::normalize(case_sensitive, &naming::file_name(name));
        for (normalized, other, other_field, lit) in &all {
            if *normalized == file && other_field.name != field.name {
                let message = format!(
                    "the environment name `{other}` is the `_FILE` name of field `{}` (`{other}=/path` reads `{}` from a file); rename field `{}` or give it another `env`",
                    field.name, field.name, other_field.name
                );
                match lit {
                    Some(lit) => cx.error(lit, message),
                    None => cx.error(other_field.ident, message),
                }
            }
        }
    }
}
