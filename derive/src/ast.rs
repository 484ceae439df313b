//! The checked model of a settings struct: what `expand` generates code from.

use proc_macro2::TokenStream;
use quote::ToTokens as _;
use syn::ext::IdentExt as _;
use syn::{DeriveInput, Expr, GenericArgument, Ident, PathArguments, Type};

use crate::attr::validate::{Kind as RuleKind, Rule, Schema};
use crate::attr::{self, ContainerAttrs, FieldAttrs};
use crate::ctxt::Ctxt;

pub(crate) struct Container<'a> {
    pub input: &'a DeriveInput,
    pub attrs: ContainerAttrs,
    /// `::confidant`, or the `crate = "..."` path.
    pub krate: TokenStream,
    pub doc: String,
    pub fields: Vec<Field<'a>>,
    /// `#[validate(schema(...))]`.
    pub schemas: Vec<Rule<Schema>>,
}

pub(crate) struct Field<'a> {
    pub ident: &'a Ident,
    /// The name without `r#`.
    pub name: String,
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
    pub doc: String,
    pub kind: Kind<'a>,
    /// `#[validate(...)]` rules, in order.
    pub rules: Vec<Rule<RuleKind>>,
}

/// What a field is, as far as its declaration tells (serde's and confique's field kinds).
///
/// Whether a value is *secret* is not decided here: the macro sees how a type is
/// spelled, not what it is (`type ApiKey = Secret<String>;`), so secret-ness is asked of
/// the type at run time (`confidant::__private::Probe`), with `#[settings(secret)]`
/// forcing it.
pub(crate) enum Kind<'a> {
    /// A setting of type `T`: required unless it has a default.
    Required(Value<'a>),
    /// `Option<T>`: a setting no layer sets is `None`.
    Optional(Value<'a>),
    /// `#[settings(nested)]`: a struct that derives `Settings`, flattened.
    Nested,
}

/// The type one value of a setting is stored as.
pub(crate) struct Value<'a> {
    /// `T`: the field type, without the `Option`.
    pub ty: &'a Type,
    /// `Secret<U>` written out: `U`. Used only where the spelling is all there is: to
    /// convert a `default`/`fake` literal to `U` before wrapping it, to expose the value
    /// to validation rules, and for the spanned "secret with a default" error.
    pub spelled_secret: Option<&'a Type>,
}

impl<'a> Field<'a> {
    pub(crate) fn is_nested(&self) -> bool {
        matches!(self.kind, Kind::Nested)
    }

    pub(crate) fn is_optional(&self) -> bool {
        matches!(self.kind, Kind::Optional(_))
    }

    /// The stored value's type, for a setting (not `nested`).
    pub(crate) fn value(&self) -> Option<&Value<'a>> {
        match &self.kind {
            Kind::Required(v) | Kind::Optional(v) => Some(v),
            Kind::Nested => None,
        }
    }

    /// The type one value is stored as: the field type without `Option`.
    pub(crate) fn stored(&self) -> &'a Type {
        self.value().map_or(self.ty, |v| v.ty)
    }

    /// `Secret<U>` written out in the type (see [`Value::spelled_secret`]).
    pub(crate) fn spelled_secret(&self) -> Option<&'a Type> {
        self.value().and_then(|v| v.spelled_secret)
    }

    /// Known to be secret at compile time: `Secret<_>` written out, or
    /// `#[settings(secret)]`. (Others may turn out secret at run time.)
    pub(crate) fn known_secret(&self) -> bool {
        self.spelled_secret().is_some() || self.attrs.secret.is_some()
    }

    /// The generated environment name, before the prefix.
    pub(crate) fn env_stem(&self) -> String {
        self.name.to_ascii_uppercase()
    }
}

impl<'a> Container<'a> {
    pub(crate) fn from_input(
        cx: &mut Ctxt,
        input: &'a DeriveInput,
        attrs: ContainerAttrs,
    ) -> Option<Self> {
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
        if !input.generics.params.is_empty() {
            // One static description (`META`, the cached plan) per settings type: a
            // generic struct would share it between instantiations.
            cx.error(
                &input.generics,
                "`Settings` cannot be derived for a generic struct: each settings type needs its own description; write the struct with concrete types",
            );
            return None;
        }
        let fields = named
            .named
            .iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let attrs = attr::field(cx, &f.attrs);
                let kind = if attrs.nested.is_some() {
                    Kind::Nested
                } else {
                    let value = |ty| Value {
                        ty,
                        spelled_secret: peel(ty, "Secret"),
                    };
                    match peel(&f.ty, "Option") {
                        Some(inner) => Kind::Optional(value(inner)),
                        None => Kind::Required(value(&f.ty)),
                    }
                };
                Some(Field {
                    ident,
                    name: ident.unraw().to_string(),
                    ty: &f.ty,
                    doc: attr::doc(&f.attrs),
                    attrs,
                    kind,
                    rules: attr::validate::field(cx, &f.attrs),
                })
            })
            .collect();
        Some(Container {
            input,
            krate: attrs.krate(),
            attrs,
            doc: attr::doc(&input.attrs),
            fields,
            schemas: attr::validate::container(cx, &input.attrs),
        })
    }

    /// The field named `name`, and its index.
    pub(crate) fn field(&self, name: &str) -> Option<(usize, &Field<'a>)> {
        self.fields.iter().enumerate().find(|(_, f)| f.name == name)
    }
}

