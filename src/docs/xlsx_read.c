/* xlsx_read.c - reading the first worksheet of an .xlsx (see xlsx_read.h). The workbook names
 * its sheets in xl/workbook.xml and locates them in xl/_rels/workbook.xml.rels; strings live
 * once in xl/sharedStrings.xml and cells refer to them by index. Each part is inflated in chunks
 * straight into expat's buffer, so no part is ever held whole. */
#include "docs/xlsx_read.h"
#include "core/validate.h"
#include <expat.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define CHUNK 65536

#define ERR_NOT_XLSX "不是有效的 xlsx 文件 / not a valid xlsx file"
#define ERR_DOCTYPE "工作簿中含有 DOCTYPE 声明，已拒绝 / a DOCTYPE in the workbook is refused"
#define ERR_TOO_BIG "文件解压后过大 / the file inflates beyond the limit"
#define ERR_TOO_MANY_ROWS "行数超过上限 / too many rows"
#define ERR_TOO_MANY_CELLS "单元格数量超过上限 / too many cells"
#define ERR_CELL_TOO_LONG "单元格文字超过上限（Excel 最多 32767 字）/ a cell holds more than Excel's 32,767 characters"
#define ERR_TOO_MANY_STRINGS "共享字符串数量超过上限 / too many shared strings"
#define ERR_BUDGET "工作簿内容过多，超出导入可用的内存 / the workbook needs more memory than an import may use"
#define ERR_TOO_MANY_PARTS "压缩包内文件过多 / too many files in the archive"
#define ERR_NO_MEMORY "服务器暂时无法处理，请稍后重试 / out of memory for this request, retry later"

typedef struct reader {
    zip_t *zip;
    arena *a;
    const xlsx_limits *lim;
    xlsx_read_result *res;
    XML_Parser x;              /* the parser running, so a callback can stop it */
    bool in_alloc;             /* inside expat's allocator: it must not be stopped from there */
    size_t used;               /* budget charged now */
    /* the text of the current <t> or <v>, at most max_cell_chars characters */
    char *text;
    size_t text_len, text_chars, text_cap;
    bool want_text;
    /* shared strings: each stored once */
    const char **strings;
    size_t nstrings, cap_strings;
    bool in_si, in_rph;
    /* workbook and rels */
    char first_sheet_rid[64], first_sheet_target[256];
    /* the sheet */
    xlsx_sheet *sheet;
    int max_rows, cap_rows, row, col;
    size_t ncells;
    char cell_type[16];
    bool in_inline;
} reader;

/* The first failure wins; the parser, if running, stops after the current callback. */
static void fail(reader *rd, enum xlsx_read_status status, const char *limit, const char *message)
{
    if (rd->res->status != XLSX_READ_OK) return;
    rd->res->status = status;
    rd->res->limit = limit;
    rd->res->message = message;
    if (rd->x && !rd->in_alloc) XML_StopParser(rd->x, XML_FALSE);
}

static bool failed(const reader *rd) { return rd->res->status != XLSX_READ_OK; }

/* ---- the budget: everything the reader allocates is charged first ---- */

static bool charge(reader *rd, size_t n)
{
    if (n > rd->lim->budget || rd->used > rd->lim->budget - n) {
        fail(rd, XLSX_READ_TOO_LARGE, "memory_budget", ERR_BUDGET);
        return false;
    }
    rd->used += n;
    if (rd->used > rd->res->budget_used) rd->res->budget_used = rd->used;
    return true;
}

/* From the arena (kept until the request ends), charged. NULL after fail(). */
static void *r_alloc(reader *rd, size_t n)
{
    if (!charge(rd, n)) return NULL;
    void *p = arena_alloc(rd->a, n);
    if (!p) fail(rd, XLSX_READ_NO_MEMORY, NULL, ERR_NO_MEMORY);
    return p;
}

/* A copy of text that must be valid UTF-8 (the cells are shown and stored as such). */
static const char *r_text(reader *rd, const char *s, size_t n)
{
    if (!utf8_valid(s, n)) { fail(rd, XLSX_READ_NOT_XLSX, NULL, ERR_NOT_XLSX); return NULL; }
    char *d = r_alloc(rd, n + 1);
    if (d) memcpy(d, s, n), d[n] = 0;
    return d;
}

