#!/usr/bin/env bash
# import_roundtrip.sh KEPU_BIN - the import templates through LibreOffice Calc, as staff use them
# (issue 14 items 13, 14, 18): each template (students, volunteers, activities, teachers, orgs) is
# downloaded from a real server, filled (rows written into its data sheet, an ID number ending in
# a digit, an Excel date cell, drop-down values, an org row naming the row above as its parent),
# opened and saved again by Calc headless, and imported: the dry run must find the valid rows and
# every problem of the bad one, the commit must store the values whole (all 18 digits of an ID
# number, the date as a day), the example on the instructions sheet must not be imported, and
# Calc's file must still carry the drop-downs, the instructions sheet and the ID and phone
# columns' text format. Needs soffice (Debian libreoffice-calc-nogui), curl, unzip and python3.
set -euo pipefail
KEPU=${1:?usage: tests/office/import_roundtrip.sh KEPU_BIN}
command -v soffice >/dev/null || { echo "import_roundtrip: soffice is missing (apt-get install libreoffice-calc-nogui)" >&2; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)

# shared with tests/e2e/run.sh: temp dir, server, stop on exit (an empty city: no demo)
. "$HERE/../lib/server.sh"
kepu_tmp office-import import_roundtrip

export KEPU_BOOTSTRAP_ADMIN_PASSWORD=Office-Admin-2026
mkdir -p "$TMP/web"
kepu_serve "$KEPU" "$TMP/kepu.db" "$TMP/web" || exit 1
API="$KEPU_URL/api/v1"

