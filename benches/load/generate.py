#!/usr/bin/env python3
"""Writes benches/load/structs.rs: the same settings struct of 10, 50 and 200 fields,
declared once for each loader the load benchmark compares.

Run from the repository root after changing it: python3 benches/load/generate.py
"""

SIZES = [10, 50, 200]
SECRET_FILES = 20

# (type, env value for field i); the mix repeats every ten fields.
KINDS = [
    ("String", lambda i: f"value-{i}"),
    ("u16", lambda i: str(1000 + i)),
    ("u64", lambda i: str(1_000_003 * i)),
    ("i64", lambda i: str(-i)),
    ("f64", lambda i: f"{i}.5"),
    ("bool", lambda i: "true" if i % 2 else "false"),
    ("Option<String>", lambda i: f"optional-{i}"),
    ("Option<u32>", lambda i: str(i)),
    ("String", lambda i: f"https://example.com/{i}"),
    ("u32", lambda i: str(70_000 + i)),
]
NESTED = [("host", "String", "db.internal"), ("port", "u16", "5432"),
          ("user", "String", "service"), ("pool", "u32", "16")]


def top_fields(n):
    """(name, type, value) for the n - 4 top-level fields; the nested struct holds 4."""
    out = []
    for i in range(n - len(NESTED)):
        ty, value = KINDS[i % len(KINDS)]
        out.append((f"field{i}", ty, value(i)))
    return out


def parse_expr(ty, text):
    """Hand-written parsing of `text` (an expression of type &str) into `ty`."""
    if ty == "String":
        return f"{text}.to_owned()"
    return f"{text}.parse::<{ty}>().map_err(|e| e.to_string())?"


def module(n):
    fields = top_fields(n)
    env = [(f"APP_{name.upper()}", value) for name, _, value in fields]
    env += [(f"APP_DB__{name.upper()}", value) for name, _, value in NESTED]
    lines = [f"pub mod n{n} {{", "    use super::*;", ""]
    lines.append(f"    pub const FIELDS: usize = {n};")
    lines.append("    /// Every setting, as its environment variable.")
    lines.append("    pub const ENV: &[(&str, &str)] = &[")
    lines += [f'        ("{k}", "{v}"),' for k, v in env]
    lines.append("    ];")
    lines.append("")

    def struct(name, derive, attrs, field_attr, nested_attr, db_name, fields_ty=None):
        out = [f"    #[derive({derive})]"] + [f"    {a}" for a in attrs]
        out.append(f"    pub struct {name} {{")
        for fname, ty, _ in fields:
            for a in field_attr(f"APP_{fname.upper()}"):
                out.append(f"        {a}")
            out.append(f"        pub {fname}: {ty},")
        out += [f"        {a}" for a in nested_attr]
        out.append(f"        pub db: {db_name},")
        out.append("    }")
        out.append("")
        out.append(f"    #[derive({derive})]")
        out.append(f"    pub struct {db_name} {{")
        for fname, ty, _ in NESTED:
            for a in field_attr(f"APP_DB__{fname.upper()}"):
                out.append(f"        {a}")
            out.append(f"        pub {fname}: {ty},")
        out.append("    }")
        out.append("")
        return out

    none = lambda _env: []
    # confidant, case-insensitive (the default) and case-sensitive.
    lines += struct("Confidant", "Debug, confidant::Settings", ['#[settings(prefix = "APP_")]'],
                    none, ["#[settings(nested)]"], "ConfidantDb")
    lines += struct("ConfidantCs", "Debug, confidant::Settings",
                    ['#[settings(prefix = "APP_", case_sensitive)]'],
                    none, ["#[settings(nested)]"], "ConfidantCsDb")
    # serde only: config-rs, figment, and the hand-written loaders build it too.
    lines += struct("Plain", "Debug, serde::Deserialize", [], none, [], "PlainDb")
    # confique names each variable.
    lines += struct("Confique", "Debug, confique::Config", [],
                    lambda e: [f'#[config(env = "{e}")]'], ["#[config(nested)]"], "ConfiqueDb")
    # envy reads flat structs only: the nested fields are top-level `db__*` fields.
    lines.append("    #[derive(Debug, serde::Deserialize)]")
    lines.append("    pub struct Envy {")
    for fname, ty, _ in fields:
        lines.append(f"        pub {fname}: {ty},")
    for fname, ty, _ in NESTED:
        lines.append(f"        pub db__{fname}: {ty},")
    lines.append("    }")
    lines.append("")
    # The full load: the same fields plus 20 API keys from a secrets directory.
    lines.append("    #[derive(Debug, confidant::Settings)]")
    lines.append('    #[settings(prefix = "APP_")]')
    lines.append("    pub struct Full {")
    for fname, ty, _ in fields:
        lines.append(f"        pub {fname}: {ty},")
    lines.append("        #[settings(nested)]")
    lines.append("        pub db: ConfidantDb,")
    for k in range(SECRET_FILES):
        lines.append(f"        pub key{k}: confidant::Secret<String>,")
    lines.append("    }")
    lines.append("")

    # Hand-written loaders.
    for kind, get in [
        ("var", lambda e: f'std::env::var("{e}").ok()'),
        ("snapshot", lambda e: f'env.get("{e}").map(String::as_str)'),
    ]:
        if kind == "var":
            lines.append("    /// One `std::env::var` per field.")
            lines.append("    pub fn by_var() -> Result<Plain, String> {")
            deref = lambda e: f'{get(e)}'
        else:
            lines.append("    /// One snapshot of the environment, then a lookup per field.")
            lines.append("    pub fn by_snapshot() -> Result<Plain, String> {")
            lines.append("        let env: HashMap<String, String> = std::env::vars().collect();")
            deref = get

        def field_expr(e, ty, kind=kind):
            if ty.startswith("Option<"):
                inner = ty[len("Option<"):-1]
                if inner == "String" and kind == "var":
                    return deref(e)
                if inner == "String":
                    return f"{deref(e)}.map(|v| v.to_owned())"
                return f"{deref(e)}.map(|v| v.parse::<{inner}>()).transpose().map_err(|e| e.to_string())?"
            value = f'{deref(e)}.ok_or("{e} is missing")?'
            if ty == "String" and kind == "var":
                return value
            return parse_expr(ty, f"({value})")

        lines.append("        Ok(Plain {")
        for fname, ty, _ in fields:
            lines.append(f"            {fname}: {field_expr('APP_' + fname.upper(), ty)},")
        lines.append("            db: PlainDb {")
        for fname, ty, _ in NESTED:
            lines.append(f"                {fname}: {field_expr('APP_DB__' + fname.upper(), ty)},")
        lines.append("            },")
        lines.append("        })")
        lines.append("    }")
        lines.append("")
    lines.append("}")
    return lines


def main():
    out = [
        "// @generated by benches/load/generate.py; do not edit.",
        "#![allow(dead_code, non_snake_case, clippy::all)]",
        "",
        "use std::collections::HashMap;",
        "",
        f"pub const SECRET_FILES: usize = {SECRET_FILES};",
        "",
    ]
    for n in SIZES:
        out += module(n)
        out.append("")
    with open("benches/load/structs.rs", "w") as f:
        f.write("\n".join(out).rstrip() + "\n")


if __name__ == "__main__":
    main()
