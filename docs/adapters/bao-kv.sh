#!/bin/sh
# confidant exec adapter (vector's exec protocol v1): every key of one KV version 2
# secret of OpenBao or HashiCorp Vault, through its CLI.
#   Exec::new(["docs/adapters/bao-kv.sh", "secret", "myapp/prod"])
# Needs `bao` (or `vault`: set BAO=vault) and `jq`; the CLI reads VAULT_ADDR,
# VAULT_TOKEN (or its own login) as usual. Keys are named like secrets-directory files
# (`db__password`, `APP_DB__PASSWORD`).
set -eu
mount=$1
path=$2
cat >/dev/null # the names asked for: every key of the secret is returned
json=$("${BAO:-bao}" kv get -format=json -mount="$mount" "$path")
printf '%s' "$json" | jq -c '.data.data
  | with_entries(.value = {value: (.value | if type == "string" then . else tojson end), error: null})'