/* Expat's own memory, charged too. expat's allocator has no user data: the reader running on
 * this thread is in a thread-local (one read at a time per thread). */
static _Thread_local reader *tl_reader;

typedef union mhead {
    size_t n;
    max_align_t align;
} mhead;

static void *x_malloc(size_t n)
{
    reader *rd = tl_reader;
    mhead *h = NULL;
    rd->in_alloc = true;
    if (charge(rd, sizeof *h + n)) {
        if ((h = malloc(sizeof *h + n))) h->n = n;
        else rd->used -= sizeof *h + n, fail(rd, XLSX_READ_NO_MEMORY, NULL, ERR_NO_MEMORY);
    }
    rd->in_alloc = false;
    return h ? h + 1 : NULL;
}

static void x_free(void *p)
{
    if (!p) return;
    mhead *h = (mhead *)p - 1;
    tl_reader->used -= sizeof *h + h->n;
    free(h);
}

static void *x_realloc(void *p, size_t n)
{
    if (!p) return x_malloc(n);
    reader *rd = tl_reader;
    mhead *h = (mhead *)p - 1, *g = NULL;
    size_t old = h->n;
    rd->in_alloc = true;
    if (n <= old || charge(rd, n - old)) {
        if ((g = realloc(h, sizeof *g + n))) {
            if (n < old) rd->used -= old - n;
            g->n = n;
        } else {
            if (n > old) rd->used -= n - old;
            fail(rd, XLSX_READ_NO_MEMORY, NULL, ERR_NO_MEMORY);
        }
    }
    rd->in_alloc = false;
    return g ? g + 1 : NULL;
}

/* ---- expat callbacks shared by every part ---- */

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

static void text_reset(reader *rd) { rd->text_len = rd->text_chars = 0; }

/* Text is counted as it arrives: a cell past the cap stops the parser before it is held. */
static void on_text(void *ud, const char *s, int len)
{
    reader *rd = ud;
    if (!rd->want_text || failed(rd)) return;
    size_t chars = 0;
    for (int i = 0; i < len; i++) chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    if (rd->text_chars + chars > rd->lim->max_cell_chars || rd->text_len + (size_t)len >= rd->text_cap) {
        fail(rd, XLSX_READ_TOO_LARGE, "max_cell_chars", ERR_CELL_TOO_LONG);
        return;
    }
    memcpy(rd->text + rd->text_len, s, (size_t)len);
    rd->text_len += (size_t)len;
    rd->text_chars += chars;
}

/* No part of a workbook has a DOCTYPE; one can only be there to declare entities (expansion,
 * external files), so the part is refused as soon as it starts. */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    fail(ud, XLSX_READ_DOCTYPE, NULL, ERR_DOCTYPE);
}

static void on_entity(void *ud, const XML_Char *name, int param, const XML_Char *value, int len, const XML_Char *base,
                      const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
    (void)name, (void)param, (void)value, (void)len, (void)base, (void)sysid, (void)pubid, (void)notation;
    fail(ud, XLSX_READ_DOCTYPE, NULL, ERR_DOCTYPE);
}

/* ---- sharedStrings.xml: <si><t>text</t></si> or rich text <si><r><t>a</t></r><r><t>b</t></r></si>;
 * the phonetic guide <rPh><t>..</t></rPh> is not part of the text ---- */

static void ss_start(void *ud, const char *el, const char **atts)
{
    (void)atts;
    reader *rd = ud;
    if (failed(rd)) return;
    if (is(el, "si")) rd->in_si = true, text_reset(rd);
    else if (is(el, "rPh")) rd->in_rph = true;
    else if (rd->in_si && !rd->in_rph && is(el, "t")) rd->want_text = true;
}

static void ss_end(void *ud, const char *el)
{
    reader *rd = ud;
    if (failed(rd)) return;
    if (is(el, "t")) rd->want_text = false;
    else if (is(el, "rPh")) rd->in_rph = false;
    else if (is(el, "si") && rd->in_si) {
        rd->in_si = false;
        if (rd->nstrings >= rd->lim->max_shared_strings) {
            fail(rd, XLSX_READ_TOO_LARGE, "max_shared_strings", ERR_TOO_MANY_STRINGS);
            return;
        }
        if (rd->nstrings == rd->cap_strings) {
            size_t cap = rd->cap_strings ? 2 * rd->cap_strings : 256;
            const char **grown = r_alloc(rd, sizeof *grown * cap);
            if (!grown) return;
            if (rd->nstrings) memcpy(grown, rd->strings, sizeof *grown * rd->nstrings);
            rd->strings = grown, rd->cap_strings = cap;
        }
        const char *s = r_text(rd, rd->text, rd->text_len);
        if (s) rd->strings[rd->nstrings++] = s;
    }
}

