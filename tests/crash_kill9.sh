#!/usr/bin/env bash
# crash_kill9.sh KEPU_BIN [PG_URL] - kill -9 during concurrent writes (tests/crash_kill9.py):
# 50 kills on a fresh SQLite file, or, given the URL of a PostgreSQL server's postgres
# database, 10 kills on a fresh database there. Every acknowledged write must survive,
# integrity_check must say ok (SQLite) and `kepu stats verify` must find 0 differences.
set -euo pipefail
KEPU=${1:?usage: crash_kill9.sh KEPU_BIN [PG_URL]}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${2:-}" ]; then
  PGOPTIONS='-c client_min_messages=warning' psql -q "$2" -c 'DROP DATABASE IF EXISTS kepu_kill9' -c 'CREATE DATABASE kepu_kill9' >/dev/null
  python3 "$ROOT/tests/crash_kill9.py" "$KEPU" "${2%/postgres}/kepu_kill9" "${KILL9_KILLS:-10}"
else
  TMP=$(mktemp -d /tmp/kepu-kill9-db-XXXXXX)
  trap 'rm -rf "$TMP"' EXIT
  python3 "$ROOT/tests/crash_kill9.py" "$KEPU" "$TMP/kepu.db" "${KILL9_KILLS:-50}"
fi
