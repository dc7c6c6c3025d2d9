#!/usr/bin/env bash
# quiz.sh - a city's knowledge contest at volume, on SQLite (WAL, every answer durable): N public
# players (default 10,000) register and each starts an attempt of a 20-question paper through the
# public endpoints (not timed), then wrk with a Lua script answers in one window (default 10 s)
# through PUT /public/contests/:id/attempts/:aid/answers/:no, every request a different
# (attempt, question) pair. Prints answers per second and latency percentiles, counts the answers
# back from the database (every 200 must be a row: 0 lost), then runs `kepu stats verify`.
# Target (issue 17): >= 3,000 answers/s, p99 <= 200 ms. Not part of make test.
#   bench/quiz.sh [--players N] [--duration 10s] [--connections C] [--threads T]
set -euo pipefail
cd "$(dirname "$0")/.."
KEPU=${KEPU_BIN:-$PWD/build/kepu}
PLAYERS=10000
DURATION=10s
CONNS=32
THREADS=4
QUESTIONS=20
while [ $# -gt 0 ]; do
  case "$1" in
    --players) PLAYERS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
TMP=$(mktemp -d /tmp/kepu-bench-quiz-XXXXXX)
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
DB=$TMP/kepu.db
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Bench-Admin-2026
export KEPU_ACCESS_LOG=0 KEPU_FILES_DIR=$TMP/files KEPU_PER_IP_CONNECTIONS=0
# every simulated phone speaks from 127.0.0.1: the public limits per address (and per contest)
# would refuse all but the first few; a load test lifts them
export KEPU_CONTEST_REGISTER_LIMIT=2000000000 KEPU_CONTEST_REGISTER_CONTEST_LIMIT=2000000000
export KEPU_CONTEST_START_LIMIT=2000000000 KEPU_CONTEST_START_CONTEST_LIMIT=2000000000
export KEPU_CONTEST_ANSWER_LIMIT=2000000000 KEPU_CONTEST_READ_LIMIT=2000000000
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
DISTS=()
for i in 1 2 3 4; do
  DISTS+=("$(call POST /orgs "{\"parent_id\":$ROOT,\"type\":\"district\",\"name\":\"竞赛压测区$i\"}" | id_of)")
done
# the bank: reviewed single-choice questions (the question bank's API; straight into the file on a
# build without it)
for i in $(seq 40); do
  BODY="{\"org_id\":$ROOT,\"type\":\"single\",\"category\":\"lit_knowledge\",\"difficulty\":2,\"stem\":\"压测题$i\",\"options\":[\"甲\",\"乙\",\"丙\",\"丁\"],\"answer\":\"B\"}"
  if Q=$(call POST /questions "$BODY" 2>/dev/null | id_of 2>/dev/null); then
    call POST /questions/$Q/review >/dev/null
  else
    sqlite3 "$DB" ".timeout 5000" "INSERT INTO questions (org_id, org_path, type, category, difficulty, status, version, stem, created_at, updated_at) SELECT id, path, 'single', 'lit_knowledge', 2, 'reviewed', 1, '压测题$i', '2026-01-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00' FROM orgs WHERE id = $ROOT; INSERT INTO question_versions (question_id, version, stem, options, answer, created_at) VALUES (last_insert_rowid(), 1, '压测题$i', '[\"甲\",\"乙\",\"丙\",\"丁\"]', '\"B\"', '2026-01-01T00:00:00+08:00');"
  fi
done
WINDOW=$(python3 -c 'import datetime as d; t=d.datetime.utcnow()+d.timedelta(hours=8); print((t-d.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S+08:00"), (t+d.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M:%S+08:00"))')
set -- $WINDOW
CT=$(call POST /contests "{\"org_id\":$ROOT,\"title\":\"压测竞赛\",\"kind\":\"contest\",\"opens_at\":\"$1\",\"closes_at\":\"$2\",\"audience\":[\"public\"],\"rules\":[{\"category\":\"lit_knowledge\",\"difficulty\":0,\"count\":$QUESTIONS,\"points\":5}],\"time_limit_s\":7200,\"shuffle_questions\":true,\"shuffle_options\":true}" | id_of)
call POST /contests/$CT/publish >/dev/null
echo "registering $PLAYERS players and starting their attempts (not timed) ..."
T0=$(date +%s)
python3 - "$BASE" "$CT" "$PLAYERS" "$TMP/attempts.lua" "${DISTS[@]}" <<'PY'
import json, sys, urllib.request, concurrent.futures as cf
base, ct, n, out, dists = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
def post(path, body):
    req = urllib.request.Request(base + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
def player(i):
    key = post(f"/public/contests/{ct}/players", {"name": "选手%d" % i, "phone": "137%08d" % i,
                                                    "district_id": int(dists[i % len(dists)])})["person_key"]
    a = post(f"/public/contests/{ct}/attempts", {"person_key": key, "person_kind": "player"})
    return a["attempt_id"], a["attempt_token"]
with cf.ThreadPoolExecutor(16) as ex: attempts = list(ex.map(player, range(n)))
with open(out, "w") as f:
    f.write("return {" + ",".join('{id=%d,token="%s"}' % a for a in attempts) + "}\n")
PY
echo "  done in $(( $(date +%s) - T0 )) s"
cat > "$TMP/answer.lua" <<LUA
-- thread k answers the pairs k, k+T, k+2T ... of (attempt, question): no pair twice while pairs
-- last, so every 200 must be one new row of contest_answers
local attempts = dofile("$TMP/attempts.lua")
local threads, k = {}, 0
function setup(thread) k = k + 1; thread:set("tid", k - 1); table.insert(threads, thread) end
local n = 0
ok = 0
beyond = 0
function request()
  local i = n * $THREADS + tid
  n = n + 1
  if i >= #attempts * $QUESTIONS then beyond = beyond + 1 end
  local a = attempts[i % #attempts + 1]
  local no = math.floor(i / #attempts) % $QUESTIONS + 1
  local labels = {"A", "B", "C", "D"}
  local body = string.format('{"answer":"%s"}', labels[i % 4 + 1])
  return wrk.format("PUT", "/api/v1/public/contests/$CT/attempts/" .. a.id .. "/answers/" .. no,
                    {["Content-Type"] = "application/json", ["X-Attempt-Token"] = a.token}, body)
end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 else print("status " .. status .. " " .. body) end
end
function done(summary, latency, requests)
  local n, b = 0, 0
  for _, t in ipairs(threads) do n = n + t:get("ok"); b = b + t:get("beyond") end
  print("answered 200: " .. n)
  print("pairs repeated: " .. b)
end
LUA
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$TMP/answer.lua" "http://127.0.0.1:$PORT" > "$TMP/wrk.txt"
cat "$TMP/wrk.txt"
sleep 1   # requests still in flight when wrk stopped finish before the rows are counted
OK=$(awk '/^answered 200:/ {print $3}' "$TMP/wrk.txt")
ROWS=$(sqlite3 "$DB" ".timeout 5000" "SELECT COUNT(*) FROM contest_answers")
RPS=$(awk '/Requests\/sec/ {print $2}' "$TMP/wrk.txt")
P99=$(awk '$1 == "99%" {print $2}' "$TMP/wrk.txt")
P50=$(awk '$1 == "50%" {print $2}' "$TMP/wrk.txt")
BAD=$(grep -c '^status ' "$TMP/wrk.txt" || true)
kill $PID; wait $PID 2>/dev/null || true; PID=
echo
echo "answers: $OK answered 200 by $PLAYERS players' attempts, $CONNS connections, $DURATION; refused: $BAD"
echo "  answers per second: $RPS (lookup by id + token hash, one upsert, durable through the group commit)"
echo "  latency p50 $P50, p99 $P99"
echo "  rows in contest_answers: $ROWS (every 200 a row; at most $CONNS more, in flight when wrk stopped)"
AGAIN=$(awk '/^pairs repeated:/ {print $3}' "$TMP/wrk.txt")
if [ "${AGAIN:-0}" -gt 0 ]; then
  echo "  NOT A FIGURE: $AGAIN requests resent an answer (the $((PLAYERS * QUESTIONS)) attempt-question pairs ran out):" \
       "raise --players to at least rate x duration / $QUESTIONS" >&2
  exit 1
fi
if [ "$ROWS" -lt "$OK" ] || [ "$ROWS" -gt $((OK + CONNS)) ]; then
  echo "  LOST OR EXTRA ANSWERS: $OK answered 200, $ROWS rows" >&2
  FAILED=1
fi
"$KEPU" stats verify --db "$DB"
exit ${FAILED:-0}
