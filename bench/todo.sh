#!/usr/bin/env bash
# todo.sh - the to-do home under load (issue 16 D), on SQLite:
#   1. a fresh database (the server's bootstrap), then by direct SQL 10,000 units (20 districts x
#      500 points) and 50,000 users (5 a unit: an org_admin and 4 staff); 2,500 plans submitted
#      for review (one point in four), 3 open calls for points due in 5, 12 and 20 days (a unit in
#      three has entered one of them), 2 monthly report forms for points (one point in two has
#      submitted last month's), a published notice to every point with a reply owed (a third read,
#      a tenth replied); 500 sessions (480 point users, the 20 district admins) written
#      as the login writes them (the token's SHA-256; logging 500 users in would time Argon2);
#   2. (a) "500 concurrent users": the 500 sessions, each on its own keep-alive connection
#      (wrk -c 500), each request GET /api/v1/todo as one of them in turn, an offered load of
#      OFFERED requests a second (default 500: each user refreshing its home every second) for
#      10 s, p50/p95/p99 (wrk's latency of the requests sent on schedule; wrk2-like pacing
#      by a delay per request in the Lua script);
#      (b) the same 500 connections as fast as the server answers (closed loop: throughput, and a
#      p95 that is mostly queueing: 500 requests in flight);
#      (c) reference in the same run: one connection, the 500 users in turn, p50/p95 with the
#      indexes of migration 033 and without them (dropped, then re-created).
#   bench/todo.sh [--offered N] [--db PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
KEPU=${KEPU_BIN:-$PWD/build/kepu}
OFFERED=500
KEEP=
while [ $# -gt 0 ]; do
  case "$1" in
    --offered) OFFERED=$2; shift 2 ;;
    --db) KEEP=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "todo.sh: needs wrk" >&2; exit 2; }
