//! figment providers as a layer (`Loader::provider`, feature `figment`): any
//! `figment::Provider`'s data, each leaf found by its dotted path.

use zeroize::Zeroizing;

use super::{Found, Hit, Layers, Raw};
use crate::error::{Problem, ProblemKind, Problems};
use crate::origin::Origin;

/// The name a provider is shown by: its first metadata's.
pub(crate) fn figment_name(figment: &figment::Figment) -> String {
    figment
        .metadata()
        .next()
        .map_or_else(|| "figment provider".to_owned(), provider_name)
}

/// Looks every leaf up in a figment provider: its data is extracted once, then each leaf
/// is found by dotted path in it. Each value's origin is named from its own tag (a
/// merged `Figment` holds values from several files), so a TOML file's value reads
/// `config.toml`. Errors from figment are not shown: they can quote the provider's
/// content.
pub(crate) fn scan(
    plan: &crate::plan::Plan,
    figment: &figment::Figment,
    (layers, layer): (&mut Layers, usize),
    hits: &mut Vec<Hit>,
    problems: &mut Problems,
    warnings: &mut crate::names::Warnings,
) {
    use figment::value::Value;

    let Ok(data) = figment.extract::<Value>() else {
        let name = figment_name(figment);
        problems.source(
            Problem::of_source(
                ProblemKind::Unreadable,
                crate::error::PROVIDER_UNREADABLE.to_owned(),
            )
            .at(Some(Origin::Provider { name })),
        );
        return;
    };
    if let Value::Dict(_, dict) = &data {
        unknown_keys(plan, figment, dict, &mut String::new(), warnings);
    }
    for (leaf, l) in plan.leaves.iter().enumerate() {
        let Some(value) = data.find_ref(&l.path) else {
            continue;
        };
        let text = match value {
            Value::String(_, s) => s.clone(),
            other => match serde_json::to_string(other) {
                Ok(json) => json,
                Err(_) => continue,
            },
        };
        let name = value_name(figment, value);
        hits.push(Hit {
            leaf,
            raw: Raw::Text(Zeroizing::new(text)),
            found: Found {
                layer,
                at: layers.provider_name(layer, name),
                spelled: l.path.clone(),
                ..Found::default()
            },
        });
    }
}

/// Warns of every key of a provider's dictionary that names no setting (as a config
/// file's keys are checked), each with the name of the provider its value came from.
fn unknown_keys(
    plan: &crate::plan::Plan,
    figment: &figment::Figment,
    dict: &figment::value::Dict,
    prefix: &mut String,
    warnings: &mut crate::names::Warnings,
) {
    use crate::plan::Key;
    use figment::value::Value;
    for (key, value) in dict {
        let len = prefix.len();
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(key);
        match (plan.config_key(prefix), value) {
            (Some(Key::Leaf(_)), _) => {}
            (Some(Key::Section), Value::Dict(_, inner)) => {
                unknown_keys(plan, figment, inner, prefix, warnings);
            }
            (Some(Key::Section), _) => {
                let origin = Origin::Provider {
                    name: value_name(figment, value),
                };
                crate::names::config_section(plan, prefix, origin, warnings);
            }
            (None, _) => {
                let origin = Origin::Provider {
                    name: value_name(figment, value),
                };
                crate::names::config_key(plan, prefix, origin, warnings);
            }
        }
        prefix.truncate(len);
    }
}

/// The name of the provider `value` came from.
fn value_name(figment: &figment::Figment, value: &figment::value::Value) -> String {
    figment
        .get_metadata(value.tag())
        .map_or_else(|| "figment provider".to_owned(), provider_name)
}

/// A provider's name for an origin: a file's path (relative to the current directory
/// when under it), else the provider's name and where it was added.
fn provider_name(metadata: &figment::Metadata) -> String {
    match &metadata.source {
        Some(figment::Source::File(path)) => crate::origin::shown_path(path).into_owned(),
        Some(source) => format!("{} {source}", metadata.name),
        None => metadata.name.to_string(),
    }
}
