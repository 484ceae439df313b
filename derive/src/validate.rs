//! `#[validate(...)]`, the validator crate's syntax: parsed into rules that keep their
//! spans, checked against the field they sit on, and expanded into calls to
//! `::confidant::__private`'s rule traits right after each field is built.
//!
//! Which types a rule accepts is left to the compiler: each rule calls a trait that is
//! implemented only for the types that can take it, spanned on the rule, so `range` on
//! a `String` is an error on `range` saying so.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Expr, Ident, LitStr, Path};

use crate::ast::{Container, Field};
use crate::attr::skip_value;
use crate::ctxt::Ctxt;

const RULES: &str = "`range`, `length`, `email`, `url`, `regex`, `contains`, `does_not_contain`, `must_match`, `required`, `custom`, `nested`";

pub(crate) enum Kind {
    Range {
        min: Option<Expr>,
        max: Option<Expr>,
        exclusive_min: Option<Expr>,
        exclusive_max: Option<Expr>,
    },
    Length {
        min: Option<Expr>,
        max: Option<Expr>,
        equal: Option<Expr>,
    },
    Email,
    Url,
    Regex(Expr),
    Contains(LitStr),
    DoesNotContain(LitStr),
    /// The index of the other field.
    MustMatch(usize),
    Required,
    Custom(Path),
}

/// One rule on a field.
pub(crate) struct Rule {
    pub kind: Kind,
    pub name: &'static str,
    pub span: Span,
    pub code: Option<LitStr>,
    pub message: Option<LitStr>,
}

/// `#[validate(schema(function = path))]` on the struct.
pub(crate) struct Schema {
    pub function: Path,
    pub code: Option<LitStr>,
    pub message: Option<LitStr>,
    pub skip_on_field_errors: bool,
}

/// Every rule of a struct: one list per field, and the struct's schema functions.
pub(crate) struct Rules {
    pub fields: Vec<Vec<Rule>>,
    pub schemas: Vec<Schema>,
}

pub(crate) fn parse(cx: &mut Ctxt, c: &Container<'_>) -> Rules {
    let fields = c
        .fields
        .iter()
        .map(|f| {
            let mut rules = Vec::new();
            for attr in &f.validate {
                each_rule(cx, attr, |cx, meta| {
                    if let Some(rule) = field_rule(cx, c, f, meta)? {
                        rules.push(rule);
                    }
                    Ok(())
                });
            }
            rules
        })
        .collect();
    let mut schemas = Vec::new();
    for attr in c
        .input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("validate"))
    {
        each_rule(cx, attr, |cx, meta| {
            if meta.path.is_ident("schema") {
                if let Some(schema) = schema(cx, meta)? {
                    schemas.push(schema);
                }
                Ok(())
            } else {
                cx.error(
                    &meta.path,
                    format_args!(
                        "only `schema` applies to the struct; put `{}` on a field",
                        name(&meta.path)
                    ),
                );
                skip_value(meta)
            }
        });
    }
    Rules { fields, schemas }
}

