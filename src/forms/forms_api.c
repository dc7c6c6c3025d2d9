/* forms_api.c - HTTP handlers of report forms (docs/api.md: forms). */
#include "forms/forms.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "io/export.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

/* fields: 1..30 of {"key","label","metric"}, keys unique; returns the JSON text (arena). */
static bool read_fields(request *r, const char **out)
{
    json_t *v = json_object_get(r->json, "fields");
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > FORM_MAX_FIELDS) {
        reply_error(r, 422, "invalid_field", "fields", "fields 应为 1 至 %d 个字段 / 1 to %d fields", FORM_MAX_FIELDS, FORM_MAX_FIELDS);
        return false;
    }
    json_t *clean = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        const char *key = json_string_value(json_object_get(e, "key"));
        const char *label = json_string_value(json_object_get(e, "label"));
        const char *metric = json_string_value(json_object_get(e, "metric"));
        bool dup = false;
        for (size_t k = 0; k < i && key; k++)
            dup |= !strcmp(key, json_string_value(json_object_get(json_array_get(clean, k), "key")));
        if (!json_is_object(e) || json_object_size(e) != 3 || !valid_key_code(key) || dup || !valid_name(label, 50) ||
            !metric || stats_metric_index(metric) < 0) {
            json_decref(clean);
            reply_error(r, 422, "invalid_field", "fields",
                        "第 %zu 个字段须有唯一 key（小写字母、数字、_）、label 和已知 metric / field %zu: unique key, label, known metric",
                        i + 1, i + 1);
            return false;
        }
        json_array_append_new(clean, json_pack("{s:s, s:s, s:s}", "key", key, "label", label, "metric", metric));
    }
    char *text = json_dumps(clean, JSON_COMPACT);
    *out = arena_strdup(&r->arena, text);
    free(text);
    json_decref(clean);
    return true;
}

bool form_input(request *r, void *rec, bool creating)
{
    (void)creating;
    return read_fields(r, &((form *)rec)->fields);
}

/* The end of a handler that wrote its answer into w: rc's error from e's table, else w. */
static void reply_written(request *r, jw *w, int rc, const entity *e)
{
    if (rc != DB_OK) { jw_free(w); entity_reply_error(r, e, rc); return; }
    reply_jw(r, 200, w);
}

static void handle_list(request *r)
{
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    jw w;
    int64_t total = 0;
    qb where;
    qb_init(&where, "");
    jw_list_open(&w);
    entity_list_where(c, &form_entity, &r->principal->scope, &r->arena, 0, &where);   /* no org_id: cannot fail */
    /* forms are few (a handful per level): one page holds them all */
    int rc = entity_list_page(c, &form_entity, &where, NULL, 10000, 0, &r->arena, &w, &total, NULL, NULL);
    if (rc == DB_OK) jw_key(&w, "total"), jw_int(&w, total), jw_obj_end(&w);
    reply_written(r, &w, rc, &form_entity);
}

/* The form of path parameter 0 in the caller's scope, and the connection: NULL after replying. */
static db *load_form(request *r, form *f)
{
    int64_t id;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return NULL;
    int rc = c ? entity_get(c, &form_entity, &r->principal->scope, &r->arena, id, f) : DB_ERR;
    if (rc != DB_OK) entity_reply_error(r, &form_entity, rc);
    return rc == DB_OK ? c : NULL;
}

/* The period must be of the form's type: 2026-05 (month), 2026Q2 (quarter), 2026 (year). */
static bool read_form_period(request *r, const form *f, const char *text, period *p)
{
    size_t n = text ? strlen(text) : 0;
    bool shape = !strcmp(f->period_type, "month") ? n == 7 && text[4] == '-'
               : !strcmp(f->period_type, "quarter") ? n == 6 && text[4] == 'Q' : n == 4;
    if (!shape || !period_parse(text, p)) {
        reply_error(r, 422, "invalid_field", "period", "期间须为本表的%s格式 / period must be a %s",
                    !strcmp(f->period_type, "month") ? "月（2026-05）" : !strcmp(f->period_type, "quarter") ? "季度（2026Q2）" : "年（2026）",
                    f->period_type);
        return false;
    }
    return true;
}

