#!/usr/bin/env bash
# demo_city.sh KEPU_BIN - the demo city looks like a real one and stays deterministic (issue 14
# item 24): two runs of `kepu demo` give the same activities in every district; the districts
# differ in activity (no fixed count for all: at least 20 different counts among the 41, the
# busiest at least 4 times the quietest, the urban core above the mountain counties); and
# `kepu stats verify` finds the roll-ups equal to the records. Item 17: every district's figures
# are traced to their sources through GET /stats/sources: each source's part equals its records
# summed here straight from the database, and the parts add up to the dashboard's totals, so no
# record counts twice (渝中区's funds: the activity register plus the submitted report forms).
# Issue 15: the demo's calls stand at the stages today's date gives them (the rule of
# src/demo/demo_calls.c, computed here again from today in Shanghai), their entries agree with
# the board's counts, every title has its call, and `kepu calls verify` finds nothing.
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
"$KEPU" calls verify --db "$TMP/city1.db" >"$TMP/calls-verify.log" 2>&1 || { cat "$TMP/calls-verify.log" >&2; exit 1; }
python3 - "$TMP/city1.db" <<'PY'
import datetime, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
Y, mmdd = now.year, now.strftime("%m-%d")
def passed(deadline):   # the year of the latest such deadline that has passed
    return Y if mmdd > deadline else Y - 1
L0, P0 = passed("02-28"), passed("10-31")
expected = {("lecture_collection", L0): "final", ("lecture_collection", L0 + 1): "open", ("demo_point", P0): "reviewing",
            ("key_project", Y - 1): "final", ("key_project", Y): "reviewing", ("base", Y): "final",
            ("youth_contest", Y): "final", ("excellent_teacher", Y): "open", ("rural_top10", Y): "publicizing",
            ("excellent_work", Y): "reviewing", ("recertification", Y): "publicizing"}
calls = {(code, year): (cid, status) for cid, code, year, status in db.execute("SELECT id, template_code, year, status FROM calls")}
assert set(calls) == set(expected), (sorted(calls), sorted(expected))
for key, status in expected.items():
    assert calls[key][1] == status, (key, calls[key][1], status)
one = lambda sql, *a: db.execute(sql, a).fetchone()[0]
cid = lambda code, year: calls[(code, year)][0]
# entries against the board's counts and the call's total, for every call
for (code, year), (call, _) in calls.items():
    counted = "status NOT IN ('draft', 'returned', 'withdrawn')"
    kept = db.execute("SELECT COALESCE(SUM(submitted), 0), COALESCE(SUM(drafts), 0) FROM call_unit_counts WHERE call_id = ?", (call,)).fetchone()
    real = (one(f"SELECT COUNT(*) FROM call_entries WHERE call_id = ? AND kind = 'entry' AND {counted}", call),
            one("SELECT COUNT(*) FROM call_entries WHERE call_id = ? AND kind = 'entry' AND status = 'draft'", call))
    assert kept == real and real[0] > 0, (code, year, kept, real)
    assert one("SELECT entries_total FROM calls WHERE id = ?", call) == real[0], (code, year)
# lectures: last year's 3-5 a society, all adopted; the open year's 60% done, 20% behind
per = [n for (n,) in db.execute("SELECT COUNT(*) FROM call_entries WHERE call_id = ? GROUP BY org_id", (cid("lecture_collection", L0),))]
societies = one("SELECT COUNT(*) FROM orgs WHERE type = 'society'")
assert len(per) == societies and min(per) >= 3 and max(per) <= 5, per
assert one("SELECT COUNT(*) FROM call_entries WHERE call_id = ? AND outcome <> 'selected'", cid("lecture_collection", L0)) == 0
board = db.execute("SELECT submitted FROM call_unit_counts WHERE call_id = ?", (cid("lecture_collection", L0 + 1),)).fetchall()
done, behind = sum(1 for (n,) in board if n >= 3), sum(1 for (n,) in board if 0 < n < 3)
assert done * 10 >= 6 * societies - 10 and behind >= 1 and done + behind < societies, (done, behind, societies)
# demo points: at most 3 a district, 2 sheets an entry, exactly one not submitted
dp = cid("demo_point", P0)
assert one("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM call_entries WHERE call_id = ? GROUP BY branch_path) x", dp) <= 3
assert one("SELECT COUNT(*) FROM call_reviews WHERE call_id = ?", dp) == 2 * one("SELECT COUNT(*) FROM call_entries WHERE call_id = ?", dp)
assert one("SELECT COUNT(*) FROM call_reviews WHERE call_id = ? AND status <> 'submitted'", dp) == 1
# reviewers never of the entry's own district
assert one("SELECT COUNT(*) FROM call_reviews r JOIN call_reviewers v ON v.call_id = r.call_id AND v.user_id = r.user_id "
           "JOIN call_entries e ON e.id = r.entry_id WHERE v.branch_path = e.branch_path") == 0
