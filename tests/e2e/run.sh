#!/usr/bin/env bash
# run.sh KEPU_BIN - the browser tests (every tests/e2e/*.test.mjs, one after the other): a demo city served by the real server from build/web,
# driven in Debian's Chromium by playwright-core (resolved from web/node_modules).
# The server is stopped on every exit; on failure the temp dir (screenshots, server log) is kept.
# KEPU_E2E_DB may name another database (e.g. a PostgreSQL URL from tests/run_pg.sh).
set -euo pipefail
KEPU=${1:?usage: tests/e2e/run.sh KEPU_BIN}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
[ -x "$KEPU" ] || { echo "run.sh: $KEPU is not an executable" >&2; exit 2; }
[ -f "$ROOT/build/web/index.html" ] || { echo "run.sh: build/web is missing; run 'make web' (cd web && npm ci && npm run build)" >&2; exit 2; }
[ -d "$ROOT/web/node_modules/playwright-core" ] || { echo "run.sh: web/node_modules is missing; run 'cd web && npm ci'" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kepu-e2e.XXXXXX")
PID=
status=1
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  if [ "$status" -eq 0 ]; then rm -rf "$TMP"; else echo "e2e: failed; screenshots and server log kept in $TMP" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export KEPU_BOOTSTRAP_ADMIN_PASSWORD=${KEPU_BOOTSTRAP_ADMIN_PASSWORD:-E2E-Admin-2026}
DB=${KEPU_E2E_DB:-$TMP/kepu.db}
# The demo encrypts its teachers' numbers under the key in the files directory serve will use.
KEPU_FILES_DIR="$TMP/files" "$KEPU" demo --db "$DB" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
KEPU_FILES_DIR="$TMP/files" "$KEPU" serve --listen "127.0.0.1:$PORT" --db "$DB" --web "$ROOT/build/web" >"$TMP/server.log" 2>&1 &
PID=$!

# Wait up to 60 s for /api/v1/health (CI machines are busy).
up=
for _ in $(seq 600); do
  if curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1; then up=1; break; fi
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$up" ]; then echo "e2e: the server did not come up" >&2; tail -20 "$TMP/server.log" >&2; exit 1; fi

export KEPU_URL="http://127.0.0.1:$PORT" E2E_OUT="$TMP"
export NODE_PATH="$ROOT/web/node_modules${NODE_PATH:+:$NODE_PATH}"
# Every test file runs, in turn, against the same server; the run fails if any of them fails.
failed=()
for t in "$ROOT"/tests/e2e/*.test.mjs; do
  # KEPU_E2E_ONLY=name runs only the files whose name contains it (while working on one page).
  case "$(basename "$t")" in *"${KEPU_E2E_ONLY:-}"*) ;; *) continue ;; esac
  echo "e2e: $(basename "$t")"
  if ! node "$t"; then failed+=("$(basename "$t")"); fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "e2e: failed: ${failed[*]}" >&2
  status=1
else
  status=0
fi
exit $status
