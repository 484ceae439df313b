#!/usr/bin/env bash
# Cold builds of crates made by compile-time.sh, interleaved: round after round, each
# crate is cleaned and built in turn, so that a drift in the machine's speed falls on
# every crate alike. Prints each build, then the medians and their ratios to the first.
#
# Usage: bash benches/cold-interleaved.sh RUNS DIR...   (dev profile, CARGO_INCREMENTAL=0)
#   e.g. bash benches/cold-interleaved.sh 5 /tmp/ct-after/serde-figment \
#            /tmp/ct-after/confidant-lean /tmp/ct-before/confidant-lean
set -euo pipefail
runs="$1"
shift
export CARGO_INCREMENTAL=0
out="$(mktemp)"
for _ in $(seq "$runs"); do
    for dir in "$@"; do
        (cd "$dir" && cargo clean -q)
        # GNU time: "<wall> <user> <sys>" on the last line of stderr.
        t=$(cd "$dir" && /usr/bin/time -f '%e %U %S' cargo build -q 2>&1 | tail -1)
        echo "$dir $t" | awk '{ printf "%s wall %.2f cpu %.2f\n", $1, $2, $3 + $4 }' | tee -a "$out"
    done
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
first_wall="" first_cpu=""
for dir in "$@"; do
    wall=$(awk -v d="$dir" '$1 == d { print $3 }' "$out" | median)
    cpu=$(awk -v d="$dir" '$1 == d { print $5 }' "$out" | median)
    [ -z "$first_wall" ] && first_wall=$wall && first_cpu=$cpu
    awk -v d="$dir" -v w="$wall" -v c="$cpu" -v fw="$first_wall" -v fc="$first_cpu" \
        'BEGIN { printf "%s: median wall %.2f s (%.2f×), CPU %.2f s (%.2f×)\n", d, w, w / fw, c, c / fc }'
done
rm -f "$out"
