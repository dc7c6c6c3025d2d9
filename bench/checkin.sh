#!/usr/bin/env bash
# checkin.sh - check-in by QR code at scale, on SQLite (WAL, every check-in durable with its
# roll-ups): simulated phones check in over S concurrent course sessions (default 20) through
# the real public endpoint for a while (default 5 s), with wrk and a Lua script that makes a new
# student (name, phone) for every request, so every request enrols one and checks it in; the
# sessions' tokens are fetched first through the API. Prints check-ins per second and latency
# percentiles, checks that every check-in was counted once (students enrolled, the district's
# attendance), then runs `kepu stats verify`. Not part of make test.
# With --returning N, N phones first check in once as newcomers (not timed) and keep the key
# their phone remembers; the timed run is then those phones checking in with one tap to the S
# sessions (a course's regulars), each phone to each session at most once; if those N x S pairs
# run out before the time does (second scans write nothing), the run is not a figure and says so.
#   bench/checkin.sh [--duration 5s] [--sessions S] [--connections C] [--threads T] [--returning N]
set -euo pipefail
cd "$(dirname "$0")/.."
KEPU=${KEPU_BIN:-$PWD/build/kepu}
DURATION=5s
SESSIONS=20
CONNS=20
THREADS=4
RETURNING=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --sessions) SESSIONS=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --returning) RETURNING=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
TMP=$(mktemp -d /tmp/kepu-bench-checkin-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
DB=$TMP/kepu.db
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Bench-Admin-2026
# tokens are fetched once before the run: a step longer than the run keeps them valid
export KEPU_CHECKIN_STEP=600 KEPU_ACCESS_LOG=0 KEPU_FILES_DIR=$TMP/files
# every simulated phone speaks from 127.0.0.1: the newcomers' limits (60 per address and session,
# 300 per session) would refuse all but the first; a load test lifts them
export KEPU_CHECKIN_NEWCOMERS_PER_ADDRESS=2000000000 KEPU_CHECKIN_NEWCOMERS_PER_SESSION=2000000000
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT/api/v1
"$KEPU" serve --listen 127.0.0.1:$PORT --db "$DB" 2>"${SERVER_LOG:-$TMP/server.log}" &
PID=$!
for _ in $(seq 100); do curl -sf $BASE/health >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST $BASE/auth/login -H "Content-Type: application/json" -d "{\"username\":\"admin\",\"password\":\"$KEPU_BOOTSTRAP_ADMIN_PASSWORD\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
call() { curl -sf -X "$1" "$BASE$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ${3:+-d "$3"}; }
id_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
ROOT=$(call GET /me | python3 -c 'import json,sys; print(json.load(sys.stdin)["org_id"])')
DIST=$(call POST /orgs "{\"parent_id\":$ROOT,\"type\":\"district\",\"name\":\"压测区\"}" | id_of)
START=$(python3 -c 'import datetime as d; t=d.datetime.utcnow()+d.timedelta(hours=8); print((t-d.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S+08:00"), (t+d.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+08:00"))')
set -- $START
echo "return {" > "$TMP/sessions.lua"
for i in $(seq "$SESSIONS"); do
  POINT=$(call POST /orgs "{\"parent_id\":$DIST,\"type\":\"point\",\"name\":\"压测教学点$i\"}" | id_of)
  COURSE=$(call POST /courses "{\"org_id\":$POINT,\"title\":\"压测课程$i\",\"category\":\"digital\",\"starts_at\":\"$1\",\"ends_at\":\"$2\"}" | id_of)
  SID=$(call POST /checkin/sessions "{\"kind\":\"course\",\"owner_id\":$COURSE}" | id_of)
  TOK=$(call GET /checkin/sessions/$SID/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  echo "  {id = $SID, token = \"$TOK\"}," >> "$TMP/sessions.lua"
done
echo "}" >> "$TMP/sessions.lua"
if [ "$RETURNING" -gt 0 ]; then
  # the phones enrol at a course of their own first, and keep their keys
  COURSE=$(call POST /courses "{\"org_id\":$POINT,\"title\":\"压测登记课\",\"category\":\"digital\",\"starts_at\":\"$1\",\"ends_at\":\"$2\"}" | id_of)
  SID=$(call POST /checkin/sessions "{\"kind\":\"course\",\"owner_id\":$COURSE}" | id_of)
  TOK=$(call GET /checkin/sessions/$SID/token | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  python3 - "$BASE" "$SID" "$TOK" "$RETURNING" "$TMP/keys.lua" <<'PY'
import json, sys, urllib.request, concurrent.futures as cf
base, sid, tok, n, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
def enrol(i):
    body = json.dumps({"token": tok, "name": "常客%d" % i, "phone": "139%08d" % i}).encode()
    req = urllib.request.Request(f"{base}/public/checkin/{sid}", body, {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))["student_key"]
with cf.ThreadPoolExecutor(8) as ex: keys = list(ex.map(enrol, range(n)))
with open(out, "w") as f: f.write("return {" + ",".join('"%s"' % k for k in keys) + "}\n")
PY
  cat > "$TMP/checkin.lua" <<LUA
-- every request a known phone (its remembered key) at one of the sessions: thread k takes the
-- pairs k, k+T, k+2T ... of (phone, session), so no pair repeats while pairs last
local sessions = dofile("$TMP/sessions.lua")
local keys = dofile("$TMP/keys.lua")
local k = 0
local threads = {}
function setup(thread) k = k + 1; thread:set("tid", k - 1); table.insert(threads, thread) end
local n = 0
already = 0
function request()
  local i = n * $THREADS + tid
  n = n + 1
  local key = keys[i % #keys + 1]
  local s = sessions[math.floor(i / #keys) % #sessions + 1]
  local body = string.format('{"token":"%s","student_key":"%s"}', s.token, key)
  return wrk.format("POST", "/api/v1/public/checkin/" .. s.id, {["Content-Type"] = "application/json"}, body)
end
-- 200 is a second scan (counted once, nothing written): the pairs ran out
function response(status, headers, body)
  if status == 200 then already = already + 1
  elseif status ~= 201 then print("status " .. status .. " " .. body) end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("already") end
  print("second scans " .. n)
end
LUA
else
cat > "$TMP/checkin.lua" <<LUA
-- every request a new student: thread k makes phones 13<k><8 digits>, names 学员<k>-<n>
local sessions = dofile("$TMP/sessions.lua")
local threads, k = {}, 0
function setup(thread) k = k + 1; thread:set("tid", k); table.insert(threads, thread) end
local n = 0
function init(args) tid = tid or 1 end
function request()
  n = n + 1
  local s = sessions[(n + tid) % #sessions + 1]
  local body = string.format('{"token":"%s","name":"学员%d-%d","phone":"13%d%08d"}', s.token, tid, n, tid + 2, n)
  return wrk.format("POST", "/api/v1/public/checkin/" .. s.id, {["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status ~= 201 then print("status " .. status .. " " .. body) end
end
LUA
fi
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$TMP/checkin.lua" "http://127.0.0.1:$PORT" > "$TMP/wrk.txt"
cat "$TMP/wrk.txt"
sleep 1   # requests still in flight when wrk stopped finish before the counts are read
STUDENTS=$(call GET "/students?page_size=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
ATT=$(call GET "/stats?org_id=$DIST&period=${1:0:4}&metrics=attendance" | python3 -c 'import json,sys; print(json.load(sys.stdin)["values"]["attendance"])')
RPS=$(awk '/Requests\/sec/ {print $2}' "$TMP/wrk.txt")
P99=$(awk '$1 == "99%" {print $2}' "$TMP/wrk.txt")
P50=$(awk '$1 == "50%" {print $2}' "$TMP/wrk.txt")
DONE=$(awk '/requests in/ {print $1}' "$TMP/wrk.txt")
BAD=$(grep -c '^status ' "$TMP/wrk.txt" || true)
AGAIN=$(awk '/^second scans/ {print $3}' "$TMP/wrk.txt")
WAL=$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)
kill $PID; wait $PID 2>/dev/null || true; PID=
echo
if [ "$RETURNING" -gt 0 ]; then
  echo "check-ins: $DONE by $RETURNING known phones (one tap, remembered key) over $SESSIONS sessions, $CONNS connections, $DURATION; refused: $BAD"
  echo "  check-ins per second: $RPS (check-in + course attendance + roll-ups + audit, durable)"
  echo "  latency p50 $P50, p99 $P99"
  echo "  students: $STUDENTS (= $RETURNING phones); the district's attendance: $ATT (= $RETURNING first visits + $DONE answered + at most $CONNS in flight)"
  if [ "${AGAIN:-0}" -gt 0 ]; then
    echo "  NOT A FIGURE: $AGAIN requests were second scans (the $((RETURNING * SESSIONS)) phone-session pairs ran out):" \
         "raise --returning to at least rate x duration / sessions" >&2
    FAILED=1
  fi
else
  echo "check-ins: $DONE phones (each a new student) over $SESSIONS sessions, $CONNS connections, $DURATION; refused: $BAD"
  echo "  check-ins per second: $RPS (new student enrolled + check-in + course attendance + roll-ups + audit, durable)"
  echo "  latency p50 $P50, p99 $P99"
  echo "  students enrolled: $STUDENTS; the district's attendance: $ATT (both = $DONE answered + at most $CONNS in flight when wrk stopped)"
fi
echo "  WAL file at the end: $((WAL / 1048576)) MiB (the checkpointer lets it start over; it grew without end before)"
"$KEPU" stats verify --db "$DB"
exit ${FAILED:-0}
