#!/bin/sh
# confidant exec adapter: one AWS Secrets Manager secret whose SecretString is a JSON
# object of settings, through the AWS CLI (for setups where the CLI's own credential
# configuration, SSO say, is wanted; `confidant::remote::AwsSecretsManager` does the same
# without it).
#   Exec::new(["docs/adapters/aws-secretsmanager.sh", "prod/myapp"])
set -eu
cat >/dev/null
secret=$(aws secretsmanager get-secret-value --secret-id "$1" --query SecretString --output text)
printf '%s' "$secret" | jq -c '
  with_entries(.value = {value: (.value | if type == "string" then . else tojson end), error: null})'
