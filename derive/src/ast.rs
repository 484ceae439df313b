//! The checked model of a settings struct: what `expand` generates code from.

use syn::ext::IdentExt as _;
use syn::{Attribute, DeriveInput, Expr, GenericArgument, Ident, PathArguments, Type};

use crate::attr::{self, ContainerAttrs, FieldAttrs};
use crate::ctxt::Ctxt;

pub(crate) struct Container<'a> {
    pub input: &'a DeriveInput,
    pub attrs: ContainerAttrs,
    pub doc: String,
    pub fields: Vec<Field<'a>>,
}

pub(crate) struct Field<'a> {
    pub ident: &'a Ident,
    /// The name without `r#`.
    pub name: String,
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
    pub doc: String,
    /// `Option<T>`: the value is `T`.
    pub optional: bool,
    /// The type one value is stored as: the field type without `Option`.
    pub stored: &'a Type,
    /// `Secret<T>` (inside the `Option`, if any): `T`.
    pub secret_inner: Option<&'a Type>,
    /// `#[validate(...)]` attributes, given meaning by the validation rules.
    pub validate: Vec<&'a Attribute>,
}

impl Field<'_> {
    pub(crate) fn is_nested(&self) -> bool {
        self.attrs.nested.is_some()
    }

    pub(crate) fn is_secret(&self) -> bool {
        self.secret_inner.is_some()
    }

    /// The type text is parsed into: the secret's inner type, or the stored type.
    pub(crate) fn parsed(&self) -> &Type {
        self.secret_inner.unwrap_or(self.stored)
    }

    /// The generated environment name, before the prefix.
    pub(crate) fn env_stem(&self) -> String {
        self.name.to_ascii_uppercase()
    }
}

impl<'a> Container<'a> {
    pub(crate) fn from_input(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let attrs = attr::container(cx, &input.attrs);
        let named = match &input.data {
            syn::Data::Struct(syn::DataStruct {
                fields: syn::Fields::Named(named),
                ..
            }) => named,
            _ => {
                cx.error(
                    &input.ident,
                    "`Settings` can only be derived for a struct with named fields",
                );
                return None;
            }
        };
        let fields = named
            .named
            .iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let optional_inner = peel(&f.ty, "Option");
                let stored = optional_inner.unwrap_or(&f.ty);
                Some(Field {
                    ident,
                    name: ident.unraw().to_string(),
                    ty: &f.ty,
                    attrs: attr::field(cx, &f.attrs),
                    doc: attr::doc(&f.attrs),
                    optional: optional_inner.is_some(),
                    stored,
                    secret_inner: peel(stored, "Secret"),
                    validate: f
                        .attrs
                        .iter()
                        .filter(|a| a.path().is_ident("validate"))
                        .collect(),
                })
            })
            .collect();
        Some(Container {
            input,
            attrs,
            doc: attr::doc(&input.attrs),
            fields,
        })
    }
}

/// `Name<T>` (any path ending in `Name` with one type argument): `T`.
pub(crate) fn peel<'t>(ty: &'t Type, name: &str) -> Option<&'t Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    if args.args.len() != 1 {
        return None;
    }
    match args.args.first()? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// Whether an expression is a numeric or bool literal, maybe negated: such a default is
/// emitted as is, so it takes the field's type (`Into` would make `5` an `i32`).
pub(crate) fn is_plain_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(lit) => matches!(
            lit.lit,
            syn::Lit::Int(_) | syn::Lit::Float(_) | syn::Lit::Bool(_)
        ),
        Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => is_plain_literal(expr),
        Expr::Group(g) => is_plain_literal(&g.expr),
        _ => false,
    }
}

/// Tokens as a person writes them: `Secret<String>`, not `Secret < String >`.
pub(crate) fn tidy(tokens: &impl quote::ToTokens) -> String {
    let mut s = tokens.to_token_stream().to_string();
    for (from, to) in [
        (" < ", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
        (" :: ", "::"),
        (":: ", "::"),
        ("& ", "&"),
        ("- ", "-"),
    ] {
        s = s.replace(from, to);
    }
    s
}

/// How a default or fake expression is shown: a string literal without its quotes.
pub(crate) fn shown(expr: &Expr) -> String {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => s.value(),
        other => tidy(other),
    }
}
