/* import.c - the Excel import runner shared by the modules (see import.h). */
#include "io/import.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "model/entity.h"
#include "core/validate.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool xlsx_import_params(request *r, const char *org_message, int64_t *org_id, bool *commit)
{
    bool has;
    if (!query_id(r, "org_id", org_id, &has)) return false;
    if (!has) { reply_error(r, 422, "required", "org_id", "%s", org_message); return false; }
    const char *commit_text = req_query(r, "commit");
    *commit = commit_text && !strcmp(commit_text, "1");
    if (!r->upload_path || r->upload_size == 0) {
        reply_error(r, 422, "required", "file", "请上传填好的模板文件 / upload the filled template");
        return false;
    }
    return true;
}

/* Spaces a header or a cell may carry that mean nothing: ASCII, full-width (U+3000), no-break. */
static size_t blank_at(const char *s)
{
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') return 1;
    if (!strncmp(s, "\u3000", 3)) return 3;
    if (!strncmp(s, "\u00a0", 2)) return 2;
    return 0;
}

/* The length of a blank that ends s[0..len), 0 if none. */
static size_t blank_before(const char *s, size_t len)
{
    const char *e = s + len;
    if (len >= 1 && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) return 1;
    if (len >= 3 && !memcmp(e - 3, "\u3000", 3)) return 3;
    if (len >= 2 && !memcmp(e - 2, "\u00a0", 2)) return 2;
    return 0;
}

/* The cell without its leading and trailing blanks: itself when it has none, else a copy in a. */
static const char *trimmed(arena *a, const char *s)
{
    size_t n, len = strlen(s);
    const char *b = s;
    while ((n = blank_at(b))) b += n, len -= n;
    while ((n = blank_before(b, len))) len -= n;
    if (b == s && !s[len]) return s;
    return arena_strndup(a, b, len);
}

/* A header as compared: no blanks anywhere, full-width brackets as ASCII ones. */
static void header_key(const char *h, char *out, size_t cap)
{
    size_t o = 0, n;
    while (*h && o + 1 < cap) {
        if ((n = blank_at(h))) { h += n; continue; }
        if (!strncmp(h, "\uff08", 3)) { out[o++] = '(', h += 3; continue; }
        if (!strncmp(h, "\uff09", 3)) { out[o++] = ')', h += 3; continue; }
        out[o++] = *h++;
    }
    out[o] = 0;
}

/* Headers staff write for the common columns, whatever the module. */
static const char *const common_synonyms[][2] = {
    {"身份证号", "身份证号码|身份证|证件号码|公民身份号码|身份证号(18位)"},
    {"手机号", "手机号码|手机|移动电话|联系手机"},
    {"姓名", "名字"},
};

/* Whether key (a header_key) is one of the '|'-separated names. */
static bool in_names(const char *key, const char *names)
{
    char one[128];
    for (const char *p = names; p && *p;) {
        size_t n = strcspn(p, "|");
        char raw[128];
        snprintf(raw, sizeof raw, "%.*s", (int)n, p);
        header_key(raw, one, sizeof one);
        if (!strcmp(key, one)) return true;
        p += n + (p[n] ? 1 : 0);
    }
    return false;
}

/* The column a header names, or -1. */
static int column_of(const char *header, const xlsx_import_col *cols, int ncols)
{
    char key[256];
    header_key(header, key, sizeof key);
    for (int i = 0; i < ncols; i++) {
        if (in_names(key, cols[i].header) || in_names(key, cols[i].synonyms)) return i;
        for (size_t k = 0; k < sizeof common_synonyms / sizeof *common_synonyms; k++)
            if (!strcmp(cols[i].header, common_synonyms[k][0]) && in_names(key, common_synonyms[k][1])) return i;
    }
    return -1;
}

/* Where each column is in row 0. Replies and returns false on an unknown header or a missing
 * required column. */
