//! Collects every error of one expansion, so one compile shows all misuse (serde's `Ctxt`).

use std::fmt::Display;

use proc_macro2::TokenStream;
use quote::ToTokens;

#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Vec<syn::Error>,
}

impl Ctxt {
    pub(crate) fn error(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.errors
            .push(syn::Error::new_spanned(tokens.into_token_stream(), message));
    }

    pub(crate) fn push(&mut self, error: syn::Error) {
        self.errors.push(error);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors in the order of the source (parsing and checking find them in
    /// different orders), each a `compile_error!`.
    pub(crate) fn into_compile_errors(mut self) -> TokenStream {
        self.errors.sort_by_key(|error| {
            let span = error.span().unwrap();
            (span.line(), span.column())
        });
        self.errors
            .iter()
            .map(syn::Error::to_compile_error)
            .collect()
    }
}
