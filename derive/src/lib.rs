#![warn(missing_docs)]
#![forbid(unsafe_code)]
//! The derive behind `confidant::Settings`. Use it through the `confidant` crate: the
//! generated code calls `confidant`'s runtime, and this crate's version is pinned to it.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;

use proc_macro::TokenStream;

/// Derives `confidant::Settings`. See the `confidant` crate for the attributes.
#[proc_macro_derive(Settings, attributes(settings, validate))]
pub fn derive_settings(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}
