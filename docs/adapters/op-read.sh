#!/bin/sh
# confidant exec adapter: 1Password, one item per setting in a vault, the item named
# like the setting's env name, its `password` field (`op read op://<vault>/<name>/password`).
# A name with no item is left out.
#   Exec::new(["docs/adapters/op-read.sh", "Production"])
set -eu
vault=$1
for name in $(jq -r '.secrets[]'); do
  if value=$(op read "op://$vault/$name/password" 2>/dev/null); then
    jq -n --arg k "$name" --arg v "$value" '{($k): {value: $v, error: null}}'
  fi
done | jq -cs 'add // {}'
