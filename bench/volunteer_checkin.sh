#!/usr/bin/env bash
# volunteer_checkin.sh - volunteers checking in to their service activities by QR code, on SQLite
# (every check-in durable, audited, with its sign-up updated): N volunteers register on the public
# page (each gets the key its phone keeps), a team publishes S projects that started a few minutes
# ago, staff sign every volunteer up to every project (accepted), and the projects' check-in
# screens are opened. Then wrk (a Lua script) has the phones check in through the real public
# endpoint, each phone to each project at most once, for a while (default 5 s); afterwards the
# phones that checked in check out again the same way. Prints check-ins and check-outs per second
# with latency percentiles, counts the sign-ups checked in and out through the API, and runs
# `kepu stats verify`. Not part of make test.
# Check-outs run for --out-duration (default 2 s: shorter, so that the pairs checked in last).
#   bench/volunteer_checkin.sh [--duration 5s] [--out-duration 2s] [--volunteers N] [--projects S] [--connections C] [--threads T]
set -euo pipefail
cd "$(dirname "$0")/.."
KEPU=${KEPU_BIN:-$PWD/build/kepu}
DURATION=5s; OUT_DURATION=2s; VOLUNTEERS=1000; PROJECTS=20; CONNS=32; THREADS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --out-duration) OUT_DURATION=$2; shift 2 ;;
    --volunteers) VOLUNTEERS=$2; shift 2 ;;
    --projects) PROJECTS=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
TMP=$(mktemp -d /tmp/kepu-bench-vcheckin-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
DB=$TMP/kepu.db
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Bench-Admin-2026 KEPU_CHECKIN_STEP=600 KEPU_ACCESS_LOG=0
export KEPU_FILES_DIR=$TMP/files KEPU_VOLUNTEER_REGISTER_LIMIT=100000000
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT/api/v1
"$KEPU" serve --listen 127.0.0.1:$PORT --db "$DB" 2>"$TMP/server.log" &
PID=$!
for _ in $(seq 100); do curl -sf $BASE/health >/dev/null && break; sleep 0.1; done

# Set-up through the API (not timed): volunteers, a team, projects, sign-ups, sessions, tokens.
python3 - "$BASE" "$VOLUNTEERS" "$PROJECTS" "$TMP" <<'PY'
import concurrent.futures as cf, datetime as dt, json, sys, urllib.request
base, n, s, tmp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, json.dumps(body).encode() if body is not None else None, method=method)
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r: return json.load(r)
token = call("POST", "/auth/login", {"username": "admin", "password": "Bench-Admin-2026"})["token"]
root = call("GET", "/me", token=token)["org_id"]
dist = call("POST", "/orgs", {"parent_id": root, "type": "district", "name": "压测区"}, token)["id"]
team = call("POST", "/volunteer-teams", {"org_id": dist, "category": "district"}, token)["id"]
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def id_number(i):   # Chongqing 500103, born 1960-1999, GB 11643 check digit
    body = "500103%04d%02d%02d%03d" % (1960 + i % 40, 1 + i % 12, 1 + i % 28, i % 1000)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, W)) % 11]
def register(i):
    v = call("POST", "/public/volunteers", {"org_id": dist, "name": "志愿者%d" % i,
             "id_number": id_number(i), "phone": "137%08d" % i})
    return v["volunteer_key"]
with cf.ThreadPoolExecutor(8) as ex: keys = list(ex.map(register, range(n)))
ids, page = [], 1
while len(ids) < n:
    items = call("GET", "/volunteers?org_id=%d&page_size=100&page=%d" % (dist, page), token=token)["items"]
    if not items: break
    ids += [v["id"] for v in items]
    page += 1
now = dt.datetime.utcnow() + dt.timedelta(hours=8)
fmt = lambda t: t.strftime("%Y-%m-%dT%H:%M:%S+08:00")
sessions = []
for p in range(s):
    proj = call("POST", "/volunteer-projects", {"team_id": team, "title": "压测服务%d" % p, "audience": "public",
                "status": "published", "starts_at": fmt(now - dt.timedelta(minutes=5)),
                "ends_at": fmt(now + dt.timedelta(hours=2)), "positions": [{"name": "讲解", "headcount": n}]}, token)
    pos = proj["positions"][0]["id"]
    with cf.ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda v: call("POST", "/volunteer-projects/%d/signups" % proj["id"],
                                   {"volunteer_id": v, "position_id": pos}, token), ids))
    sid = call("POST", "/checkin/sessions", {"kind": "volunteer_activity", "owner_id": proj["id"]}, token)["id"]
    tok = call("GET", "/checkin/sessions/%d/token" % sid, token=token)["token"]
    sessions.append('{id = %d, token = "%s", project = %d}' % (sid, tok, proj["id"]))
