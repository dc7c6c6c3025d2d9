/* entry_pdf.c - issue 15, package J: GET /entries/:id/entry.pdf, an entry printed as a
 * multi-page A4 PDF (申报书): the call's title, the entry's title, unit, subject and status, every
 * field in the form's order (checklists as ✓/✗ with their evidence counts, rows as a table,
 * figures with their snapshot's day), the history, and "第 x 页 / 共 y 页" on every page.
 * Scoped as GET /entries/:id (the entrant's path; a draft only for its unit); a reviewer of a
 * blind call is answered 404 as for a missing entry, so the names never reach a reviewer.
 * Text flows line by line through pango (docs/pdf_draw.h; never parsed as markup), breaking
 * pages where a line or a table row no longer fits. The document is drawn twice: the first
 * drawing counts the pages the second one numbers. */
#include "calls/calls_internal.h"
#include "calls/results.h"
#include "core/sbuf.h"
#include "docs/pdf_draw.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEFT 56.0
#define WIDTH (PDF_A4_W - 2 * LEFT)
#define TOP 60.0
#define BOTTOM (PDF_A4_H - 64.0)
#define FONT PDF_FONT
#define MAX_STEPS 200

typedef struct step_row { const char *at, *action, *from, *to, *actor, *reason; } step_row;

/* What the document shows, read before drawing (strings in the request's arena). */
typedef struct entry_doc {
    const call_rec *call;
    const entry_rec *e;
    json_t *form, *values, *figures;
    const char **names;      /* per form field: the node's or person's name, else NULL */
    step_row *steps;
    int nsteps;
} entry_doc;

typedef struct flow { cairo_t *cr; const entry_doc *d; double y; int page, total; } flow;

static PangoLayout *text_layout(cairo_t *cr, const char *text, double size, bool bold, double w)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(bold ? FONT " Bold" : FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(l, text ? text : "", -1);
    return l;
}

static void footer(flow *f)
{
    char buf[96];
    if (f->total > 0) snprintf(buf, sizeof buf, "第 %d 页 / 共 %d 页", f->page, f->total);
    else snprintf(buf, sizeof buf, "第 %d 页", f->page);
    cairo_set_source_rgb(f->cr, 0.35, 0.35, 0.35);
    pdf_text(f->cr, buf, FONT, 9, PANGO_ALIGN_CENTER, LEFT, PDF_A4_H - 44, WIDTH, 0, 0);
    pdf_text(f->cr, f->d->call->title, FONT, 8, PANGO_ALIGN_LEFT, LEFT, 28, WIDTH, 0, 0);
    cairo_set_source_rgb(f->cr, 0, 0, 0);
}

static void new_page(flow *f)
{
    footer(f);
    cairo_show_page(f->cr);
    f->page++;
    f->y = TOP;
}

/* Text wrapped to w at x, line by line, a new page wherever a line does not fit. */
static void flow_text(flow *f, const char *text, double size, bool bold, double x, double w, double after)
{
    PangoLayout *l = text_layout(f->cr, text, size, bold, w);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double h = (double)r.height / PANGO_SCALE + size * 0.3;
        if (f->y + h > BOTTOM) new_page(f);
        double baseline = (double)(pango_layout_iter_get_baseline(it) - r.y) / PANGO_SCALE;
        cairo_move_to(f->cr, x + (double)r.x / PANGO_SCALE, f->y + baseline);
        pango_cairo_show_layout_line(f->cr, pango_layout_iter_get_line_readonly(it));
        f->y += h;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
    f->y += after;
}

/* One table row of n cells (texts), equal widths; a new page (and the header again) when the
 * row does not fit. */
static void table_row(flow *f, const char *const *cells, int n, bool head, const char *const *header)
{
    double cw = WIDTH / n, pad = 4, h = 0;
    PangoLayout *l[16];
    for (int i = 0; i < n; i++) {
        l[i] = text_layout(f->cr, cells[i], 9.5, head, cw - 2 * pad);
        int ph;
        pango_layout_get_size(l[i], NULL, &ph);
        if ((double)ph / PANGO_SCALE + 2 * pad > h) h = (double)ph / PANGO_SCALE + 2 * pad;
    }
    if (f->y + h > BOTTOM) {
        new_page(f);
        if (!head && header) table_row(f, header, n, true, NULL);
    }
    cairo_set_line_width(f->cr, 0.6);
    for (int i = 0; i < n; i++) {
        if (head) {
            cairo_set_source_rgb(f->cr, 0.92, 0.92, 0.92);
            cairo_rectangle(f->cr, LEFT + i * cw, f->y, cw, h);
            cairo_fill(f->cr);
            cairo_set_source_rgb(f->cr, 0, 0, 0);
        }
        cairo_rectangle(f->cr, LEFT + i * cw, f->y, cw, h);
        cairo_stroke(f->cr);
        cairo_move_to(f->cr, LEFT + i * cw + pad, f->y + pad);
        pango_cairo_show_layout(f->cr, l[i]);
        g_object_unref(l[i]);
    }
    f->y += h;
}

