#!/usr/bin/env bash
# pg_fault.sh KEPU_BIN PGDIR PGURL - the database going away mid-run: requests get 503 with a
# JSON error, and the node recovers by itself when PostgreSQL is back. Prints 'N passed, N failed'.
set -uo pipefail
KEPU=$1; PGDIR=$2; PGURL=$3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d); PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT
pass=0; fail=0
check() { if [ "$2" = "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL $1: got $2 want $3" >&2; fi; }
psql -q "$PGURL" -c 'CREATE DATABASE kepu_fault' >/dev/null
DB=${PGURL%/postgres}/kepu_fault
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
KEPU_BOOTSTRAP_ADMIN_PASSWORD=Fault-Admin-2026 "$KEPU" serve --listen 127.0.0.1:$PORT --db "$DB" 2>"$TMP/log" &
PID=$!
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break; sleep 0.1; done
B=http://127.0.0.1:$PORT/api/v1
TOKEN=$(curl -s -X POST $B/auth/login -H "Content-Type: application/json" -d '{"username":"admin","password":"Fault-Admin-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
check "before" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" $B/orgs)" 200
"$ROOT/scripts/pg_test_server.sh" restart-stop "$PGDIR"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" $B/orgs)
check "database down" "$code" 503
check "error shape" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"]["code"])' "$TMP/body")" db_unavailable
check "health down" "$(curl -s -o /dev/null -w '%{http_code}' $B/health)" 503
"$ROOT/scripts/pg_test_server.sh" restart-start "$PGDIR"
check "recovered" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" $B/orgs)" 200
check "write after recovery" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -X POST $B/orgs -H "Content-Type: application/json" -d '{"parent_id":1,"type":"district","name":"恢复测试区"}')" 201
check "node still alive" "$(kill -0 $PID && echo yes)" yes
# A wrong URL or a refused login at start: one clear line, exit status 2, no password shown.
PGPORT=$(cat "$PGDIR/port")
for bad in "postgresql://kepu:secret@127.0.0.1:1/kepu" "postgresql://no_such_role:secret@127.0.0.1:$PGPORT/postgres"; do
  "$KEPU" serve --listen 127.0.0.1:1 --db "$bad" 2>"$TMP/start.err"; code=$?
  check "start with $bad: status" $code 2
  check "start with $bad: one line" "$(wc -l < "$TMP/start.err")" 1
  check "start with $bad: no password" "$(grep -c secret "$TMP/start.err")" 0
done
echo "pg fault: $pass passed, $fail failed"
[ $fail -eq 0 ]
