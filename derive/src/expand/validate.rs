//! The code of `#[validate(...)]` rules: calls to `__private`'s rule traits right after
//! each field is built, then the checks that need the whole struct.
//!
//! Which types a rule accepts is left to the compiler: each rule calls a trait that is
//! implemented only for the types that can take it, spanned on the rule, so `range` on
//! a `String` is an error on `range` saying so.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;
use syn::{Expr, Ident, LitStr, Path};

use crate::ast::{Container, Field};
use crate::attr::validate::{Kind, Length, Range, Rule};
use crate::tokens;

/// What each rule on a value generates: the `__private` trait and method it calls with
/// the value and these arguments, returning the problem text. `None` for the rules
/// checked another way (`required`, `custom`, and `must_match` on the whole struct).
fn text_check(kind: &Kind, span: Span) -> Option<(&'static str, &'static str, Vec<TokenStream>)> {
    // `Some(bound)` or `None`, spanned on the rule: a bound of a rule the type cannot
    // take is reported with the rule, once.
    let some = |expr: &Option<Expr>| match expr {
        Some(e) => quote_spanned!(span=> ::core::option::Option::Some(#e)),
        None => quote_spanned!(span=> ::core::option::Option::None),
    };
    Some(match kind {
        Kind::Range(r) => (
            "RangeRule",
            "check_range",
            [&r.min, &r.max, &r.exclusive_min, &r.exclusive_max]
                .map(some)
                .into(),
        ),
        Kind::Length(l) => (
            "LengthRule",
            "check_length",
            [&l.min, &l.max, &l.equal].map(some).into(),
        ),
        Kind::Email => ("EmailRule", "check_email", vec![]),
        Kind::Url => ("UrlRule", "check_url", vec![]),
        Kind::Regex(path) => (
            "RegexRule",
            "check_regex",
            vec![quote_spanned!(span=> &(#path))],
        ),
        Kind::Contains(p) => ("ContainsRule", "check_contains", vec![quote!(#p)]),
        Kind::DoesNotContain(p) => ("ContainsRule", "check_does_not_contain", vec![quote!(#p)]),
        Kind::Required | Kind::Custom(_) | Kind::MustMatch(_) | Kind::Nested => return None,
    })
}

/// The rules a JSON Schema can state, as `__private::RuleMeta` values for `META`:
/// bounds as the text written, a regex as a function that reads its pattern.
pub(crate) fn rule_metas(krate: &TokenStream, f: &Field<'_>) -> Vec<TokenStream> {
    let text = |e: &Option<Expr>| match e {
        Some(e) => {
            let shown = tokens::tidy(e);
            quote!(::core::option::Option::Some(#shown))
        }
        None => quote!(::core::option::Option::None),
    };
    let metas = f.rules.iter().filter_map(|rule| {
        Some(match &rule.kind {
            Kind::Length(Length { min, max, equal }) => {
                let (min, max, equal) = (text(min), text(max), text(equal));
                quote!(Length { min: #min, max: #max, equal: #equal })
            }
            Kind::Range(Range {
                min,
                max,
                exclusive_min,
                exclusive_max,
            }) => {
                let (min, max) = (text(min), text(max));
                let (emin, emax) = (text(exclusive_min), text(exclusive_max));
                quote!(Range { min: #min, max: #max, exclusive_min: #emin, exclusive_max: #emax })
            }
            Kind::Email => quote!(Email),
            Kind::Url => quote!(Url),
            Kind::Regex(path) => {
                quote!(Regex(|| #krate::__private::regex_pattern(&(#path))))
            }
            _ => return None,
        })
    });
    metas
        .map(|meta| quote!(#krate::__private::RuleMeta::#meta))
        .collect()
}

/// `tokens` (a path, no groups) with every span set to `span`, as `quote_spanned!`
/// would write them.
pub(crate) fn respan(tokens: &TokenStream, span: Span) -> TokenStream {
    let mut tokens = tokens.clone().into_iter().collect::<Vec<_>>();
    for token in &mut tokens {
        token.set_span(span);
    }
    tokens.into_iter().collect()
}

/// The `__private::Rule` value: the rule's name, `code` and `message`.
fn rule_value<K>(krate: &TokenStream, rule: &Rule<K>) -> TokenStream {
    let opt = |lit: &Option<LitStr>| match lit {
        Some(lit) => quote!(::core::option::Option::Some(#lit)),
        None => quote!(::core::option::Option::None),
    };
    let (name, code, message) = (rule.name.to_string(), opt(&rule.code), opt(&rule.message));
    quote! {
        #krate::__private::Rule { name: #name, code: #code, message: #message }
    }
}

/// Calls a `custom` or `schema` function on `arg`, spanned on its path (a wrong
/// signature is reported there), and reports its error with `failed`.
fn call_function(
    krate: &TokenStream,
    path: &Path,
    arg: &TokenStream,
    failed: &TokenStream,
) -> TokenStream {
    let span = path.span();
    let (krate, arg) = (respan(krate, span), respan(arg, span));
    let call = quote_spanned! {span=>
        let __result: ::core::result::Result<(), #krate::ValidationError> =
            #path(#arg);
    };
    quote! {{
        #call
        if let ::core::result::Result::Err(__error) = __result {
            #failed
        }
    }}
}

pub(crate) fn leaf_var(i: usize) -> Ident {
    format_ident!("__leaf{}", i)
}

/// Whether field `i` needs its leaf remembered: it has rules, or a `must_match` names it.
pub(crate) fn needs_leaf(c: &Container<'_>, i: usize) -> bool {
    let name = &c.fields[i].name;
    c.fields[i]
        .rules
        .iter()
        .any(|r| !matches!(r.kind, Kind::Nested))
        || c.fields
            .iter()
            .flat_map(|f| &f.rules)
            .any(|r| matches!(&r.kind, Kind::MustMatch(other) if other.unraw() == name))
}

/// The checks on field `i`, right after it is built into `var` (an `Option` that is
/// `None` when the field failed to parse).
pub(crate) fn field_checks(
    krate: &TokenStream,
    f: &Field<'_>,
    var: &Ident,
    i: usize,
) -> TokenStream {
    let leaf = leaf_var(i);
    let mut outer = Vec::new();
    let mut inner = Vec::new();
    for rule in &f.rules {
        let span = rule.name.span();
        let value = rule_value(krate, rule);
        if let Some((rule_trait, method, args)) = text_check(&rule.kind, span) {
            let call = Ident::new(rule_trait, span);
            let method = Ident::new(method, span);
            let krate = respan(krate, span);
            let call = quote_spanned! {span=>
                #krate::__private::#call::#method(__exposed #(, #args)*)
            };
            inner.push(quote! {
                if let ::core::option::Option::Some(__text) = #call {
                    __build.rule_failed(#leaf, #value, __text);
                }
            });
        }
        match &rule.kind {
            Kind::Required => outer.push(quote! {
                if __value.is_none() {
                    __build.rule_failed(#leaf, #value, ::std::string::String::from("must be set"));
                }
            }),
            Kind::Custom(path) => {
                let fname = tokens::tidy(path);
                let failed = quote!(__build.custom_failed(#leaf, #value, #fname, &__error););
                inner.push(call_function(krate, path, &quote!(__value), &failed));
            }
            _ => {}
        }
    }
    if outer.is_empty() && inner.is_empty() {
        return TokenStream::new();
    }
    let expose = if f.spelled_secret().is_some() {
        quote!(let __exposed = #krate::ExposeSecret::expose_secret(__value);)
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
fn view(krate: &TokenStream, f: &Field<'_>) -> TokenStream {
    let ident = f.ident;
    match (f.is_optional(), f.spelled_secret().is_some()) {
        (false, false) => quote!(&__value.#ident),
        (false, true) => quote!(#krate::ExposeSecret::expose_secret(&__value.#ident)),
        (true, false) => quote!(__value.#ident.as_ref()),
        (true, true) => quote! {
            __value.#ident.as_ref().map(|__s| #krate::ExposeSecret::expose_secret(__s))
        },
    }
}

/// Whether a `schema` function is skipped when a field has a problem: the build marks
/// where the struct's problems start.
pub(crate) fn needs_mark(c: &Container<'_>) -> bool {
    c.schemas.iter().any(|s| s.kind.skip_on_field_errors)
}

/// The checks that need the whole struct, built into `__value`: `must_match`, then
/// `schema` functions (skipped, by default, when a field has a problem).
pub(crate) fn struct_checks(c: &Container<'_>) -> TokenStream {
    let krate = &c.krate;
    let mut out = Vec::new();
    for (i, f) in c.fields.iter().enumerate() {
        for rule in &f.rules {
            let Kind::MustMatch(other) = &rule.kind else {
                continue;
            };
            let Some((j, g)) = c.field(&other.unraw().to_string()) else {
                continue;
            };
            let span = rule.name.span();
            let (a, b) = (view(krate, f), view(krate, g));
            let (leaf, other) = (leaf_var(i), leaf_var(j));
            let value = rule_value(krate, rule);
            let krate = respan(krate, span);
            let call = quote_spanned! {span=>
                #krate::__private::MustMatchRule::must_match(__a, __b)
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
    for schema in &c.schemas {
        let path = &schema.kind.function;
        let fname = tokens::tidy(path);
        let value = rule_value(krate, schema);
        let failed = quote!(__build.schema_failed(#value, #fname, &__error););
        let run = call_function(krate, path, &quote!(&__value), &failed);
        out.push(if schema.kind.skip_on_field_errors {
            quote!(if __build.clean_since(__mark) #run)
        } else {
            run
        });
    }
    quote!(#(#out)*)
}