/* ---- workbook.xml: the first <sheet r:id="rId1"/>; rels: <Relationship Id="rId1" Target="worksheets/sheet1.xml"/> ---- */

static void wb_start(void *ud, const char *el, const char **atts)
{
    reader *rd = ud;
    const char *rid = attr(atts, "r:id");
    if (is(el, "sheet") && !rd->first_sheet_rid[0] && rid)
        snprintf(rd->first_sheet_rid, sizeof rd->first_sheet_rid, "%s", rid);
}

static void rels_start(void *ud, const char *el, const char **atts)
{
    reader *rd = ud;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (is(el, "Relationship") && id && target && !strcmp(id, rd->first_sheet_rid))
        snprintf(rd->first_sheet_target, sizeof rd->first_sheet_target, "%s", target);
}

/* ---- the sheet ---- */

/* "BC12" -> column 54 (from 0); -1 when malformed. */
static int column_of(const char *ref)
{
    int col = 0, letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++, letters++) col = col * 26 + (*ref - 'A' + 1);
    return letters == 0 || letters > 3 ? -1 : col - 1;
}

/* "12" -> row 11 (from 0); far past any limit when malformed or huge. */
static int row_of(const char *r)
{
    char *end;
    long v = strtol(r, &end, 10);
    return *end || v < 1 || v > 10 * 1000 * 1000 ? 10 * 1000 * 1000 : (int)v - 1;
}

/* Stores a cell's value: a shared string by reference (it is kept once), other text copied. */
static void put_cell(reader *rd, const char *value, size_t len, bool shared)
{
    xlsx_sheet *s = rd->sheet;
    if (rd->row < 0 || rd->col < 0 || rd->col >= XLSX_MAX_COLS || len == 0) return;
    if (rd->row >= rd->max_rows) { fail(rd, XLSX_READ_TOO_LARGE, "max_rows", ERR_TOO_MANY_ROWS); return; }
    if (rd->ncells >= rd->lim->max_cells) { fail(rd, XLSX_READ_TOO_LARGE, "max_cells", ERR_TOO_MANY_CELLS); return; }
    while (rd->row >= rd->cap_rows) {
        int cap = rd->cap_rows ? 2 * rd->cap_rows : 64;
        if (cap > rd->max_rows) cap = rd->max_rows;
        const char ***grown = r_alloc(rd, sizeof *grown * (size_t)cap);
        if (!grown) return;
        if (rd->cap_rows) memcpy(grown, s->rows, sizeof *grown * (size_t)rd->cap_rows);
        s->rows = grown, rd->cap_rows = cap;
    }
    if (!s->rows[rd->row] && !(s->rows[rd->row] = r_alloc(rd, sizeof **s->rows * XLSX_MAX_COLS))) return;
    const char *v = shared ? value : r_text(rd, value, len);
    if (!v) return;
    s->rows[rd->row][rd->col] = v;
    rd->ncells++;
    if (rd->row + 1 > s->nrows) s->nrows = rd->row + 1;
    if (rd->col + 1 > s->ncols) s->ncols = rd->col + 1;
}

static void sh_start(void *ud, const char *el, const char **atts)
{
    reader *rd = ud;
    if (failed(rd)) return;
    if (is(el, "row")) {
        const char *r = attr(atts, "r");
        rd->row = r ? row_of(r) : rd->row + 1;
        rd->col = -1;
    } else if (is(el, "c")) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        rd->col = r ? column_of(r) : rd->col + 1;
        snprintf(rd->cell_type, sizeof rd->cell_type, "%s", t ? t : "n");
    } else if (is(el, "v")) {
        rd->want_text = true;
        text_reset(rd);
    } else if (is(el, "is")) {
        rd->in_inline = true;  /* its runs <r><t>..</t></r> make one text, as in shared strings */
        text_reset(rd);
    } else if (is(el, "rPh")) {
        rd->in_rph = true;
    } else if (is(el, "t") && rd->in_inline && !rd->in_rph) {
        rd->want_text = true;
    }
}