# key projects: last year's funded, this year's blind and partly scored by 5 an entry
kp0, kp1 = cid("key_project", Y - 1), cid("key_project", Y)
assert one("SELECT COUNT(*) FROM call_entries WHERE call_id = ? AND outcome = 'selected' AND award_amount > 0", kp0) >= 1
paid = db.execute("SELECT e.award_amount, SUM(f.amount) FROM fund_disbursements f JOIN call_entries e ON e.id = f.entry_id "
                  "WHERE f.call_id = ? GROUP BY e.id", (kp0,)).fetchall()
assert paid and all(0 < p <= award for award, p in paid) and any(p == award for award, p in paid), paid
sheets, scored = db.execute("SELECT COUNT(*), SUM(status = 'submitted') FROM call_reviews WHERE call_id = ?", (kp1,)).fetchone()
assert sheets == 5 * one("SELECT COUNT(*) FROM call_entries WHERE call_id = ?", kp1) and 0 < scored < sheets
# bases: 7 titles named this year, under the city's target of 10
assert one("SELECT COUNT(*) FROM designations WHERE kind = 'base' AND call_id = ?", cid("base", Y)) == 7
assert one("SELECT goal FROM targets WHERE metric = 'titles.base'") >= 10
# youth contest: awards by share with a certificate each
yc = cid("youth_contest", Y)
levels = dict(db.execute("SELECT award_level, COUNT(*) FROM call_entries WHERE call_id = ? AND outcome = 'selected' GROUP BY award_level", (yc,)))
assert levels.get("一等奖", 0) < levels.get("二等奖", 0) < levels.get("三等奖", 0), levels
assert one("SELECT COUNT(*) FROM award_certificates WHERE call_id = ?", yc) == sum(levels.values())
# rural top 10 in 公示 with one objection; works with half the sheets scored
assert one("SELECT COUNT(*) FROM call_objections WHERE call_id = ?", cid("rural_top10", Y)) == 1
sheets, scored = db.execute("SELECT COUNT(*), SUM(status = 'submitted') FROM call_reviews WHERE call_id = ?", (cid("excellent_work", Y),)).fetchone()
assert scored * 2 == sheets, (sheets, scored)
# every title named by a call has its call, final (the 示范教学点 under re-certification were named by hand)
assert one("SELECT COUNT(*) FROM designations d LEFT JOIN calls c ON c.id = d.call_id "
           "WHERE d.call_id IS NOT NULL AND (c.id IS NULL OR c.status <> 'final')") == 0
# re-certification: every active 示范教学点 below the city has its entry, one proposed for revocation
rc_call = cid("recertification", Y)
assert one("SELECT COUNT(*) FROM call_entries WHERE call_id = ?", rc_call) == one(
    "SELECT COUNT(*) FROM designations WHERE kind = 'demo_point' AND status = 'active'")
assert one("SELECT COUNT(*) FROM call_entries WHERE call_id = ? AND outcome = 'revoke'", rc_call) >= 1
# last year's funded projects hand in their mid-term reports, graded in a performance round
assert one("SELECT COUNT(*) FROM call_entries WHERE call_id = ? AND kind = 'midterm' AND grade IS NOT NULL", kp0) == 3
print(f"demo_city: {len(calls)} calls at today's stages (lectures {L0}/{L0 + 1}, points {P0}), counts equal their entries")
PY
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
KEPU_FILES_DIR="$TMP/files1" "$KEPU" serve --listen "127.0.0.1:$PORT" --db "$TMP/city1.db" >"$TMP/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
python3 - "$TMP/city1.db" "$PORT" <<'PY' || { tail -20 "$TMP/serve.log" >&2; exit 1; }
import json, sqlite3, sys, time, urllib.error, urllib.parse, urllib.request
db, port = sqlite3.connect(sys.argv[1]), sys.argv[2]
base = f"http://127.0.0.1:{port}/api/v1"
def call(path, body=None, token=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode() if body else None,
                                 headers={"content-type": "application/json", **({"authorization": "Bearer " + token} if token else {})})
    return json.load(urllib.request.urlopen(req, timeout=30))
