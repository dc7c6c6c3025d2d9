/* forms.c - report forms and their submissions (see forms.h). */
#include "forms/forms.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char stats_source[] =
    "SELECT org_path, period_day AS day, NULL AS kind, NULL AS audience, activities, participants, materials, videos, views, "
    "volunteers, volunteer_hours, funds FROM report_submissions WHERE status = 'submitted'";

const char *const form_period_types[] = {"month", "quarter", "year", NULL};

void forms_init(void)
{
    stats_register_source("report_forms", stats_source);
    orgs_track_path_column("report_forms", "org_path");
    orgs_track_path_column("report_submissions", "org_path");
}

/* A form is visible to its owner's scope (it and its upper levels manage it) and to the units
 * below the owner (they fill it): the owner's path is then a prefix of one of the scope's. */
static void form_scope(const scope *sc, qb *q)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, " AND (1 = 0");
    for (int i = 0; i < sc->n; i++) qb_sql(q, " OR substr(?, 1, length(f.org_path)) = f.org_path"), qb_text(q, sc->paths[i]);
    qb_sql(q, " OR (1 = 1");
    scope_filter(sc, q, "f.org_path");
    qb_sql(q, "))");
}

#define F(member) offsetof(form, member)
static const field form_fields[] = {
    {"id", "f.id", FT_ID, F(id), .flags = 0},
    {"org_id", "f.org_id", FT_ID, F(org_id), .flags = FF_CREATE | FF_REQUIRED, .doc = "the owner: its units of filler_type fill it"},
    {"org_path", "f.org_path", FT_TEXT, F(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, F(org_name), .flags = 0},
    {"title", "f.title", FT_TEXT, F(title), .flags = FF_CREATE | FF_REQUIRED, .max = 100, .example = "\"区县月度科普工作报表\""},
    {"period_type", "f.period_type", FT_ENUM, F(period_type), .flags = FF_CREATE | FF_REQUIRED, .choices = form_period_types},
    {"filler_type", "f.filler_type", FT_ENUM, F(filler_type), .flags = FF_CREATE | FF_REQUIRED, .choices = org_types},
    {"deadline_days", "f.deadline_days", FT_INT, F(deadline_days), .flags = FF_CREATE | FF_REQUIRED, .min = 0, .max = 365,
     .doc = "days after the period's end"},
    {"fields", "f.fields", FT_JSON, F(fields), .flags = FF_CREATE | FF_REQUIRED | FF_BODY_OWN,
     .doc = "1 to 30 of {\"key\", \"label\", \"metric\"}, keys unique"},
    {"active", "f.active", FT_BOOL, F(active), .flags = 0},
    {"created_at", "f.created_at", FT_TIME, F(created_at), .flags = 0},
    {"updated_at", "f.updated_at", FT_TIME, F(updated_at), .flags = 0},
    {0},
};
#undef F

static const error_row form_errors[] = {
    {FORM_ORG_NOT_FOUND, 404, "not_found", "org_id", "单位不存在或不是本表的填报单位 / unit not found or not a filler of this form"},
    {FORM_LOCKED, 409, "report_locked", NULL, "报表已上报，须由上级退回后才能修改 / submitted: it can change only after the upper level returns it"},
    {FORM_NOT_SUBMITTED, 409, "report_not_submitted", NULL, "只能退回已上报的报表 / only a submitted report can be returned"},
    {FORM_OWN_REPORT, 403, "forbidden", NULL, "报表须由上级退回 / only an upper level returns a report"},
    {0},
};

entity form_entity = {
    .name = "report_form",
    .doc = "A periodic report form (定期报表): fields mapped to metrics, filled by the units below its owner",
    .from = " FROM report_forms f JOIN orgs o ON o.id = f.org_id",
    .id_column = "f.id",
    .path_column = "f.org_path",
    .scope_rule = form_scope,
    .order = " ORDER BY f.id",
    .size = sizeof(form),
    .fields = form_fields,
    .not_found = FORM_NOT_FOUND,
    .org_not_found = FORM_ORG_NOT_FOUND,
    .errors = form_errors,
    .create = forms_create,
    .input = form_input,
};

/* A unit's report for a period. */
typedef struct submission {
    int64_t id, form_id, org_id;
    const char *org_name, *org_path, *period, *period_day, *field_values, *status, *submitted_at, *reason, *updated_at;
    stats_values figures;
} submission;

#define S(member) offsetof(submission, member)
#define FIGURE(name, m) {name, "s." name, FT_INT, S(figures.v[m]), .flags = FF_HIDDEN}
static const field submission_fields[] = {
    {"id", "s.id", FT_ID, S(id), .flags = 0},
    {"form_id", "s.form_id", FT_ID, S(form_id), .flags = 0},
    {"org_id", "s.org_id", FT_ID, S(org_id), .flags = 0},
    {"org_name", "o.name", FT_TEXT, S(org_name), .flags = 0},
    {"org_path", "s.org_path", FT_TEXT, S(org_path), .flags = FF_HIDDEN},
    {"period", "s.period", FT_TEXT, S(period), .flags = 0},
    {"period_day", "s.period_day", FT_DAY, S(period_day), .flags = FF_HIDDEN},
    {"values", "s.field_values", FT_JSON, S(field_values), .flags = 0, .doc = "{\"key\": n} as filled"},
    {"status", "s.status", FT_ENUM, S(status), .flags = 0, .choices = (const char *const[]){"draft", "submitted", "returned", NULL}},
    {"submitted_at", "s.submitted_at", FT_TIME, S(submitted_at), .flags = 0},
    {"returned_reason", "s.returned_reason", FT_TEXT, S(reason), .flags = 0},
    FIGURE("activities", M_ACTIVITIES), FIGURE("participants", M_PARTICIPANTS), FIGURE("materials", M_MATERIALS),
    FIGURE("videos", M_VIDEOS), FIGURE("views", M_VIEWS), FIGURE("volunteers", M_VOLUNTEERS),
    FIGURE("volunteer_hours", M_VOLUNTEER_HOURS), FIGURE("funds", M_FUNDS),
    {"updated_at", "s.updated_at", FT_TIME, S(updated_at), .flags = 0},
    {0},
};
#undef FIGURE
#undef S

/* A report is visible where its unit is. */
entity report_entity = {
    .name = "report",
    .doc = "A unit's report (报表) for one period of a form",
    .from = " FROM report_submissions s JOIN orgs o ON o.id = s.org_id",
    .id_column = "s.id",
    .path_column = "s.org_path",
    .order = " ORDER BY s.period DESC, s.org_id",
    .size = sizeof(submission),
    .fields = submission_fields,
    .not_found = FORM_NOT_FOUND,
    .org_not_found = FORM_ORG_NOT_FOUND,
    .errors = form_errors,
};

struct create_args { const principal *p; arena *a; const form *in; form *out; };

static int create_cb(db *c, void *cls)
{
    struct create_args *x = cls;
    const char *owner_path = NULL;
    int rc = entity_org_path(c, &x->p->scope, x->a, x->in->org_id, FORM_ORG_NOT_FOUND, &owner_path);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"org_path", .text = owner_path}, {"created_by", .i = x->p->user_id, .is_int = true},
                           {"created_at", .text = now}, {"updated_at", .text = now}, {0}};
    int64_t id = 0;
    if ((rc = entity_store(c, &form_entity, "report_forms", 0, x->in, more, x->a, &id)) != DB_OK) return rc;
    if ((rc = entity_get(c, &form_entity, &x->p->scope, x->a, id, x->out)) != DB_OK) return rc;
    json_t *after = json_pack("{s:s, s:s, s:s, s:I}", "title", x->out->title, "period_type", x->out->period_type,
                              "filler_type", x->out->filler_type, "deadline_days", (json_int_t)x->out->deadline_days);
    rc = audit_record(c, actor_of(x->p), owner_path, "report_form", id, "create", NULL, after);
    json_decref(after);
    return rc;
}