fail() { echo "import_roundtrip: $*" >&2; exit 1; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
TOKEN=$(curl -sf "$API/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$KEPU_BOOTSTRAP_ADMIN_PASSWORD\"}" | json 'd["token"]')
AUTH="Authorization: Bearer $TOKEN"
post() { curl -sf "$API$1" -H "$AUTH" -H 'Content-Type: application/json' -d "$2"; }
ROOT_ID=$(curl -sf "$API/orgs/tree" -H "$AUTH" | json 'd["items"][0]["id"]')
DIST=$(post /orgs "{\"parent_id\":$ROOT_ID,\"type\":\"district\",\"name\":\"往返区\"}" | json 'd["id"]')
POINT=$(post /orgs "{\"parent_id\":$DIST,\"type\":\"point\",\"name\":\"往返教学点\"}" | json 'd["id"]')

# id_number YYYYMMDD FIRST: an ID number born that day (Beijing 110105), the first sequence from
# FIRST whose check digit is a digit (Excel would show such a number as 1.10105E+17).
id_number() {
  python3 - "$1" "$2" <<'PY'
import sys
w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
for seq in range(int(sys.argv[2]), 999):
    b = "110105%s%03d" % (sys.argv[1], seq)
    c = "10X98765432"[sum(int(x) * y for x, y in zip(b, w)) % 11]
    if c.isdigit():
        print(b + c)
        break
PY
}
ID=$(id_number 19900517 100)
TID=$(id_number 19750809 300)
VID=$(id_number 19850301 200)

# fill TEMPLATE OUT ROW... : each ROW is "A=text|B=#46082|..." (# a number cell) written into the
# data sheet below the headers, as typing into the template does.
fill() {
  python3 - "$@" <<'PY'
import sys, zipfile, re
from xml.sax.saxutils import escape
src, out, rows = sys.argv[1], sys.argv[2], sys.argv[3:]
zin = zipfile.ZipFile(src)
xml = zin.read("xl/worksheets/sheet1.xml").decode()
cells = ""
for i, row in enumerate(rows, start=2):
    cells += '<row r="%d">' % i
    for cell in row.split("|"):
        col, val = cell.split("=", 1)
        if val.startswith("#"): cells += '<c r="%s%d"><v>%s</v></c>' % (col, i, val[1:])
        else: cells += '<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col, i, escape(val))
    cells += "</row>"
xml = re.sub(r"</row>\s*</sheetData>", "</row>" + cells + "</sheetData>", xml, count=1)
zout = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
for item in zin.infolist():
    zout.writestr(item, xml if item.filename == "xl/worksheets/sheet1.xml" else zin.read(item.filename))
zout.close()
PY
}

mkdir -p "$TMP/filled" "$TMP/calc"
curl -sf "$API/students/import/template.xlsx" -H "$AUTH" -o "$TMP/students.xlsx"
curl -sf "$API/volunteers/import/template.xlsx" -H "$AUTH" -o "$TMP/volunteers.xlsx"
curl -sf "$API/activities/import/template.xlsx" -H "$AUTH" -o "$TMP/activities.xlsx"
curl -sf "$API/teachers/import/template.xlsx" -H "$AUTH" -o "$TMP/teachers.xlsx"
curl -sf "$API/orgs/import/template.xlsx" -H "$AUTH" -o "$TMP/orgs.xlsx"
fill "$TMP/students.xlsx" "$TMP/filled/students.xlsx" \
  "A=往返学员|B=13600000001|C=男|D=60-69岁|E=$ID|F=是" \
  "A=往返错行|B=136|C=不详|D=60-69岁|F=也许"
fill "$TMP/volunteers.xlsx" "$TMP/filled/volunteers.xlsx" \
  "A=往返志愿者|B=$VID|C=13600000002|E=科普讲解、急救|G=周末、晚上"
fill "$TMP/activities.xlsx" "$TMP/filled/activities.xlsx" \
  "A=往返讲座|B=讲座|C=#46082|F=老年人|G=#120|H=#300|M=#2000|N=健康、防诈骗" \
  "A=往返培训|B=培训|C=2026/3/5|D=2026年3月6日|G=#40" \
  "A=往返错行|B=不存在|C=2026-02-30|G=#-3"
fill "$TMP/teachers.xlsx" "$TMP/filled/teachers.xlsx" \
  "A=往返教师|B=$TID|C=13600000003|D=男|E=区人民医院|G=营养学、急救" \
  "A=往返错师|B=110105197508090000|C=136|D=未知"
fill "$TMP/orgs.xlsx" "$TMP/filled/orgs.xlsx" \
  "A=往返街道|B=街道/镇乡|C=WF-JD" \
  "A=往返新点|B=教学点|D=WF-JD" \
  "A=往返错机构|B=外星机构|D=没有这个上级"

# Calc opens each filled file and saves it again (its own XML, styles and shared strings).
soffice -env:UserInstallation="file://$TMP/profile" --headless --convert-to xlsx:"Calc MS Excel 2007 XML" \
  --outdir "$TMP/calc" "$TMP/filled/students.xlsx" "$TMP/filled/volunteers.xlsx" "$TMP/filled/activities.xlsx" \
  "$TMP/filled/teachers.xlsx" "$TMP/filled/orgs.xlsx" >"$TMP/soffice.log" 2>&1 || { cat "$TMP/soffice.log" >&2; fail "soffice could not convert"; }
for m in students volunteers activities teachers orgs; do
  [ -s "$TMP/calc/$m.xlsx" ] || fail "Calc wrote no $m.xlsx"
  unzip -p "$TMP/calc/$m.xlsx" xl/workbook.xml | grep -q '填写说明' || fail "$m: Calc's file lost the instructions sheet"
  unzip -p "$TMP/calc/$m.xlsx" xl/worksheets/sheet1.xml | grep -q '<dataValidation' || fail "$m: Calc's file lost the drop-downs"
done

# text_column FILE COLUMN: whether the data sheet's column (1-based) is formatted as text (number
# format "@") in the file Calc saved: an ID number typed there keeps its 18 digits.
text_column() {
  python3 - "$@" <<'PY'
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1]); col = int(sys.argv[2])
sheet = z.read("xl/worksheets/sheet1.xml").decode(); styles = z.read("xl/styles.xml").decode()
attrs = lambda tag: dict(re.findall(r'(\w+)="([^"]*)"', tag))
style = None
for tag in re.findall(r"<col [^>]*>", sheet):
    a = attrs(tag)
    if int(a["min"]) <= col <= int(a["max"]): style = int(a.get("style", 0))
xfs = re.findall(r"<xf [^>]*>", re.search(r"<cellXfs.*?</cellXfs>", styles, re.S).group(0))
fmt = attrs(xfs[style]).get("numFmtId") if style is not None else None
codes = {a["numFmtId"]: a["formatCode"] for a in map(attrs, re.findall(r"<numFmt [^>]*>", styles))}
sys.exit(0 if fmt == "49" or codes.get(fmt) == "@" else 1)
PY
}
text_column "$TMP/calc/teachers.xlsx" 2 || fail "teachers: Calc's file lost the ID number column's text format"
text_column "$TMP/calc/teachers.xlsx" 3 || fail "teachers: Calc's file lost the phone column's text format"
text_column "$TMP/calc/students.xlsx" 5 || fail "students: Calc's file lost the ID number column's text format"
! text_column "$TMP/calc/teachers.xlsx" 1 || fail "teachers: the name column should not be text (the check sees nothing)"

