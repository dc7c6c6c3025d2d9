/* import.c - the Excel import runner shared by the modules (see import.h). */
#include "io/import.h"
#include "io/export.h"
#include "http/body.h"
#include "http/reply.h"
#include <stdlib.h>
#include <string.h>

void xlsx_import_template(request *r, const char *sheet, const char *const *headers, int ncols,
                          const char *const *example, const char *filename)
{
    xlsx *x = xlsx_open(sheet, headers, ncols);
    if (!x) { reply_db_error(r); return; }
    for (int i = 0; i < ncols; i++) xlsx_text(x, i, example[i]);
    xlsx_next_row(x);
    xlsx_reply(x, r, filename);
}

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

/* Where each header is in row 0; whether the first nrequired are all there. */
static bool find_columns(const xlsx_sheet *s, const char *const *headers, int ncols, int nrequired, int *col)
{
    bool all = true;
    for (int i = 0; i < ncols; i++) {
        col[i] = -1;
        for (int c = 0; c < s->ncols; c++)
            if (!strcmp(xlsx_cell(s, 0, c), headers[i])) col[i] = c;
        if (i < nrequired && col[i] < 0) all = false;
    }
    return all;
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

bool xlsx_import_read(request *r, const char *const *headers, int ncols, int nrequired,
                      const char *missing_message, xlsx_sheet *sheet, int *col)
{
    xlsx_read_result res;
    if (xlsx_read(r->upload_path, &r->arena, NULL, XLSX_IMPORT_MAX_ROWS + 1, sheet, &res) != 0) {
        reply_read_error(r, &res);
        return false;
    }
    if (sheet->nrows == 0 || !find_columns(sheet, headers, ncols, nrequired, col)) {
        reply_error(r, 422, "invalid_field", "file", "%s", missing_message);
        return false;
    }
    return true;
}

static void add_error(jw *w, int excel_row, const char *field, const char *message)
{
    jw_obj(w);
    jw_key(w, "row"), jw_int(w, excel_row);
    jw_key(w, "field"), jw_str(w, field);
    jw_key(w, "message"), jw_str(w, message);
    jw_obj_end(w);
}

/* The keys seen in a run: open addressing over twice as many slots as a file may have rows. */
#define KEY_SLOTS 16384
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
        const char *field = NULL, *message = NULL;
        int rc = im->check(c, im, row, &field, &message);
        if (rc == XLSX_IMPORT_BLANK) continue;
        if (rc != DB_OK) return rc;
        if (field) { add_error(&im->errors, row + 1, field, message); continue; }
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
