#!/usr/bin/env bash
# calls_verify.sh KEPU_BIN - `kepu calls verify` (issue 15): on the demo city, whose calls stand at
# every stage, it finds no difference and exits 0; then, in a fresh copy each time, one kept counter
# is changed behind the engine's back (a call's entries_total, a unit's board counts, a recommended
# count, an entry's score aggregate, a sheet's outlier flag, a statistics key of call_entries.* and of
# titles.*, a month roll-up), and verify must exit 1 and name that counter.
set -euo pipefail
KEPU=${1:?usage: tests/calls_verify.sh KEPU_BIN}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kepu-calls-verify.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Calls-Verify-2026
KEPU_FILES_DIR="$TMP/files" "$KEPU" demo --db "$TMP/city.db" >"$TMP/demo.log" 2>&1 || { cat "$TMP/demo.log" >&2; exit 1; }
"$KEPU" calls verify --db "$TMP/city.db" >"$TMP/clean.log" 2>&1 || { echo "calls_verify: the demo is not clean" >&2; cat "$TMP/clean.log" >&2; exit 1; }
grep -q '^calls verify: 0 difference(s)$' "$TMP/clean.log"

# corrupt SQL | what the one difference line must name
cases=(
  "UPDATE calls SET entries_total = entries_total + 1 WHERE template_code = 'youth_contest'|(youth_contest) entries_total: kept 41, recomputed 40"
  "UPDATE call_unit_counts SET submitted = submitted - 1 WHERE call_id = (SELECT id FROM calls WHERE template_code = 'excellent_work') AND org_id = (SELECT MIN(org_id) FROM call_entries WHERE call_id = call_unit_counts.call_id)|call_unit_counts.submitted: kept 0, recomputed 1"
  "UPDATE call_unit_counts SET drafts = drafts + 2 WHERE call_id = (SELECT id FROM calls WHERE template_code = 'excellent_teacher') AND org_id = (SELECT MAX(org_id) FROM call_entries WHERE call_id = call_unit_counts.call_id AND status = 'draft')|call_unit_counts.drafts: kept 3, recomputed 1"
  "UPDATE call_unit_counts SET recommended = recommended + 1 WHERE org_id = (SELECT MIN(org_id) FROM call_unit_counts WHERE recommended > 0) AND recommended > 0 AND call_id = (SELECT MIN(call_id) FROM call_unit_counts WHERE recommended > 0)|call_unit_counts.recommended"
  "UPDATE call_entries SET score_agg = score_agg + 7 WHERE id = (SELECT MIN(entry_id) FROM call_reviews WHERE status = 'submitted')|score_agg"
  "UPDATE call_reviews SET outlier = 1 - outlier WHERE id = (SELECT MIN(id) FROM call_reviews WHERE status = 'submitted')|outlier flags"
  "UPDATE stat_kind_rollups SET n = n + 1 WHERE grain = 'd' AND kind = 'call_entries.lecture_collection' AND org_id = (SELECT MIN(id) FROM orgs WHERE type = 'society')|stats call_entries.lecture_collection at org"
  "DELETE FROM stat_kind_rollups WHERE grain = 'd' AND kind = 'titles.base' AND org_id = (SELECT MIN(org_id) FROM designations WHERE kind = 'base')|stats titles.base at org"
  "UPDATE stat_kind_rollups SET n = n + 5 WHERE grain = 'm' AND kind = 'titles.base' AND org_id = (SELECT id FROM orgs WHERE parent_id IS NULL)|stats titles.base at org"
)
for c in "${cases[@]}"; do
  sql=${c%%|*} want=${c#*|}
  cp "$TMP/city.db" "$TMP/bad.db"
  rm -f "$TMP/bad.db-wal" "$TMP/bad.db-shm"
  changed=$(python3 -c 'import sqlite3, sys; d = sqlite3.connect(sys.argv[1]); n = d.execute(sys.argv[2]).rowcount; d.commit(); print(n)' "$TMP/bad.db" "$sql")
  [ "$changed" -ge 1 ] || { echo "calls_verify: the corruption changed nothing: $sql" >&2; exit 1; }
  rc=0
  "$KEPU" calls verify --db "$TMP/bad.db" >"$TMP/bad.log" 2>&1 || rc=$?
  [ "$rc" -eq 1 ] || { echo "calls_verify: exit $rc (want 1) after: $sql" >&2; cat "$TMP/bad.log" >&2; exit 1; }
  grep -qF -- "$want" "$TMP/bad.log" || { echo "calls_verify: '$want' not named after: $sql" >&2; cat "$TMP/bad.log" >&2; exit 1; }
  echo "calls_verify: named: $(grep -F -- "$want" "$TMP/bad.log" | head -1)"
done
echo "calls_verify: ok (clean demo, ${#cases[@]} corruptions each named)"