static bool find_columns(request *r, const xlsx_sheet *s, const xlsx_import_col *cols, int ncols,
                         const char *missing_message, int *col)
{
    for (int i = 0; i < ncols; i++) col[i] = -1;
    for (int c = 0; c < s->ncols && c < XLSX_MAX_COLS; c++) {
        const char *h = xlsx_cell(s, 0, c);
        if (!*h) continue;
        int i = column_of(h, cols, ncols);
        if (i < 0) {
            reply_error(r, 422, "unknown_column", "file",
                        "无法识别的列“%.60s”，请使用导入模板的列名 / unknown column \"%.60s\": use the template's headers", h, h);
            return false;
        }
        if (col[i] < 0) col[i] = c;
    }
    for (int i = 0; i < ncols; i++)
        if (cols[i].required && col[i] < 0) {
            reply_error(r, 422, "invalid_field", "file", "%s", missing_message);
            return false;
        }
    return true;
}

/* Every cell without its leading and trailing blanks (names, numbers, codes alike). Cells of one
 * shared string point at the same text: it is trimmed once (a file may repeat a 32,767-character
 * string in every cell). */
static void trim_cells(arena *a, xlsx_sheet *s)
{
    const char *last = NULL, *last_trimmed = NULL;
    for (int r = 0; r < s->nrows; r++) {
        if (!s->rows[r]) continue;
        for (int c = 0; c < s->ncols; c++) {
            const char *v = s->rows[r][c];
            if (!v) continue;
            if (v != last) last = v, last_trimmed = trimmed(a, v);
            s->rows[r][c] = last_trimmed;
        }
    }
}

/* Why the workbook was refused: the file's fault is a 422 naming the limit it passed, the
 * server's (the request's memory) a 503. */
static void reply_read_error(request *r, const xlsx_read_result *res)
{
    switch (res->status) {
    case XLSX_READ_DOCTYPE: reply_error(r, 422, "doctype_refused", "file", "%s", res->message); break;
    case XLSX_READ_TOO_LARGE: reply_error(r, 422, "workbook_too_large", res->limit, "%s", res->message); break;
    case XLSX_READ_NO_MEMORY: reply_error(r, 503, "out_of_memory", NULL, "%s", res->message); break;
    default: reply_error(r, 422, "invalid_field", "file", "%s", res->message ? res->message : "not a valid xlsx file");
    }
}

bool xlsx_import_read(request *r, const xlsx_import_col *cols, int ncols, const char *missing_message,
                      xlsx_sheet *sheet, int *col)
{
    xlsx_read_result res;
    if (xlsx_read(r->upload_path, &r->arena, NULL, XLSX_IMPORT_MAX_ROWS + 1, sheet, &res) != 0) {
        if (res.status == XLSX_READ_TOO_LARGE && res.limit && !strcmp(res.limit, "max_rows"))
            reply_error(r, 422, "workbook_too_large", "max_rows", "文件超过 %d 行的上限，请分成几个文件导入 / more than %d rows: the limit is %d, split the file",
                        XLSX_IMPORT_MAX_ROWS, XLSX_IMPORT_MAX_ROWS, XLSX_IMPORT_MAX_ROWS);
        else
            reply_read_error(r, &res);
        return false;
    }
    if (sheet->nrows == 0) {
        reply_error(r, 422, "invalid_field", "file", "%s", missing_message);
        return false;
    }
    trim_cells(&r->arena, sheet);
    return find_columns(r, sheet, cols, ncols, missing_message, col);
}

static void add_error(jw *w, int excel_row, const char *column, const char *message)
{
    jw_obj(w);
    jw_key(w, "row"), jw_int(w, excel_row);
    jw_key(w, "field"), jw_str(w, column);
    jw_key(w, "message"), jw_str(w, message);
    jw_obj_end(w);
}

void xlsx_import_error(xlsx_import *im, const char *column, const char *message)
{
    add_error(&im->errors, im->row + 1, column, message);
    im->row_errors++;
}

