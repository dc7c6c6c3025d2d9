#!/usr/bin/env bash
# portal.sh - the resource library and the public portal under load (issue 18), on SQLite, each
# figure against its reference measured in the same run:
#   (a) the portal's home page and a public resource page under wrk: kepu rendering them against
#       nginx serving the same bytes as static files (target >= 0.5 of nginx's requests/s);
#   (b) a 1 GiB video read by random 4 MiB range requests (a player seeking) from the library's
#       version download, against nginx serving the same file (target >= 0.8 of its throughput);
#   (c) the library's search (GET /resources?q=) over 100,000 resources: p50/p95 of 1,000 random
#       3-6 character queries (target p95 <= 20 ms); reference: the same phrases as a LIKE scan of
#       the search text (direct SQL, median).
#   bench/portal.sh [--resources N] [--duration 5s] [--connections 16]
set -euo pipefail
cd "$(dirname "$0")/.."
KEPU=${KEPU_BIN:-$PWD/build/kepu}
N=100000
DURATION=5s
CONNS=16
while [ $# -gt 0 ]; do
  case "$1" in
    --resources) N=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --connections) CONNS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
TMP=$(mktemp -d /tmp/kepu-bench-portal-XXXXXX)
PID=
NGINX_PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; [ -f "$TMP/nginx.pid" ] && kill $(cat "$TMP/nginx.pid") 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
DB=$TMP/kepu.db
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Bench-Admin-2026
"$KEPU" demo --db "$DB" >/dev/null 2>&1

# ---- the fill: N approved public resources shared from the city (through kepu: both search
# indexes are kept by triggers, one of them with kepu's own tokenizer), and a 1 GiB video ----
t0=$(date +%s.%N)
"$KEPU" bench-fill --db "$DB" --resources "$N" >/dev/null
t1=$(date +%s.%N)
echo "filled $N resources (FTS5 trigram and bigram indexes kept by their triggers) in $(python3 -c "print(f'{$t1 - $t0:.1f}')") s"
head -c 1073741824 /dev/urandom > "$TMP/video.bin"
SHA=$(sha256sum "$TMP/video.bin" | cut -d' ' -f1)
mkdir -p "$TMP/files/${SHA:0:2}" "$TMP/www"
cp "$TMP/video.bin" "$TMP/files/${SHA:0:2}/$SHA"
mv "$TMP/video.bin" "$TMP/www/video.bin"

