#!/usr/bin/env bash
# stats.sh - the statistics engine at scale, on SQLite:
#   1. the demo city plus N raw activities (default 10,000,000) loaded by the bulk path
#      (kepu bench-fill: raw rows, then the roll-ups rebuilt), checked by kepu stats verify;
#   2. (a) the city dashboard's queries through the API (KPIs this year and last, monthly trend,
#          children ranking, compositions by kind and audience), p50/p95 over 1,000 requests each,
#          and the whole dashboard's six requests in turn;
#      (b) the same figures by a SQLite GROUP BY over the raw records, in the same run, checked equal;
#      (c) single-record creates with roll-ups through the API (wrk, POST /activities);
#   3. kepu stats verify again after the writes. Prints every figure and the ratios.
#   bench/stats.sh [--count N] [--duration 10s] [--db PATH]
#   --db PATH: keep the loaded database at PATH; when PATH already exists, reuse it (no load).
set -euo pipefail
cd "$(dirname "$0")/.."
KEPU=${KEPU_BIN:-$PWD/build/kepu}
COUNT=10000000
DURATION=10s
KEEP=
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --db) KEEP=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
TMP=$(mktemp -d /tmp/kepu-bench-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
DB=${KEEP:-$TMP/kepu.db}
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Bench-Admin-2026
if [ -n "$KEEP" ] && [ -f "$KEEP" ]; then
  echo "reusing $KEEP ($(sqlite3 "$KEEP" 'SELECT COUNT(*) FROM activities') activities)"
else
  "$KEPU" demo --db "$DB" >/dev/null 2>&1
  t0=$(date +%s)
  "$KEPU" bench-fill --db "$DB" --count "$COUNT" >/dev/null
  t1=$(date +%s)
  echo "loaded $COUNT activities (bulk path + roll-up rebuild) in $((t1 - t0)) s"
fi
"$KEPU" stats verify --db "$DB"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KEPU_ACCESS_LOG=0 "$KEPU" serve --listen 127.0.0.1:$PORT --db "$DB" 2>"$TMP/server.log" &
PID=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST http://127.0.0.1:$PORT/api/v1/auth/login -H "Content-Type: application/json" \
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
kinds = ",".join("kind." + k for k in ["lecture", "training", "publicity", "exhibition", "contest", "volunteer",
                                         "campus", "community", "rural", "live", "video"])
audiences = ",".join("audience." + a for a in ["youth", "farmers", "workers", "elderly", "officials", "public"])
# The requests of the city dashboard (web/src/views/dashboard): KPI cards for this year and last,
# the monthly trend, the ranking of children, the compositions by kind and by audience.
dashboard = [
    ("city totals", "/api/v1/stats?org_id=1&period=2026"),
    ("same period last year", "/api/v1/stats?org_id=1&period=2025"),
    ("monthly trend", "/api/v1/stats/series?org_id=1&period=2026&grain=month&metrics=activities,participants"),
    ("children ranking", "/api/v1/stats/children?org_id=1&period=2026&metrics=activities,participants"),
    ("composition by kind", "/api/v1/stats?org_id=1&period=2026&metrics=" + kinds),
    ("composition by audience", "/api/v1/stats?org_id=1&period=2026&metrics=" + audiences),
]
answers, worst95 = {}, 0.0
for name, path in dashboard:
    p50, p95, body = timed(path, 1000)
    answers[name] = body
    worst95 = max(worst95, p95)
    print(f"(a) API {name:24s} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms")
whole = []
for _ in range(200):
    t = time.perf_counter()
    for _, path in dashboard:
        conn.request("GET", path, headers=H); conn.getresponse().read()
    whole.append((time.perf_counter() - t) * 1000)
whole.sort()
print(f"(a) API whole dashboard (6 requests in turn) p50 {whole[len(whole) // 2]:.2f} ms  p95 {whole[int(len(whole) * 0.95)]:.2f} ms")
city, kids = answers["city totals"], answers["children ranking"]
db = sqlite3.connect(dbpath)
Y = "start_date BETWEEN '2026-01-01' AND '2026-12-31'"
raw_sql = {
    "city totals": "SELECT COUNT(*), SUM(participants), SUM(materials), SUM(videos), SUM(views), SUM(volunteers), "
                   "SUM(volunteer_hours), SUM(funds) FROM activities WHERE " + Y,
    "monthly trend": "SELECT substr(start_date, 1, 7), COUNT(*), SUM(participants) FROM activities WHERE " + Y + " GROUP BY 1",
    "children ranking": "SELECT substr(org_path, 1, 3 + instr(substr(org_path, 4), '/')) AS child, COUNT(*), SUM(participants) "
                        "FROM activities WHERE " + Y + " GROUP BY child",
    "composition by kind": "SELECT kind, COUNT(*) FROM activities WHERE " + Y + " GROUP BY kind",
    "composition by audience": "SELECT audience, COUNT(*) FROM activities WHERE " + Y + " GROUP BY audience",
}
def raw(sql, n=3):
    ts, row = [], None
    for _ in range(n):
        t = time.perf_counter(); row = db.execute(sql).fetchall(); ts.append((time.perf_counter() - t) * 1000)
    ts.sort(); return ts[len(ts) // 2], row
p95_of = {}
for name, path in dashboard:
    p95_of[name] = timed(path, 200)[1]
raw_total = 0.0
for name, sql in raw_sql.items():
    ms, rows = raw(sql)
    raw_total += ms
    if name == "city totals":
        assert rows[0][0] == city["values"]["activities"] and rows[0][1] == city["values"]["participants"], "figures differ"
    if name == "monthly trend":
        api_months = {i["bucket"]: i["values"]["activities"] for i in answers["monthly trend"]["items"]}
        assert all(api_months[m] == n for m, n, _ in rows), "monthly figures differ"
    if name == "composition by kind":
        assert all(answers[name]["values"]["kind." + k] == n for k, n in rows), "kind figures differ"
    if name == "composition by audience":
        assert all(answers[name]["values"].get("audience." + (a or ""), 0) == n for a, n in rows if a), "audience figures differ"
    print(f"(b) SQLite GROUP BY {name:24s} median {ms:9.1f} ms   raw/API p95: {ms / p95_of[name]:8.0f}x")
print(f"(b) same figures as the API; raw GROUP BY for the whole dashboard {raw_total / 1000:.1f} s "
      f"vs API p95 {whole[int(len(whole) * 0.95)]:.2f} ms: {raw_total / whole[int(len(whole) * 0.95)]:.0f}x")
print(f"worst p95 of a dashboard request: {worst95:.2f} ms (target <= 10 ms)")
PY

ORG=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/orgs?type=point&page_size=1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
cat > "$TMP/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"org_id":$ORG,"kind":"lecture","title":"压测讲座","start_date":"2026-06-01","end_date":"2026-06-01","participants":50,"materials":10}'
LUA
# A running server's file is in the page cache; the raw GROUP BYs above may have pushed it out
# (on a small machine the file is larger than what the kernel keeps), so read it in again.
cat "$DB" > /dev/null 2>&1 || true
wrk -t2 -c16 -d"$DURATION" --latency -s "$TMP/post.lua" "http://127.0.0.1:$PORT/api/v1/activities" > "$TMP/wrk.txt"
grep -E 'Non-2xx' "$TMP/wrk.txt" || true
echo "(c) API single-record creates with roll-ups: $(awk '/Requests\/sec/ {print $2}' "$TMP/wrk.txt") /s," \
     "p99 $(awk '$1 == "99%" {print $2}' "$TMP/wrk.txt") (target >= 2,000/s)"
kill $PID; wait $PID 2>/dev/null || true; PID=
"$KEPU" stats verify --db "$DB"