/// The expression inside the invisible groups a `macro_rules!` `$e:expr` arrives in.
pub(crate) fn ungroup(expr: &Expr) -> &Expr {
    match expr {
        Expr::Group(g) => ungroup(&g.expr),
        other => other,
    }
}

/// The type inside the invisible groups a `macro_rules!` `$t:ty` arrives in.
pub(crate) fn ungroup_type(ty: &Type) -> &Type {
    match ty {
        Type::Group(g) => ungroup_type(&g.elem),
        other => other,
    }
}

/// `Name<T>` (any path ending in `Name` with one type argument): `T`.
pub(crate) fn peel<'t>(ty: &'t Type, name: &str) -> Option<&'t Type> {
    // A type from a `macro_rules!` `$t:ty` arrives in an invisible group.
    if let Type::Group(group) = ty {
        return peel(&group.elem, name);
    }
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

/// Whether a default is a literal that `.env.example` can write as the value: a number,
/// a `bool` or a string (shown without its quotes). A `char` is shown with its quotes,
/// so it is not one.
pub(crate) fn is_value_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(lit) => matches!(lit.lit, syn::Lit::Str(_)) || is_plain_literal(expr),
        Expr::Group(g) => is_value_literal(&g.expr),
        _ => is_plain_literal(expr),
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

/// How a default or fake expression is shown: a string literal without its quotes,
/// anything else as written in the source (tidied tokens where the source is not at
/// hand, e.g. inside another macro's output).
pub(crate) fn shown(expr: &Expr) -> String {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => s.value(),
        other => as_written(other.to_token_stream())
            .unwrap_or_else(|| tidy(other))
            // A macro call (`vec![..]`): its delimiter is re-spanned by syn.
            .replace("! [", "![")
            .replace("! (", "!(")
            .replace("! {", "!{"),
    }
}

/// The tokens as they are written in the source: each token's text, with the spaces
/// between them recovered from the tokens' columns (`proc_macro::Span::column`, stable
/// since Rust 1.88; `Span::join` is not). `None` when the tokens span several lines or
/// do not come in source order (another macro's output).
fn as_written(tokens: proc_macro2::TokenStream) -> Option<String> {
    struct Writer {
        out: String,
        /// Line and the column just after the last token written.
        at: Option<(usize, usize)>,
    }
    impl Writer {
        fn token(&mut self, span: proc_macro2::Span, text: &str) -> Option<()> {
            let span = span.unwrap();
            self.at_position(span.line(), span.column(), text)
        }

        fn at_position(&mut self, line: usize, column: usize, text: &str) -> Option<()> {
            if let Some((at_line, at_column)) = self.at {
                if line != at_line || column < at_column {
                    return None;
                }
                self.out
                    .extend(std::iter::repeat_n(' ', column - at_column));
            }
            self.out.push_str(text);
            self.at = Some((line, column + text.chars().count()));
            Some(())
        }

        fn stream(&mut self, tokens: proc_macro2::TokenStream) -> Option<()> {
            use proc_macro2::{Delimiter, TokenTree};
            for tree in tokens {
                match tree {
                    TokenTree::Group(group) => {
                        let (open, close) = match group.delimiter() {
                            Delimiter::Parenthesis => ("(", ")"),
                            Delimiter::Bracket => ("[", "]"),
                            Delimiter::Brace => ("{", "}"),
                            Delimiter::None => ("", ""),
                        };
                        if !open.is_empty() {
                            self.token(group.span_open(), open)?;
                        }
                        self.stream(group.stream())?;
                        if !close.is_empty() {
                            // `span_close()` of a group in a derive's input is the open
                            // delimiter's span; the group's whole span ends right after
                            // the close delimiter.
                            let end = group.span().unwrap().end();
                            self.at_position(end.line(), end.column().checked_sub(1)?, close)?;
                        }
                    }
                    other => self.token(other.span(), &other.to_string())?,
                }
            }
            Some(())
        }
    }
    let mut writer = Writer {
        out: String::new(),
        at: None,
    };
    writer.stream(tokens)?;
    Some(writer.out)
}
