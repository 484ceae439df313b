//! Checks that need more than one attribute or field.

use std::collections::HashMap;

use syn::LitStr;

use crate::ast::{self, Container};
use crate::ctxt::Ctxt;

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
        if field.is_nested() {
            let misplaced = [
                ("default", a.default.as_ref().map(|(s, _)| *s)),
                ("fake", a.fake.as_ref().map(|(s, _)| *s)),
                ("allow_empty", a.allow_empty),
                ("secret", a.secret),
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
    }
    check_collisions(cx, c);
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

/// Two fields of one struct that answer to the same environment name.
fn check_collisions(cx: &mut Ctxt, c: &Container<'_>) {
    let prefix = c
        .attrs
        .prefix
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_default();
    let normalize = |s: String| {
        if c.attrs.case_sensitive.is_some() {
            s
        } else {
            s.to_ascii_uppercase()
        }
    };
    let mut seen: HashMap<String, String> = HashMap::new();
    for field in c.fields.iter().filter(|f| !f.is_nested()) {
        let primary = field
            .attrs
            .env
            .as_ref()
            .map_or_else(|| format!("{prefix}{}", field.env_stem()), LitStr::value);
        let names = std::iter::once((primary, None))
            .chain(field.attrs.aliases.iter().map(|a| (a.value(), Some(a))));
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
}
