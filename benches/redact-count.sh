#!/usr/bin/env bash
# Instructions to redact a 10 MB log with 20 secrets (the `rare` and `dense` logs of benches/redact.rs)
# under callgrind, for the full redactor and the raw-form one (`Redactor::__raw_forms_only`),
# through `redact` and through the writer; building the log is counted alone and
# subtracted. Steady on a loaded machine, where criterion's times swing.
#
# Usage: bash benches/redact-count.sh
set -euo pipefail
cd "$(dirname "$0")/.."
exe=$(cargo bench -q -p confidant-benches --bench redact --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*redact[^"]*\)".*/\1/p' | tail -1)
out="$(mktemp -d)"
count() {
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$exe" --count "$1" "$every" 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '| log | path | raw-form redactor | full redactor | full / raw |\n|---|---|---:|---:|---:|\n'
for every in 100 5; do
    none=$(count none)
    for path in "" "-writer"; do
        raw=$(( $(count "raw$path") - none ))
        full=$(( $(count "full$path") - none ))
        printf '| 1 line in %s | %s | %s | %s | %s |\n' "$every" "${path:-redact}" "$raw" "$full" \
            "$(awk -v f="$full" -v r="$raw" 'BEGIN { printf "%.3f", f / r }')"
    done
done
rm -r "$out"
