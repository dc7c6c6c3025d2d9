/* call_export.c - GET /calls/:id/export.xlsx (issue 15, package D): the collected table of a
 * call for its managers, one row per entry past draft (withdrawn left out), the unit, title,
 * status and submission time, then the form's fields in the form's order, each rendered as a
 * reader expects: numbers as numbers, days as dates, a choice's options joined, a checklist as
 * "item：是/否", rows as one line per row, files counted, figures from the submit snapshot, a
 * node by its unit's name. A key the form gained after an entry was saved is left blank.
 *
 * Memory: entity_each streams the rows (a row's arena each) into libxlsxwriter's constant
 * memory mode; the form is parsed once per export; node names are read once (the units under
 * the call's owner), only when the form has a node field. */
#include "calls/calls_internal.h"
#include "calls/results.h"
#include "core/sbuf.h"
#include "db/query.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIXED_COLS 4

typedef struct org_name {
    int64_t id;
    const char *name;
} org_name;

typedef struct export_ctx {
    xlsx *x;
    json_t *form;                 /* the call's form (owned) */
    int nfields;
    org_name *orgs;               /* sorted by id, in the request's arena; NULL without a node field */
    size_t norgs;
    bool up;                      /* J: a last column 推荐上报 (the call has recommended entries) */
} export_ctx;