# ---- the servers: kepu, and nginx over the same bytes ----
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
NPORT=$(free_port)
# one address asks every page: the per-address limit of the portal (240 a minute) would answer 429
KEPU_PORTAL_PAGES_LIMIT=1000000000 KEPU_ACCESS_LOG=0 KEPU_FILES_DIR="$TMP/files" "$KEPU" serve --listen 127.0.0.1:$PORT --db "$DB" 2>"$TMP/server.log" &
PID=$!
cat > "$TMP/nginx.conf" <<NGX
worker_processes 2;
user $(id -un) $(id -gn);
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $TMP/nginx-body;
  proxy_temp_path $TMP/nginx-proxy;
  fastcgi_temp_path $TMP/nginx-fcgi;
  uwsgi_temp_path $TMP/nginx-uwsgi;
  scgi_temp_path $TMP/nginx-scgi;
  types { text/html html; video/mp4 bin; }
  server {
    listen 127.0.0.1:$NPORT;
    root $TMP/www;
    etag on;
  }
}
NGX
nginx -c "$TMP/nginx.conf" -e "$TMP/nginx-error.log"
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/api/v1/health >/dev/null && break; sleep 0.1; done
TOKEN=$(curl -sf -X POST http://127.0.0.1:$PORT/api/v1/auth/login -H "Content-Type: application/json" \
  -d "{\"username\":\"admin\",\"password\":\"$KEPU_BOOTSTRAP_ADMIN_PASSWORD\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

# The video: a resource made through the API, its version's row pointing at the stored file
# (1 GiB is past the upload cap; resource_versions has no trigger, so plain SQL will do).
RID=$(curl -sf -X POST http://127.0.0.1:$PORT/api/v1/resources -H "Authorization: Bearer $TOKEN" \
  -H "Content-Type: application/json" -d '{"title":"一小时的科普讲座录像","kind":"video","is_public":true}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
VID=$(sqlite3 "$DB" "INSERT INTO resource_versions (resource_id, version_no, org_path, name, mime, size, sha256, created_at)
  SELECT id, 1, org_path, 'lecture.mp4', 'video/mp4', 1073741824, '$SHA', created_at FROM resources WHERE id = $RID;
  UPDATE resources SET status = 'approved', shared_path = org_path WHERE id = $RID;
  SELECT MAX(id) FROM resource_versions;")

# wrk's requests/s and bytes/s of one run: "<req/s> <bytes/s>"
wrk_run() {
  wrk -t2 -c"$CONNS" -d"$DURATION" "$@" 2>&1 | python3 -c '
import re, sys
t = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
m = re.search(r"Transfer/sec:\s+([\d.]+)([KMG]?B)", t)
mult = {"B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}[m.group(2)]
errs = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
if errs: sys.exit("wrk: %s non-2xx answers" % errs.group(1))
print(rps, float(m.group(1)) * mult)'
}
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }

# ---- (a) the portal's pages ----
PORTAL_PAGES="${PORTAL_PAGES:-/portal/ /portal/resources/$RID}"
if curl -sf -o /dev/null "http://127.0.0.1:$PORT/portal/"; then
  for page in $PORTAL_PAGES; do
    name=$(echo "$page" | tr '/' '_')
    curl -sf "http://127.0.0.1:$PORT$page" > "$TMP/www/$name.html"
    read -r k_rps _ < <(wrk_run "http://127.0.0.1:$PORT$page")
    read -r n_rps _ < <(wrk_run "http://127.0.0.1:$NPORT/$name.html")
    printf '(a) %-28s kepu %8.0f req/s   nginx (same %s bytes, static) %8.0f req/s   ratio %s (target >= 0.5)\n' \
      "$page" "$k_rps" "$(wc -c < "$TMP/www/$name.html")" "$n_rps" "$(ratio "$k_rps" "$n_rps")"
  done
else
  echo "(a) the portal answers no /portal/ on this build: skipped"
fi

# ---- (b) a 1 GiB video by random 4 MiB ranges ----
cat > "$TMP/ranges.lua" <<'LUA'
local counter = 0
function setup(thread) counter = counter + 1; thread:set("seed", counter) end
function init(args) math.randomseed(seed * 7919) end
request = function()
  local off = math.random(0, 255) * 4194304
  wrk.headers["Range"] = "bytes=" .. off .. "-" .. (off + 4194303)
  return wrk.format("GET")
end
LUA
cat "$TMP/www/video.bin" > /dev/null   # both read it from the page cache
read -r _ k_bps < <(wrk_run -s "$TMP/ranges.lua" -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$PORT/api/v1/resources/$RID/versions/$VID/file")
read -r _ n_bps < <(wrk_run -s "$TMP/ranges.lua" "http://127.0.0.1:$NPORT/video.bin")
printf '(b) 1 GiB video, random 4 MiB ranges: kepu %.0f MiB/s   nginx %.0f MiB/s   ratio %s (target >= 0.8)\n' \
  "$(python3 -c "print($k_bps / 1048576)")" "$(python3 -c "print($n_bps / 1048576)")" "$(ratio "$k_bps" "$n_bps")"

# ---- (c) search over N resources ----
python3 - "$PORT" "$TOKEN" "$DB" "$N" <<'PY'
import http.client, json, random, sqlite3, sys, time, urllib.parse
port, token, dbpath, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
words = ["家庭急救", "安全用电", "防诈骗", "健康饮食", "垃圾分类", "人工智能", "高血压", "智能手机", "防火", "水稻种植",
         "天文", "疫苗", "中医养生", "节能低碳", "机器人", "湿地", "昆虫", "茶叶", "心理", "航天"]
conn = http.client.HTTPConnection("127.0.0.1", port)
H = {"Authorization": "Bearer " + token}
random.seed(181)
ts, hits = [], 0
for _ in range(1000):
    q = random.choice(words)
    t = time.perf_counter()
    conn.request("GET", "/api/v1/resources?page_size=20&q=" + urllib.parse.quote(q), headers=H)
    r = conn.getresponse(); body = r.read()
    ts.append((time.perf_counter() - t) * 1000)
    assert r.status == 200, (r.status, body[:200])
    hits += json.loads(body)["total"]
ts.sort()
db = sqlite3.connect(dbpath)
def med(fn, k=5):
    xs = []
    for _ in range(k):
        t = time.perf_counter(); fn(); xs.append((time.perf_counter() - t) * 1000)
    return sorted(xs)[k // 2]
like = med(lambda: db.execute("SELECT id FROM resources WHERE search_text LIKE ? ORDER BY id DESC LIMIT 20",
                              ("%" + random.choice(words) + "%",)).fetchall())
print(f"(c) GET /resources?q= over {n} resources (1,000 random 2-4 character phrases, {hits // 1000} matches on average): "
      f"p50 {ts[500]:.2f} ms  p95 {ts[950]:.2f} ms (target <= 20 ms)")
print(f"    reference: one LIKE scan of the search text for 20 rows, direct SQL, median of 5: {like:.2f} ms")
PY
