#![warn(missing_docs)]
#![forbid(unsafe_code)]
//! The derive behind `confidant::Settings`. Use it through the `confidant` crate: the
//! generated code calls `confidant`'s runtime, and this crate's version is pinned to it.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod tokens;

use proc_macro::TokenStream;

use crate::ast::Container;
use crate::ctxt::Ctxt;

/// Derives `confidant::Settings`. See the `confidant` crate for the attributes.
#[proc_macro_derive(Settings, attributes(settings, validate))]
pub fn derive_settings(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive(&input).into()
}

/// The pipeline: attributes into typed slots (`attr`), the checked model (`ast`), the
/// checks across attributes and fields (`check`), then code from the model (`expand`);
/// or, after any misuse, every error at once (`ctxt`) with a stand-in impl.
fn derive(input: &syn::DeriveInput) -> proc_macro2::TokenStream {
    let mut cx = Ctxt::default();
    let attrs = attr::container(&mut cx, &input.attrs);
    let krate = attrs.krate();
    let container = Container::from_input(&mut cx, input, attrs);
    if let Some(c) = &container {
        check::check(&mut cx, c);
    }
    match &container {
        Some(c) if cx.is_empty() => expand::expand(c),
        _ => {
            let mut out = cx.into_compile_errors();
            // A generic struct gets no stand-in: it could not meet `Settings: 'static`.
            if input.generics.params.is_empty() {
                out.extend(expand::fallback(input, &krate));
                // What only the compiler can tell of the field types, in the same compile.
                if let Some(c) = &container {
                    out.extend(expand::type_checks(c));
                }
            }
            out
        }
    }
}
