#!/usr/bin/env bash
# nginx_two_nodes.sh KEPU_BIN PGURL - deploy/nginx.conf in front of two kepu nodes on one
# PostgreSQL database: requests are spread over both nodes, the UI is served by nginx over HTTPS
# (a self-signed certificate) with its security headers, HTTP redirects to HTTPS, 20 MiB bodies
# pass on every upload route (read from the API document) and only there, anonymous uploads are
# refused by the node with 401 (never nginx's 502), the
# access log keeps verification codes out, the client address reaches the login log, and
# stopping one node loses no request.
# Prints 'N passed, N failed'.
set -uo pipefail
KEPU=$1; PGURL=$2; BASE=${PGURL%/postgres}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
TMP=$(mktemp -d); PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf "$TMP"' EXIT
pass=0; fail=0
check() { if [ "$2" = "$3" ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL $1: got '$2' want '$3'" >&2; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P1=$(free_port); P2=$(free_port); PN=$(free_port); PS=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
psql -q "$PGURL" -c 'CREATE DATABASE kepu_nginx' >/dev/null
export KEPU_DB=$BASE/kepu_nginx KEPU_TRUST_PROXY=1 KEPU_BOOTSTRAP_ADMIN_PASSWORD=Nginx-Admin-2026
"$KEPU" migrate >/dev/null
for p in $P1 $P2; do
  "$KEPU" serve --listen 127.0.0.1:$p 2>"$TMP/node$p.log" &
  PIDS+=($!)
done
mkdir -p "$TMP/logs"
sed -e "s#127.0.0.1:8081#127.0.0.1:$P1#; s#127.0.0.1:8082#127.0.0.1:$P2#; s#listen 80;#listen 127.0.0.1:$PN;#" \
    -e "s#listen 443 ssl#listen 127.0.0.1:$PS ssl#; s#/etc/kepu/tls/fullchain.pem#$TMP/cert.pem#; s#/etc/kepu/tls/privkey.pem#$TMP/key.pem#" \
    -e "s#/opt/kepu/web#$ROOT/build/web#g; s#/run/nginx.pid#$TMP/nginx.pid#; s#/var/log/nginx#$TMP/logs#g" \
    "$ROOT/deploy/nginx.conf" > "$TMP/nginx.conf"
"$NGINX" -p "$TMP" -c "$TMP/nginx.conf" -g 'daemon off;' 2>"$TMP/nginx.err" &
PIDS+=($!)
# both nodes, then nginx (a loaded machine may take a while to start a node)
for _ in $(seq 300); do
  curl -sf http://127.0.0.1:$P1/api/v1/health >/dev/null && curl -sf http://127.0.0.1:$P2/api/v1/health >/dev/null &&
    curl -skf https://127.0.0.1:$PS/api/v1/health >/dev/null && break
  sleep 0.1
done
B=https://127.0.0.1:$PS/api/v1
curl() { command curl -k "$@"; }
LOGIN=$(curl -s -X POST $B/auth/login -H "X-Real-IP: 203.0.113.7" -H "Content-Type: application/json" \
  -d "{\"username\":\"admin\",\"password\":\"Nginx-Admin-2026\"}")
TOKEN=$(echo "$LOGIN" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
ok=0
for i in $(seq 40); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$B/orgs?page_size=5")" = 200 ] && ok=$((ok+1))
done
check "40 reads through nginx" $ok 40
n1=$(grep -c 'access GET /api/v1/orgs' "$TMP/node$P1.log"); n2=$(grep -c 'access GET /api/v1/orgs' "$TMP/node$P2.log")
check "both nodes served" "$([ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] && echo yes)" yes
check "ui through nginx" "$(curl -s -o /dev/null -w '%{http_code}' https://127.0.0.1:$PS/orgs)" 200
check "http redirects to https" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' http://127.0.0.1:$PN/orgs)" \
  "301 https://127.0.0.1/orgs"
check "ui security headers" "$(curl -s -D - -o /dev/null https://127.0.0.1:$PS/orgs | grep -ciE \
  '^(content-security-policy|x-frame-options|x-content-type-options|referrer-policy|strict-transport-security):')" 5
head -c 2097152 /dev/zero > "$TMP/2m.bin"
check "2 MiB JSON body refused by nginx" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' --data-binary @"$TMP/2m.bin" $B/orgs)" 413
check "2 MiB upload passes nginx (the node answers: no such activity)" "$(curl -s -o /dev/null -w '%{http_code}' \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/octet-stream' -H 'X-File-Name: a.pdf' \
  --data-binary @"$TMP/2m.bin" $B/activities/999999/files)" 404
# the node reads and drops a refused body behind nginx (KEPU_TRUST_PROXY=1): closing on the head
# while nginx still wrote it made nginx answer 502 at random; ten tries make a race show
refused=0
for _ in $(seq 10); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
    --data-binary @"$TMP/2m.bin" $B/activities/1/files)" = 401 ] && refused=$((refused+1))
done
check "anonymous uploads refused with 401, never 502" $refused 10
# every route that takes a file (a raw body in the API document) lets 2 MiB through nginx to the
# node, which answers it (404 no such record, 422 not a workbook): none is left at nginx's 1m
uploads=$("$KEPU" openapi | python3 -c '
import json, sys
for path, ops in json.load(sys.stdin)["paths"].items():
    op = ops.get("post") or {}
    if "application/octet-stream" in op.get("requestBody", {}).get("content", {}):
        print(path.replace("{id}", "999999"))')
n_up=0; big_ok=0
for path in $uploads; do
  n_up=$((n_up+1))
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/octet-stream' \
    -H 'X-File-Name: a.xlsx' --data-binary @"$TMP/2m.bin" "$B$path?org_id=999999")
  case $code in 413|502) echo "upload route $path: $code through nginx" >&2 ;; *) big_ok=$((big_ok+1)) ;; esac
