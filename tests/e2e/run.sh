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

# shared with tests/office/export_roundtrip.sh: temp dir, demo city, server, stop on exit
. "$ROOT/tests/lib/server.sh"
kepu_tmp e2e e2e

export KEPU_BOOTSTRAP_ADMIN_PASSWORD=${KEPU_BOOTSTRAP_ADMIN_PASSWORD:-E2E-Admin-2026}
# the reminder worker every 5 s (default 60): todo.test.mjs waits for a reminder in the bell
export KEPU_REMINDER_TICK=${KEPU_REMINDER_TICK:-5}
DB=${KEPU_E2E_DB:-$TMP/kepu.db}
kepu_demo "$KEPU" "$DB" || exit 1
kepu_serve "$KEPU" "$DB" "$ROOT/build/web" || exit 1

export KEPU_URL E2E_OUT="$TMP"
export NODE_PATH="$ROOT/web/node_modules${NODE_PATH:+:$NODE_PATH}"
# Every test file runs, in turn, against the same server; the run fails if any of them fails.
failed=()
for t in "$ROOT"/tests/e2e/*.test.mjs; do
  # KEPU_E2E_ONLY=name runs only the files whose name contains it (while working on one page);
  # KEPU_E2E_FILES="a b" only the files named (without .test.mjs): tests/run_pg.sh's subset.
  case "$(basename "$t")" in *"${KEPU_E2E_ONLY:-}"*) ;; *) continue ;; esac
  if [ -n "${KEPU_E2E_FILES:-}" ]; then
    # shellcheck disable=SC2086  # word splitting wanted: the list's spaces and newlines become one space
    case " $(echo $KEPU_E2E_FILES) " in *" $(basename "$t" .test.mjs) "*) ;; *) continue ;; esac
  fi
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