bool xlsx_import_row_bad(const xlsx_import *im) { return im->row_errors > 0; }

bool xlsx_import_yesno(const char *text, bool dflt, bool *out)
{
    static const char *const yes[] = {"是", "y", "yes", "true", "1", "1.0"}, *const no[] = {"否", "n", "no", "false", "0", "0.0"};
    if (!*text) { *out = dflt; return true; }
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (!strcasecmp(text, yes[i])) { *out = true; return true; }
        if (!strcasecmp(text, no[i])) { *out = false; return true; }
    }
    return false;
}

#define LIST_CELL_MAX 4096   /* bytes of a list cell: 20 items of 30 characters fit in far less */
#define LIST_ITEM_MAX 160    /* bytes of an item with its spaces: 30 characters take at most 120 */

const char *xlsx_import_list(arena *a, const char *text, const char *const (*map)[2], size_t nmap, int item_chars,
                             int max_items)
{
    /* a longer cell (up to 32,767 characters, maybe the same on every row) is refused before it
     * is copied; items are taken apart on the stack: per row only the JSON stays in the arena */
    if (strlen(text) > LIST_CELL_MAX) return NULL;
    json_t *arr = json_array();
    /* the Chinese separators (3 bytes each) become commas first: strcspn works on bytes */
    char norm[LIST_CELL_MAX + 1], *to = norm;
    for (const char *t = text; *t;) {
        bool wide = !strncmp(t, "、", 3) || !strncmp(t, "，", 3) || !strncmp(t, "；", 3);
        *to++ = wide ? ',' : *t;
        t += wide ? 3 : 1;
    }
    *to = 0;
    const char *p = norm;
    bool ok = true;
    while (ok && *p) {
        size_t n = strcspn(p, ",;");
        char buf[LIST_ITEM_MAX + 1], *item = buf;
        if (!(ok = n <= LIST_ITEM_MAX)) break;
        memcpy(buf, p, n);
        buf[n] = 0;
        while (*item == ' ') item++;
        for (char *e = item + strlen(item); e > item && e[-1] == ' ';) *--e = 0;
        if (*item) {
            const char *value = item;
            if (map) {
                value = NULL;
                for (size_t i = 0; i < nmap; i++)
                    if (!strcmp(item, map[i][0]) || !strcmp(item, map[i][1])) value = map[i][1];
            }
            ok = value && valid_name(value, (size_t)item_chars) && json_array_size(arr) < (size_t)max_items;
            if (ok) json_array_append_new(arr, json_string(value));
        }
        p += n + (p[n] ? 1 : 0);
    }
    char *dump = ok ? json_dumps(arr, JSON_COMPACT) : NULL;
    const char *out = dump ? arena_strdup(a, dump) : NULL;
    free(dump);
    json_decref(arr);
    return out;
}

/* The keys seen in a run: open addressing over more than eight slots a row a file may have (an
 * import may remember a few keys a row: the literacy import one per level of a node's path). */
#define KEY_SLOTS 65536
struct xlsx_import_keys {
    char *slot[KEY_SLOTS];
};

static void keys_free(xlsx_import *im)
{
    if (!im->keys) return;
    for (int i = 0; i < KEY_SLOTS; i++) free(im->keys->slot[i]);
    free(im->keys);
    im->keys = NULL;
}

bool xlsx_import_seen(const xlsx_import *im, const char *key)
{
    if (!key || !*key || !im->keys) return false;
    for (unsigned i = str_hash(key) % KEY_SLOTS, n = 0; n < KEY_SLOTS; i = (i + 1) % KEY_SLOTS, n++) {
        const char *slot = im->keys->slot[i];
        if (!slot) return false;
        if (!strcmp(slot, key)) return true;
    }
    return false;
}

