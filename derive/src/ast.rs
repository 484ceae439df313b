//! The checked model of a settings struct: what `expand` generates code from.

use proc_macro2::TokenStream;
use syn::ext::IdentExt as _;
use syn::{DeriveInput, GenericArgument, Ident, PathArguments, Type};

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

/// Whether the type, as spelled, is one that holds no secret: a standard scalar
/// (`String`, `bool`, numbers, `PathBuf`...) or a standard container of such types
/// (`Vec<String>`, `HashMap<String, u16>`). Only saves a compile-time check that the
/// type would pass anyway (the check of a secret's default): an alias or a user type
/// answers `false` and is checked.
pub(crate) fn spelled_plain(ty: &Type) -> bool {
    const SCALARS: &[&str] = &[
        "String", "bool", "char", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32",
        "i64", "i128", "isize", "f32", "f64", "PathBuf",
    ];
    const CONTAINERS: &[&str] = &[
        "Vec", "VecDeque", "Option", "Box", "BTreeMap", "HashMap", "BTreeSet", "HashSet",
    ];
    let ty = match ty {
        Type::Group(group) => return spelled_plain(&group.elem),
        Type::Path(path) if path.qself.is_none() => path,
        _ => return false,
    };
    let Some(last) = ty.path.segments.last() else {
        return false;
    };
    let name = last.ident.to_string();
    match &last.arguments {
        PathArguments::None => SCALARS.contains(&name.as_str()),
        PathArguments::AngleBracketed(args) if CONTAINERS.contains(&name.as_str()) => {
            args.args.iter().all(|arg| match arg {
                GenericArgument::Type(inner) => spelled_plain(inner),
                _ => false,
            })
        }
        _ => false,
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
