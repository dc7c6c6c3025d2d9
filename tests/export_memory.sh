#!/usr/bin/env bash
# export_memory.sh KEPU_BIN - the Excel export streams: the activity list of 100,000 records is
# downloaded whole while the server's peak resident memory (VmHWM) grows by at most 64 MB.
# The rows are counted in the workbook, so a truncated export cannot pass.
set -euo pipefail
KEPU=${1:?usage: tests/export_memory.sh KEPU_BIN}
ROWS=${EXPORT_ROWS:-100000}
LIMIT_KB=$((64 * 1024))
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kepu-export.XXXXXX")
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Export-Admin-2026
"$KEPU" demo --db "$TMP/kepu.db" >/dev/null 2>&1
"$KEPU" bench-fill --db "$TMP/kepu.db" --count "$ROWS" >/dev/null 2>&1
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
KEPU_ACCESS_LOG=0 "$KEPU" serve --listen "127.0.0.1:$PORT" --db "$TMP/kepu.db" --web "$TMP" 2>"$TMP/server.log" &
PID=$!
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" -H "Content-Type: application/json" \
  -d "{\"username\":\"admin\",\"password\":\"$KEPU_BOOTSTRAP_ADMIN_PASSWORD\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
# warm up: the worker threads, their connections and caches exist before the measurement
for _ in 1 2 3 4 5 6 7 8; do
  curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/activities?page_size=500" >/dev/null
done
kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$PID/status"; }
before=$(kb VmRSS)
curl -sf -H "Authorization: Bearer $TOKEN" -o "$TMP/list.xlsx" "http://127.0.0.1:$PORT/api/v1/activities/export.xlsx"
peak=$(kb VmHWM)
rows=$(unzip -p "$TMP/list.xlsx" xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l)
size=$(stat -c %s "$TMP/list.xlsx")
growth=$((peak - before))
echo "export of $((rows - 3)) activities: $((size / 1024)) KiB; server RSS before ${before} kB, peak ${peak} kB, growth ${growth} kB (limit ${LIMIT_KB} kB)"
all=$(sqlite3 "$TMP/kepu.db" "SELECT COUNT(*) FROM activities" 2>/dev/null || echo "")
# title row (the filter) + header row + one row per activity + totals row
if [ -n "$all" ] && [ "$rows" -ne $((all + 3)) ]; then echo "export_memory: $rows rows for $all activities" >&2; exit 1; fi
if [ "$rows" -lt $((ROWS + 3)) ]; then echo "export_memory: only $rows rows" >&2; exit 1; fi
if [ "$growth" -gt "$LIMIT_KB" ]; then echo "export_memory: the server grew by $growth kB" >&2; exit 1; fi
echo "1 passed, 0 failed"
