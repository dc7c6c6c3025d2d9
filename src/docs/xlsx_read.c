/* xlsx_read.c - reading the first worksheet of an .xlsx (see xlsx_read.h). The workbook names
 * its sheets in xl/workbook.xml and locates them in xl/_rels/workbook.xml.rels; strings live
 * once in xl/sharedStrings.xml and cells refer to them by index. */
#include "docs/xlsx_read.h"
#include "core/sbuf.h"
#include "core/validate.h"
#include <expat.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define ERR_NOT_XLSX "不是有效的 xlsx 文件 / not a valid xlsx file"
#define ERR_TOO_BIG "文件解压后过大 / the file inflates beyond the limit"
#define ERR_TOO_MANY_ROWS "行数超过上限 / too many rows"

typedef struct reader {
    zip_t *zip;
    size_t total;              /* bytes inflated so far, all entries */
    const char *error;
} reader;

/* Inflates one entry into a NUL-terminated buffer (malloc'd), counting as it goes. */
static char *read_entry(reader *rd, const char *name, size_t *len)
{
    zip_file_t *f = zip_fopen(rd->zip, name, 0);
    if (!f) return NULL;
    sbuf b;
    sbuf_init(&b);
    sbuf_addn(&b, "", 0);      /* an empty entry is an empty string, not a missing one */
    char chunk[65536];
    zip_int64_t n;
    while ((n = zip_fread(f, chunk, sizeof chunk)) > 0) {
        rd->total += (size_t)n;
        if (b.len + (size_t)n > XLSX_MAX_ENTRY || rd->total > XLSX_MAX_TOTAL) {
            rd->error = ERR_TOO_BIG;
            break;
        }
        sbuf_addn(&b, chunk, (size_t)n);
    }
    zip_fclose(f);
    if (n < 0 && !rd->error) rd->error = ERR_NOT_XLSX;
    if (rd->error) { sbuf_free(&b); return NULL; }
    *len = b.len;
    return sbuf_steal(&b);
}

/* ---- a small expat driver: start/end/text callbacks with the text of the current element ---- */

typedef struct parse {
    arena *a;
    sbuf text;
    bool want_text;
    /* shared strings */
    const char **strings;
    int nstrings, cap_strings;
    bool in_si;
    sbuf si;
    /* workbook and rels */
    char first_sheet_rid[64], first_sheet_target[256];
    /* the sheet */
    xlsx_sheet *sheet;
    int max_rows, cap_rows, row, col;
    char cell_type[16];
    bool in_cell_value, in_inline;
    const char *error;
} parse;

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (!strcmp(atts[i], name)) return atts[i + 1];
    return NULL;
}

/* Element names may carry a namespace prefix ("x:c"); compare the local part. */
static bool is(const char *el, const char *local)
{
    const char *colon = strrchr(el, ':');
    return !strcmp(colon ? colon + 1 : el, local);
}

static void on_text(void *ud, const char *s, int len)
{
    parse *p = ud;
    if (p->want_text) sbuf_addn(&p->text, s, (size_t)len);
}

static bool run_parser(const char *xml, size_t len, parse *p, XML_StartElementHandler start, XML_EndElementHandler end)
{
    XML_Parser x = XML_ParserCreate("UTF-8");
    if (!x) return false;
    XML_SetUserData(x, p);
    XML_SetElementHandler(x, start, end);
    XML_SetCharacterDataHandler(x, on_text);
    bool ok = XML_Parse(x, xml, (int)len, 1) == XML_STATUS_OK;
    XML_ParserFree(x);
    return ok && !p->error;
}

/* sharedStrings.xml: <si><t>text</t></si> or rich text <si><r><t>a</t></r><r><t>b</t></r></si> */
static void ss_start(void *ud, const char *el, const char **atts)
{
    (void)atts;
    parse *p = ud;
    if (is(el, "si")) { p->in_si = true; p->si.len = 0; if (p->si.s) p->si.s[0] = 0; }
    if (p->in_si && is(el, "t")) { p->want_text = true; p->text.len = 0; }
}

static void ss_end(void *ud, const char *el)
{
    parse *p = ud;
    if (p->in_si && is(el, "t")) {
        sbuf_addn(&p->si, p->text.s ? p->text.s : "", p->text.len);
        p->want_text = false;
    }
    if (is(el, "si")) {
        if (p->nstrings == p->cap_strings) {
            int cap = p->cap_strings ? 2 * p->cap_strings : 256;
            const char **grown = arena_alloc(p->a, sizeof *grown * (size_t)cap);
            if (p->nstrings) memcpy(grown, p->strings, sizeof *grown * (size_t)p->nstrings);
            p->strings = grown, p->cap_strings = cap;
        }
        p->strings[p->nstrings++] = arena_strdup(p->a, p->si.s ? p->si.s : "");
        p->in_si = false;
    }
}

/* workbook.xml: the first <sheet r:id="rId1"/>; rels: <Relationship Id="rId1" Target="worksheets/sheet1.xml"/> */
static void wb_start(void *ud, const char *el, const char **atts)
{
    parse *p = ud;
    const char *rid = attr(atts, "r:id");
    if (is(el, "sheet") && !p->first_sheet_rid[0] && rid)
        snprintf(p->first_sheet_rid, sizeof p->first_sheet_rid, "%s", rid);
}

static void rels_start(void *ud, const char *el, const char **atts)
{
    parse *p = ud;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (is(el, "Relationship") && id && target && !strcmp(id, p->first_sheet_rid))
        snprintf(p->first_sheet_target, sizeof p->first_sheet_target, "%s", target);
}

static void wb_end(void *ud, const char *el) { (void)ud, (void)el; }

