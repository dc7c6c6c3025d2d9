#!/usr/bin/env bash
# export_roundtrip.sh KEPU_BIN - the Excel exports as staff open them (issue 14, items 12, 15-17,
# 19): a demo city served by the real server; each export is downloaded and converted to CSV by
# LibreOffice Calc (headless, a private profile), which shows the values saved in the file
# without recalculating formulas; export_roundtrip.py checks what Calc shows against the API.
# The server is stopped on every exit; on failure the temp dir (files, logs) is kept.
set -euo pipefail
KEPU=${1:?usage: tests/office/export_roundtrip.sh KEPU_BIN}
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x "$KEPU" ] || { echo "export_roundtrip: $KEPU is not an executable" >&2; exit 2; }
command -v soffice >/dev/null || { echo "export_roundtrip: soffice is missing (scripts/deps.sh: libreoffice-calc-nogui)" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kepu-office.XXXXXX")
PID=
status=1
cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  if [ "$status" -eq 0 ]; then rm -rf "$TMP"; else echo "export_roundtrip: failed; files and logs kept in $TMP" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Office-Admin-2026
KEPU_FILES_DIR="$TMP/files" "$KEPU" demo --db "$TMP/kepu.db" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; exit 1; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
mkdir -p "$TMP/web"
KEPU_FILES_DIR="$TMP/files" "$KEPU" serve --listen "127.0.0.1:$PORT" --db "$TMP/kepu.db" --web "$TMP/web" >"$TMP/server.log" 2>&1 &
PID=$!
up=
for _ in $(seq 600); do
  if curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1; then up=1; break; fi
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$up" ] || { echo "export_roundtrip: the server did not come up" >&2; tail -20 "$TMP/server.log" >&2; exit 1; }

if python3 "$HERE/export_roundtrip.py" "http://127.0.0.1:$PORT" "$TMP"; then status=0; fi
exit $status
