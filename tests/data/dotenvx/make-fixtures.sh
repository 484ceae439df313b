#!/usr/bin/env bash
# Makes the dotenvx fixtures of tests/test_dotenvx.rs with dotenvx itself (Node 20,
# @dotenvx/dotenvx 2.38.2 when these were made), so the tests check confidant against
# real dotenvx output. Every value is fake.
#
#   bash tests/data/dotenvx/make-fixtures.sh        # from the repository root
#
# It writes .env, .env.production and .env.keys in this folder (new key pairs: the
# committed files change, the tests do not need to).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${DOTENVX_VERSION:-2.38.2}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
npm init -y >/dev/null
npm install --silent "@dotenvx/dotenvx@$version"
npx dotenvx --version

cat > .env <<'ENV'
# fake values for confidant's dotenvx tests
APP_NAME=confidant-fixture
APP_PORT=8123
APP_DB__PASSWORD=canary-dev-Vx9q2Lw7
APP_API_KEY="sk-test-DEV-0123456789abcdef"
APP_GREETING_PLAIN=hello
ENV
cat > .env.production <<'ENV'
APP_NAME=confidant-prod-fixture
APP_PORT=9443
APP_DB__PASSWORD=canary-prod-Qm4Zt8Kp
APP_API_KEY="sk-test-PROD-fedcba9876543210"
ENV
npx dotenvx encrypt -f .env
npx dotenvx encrypt -f .env.production
# dotenvx itself reads them back: the fixtures decrypt.
test "$(npx dotenvx get APP_DB__PASSWORD -f .env)" = canary-dev-Vx9q2Lw7
test "$(npx dotenvx get APP_DB__PASSWORD -f .env.production)" = canary-prod-Qm4Zt8Kp
cp .env .env.production .env.keys "$here/"
echo "fixtures written to $here"
