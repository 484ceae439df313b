//! Parses `#[settings(...)]` into typed slots that keep their spans. Duplicates and
//! unknown keys become spanned errors; parsing goes on after each, so every misuse is
//! reported in one compile.

pub(crate) mod validate;

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, discouraged::Speculative};
use syn::{Attribute, Expr, LitStr, Path};

use crate::ctxt::Ctxt;

const CONTAINER_KEYS: &str = "`prefix`, `secrets_dir`, `dotenv`, `config_file`, `case_sensitive`, `profile_env`, `ignore_env`, `crate`";
const FIELD_KEYS: &str =
    "`default`, `env`, `alias`, `deprecated`, `nested`, `fake`, `allow_empty`, `secret`, `restart`";

/// `#[settings(...)]` on the struct.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub prefix: Option<LitStr>,
    pub secrets_dir: Option<LitStr>,
    pub dotenv: Option<LitStr>,
    /// `config_file = "myapp.toml"`.
    pub config_file: Option<LitStr>,
    pub case_sensitive: Option<Span>,
    pub profile_env: Option<LitStr>,
    /// `ignore_env = "SVC_WAIT"`, repeatable (a trailing `*`: a prefix).
    pub ignore_env: Vec<LitStr>,
    /// `crate = "path"`: where the generated code finds confidant.
    pub krate: Option<Path>,
}

impl ContainerAttrs {
    /// The path the generated code names confidant by: `::confidant` unless `crate` says.
    pub(crate) fn krate(&self) -> TokenStream {
        match &self.krate {
            Some(path) => quote!(#path),
            None => quote!(::confidant),
        }
    }

    /// The prefix of every generated name (`""` when none).
    pub(crate) fn prefix(&self) -> String {
        self.prefix.as_ref().map(LitStr::value).unwrap_or_default()
    }
}

/// `#[settings(...)]` on a field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// The `default` keyword's span, and its expression unless bare.
    pub default: Option<(Span, Option<Expr>)>,
    pub env: Option<LitStr>,
    pub aliases: Vec<LitStr>,
    /// `deprecated = "OLD_NAME"`, repeatable.
    pub deprecated: Vec<LitStr>,
    pub nested: Option<Span>,
    pub fake: Option<(Span, Expr)>,
    pub allow_empty: Option<Span>,
    /// `secret`: the field is secret whatever its type.
    pub secret: Option<Span>,
    /// `restart`: a reload keeps the running value (the field waits for a restart).
    pub restart: Option<Span>,
}

fn set_once<T>(cx: &mut Ctxt, meta: &ParseNestedMeta<'_>, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        cx.error(&meta.path, format_args!("duplicate `{}`", key(meta)));
    } else {
        *slot = Some(value);
    }
}

fn key(meta: &ParseNestedMeta<'_>) -> String {
    meta.path
        .get_ident()
        .map_or_else(|| "?".to_owned(), ToString::to_string)
}

/// Reports an unknown key and steps over whatever follows it, so parsing continues.
fn unknown(cx: &mut Ctxt, meta: &ParseNestedMeta<'_>, expected: &str) -> syn::Result<()> {
    cx.error(
        &meta.path,
        format_args!(
            "unknown settings attribute `{}`; expected one of {expected}",
            key(meta)
        ),
    );
    skip_value(meta)
}

/// The expression after `key =`, up to the next `,` at its level.
///
/// syn parses only part of Rust's expressions without its `full` feature: literals,
/// paths, calls, method calls, macros, struct literals, operators and casts. Those become
/// typed `Expr`s (a literal default takes the field's type, a path names a regex). Any
/// other expression (`if`, an array, a closure) is kept as its tokens, `Expr::Verbatim`,
/// and rustc checks it where the expansion places it, always as a whole argument or
/// initializer. Not asking for `full` saved the lean cold build of a 50-field crate
/// 3.6 s of its 27.6 s of CPU (docs/performance.md, "Build weight").
pub(crate) fn value_expr(input: ParseStream<'_>) -> syn::Result<Expr> {
    let fork = input.fork();
    if let Ok(expr) = fork.parse::<Expr>()
        && (fork.is_empty() || fork.peek(syn::Token![,]))
    {
        input.advance_to(&fork);
        return Ok(expr);
    }
    let tokens = input.step(|cursor| {
        let mut rest = *cursor;
        let mut tokens = TokenStream::new();
        while let Some((token, next)) = rest.token_tree() {
            if matches!(&token, TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            tokens.extend([token]);
            rest = next;
        }
        Ok((tokens, rest))
    })?;
    if tokens.is_empty() {
        return Err(input.error("expected an expression"));
    }
    Ok(Expr::Verbatim(tokens))
}

pub(crate) fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        value_expr(meta.value()?)?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}