bool xlsx_import_repeated(xlsx_import *im, const char *key)
{
    if (!key || !*key) return false;
    if (!im->keys && !(im->keys = calloc(1, sizeof *im->keys))) return false;
    for (unsigned i = str_hash(key) % KEY_SLOTS, n = 0; n < KEY_SLOTS; i = (i + 1) % KEY_SLOTS, n++) {
        char **slot = &im->keys->slot[i];
        if (!*slot) { *slot = strdup(key); return false; }
        if (!strcmp(*slot, key)) return true;
    }
    return false;   /* full: cannot happen below XLSX_IMPORT_MAX_ROWS rows */
}

/* Every row checked; with commit, the valid ones written (inside the transaction around it). */
static int import_rows(db *c, void *cls)
{
    xlsx_import *im = cls;
    im->valid = im->imported = 0;
    keys_free(im);             /* a retried transaction sees every row again */
    jw_free(&im->errors);      /* a retried transaction starts its report again */
    jw_init(&im->errors);
    jw_arr(&im->errors);
    for (int row = 1; row < im->sheet->nrows; row++) {
        im->row = row, im->row_errors = 0;
        int rc = im->check(c, im, row);
        if (rc == XLSX_IMPORT_BLANK) continue;
        if (rc != DB_OK) return rc;
        if (im->row_errors) continue;
        im->valid++;
        if (!im->commit) continue;
        if ((rc = im->write(c, im)) != DB_OK) return rc;
        im->imported++;
    }
    jw_arr_end(&im->errors);
    return DB_OK;
}

int xlsx_import_run(db *c, xlsx_import *im)
{
    jw_init(&im->errors);
    int rc = im->commit ? db_transaction(c, import_rows, im) : import_rows(c, im);
    keys_free(im);
    if (rc != DB_OK) jw_free(&im->errors);
    return rc;
}

void xlsx_import_reply(request *r, xlsx_import *im)
{
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "rows"), jw_int(&w, im->sheet->nrows - 1);
    jw_key(&w, "valid"), jw_int(&w, im->valid);
    jw_key(&w, "imported"), jw_int(&w, im->imported);
    jw_key(&w, "committed"), jw_bool(&w, im->commit);
    jw_key(&w, "errors"), jw_raw(&w, im->errors.b.s ? im->errors.b.s : "[]");
    jw_obj_end(&w);
    jw_free(&im->errors);
    reply_jw(r, 200, &w);
}

void xlsx_import_route(request *r)
{
    const xlsx_import_spec *spec = r->route->cls;
    const entity *e = r->route->entity;
    int64_t org_id = 0;
    bool commit;
    if (!xlsx_import_params(r, spec->org_message, &org_id, &commit)) return;
    db *c = db_thread();
    const char *path = NULL;
    int rc = c ? entity_org_path(c, &r->principal->scope, &r->arena, org_id, spec->org_not_found, &path) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, e, rc); return; }
    xlsx_sheet sheet;
    int *col = arena_alloc(&r->arena, sizeof *col * (size_t)spec->ncols);
    xlsx_import_ctx *st = arena_alloc(&r->arena, spec->state_size);
    if (!col || !st) {
        reply_error(r, 503, "out_of_memory", NULL, "服务器暂时无法处理，请稍后重试 / out of memory for this request, retry later");
        return;
    }
    if (!xlsx_import_read(r, spec->cols, spec->ncols, spec->missing_message, &sheet, col)) return;
    *st = (xlsx_import_ctx){.r = r, .col = col, .org_id = org_id, .org_path = path, .nrows = sheet.nrows};
    if (spec->prepare && (rc = spec->prepare(c, st)) != DB_OK) { entity_reply_error(r, e, rc); return; }
    xlsx_import im = {.sheet = &sheet, .commit = commit, .check = spec->check, .write = spec->write, .cls = st};
    if ((rc = xlsx_import_run(c, &im)) != DB_OK) { entity_reply_error(r, e, rc); return; }
    xlsx_import_reply(r, &im);
}
