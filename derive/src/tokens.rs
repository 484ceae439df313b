//! Token helpers: literals, invisible groups, and tokens shown as a person wrote them.

use quote::ToTokens as _;
use syn::{Expr, Type};

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

/// Whether an expression is a string literal (`"30s"`): a default written as settings
/// text, which the field's own parser reads at load.
pub(crate) fn is_str_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(lit) => matches!(lit.lit, syn::Lit::Str(_)),
        Expr::Group(g) => is_str_literal(&g.expr),
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