static void sh_end(void *ud, const char *el)
{
    reader *rd = ud;
    if (failed(rd)) return;
    if (is(el, "v") && rd->want_text) {
        rd->want_text = false;
        if (!strcmp(rd->cell_type, "s")) {
            char *end;
            rd->text[rd->text_len] = 0;
            long i = strtol(rd->text, &end, 10);
            if (*end || rd->text_len == 0 || i < 0 || (size_t)i >= rd->nstrings) {
                fail(rd, XLSX_READ_NOT_XLSX, NULL, ERR_NOT_XLSX);
                return;
            }
            put_cell(rd, rd->strings[i], strlen(rd->strings[i]), true);
        } else {
            put_cell(rd, rd->text, rd->text_len, false);
        }
    } else if (is(el, "t")) {
        rd->want_text = false;
    } else if (is(el, "rPh")) {
        rd->in_rph = false;
    } else if (is(el, "is") && rd->in_inline) {
        rd->in_inline = false;
        put_cell(rd, rd->text, rd->text_len, false);
    }
}

/* ---- the driver ---- */

/* Inflates entry name chunk by chunk into one parser; a missing entry is an error unless optional. */
static bool parse_entry(reader *rd, const char *name, bool optional, XML_StartElementHandler start,
                        XML_EndElementHandler end)
{
    zip_file_t *f = zip_fopen(rd->zip, name, 0);
    if (!f) {
        if (!optional) fail(rd, XLSX_READ_NOT_XLSX, NULL, ERR_NOT_XLSX);
        return optional;
    }
    static const XML_Memory_Handling_Suite mem = {x_malloc, x_realloc, x_free};
    tl_reader = rd;
    XML_Parser x = XML_ParserCreate_MM("UTF-8", &mem, NULL);
    if (!x) fail(rd, XLSX_READ_NO_MEMORY, NULL, ERR_NO_MEMORY);
    rd->x = x;
    if (x) {
        XML_SetUserData(x, rd);
        XML_SetElementHandler(x, start, end);
        XML_SetCharacterDataHandler(x, on_text);
        XML_SetStartDoctypeDeclHandler(x, on_doctype);
        XML_SetEntityDeclHandler(x, on_entity);
    }
    while (x && !failed(rd)) {
        void *buf = XML_GetBuffer(x, CHUNK);
        if (!buf) { fail(rd, XLSX_READ_NO_MEMORY, NULL, ERR_NO_MEMORY); break; }
        zip_int64_t n = zip_fread(f, buf, CHUNK);
        if (n < 0) { fail(rd, XLSX_READ_NOT_XLSX, NULL, ERR_NOT_XLSX); break; }
        rd->res->inflated += (size_t)n;
        if (rd->res->inflated > rd->lim->max_inflated) {
            fail(rd, XLSX_READ_TOO_LARGE, "max_inflated_bytes", ERR_TOO_BIG);
            break;
        }
        if (XML_ParseBuffer(x, (int)n, n == 0) != XML_STATUS_OK) fail(rd, XLSX_READ_NOT_XLSX, NULL, ERR_NOT_XLSX);
        if (n == 0) break;
    }
    rd->x = NULL;
    if (x) XML_ParserFree(x);
    tl_reader = NULL;
    zip_fclose(f);
    rd->want_text = false;
    return !failed(rd);
}

/* The first sheet's part: targets are relative to xl/ ("worksheets/sheet1.xml") or absolute
 * ("/xl/worksheets/..."); false when it would leave the archive's tree. */
static bool sheet_part(const reader *rd, char *out, size_t len)
{
    const char *t = rd->first_sheet_target;
    snprintf(out, len, t[0] == '/' ? "%s" : "xl/%s", t[0] == '/' ? t + 1 : t);
    return !strstr(out, "..");
}

static uint64_t le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* The number of entries the zip's end record declares (its zip64 record when it has one), read
 * before zip_open() because libzip loads the whole central directory, ~290 bytes an entry: a
 * 20 MB upload of 230,000 empty entries took 65 MB. 0 when there is no end record (zip_open()
 * then refuses the file). The count only guards memory: libzip checks the directory itself. */
