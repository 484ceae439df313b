//! Code generation, from the checked model only. The output is thin: a static
//! description (`META`) and calls into confidant's `__private` (at `::confidant`, or
//! the `crate = "..."` path).

mod validate;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::{DeriveInput, LitStr};

use crate::ast::{self, Container, Field};
use crate::tokens;

/// An impl that compiles, next to the errors, so that code calling `Config::load()`
/// shows only the real errors (thiserror's fallback). Its `META` is the runtime's
/// `Meta::stub`: no third copy of `Meta`'s fields here.
pub(crate) fn fallback(input: &DeriveInput, krate: &TokenStream) -> TokenStream {
    let ident = &input.ident;
    let name = ident.to_string();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Settings for #ident #ty_generics #where_clause {
            const META: &'static #krate::__private::Meta = &#krate::__private::Meta::stub(#name);
            fn __plan() -> &'static #krate::__private::Plan { ::core::unimplemented!() }
            fn __build(_: &mut #krate::__private::Build<'_>) -> ::core::option::Option<Self> {
                ::core::unimplemented!()
            }
            fn __secrets(&self, _: &mut dyn ::core::ops::FnMut(&[u8])) {}
            fn __texts<__V>(&self, _: &mut __V)
            where
                __V: #krate::__private::VisitTexts + ?::core::marker::Sized,
            {
            }
        }
    }
}

fn opt_str(lit: Option<&LitStr>) -> TokenStream {
    match lit {
        Some(lit) => quote!(::core::option::Option::Some(#lit)),
        None => quote!(::core::option::Option::None),
    }
}

pub(crate) fn expand(c: &Container<'_>) -> TokenStream {
    let krate = &c.krate;
    let ident = &c.input.ident;
    let (impl_generics, ty_generics, where_clause) = c.input.generics.split_for_impl();
    let meta = meta(c);
    let build = build(c);
    let secrets = secrets(c);
    let texts = texts(c);
    // Module-level consts, so that `cargo check` reports them (generic structs are
    // refused before this point).
    let checks = nested_checks(c).into_iter().chain(secret_checks(c));
    let nested_const = quote!(#(const _: () = #checks;)*);
    quote! {
        #nested_const

        #[automatically_derived]
        impl #impl_generics #krate::Settings for #ident #ty_generics #where_clause {
            #[doc(hidden)]
            const META: &'static #krate::__private::Meta = #meta;

            #[doc(hidden)]
            fn __plan() -> &'static #krate::__private::Plan {
                static PLAN: ::std::sync::OnceLock<#krate::__private::Plan> =
                    ::std::sync::OnceLock::new();
                #krate::__private::plan(&PLAN, <Self as #krate::Settings>::META)
            }

            #[doc(hidden)]
            #[allow(clippy::needless_borrow)] // reason: the borrows are the autoref dispatch
            fn __build(
                __build: &mut #krate::__private::Build<'_>,
            ) -> ::core::option::Option<Self> {
                #[allow(unused_imports)]
                use #krate::__private::{
                    Unreadable as _, ViaBytes as _, ViaCommon as _, ViaFromStr as _,
                    ViaHint as _, ViaJson as _, ViaList as _, ViaSecretFromStr as _,
                    ViaSetHint as _, ViaText as _,
                };
                #build
            }

            #[doc(hidden)]
            #[allow(clippy::needless_borrow)] // reason: the borrows are the autoref dispatch
            fn __secrets(&self, __visit: &mut dyn ::core::ops::FnMut(&[u8])) {
                #[allow(unused_imports)]
                use #krate::__private::{
                    ScanDebugged as _, ScanDirect as _, ScanFound as _, ScanNone as _,
                    ScanSerialized as _, ScanText as _,
                };
                #secrets
            }

            #[doc(hidden)]
            #[allow(clippy::needless_borrow)] // reason: the borrows are the autoref dispatch
            fn __texts<__V>(&self, __visit: &mut __V)
            where
                __V: #krate::__private::VisitTexts + ?::core::marker::Sized,
            {
                #[allow(unused_imports)]
                use #krate::__private::{
                    TextNone as _, TextViaCommon as _, TextViaDisplay as _, TextViaExposed as _,
                    TextViaJson as _, TextViaStr as _,
                };
                #texts
            }
        }
    }
}

