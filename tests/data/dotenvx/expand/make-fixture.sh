#!/usr/bin/env bash
# Makes the fixture of tests/test_dotenvx.rs `decrypted_values_expand_as_dotenvx_get_reads_them`
# with dotenvx itself (@dotenvx/dotenvx 2.38.2 when it was made): values whose plain text
# holds `$NAME` references, encrypted, then read back by `dotenvx get`, whose output the
# test asserts. Every value is fake.
#
#   bash tests/data/dotenvx/expand/make-fixture.sh        # from the repository root
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${DOTENVX_VERSION:-2.38.2}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
npm init -y >/dev/null
npm install --silent "@dotenvx/dotenvx@$version"
printf '%s\n' 'USER_NAME=alice' \
  'APP_PASSWORD="pw-${USER_NAME}-$HOST_PART-${MISSING:-dflt}"' \
  "APP_LITERAL='lit-\$USER_NAME'" \
  'APP_LATER=x$LATER_KEY' \
  'LATER_KEY=late' > .env
npx dotenvx encrypt -k 'APP_*' >/dev/null
# What dotenvx reads (the test asserts the same):
test "$(HOST_PART=h1 npx dotenvx get APP_PASSWORD)" = pw-alice-h1-dflt
test "$(HOST_PART=h1 USER_NAME=envwins npx dotenvx get APP_PASSWORD)" = pw-envwins-h1-dflt
test "$(npx dotenvx get APP_LITERAL)" = 'lit-$USER_NAME'
test "$(npx dotenvx get APP_LATER)" = x
cp .env .env.keys "$here/"
echo "fixture written to $here"
