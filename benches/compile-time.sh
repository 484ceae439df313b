#!/usr/bin/env bash
# Compile time of the derive and build weight of the dependency tree: a small crate with
# one settings struct of 50 fields (46 top-level, 4 in a nested struct), built five ways:
#   serde            #[derive(serde::Deserialize)] only
#   serde-figment    the same, with figment as a dependency (re-exported)
#   confidant        #[derive(confidant::Settings)], default features
#   confidant-lean   the same with `default-features = false`
#   confique         #[derive(confique::Config)], with `env = ".."` on each field
#   stack            what a team assembles instead: serde's and validator's derives, figment
#                    (TOML and env providers), secrecy and dotenvy (issue 26's yardstick)
#
# Figures per crate, dev profile (or $PROFILE), CARGO_INCREMENTAL=0:
#   cold        `cargo clean` then `cargo build`: the crate and its whole dependency tree,
#               median of $COLD_RUNS, wall clock and CPU time (user + system: steadier
#               than the wall clock on a shared machine)
#   crate only  dependencies already built, the crate itself rebuilt (median of $RUNS),
#               wall clock and CPU time
#   crates      how many crates the build compiles
#
# Usage: bash benches/compile-time.sh [work-dir]     (RUNS=5, COLD_RUNS=1 by default)
#   COLD_RUNS=0     skip the cold builds (build once, if needed, before the crate-only runs)
#   NAMES="a b"     only these crates (default: all five)
#   PROFILE=release the release profile instead of dev
#   CONFIDANT=dir   build confidant from this checkout (default: this one), to compare two
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
confidant="${CONFIDANT:-$root}"
runs="${RUNS:-5}"
cold_runs="${COLD_RUNS:-1}"
export CARGO_INCREMENTAL=0

types=(String u16 u64 i64 f64 bool "Option<String>" "Option<u32>" String u32)

# fields <attr-template>: 46 fields; @ENV@ in the template becomes the variable name.
fields() {
    local template="$1" i ty attr
    for i in $(seq 0 45); do
        ty="${types[$((i % 10))]}"
        attr="${template//@ENV@/APP_FIELD$i}"
        [ -n "$attr" ] && echo "    $attr"
        echo "    pub field$i: $ty,"
    done
}

nested() {
    local template="$1" name ty attr
    for pair in host:String port:u16 user:String pool:u32; do
        name="${pair%%:*}"
        ty="${pair#*:}"
        attr="${template//@ENV@/APP_DB__${name^^}}"
        [ -n "$attr" ] && echo "    $attr"
        echo "    pub $name: $ty,"
    done
}

# crate <name> <dependency lines> <derive> <struct attr> <field attr> <nested attr> [extra line]
crate() {
    local name="$1" dep="$2" derive="$3" struct_attr="$4" field_attr="$5" nested_attr="$6"
    local extra="${7:-}"
    local dir="$work/$name"
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "ct-$name"
version = "0.1.0"
edition = "2024"

[dependencies]
$dep

[workspace]
EOF
    # The same dependency versions as confidant's own lock file.
    cp "$root/Cargo.lock" "$dir/Cargo.lock"
    {
        echo "//! 50 settings, derived with $name."
        [ -n "$extra" ] && echo "$extra"
        echo "#[derive($derive)]"
        [ -n "$struct_attr" ] && echo "$struct_attr"
        echo "pub struct Config {"
        fields "$field_attr"
        [ -n "$nested_attr" ] && echo "    $nested_attr"
        echo "    pub db: Db,"
        echo "}"
        echo
        echo "#[derive($derive)]"
        echo "pub struct Db {"
        nested "$field_attr"
        echo "}"
    } >"$dir/src/lib.rs"
}

crate serde 'serde = { version = "1", features = ["derive"] }' \
    serde::Deserialize "" "" ""
crate serde-figment 'serde = { version = "1", features = ["derive"] }
figment = "0.10"' \
    serde::Deserialize "" "" "" "pub use figment;"
