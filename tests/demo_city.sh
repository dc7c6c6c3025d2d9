#!/usr/bin/env bash
# demo_city.sh KEPU_BIN - the demo city looks like a real one and stays deterministic (issue 14
# item 24): two runs of `kepu demo` give the same activities in every district; the districts
# differ in activity (no fixed count for all: at least 20 different counts among the 41, the
# busiest at least 4 times the quietest, the urban core above the mountain counties); and
# `kepu stats verify` finds the roll-ups equal to the records.
set -euo pipefail
KEPU=${1:?usage: tests/demo_city.sh KEPU_BIN}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kepu-demo-city.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Demo-City-2026
Q="SELECT d.code, COUNT(a.id) FROM orgs d LEFT JOIN activities a ON substr(a.org_path, 1, length(d.path)) = d.path
   WHERE d.type = 'district' GROUP BY d.code ORDER BY d.code"
for run in 1 2; do
  KEPU_FILES_DIR="$TMP/files$run" "$KEPU" demo --db "$TMP/city$run.db" >"$TMP/demo$run.log" 2>&1 ||
    { cat "$TMP/demo$run.log" >&2; exit 1; }
  python3 - "$TMP/city$run.db" "$Q" >"$TMP/counts$run.txt" <<'PY'
import sqlite3, sys
for code, n in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(code, n)
PY
done
cmp -s "$TMP/counts1.txt" "$TMP/counts2.txt" || { echo "demo_city: two runs differ" >&2; diff "$TMP/counts1.txt" "$TMP/counts2.txt" >&2; exit 1; }
python3 - "$TMP/counts1.txt" <<'PY'
import sys
counts = dict((c, int(n)) for c, n in (line.split() for line in open(sys.argv[1])))
values = list(counts.values())
assert len(values) == 41, f"41 districts, got {len(values)}"
assert len(set(values)) >= 20, f"only {len(set(values))} different counts: {sorted(values)}"
assert max(values) >= 4 * min(values), f"busiest {max(values)}, quietest {min(values)}"
assert counts["500103"] > 2 * counts["500229"], "渝中区 is busier than 城口县"
assert counts["500112"] > 2 * counts["500238"], "渝北区 is busier than 巫溪县"
print(f"demo_city: districts from {min(values)} to {max(values)} activities, {len(set(values))} different counts")
PY
"$KEPU" stats verify --db "$TMP/city1.db" >"$TMP/verify.log" 2>&1 || { cat "$TMP/verify.log" >&2; exit 1; }
echo "demo_city: ok"