/// A nested struct's own `prefix`, `secrets_dir`, `dotenv` and `case_sensitive` would be
/// ignored, so each is a compile error: const asserts on its `META`, evaluated at module
/// level (so `cargo check` shows them).
fn nested_checks(c: &Container<'_>) -> Vec<TokenStream> {
    let outer = c.input.ident.to_string();
    let mut checks = Vec::new();
    for f in c.fields.iter().filter(|f| f.is_nested()) {
        let ty = f.ty;
        let krate = validate::respan(&c.krate, syn::spanned::Spanned::span(ty));
        let meta =
            quote_spanned!(syn::spanned::Spanned::span(ty)=> <#ty as #krate::Settings>::META);
        for (attr, ok) in [
            ("prefix", quote!(#meta.prefix.is_empty())),
            ("secrets_dir", quote!(#meta.secrets_dir.is_none())),
            ("dotenv", quote!(#meta.dotenv.is_none())),
            ("config_file", quote!(#meta.config_file.is_none())),
            ("case_sensitive", quote!(!#meta.case_sensitive)),
        ] {
            let (field, nested) = (&f.name, tokens::tidy(ty));
            let msg = format!(
                "`{field}` is nested, but `{nested}` sets `{attr}`, which only a struct loaded at the top uses; move it to `{outer}`"
            );
            checks
                .push(quote_spanned!(syn::spanned::Spanned::span(ty)=> ::core::assert!(#ok, #msg)));
        }
    }
    checks
}

/// What the macro cannot see in a type's spelling but the compiler can (`type Password =
/// String;`, `HashMap<String, Secret<String>>`), as const asserts on the field's type,
/// spanned on the field: `#[settings(secret)]` on a type whose `Debug` prints its value,
/// and a default on a field whose type holds a secret. (Where the spelling shows it,
/// `check` has already said so.)
fn secret_checks(c: &Container<'_>) -> Vec<TokenStream> {
    let krate = &c.krate;
    let ident = &c.input.ident;
    let mut checks = Vec::new();
    for (i, f) in c.fields.iter().enumerate() {
        checks.extend(debug_check(krate, f));
        // The shape `META` holds already: no second dispatch to type-check.
        let secret = quote!(<#ident as #krate::Settings>::META.fields[#i].shape.secret);
        checks.extend(default_check(f, &secret));
    }
    checks
}

/// The checks of the field types that do not need the expansion, for a struct whose
/// attributes are misused (so that one compile shows these too, beside the attribute
/// errors and the stand-in impl): the two secret checks, asking the shape of the type
/// itself (the stand-in `META` has no fields), and the parser dispatch of each setting's
/// type, whose compile error names the fix for a type that cannot be read.
pub(crate) fn type_checks(c: &Container<'_>) -> TokenStream {
    let krate = &c.krate;
    let mut checks = Vec::new();
    for f in &c.fields {
        checks.extend(debug_check(krate, f));
        let secret = {
            let shape = shape(krate, f);
            quote!(#shape.secret)
        };
        checks.extend(default_check(f, &secret));
    }
    let (types, _) = distinct_types(c);
    let parses = types.iter().map(|stored| {
        let span = Span::call_site().located_at(syn::spanned::Spanned::span(stored));
        let krate = validate::respan(krate, span);
        quote_spanned! {span=>
            let _ = (&&&&&&&&#krate::__private::Tag::<#stored>::NEW).parse_value();
        }
    });
    quote! {
        #(const _: () = #checks;)*
        const _: () = {
            #[allow(dead_code, clippy::needless_borrow)]
            fn __parsers() {
                #[allow(unused_imports)]
                use #krate::__private::{
                    Unreadable as _, ViaBytes as _, ViaFromStr as _, ViaHint as _,
                    ViaJson as _, ViaList as _, ViaSecretFromStr as _, ViaSetHint as _,
                    ViaText as _,
                };
                #(#parses)*
            }
        };
    }
}

/// `#[settings(secret)]` on a type whose `Debug` prints its value: a const assert on the
/// type, spanned on it.
fn debug_check(krate: &TokenStream, f: &Field<'_>) -> Option<TokenStream> {
    let stored = f.value()?.ty;
    f.attrs.secret?;
    let span = syn::spanned::Spanned::span(f.ty);
    let krate = validate::respan(krate, span);
    let fix = secret_fix(f);
    let msg = panic_text(&format!(
        "`#[settings(secret)]` on `{}`, whose `Debug` prints its value (`{{:?}}` of the settings would show it): use {fix}, secret without the attribute",
        tokens::tidy(stored)
    ));
    Some(quote_spanned! {span=> {
        #[allow(unused_imports)]
        use #krate::__private::{DebugHides as _, DebugShows as _};
        #[allow(clippy::needless_borrow)]
        let __shows = #krate::__private::verdict(
            &|| (&&#krate::__private::Probe::<#stored>::new()).debug_shows(),
        );
        ::core::assert!(!__shows, #msg)
    }})
}

/// A default on a field whose type holds a secret (`secret`: whether it does, as a const
/// expression), where the spelling does not show it (`check` says so where it does): a
/// const assert spanned on `default`. None for a type spelled as a standard scalar or
/// container of them, which holds no secret.
fn default_check(f: &Field<'_>, secret: &TokenStream) -> Option<TokenStream> {
    let stored = f.value()?.ty;
    let (span, _) = f.attrs.default.as_ref()?;
    if f.known_secret() || ast::spelled_plain(stored) {
        return None;
    }
    let fix = if f.is_optional() {
        "remove `default`: an optional secret no layer sets is `None`"
    } else {
        "secrets have no defaults, make the field an `Option` if it is optional"
    };
    let msg = panic_text(&format!(
        "a secret cannot have a default: `{}` holds a `Secret`; {fix}",
        tokens::tidy(f.ty)
    ));
    Some(quote_spanned! {*span=>
        ::core::assert!(!#secret, #msg)
    })
}

/// A message as `assert!`'s format string: its braces doubled.
fn panic_text(message: &str) -> String {
    message.replace('{', "{{").replace('}', "}}")
}

/// The secret type to use instead of a plain one under `#[settings(secret)]`.
fn secret_fix(f: &Field<'_>) -> String {
    let stored = f.stored();
    let last = match stored {
        syn::Type::Path(p) => p.path.segments.last(),
        _ => None,
    };
    let inner = match last {
        Some(seg) if seg.ident == "Vec" && tokens::tidy(stored).ends_with("Vec<u8>") => {
            "Vec<u8>".to_owned()
        }
        // A list or a map: a `Secret` per value.
        Some(seg) if !seg.arguments.is_empty() => {
            return "`Secret`s inside it (`Vec<Secret<String>>`, `HashMap<String, Secret<String>>`)"
                .to_owned();
        }
        // No `Secret<PathBuf>`: a path is not wiped; the secret is the text.
        Some(seg) if seg.ident == "PathBuf" || seg.ident == "OsString" => "String".to_owned(),
        Some(_) => tokens::tidy(stored),
        None => "String".to_owned(),
    };
    if f.is_optional() {
        format!("`Option<Secret<{inner}>>`")
    } else {
        format!("`Secret<{inner}>`")
    }
}

fn meta(c: &Container<'_>) -> TokenStream {
    let krate = &c.krate;
    let name = c.input.ident.to_string();
    let doc = &c.doc;
    let prefix = c.attrs.prefix();
    let secrets_dir = opt_str(c.attrs.secrets_dir.as_ref());
    let dotenv = opt_str(c.attrs.dotenv.as_ref());
    let config_file = opt_str(c.attrs.config_file.as_ref());
    let case_sensitive = c.attrs.case_sensitive.is_some();
    let profile_env = opt_str(c.attrs.profile_env.as_ref());
    let ignore_env = &c.attrs.ignore_env;
    let fields = c.fields.iter().map(|f| {
        let name = &f.name;
        let deprecated = &f.attrs.deprecated;
        let rule_metas = validate::rule_metas(krate, f);
        let doc = &f.doc;
        let env = opt_str(f.attrs.env.as_ref());
        let aliases = &f.attrs.aliases;
        let nested = if f.is_nested() {
            let ty = f.ty;
            quote!(::core::option::Option::Some(<#ty as #krate::Settings>::META))
        } else {
            quote!(::core::option::Option::None)
        };
        let shape = shape(krate, f);
        let optional = f.is_optional();
        let allow_empty = f.attrs.allow_empty.is_some();
        let restart = f.attrs.restart.is_some();
        let default = match &f.attrs.default {
            Some((_, Some(expr))) => {
                let shown = tokens::shown(expr);
                let variant = if tokens::is_str_literal(expr) {
                    quote!(Text)
                } else if tokens::is_value_literal(expr) {
                    quote!(Literal)
                } else {
                    quote!(Expr)
                };
                quote!(::core::option::Option::Some(#krate::__private::DefaultShown::#variant(#shown)))
            }
            Some((_, None)) => {
                quote!(::core::option::Option::Some(#krate::__private::DefaultShown::Trait))
            }
            None => quote!(::core::option::Option::None),
        };
        let fake = match &f.attrs.fake {
            // A secret's fake value is not shown anywhere, even though it is fake: not
            // kept where the macro can tell, and never read for a field whose shape is
            // secret (`explain` asks the shape first).
            Some((_, expr)) if !f.known_secret() => {
                let shown = tokens::shown(expr);
                quote!(::core::option::Option::Some(#shown))
            }
            Some(_) => quote!(::core::option::Option::Some("")),
            None => quote!(::core::option::Option::None),
        };
        let ty = tokens::tidy(f.ty);
        quote! {
            #krate::__private::Field {
                name: #name, doc: #doc, env: #env, aliases: &[#(#aliases),*], nested: #nested,
                shape: #shape, optional: #optional, allow_empty: #allow_empty, restart: #restart,
                default: #default, fake: #fake, ty: #ty,
                deprecated: &[#(#deprecated),*], rules: &[#(#rule_metas),*],
            }
        }
    });
    quote! {
        &#krate::__private::Meta {
            name: #name, doc: #doc, prefix: #prefix, secrets_dir: #secrets_dir,
            dotenv: #dotenv, config_file: #config_file, case_sensitive: #case_sensitive,
            fields: &[#(#fields),*],
            profile_env: #profile_env, ignore_env: &[#(#ignore_env),*],
        }
    }
}

/// The field's shape, asked of its stored type (autoref dispatch sees through type
/// aliases) by a closure that is never called: `shape_of` reads its return type, so the
/// shape is a constant. `#[settings(secret)]` forces it secret.
fn shape(krate: &TokenStream, f: &Field<'_>) -> TokenStream {
    let Some(value) = f.value() else {
        return quote!(#krate::__private::Shape::PLAIN);
    };
    let ty = value.ty;
    let forced = f.attrs.secret.map(|_| quote!(.forced_secret()));
    quote! {
        #krate::__private::shape_of(&|| {
            #[allow(unused_imports)]
            use #krate::__private::{ShapeOfBytes as _, ShapeOfPlain as _, ShapeOfSecret as _};
            #[allow(clippy::needless_borrow, clippy::let_and_return)]
            let __shape = (&&&#krate::__private::Probe::<#ty>::new()).shape();
            __shape
        }) #forced
    }
}

/// An expression of the stored type from a `default` or `fake` expression: a literal
/// takes the type as written (`Into` would make `5` an `i32`), anything else goes
/// through `From`. For `Secret<U>` written out, the value is a `U`, then wrapped.
fn convert(krate: &TokenStream, f: &Field<'_>, expr: &syn::Expr) -> TokenStream {
    let stored = f.stored();
    if tokens::is_plain_literal(expr) {
        // `fake = 42` on a `Secret<u64>`: the literal takes the secret's inner type.
        let target = f.spelled_secret().unwrap_or(stored);
        let value = quote_spanned!(expr_span(expr)=> { let __v: #target = #expr; __v });
        return if f.spelled_secret().is_some() {
            quote!(#krate::Secret::new(#value))
        } else {
            value
        };
    }
    // `Secret<T>` converts from `T`, from itself and (for `String`, `Vec<u8>`) from `&str`.
    quote_spanned! {expr_span(expr)=> {
        #[allow(clippy::useless_conversion)] // reason: `default = x` is documented as `x.into()`
        let __v = <#stored as ::core::convert::From<_>>::from(#expr);
        __v
    }}
}

/// The distinct stored types of a struct's settings, in order of first use, and for each
/// field (`None` for `nested`) the index of its type: the dispatch that picks a type's
/// parser or writer is then written once per type, not once per field (it is the costly
/// part to type-check). Types are the same when spelled the same, except those naming
/// `$crate`, which may come from different crates.
fn distinct_types<'a>(c: &Container<'a>) -> (Vec<&'a syn::Type>, Vec<Option<usize>>) {
    let mut types: Vec<(String, &syn::Type)> = Vec::new();
    let mut index = Vec::with_capacity(c.fields.len());
    for f in &c.fields {
        if f.is_nested() {
            index.push(None);
            continue;
        }
        let ty = f.stored();
        let key = quote!(#ty).to_string();
        let found = (!key.contains("$crate"))
            .then(|| types.iter().position(|(k, _)| *k == key))
            .flatten();
        index.push(Some(found.unwrap_or_else(|| {
            types.push((key, ty));
            types.len() - 1
        })));
    }
    (types.into_iter().map(|(_, ty)| ty).collect(), index)
}

fn expr_span(expr: &syn::Expr) -> Span {
    syn::spanned::Spanned::span(expr)
}

fn build(c: &Container<'_>) -> TokenStream {
    let krate = &c.krate;
    let vars: Vec<_> = (0..c.fields.len())
        .map(|i| format_ident!("__field{}", i))
        .collect();
    let (types, type_index) = distinct_types(c);
    // Per field type, what its leaves are built with (`Steps`: the parser and the two
    // build steps), asked of the dispatch once.
    let steps_of = |t: usize| format_ident!("__steps{}", t);
    let dispatches = types.iter().enumerate().map(|(t, stored)| {
        let var = steps_of(t);
        // The type's location (errors point at it), the call site's hygiene (as for the
        // rest of the generated code).
        let parse_span = Span::call_site().located_at(syn::spanned::Spanned::span(stored));
        let krate = validate::respan(krate, parse_span);
        let parse = quote_spanned! {parse_span=>
            (&&&&&&&&&#krate::__private::Tag::<#stored>::NEW).parse_value()
        };
        quote!(let #var = #parse;)
    });
    let fields = c.fields.iter().zip(&vars).enumerate().map(|(i, (f, var))| {
        if f.is_nested() {
            let ty = f.ty;
            return quote! {
                __build.enter(#i);
                let #var = <#ty as #krate::Settings>::__build(__build);
                __build.leave();
            };
        }
        let stored = f.stored();
        let default = match &f.attrs.default {
            // `default = "30s"`: text for the field's parser, at load (the field's
            // `Meta` holds it: `DefaultShown::Text`).
            Some((_, Some(expr))) if tokens::is_str_literal(expr) => {
                quote!(::core::option::Option::None)
            }
            Some((_, Some(expr))) => {
                let value = convert(krate, f, expr);
                quote!(::core::option::Option::Some(|| -> #stored { #value }))
            }
            Some((span, None)) => quote_spanned! {*span=>
                ::core::option::Option::Some(<#stored as ::core::default::Default>::default)
            },
            None => quote!(::core::option::Option::None),
        };
        let fake = match &f.attrs.fake {
            Some((_, expr)) => {
                let value = convert(krate, f, expr);
                quote!(::core::option::Option::Some(|| -> #stored { #value }))
            }
            None => quote!(::core::option::Option::None),
        };
        let step = if f.is_optional() {
            quote!(optional)
        } else {
            quote!(required)
        };
        let leaf = validate::needs_leaf(c, i).then(|| {
            let leaf = validate::leaf_var(i);
            quote!(let #leaf = __build.last_leaf();)
        });
        let checks = validate::field_checks(krate, f, var, i);
        let steps = steps_of(type_index[i].expect("a setting has a stored type"));
        quote! {
            let #var = (#steps.#step)(__build, #i, #steps.parse, #default, #fake);
            #leaf
            #checks
        }
    });
    let idents = c.fields.iter().map(|f| f.ident);
    let mark = validate::needs_mark(c).then(|| quote!(let __mark = __build.mark();));
    let struct_checks = validate::struct_checks(c);
    quote! {
        #(#dispatches)*
        #mark
        #(#fields)*
        let (#(::core::option::Option::Some(#vars),)*) = (#(#vars,)*) else {
            return ::core::option::Option::None;
        };
        let __value = Self { #(#idents: #vars),* };
        #struct_checks
        ::core::option::Option::Some(__value)
    }
}

/// Hands the redactor every secret value of the secret fields, nested structs included.
/// The type decides at compile time: a field whose type holds no secret resolves to the
/// scan that does nothing (the same bound its shape is read from), a
/// `#[settings(secret)]` field to the scan that takes any `Serialize` value.
fn secrets(c: &Container<'_>) -> TokenStream {
    let krate = &c.krate;
    let visits = c.fields.iter().map(|f| {
        let ident = f.ident;
        if f.is_nested() {
            let ty = f.ty;
            return quote!(<#ty as #krate::Settings>::__secrets(&self.#ident, __visit););
        }
        let scan = if f.attrs.secret.is_some() {
            quote!(Scan)
        } else {
            quote!(ScanTyped)
        };
        quote!((&&&&&#krate::__private::#scan(&self.#ident)).secret_values(__visit);)
    });
    quote!(#(#visits)*)
}

/// One `__visit.leaf(i, ..)` call per setting `i` of the struct, with the leaf's value
/// and the writer of its type, which writes the value as settings text only when asked
/// (for `child_env`, which asks only for the leaves it hands to a child); a `nested`
/// field's leaves between `__visit.enter(i)` and `__visit.leave()`.
fn texts(c: &Container<'_>) -> TokenStream {
    let krate = &c.krate;
    let (types, type_index) = distinct_types(c);
    let writer = |t: usize| format_ident!("__write{}", t);
    let writers = types.iter().enumerate().map(|(t, stored)| {
        let var = writer(t);
        quote!(let #var = (&&&&&&#krate::__private::Show::<#stored>::NEW).text_writer();)
    });
    let visits = c
        .fields
        .iter()
        .zip(&type_index)
        .enumerate()
        .map(|(i, (f, t))| {
            let ident = f.ident;
            if f.is_nested() {
                let ty = f.ty;
                return quote! {
                    __visit.enter(#i);
                    <#ty as #krate::Settings>::__texts(&self.#ident, __visit);
                    __visit.leave();
                };
            }
            let stored = f.stored();
            let value = if f.is_optional() {
                quote!(::core::option::Option::as_ref(&self.#ident))
            } else {
                quote!(::core::option::Option::Some(&self.#ident))
            };
            let write = writer(t.expect("a setting has a stored type"));
            quote! {
                __visit.leaf(#i, &#krate::__private::Leaf::<'_, #stored> {
                    value: #value,
                    write: #write,
                });
            }
        });
    quote!(#(#writers)* #(#visits)*)
}