static uint64_t zip_entries(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char tail[65557 + 20];    /* the record (22 bytes), its comment, the zip64 locator */
    uint64_t n = 0;
    if (!f || fseek(f, 0, SEEK_END) != 0) goto done;
    long size = ftell(f), take = size < (long)sizeof tail ? size : (long)sizeof tail;
    if (take < 22 || fseek(f, size - take, SEEK_SET) != 0 || fread(tail, 1, (size_t)take, f) != (size_t)take) goto done;
    /* Candidates whose comment ends the file count, the largest wins: a record forged into the
     * comment after the real one could only make the file look bigger, never hide the real one.
     * Without any such candidate (bytes after the record) every signature counts. */
    uint64_t any = 0;
    for (long i = take - 22; i >= 0; i--) {
        if (le(tail + i, 4) != 0x06054b50) continue;
        bool ends = i + 22 + (long)le(tail + i + 20, 2) == take;
        uint64_t c = le(tail + i + 10, 2);
        /* zip64: the locator just before points at the zip64 end record and its 8-byte count */
        if (c == 0xFFFF && i >= 20 && le(tail + i - 20, 4) == 0x07064b50) {
            unsigned char rec[40];
            if (fseek(f, (long)le(tail + i - 12, 8), SEEK_SET) == 0 && fread(rec, 1, sizeof rec, f) == sizeof rec &&
                le(rec, 4) == 0x06064b50)
                c = le(rec + 32, 8);
            else
                c = UINT64_MAX;
        }
        if (ends && c > n) n = c;
        if (c > any) any = c;
    }
    if (n == 0) n = any;
done:
    if (f) fclose(f);
    return n;
}

int xlsx_read(const char *path, arena *a, const xlsx_limits *limits, int max_rows, xlsx_sheet *out,
              xlsx_read_result *res)
{
    static const xlsx_limits defaults = XLSX_LIMITS_DEFAULT;
    reader rd = {.a = a, .lim = limits ? limits : &defaults, .res = res, .sheet = out, .max_rows = max_rows, .row = -1};
    memset(out, 0, sizeof *out);
    memset(res, 0, sizeof *res);
    char sheet[300];
    rd.text_cap = rd.lim->max_cell_chars * 4 + 1;
    rd.text = r_alloc(&rd, rd.text_cap);
    int zerr = 0;
    if (rd.text && zip_entries(path) > rd.lim->max_parts) fail(&rd, XLSX_READ_TOO_LARGE, "max_parts", ERR_TOO_MANY_PARTS);
    else if (rd.text && !(rd.zip = zip_open(path, ZIP_RDONLY, &zerr))) fail(&rd, XLSX_READ_NOT_XLSX, NULL, ERR_NOT_XLSX);
    bool ok = rd.zip && parse_entry(&rd, "xl/workbook.xml", false, wb_start, NULL);
    if (ok && !rd.first_sheet_rid[0]) ok = false, fail(&rd, XLSX_READ_NOT_XLSX, NULL, ERR_NOT_XLSX);
    ok = ok && parse_entry(&rd, "xl/_rels/workbook.xml.rels", false, rels_start, NULL);
    if (ok && (!rd.first_sheet_target[0] || !sheet_part(&rd, sheet, sizeof sheet)))
        ok = false, fail(&rd, XLSX_READ_NOT_XLSX, NULL, ERR_NOT_XLSX);
    ok = ok && parse_entry(&rd, "xl/sharedStrings.xml", true, ss_start, ss_end);
    ok = ok && parse_entry(&rd, sheet, false, sh_start, sh_end);
    if (rd.zip) zip_discard(rd.zip);
    if (!ok) memset(out, 0, sizeof *out);
    return ok ? 0 : -1;
}

int xlsx_read_file(const char *path, arena *a, int max_rows, xlsx_sheet *out, const char **error)
{
    xlsx_read_result res;
    int rc = xlsx_read(path, a, NULL, max_rows, out, &res);
    *error = rc == 0 ? NULL : res.message;
    return rc;
}

const char *xlsx_cell(const xlsx_sheet *s, int row, int col)
{
    if (row < 0 || row >= s->nrows || col < 0 || col >= XLSX_MAX_COLS || !s->rows[row] || !s->rows[row][col]) return "";
    return s->rows[row][col];
}
