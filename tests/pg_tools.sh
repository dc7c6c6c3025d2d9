#!/usr/bin/env bash
# pg_tools.sh KEPU_BIN PGURL - moving a deployment and restoring backups, on both backends:
#  1. migrate-data copies the demo city from SQLite into PostgreSQL with equal counts, and a
#     node on the copy serves the same data (same logins, same totals);
#  2. a SQLite backup (kepu backup) and a PostgreSQL dump (pg_dump/pg_restore) restore into
#     databases a node serves with the same totals.
# Prints 'N passed, N failed'.
set -uo pipefail
KEPU=$1; PGURL=$2; BASE=${PGURL%/postgres}
TMP=$(mktemp -d); PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"' EXIT
pass=0; fail=0
check() { if [ "$2" = "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL $1: got '$2' want '$3'" >&2; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# totals DB: orgs and users as the district admin of 渝中区 and as admin, and audit entries
totals() {
  local port; port=$(free_port)
  "$KEPU" serve --listen 127.0.0.1:$port --db "$1" 2>>"$TMP/serve.log" &
  local pid=$!; PIDS+=($pid)
  for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/api/v1/health >/dev/null && break; sleep 0.1; done
  local out=""
  for u in d500103_admin admin; do
    local t; t=$(curl -s -X POST http://127.0.0.1:$port/api/v1/auth/login -H "Content-Type: application/json" -d "{\"username\":\"$u\",\"password\":\"Demo@2026kepu\"}" |
      python3 -c 'import json,sys; print(json.load(sys.stdin).get("token",""))')
    for what in orgs users audit activities targets forms teachers; do
      out+="$u/$what=$(curl -s -H "Authorization: Bearer $t" "http://127.0.0.1:$port/api/v1/$what?page_size=1" |
        python3 -c 'import json,sys; print(json.load(sys.stdin).get("total"))') "
    done
    # the roll-ups came along: this year's and last year's totals, with kinds and audiences
    for period in $(date +%Y) $(($(date +%Y) - 1)):science_week; do
      out+="$u/stats/$period=$(curl -s -H "Authorization: Bearer $t" \
        "http://127.0.0.1:$port/api/v1/stats?period=$period&metrics=activities,participants,funds,kind.lecture,audience.youth" |
        python3 -c 'import json,sys; print(sorted(json.load(sys.stdin).get("values", {}).items()))' | tr -d ' ') "
    done
  done
  kill $pid; wait $pid 2>/dev/null
  echo "$out"
}
unset KEPU_BOOTSTRAP_ADMIN_PASSWORD
"$KEPU" demo --db "$TMP/city.db" >/dev/null
SQLITE_TOTALS=$(totals "$TMP/city.db")

psql -q "$PGURL" -c 'CREATE DATABASE kepu_moved' >/dev/null
"$KEPU" migrate-data --from "$TMP/city.db" --to "$BASE/kepu_moved" > "$TMP/migrate.txt"
check "migrate-data exit" $? 0
check "migrate-data verified" "$(grep -c ' ok$' "$TMP/migrate.txt")" 108   # tables of migrate_data.c
check "moved roll-ups verify" "$("$KEPU" stats verify --db "$BASE/kepu_moved" 2>&1 | tail -1)" "stats verify: 0 differences"
check "moved totals" "$(totals "$BASE/kepu_moved")" "$SQLITE_TOTALS"
psql -q "$PGURL" -c 'CREATE DATABASE kepu_moved_again' >/dev/null
"$KEPU" migrate-data --from "$TMP/city.db" --to "$BASE/kepu_moved" >/dev/null 2>&1
check "refuses a non-empty target" $? 1

"$KEPU" backup --db "$TMP/city.db" --to "$TMP/backup.db" >/dev/null
check "sqlite backup exit" $? 0
check "sqlite restore totals" "$(totals "$TMP/backup.db")" "$SQLITE_TOTALS"

pg_dump -Fc -f "$TMP/dump" "$BASE/kepu_moved"
psql -q "$PGURL" -c 'CREATE DATABASE kepu_restored' >/dev/null
pg_restore --no-owner -d "$BASE/kepu_restored" "$TMP/dump"
check "pg restore totals" "$(totals "$BASE/kepu_restored")" "$SQLITE_TOTALS"
echo "migrate-data and backups: $pass passed, $fail failed"
[ $fail -eq 0 ]