/* What both completeness answers read: the form, its period, the deadline and today. */
typedef struct completeness_request {
    db *c;
    form f;
    const char *period_text;
    char deadline[11], today[32];
} completeness_request;

static bool read_completeness_request(request *r, completeness_request *q)
{
    period p;
    q->period_text = req_query(r, "period");
    if (!(q->c = load_form(r, &q->f)) || !read_form_period(r, &q->f, q->period_text, &p)) return false;
    day_add(p.to, (int)q->f.deadline_days, q->deadline);
    time_now_rfc3339(q->today);
    q->today[10] = 0;
    return true;
}

static void handle_completeness(request *r)
{
    completeness_request q;
    if (!read_completeness_request(r, &q)) return;
    jw w;
    jw_init(&w);
    reply_written(r, &w, forms_completeness(q.c, r->principal, &r->arena, &q.f, q.period_text, q.deadline, q.today, &w),
                  &form_entity);
}

static void completeness_row_xlsx(const completeness_row *row, void *cls)
{
    static const char *const status_names[][2] = {{"submitted", "已提交"}, {"draft", "草稿"}, {"returned", "已退回"},
                                                   {"missing", "未填报"}};
    xlsx *x = cls;
    const char *status = row->status;
    for (size_t i = 0; i < sizeof status_names / sizeof *status_names; i++)
        if (!strcmp(row->status, status_names[i][0])) status = status_names[i][1];
    xlsx_text(x, 0, row->name);
    xlsx_text(x, 1, status);
    xlsx_time(x, 2, row->submitted_at ? row->submitted_at : "");
    xlsx_text(x, 3, row->submitted ? (row->on_time ? "按时" : "逾期") : row->overdue ? "已逾期未报" : "");
    xlsx_int(x, 4, row->submitted);
    xlsx_next_row(x);
}

/* The completeness table of one period as Excel: unit, status, time, timeliness; totals row
 * counts the submitted units. */
static void handle_completeness_export(request *r)
{
    static const xlsx_col cols[] = {{"单位", 28}, {"状态", 10}, {"提交时间", 20}, {"及时性", 12}, {"已提交", 8}};
    completeness_request q;
    if (!read_completeness_request(r, &q)) return;
    const char *title = arena_printf(&r->arena, "%s　期次 %s 填报完成情况（截止 %s）", q.f.title, q.period_text, q.deadline);
    xlsx *x = xlsx_open_table(q.period_text, title, cols, 5);
    if (!x) { reply_export_failed(r); return; }
    if (forms_completeness_each(q.c, r->principal, &r->arena, &q.f, q.period_text, q.deadline, q.today,
                                completeness_row_xlsx, x) != DB_OK) {
        xlsx_abort(x);
        reply_db_error(r);
        return;
    }
    xlsx_totals_row(x, "合计", 4);
    xlsx_reply(x, r, arena_printf(&r->arena, "%s-%s-完成情况.xlsx", q.f.title, q.period_text));
}

/* GET /forms/:id/reports?org_id=&period=: the reports the caller may see (org_id: that unit's,
 * 404 outside the scope), with their values, newest period first, at most 1000. */
static void handle_list_reports(request *r)
{
    form f;
    period p;
    int64_t org_id = 0;
    bool has;
    qb where;
    db *c;
    const char *ptext = req_query(r, "period");
    if (!(c = load_form(r, &f)) || !query_id(r, "org_id", &org_id, &has)) return;
    if ((ptext && *ptext && !read_form_period(r, &f, ptext, &p)) || !entity_request_where(r, c, &report_entity, &where))
        return;
    qb_sql(&where, " AND s.form_id = ?"), qb_int(&where, f.id);
    if (org_id) qb_sql(&where, " AND s.org_id = ?"), qb_int(&where, org_id);
    if (ptext && *ptext) qb_sql(&where, " AND s.period = ?"), qb_text(&where, ptext);
    jw w;
    jw_list_open(&w);
    int rc = entity_list_all(c, &report_entity, &where, " ORDER BY s.period DESC, s.org_id LIMIT 1000", &r->arena, &w,
                             NULL, NULL);
    if (rc == DB_OK) jw_obj_end(&w);
    reply_written(r, &w, rc, &report_entity);
}