fn each_rule(
    cx: &mut Ctxt,
    attr: &Attribute,
    mut f: impl FnMut(&mut Ctxt, &ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    if let syn::Meta::Path(path) = &attr.meta {
        cx.error(
            path,
            format_args!("`validate` needs a rule: `#[validate(length(min = 1))]`; one of {RULES}"),
        );
        return;
    }
    if let Err(err) = attr.parse_nested_meta(|meta| f(cx, &meta)) {
        cx.push(err);
    }
}

fn name(path: &Path) -> String {
    path.get_ident()
        .map_or_else(|| quote!(#path).to_string(), ToString::to_string)
}

/// The arguments of one rule, in slots, each set once.
#[derive(Default)]
struct Args {
    exprs: Vec<(&'static str, Expr)>,
    strs: Vec<(&'static str, LitStr)>,
    paths: Vec<(&'static str, Path)>,
    bools: Vec<(&'static str, bool)>,
    other: Option<(String, Span)>,
}

impl Args {
    fn expr(&mut self, key: &'static str) -> Option<Expr> {
        take(&mut self.exprs, key)
    }
    fn str(&mut self, key: &'static str) -> Option<LitStr> {
        take(&mut self.strs, key)
    }
    fn path(&mut self, key: &'static str) -> Option<Path> {
        take(&mut self.paths, key)
    }
}

fn take<T>(slots: &mut Vec<(&'static str, T)>, key: &'static str) -> Option<T> {
    let i = slots.iter().position(|(k, _)| *k == key)?;
    Some(slots.remove(i).1)
}

#[derive(Clone, Copy)]
enum ArgKind {
    /// A value: `min = 1`, `min = MIN`, or `min = "MIN"`.
    Expr,
    Str,
    /// A function path: `function = path` or `function = "path"`.
    Path,
    Bool,
    /// A field name: `other = "field"` or `other = field`.
    Field,
}

/// Parses `rule(key = value, ...)` for the keys given; `message` and `code` are always
/// accepted. Unknown and repeated keys are reported; `None` after a malformed value.
fn args(
    cx: &mut Ctxt,
    meta: &ParseNestedMeta<'_>,
    rule: &str,
    keys: &[(&'static str, ArgKind)],
) -> syn::Result<Option<Args>> {
    let mut out = Args::default();
    if !meta.input.peek(syn::token::Paren) {
        if meta.input.peek(syn::Token![=]) {
            cx.error(
                &meta.path,
                format_args!("write `{rule}(...)`, not `{rule} = ...`"),
            );
            skip_value(meta)?;
            return Ok(None);
        }
        return Ok(Some(out));
    }
    let mut ok = true;
    let mut seen: Vec<String> = Vec::new();
    meta.parse_nested_meta(|arg| {
        let key = name(&arg.path);
        let all = [("message", ArgKind::Str), ("code", ArgKind::Str)];
        let Some(&(key_static, kind)) = keys.iter().chain(&all).find(|(k, _)| *k == key) else {
            let expected: Vec<String> = keys
                .iter()
                .chain(&all)
                .map(|(k, _)| format!("`{k}`"))
                .collect();
            cx.error(
                &arg.path,
                format_args!(
                    "unknown argument `{key}` for `{rule}`; expected {}",
                    expected.join(", ")
                ),
            );
            ok = false;
            return skip_value(&arg);
        };
        if seen.contains(&key) {
            cx.error(&arg.path, format_args!("duplicate `{key}`"));
            ok = false;
            return skip_value(&arg);
        }
        seen.push(key.clone());
        if !arg.input.peek(syn::Token![=]) {
            cx.error(
                &arg.path,
                format_args!("`{key}` needs a value: `{key} = ...`"),
            );
            ok = false;
            return skip_value(&arg);
        }
        let value: Expr = arg.value()?.parse()?;
        let lit_str = match &value {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.clone()),
            _ => None,
        };
        let parsed: Result<(), syn::Error> = match kind {
            ArgKind::Expr => match &lit_str {
                Some(s) => s.parse::<Expr>().map(|e| out.exprs.push((key_static, e))),
                None => {
                    out.exprs.push((key_static, value));
                    Ok(())
                }
            },
            ArgKind::Str => match lit_str {
                Some(s) => {
                    out.strs.push((key_static, s));
                    Ok(())
                }
                None => Err(syn::Error::new_spanned(
                    &value,
                    format!("expected a string: `{key} = \"...\"`"),
                )),
            },
            ArgKind::Path => match (&lit_str, &value) {
                (Some(s), _) => s.parse::<Path>().map(|p| out.paths.push((key_static, p))),
                (None, Expr::Path(p)) if p.qself.is_none() => {
                    out.paths.push((key_static, p.path.clone()));
                    Ok(())
                }
                _ => Err(syn::Error::new_spanned(
                    &value,
                    format!("expected a function path: `{key} = my_check`"),
                )),
            },
            ArgKind::Bool => match &value {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Bool(b),
                    ..
                }) => {
                    out.bools.push((key_static, b.value));
                    Ok(())
                }
                _ => Err(syn::Error::new_spanned(
                    &value,
                    format!("expected `true` or `false`: `{key} = false`"),
                )),
            },
            ArgKind::Field => match (&lit_str, &value) {
                (Some(s), _) => {
                    out.other = Some((s.value(), s.span()));
                    Ok(())
                }
                (None, Expr::Path(p)) if p.path.get_ident().is_some() => {
                    let ident = p.path.get_ident().map(ToString::to_string);
                    out.other = ident.map(|i| (i, syn::spanned::Spanned::span(&value)));
                    Ok(())
                }
                _ => Err(syn::Error::new_spanned(
                    &value,
                    format!("expected a field name: `{key} = \"password\"`"),
                )),
            },
        };
        if let Err(err) = parsed {
            cx.push(err);
            ok = false;
        }
        Ok(())
    })?;
    Ok(ok.then_some(out))
}

fn field_rule(
    cx: &mut Ctxt,
    c: &Container<'_>,
    f: &Field<'_>,
    meta: &ParseNestedMeta<'_>,
) -> syn::Result<Option<Rule>> {
    use ArgKind::{Expr as E, Field as F, Path as P, Str as S};
    let Some(ident) = meta.path.get_ident() else {
        cx.error(
            &meta.path,
            format_args!("unknown validation rule; expected one of {RULES}"),
        );
        return skip_value(meta).map(|()| None);
    };
    let span = ident.span();
    let rule = ident.to_string();
    let (name, keys): (&'static str, &[(&'static str, ArgKind)]) = match rule.as_str() {
        "range" => (
            "range",
            &[
                ("min", E),
                ("max", E),
                ("exclusive_min", E),
                ("exclusive_max", E),
            ],
        ),
        "length" => ("length", &[("min", E), ("max", E), ("equal", E)]),
        "email" => ("email", &[]),
        "url" => ("url", &[]),
        "regex" => ("regex", &[("path", E)]),
        "contains" => ("contains", &[("pattern", S)]),
        "does_not_contain" => ("does_not_contain", &[("pattern", S)]),
        "must_match" => ("must_match", &[("other", F)]),
        "required" => ("required", &[]),
        "custom" => ("custom", &[("function", P)]),
        "nested" => ("nested", &[]),
        "schema" => {
            cx.error(
                ident,
                "`schema` goes on the struct: `#[validate(schema(function = check))]` above `struct`",
            );
            return skip_value(meta).map(|()| None);
        }
        _ => {
            cx.error(
                ident,
                format_args!("unknown validation rule `{rule}`; expected one of {RULES}"),
            );
            return skip_value(meta).map(|()| None);
        }
    };
    if name == "nested" {
        if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
            cx.error(ident, "`nested` takes no arguments; write `nested`");
            skip_value(meta)?;
        }
        if !f.is_nested() {
            cx.error(
                ident,
                "`nested` applies to a `#[settings(nested)]` field; this field is a single setting",
            );
        }
        return Ok(None);
    }
    let Some(mut args) = args(cx, meta, name, keys)? else {
        return Ok(None);
    };
    if f.is_nested() {
        cx.error(
            ident,
            format_args!(
                "`{name}` does not apply to a `nested` field; put it on the fields of the nested struct"
            ),
        );
        return Ok(None);
    }
    let missing = |cx: &mut Ctxt, what: &str| {
        cx.push(syn::Error::new(span, format!("`{name}` needs {what}")));
        Ok(None)
    };
    let kind = match name {
        "range" => {
            let kind = Kind::Range {
                min: args.expr("min"),
                max: args.expr("max"),
                exclusive_min: args.expr("exclusive_min"),
                exclusive_max: args.expr("exclusive_max"),
            };
            if let Kind::Range {
                min: None,
                max: None,
                exclusive_min: None,
                exclusive_max: None,
            } = kind
            {
                return missing(
                    cx,
                    "a bound: `range(min = 1, max = 10)`; also `exclusive_min`, `exclusive_max`",
                );
            }
            kind
        }
        "length" => {
            let (min, max, equal) = (args.expr("min"), args.expr("max"), args.expr("equal"));
            if min.is_none() && max.is_none() && equal.is_none() {
                return missing(
                    cx,
                    "a bound: `length(min = 1)`, `length(max = 64)` or `length(equal = 32)`",
                );
            }
            if equal.is_some() && (min.is_some() || max.is_some()) {
                cx.push(syn::Error::new(
                    span,
                    "`length(equal = ..)` cannot go with `min` or `max`",
                ));
                return Ok(None);
            }
            Kind::Length { min, max, equal }
        }
        "email" => Kind::Email,
        "url" => Kind::Url,
        "regex" => match args.expr("path") {
            Some(path) => Kind::Regex(path),
            None => return missing(cx, "the regex: `regex(path = *MY_REGEX)`"),
        },
        "contains" => match args.str("pattern") {
            Some(p) => Kind::Contains(p),
            None => return missing(cx, "a pattern: `contains(pattern = \"...\")`"),
        },
        "does_not_contain" => match args.str("pattern") {
            Some(p) => Kind::DoesNotContain(p),
            None => return missing(cx, "a pattern: `does_not_contain(pattern = \"...\")`"),
        },
        "must_match" => {
            let Some((other, other_span)) = args.other.take() else {
                return missing(cx, "the other field: `must_match(other = \"password\")`");
            };
            match c.fields.iter().position(|g| g.name == other) {
                Some(i) if c.fields[i].is_nested() => {
                    cx.push(syn::Error::new(
                        other_span,
                        format!(
                            "`{other}` is a `nested` field; `must_match` compares two settings"
                        ),
                    ));
                    return Ok(None);
                }
                Some(i) => Kind::MustMatch(i),
                None => {
                    cx.push(syn::Error::new(
                        other_span,
                        format!("no field named `{other}` in this struct"),
                    ));
                    return Ok(None);
                }
            }
        }
        "required" => {
            if !f.is_optional() {
                cx.error(
                    ident,
                    "`required` applies to an `Option` field; a field that is not an `Option` is required already",
                );
                return Ok(None);
            }
            Kind::Required
        }
        "custom" => match args.path("function") {
            Some(p) => Kind::Custom(p),
            None => return missing(cx, "a function: `custom(function = my_check)`"),
        },
        _ => unreachable!("every rule name is matched above"),
    };
    Ok(Some(Rule {
        kind,
        name,
        span,
        code: args.str("code"),
        message: args.str("message"),
    }))
}

fn schema(cx: &mut Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Schema>> {
    let keys = [
        ("function", ArgKind::Path),
        ("skip_on_field_errors", ArgKind::Bool),
    ];
    let Some(mut args) = args(cx, meta, "schema", &keys)? else {
        return Ok(None);
    };
    let Some(function) = args.path("function") else {
        cx.error(
            &meta.path,
            "`schema` needs a function: `schema(function = my_check)`",
        );
        return Ok(None);
    };
    let skip_on_field_errors = take(&mut args.bools, "skip_on_field_errors").unwrap_or(true);
    Ok(Some(Schema {
        function,
        code: args.str("code"),
        message: args.str("message"),
        skip_on_field_errors,
    }))
}

fn opt(lit: Option<&LitStr>) -> TokenStream {
    match lit {
        Some(lit) => quote!(::core::option::Option::Some(#lit)),
        None => quote!(::core::option::Option::None),
    }
}

fn rule_value(name: &str, code: Option<&LitStr>, message: Option<&LitStr>) -> TokenStream {
    let code = opt(code);
    let message = opt(message);
    quote! {
        ::confidant::__private::Rule { name: #name, code: #code, message: #message }
    }
}

/// `Some(bound)` or `None`, spanned on the rule: a bound of a rule the type cannot
/// take is reported with the rule, once.
fn some(span: Span, expr: Option<&Expr>) -> TokenStream {
    match expr {
        Some(e) => quote_spanned!(span=> ::core::option::Option::Some(#e)),
        None => quote_spanned!(span=> ::core::option::Option::None),
    }
}

pub(crate) fn leaf_var(i: usize) -> Ident {
    format_ident!("__leaf{}", i)
}

/// Whether field `i` needs its leaf remembered: it has rules, or a `must_match` names it.
pub(crate) fn needs_leaf(rules: &Rules, i: usize) -> bool {
    !rules.fields[i].is_empty()
        || rules
            .fields
            .iter()
            .flatten()
            .any(|r| matches!(r.kind, Kind::MustMatch(j) if j == i))
}

/// The checks on field `i`, right after it is built into `var` (an `Option` that is
/// `None` when the field failed to parse).
pub(crate) fn field_checks(f: &Field<'_>, rules: &[Rule], var: &Ident, i: usize) -> TokenStream {
    let leaf = leaf_var(i);
    let mut outer = Vec::new();
    let mut inner = Vec::new();
    for rule in rules {
        let span = rule.span;
        let value = rule_value(rule.name, rule.code.as_ref(), rule.message.as_ref());
        let text_check = |call: TokenStream| {
            quote! {
                if let ::core::option::Option::Some(__text) = #call {
                    __build.rule_failed(#leaf, #value, __text);
                }
            }
        };
        match &rule.kind {
            Kind::Range {
                min,
                max,
                exclusive_min,
                exclusive_max,
            } => {
                let (a, b, c, d) = (
                    some(span, min.as_ref()),
                    some(span, max.as_ref()),
                    some(span, exclusive_min.as_ref()),
                    some(span, exclusive_max.as_ref()),
                );
                inner.push(text_check(quote_spanned! {span=>
                    ::confidant::__private::RangeRule::check_range(__exposed, #a, #b, #c, #d)
                }));
            }
            Kind::Length { min, max, equal } => {
                let (a, b, c) = (
                    some(span, min.as_ref()),
                    some(span, max.as_ref()),
                    some(span, equal.as_ref()),
                );
                inner.push(text_check(quote_spanned! {span=>
                    ::confidant::__private::LengthRule::check_length(__exposed, #a, #b, #c)
                }));
            }
            Kind::Email => inner.push(text_check(quote_spanned! {span=>
                ::confidant::__private::EmailRule::check_email(__exposed)
            })),
            Kind::Url => inner.push(text_check(quote_spanned! {span=>
                ::confidant::__private::UrlRule::check_url(__exposed)
            })),
            Kind::Regex(path) => inner.push(text_check(quote_spanned! {span=>
                ::confidant::__private::RegexRule::check_regex(__exposed, &(#path))
            })),
            Kind::Contains(p) => inner.push(text_check(quote_spanned! {span=>
                ::confidant::__private::ContainsRule::check_contains(__exposed, #p)
            })),
            Kind::DoesNotContain(p) => inner.push(text_check(quote_spanned! {span=>
                ::confidant::__private::ContainsRule::check_does_not_contain(__exposed, #p)
            })),
            Kind::Required => outer.push(quote! {
                if __value.is_none() {
                    __build.rule_failed(#leaf, #value, ::std::string::String::from("must be set"));
                }
            }),
            Kind::Custom(path) => {
                let fname = crate::ast::tidy(path);
                let path_span = syn::spanned::Spanned::span(path);
                let call = quote_spanned! {path_span=>
                    let __result: ::core::result::Result<(), ::confidant::ValidationError> =
                        #path(__value);
                };
                inner.push(quote! {{
                    #call
                    if let ::core::result::Result::Err(__error) = __result {
                        __build.custom_failed(#leaf, #value, #fname, &__error);
                    }
                }});
            }
            Kind::MustMatch(_) => {}
        }
    }
    if outer.is_empty() && inner.is_empty() {
        return TokenStream::new();
    }
    let expose = if f.spelled_secret().is_some() {
        quote!(let __exposed = ::confidant::ExposeSecret::expose_secret(__value);)
    } else {
        quote!(let __exposed = __value;)
    };
    let inner = quote! { #expose #(#inner)* };
    let body = if f.is_optional() {
        quote! {
            #(#outer)*
            if let ::core::option::Option::Some(__value) = __value { #inner }
        }
    } else {
        inner
    };
    quote! {
        if let ::core::option::Option::Some(__value) = &#var { #body }
    }
}

/// A field of the built struct `__value` as rules see it: the secret exposed, an
/// `Option` as `Option<&T>`.
fn view(f: &Field<'_>) -> TokenStream {
    let ident = f.ident;
    match (f.is_optional(), f.spelled_secret().is_some()) {
        (false, false) => quote!(&__value.#ident),
        (false, true) => quote!(::confidant::ExposeSecret::expose_secret(&__value.#ident)),
        (true, false) => quote!(__value.#ident.as_ref()),
        (true, true) => quote! {
            __value.#ident.as_ref().map(|__s| ::confidant::ExposeSecret::expose_secret(__s))
        },
    }
}

/// The checks that need the whole struct, built into `__value`: `must_match`, then
/// `schema` functions (skipped, by default, when a field has a problem).
pub(crate) fn struct_checks(c: &Container<'_>, rules: &Rules) -> TokenStream {
    let mut out = Vec::new();
    for (i, (f, field_rules)) in c.fields.iter().zip(&rules.fields).enumerate() {
        for rule in field_rules {
            let Kind::MustMatch(j) = rule.kind else {
                continue;
            };
            let span = rule.span;
            let (a, b) = (view(f), view(&c.fields[j]));
            let (leaf, other) = (leaf_var(i), leaf_var(j));
            let value = rule_value(rule.name, rule.code.as_ref(), rule.message.as_ref());
            let call = quote_spanned! {span=>
                ::confidant::__private::MustMatchRule::must_match(__a, __b)
            };
            out.push(quote! {{
                let (__a, __b) = (#a, #b);
                if !#call {
                    let __text = ::std::format!("must match {}", __build.env_var(#other));
                    __build.rule_failed(#leaf, #value, __text);
                }
            }});
        }
    }
    for schema in &rules.schemas {
        let path = &schema.function;
        let fname = crate::ast::tidy(path);
        let value = rule_value("schema", schema.code.as_ref(), schema.message.as_ref());
        let path_span = syn::spanned::Spanned::span(path);
        let call = quote_spanned! {path_span=>
            let __result: ::core::result::Result<(), ::confidant::ValidationError> =
                #path(&__value);
        };
        let run = quote! {{
            #call
            if let ::core::result::Result::Err(__error) = __result {
                __build.schema_failed(#value, #fname, &__error);
            }
        }};
        out.push(if schema.skip_on_field_errors {
            quote!(if __build.clean_since(__mark) #run)
        } else {
            run
        });
    }
    quote!(#(#out)*)
}

impl Rules {
    pub(crate) fn needs_mark(&self) -> bool {
        self.schemas.iter().any(|s| s.skip_on_field_errors)
    }
}

/// The rules a JSON Schema can state, as `::confidant::__private::RuleMeta` values for
/// `META`: bounds as the text written, a regex as a function that reads its pattern.
pub(crate) fn rule_metas(rules: &[Rule]) -> Vec<TokenStream> {
    let text = |e: &Option<Expr>| match e {
        Some(e) => {
            let shown = crate::ast::tidy(e);
            quote!(::core::option::Option::Some(#shown))
        }
        None => quote!(::core::option::Option::None),
    };
    rules
        .iter()
        .filter_map(|rule| {
            Some(match &rule.kind {
                Kind::Length { min, max, equal } => {
                    let (min, max, equal) = (text(min), text(max), text(equal));
                    quote!(::confidant::__private::RuleMeta::Length { min: #min, max: #max, equal: #equal })
                }
                Kind::Range {
                    min,
                    max,
                    exclusive_min,
                    exclusive_max,
                } => {
                    let (min, max) = (text(min), text(max));
                    let (emin, emax) = (text(exclusive_min), text(exclusive_max));
                    quote! {
                        ::confidant::__private::RuleMeta::Range {
                            min: #min, max: #max, exclusive_min: #emin, exclusive_max: #emax,
                        }
                    }
                }
                Kind::Email => quote!(::confidant::__private::RuleMeta::Email),
                Kind::Url => quote!(::confidant::__private::RuleMeta::Url),
                Kind::Regex(path) => quote! {
                    ::confidant::__private::RuleMeta::Regex(|| {
                        ::confidant::__private::regex_pattern(&(#path))
                    })
                },
                _ => return None,
            })
        })
        .collect()
}