done
check "every upload route takes 2 MiB through nginx ($n_up routes)" "$([ "$n_up" -ge 8 ] && echo $big_ok)" "$n_up"
curl -s -o /dev/null $B/public/letters/SECRETCODE42
curl -s -o /dev/null https://127.0.0.1:$PS/verify/letters/SECRETCODE43
sleep 0.2
check "codes stay out of the access logs" "$(cat "$TMP"/logs/access.log "$TMP"/node*.log | grep -c SECRETCODE)" 0
check "the access log shows the route" "$(grep -c 'public/letters/:code' "$TMP/logs/access.log")" 1
ip=$(curl -s -H "Authorization: Bearer $TOKEN" "$B/audit/logins?page_size=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["ip"])')
check "a client-sent X-Real-IP is replaced by nginx, not trusted" "$ip" 127.0.0.1
# limit_conn: 140 requests in progress from one address (authenticated writes whose bodies are
# still to come) -> the ones past 128 get 429; client_header_timeout: a head trickling one line
# a second is cut after 10 s
read -r limited trickle < <(python3 - "$PS" "$TOKEN" <<'PY'
import socket, ssl, sys, time
port, token = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
def conn():
    return ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=15), server_hostname="x")
held = []
for i in range(140):
    s = conn()
    s.sendall(("POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
               "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n" % token).encode())
    held.append(s)
time.sleep(1)
limited = 0
for s in held:
    s.settimeout(0.2)
    try:
        limited += s.recv(64).startswith(b"HTTP/1.1 429")
    except (socket.timeout, ssl.SSLError, OSError):
        pass
    s.close()
s = conn(); s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"); t0 = time.time(); cut = "no"
while time.time() - t0 < 20:
    try:
        s.sendall(b"X-Trickle: 1\r\n"); s.settimeout(1)
        if s.recv(64) == b"": cut = "yes"; break
    except socket.timeout: continue
    except (ssl.SSLError, OSError): cut = "yes"; break
print(limited, cut if time.time() - t0 < 13 else "late")
PY
)
check "limit_conn: requests past 128 from one address get 429" "$limited" 12
check "client_header_timeout cuts a trickling head" "$trickle" yes
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null
ok=0
for i in $(seq 20); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$B/orgs?page_size=5")" = 200 ] && ok=$((ok+1))
done
check "one node down, no request lost" $ok 20
echo "nginx and two nodes: $pass passed, $fail failed"
[ $fail -eq 0 ]