/* A value of a field that is neither a checklist, rows nor a figure, as text. */
static void scalar_text(json_t *v, const char *name, sbuf *out)
{
    if (name) sbuf_add(out, name);
    else if (json_is_string(v)) sbuf_add(out, json_string_value(v));
    else if (json_is_integer(v)) sbuf_printf(out, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v)) sbuf_printf(out, "%g", json_real_value(v));
    else if (json_is_boolean(v)) sbuf_add(out, json_is_true(v) ? "是" : "否");
    else if (json_is_object(v) && json_is_string(json_object_get(v, "name"))) sbuf_add(out, json_string_value(json_object_get(v, "name")));
    else if (json_is_object(v) && json_is_integer(json_object_get(v, "id")))
        sbuf_printf(out, "#%lld", (long long)json_integer_value(json_object_get(v, "id")));
    else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (i) sbuf_add(out, "、");
            scalar_text(x, NULL, out);
        }
    }
}

static void draw_checklist(flow *f, json_t *def, json_t *v)
{
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(def, "items"), i, item) {
        json_t *got = json_object_get(v, json_string_value(json_object_get(item, "key")));
        size_t nf = json_array_size(json_object_get(got, "files"));
        char *line = nf ? g_strdup_printf("%s %s（证明材料 %zu 份）", json_is_true(json_object_get(got, "ok")) ? "✓" : "✗",
                                          json_string_value(json_object_get(item, "label")), nf)
                        : g_strdup_printf("%s %s", json_is_true(json_object_get(got, "ok")) ? "✓" : "✗",
                                          json_string_value(json_object_get(item, "label")));
        flow_text(f, line, 10.5, false, LEFT + 14, WIDTH - 14, 0);
        g_free(line);
    }
}

static void draw_rows(flow *f, json_t *def, json_t *v)
{
    json_t *cols = json_object_get(def, "columns"), *col, *row;
    int n = (int)json_array_size(cols);
    if (n < 1 || n > 16 || !json_array_size(v)) { flow_text(f, "（无）", 10.5, false, LEFT + 14, WIDTH - 14, 0); return; }
    const char *header[16], *cells[16];
    size_t i, j;
    json_array_foreach(cols, j, col) header[j] = json_string_value(json_object_get(col, "label"));
    table_row(f, header, n, true, NULL);
    json_array_foreach(v, i, row) {
        sbuf b[16];
        json_array_foreach(cols, j, col) {
            sbuf_init(&b[j]);
            json_t *cell = json_object_get(row, json_string_value(json_object_get(col, "key")));
            if (cell) scalar_text(cell, NULL, &b[j]);
            cells[j] = b[j].s ? b[j].s : "";
        }
        table_row(f, cells, n, false, header);
        for (int k = 0; k < n; k++) sbuf_free(&b[k]);
    }
}

static void draw_field(flow *f, size_t k, json_t *def)
{
    const entry_doc *d = f->d;
    const char *type = json_string_value(json_object_get(def, "type")), *key = json_string_value(json_object_get(def, "key"));
    json_t *v = json_object_get(!strcmp(type, "figure") ? d->figures : d->values, key);
    flow_text(f, json_string_value(json_object_get(def, "label")), 11.5, true, LEFT, WIDTH, 2);
    sbuf out;
    sbuf_init(&out);
    if (!v || json_is_null(v)) sbuf_add(&out, !strcmp(type, "figure") ? "（提交时取数）" : "（未填写）");
    else if (!strcmp(type, "checklist")) { draw_checklist(f, def, v); f->y += 6; return; }
    else if (!strcmp(type, "rows")) { draw_rows(f, def, v); f->y += 8; return; }
    else if (!strcmp(type, "figure")) {
        char day[40];
        pdf_chinese_day(json_string_value(json_object_get(d->figures, "as_of")), day, sizeof day);
        sbuf_printf(&out, "%lld（截至 %s 的快照）", (long long)json_integer_value(v), day);
    } else if (!strcmp(type, "file") || !strcmp(type, "photo")) sbuf_printf(&out, "%zu 个文件", json_array_size(v));
    else scalar_text(v, d->names[k], &out);
    flow_text(f, out.s ? out.s : "", 10.5, false, LEFT + 14, WIDTH - 14, 6);
    sbuf_free(&out);
}