int forms_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    struct create_args x = {p, a, in, out};
    return db_transaction(c, create_cb, &x);
}

/* The report of unit org_id for a period, or report id of form form_id, within the caller's scope. */
static int find_submission(db *c, const principal *p, arena *a, int64_t form_id, int64_t org_id, const char *period_text,
                           int64_t id, submission *out)
{
    qb q;
    qb_init(&q, " AND s.form_id = ?");
    qb_int(&q, form_id);
    if (id) qb_sql(&q, " AND s.id = ?"), qb_int(&q, id);
    else qb_sql(&q, " AND s.org_id = ? AND s.period = ?"), qb_int(&q, org_id), qb_text(&q, period_text);
    return entity_get_where(c, &report_entity, &p->scope, a, &q, out);
}

/* Sums the filled values into the metrics the form's fields map to. */
static void figures_of(const form *f, json_t *fields, stats_values *out)
{
    memset(out, 0, sizeof *out);
    json_t *defs = json_loads(f->fields, 0, NULL);
    size_t i;
    json_t *d;
    json_array_foreach(defs, i, d) {
        int m = stats_metric_index(json_string_value(json_object_get(d, "metric")));
        json_t *v = json_object_get(fields, json_string_value(json_object_get(d, "key")));
        if (m >= 0 && json_is_integer(v)) out->v[m] += json_integer_value(v);
    }
    json_decref(defs);
}