/// A flag takes no value: `nested`, not `nested = true`.
fn flag(cx: &mut Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Span> {
    let span = meta
        .path
        .get_ident()
        .map_or_else(Span::call_site, syn::Ident::span);
    if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
        cx.error(
            &meta.path,
            format_args!("`{0}` takes no value; write `{0}`", key(meta)),
        );
        skip_value(meta)?;
    }
    Ok(span)
}

fn string(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    let k = key(meta);
    let value = meta.value()?;
    value
        .parse::<LitStr>()
        .map_err(|e| syn::Error::new(e.span(), format!("expected a string: `{k} = \"...\"`")))
}

fn settings_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("settings"))
}

pub(crate) fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for attr in settings_attrs(attrs) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("prefix") {
                let v = string(&meta)?;
                set_once(cx, &meta, &mut out.prefix, v);
            } else if meta.path.is_ident("secrets_dir") {
                let v = string(&meta)?;
                set_once(cx, &meta, &mut out.secrets_dir, v);
            } else if meta.path.is_ident("dotenv") {
                let v = string(&meta)?;
                set_once(cx, &meta, &mut out.dotenv, v);
            } else if meta.path.is_ident("config_file") {
                let v = string(&meta)?;
                let text = v.value().to_ascii_lowercase();
                let known = [".toml", ".yaml", ".yml", ".json"];
                if !known.iter().any(|ext| text.ends_with(ext)) {
                    cx.error(
                        &v,
                        "`config_file` names a `.toml`, `.yaml`, `.yml` or `.json` file: the extension picks the format",
                    );
                }
                set_once(cx, &meta, &mut out.config_file, v);
            } else if meta.path.is_ident("case_sensitive") {
                let v = flag(cx, &meta)?;
                set_once(cx, &meta, &mut out.case_sensitive, v);
            } else if meta.path.is_ident("profile_env") {
                let v = string(&meta)?;
                set_once(cx, &meta, &mut out.profile_env, v);
            } else if meta.path.is_ident("ignore_env") {
                let v = string(&meta)?;
                let text = v.value();
                let name = text.strip_suffix('*').unwrap_or(&text);
                if name.is_empty() || name.contains('*') || name.contains('=') {
                    cx.error(
                        &v,
                        "`ignore_env` takes an environment variable name, or a name's start followed by `*` (`\"SVC_DEBUG_*\"`)",
                    );
                }
                out.ignore_env.push(v);
            } else if meta.path.is_ident("crate") {
                let v = string(&meta)?
                    .parse_with(Path::parse_mod_style)
                    .map_err(|e| {
                        syn::Error::new(
                            e.span(),
                            "expected a path: `crate = \"my_framework::confidant\"`",
                        )
                    })?;
                set_once(cx, &meta, &mut out.krate, v);
            } else {
                return unknown(cx, &meta, CONTAINER_KEYS);
            }
            Ok(())
        });
        if let Err(err) = result {
            cx.push(err);
        }
    }
    out
}

pub(crate) fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in settings_attrs(attrs) {
        let result = attr.parse_nested_meta(|meta| {
            let span = meta
                .path
                .get_ident()
                .map_or_else(Span::call_site, syn::Ident::span);
            if meta.path.is_ident("default") {
                let expr = if meta.input.peek(syn::Token![=]) {
                    Some(value_expr(meta.value()?)?)
                } else {
                    None
                };
                set_once(cx, &meta, &mut out.default, (span, expr));
            } else if meta.path.is_ident("env") {
                let v = string(&meta)?;
                set_once(cx, &meta, &mut out.env, v);
            } else if meta.path.is_ident("alias") {
                out.aliases.push(string(&meta)?);
            } else if meta.path.is_ident("deprecated") {
                out.deprecated.push(string(&meta)?);
            } else if meta.path.is_ident("nested") {
                let v = flag(cx, &meta)?;
                set_once(cx, &meta, &mut out.nested, v);
            } else if meta.path.is_ident("fake") {
                let expr = value_expr(meta.value()?)?;
                set_once(cx, &meta, &mut out.fake, (span, expr));
            } else if meta.path.is_ident("allow_empty") {
                let v = flag(cx, &meta)?;
                set_once(cx, &meta, &mut out.allow_empty, v);
            } else if meta.path.is_ident("secret") {
                let v = flag(cx, &meta)?;
                set_once(cx, &meta, &mut out.secret, v);
            } else if meta.path.is_ident("restart") {
                let v = flag(cx, &meta)?;
                set_once(cx, &meta, &mut out.restart, v);
            } else {
                return unknown(cx, &meta, FIELD_KEYS);
            }
            Ok(())
        });
        if let Err(err) = result {
            cx.push(err);
        }
    }
    out
}

/// The doc comment: `///` lines joined with `\n`, one leading space of each removed.
pub(crate) fn doc(attrs: &[Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .map_or_else(|| line.clone(), str::to_owned)
        })
        .collect();
    lines.join("\n").trim().to_owned()
}
