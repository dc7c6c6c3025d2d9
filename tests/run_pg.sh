#!/usr/bin/env bash
# run_pg.sh BUILD_DIR - the API tests and a subset of the browser tests again, on a real PostgreSQL server
# started for this run on loopback (initdb, pg_ctl) and removed at the end, also on failure.
set -euo pipefail
BUILD=$(cd "${1:?usage: run_pg.sh BUILD_DIR}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PGDIR=$(mktemp -d /tmp/kepu-pg-XXXXXX)
trap '"$ROOT/scripts/pg_test_server.sh" stop "$PGDIR"' EXIT
URL=$("$ROOT/scripts/pg_test_server.sh" start "$PGDIR")
export KEPU_TEST_PG_URL=${URL%/postgres}
# uploads of every node started below land in the throw-away directory, not the work tree
export KEPU_FILES_DIR="$PGDIR/files"
echo "PostgreSQL test server: $KEPU_TEST_PG_URL"
(cd "$BUILD" && ctest --output-on-failure -j 2 -R '^api_')
psql -q "$URL" -c 'CREATE DATABASE kepu_e2e' >/dev/null
# The browser tests on PostgreSQL: the pages are the same on both stores and every API test runs
# on PostgreSQL above, so this pass takes the flows that cross most of the server's SQL in one
# go (a district's day, a course from plan to attendance, volunteer service, the calls engine's
# staff side, the exports, imports, the teaching home, the session cookie, the activity totals),
# not all of them again: the whole browser suite twice would double make test's longest stage.
KEPU_E2E_FILES="district_admin course_end_to_end volunteer_service calls_admin excel imports activity_totals
  teaching_home session_cookie gaps todo assessments notices meetings contests literacy portal resources" \
  KEPU_E2E_DB="$KEPU_TEST_PG_URL/kepu_e2e" bash "$ROOT/tests/e2e/run.sh" "$BUILD/kepu"
bash "$ROOT/tests/pg_fault.sh" "$BUILD/kepu" "$PGDIR" "$URL"
bash "$ROOT/tests/pg_tools.sh" "$BUILD/kepu" "$URL"
bash "$ROOT/tests/nginx_two_nodes.sh" "$BUILD/kepu" "$URL"
bash "$ROOT/tests/crash_kill9.sh" "$BUILD/kepu" "$URL"