struct report_args {
    const principal *p;
    arena *a;
    const form *f;
    int64_t org_id, submission_id;
    const char *period, *period_day, *reason;
    json_t *fields;
    bool submit;
    jw *out;
};

/* The filling unit must be of the form's type, below its owner, and in the caller's scope. */
static int check_unit(db *c, const struct report_args *x, org *unit)
{
    int rc = orgs_get(c, x->p, x->a, x->org_id, unit);
    if (rc == ORGS_NOT_FOUND) return FORM_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    if (strcmp(unit->type, x->f->filler_type) != 0 ||
        strncmp(unit->path, x->f->org_path, strlen(x->f->org_path)) != 0)
        return FORM_ORG_NOT_FOUND;
    return DB_OK;
}

static int save_cb(db *c, void *cls)
{
    struct report_args *x = cls;
    org unit;
    submission before, after;
    int rc = check_unit(c, x, &unit);
    if (rc != DB_OK) return rc;
    rc = find_submission(c, x->p, x->a, x->f->id, unit.id, x->period, 0, &before);
    bool exists = rc == DB_OK;
    if (rc != DB_OK && rc != FORM_NOT_FOUND) return rc;
    if (exists && !strcmp(before.status, "submitted")) return FORM_LOCKED;
    stats_values fig;
    figures_of(x->f, x->fields, &fig);
    char now[32], *text = json_dumps(x->fields, JSON_COMPACT | JSON_SORT_KEYS);
    time_now_rfc3339(now);
    /* the figures' columns are the metrics' names; an update ends the list before form_id */
    entity_value more[20] = {{"field_values", .text = text}, {"submitted_at", .text = x->submit ? now : NULL},
                             {"status", .text = x->submit ? "submitted" : exists ? before.status : "draft"},
                             {"updated_at", .text = now}, [12] = {"form_id", .i = x->f->id, .is_int = true},
                             {"org_id", .i = unit.id, .is_int = true}, {"org_path", .text = unit.path},
                             {"period", .text = x->period}, {"period_day", .text = x->period_day},
                             {"created_by", .i = x->p->user_id, .is_int = true}, {"created_at", .text = now}};
    for (int m = 0; m < STATS_NMETRICS; m++) more[4 + m] = (entity_value){stats_metric_names[m], .i = fig.v[m], .is_int = true};
    if (exists) more[12].column = NULL;
    rc = entity_store(c, &report_entity, "report_submissions", exists ? before.id : 0, NULL, more, x->a, NULL);
    free(text);
    if (rc != DB_OK) return rc;
    if (x->submit) rc = stats_add(c, unit.path, x->period_day, NULL, NULL, &fig, +1);
    if (rc == DB_OK) rc = find_submission(c, x->p, x->a, x->f->id, unit.id, x->period, 0, &after);
    if (rc == DB_OK) {
        json_t *change = json_pack("{s:s, s:s, s:O}", "period", x->period, "status", after.status, "values", x->fields);
        rc = audit_record(c, actor_of(x->p), unit.path, "report", after.id, x->submit ? "submit" : "save", NULL, change);
        json_decref(change);
    }
    if (rc == DB_OK) entity_write(x->out, &report_entity, &after);
    return rc;
}

int forms_save_report(db *c, const principal *p, arena *a, const form *f, int64_t org_id, const char *period_text,
                      const char *period_day, json_t *fields, bool submit, jw *out)
{
    struct report_args x = {p, a, f, org_id, 0, period_text, period_day, NULL, fields, submit, out};
    return db_transaction(c, save_cb, &x);
}