static const char *status_label(const char *s)
{
    static const char *const map[][2] = {{"submitted", "已报送"}, {"returned", "已退回"}, {"recommended", "已推荐"},
                                         {"not_recommended", "未推荐"}, {"under_review", "评审中"}, {"decided", "已决定"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) if (!strcmp(s, map[i][0])) return map[i][1];
    return s;
}

static const char *org_lookup(const export_ctx *x, int64_t id)
{
    size_t lo = 0, hi = x->norgs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->orgs[mid].id == id) return x->orgs[mid].name;
        if (x->orgs[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* A scalar value as text (rows' cells, a multiple choice's items). */
static void scalar_text(const export_ctx *x, json_t *def, json_t *v, sbuf *out)
{
    const char *type = json_string_value(json_object_get(def, "type"));
    if (json_is_string(v)) sbuf_add(out, json_string_value(v));
    else if (json_is_integer(v) && type && !strcmp(type, "node")) {
        const char *n = org_lookup(x, json_integer_value(v));
        if (n) sbuf_add(out, n);
        else sbuf_printf(out, "#%lld", (long long)json_integer_value(v));
    } else if (json_is_integer(v)) sbuf_printf(out, "%lld", (long long)json_integer_value(v));
    else if (json_is_boolean(v)) sbuf_add(out, json_is_true(v) ? "是" : "否");
    else if (json_is_object(v) && json_is_string(json_object_get(v, "name")))
        sbuf_add(out, json_string_value(json_object_get(v, "name")));
    else if (json_is_object(v) && json_is_integer(json_object_get(v, "id")))
        sbuf_printf(out, "#%lld", (long long)json_integer_value(json_object_get(v, "id")));
    else if (json_is_array(v)) {
        size_t i;
        json_t *it;
        json_array_foreach(v, i, it) {
            if (i) sbuf_add(out, "、");
            scalar_text(x, def, it, out);
        }
    }
}

/* A checklist {item: {ok, files}} as "label：是；label：否" in the definition's item order. */
static void checklist_text(json_t *def, json_t *v, sbuf *out)
{
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(def, "items"), i, item) {
        json_t *got = json_object_get(v, json_string_value(json_object_get(item, "key")));
        if (i) sbuf_add(out, "；");
        sbuf_printf(out, "%s：%s", json_string_value(json_object_get(item, "label")),
                    json_is_true(json_object_get(got, "ok")) ? "是" : "否");
        size_t nf = json_array_size(json_object_get(got, "files"));
        if (nf) sbuf_printf(out, "（%zu 个附件）", nf);
    }
}

/* Rows [{col: value}] as one line per row: "label：value，label：value". */
static void rows_text(const export_ctx *x, json_t *def, json_t *v, sbuf *out)
{
    size_t i, j;
    json_t *row, *col;
    json_array_foreach(v, i, row) {
        if (i) sbuf_add(out, "\n");
        bool first = true;
        json_array_foreach(json_object_get(def, "columns"), j, col) {
            json_t *cell = json_object_get(row, json_string_value(json_object_get(col, "key")));
            if (!cell) continue;
            sbuf_printf(out, "%s%s：", first ? "" : "，", json_string_value(json_object_get(col, "label")));
            scalar_text(x, col, cell, out);
            first = false;
        }
    }
}

/* One field's cell in column col. */
static void field_cell(const export_ctx *x, int col, json_t *def, json_t *values, json_t *figures)
{
    const char *type = json_string_value(json_object_get(def, "type"));
    const char *key = json_string_value(json_object_get(def, "key"));
    json_t *v = json_object_get(!strcmp(type, "figure") ? figures : values, key);
    if (!v || json_is_null(v)) return;
    if (json_is_integer(v) && strcmp(type, "node") != 0) { xlsx_int(x->x, col, json_integer_value(v)); return; }
    if (!strcmp(type, "date") && json_is_string(v)) { xlsx_date(x->x, col, json_string_value(v)); return; }
    sbuf out;
    sbuf_init(&out);
    if (!strcmp(type, "file") || !strcmp(type, "photo")) sbuf_printf(&out, "%zu 个文件", json_array_size(v));
    else if (!strcmp(type, "checklist")) checklist_text(def, v, &out);
    else if (!strcmp(type, "rows")) rows_text(x, def, v, &out);
    else scalar_text(x, def, v, &out);
    xlsx_text(x->x, col, out.s ? out.s : "");
    sbuf_free(&out);
}

static int write_entry(const void *rec, db_stmt *s, arena *row, void *cls)
{
    (void)s, (void)row;
    const entry_rec *e = rec;
    export_ctx *x = cls;
    xlsx_text(x->x, 0, e->org_name);
    xlsx_text(x->x, 1, e->title);
    char st[64];
    snprintf(st, sizeof st, "%s%s", status_label(e->status), e->late ? "（逾期）" : "");
    xlsx_text(x->x, 2, st);
    if (e->submitted_at) xlsx_time(x->x, 3, e->submitted_at);
    json_t *values = e->values ? json_loads(e->values, 0, NULL) : NULL;
    json_t *figures = e->figures ? json_loads(e->figures, 0, NULL) : NULL;
    for (int i = 0; i < x->nfields; i++) field_cell(x, FIXED_COLS + i, json_array_get(x->form, (size_t)i), values, figures);
    json_decref(values), json_decref(figures);
    if (x->up) xlsx_text(x->x, FIXED_COLS + x->nfields, e->recommended_up ? "是" : "否");
    xlsx_next_row(x->x);
    return DB_OK;
}

/* The names of the units under the call's owner, sorted by id (for node fields). */
static int load_orgs(db *c, arena *a, const call_rec *call, export_ctx *x)
{
    qb q;
    qb_init(&q, "SELECT o.id, o.name FROM orgs o WHERE 1 = 1");
    qb_subtree(&q, a, "o.path", call->org_path);
    qb_sql(&q, " ORDER BY o.id");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    size_t cap = 256;
    x->orgs = malloc(cap * sizeof *x->orgs);
    int rc;
    while (x->orgs && (rc = db_step(s)) == DB_ROW) {
        if (x->norgs == cap) {
            org_name *more = realloc(x->orgs, (cap *= 2) * sizeof *more);
            if (!more) break;
            x->orgs = more;
        }
        x->orgs[x->norgs].id = db_col_int(s, 0);
        x->orgs[x->norgs++].name = arena_strdup(a, db_col_text(s, 1));
    }
    db_finish(s);
    return x->orgs ? DB_OK : DB_ERR;
}

static bool form_has_node(json_t *form)
{
    size_t i, j;
    json_t *f, *col;
    json_array_foreach(form, i, f) {
        const char *t = json_string_value(json_object_get(f, "type"));
        if (t && !strcmp(t, "node")) return true;
        json_array_foreach(json_object_get(f, "columns"), j, col) {
            t = json_string_value(json_object_get(col, "type"));
            if (t && !strcmp(t, "node")) return true;
        }
    }
    return false;
}

/* The workbook's header: the fixed columns then each field's label. NULL on error. */
static xlsx *open_sheet(const call_rec *call, json_t *form, int nfields, bool up)
{
    xlsx_col cols[XLSX_MAX_COLS_OUT] = {{"单位", 24}, {"标题", 30}, {"状态", 12}, {"报送时间", 18}};
    for (int i = 0; i < nfields; i++) {
        json_t *f = json_array_get(form, (size_t)i);
        const char *label = json_string_value(json_object_get(f, "label"));
        const char *type = json_string_value(json_object_get(f, "type"));
        bool wide = type && (!strcmp(type, "long_text") || !strcmp(type, "checklist") || !strcmp(type, "rows"));
        cols[FIXED_COLS + i] = (xlsx_col){label ? label : json_string_value(json_object_get(f, "key")), wide ? 40 : 14};
    }
    if (up) cols[FIXED_COLS + nfields] = (xlsx_col){"推荐上报", 10};
    return xlsx_open_table("申报汇总", call->title, cols, FIXED_COLS + nfields + up);
}

/* GET /calls/:id/export.xlsx */
static void handle_export(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    call_rec call;
    int rc = c ? calls_get_managed(c, r->principal, &r->arena, id, &call) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &call_entity, rc); return; }
    export_ctx x = {0};
    x.form = json_loads(call.form ? call.form : "[]", 0, NULL);
    x.nfields = (int)json_array_size(x.form);
    if (x.nfields > XLSX_MAX_COLS_OUT - FIXED_COLS - 1) x.nfields = XLSX_MAX_COLS_OUT - FIXED_COLS - 1;
    x.up = calls_has_recommended_up(c, call.id);
    rc = form_has_node(x.form) ? load_orgs(c, &r->arena, &call, &x) : DB_OK;
    x.x = rc == DB_OK ? open_sheet(&call, x.form, x.nfields, x.up) : NULL;
    if (x.x) {
        qb where;
        qb_init(&where, " WHERE e.call_id = ? AND e.kind = 'entry' AND e.status NOT IN ('draft', 'withdrawn')");
        qb_int(&where, call.id);
        entity_scope_filter(&call_entry_entity, &r->principal->scope, &where);
        qb_sql(&where, " ORDER BY e.org_path, e.id");
        rc = entity_each(c, &call_entry_entity, NULL, &where, write_entry, &x);
    }
    json_decref(x.form);
    free(x.orgs);
    if (!x.x || rc != DB_OK) {
        if (x.x) xlsx_abort(x.x);
        reply_export_failed(r);
        return;
    }
    char name[160];
    snprintf(name, sizeof name, "%.120s.xlsx", call.title);
    xlsx_reply(x.x, r, name);
}

static const struct route export_routes[] = {
    {"GET", "/api/v1/calls/:id/export.xlsx", handle_export, RANK_ORG_ADMIN, 0,
     .summary = "The collected table: one row per entry past draft, the form's fields in its column order",
     .entity = &call_entry_entity},
    {0},
};

void call_export_register_routes(void)
{
    router_add_table(export_routes);
}