crate confidant "confidant = { path = \"$confidant\" }" \
    confidant::Settings '#[settings(prefix = "APP_")]' "" "#[settings(nested)]"
crate confidant-lean "confidant = { path = \"$confidant\", default-features = false }" \
    confidant::Settings '#[settings(prefix = "APP_")]' "" "#[settings(nested)]"
crate stack 'serde = { version = "1", features = ["derive"] }
figment = { version = "0.10", features = ["toml", "env"] }
secrecy = "0.10"
validator = { version = "0.21", features = ["derive"] }
dotenvy = "0.15"' \
    "serde::Deserialize, validator::Validate" "" "" "" \
    "pub use {dotenvy, figment, secrecy};"
crate confique 'confique = { version = "0.4", default-features = false }' \
    confique::Config "" '#[config(env = "@ENV@")]' "#[config(nested)]"

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

read -r -a names <<<"${NAMES:-serde serde-figment confidant confidant-lean confique}"
profile="${PROFILE:-dev}"
build=(cargo build -q --profile "$profile")
declare -A cold cpu only only_cpu count
for name in "${names[@]}"; do
    dir="$work/$name"
    walls=()
    cpus=()
    for _ in $(seq "$cold_runs"); do
        (cd "$dir" && cargo clean -q && cargo fetch -q)
        # GNU time: "<wall> <user> <sys>" on the last line of stderr.
        out=$(cd "$dir" && /usr/bin/time -f '%e %U %S' "${build[@]}" 2>&1 | tail -1)
        walls+=("$(echo "$out" | awk '{ print $1 }')")
        cpus+=("$(echo "$out" | awk '{ print $2 + $3 }')")
    done
    if [ "$cold_runs" = 0 ]; then
        (cd "$dir" && "${build[@]}")
        walls=(-)
        cpus=(-)
    fi
    cold[$name]=$(printf '%s\n' "${walls[@]}" | median)
    cpu[$name]=$(printf '%s\n' "${cpus[@]}" | median)
    count[$name]=$(cd "$dir" && cargo tree -e normal,build --prefix none 2>/dev/null | sed 's/ (\*)$//' | sort -u | wc -l)
    samples=()
    samples_cpu=()
    for _ in $(seq "$runs"); do
        touch "$dir/src/lib.rs"
        out=$(cd "$dir" && /usr/bin/time -f '%e %U %S' "${build[@]}" 2>&1 | tail -1)
        samples+=("$(echo "$out" | awk '{ print $1 }')")
        samples_cpu+=("$(echo "$out" | awk '{ printf "%.2f", $2 + $3 }')")
    done
    only[$name]=$(printf '%s\n' "${samples[@]}" | median)
    only_cpu[$name]=$(printf '%s\n' "${samples_cpu[@]}" | median)
    echo "$name: cold ${cold[$name]} s wall (${walls[*]}), ${cpu[$name]} s CPU (${cpus[*]}), crate only ${only[$name]} s wall (${samples[*]}), ${only_cpu[$name]} s CPU (${samples_cpu[*]}), ${count[$name]} crates" >&2
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "" || b == "-" || b == 0) print "-"; else printf "%.2f×", a / b }'; }
echo
echo "| 50 fields | crates | cold, wall (median of $cold_runs) | cold, CPU | CPU vs serde + figment | crate only, wall (median of $runs) | vs serde | crate only, CPU | vs serde |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for name in "${names[@]}"; do
    echo "| $name | ${count[$name]} | ${cold[$name]} s | ${cpu[$name]} s | $(ratio "${cpu[$name]}" "${cpu[serde-figment]:-}") | ${only[$name]} s | $(ratio "${only[$name]}" "${only[serde]:-}") | ${only_cpu[$name]} s | $(ratio "${only_cpu[$name]}" "${only_cpu[serde]:-}") |"
done
echo
echo "rustc $(rustc --version | cut -d' ' -f2), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $profile profile, CARGO_INCREMENTAL=0; crates in $work"
