#!/bin/sh
# confidant exec adapter: GCP Secret Manager, one secret per setting, the secret named
# like the setting's env name (`APP_DB__PASSWORD`), its latest version. A name with no
# secret is left out (not set by this source); any other failure is that name's error.
#   Exec::new(["docs/adapters/gcloud-secrets.sh", "my-project"])
set -eu
project=$1
for name in $(jq -r '.secrets[]'); do
  if value=$(gcloud secrets versions access latest --project="$project" --secret="$name" 2>/tmp/confidant-gcloud.$$); then
    jq -n --arg k "$name" --arg v "$value" '{($k): {value: $v, error: null}}'
  elif grep -q NOT_FOUND /tmp/confidant-gcloud.$$; then
    :
  else
    jq -n --arg k "$name" '{($k): {value: null, error: "gcloud secrets versions access failed"}}'
  fi
done | jq -cs 'add // {}'
rm -f /tmp/confidant-gcloud.$$
