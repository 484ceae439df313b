//! A scenario's environment, shared by the criterion benchmark (`main.rs`) and the
//! instruction counts (`count.rs`), so that both measure the same thing.

use crate::structs;

/// Every setting of the struct of `fields` fields, as its environment variable.
pub fn settings_env(fields: usize) -> &'static [(&'static str, &'static str)] {
    match fields {
        10 => structs::n10::ENV,
        50 => structs::n50::ENV,
        200 => structs::n200::ENV,
        _ => unreachable!("no struct of {fields} fields"),
    }
}

/// Variables no loader here reads, shaped like a real service's environment.
pub fn unrelated_vars(count: usize) -> impl Iterator<Item = (String, String)> {
    (0..count).map(|i| {
        (
            format!(
                "SERVICE_{}_SETTING_{i}",
                ["HTTP", "GRPC", "OTEL", "K8S"][i % 4]
            ),
            format!("value-{i}-/usr/local/share/some/path:{}", i * 7),
        )
    })
}