/* values: {"key": n} with keys of the form's fields and counts 0..100,000,000. */
static bool read_values(request *r, const form *f, json_t **out)
{
    json_t *v = json_object_get(r->json, "values");
    if (!json_is_object(v)) {
        reply_error(r, 422, "required", "values", "缺少 values / values is required");
        return false;
    }
    json_t *defs = json_loads(f->fields, 0, NULL);
    const char *key;
    json_t *n;
    json_object_foreach(v, key, n) {
        bool known = false;
        size_t i;
        json_t *d;
        json_array_foreach(defs, i, d) known |= !strcmp(key, json_string_value(json_object_get(d, "key")));
        const char *at = arena_printf(&r->arena, "values.%s", key);
        if (!known || !json_is_integer(n) || json_integer_value(n) < 0 || json_integer_value(n) > 100000000) {
            json_decref(defs);
            if (known) reply_error(r, 422, "invalid_field", at, "数值应为 0 至 100000000 的整数 / an integer 0 to 100,000,000");
            else reply_error(r, 422, "unknown_field", at, "本表没有这个字段 / no such field in this form");
            return false;
        }
    }
    json_decref(defs);
    *out = v;
    return true;
}

static void handle_save_report(request *r)
{
    static const char *const allowed[] = {"org_id", "period", "values", "submit", NULL};
    form f;
    period p;
    int64_t org_id = 0;
    const char *ptext = NULL;
    bool submit = false, has_submit;
    json_t *values;
    db *c;
    if (!(c = load_form(r, &f)) || !body_allow_fields(r, allowed, NULL) || !body_int(r, "org_id", true, &org_id, NULL) ||
        !body_string(r, "period", true, &ptext) || !read_form_period(r, &f, ptext, &p) ||
        !read_values(r, &f, &values) || !body_bool(r, "submit", &submit, &has_submit))
        return;
    jw w;
    jw_init(&w);
    reply_written(r, &w, forms_save_report(c, r->principal, &r->arena, &f, org_id, ptext, p.from, values, submit, &w),
                  &form_entity);
}

static void handle_return_report(request *r)
{
    static const char *const allowed[] = {"reason", NULL};
    form f;
    int64_t sid;
    const char *reason;
    db *c;
    if (!(c = load_form(r, &f)) || !param_id(r, 1, &sid) || !body_allow_fields(r, allowed, NULL) ||
        !body_name(r, "reason", true, 200, &reason))
        return;
    jw w;
    jw_init(&w);
    reply_written(r, &w, forms_return_report(c, r->principal, &r->arena, &f, sid, reason, &w), &form_entity);
}

static const struct route form_routes[] = {
    {"GET", "/api/v1/forms", handle_list, RANK_MEMBER, 0, .summary = "Report forms (定期报表) visible to the caller", .entity = &form_entity},
    {"POST", "/api/v1/forms", entity_handle_create, RANK_ORG_ADMIN, 0, .summary = "Create a report form", .entity = &form_entity},
    {"GET", "/api/v1/forms/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "One report form", .entity = &form_entity},
    {"GET", "/api/v1/forms/:id/completeness", handle_completeness, RANK_STAFF, 0, .summary = "Completeness (完成情况) of a form for a period"},
    {"GET", "/api/v1/forms/:id/completeness/export.xlsx", handle_completeness_export, RANK_STAFF, 0, .summary = "Export the completeness table as Excel"},
    {"GET", "/api/v1/forms/:id/reports", handle_list_reports, RANK_STAFF, 0, .summary = "Reports (报表) of a form the caller may see", .entity = &report_entity},
    {"POST", "/api/v1/forms/:id/reports", handle_save_report, RANK_STAFF, 0, .summary = "Save, or submit (上报), a unit's report for a period", .entity = &report_entity},
    {"POST", "/api/v1/forms/:id/reports/:sid/return", handle_return_report, RANK_ORG_ADMIN, 0, .summary = "Return (退回) a submitted report to its unit", .entity = &report_entity},
    {0},
};

void forms_register_routes(void)
{
    router_add_table(form_routes);
    forms_init();
}