static int return_cb(db *c, void *cls)
{
    struct report_args *x = cls;
    submission sub, after;
    int rc = find_submission(c, x->p, x->a, x->f->id, 0, NULL, x->submission_id, &sub);
    if (rc != DB_OK) return rc;
    /* Only an upper level returns: the caller's own unit cannot unlock its report. */
    if (!strcmp(x->p->org_path, sub.org_path)) return FORM_OWN_REPORT;
    if (strcmp(sub.status, "submitted") != 0) return FORM_NOT_SUBMITTED;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"status", .text = "returned"}, {"returned_reason", .text = x->reason},
                           {"updated_at", .text = now}, {0}};
    rc = entity_store(c, &report_entity, "report_submissions", sub.id, NULL, more, x->a, NULL);
    if (rc == DB_OK) rc = stats_add(c, sub.org_path, sub.period_day, NULL, NULL, &sub.figures, -1);
    if (rc == DB_OK) rc = find_submission(c, x->p, x->a, x->f->id, 0, NULL, sub.id, &after);
    if (rc == DB_OK) {
        json_t *change = json_pack("{s:s, s:s}", "status", "returned", "returned_reason", x->reason);
        rc = audit_record(c, actor_of(x->p), sub.org_path, "report", sub.id, "return", NULL, change);
        json_decref(change);
    }
    if (rc == DB_OK) entity_write(x->out, &report_entity, &after);
    return rc;
}

int forms_return_report(db *c, const principal *p, arena *a, const form *f, int64_t submission_id,
                        const char *reason, jw *out)
{
    struct report_args x = {p, a, f, 0, submission_id, NULL, NULL, reason, NULL, false, out};
    return db_transaction(c, return_cb, &x);
}

int forms_completeness_each(db *c, const principal *p, arena *a, const form *f, const char *period_text,
                            const char *deadline, const char *today, completeness_cb cb, void *cls)
{
    qb q;
    qb_init(&q, "SELECT o.id, o.name, s.id, s.status, s.submitted_at FROM orgs o LEFT JOIN report_submissions s "
                "ON s.org_id = o.id AND s.form_id = ? AND s.period = ? WHERE o.type = ?");
    qb_int(&q, f->id);
    qb_text(&q, period_text);
    qb_text(&q, f->filler_type);
    qb_subtree(&q, a, "o.path", f->org_path);
    scope_filter(&p->scope, &q, "o.path");
    qb_sql(&q, " ORDER BY o.id");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        completeness_row row;
        row.org_id = db_col_int(s, 0);
        row.name = db_col_text(s, 1);
        row.submission_id = db_col_null(s, 2) ? 0 : db_col_int(s, 2);
        row.status = db_col_null(s, 3) ? "missing" : db_col_text(s, 3);
        row.submitted_at = db_col_text(s, 4);
        row.submitted = !strcmp(row.status, "submitted");
        /* On time: submitted on or before the deadline day (Shanghai dates compare as text). */
        row.on_time = row.submitted && row.submitted_at && strncmp(row.submitted_at, deadline, 10) <= 0;
        row.overdue = !row.submitted && strcmp(today, deadline) > 0;
        cb(&row, cls);
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

struct completeness_json {
    jw *out;
    int64_t units, submitted, on_time, missing;
};

static void completeness_row_json(const completeness_row *row, void *cls)
{
    struct completeness_json *cj = cls;
    jw *out = cj->out;
    cj->units++;
    cj->submitted += row->submitted;
    cj->on_time += row->on_time;
    cj->missing += !row->submitted;
    jw_obj(out);
    jw_key(out, "org_id"), jw_int(out, row->org_id);
    jw_key(out, "name"), jw_str(out, row->name);
    jw_key(out, "submission_id"), jw_int_or_null(out, row->submission_id);
    jw_key(out, "status"), jw_str(out, row->status);
    jw_key(out, "submitted_at"), jw_str(out, row->submitted_at);
    jw_key(out, "on_time"), jw_bool(out, row->on_time);
    jw_key(out, "overdue"), jw_bool(out, row->overdue);
    jw_obj_end(out);
}

int forms_completeness(db *c, const principal *p, arena *a, const form *f, const char *period_text,
                       const char *deadline, const char *today, jw *out)
{
    struct completeness_json cj = {out, 0, 0, 0, 0};
    jw_obj(out);
    jw_key(out, "form_id"), jw_int(out, f->id);
    jw_key(out, "period"), jw_str(out, period_text);
    jw_key(out, "deadline"), jw_str(out, deadline);
    jw_key(out, "units");
    jw_arr(out);
    int rc = forms_completeness_each(c, p, a, f, period_text, deadline, today, completeness_row_json, &cj);
    jw_arr_end(out);
    if (rc != DB_OK) return rc;
    jw_key(out, "units_total"), jw_int(out, cj.units);
    jw_key(out, "submitted"), jw_int(out, cj.submitted);
    jw_key(out, "on_time"), jw_int(out, cj.on_time);
    jw_key(out, "missing"), jw_int(out, cj.missing);
    jw_obj_end(out);
    return DB_OK;
}