for _ in range(100):   # until the server listens; a refused login is an error at once
    try: token = call("/auth/login", {"username": "city_staff", "password": "Demo@2026kepu"})["token"]; break
    except urllib.error.HTTPError: raise
    except OSError: time.sleep(0.1)
metrics = ["activities", "participants", "materials", "videos", "views", "volunteers", "volunteer_hours", "funds"]
in_2026 = "BETWEEN '2026-01-01' AND '2026-12-31'"
def recorded(sql, path):
    return dict(zip(metrics, (v or 0 for v in db.execute(sql, (path + "%",)).fetchone())))
ACT = "SELECT COUNT(*), SUM(participants), SUM(materials), SUM(videos), SUM(views), SUM(volunteers), SUM(volunteer_hours), SUM(funds) FROM activities WHERE org_path LIKE ? AND start_date " + in_2026
FORMS = "SELECT SUM(activities), SUM(participants), SUM(materials), SUM(videos), SUM(views), SUM(volunteers), SUM(volunteer_hours), SUM(funds) FROM report_submissions WHERE status = 'submitted' AND org_path LIKE ? AND period_day " + in_2026
SERVICE = ("SELECT 0, 0, 0, 0, 0, COUNT(*), SUM((u.minutes + 30) / 60), 0 FROM volunteer_signups u JOIN volunteer_projects p ON p.id = u.project_id "
           "WHERE u.hours_status = 'confirmed' AND u.credited = 1 AND u.org_path LIKE ? AND p.day " + in_2026)
mixed = 0
for org_id, name, path in db.execute("SELECT id, name, path FROM orgs WHERE type = 'district' ORDER BY code").fetchall():
    answer = call(f"/stats/sources?org_id={org_id}&period=2026", token=token)
    parts = {p["source"]: p["values"] for p in answer["sources"]}
    assert sorted(parts) == ["activities", "report_forms", "volunteer_service"], parts.keys()
    for source, sql in (("activities", ACT), ("report_forms", FORMS), ("volunteer_service", SERVICE)):
        assert parts[source] == recorded(sql, path), (name, source, parts[source], recorded(sql, path))
    for m in metrics:
        assert sum(p[m] for p in parts.values()) == answer["total"][m], (name, m, parts, answer["total"])
    mixed += parts["activities"]["funds"] > 0 and parts["report_forms"]["funds"] > 0
    if name == "渝中区":
        print(f"demo_city: 渝中区 2026 funds {answer['total']['funds']} = activities {parts['activities']['funds']} "
              f"+ report forms {parts['report_forms']['funds']}")
assert mixed >= 5, f"only {mixed} districts have funds from both the register and the report forms"
print(f"demo_city: 41 districts' figures equal their sources' records, {mixed} with funds from both")
# Issue 18: the city's library is shared with every node and most of it is public; a phrase that is
# only inside one resource's PDF (not its title or summary) finds it, as a point's staff search.
point = call("/auth/login", {"username": "d500101_point", "password": "Demo@2026kepu"})["token"]
shared = call("/resources?status=approved&page_size=100", token=point)["items"]
assert len(shared) >= 6 and all(r["views"] > 0 for r in shared), [(r["title"], r["views"]) for r in shared]
found = call("/resources?q=" + urllib.parse.quote("两乳头连线"), token=point)["items"]
assert [r["title"] for r in found] == ["应急救护基本知识"], found
public = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/public/resources", timeout=30))["items"]
assert len(public) == 5, [r["title"] for r in public]
print(f"demo_city: {len(shared)} shared resources, {len(public)} public; a phrase inside a PDF found")
PY
echo "demo_city: ok"
