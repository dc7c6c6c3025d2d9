#!/usr/bin/env bash
# api_read.sh - read throughput of GET /api/v1/orgs?page_size=50 on the demo city, beside nginx
# serving a file with the same bytes, measured in the same run with the same wrk settings.
#   bench/api_read.sh [--db sqlite|postgresql|URL] [--duration 10s] [--connections 64]
# --db postgresql starts a throw-away PostgreSQL server for the run (scripts/pg_test_server.sh).
# Prints requests per second of both and the ratio Kepu / nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
KEPU=${KEPU_BIN:-$PWD/build/kepu}
DURATION=10s
CONNS=64
DB_ARG=sqlite
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB_ARG=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: make deps-test" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
TMP=$(mktemp -d)
PIDS=()
PGDIR=
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  [ -n "$PGDIR" ] && scripts/pg_test_server.sh stop "$PGDIR"
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
case "$DB_ARG" in
  sqlite) DB=$TMP/kepu.db ;;
  postgresql)
    PGDIR=$(mktemp -d /tmp/kepu-pg-XXXXXX)   # postgres must reach it: not under the 0700 TMP
    PGURL=$(scripts/pg_test_server.sh start "$PGDIR")
    psql -q "$PGURL" -c 'CREATE DATABASE kepu_bench' >/dev/null
    DB=${PGURL%/postgres}/kepu_bench ;;
  *) DB=$DB_ARG ;;
esac
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Bench-Admin-2026
"$KEPU" demo --db "$DB" >/dev/null
KPORT=$(free_port)
KEPU_ACCESS_LOG=0 "$KEPU" serve --listen 127.0.0.1:$KPORT --db "$DB" 2>"$TMP/kepu.log" &
PIDS+=($!)
for _ in $(seq 50); do curl -sf http://127.0.0.1:$KPORT/api/v1/health >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST http://127.0.0.1:$KPORT/api/v1/auth/login -H "Content-Type: application/json" \
  -d "{\"username\":\"admin\",\"password\":\"$KEPU_BOOTSTRAP_ADMIN_PASSWORD\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
URL_PATH="/api/v1/orgs?page_size=50"
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$KPORT$URL_PATH" > "$TMP/orgs.json"

NPORT=$(free_port)
mkdir -p "$TMP/nginx/logs"
cat > "$TMP/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$NPORT;
    location = /api/v1/orgs { default_type application/json; alias $TMP/orgs.json; }
  }
}
CONF
"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' &
PIDS+=($!)
sleep 0.5

rps() { awk '/Requests\/sec/ {print $2}'; }
echo "bytes per response: $(wc -c < "$TMP/orgs.json")"
K=$(wrk -t2 -c"$CONNS" -d"$DURATION" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$KPORT$URL_PATH" | tee "$TMP/wrk-kepu.txt" | rps)
N=$(wrk -t2 -c"$CONNS" -d"$DURATION" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$NPORT$URL_PATH" | tee "$TMP/wrk-nginx.txt" | rps)
grep -E 'Non-2xx|Socket errors' "$TMP/wrk-kepu.txt" || true
DBKIND=$(curl -sf http://127.0.0.1:$KPORT/api/v1/health | python3 -c 'import json,sys; print(json.load(sys.stdin)["db"])')
echo "kepu ($DBKIND) GET $URL_PATH: $K req/s"
echo "nginx same bytes:                 $N req/s"
python3 -c "print('ratio kepu/nginx: %.2f' % ($K/$N))"
echo "kepu idle RSS after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/${PIDS[0]}/status)"