/* "BC12" -> column 54 (from 0); -1 when malformed. */
static int column_of(const char *ref)
{
    int col = 0, letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++) col = col * 26 + (*ref - 'A' + 1);
    return letters == 0 || letters > 3 ? -1 : col - 1;
}

static void put_cell(parse *p, const char *value)
{
    xlsx_sheet *s = p->sheet;
    if (p->row < 0 || p->col < 0 || p->col >= XLSX_MAX_COLS || !value || !*value) return;
    if (p->row >= p->max_rows) { p->error = ERR_TOO_MANY_ROWS; return; }
    while (p->row >= p->cap_rows) {
        int cap = p->cap_rows ? 2 * p->cap_rows : 64;
        const char ***grown = arena_alloc(p->a, sizeof *grown * (size_t)cap);
        if (p->cap_rows) memcpy(grown, s->rows, sizeof *grown * (size_t)p->cap_rows);
        s->rows = grown, p->cap_rows = cap;
    }
    if (!s->rows[p->row]) s->rows[p->row] = arena_alloc(p->a, sizeof **s->rows * XLSX_MAX_COLS);
    s->rows[p->row][p->col] = arena_strdup(p->a, value);
    if (p->row + 1 > s->nrows) s->nrows = p->row + 1;
    if (p->col + 1 > s->ncols) s->ncols = p->col + 1;
}

static void sh_start(void *ud, const char *el, const char **atts)
{
    parse *p = ud;
    if (is(el, "row")) {
        const char *r = attr(atts, "r");
        p->row = r ? atoi(r) - 1 : p->row + 1;
        p->col = -1;
    } else if (is(el, "c")) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        p->col = r ? column_of(r) : p->col + 1;
        snprintf(p->cell_type, sizeof p->cell_type, "%s", t ? t : "n");
    } else if (is(el, "v") || (is(el, "t") && p->in_inline)) {
        p->want_text = true;
        p->text.len = 0;
        if (p->text.s) p->text.s[0] = 0;
    } else if (is(el, "is")) {
        p->in_inline = true;
    }
}

static void sh_end(void *ud, const char *el)
{
    parse *p = ud;
    if (is(el, "v") && p->want_text) {
        p->want_text = false;
        const char *v = p->text.s ? p->text.s : "";
        if (!strcmp(p->cell_type, "s")) {
            char *end;
            long i = strtol(v, &end, 10);
            if (*end || i < 0 || i >= p->nstrings) { p->error = ERR_NOT_XLSX; return; }
            put_cell(p, p->strings[i]);
        } else {
            put_cell(p, v);
        }
    } else if (is(el, "t") && p->in_inline && p->want_text) {
        p->want_text = false;
        put_cell(p, p->text.s ? p->text.s : "");
    } else if (is(el, "is")) {
        p->in_inline = false;
    }
}

/* Reads entry name and runs one parser over it; a missing entry is an error unless optional. */
static bool parse_entry(reader *rd, parse *p, const char *name, bool optional, XML_StartElementHandler start,
                        XML_EndElementHandler end)
{
    size_t len = 0;
    char *xml = read_entry(rd, name, &len);
    if (!xml) {
        if (!rd->error && optional) return true;
        if (!rd->error) rd->error = ERR_NOT_XLSX;
        return false;
    }
    bool ok = utf8_valid(xml, len) && run_parser(xml, len, p, start, end);
    free(xml);
    if (!ok && !rd->error) rd->error = p->error ? p->error : ERR_NOT_XLSX;
    return ok;
}

int xlsx_read_file(const char *path, arena *a, int max_rows, xlsx_sheet *out, const char **error)
{
    reader rd = {0};
    parse p = {0};
    memset(out, 0, sizeof *out);
    p.a = a, p.sheet = out, p.max_rows = max_rows, p.row = -1;
    sbuf_init(&p.text), sbuf_init(&p.si);
    int zerr = 0;
    rd.zip = zip_open(path, ZIP_RDONLY, &zerr);
    bool ok = rd.zip != NULL;
    if (!ok) rd.error = ERR_NOT_XLSX;
    if (ok) ok = parse_entry(&rd, &p, "xl/workbook.xml", false, wb_start, wb_end) && p.first_sheet_rid[0];
    if (ok) ok = parse_entry(&rd, &p, "xl/_rels/workbook.xml.rels", false, rels_start, wb_end) && p.first_sheet_target[0];
    if (ok) ok = parse_entry(&rd, &p, "xl/sharedStrings.xml", true, ss_start, ss_end);
    if (ok) {
        /* targets are relative to xl/ ("worksheets/sheet1.xml") or absolute ("/xl/worksheets/...") */
        char sheet[300];
        const char *t = p.first_sheet_target;
        snprintf(sheet, sizeof sheet, t[0] == '/' ? "%s" : "xl/%s", t[0] == '/' ? t + 1 : t);
        if (strstr(sheet, "..")) { ok = false; rd.error = ERR_NOT_XLSX; }
        else ok = parse_entry(&rd, &p, sheet, false, sh_start, sh_end);
    }
    if (!ok && !rd.error) rd.error = ERR_NOT_XLSX;
    if (rd.zip) zip_discard(rd.zip);
    sbuf_free(&p.text), sbuf_free(&p.si);
    *error = ok ? NULL : rd.error;
    return ok ? 0 : -1;
}

const char *xlsx_cell(const xlsx_sheet *s, int row, int col)
{
    if (row < 0 || row >= s->nrows || col < 0 || col >= XLSX_MAX_COLS || !s->rows[row] || !s->rows[row][col]) return "";
    return s->rows[row][col];
}
