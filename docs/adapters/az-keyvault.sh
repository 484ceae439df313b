#!/bin/sh
# confidant exec adapter: Azure Key Vault, one secret per setting. Key Vault names allow
# letters, digits and `-` only: `APP_DB__PASSWORD` is read from the secret
# `APP-DB--PASSWORD`. A name with no secret is left out.
#   Exec::new(["docs/adapters/az-keyvault.sh", "my-vault"])
set -eu
vault=$1
for name in $(jq -r '.secrets[]'); do
  id=$(printf '%s' "$name" | tr '_' '-')
  if value=$(az keyvault secret show --vault-name "$vault" --name "$id" --query value -o tsv 2>/dev/null); then
    jq -n --arg k "$name" --arg v "$value" '{($k): {value: $v, error: null}}'
  fi
done | jq -cs 'add // {}'
