#!/bin/sh
# confidant exec adapter: a sops-encrypted file of settings (YAML, JSON, dotenv), keys
# named like secrets-directory files, decrypted with `sops -d` (age, KMS, PGP keys as
# sops finds them).
#   Exec::new(["docs/adapters/sops-decrypt.sh", "secrets.enc.yaml"])
set -eu
cat >/dev/null
plain=$(sops -d --output-type json "$1")
printf '%s' "$plain" | jq -c '
  with_entries(.value = {value: (.value | if type == "string" then . else tojson end), error: null})'
