#!/usr/bin/env python3
"""export_roundtrip.py URL DIR - downloads the exports of a running demo server (see
export_roundtrip.sh), converts each to CSV with LibreOffice Calc as it opens the file (no
recalculation: Excel files keep their saved formula results) and checks what Calc shows:
Chinese headers and a title row, date cells shown in a Chinese format, totals rows equal to the
sum of their column and to /stats, the node's own row, sheet names with ':' (period windows)."""
import csv, datetime, json, os, re, subprocess, sys, urllib.parse, urllib.request

URL, DIR = sys.argv[1], sys.argv[2]
YEAR = datetime.date.today().year
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def request(path, token=None, body=None):
    req = urllib.request.Request(URL + "/api/v1" + path, data=json.dumps(body).encode() if body else None,
                                 headers={"Content-Type": "application/json"} if body else {})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=60) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def api(path, token):
    status, body = request(path, token)
    if status != 200:
        raise SystemExit(f"GET {path}: {status} {body[:300]!r}")
    return json.loads(body)


def calc_rows(path, token, name):
    """The export as Calc shows it: a list of rows of text."""
    status, body = request(path, token)
    check(status == 200, f"{path} answers 200" + ("" if status == 200 else f" (got {status}: {body[:200]!r})"))
    if status != 200:
        return []
    xlsx = os.path.join(DIR, name + ".xlsx")
    with open(xlsx, "wb") as f:
        f.write(body)
    profile = "file://" + os.path.join(DIR, "lo-profile")
    # 44 = ',', 34 = '"', 76 = UTF-8, first line 1; cells as shown (dates in their format)
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", DIR, xlsx],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    with open(os.path.join(DIR, name + ".csv"), encoding="utf-8") as f:
        return list(csv.reader(f))


def num(s):
    return float(s.replace(",", "")) if s.strip() else 0.0


def column(rows, header_row, first, last, name):
    c = rows[header_row].index(name)
    return c, [num(r[c]) for r in rows[first:last]]


def chinese(s):
    return bool(re.search(r"[\u4e00-\u9fff]", s))


admin = json.loads(request("/auth/login", body={"username": "admin", "password": os.environ["KEPU_BOOTSTRAP_ADMIN_PASSWORD"]})[1])["token"]
root = api("/me", admin)
root_org = root.get("org_id") or root.get("user", {}).get("org_id")

# ---- item 12 / 15: the activity register ----
rows = calc_rows(f"/activities/export.xlsx?from={YEAR}-01-01&to={YEAR}-12-31", admin, "activities")
check(len(rows) > 3 and "筛选条件" in rows[0][0] and f"{YEAR}-01-01" in rows[0][0], f"activities: title row names the filter: {rows[0][:1] if rows else ''}")
headers = rows[1]
for h in ("开始日期", "活动名称", "活动类型", "主办机构", "受众人群", "标签", "协办单位", "活动简介", "参与人数", "经费（元）", "登记时间"):
    check(h in headers, f"activities: column {h}")
data = rows[2:-1]
check(rows[-1][0] == "合计", "activities: the last row is 合计")
check(all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", r[0]) for r in data), "activities: 开始日期 shown as a Chinese date by Calc")
check(all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", r[-1]) for r in data), "activities: 登记时间 shown as a Chinese date and time")
listed = api(f"/activities?from={YEAR}-01-01&to={YEAR}-12-31&page_size=1", admin)["total"]
check(len(data) == listed, f"activities: {len(data)} rows = the list's total {listed}")
# /stats adds other sources (volunteer service, reports) to these metrics: the sheet's own sums here
for h in ("参与人数", "发放资料（份）", "经费（元）", "志愿者人数", "志愿时长（小时）"):
    c, values = column(rows, 1, 2, -1, h)
    total = num(rows[-1][c])
    check(total > 0 and total == sum(values), f"activities: 合计 {h} shown by Calc {total} = sum of the rows {sum(values)}")
check(any(r[headers.index("受众人群")] for r in data), "activities: 受众人群 filled")

# ---- items 16, 17, 19: the children summary ----
for period, name in ((str(YEAR), "children"), (f"{YEAR}:science_week", "children-window")):
    q = urllib.parse.quote(period)
    rows = calc_rows(f"/stats/children/export.xlsx?period={q}&org_id={root_org}", admin, name)
    if not rows:
        continue
    want = api(f"/stats?period={q}&org_id={root_org}", admin)["values"]
    headers = rows[1]
    check(all(chinese(h) for h in headers), f"{name}: every header in Chinese: {headers}")
    check(any(r[0].startswith("本级") for r in rows[2:-1]), f"{name}: the node's own row 本级")
    check(rows[-1][0] == "合计", f"{name}: the last row is 合计")
    for c, metric in enumerate(want.keys(), start=1):
        values = [num(r[c]) for r in rows[2:-1]]
        total = num(rows[-1][c])
        check(total == sum(values) == want[metric], f"{name}: 合计 {headers[c]} shown by Calc {total} = sum {sum(values)} = /stats {metric} {want[metric]}")
    check(any(num(rows[-1][c]) > 0 for c in range(1, len(headers))), f"{name}: totals are not all zero")

# ---- item 19: volunteer hours ----
rows = calc_rows(f"/volunteer-hours/export?period={YEAR}", admin, "hours")
if rows:
    hc = rows[1].index("服务时长（小时）")
    data = rows[2:-1]
    check(len(data) > 0 and all(re.fullmatch(r"\d+\.\d", r[hc]) for r in data), "hours: 服务时长 shown with one decimal")
    total = num(rows[-1][hc])
    check(rows[-1][0] == "合计" and total > 0 and abs(total - sum(num(r[hc]) for r in data)) < 0.05,
          f"hours: 合计 shown by Calc {total} = sum of the hours")

# ---- item 19: times as date cells in the rosters ----
for path, name, header in (("/volunteers/export", "volunteers", "注册时间"), ("/volunteer-teams/export", "teams", "成立时间")):
    rows = calc_rows(path, admin, name)
    if rows:
        c = rows[0].index(header)
        check(len(rows) > 1 and all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", r[c]) for r in rows[1:]),
              f"{name}: {header} shown as a Chinese date and time ({rows[1][c] if len(rows) > 1 else ''})")

if failures:
    print(f"{len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
print("export round trip: all checks passed")
