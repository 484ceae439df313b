#!/usr/bin/env bash
# Instructions per load of a 200-key TOML file (callgrind), for confidant, toml::from_str
# and figment's Toml + extract: the figures behind docs/performance.md's config-file table.
#
# Usage: bash benches/config_file_count.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -q -p confidant-benches --bench config_file --no-run 2>/dev/null
exe=$(ls -t target/release/deps/config_file-* | grep -v '\.d$' | head -1)
out="$(mktemp -d)"
instructions() {
    CONFIDANT_COUNT="$1:$2" valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
        "$exe" --bench 2>&1 | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
printf '| reader | instructions per load |\n|---|---:|\n'
for reader in confidant toml figment; do
    one=$(instructions "$reader" 1)
    many=$(instructions "$reader" 21)
    printf '| %s | %s |\n' "$reader" "$(( (many - one) / 20 ))"
done
rm -rf "$out"
