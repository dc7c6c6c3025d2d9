#!/usr/bin/env bash
# openapi_lint.sh KEPU - the generated API document against a standard validator: `kepu openapi`,
# then Redocly's lint with its recommended rules and no configuration of ours (@redocly/cli, a
# devDependency of web/, installed by `make test` through `make web`'s npm ci before ctest runs).
# Fails on any error; warnings are shown and counted, not fatal. A ctest test (CMakeLists.txt).
set -euo pipefail
KEPU=${1:?usage: openapi_lint.sh path/to/kepu}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLI=$ROOT/web/node_modules/.bin/redocly
if [ ! -x "$CLI" ]; then
    echo "openapi_lint: $CLI is missing: install web/'s packages first (make web, or npm ci in web/)" >&2
    exit 1
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$KEPU" openapi > "$TMP/openapi.json"
# In a folder of its own: no redocly.yaml is found, so the recommended ruleset applies as is.
# No telemetry, no update check: the test must not need the network.
cd "$TMP"
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
status=0
"$CLI" lint --extends=recommended --format=json openapi.json > report.json 2> lint.err || status=$?
# The counts from the report, so a crash of the validator (no report) cannot pass as clean.
read -r errors warnings < <(node -e '
    const r = JSON.parse(require("fs").readFileSync("report.json", "utf8"));
    console.log(r.totals.errors, r.totals.warnings);')
echo "openapi_lint: $errors errors, $warnings warnings (redocly recommended rules)"
if [ "$errors" != 0 ] || [ "$status" != 0 ]; then
    "$CLI" lint --extends=recommended --format=stylish openapi.json || true
    exit 1
fi
