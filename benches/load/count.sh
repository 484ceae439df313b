#!/usr/bin/env bash
# Instructions per environment-only load (callgrind), for each loader, size and number of
# unrelated variables: steady on a loaded machine, where criterion's times swing.
#
# Usage: bash benches/load/count.sh [loader ...]
#        (default: hand_snapshot envy confique confidant confidant_cs)
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q --release -p confidant-benches --example count
exe=target/release/examples/count
loaders=("$@")
[ ${#loaders[@]} -eq 0 ] && loaders=(hand_snapshot envy confique confidant confidant_cs)
out="$(mktemp -d)"
# Instructions of `iterations` loads minus one load, divided: start-up costs cancel.
instructions() {
    local loader="$1" fields="$2" iterations="$3" env
    mapfile -t env < <("$exe" env "$fields" "$unrelated")
    env -i "${env[@]}" valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
        "$exe" run "$loader" "$fields" "$iterations" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '| unrelated | fields |'
printf ' %s |' "${loaders[@]}"
printf '\n|---|---|'
printf -- '---:|%.0s' "${loaders[@]}"
printf '\n'
for unrelated in 0 250; do
    for fields in 10 50 200; do
        printf '| %s | %s |' "$unrelated" "$fields"
        for loader in "${loaders[@]}"; do
            one=$(instructions "$loader" "$fields" 1)
            many=$(instructions "$loader" "$fields" 21)
            printf ' %s |' "$(( (many - one) / 20 ))"
        done
        printf '\n'
    done
done
rm -rf "$out"
