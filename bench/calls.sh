#!/usr/bin/env bash
# calls.sh - review and ranking of the calls engine at scale (issue 15, package B), on SQLite:
#   1. the demo city grown to 5,000 units below the root (bench units under the districts), plus a
#      contest call in review over them: N entries (default 100,000) x 5 submitted sheets x 10
#      criteria, loaded by the bulk path (kepu bench-fill --calls: rows, the board's unit counts,
#      then the aggregates rebuilt as a round leaves them);
#   2. (a) GET /calls/:id/ranking?page=P&page_size=50 on random pages, p50/p95 over 1,000 requests;
#      (b) in the same run, the plain SQL GROUP BY of the same scores (the mean of each entry's
#          totals, and the weighted sum over every criterion score) for the same pages, median of 3,
#          their first page checked equal to the API's.
#   bench/calls.sh [--count N] [--db PATH]   (--db: keep the loaded database at PATH; reuse it if present)
set -euo pipefail
cd "$(dirname "$0")/.."
KEPU=${KEPU_BIN:-$PWD/build/kepu}
COUNT=100000
KEEP=
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=$2; shift 2 ;;
    --db) KEEP=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
TMP=$(mktemp -d /tmp/kepu-bench-calls-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
DB=${KEEP:-$TMP/kepu.db}
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Bench-Admin-2026
if [ -n "$KEEP" ] && [ -f "$KEEP" ]; then
  echo "reusing $KEEP"
else
  "$KEPU" demo --db "$DB" >/dev/null 2>&1
  t0=$(date +%s)
  "$KEPU" bench-fill --db "$DB" --calls "$COUNT" --reviewers 200 --criteria 10 --per-entry 5
  t1=$(date +%s)
  echo "loaded $COUNT entries x 5 sheets x 10 criteria (bulk path + aggregates rebuilt) in $((t1 - t0)) s"
fi
CALL=$(sqlite3 "$DB" "SELECT MAX(id) FROM calls WHERE template_code = 'bench'")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KEPU_ACCESS_LOG=0 "$KEPU" serve --listen 127.0.0.1:$PORT --db "$DB" 2>"$TMP/server.log" &
PID=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST http://127.0.0.1:$PORT/api/v1/auth/login -H "Content-Type: application/json" \
  -d "{\"username\":\"admin\",\"password\":\"$KEPU_BOOTSTRAP_ADMIN_PASSWORD\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

python3 - "$PORT" "$TOKEN" "$DB" "$CALL" "$PID" <<'PY'
import http.client, json, os, random, sqlite3, sys, time
port, token, dbpath, call, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
def cpu_ms():   # the server's user + system time: what a request costs whatever the machine's load
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / os.sysconf("SC_CLK_TCK")
conn = http.client.HTTPConnection("127.0.0.1", port)
H = {"Authorization": "Bearer " + token}
def get(path):
    conn.request("GET", path, headers=H)
    r = conn.getresponse(); body = r.read()
    assert r.status == 200, (path, r.status, body[:200])
    return json.loads(body)
first = get(f"/api/v1/calls/{call}/ranking?page=1&page_size=50")
n = first["total"]
pages = max(1, (n + 49) // 50)
random.seed(15)
ts = []
c0 = cpu_ms()
for _ in range(1000):
    p = random.randint(1, pages)
    t = time.perf_counter(); get(f"/api/v1/calls/{call}/ranking?page={p}&page_size=50"); ts.append((time.perf_counter() - t) * 1000)
c1 = cpu_ms()
ts.sort()
p50, p95 = ts[len(ts) // 2], ts[int(len(ts) * 0.95)]
print(f"(a) API GET /calls/:id/ranking (random page of 50 over {n} entries) p50 {p50:.2f} ms  p95 {p95:.2f} ms (target <= 50 ms); "
      f"server CPU {(c1 - c0) / 1000:.2f} ms a request")
db = sqlite3.connect(dbpath)
mean_sql = ("SELECT entry_id, AVG(total) FROM call_reviews WHERE call_id = ? AND status = 'submitted' "
            "GROUP BY entry_id ORDER BY 2 DESC, entry_id LIMIT 50 OFFSET ?")
weighted_sql = ("SELECT r.entry_id, SUM(s.score) * 1.0 / COUNT(DISTINCT r.id) FROM call_review_scores s JOIN call_reviews r "
                "ON r.id = s.review_id WHERE r.call_id = ? AND r.status = 'submitted' GROUP BY r.entry_id "
                "ORDER BY 2 DESC, r.entry_id LIMIT 50 OFFSET ?")
def raw(sql, offset, k=3):
    out, rows = [], None
    for _ in range(k):
        t = time.perf_counter(); rows = db.execute(sql, (call, offset)).fetchall(); out.append((time.perf_counter() - t) * 1000)
    out.sort(); return out[len(out) // 2], rows
ms_mean, rows = raw(mean_sql, 0)
api_means = [i["score_mean"] for i in first["items"]]
assert [int(a + 0.5) for _, a in rows] == api_means, "the first page's means differ from the GROUP BY"
ms_mean_mid, _ = raw(mean_sql, (pages // 2) * 50)
ms_w, _ = raw(weighted_sql, 0, 1)
print(f"(b) SQL GROUP BY of {n * 5} sheet totals (mean per entry), first page  median {ms_mean:9.1f} ms  vs API p95: {ms_mean / p95:6.0f}x")
print(f"(b) SQL GROUP BY of {n * 5} sheet totals, middle page                  median {ms_mean_mid:9.1f} ms")
print(f"(b) SQL GROUP BY of {n * 50} criterion scores (weighted), first page    once   {ms_w:9.1f} ms  vs API p95: {ms_w / p95:6.0f}x")
print("(b) the first page's means equal the API's")
PY

# 3. (package D) the board and the collected table over the same call: (c) GET /calls/:id/progress
#    p50/p95 over 200 requests, over the 5,000 eligible units of step 1;
#    (d) GET /calls/:id/export.xlsx of every entry: wall time and the server's VmHWM growth
#    (targets: export <= 3 s, growth <= 64 MB).
kb() { awk -v k="$1:" '$1 == k {print $2}' /proc/$PID/status; }
hwm0=$(kb VmHWM)
python3 - "$PORT" "$TOKEN" "$CALL" "$PID" <<'PY'
import http.client, json, os, sys, time
port, token, call, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
def cpu_ms():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / os.sysconf("SC_CLK_TCK")
conn = http.client.HTTPConnection("127.0.0.1", port)
H = {"Authorization": "Bearer " + token}
ts = []
c0 = cpu_ms()
for _ in range(200):
    t = time.perf_counter(); conn.request("GET", f"/api/v1/calls/{call}/progress?page_size=100", headers=H)
    r = conn.getresponse(); body = r.read(); ts.append((time.perf_counter() - t) * 1000)
    assert r.status == 200, body[:200]
c1 = cpu_ms()
ts.sort()
units = json.loads(body)["totals"]["units"]
print(f"(c) API GET /calls/:id/progress?page_size=100 over {units} units p50 {ts[100]:.2f} ms  p95 {ts[190]:.2f} ms (target <= 20 ms); "
      f"server CPU {(c1 - c0) / 200:.2f} ms a request")
c0 = cpu_ms()
t = time.perf_counter(); conn.request("GET", f"/api/v1/calls/{call}/export.xlsx", headers=H)
r = conn.getresponse(); body = r.read(); s = time.perf_counter() - t
assert r.status == 200, body[:200]
print(f"(d) API GET /calls/:id/export.xlsx: {len(body) / 1e6:.1f} MB in {s:.2f} s (target <= 3 s); server CPU {(cpu_ms() - c0) / 1000:.2f} s")
PY
hwm1=$(kb VmHWM)
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores; wall times grow with it, the server CPU figures much less)"
echo "(d) server VmHWM growth during the board and the export: $(( (hwm1 - hwm0) / 1024 )) MB (target <= 64 MB)"