import() {  # import MODULE ORG COMMIT -> the JSON answer
  curl -s "$API/$1/import?org_id=$2&commit=$3" -H "$AUTH" -H 'X-File-Name: calc.xlsx' \
    --data-binary @"$TMP/calc/$1.xlsx"
}
expect() {  # expect WHAT PYTHON-EXPR JSON
  [ "$(printf '%s' "$3" | json "$2")" = True ] || fail "$1: $3"
}

R=$(import students "$POINT" 0)
expect "students dry run" 'd["rows"]==2 and d["valid"]==1 and [e["field"] for e in d["errors"]]==["phone","gender","informant"] and all(e["row"]==3 for e in d["errors"])' "$R"
R=$(import students "$POINT" 1)
expect "students commit" 'd["imported"]==1' "$R"
R=$(curl -sf "$API/students?phone=13600000001" -H "$AUTH")
expect "student stored" "d['total']==1 and d['items'][0]['name']=='往返学员' and d['items'][0]['id_number']=='${ID:0:4}**********${ID:14:4}' and d['items'][0]['informant'] is True and d['items'][0]['age_group']=='60_69'" "$R"
R=$(curl -sf "$API/students?q=%E5%BC%A0%E4%B8%89" -H "$AUTH")
expect "the example is not imported" 'd["total"]==0' "$R"

R=$(import volunteers "$DIST" 1)
expect "volunteers commit" 'd["rows"]==1 and d["imported"]==1 and d["errors"]==[]' "$R"
R=$(curl -sf "$API/volunteers?id_number=$VID" -H "$AUTH")
expect "volunteer stored whole" "d['total']==1 and d['items'][0]['availability']==['weekends','evenings']" "$R"

R=$(import activities "$DIST" 0)
expect "activities dry run" 'd["rows"]==3 and d["valid"]==2 and [e["field"] for e in d["errors"]]==["kind","start_date","participants"]' "$R"
R=$(import activities "$DIST" 1)
expect "activities commit" 'd["imported"]==2' "$R"
R=$(curl -sf "$API/activities?org_id=$DIST&q=%E5%BE%80%E8%BF%94%E8%AE%B2%E5%BA%A7" -H "$AUTH")
expect "activity stored" "d['total']==1 and d['items'][0]['start_date']=='2026-03-01' and d['items'][0]['kind']=='lecture' and d['items'][0]['audience']=='elderly' and d['items'][0]['participants']==120 and d['items'][0]['funds']==2000" "$R"
R=$(curl -sf "$API/stats?org_id=$DIST&period=2026&metrics=participants" -H "$AUTH")
expect "roll-up" 'd["values"]["participants"]==160' "$R"

R=$(import teachers "$DIST" 0)
expect "teachers dry run" 'd["rows"]==2 and d["valid"]==1 and [e["field"] for e in d["errors"]]==["id_number","phone","gender"] and all(e["row"]==3 for e in d["errors"])' "$R"
R=$(import teachers "$DIST" 1)
expect "teachers commit" 'd["imported"]==1' "$R"
R=$(curl -sf "$API/teachers?q=%E5%BE%80%E8%BF%94%E6%95%99%E5%B8%88" -H "$AUTH")
expect "teacher stored whole" "d['total']==1 and d['items'][0]['id_number']=='${TID:0:4}**********${TID:14:4}' and d['items'][0]['gender']=='male' and d['items'][0]['specialties']==['营养学','急救'] and d['items'][0]['status']=='draft'" "$R"
R=$(curl -sf "$API/teachers?q=%E7%8E%8B%E8%80%81%E5%B8%88" -H "$AUTH")
expect "the teachers' example is not imported" 'd["total"]==0' "$R"

R=$(import orgs "$DIST" 0)
expect "orgs dry run" 'd["rows"]==3 and d["valid"]==2 and [e["field"] for e in d["errors"]]==["type","parent"] and all(e["row"]==4 for e in d["errors"])' "$R"
R=$(import orgs "$DIST" 1)
expect "orgs commit" 'd["imported"]==2' "$R"
STREET=$(curl -sf "$API/orgs?q=WF-JD" -H "$AUTH" | json 'd["items"][0]["id"]')
R=$(curl -sf "$API/orgs/$STREET/tree" -H "$AUTH")
expect "org stored under its parent row" "d['parent_id']==$DIST and d['type']=='street' and [c['name'] for c in d['children']]==['往返新点']" "$R"

echo "import_roundtrip: templates filled, saved by Calc and imported: OK"
status=0
