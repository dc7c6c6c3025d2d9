#!/usr/bin/env bash
# notices.sh - a notice to 10,000 units at scale (issue 16 A), on SQLite:
#   1. the demo city grown by 10,000 units (type unit, under the first district) and 50,000 users
#      (5 staff a unit), by direct SQL;
#   2. (a) POST /notices/:id/publish of a notice to every unit of type unit: its recipients
#          resolved by one INSERT ... SELECT (target <= 1 s); reference in the same run: the naive
#          loop (one SELECT of the unit and one INSERT per unit, in one transaction, rolled back);
#   3. 30% of the receipts marked read and 10% replied, then (b) GET /notices/:id/receipts on a
#      random state and page, p50/p95 over 1,000 requests (target p95 <= 20 ms); reference: the
#      counts by one aggregate against one COUNT per state (median of 5, direct SQL).
#   4. (c) the to-do home of 500 concurrent users: bench/todo.sh, run at the end.
#   bench/notices.sh [--units N]
set -euo pipefail
cd "$(dirname "$0")/.."
KEPU=${KEPU_BIN:-$PWD/build/kepu}
UNITS=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --units) UNITS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
TMP=$(mktemp -d /tmp/kepu-bench-notices-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
DB=$TMP/kepu.db
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Bench-Admin-2026
"$KEPU" demo --db "$DB" >/dev/null 2>&1
t0=$(date +%s.%N)
sqlite3 "$DB" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
CREATE TEMP TABLE d AS SELECT id, path FROM orgs WHERE type = 'district' ORDER BY id LIMIT 1;
WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < $UNITS)
INSERT INTO orgs (id, parent_id, type, name, code, path, depth, created_at, updated_at)
SELECT 1000000 + x, d.id, 'unit', '压测单位' || x, 'bench-n-' || x, d.path || (1000000 + x) || '/', 2,
       '2026-01-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00' FROM seq, d;
WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < $UNITS * 5)
INSERT INTO users (username, name, org_id, role, data_scope, active, password_hash, created_at, updated_at)
SELECT 'bench_n_' || x, '压测用户' || x, 1000000 + ((x - 1) % $UNITS) + 1, 'staff', 'org', 1, 'x',
       '2026-01-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00' FROM seq;
COMMIT;
SQL
t1=$(date +%s.%N)
echo "filled $UNITS units and $((UNITS * 5)) users in $(python3 -c "print(f'{$t1 - $t0:.1f}')") s"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KEPU_ACCESS_LOG=0 "$KEPU" serve --listen 127.0.0.1:$PORT --db "$DB" 2>"$TMP/server.log" &
PID=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST http://127.0.0.1:$PORT/api/v1/auth/login -H "Content-Type: application/json" \
  -d "{\"username\":\"admin\",\"password\":\"$KEPU_BOOTSTRAP_ADMIN_PASSWORD\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

python3 - "$PORT" "$TOKEN" "$DB" "$PID" <<'PY'
import http.client, json, os, random, sqlite3, sys, time
port, token, dbpath, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
def cpu_ms():   # the server's user + system time: what a request costs whatever the machine's load
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 / os.sysconf("SC_CLK_TCK")
conn = http.client.HTTPConnection("127.0.0.1", port)
H = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
def call(method, path, body=None, want=200):
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=H)
    r = conn.getresponse(); data = r.read()
    assert r.status == want, (path, r.status, data[:300])
    return json.loads(data) if data else None
body = {"title": "压测通知", "reply_required": True, "reply_deadline": "2099-12-31", "target": {"org_types": ["unit"]}}
nid = call("POST", "/api/v1/notices", body, 201)["id"]
t = time.perf_counter()
pub = call("POST", f"/api/v1/notices/{nid}/publish")
publish_ms = (time.perf_counter() - t) * 1000
n = pub["recipients_total"]
print(f"(a) POST /notices/:id/publish to {n} units: {publish_ms:.0f} ms (target <= 1000 ms)")
# the reference: the same recipients one unit at a time, in one transaction, rolled back
db = sqlite3.connect(dbpath, timeout=30)
db.isolation_level = None
units = [r[0] for r in db.execute("SELECT id FROM orgs WHERE type = 'unit' ORDER BY id")]
scratch = call("POST", "/api/v1/notices", body, 201)["id"]
t = time.perf_counter()
db.execute("BEGIN IMMEDIATE")
for u in units:
    path = db.execute("SELECT path FROM orgs WHERE id = ?", (u,)).fetchone()[0]
    db.execute("INSERT INTO notice_recipients (notice_id, org_id, org_path, status) VALUES (?, ?, ?, 'active')", (scratch, u, path))
db.execute("ROLLBACK")
loop_ms = (time.perf_counter() - t) * 1000
print(f"    reference: the per-unit loop (SELECT + INSERT per unit, {len(units)} units, direct SQL): {loop_ms:.0f} ms")
# 30% read, 10% replied
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE notice_recipients SET read_at = '2026-12-01T09:00:00+08:00', read_by = 1 WHERE notice_id = ? AND id % 10 < 3", (nid,))
db.execute("UPDATE notice_recipients SET replied_at = '2026-12-01T10:00:00+08:00', reply_text = '已收到' WHERE notice_id = ? AND id % 10 = 0", (nid,))
db.execute("COMMIT")
states = ["", "unread", "read", "replied", "not_replied"]
random.seed(16)
ts = []
c0 = cpu_ms()
for _ in range(1000):
    st = random.choice(states)
    page = random.randint(1, 20)
    t = time.perf_counter()
    r = call("GET", f"/api/v1/notices/{nid}/receipts?page={page}&page_size=50" + (f"&state={st}" if st else ""))
    ts.append((time.perf_counter() - t) * 1000)
c1 = cpu_ms()
c = r["counts"]
assert c["total"] == n and c["read"] == round(n * 0.3) or abs(c["read"] - n * 0.3) < n * 0.01, c
ts.sort()
print(f"(b) GET /notices/:id/receipts (random state and page of 50, {n} units, 30% read, 10% replied) "
      f"p50 {ts[500]:.2f} ms  p95 {ts[950]:.2f} ms (target <= 20 ms); server CPU {(c1 - c0) / 1000:.2f} ms a request")
def med(fn, k=5):
    xs = []
    for _ in range(k):
        t = time.perf_counter(); fn(); xs.append((time.perf_counter() - t) * 1000)
    return sorted(xs)[k // 2]
one = med(lambda: db.execute("SELECT COUNT(*), COUNT(read_at), COUNT(replied_at) FROM notice_recipients WHERE notice_id = ?", (nid,)).fetchall())
each = med(lambda: [db.execute(f"SELECT COUNT(*) FROM notice_recipients WHERE notice_id = ?{w}", (nid,)).fetchall() for w in
                    ("", " AND read_at IS NOT NULL", " AND read_at IS NULL", " AND replied_at IS NOT NULL", " AND replied_at IS NULL")])
print(f"    reference: the counts by one aggregate {one:.2f} ms vs one COUNT per state (5) {each:.2f} ms (direct SQL, median of 5)")
PY

# (c) the issue's third figure, each user's to-do home under 500 concurrent users with such a
# notice owed by every unit: bench/todo.sh (its own fill of 10,000 units and 50,000 users, the
# notice among the other things that wait).
echo "(c) the to-do home (bench/todo.sh):"
KEPU_BIN="$KEPU" bash "$(dirname "$0")/todo.sh"
