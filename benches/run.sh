#!/usr/bin/env bash
# Every performance figure of docs/performance.md, in one run:
#   1. load times (benches/load): confidant against envy, config-rs, figment, confique
#      and two hand-written loaders, then the report with the target ratios;
#   2. redactor throughput (benches/redact) on a 100 MB log with 20 secrets;
#   3. compile time of the derive (benches/compile-time.sh).
#
# Usage: bash benches/run.sh            (about 25 minutes on 2 cores)
#        QUICK=1 bash benches/run.sh    (shorter measurements, about 10 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."

args=()
if [ -n "${QUICK:-}" ]; then
    args=(--warm-up-time 1 --measurement-time 3)
fi

echo "## Machine"
echo
echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(rustc --version)"
echo
cargo bench -p confidant-benches --bench load -- "${args[@]}" 2>&1 | sed -n '/^### /,$p'
echo
echo "### Redactor (100 MB log, 20 secrets)"
echo
redact="$(cargo bench -p confidant-benches --bench redact -- "${args[@]}" 2>&1)"
grep -E '^redact_|thrpt:.*B/s' <<<"$redact" | paste - - |
    awk '{ print "- " $1 ": " $(NF-3) " " $(NF-2) " (median)" }' | sed 's/ thrpt://'
# The full redactor against the raw-form one, interleaved (best of 15 each).
grep '^paired' <<<"$redact" | sed 's/^/- /'
echo
echo "### Compile time"
bash benches/compile-time.sh