TMP=$(mktemp -d /tmp/kepu-bench-todo-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
DB=${KEEP:-$TMP/kepu.db}
# 500 users come from 500 addresses (or through nginx, where the per-address limit is 0): the
# bench's one address must not be held to the 256 connections an address may open by default
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Bench-Admin-2026 KEPU_ACCESS_LOG=0 KEPU_REMINDER_TICK=0
export KEPU_PER_IP_CONNECTIONS=0
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
serve() {
  "$KEPU" serve --listen 127.0.0.1:$PORT --db "$DB" 2>>"$TMP/server.log" &
  PID=$!
  for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && return 0; sleep 0.1; done
  echo "todo.sh: the server did not start" >&2; exit 1
}
if [ -n "$KEEP" ] && [ -f "$KEEP" ]; then
  echo "reusing $KEEP"
else
  serve; kill $PID; wait $PID 2>/dev/null || true; PID=
  t0=$(date +%s)
  python3 - "$DB" "$TMP/tokens.txt" <<'PY'
import hashlib, datetime, sqlite3, sys
db = sqlite3.connect(sys.argv[1]); out = open(sys.argv[2], "w")
now = datetime.datetime.utcnow() + datetime.timedelta(hours=8)
ts = now.strftime("%Y-%m-%dT%H:%M:%S+08:00")
def day(d): return (now + datetime.timedelta(days=d)).strftime("%Y-%m-%dT23:59:59+08:00")
pw = db.execute("SELECT password_hash FROM users WHERE id = 1").fetchone()[0]
oid = 1; orgs = []; users = []; points = []; districts = []
for d in range(20):
    oid += 1; dpath = f"/1/{oid}/"; did = oid
    orgs.append((did, 1, "district", f"压测区{d}", dpath, 1)); districts.append((did, dpath))
    for p in range(500):
        oid += 1; orgs.append((oid, did, "point", f"压测区{d}教学点{p}", f"{dpath}{oid}/", 2)); points.append((oid, f"{dpath}{oid}/"))
db.executemany("INSERT INTO orgs (id, parent_id, type, name, path, depth, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
               [o + (ts, ts) for o in orgs])
uid = 1
for (o, _, _, _, _, _) in orgs:
    for k in range(5):
        uid += 1
        users.append((uid, f"u{uid}", f"用户{uid}", o, "org_admin" if k == 0 else "staff", "subtree", pw, ts, ts))
db.executemany("INSERT INTO users (id, username, name, org_id, role, data_scope, password_hash, created_at, updated_at) "
               "VALUES (?,?,?,?,?,?,?,?,?)", users)
y = now.year; m = now.month; term = "spring" if 2 <= m <= 7 else "autumn"; ty = y - 1 if m == 1 else y
tf, tt = (f"{ty}-03-01", f"{ty}-07-31") if term == "spring" else (f"{ty}-09-01", f"{ty + 1}-01-31")
db.executemany("INSERT INTO teaching_plans (org_id, org_path, year, term, term_from, term_to, title, status, submitted_at, "
               "created_at, updated_at) VALUES (?,?,?,?,?,?,?,'submitted',?,?,?)",
               [(o, p, ty, term, tf, tt, "本学期教学计划", ts, ts, ts) for i, (o, p) in enumerate(points) if i % 4 == 0])
for n, dd in enumerate((5, 12, 20)):
    cur = db.execute("INSERT INTO calls (template_code, org_id, org_path, year, title, status, eligible, eligible_types, form, "
                     "stages, min_per_unit, deadline, late_policy, created_at, updated_at) VALUES ('bench', 1, '/1/', ?, ?, "
                     "'open', 'types', '[\"point\"]', '[]', '[]', 1, ?, 'flag', ?, ?)", (y, f"压测征集{n}", day(dd), ts, ts))
    cid = cur.lastrowid
    db.executemany("INSERT INTO call_unit_counts (call_id, org_id, org_path, submitted) VALUES (?,?,?,1)",
                   [(cid, o, p) for i, (o, p) in enumerate(points) if i % 3 == n])
last = (now.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
for n in range(2):
    cur = db.execute("INSERT INTO report_forms (org_id, org_path, title, period_type, filler_type, deadline_days, fields, "
                     "created_at, updated_at) VALUES (1, '/1/', ?, 'month', 'point', 10, '[]', ?, ?)", (f"压测月报{n}", ts, ts))
    fid = cur.lastrowid
    db.executemany("INSERT INTO report_submissions (form_id, org_id, org_path, period, period_day, field_values, status, "
                   "submitted_at, created_at, updated_at) VALUES (?,?,?,?,?,'{}','submitted',?,?,?)",
                   [(fid, o, p, last, last + "-01", ts, ts, ts) for i, (o, p) in enumerate(points) if i % 2 == 0])
# the issue's notice: one published notice of the city to all 10,000 points, a reply owed in 7
# days, read by one point in three and replied by one in ten (what bench/notices.sh publishes)
cur = db.execute("INSERT INTO notices (org_id, org_path, title, category, reply_required, reply_deadline, status, "
                 "publish_at, recipients_total, created_at, updated_at, published_at) VALUES (1, '/1/', '压测通知', '通知', 1, ?,"
                 " 'published', ?, ?, ?, ?, ?)", (day(7), ts, len(points), ts, ts, ts))
nid = cur.lastrowid
db.executemany("INSERT INTO notice_recipients (notice_id, org_id, org_path, read_at, replied_at) VALUES (?,?,?,?,?)",
               [(nid, o, p, ts if i % 3 == 0 else None, ts if i % 10 == 0 else None) for i, (o, p) in enumerate(points)])
# 500 sessions: 480 point users (the admin and a staff member of 240 points), the 20 district admins
first_user = {o: u for (u, _, _, o, role, *_r) in users if role == "org_admin"}
who = []
for i in range(240):
    o = points[i * 41 % len(points)][0]
    who += [first_user[o], first_user[o] + 1]
who += [first_user[d] for d, _ in districts]
t = int(now.timestamp())
for i, u in enumerate(who):
    tok = f"bench-todo-token-{i:04d}-{u}".ljust(43, "x")  # 43 characters, as a login's token
    db.execute("INSERT INTO sessions (token_hash, csrf_token, user_id, created_at, last_seen, ip) VALUES (?,?,?,?,?,?)",
               (hashlib.sha256(tok.encode()).hexdigest(), "0" * 32, u, t, t, "127.0.0.1"))
    out.write(tok + "\n")
db.commit()
print(f"filled {len(orgs)} units, {len(users)} users, {len(who)} sessions")
PY
  t1=$(date +%s)
  echo "loaded in $((t1 - t0)) s"
fi
[ -f "$TMP/tokens.txt" ] || { echo "todo.sh: --db reuse needs the tokens of the fill run" >&2; exit 2; }
serve

cat > "$TMP/todo.lua" <<LUA
local tokens, i, n = {}, 0, 0
for line in io.lines("$TMP/tokens.txt") do tokens[#tokens + 1] = line end
n = #tokens
function init(args) i = math.random(n) end
-- each connection paces itself (a random delay averaging the pace, so that the 500 do not
-- send in step): OFFERED a second over all connections
function delay() return ${DELAY_MS:-0} end
function request()
  i = i % n + 1
  return wrk.format("GET", "/api/v1/todo", { ["Authorization"] = "Bearer " .. tokens[i] })
end
function done(summary, latency, requests)
  io.write(string.format("    %d requests, %d errors (status), %.0f req/s; p50 %.2f ms  p95 %.2f ms  p99 %.2f ms\n",
    summary.requests, summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
LUA
# (a) offered load: each of the 500 connections sends one request every 500/OFFERED s
DELAY=$(( 500 * 1000 / OFFERED ))
sed "s/function delay() return 0 end/function delay() return math.random(0, 2 * $DELAY) end/" "$TMP/todo.lua" > "$TMP/paced.lua"
grep -q "math.random(0, 2" "$TMP/paced.lua" || { echo "todo.sh: pacing not set" >&2; exit 1; }
echo "(a) GET /api/v1/todo, 500 sessions on 500 keep-alive connections, offered $OFFERED req/s for 10 s (target p95 <= 5 ms):"
wrk -t 2 -c 500 -d 10s -s "$TMP/paced.lua" http://127.0.0.1:$PORT/ | grep "requests,"
echo "(b) the same 500 connections, closed loop (as fast as answered) for 10 s:"
cpu() { awk '{print $14 + $15}' /proc/$PID/stat; }
c0=$(cpu)
wrk -t 2 -c 500 -d 10s -s "$TMP/todo.lua" http://127.0.0.1:$PORT/ | tee "$TMP/b.txt" | grep "requests,"
n=$(awk '/requests,/ {print $1}' "$TMP/b.txt")
echo "    server CPU (user + system): $(awk -v a="$c0" -v b="$(cpu)" -v n="$n" -v hz="$(getconf CLK_TCK)" \
  'BEGIN {printf "%.3f", (b - a) * 1000 / hz / n}') ms a request"

# (c) one connection, the users in turn: with 033's indexes, then without them
ref() {
  python3 - "$PORT" "$TMP/tokens.txt" "$1" <<'PY'
import http.client, json, sys, time
port, label = int(sys.argv[1]), sys.argv[3]
tokens = [l.strip() for l in open(sys.argv[2])]
conn = http.client.HTTPConnection("127.0.0.1", port)
ts, groups = [], 0
for k in range(2):
    for tok in tokens:
        t = time.perf_counter(); conn.request("GET", "/api/v1/todo", headers={"Authorization": "Bearer " + tok})
        r = conn.getresponse(); body = r.read(); ts.append((time.perf_counter() - t) * 1000)
        assert r.status == 200, body[:200]
        if k == 0: groups += len(json.loads(body)["groups"])
ts.sort()
print(f"    {label}: p50 {ts[len(ts) // 2]:.2f} ms  p95 {ts[int(len(ts) * 0.95)]:.2f} ms over {len(ts)} requests "
      f"({groups / len(tokens):.1f} groups a user)")
PY
}
# (d) 500 users at a person's pace: each on its own keep-alive connection, opening its to-do home
# every THINK seconds on average (random 0..2*THINK, default 5: 100 requests a second over the
# 500), for 20 s; the latency of each request from its send to the end of its answer (an asyncio
# client, lighter than wrk's timers at this rate).
echo "(d) 500 users on 500 keep-alive connections, each opening its home every ${THINK:-5} s on average, 20 s:"
python3 - "$PORT" "$TMP/tokens.txt" "${THINK:-5}" <<'PY'
import asyncio, random, sys, time
port, think = int(sys.argv[1]), float(sys.argv[3])
tokens = [l.strip() for l in open(sys.argv[2])]
lat, errors = [], 0
async def ask(conn, req):
    r, w = conn
    w.write(req)
    head = await r.readuntil(b"\r\n\r\n")
    n = int([h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length:")][0].split(b":")[1])
    await r.readexactly(n)
    return head
async def user(tok, until):
    global errors
    conn = await asyncio.open_connection("127.0.0.1", port)
    req = (f"GET /api/v1/todo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {tok}\r\n\r\n").encode()
    await asyncio.sleep(random.uniform(0, 2 * think))
    while time.monotonic() < until:
        t = time.perf_counter()
        try:
            head = await ask(conn, req)
        except (asyncio.IncompleteReadError, ConnectionError):
            # the server closed the idle connection (its keep-alive timeout): a browser opens
            # another, and the user waits for that too
            conn = await asyncio.open_connection("127.0.0.1", port)
            head = await ask(conn, req)
        lat.append((time.perf_counter() - t) * 1000)
        if not head.startswith(b"HTTP/1.1 200"): errors += 1
        await asyncio.sleep(random.uniform(0, 2 * think))
    conn[1].close()
async def main():
    until = time.monotonic() + 20
    await asyncio.gather(*(user(t, until) for t in tokens))
asyncio.run(main())
lat.sort()
print(f"    {len(lat)} requests, {errors} errors, {len(lat) / 20:.0f} req/s; p50 {lat[len(lat) // 2]:.2f} ms  "
      f"p95 {lat[int(len(lat) * 0.95)]:.2f} ms  p99 {lat[int(len(lat) * 0.99)]:.2f} ms (target p95 <= 5 ms)")
PY
echo "(c) reference, one connection, the 500 users in turn twice:"
ref "with 033's indexes   "
IDX="teaching_plans_status volunteer_signups_status volunteer_members_status calls_status_deadline"
for i in $IDX; do sqlite3 "$DB" "DROP INDEX $i"; done
ref "without 033's indexes"
sqlite3 "$DB" < <(grep "^CREATE INDEX" src/db/migrations/033_todo.sql)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (on $(nproc) cores, shared)"
