#!/usr/bin/env python3
"""make_seeds.py - writes the small seed corpora of tests/fuzz/corpus/ (committed; run again
only to change them). The xlsx seeds are tiny workbooks in the shape the reader expects
(workbook, its relations, shared strings, one sheet), stored and deflated, plus a non-zip."""
import io, os, zipfile

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
      'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
      'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="x" Target="{target}"/></Relationships>')
SST = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
       'spreadsheetml/2006/main">{items}</sst>')
SHEET = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>')


def xlsx(rows, strings, target="worksheets/sheet1.xml", method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    def put(z, name, text):   # a fixed date: the seeds come out the same on every run
        z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text, compress_type=method)
    with zipfile.ZipFile(buf, "w", method) as z:
        put(z, "xl/workbook.xml", WB)
        put(z, "xl/_rels/workbook.xml.rels", RELS.format(target=target))
        if strings is not None:
            put(z, "xl/sharedStrings.xml", SST.format(items=strings))
        put(z, "xl/" + target.lstrip("/").removeprefix("xl/"), SHEET.format(rows=rows))
    return buf.getvalue()


def write(name, files):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    for fname, data in files.items():
        with open(os.path.join(d, fname), "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())


write("xlsx", {
    "students.xlsx": xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                          '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>13800138000</v></c></row>',
                          '<si><t>姓名</t></si><si><t>手机</t></si><si><r><t>张</t></r><r><t>三</t></r></si>'),
    "inline_stored.xlsx": xlsx('<row r="1"><c r="C3" t="inlineStr"><is><t>x&amp;y</t></is></c>'
                               '<c r="AB1" t="n"><v>1.5</v></c></row>', None, method=zipfile.ZIP_STORED),
    "absolute_target.xlsx": xlsx('<row><c t="b"><v>1</v></c><c t="str"><v>f</v></c></row>',
                                 '<si><t xml:space="preserve"> a </t></si>', target="/xl/worksheets/s.xml"),
    "not_a_zip.xlsx": b"PK\x03\x04 this is not a zip",
})
def parts(rows, strings, target="worksheets/sheet1.xml"):
    """The input of fuzz_xlsx_xml: the four XML parts separated by bytes 0x01."""
    return "\x01".join([WB, RELS.format(target=target), SST.format(items=strings), SHEET.format(rows=rows)])


write("xlsx_xml", {
    "students": parts('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                      '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>13800138000</v></c></row>',
                      '<si><t>姓名</t></si><si><t>手机</t></si><si><r><t>张</t></r><r><t>三</t></r></si>'),
    "inline": parts('<row r="3"><c r="C3" t="inlineStr"><is><t>x&amp;y&#x4E2D;</t></is></c>'
                    '<c r="AB3" t="n"><v>1.5</v></c><c r="BL3"><v>2</v></c></row>', ''),
    "types": parts('<row><c t="b"><v>1</v></c><c t="str"><v>f</v></c><c t="e"><v>#N/A</v></c>'
                   '<c t="s"><v>7</v></c><c t="s"><v>-1</v></c></row>',
                   '<si><t xml:space="preserve"> a </t></si>'),
    "absolute": parts('<row r="1048576"><c r="XFD1048576"><v>9</v></c></row>', '', target="/xl/worksheets/sheet1.xml"),
})
write("body", {
    "activity": '{"name":"科普讲座","note":"x","day":"2026-05-18","count":3,"flag":true,"kind":"lecture"}\n'
                'org_id=3&page=2&page_size=20\n12/7',
    "unknown_field": '{"id":1,"zzz":null}\npage=0\nabc',
    "types": '{"name":"","note":5,"day":"2026-02-30","count":"1","flag":1,"kind":"x"}\npage_size=501&org_id=-1\n0/99999999999999999999',
    "not_object": '[1,2]\npage=1000001\n',
})
write("period", {
    "year": "2026\nweek\n2026-05-18T09:30:00+08:00",
    "quarter": "2026Q2\nquarter\n2026-05-18T09:30Z",
    "week": "2026W53\nmonth\n2026-05-18T09:30:00.123-05:30",
    "range": "2026-05-18..2026-05-24\nyear\n110101199003077777",
    "window": "2026:science_week\nday\n13800138000",
    "month": "2026-02\nday\n2026-02-29",
})
write("checkin_token", {
    "short": "1/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "session": "42/abc_-DEF",
    "long": "9223372036854775807/" + "A" * 40,
})
write("router", {
    "orgs": "GET\n/api/v1/orgs/42/tree\n/api/v1/orgs/:id/tree",
    "post": "POST\n/api/v1/activities/\n/api/v1/:a/:b/:c/:d/:e",
    "public": "GET\n/api/v1/health",
    "nothing": "DELETE\n/api/v1/no/such/thing//\n::",
})


def builtin_forms():
    """The builtin templates' forms (migration 024: one quoted JSON config per template)."""
    import json, re
    sql = open(os.path.join(HERE, "..", "..", "..", "src", "db", "migrations", "024_call_builtin.sql"),
               encoding="utf-8").read()
    out = {}
    for code, cfg in re.findall(r"\('(\w+)',[^\n]*\n\s*'(\{.*?\})',", sql):
        out[code] = json.dumps(json.loads(cfg.replace("''", "'"))["form"], ensure_ascii=False)
    return out


# call_form: a form's definition, a newline, values
seeds = {code: form + "\n{}" for code, form in builtin_forms().items()}
seeds["lecture_values"] = (seeds.get("lecture_collection", "[]\n{}").split("\n")[0] +
                           '\n{"title":"讲座","speaker":{"name":"张三"},"date":"2026-03-01","summary":"简介"}')
seeds["full_values"] = ('[]\n{"title":"t","amount":5,"date":"2026-05-01","category":"甲","tags":["a"],'
                        '"point":3,"teacher":{"id":2},"files":[1,2],"sihua":{"standard":{"ok":true,"files":[4]}},'
                        '"staff":[{"name":"李四","amount":10}]}')
seeds["bad_rows"] = '[{"key":"r","label":"行","type":"rows","columns":[{"key":"x","label":"x","type":"rows"}]}]\n[]'
write("call_form", seeds)