open(tmp + "/data.lua", "w").write("return {sessions = {%s}, keys = {%s}}\n" %
                                   (",".join(sessions), ",".join('"%s"' % k for k in keys)))
open(tmp + "/env", "w").write("TOKEN=%s\nDIST=%d\nPROJECT_IDS='%s'\n" % (token, dist,
                              " ".join(str(x.split("project = ")[1].rstrip("}")) for x in sessions)))
PY
. "$TMP/env"

# Phone i of thread k takes the pairs k, k+T, k+2T ... of (volunteer, project): no pair twice.
run() {   # direction, pairs (0: as many as time allows)
  cat > "$TMP/$1.lua" <<LUA
local d = dofile("$TMP/data.lua")
local k, threads = 0, {}
function setup(thread) k = k + 1; thread:set("tid", k - 1); table.insert(threads, thread) end
n = 0
function request()
  local i = n * $THREADS + tid
  n = n + 1
  if $2 > 0 and i >= $2 then i = i % $2 end
  local key = d.keys[i % #d.keys + 1]
  local s = d.sessions[math.floor(i / #d.keys) % #d.sessions + 1]
  local body = string.format('{"token":"%s","person_key":"%s","direction":"$1"}', s.token, key)
  return wrk.format("POST", "/api/v1/public/checkin/" .. s.id, {["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status ~= 201 and status ~= 200 then print("status " .. status .. " " .. body) end
end
-- the fewest requests a thread made: every pair below (fewest - connections) x threads was sent
function done(summary, latency, requests)
  local m = math.huge
  for _, t in ipairs(threads) do m = math.min(m, t:get("n")) end
  io.write("FEWEST " .. m .. "\n")
end
LUA
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$TMP/$1.lua" "http://127.0.0.1:$PORT" > "$TMP/wrk-$1.txt"
  sleep 1   # requests in flight when wrk stopped finish
}
figures() {   # direction
  local f=$TMP/wrk-$1.txt
  echo "  $1: $(awk '/requests in/ {print $1}' "$f") requests, $(awk '/Requests\/sec/ {print $2}' "$f")/s," \
       "latency p50 $(awk '$1 == "50%" {print $2}' "$f"), p99 $(awk '$1 == "99%" {print $2}' "$f");" \
       "refused: $(grep -c '^status ' "$f" || true)"
  grep -m2 '^status ' "$f" | sed 's/^/    e.g. /' || true
}
run in 0
FEWEST=$(awk '/^FEWEST/ {print $2}' "$TMP/wrk-in.txt")
IN=$(awk '/requests in/ {print $1}' "$TMP/wrk-in.txt")
DURATION=$OUT_DURATION run out $(((FEWEST - 2 * CONNS) * THREADS))   # only pairs every thread had checked in
count() {   # field of the sign-ups that is set, over all projects
  local total=0
  for p in $PROJECT_IDS; do
    total=$((total + $(curl -sf "$BASE/volunteer-projects/$p/signups" -H "Authorization: Bearer $TOKEN" |
      python3 -c "import json,sys; print(sum(1 for s in json.load(sys.stdin)['items'] if s['$1']))")))
  done
  echo $total
}
CHECKED_IN=$(count checkin_at); CHECKED_OUT=$(count checkout_at)
kill $PID; wait $PID 2>/dev/null || true; PID=
echo
echo "volunteer check-in: $VOLUNTEERS volunteers x $PROJECTS projects, $CONNS connections, in $DURATION, out $OUT_DURATION"
figures in
figures out
PAIRS=$((VOLUNTEERS * PROJECTS))
OUT=$(awk '/requests in/ {print $1}' "$TMP/wrk-out.txt")
echo "  sign-ups checked in: $CHECKED_IN (= the check-ins answered + at most $CONNS in flight); checked out: $CHECKED_OUT"
[ "$OUT" -gt "$CHECKED_OUT" ] && echo "  NOTE: $((OUT - CHECKED_OUT)) check-outs repeated an earlier one (answered 200, nothing changed): pairs ran out"
[ "$IN" -gt "$PAIRS" ] && echo "  NOTE: $IN check-ins for $PAIRS sign-ups: the rest were repeats (counted once, cheaper); raise --volunteers"
true
"$KEPU" stats verify --db "$DB"
