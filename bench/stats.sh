#!/usr/bin/env bash
# stats.sh - the statistics engine at scale, on SQLite:
#   1. the demo city plus N raw activities (default 10,000,000) loaded by the bulk path
#      (kepu bench-fill: raw rows, then the roll-ups rebuilt), checked by kepu stats verify;
#   2. (a) the city dashboard's queries through the API, p50/p95 over 1,000 requests each;
#      (b) the same figures by a SQLite GROUP BY over the raw records, in the same run;
#      (c) single-record creates with roll-ups through the API (wrk, POST /activities);
#   3. kepu stats verify again after the writes. Prints every figure and the ratios.
#   bench/stats.sh [--count N] [--duration 10s]
set -euo pipefail
cd "$(dirname "$0")/.."
KEPU=${KEPU_BIN:-$PWD/build/kepu}
COUNT=10000000
DURATION=10s
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
TMP=$(mktemp -d /tmp/kepu-bench-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
DB=$TMP/kepu.db
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Bench-Admin-2026
"$KEPU" demo --db "$DB" >/dev/null 2>&1
t0=$(date +%s)
"$KEPU" bench-fill --db "$DB" --count "$COUNT" >/dev/null
t1=$(date +%s)
echo "loaded $COUNT activities (bulk path + roll-up rebuild) in $((t1 - t0)) s"
"$KEPU" stats verify --db "$DB"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KEPU_ACCESS_LOG=0 "$KEPU" serve --listen 127.0.0.1:$PORT --db "$DB" 2>"$TMP/server.log" &
PID=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST http://127.0.0.1:$PORT/api/v1/auth/login \
  -d "{\"username\":\"admin\",\"password\":\"$KEPU_BOOTSTRAP_ADMIN_PASSWORD\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

python3 - "$PORT" "$TOKEN" "$DB" <<'PY' | tee "$TMP/read.txt"
import http.client, json, sqlite3, sys, time
port, token, dbpath = int(sys.argv[1]), sys.argv[2], sys.argv[3]
conn = http.client.HTTPConnection("127.0.0.1", port)
H = {"Authorization": "Bearer " + token}
def timed(path, n):
    out, body = [], None
    for _ in range(n):
        t = time.perf_counter()
        conn.request("GET", path, headers=H)
        r = conn.getresponse(); body = r.read()
        out.append((time.perf_counter() - t) * 1000)
        assert r.status == 200, (path, r.status, body[:200])
    out.sort()
    return out[len(out) // 2], out[int(len(out) * 0.95)], json.loads(body)
q1 = "/api/v1/stats?org_id=1&period=2026"
q2 = "/api/v1/stats/children?org_id=1&period=2026&metrics=activities,participants"
p50a, p95a, city = timed(q1, 1000)
p50b, p95b, kids = timed(q2, 1000)
print(f"(a) API city totals      p50 {p50a:.2f} ms  p95 {p95a:.2f} ms")
print(f"(a) API children ranking p50 {p50b:.2f} ms  p95 {p95b:.2f} ms  ({len(kids['items'])} children)")
db = sqlite3.connect(dbpath)
raw1 = ("SELECT COUNT(*), SUM(participants), SUM(materials), SUM(videos), SUM(views), SUM(volunteers), "
        "SUM(volunteer_hours), SUM(funds) FROM activities WHERE start_date BETWEEN '2026-01-01' AND '2026-12-31'")
raw2 = ("SELECT substr(org_path, 1, 3 + instr(substr(org_path, 4), '/')) AS child, COUNT(*), SUM(participants) "
        "FROM activities WHERE start_date BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY child")
def raw(sql, n=5):
    ts, row = [], None
    for _ in range(n):
        t = time.perf_counter(); row = db.execute(sql).fetchall(); ts.append((time.perf_counter() - t) * 1000)
    ts.sort(); return ts[len(ts) // 2], row
r1, rows1 = raw(raw1)
r2, rows2 = raw(raw2)
assert rows1[0][0] == city["values"]["activities"] and rows1[0][1] == city["values"]["participants"], "figures differ"
print(f"(b) SQLite GROUP BY city totals      median {r1:.1f} ms  (same figures: {rows1[0][0]} activities)")
print(f"(b) SQLite GROUP BY children ranking median {r2:.1f} ms")
print(f"ratio raw/API p95: city totals {r1 / p95a:.0f}x, children ranking {r2 / p95b:.0f}x")
PY

ORG=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/orgs?type=point&page_size=1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
cat > "$TMP/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"org_id":$ORG,"kind":"lecture","title":"压测讲座","start_date":"2026-06-01","end_date":"2026-06-01","participants":50,"materials":10}'
LUA
wrk -t2 -c8 -d"$DURATION" -s "$TMP/post.lua" "http://127.0.0.1:$PORT/api/v1/activities" > "$TMP/wrk.txt"
grep -E 'Non-2xx' "$TMP/wrk.txt" || true
echo "(c) API single-record creates with roll-ups: $(awk '/Requests\/sec/ {print $2}' "$TMP/wrk.txt") /s"
kill $PID; wait $PID 2>/dev/null || true; PID=
"$KEPU" stats verify --db "$DB"