static const char *status_label(const char *s)
{
    static const char *const map[][2] = {{"draft", "草稿"}, {"submitted", "已报送"}, {"returned", "已退回"},
                                         {"recommended", "已推荐"}, {"not_recommended", "未推荐"}, {"under_review", "评审中"},
                                         {"decided", "已决定"}, {"withdrawn", "已撤回"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) if (s && !strcmp(s, map[i][0])) return map[i][1];
    return s ? s : "";
}

static const char *action_label(const char *s)
{
    static const char *const map[][2] = {{"create", "创建"}, {"save", "保存"}, {"submit", "报送"}, {"return", "退回"},
                                         {"withdraw", "撤回"}, {"recommend", "推荐"}, {"not_recommend", "不推荐"},
                                         {"decide", "决定"}, {"assign", "分配评审"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) if (s && !strcmp(s, map[i][0])) return map[i][1];
    return s ? s : "";
}

/* "2026-05-18T09:30:00+08:00" -> "2026-05-18 09:30" (Shanghai time, as stored), in buf. */
static const char *short_time(const char *t, char *buf, size_t n)
{
    snprintf(buf, n, "%.16s", t ? t : "");
    if (strlen(buf) > 10) buf[10] = ' ';
    return buf;
}

static void draw_head(flow *f)
{
    const entry_doc *d = f->d;
    const entry_rec *e = d->e;
    flow_text(f, d->call->title, 18, true, LEFT, WIDTH, 4);
    flow_text(f, e->title, 14, true, LEFT, WIDTH, 8);
    char *lines[4];
    lines[0] = g_strdup_printf("申报单位：%s", e->org_name);
    lines[1] = g_strdup_printf("状态：%s%s%s", status_label(e->status), e->late ? "（逾期）" : "",
                               e->recommended_up ? "（推荐上报）" : "");
    char at[24];
    lines[2] = g_strdup_printf("报送时间：%s", e->submitted_at ? short_time(e->submitted_at, at, sizeof at) : "未报送");
    lines[3] = e->subject_name ? g_strdup_printf("申报对象：%s", e->subject_name) : NULL;
    for (int i = 0; i < 4; i++) if (lines[i]) flow_text(f, lines[i], 10.5, false, LEFT, WIDTH, 0), g_free(lines[i]);
    f->y += 10;
    cairo_set_line_width(f->cr, 0.8);
    cairo_move_to(f->cr, LEFT, f->y), cairo_line_to(f->cr, LEFT + WIDTH, f->y), cairo_stroke(f->cr);
    f->y += 10;
}

static void draw_history(flow *f)
{
    const entry_doc *d = f->d;
    f->y += 8;
    flow_text(f, "办理记录", 13, true, LEFT, WIDTH, 4);
    const char *header[] = {"时间", "办理", "状态", "办理人", "说明"};
    table_row(f, header, 5, true, NULL);
    for (int i = 0; i < d->nsteps; i++) {
        const step_row *s = &d->steps[i];
        char *states = g_strdup_printf("%s → %s", s->from ? status_label(s->from) : "—", status_label(s->to));
        char at[24];
        const char *cells[] = {short_time(s->at, at, sizeof at), action_label(s->action), states, s->actor ? s->actor : "", s->reason ? s->reason : ""};
        table_row(f, cells, 5, false, header);
        g_free(states);
    }
}

static int draw(cairo_t *cr, const void *cls)
{
    flow *f = (flow *)cls;
    f->cr = cr, f->page = 1, f->y = TOP;
    cairo_set_source_rgb(cr, 0, 0, 0);
    draw_head(f);
    size_t k;
    json_t *def;
    json_array_foreach(f->d->form, k, def) draw_field(f, k, def);
    draw_history(f);
    footer(f);   /* pdf_a4_render shows the last page */
    return 0;
}

/* ---- reading ---- */

/* The name of a node field's org, or a person field's pool person (an id, not typed). */
static const char *name_of(db *c, arena *a, json_t *def, json_t *v)
{
    const char *type = json_string_value(json_object_get(def, "type"));
    const char *pk = json_string_value(json_object_get(def, "person_kind"));
    const char *sql = NULL;
    int64_t id = 0;
    int col = 0;
    const subject_pool *pool = calls_subject_pool(pk);
    if (!strcmp(type, "node") && json_is_integer(v)) sql = "SELECT name FROM orgs WHERE id = ?", id = json_integer_value(v);
    else if (!strcmp(type, "person") && json_is_integer(json_object_get(v, "id")) && pool) {
        sql = pool->row_sql, col = 1;   /* (org_id, name, ...) */
        id = json_integer_value(json_object_get(v, "id"));
    }
    if (!sql) return NULL;
    qb q;
    qb_init(&q, sql);
    qb_int(&q, id);
    db_stmt *s = qb_prepare(&q, c);
    const char *name = s && db_step(s) == DB_ROW ? arena_strdup(a, db_col_text(s, col)) : NULL;
    if (s) db_finish(s);
    return name;
}

static int read_steps(db *c, arena *a, int64_t entry_id, entry_doc *d)
{
    qb q;
    qb_init(&q, "SELECT at, action, from_status, to_status, actor_name, reason FROM call_entry_steps WHERE entry_id = ? ORDER BY id");
    qb_int(&q, entry_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    d->steps = arena_alloc(a, sizeof *d->steps * MAX_STEPS);
    int rc;
    while ((rc = db_step(s)) == DB_ROW && d->steps && d->nsteps < MAX_STEPS) {
        step_row *x = &d->steps[d->nsteps++];
        const char **cols[] = {&x->at, &x->action, &x->from, &x->to, &x->actor, &x->reason};
        for (int i = 0; i < 6; i++) *cols[i] = db_col_text(s, i) ? arena_strdup(a, db_col_text(s, i)) : NULL;
    }
    db_finish(s);
    return !d->steps ? DB_ERR : rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Whether p reviews the call (a reviewer of a blind call never reads its entries' names). */
static bool reviews_call(db *c, const principal *p, int64_t call_id)
{
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM call_reviewers WHERE call_id = ? AND user_id = ?");
    qb_int(&q, call_id), qb_int(&q, p->user_id);
    return qb_exec(c, &q, &one) == DB_OK && one == 1;
}

static bool blind(const call_rec *call)
{
    json_t *rv = call->review ? json_loads(call->review, 0, NULL) : NULL;
    bool b = json_is_true(json_object_get(rv, "blind"));
    json_decref(rv);
    return b;
}

static int read_doc(db *c, const principal *p, arena *a, int64_t id, entry_rec *e, call_rec *call, entry_doc *d)
{
    int rc = entity_get(c, &call_entry_entity, &p->scope, a, id, e);
    /* the entry was read within the caller's scope: its call is the one it belongs to */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &call_entity, a, e->call_id, call);
    if (rc == DB_OK && blind(call) && reviews_call(c, p, call->id)) rc = ENTRY_NOT_FOUND;
    if (rc != DB_OK) return rc;
    d->call = call, d->e = e;
    d->form = json_loads(call->form ? call->form : "[]", 0, NULL);
    d->values = json_loads(e->values ? e->values : "{}", 0, NULL);
    d->figures = json_loads(e->figures ? e->figures : "{}", 0, NULL);
    size_t n = json_array_size(d->form), k;
    json_t *def;
    d->names = arena_alloc(a, sizeof *d->names * (n + 1));
    if (!d->names) return DB_ERR;
    json_array_foreach(d->form, k, def)
        d->names[k] = name_of(c, a, def, json_object_get(d->values, json_string_value(json_object_get(def, "key"))));
    return read_steps(c, a, id, d);
}

static void handle_pdf(request *r)
{
    int64_t id;
    entry_rec e;
    call_rec call;
    entry_doc d = {0};
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    int rc = c ? read_doc(c, r->principal, &r->arena, id, &e, &call, &d) : DB_ERR;
    char *pdf = NULL;
    size_t len = 0;
    if (rc == DB_OK) {
        /* the first drawing counts the pages, the second numbers them "x / total" */
        flow f = {.d = &d};
        if (pdf_a4_render(call.title, draw, &f, &pdf, &len) != 0) rc = DB_ERR;
        free(pdf), pdf = NULL;
        int total = f.page;
        f = (flow){.d = &d, .total = total};
        if (rc == DB_OK && pdf_a4_render(call.title, draw, &f, &pdf, &len) != 0) rc = DB_ERR;
    }
    json_decref(d.form), json_decref(d.values), json_decref(d.figures);
    if (rc == DB_ERR && d.e) { reply_error(r, 500, "internal", NULL, "申报书生成失败 / the entry could not be drawn"); return; }
    if (rc != DB_OK) { entity_reply_error(r, &call_entry_entity, rc); return; }
    reply_body(r, 200, pdf, len, "application/pdf");
    reply_header(r, "Content-Disposition", arena_printf(&r->arena, "attachment; filename=\"entry-%lld.pdf\"", (long long)id));
}

static const struct route pdf_routes[] = {
    {"GET", "/api/v1/entries/:id/entry.pdf", handle_pdf, RANK_STAFF, 0,
     .summary = "An entry printed as a multi-page A4 PDF (申报书): fields in the form's order, history, page numbers",
     .entity = &call_entry_entity},
    {0},
};

void entry_pdf_register_routes(void) { router_add_table(pdf_routes); }
