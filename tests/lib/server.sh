# shellcheck shell=bash
# server.sh - sourced (not run) by the scripts that test a running server: tests/e2e/run.sh and
# tests/office/{export,import}_roundtrip.sh. A temp dir kept only on failure, a demo city in it
# (or not), `kepu serve` on a free port, a wait until it answers, and the server stopped on
# every exit.
#
#   kepu_tmp PREFIX LABEL  TMP=a new dir ${TMPDIR:-/tmp}/kepu-PREFIX.XXXXXX; sets status=1 and
#                          the traps: on exit the server is stopped, and TMP removed when the
#                          caller has set status=0 (kept otherwise, LABEL naming it on stderr)
#   kepu_demo KEPU DB      writes the demo city into DB (log in $TMP/demo.log, shown on failure)
#   kepu_serve KEPU DB WEB starts `kepu serve` (log in $TMP/server.log): PORT, PID, KEPU_URL;
#                          fails when /api/v1/health does not answer within 60 s
# Both commands run with KEPU_FILES_DIR=$TMP/files: the demo encrypts its teachers' numbers
# under the key in the files directory serve will use.

kepu_tmp() {
  KEPU_LABEL=$2
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/kepu-$1.XXXXXX")
  PID=
  status=1
  trap kepu_cleanup EXIT
  trap 'exit 130' INT TERM
}

# The EXIT trap: TERM, up to 5 s to finish, then KILL.
kepu_cleanup() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  if [ "$status" -eq 0 ]; then rm -rf "$TMP"; else echo "$KEPU_LABEL: failed; files and server log kept in $TMP" >&2; fi
}

kepu_demo() {
  KEPU_FILES_DIR="$TMP/files" "$1" demo --db "$2" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; return 1; }
}

kepu_serve() {
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  KEPU_FILES_DIR="$TMP/files" "$1" serve --listen "127.0.0.1:$PORT" --db "$2" --web "$3" >"$TMP/server.log" 2>&1 &
  PID=$!
  KEPU_URL="http://127.0.0.1:$PORT"
  # up to 60 s: CI machines are busy
  for _ in $(seq 600); do
    curl -sf "$KEPU_URL/api/v1/health" >/dev/null 2>&1 && return 0
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "$KEPU_LABEL: the server did not come up" >&2
  tail -20 "$TMP/server.log" >&2
  return 1
}
