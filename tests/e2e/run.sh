#!/usr/bin/env bash
# run.sh KEPU_BIN - browser test: a demo city served by the real server, driven in Debian's
# Chromium by playwright-core (from web/node_modules). Cleans up on every exit.
set -euo pipefail
KEPU=${1:?usage: run.sh KEPU_BIN}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=E2E-Admin-2026
DB=${KEPU_E2E_DB:-$TMP/kepu.db}     # a PostgreSQL URL when tests/run_pg.sh runs us
"$KEPU" demo --db "$DB" >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$KEPU" serve --listen 127.0.0.1:$PORT --db "$DB" --web "$ROOT/build/web" 2>"$TMP/server.log" &
PID=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break; sleep 0.1; done
export KEPU_URL=http://127.0.0.1:$PORT E2E_OUT=$TMP
export NODE_PATH="$ROOT/web/node_modules"
status=0
node --test "$ROOT/tests/e2e/"*.test.mjs || status=$?
if [ $status -ne 0 ]; then
  mkdir -p "$ROOT/build/e2e-failure" && cp "$TMP"/*.png "$TMP/server.log" "$ROOT/build/e2e-failure/" 2>/dev/null || true
  echo "e2e failed: screenshots and server log in build/e2e-failure/" >&2
fi
exit $status
