/* forms.c - report forms and their submissions (see forms.h). */
#include "forms/forms.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include <stdlib.h>
#include <string.h>

#define FORM_COLS "f.id, f.org_id, f.org_path, o.name, f.title, f.period_type, f.filler_type, f.deadline_days, " \
                  "f.fields, f.active, f.created_at, f.updated_at"
#define SUB_COLS "s.id, s.form_id, s.org_id, o.name, s.org_path, s.period, s.period_day, s.field_values, s.status, " \
                 "s.submitted_at, s.returned_reason, s.activities, s.participants, s.materials, s.videos, s.views, " \
                 "s.volunteers, s.volunteer_hours, s.funds, s.updated_at"

static const char stats_source[] =
    "SELECT org_path, period_day AS day, NULL AS kind, NULL AS audience, activities, participants, materials, videos, views, "
    "volunteers, volunteer_hours, funds FROM report_submissions WHERE status = 'submitted'";

void forms_init(void)
{
    stats_register_source(stats_source);
    orgs_track_path_column("report_forms", "org_path");
    orgs_track_path_column("report_submissions", "org_path");
}

static void read_form(db_stmt *s, arena *a, form *f)
{
    f->id = db_col_int(s, 0);
    f->org_id = db_col_int(s, 1);
    f->org_path = arena_strdup(a, db_col_text(s, 2));
    f->org_name = arena_strdup(a, db_col_text(s, 3));
    f->title = arena_strdup(a, db_col_text(s, 4));
    f->period_type = arena_strdup(a, db_col_text(s, 5));
    f->filler_type = arena_strdup(a, db_col_text(s, 6));
    f->deadline_days = db_col_int(s, 7);
    f->fields = arena_strdup(a, db_col_text(s, 8));
    f->active = db_col_int(s, 9) != 0;
    f->created_at = arena_strdup(a, db_col_text(s, 10));
    f->updated_at = arena_strdup(a, db_col_text(s, 11));
}

/* Copies stored JSON text (written by us) into the stream as a value. */
static void write_json_text(jw *w, const char *text)
{
    json_t *j = json_loads(text ? text : "null", JSON_DECODE_ANY, NULL);
    char *again = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    jw_raw(w, again ? again : "null");
    free(again);
    json_decref(j);
}

void form_write(jw *w, const form *f)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, f->id);
    jw_key(w, "org_id"), jw_int(w, f->org_id);
    jw_key(w, "org_name"), jw_str(w, f->org_name);
    jw_key(w, "title"), jw_str(w, f->title);
    jw_key(w, "period_type"), jw_str(w, f->period_type);
    jw_key(w, "filler_type"), jw_str(w, f->filler_type);
    jw_key(w, "deadline_days"), jw_int(w, f->deadline_days);
    jw_key(w, "fields"), write_json_text(w, f->fields);
    jw_key(w, "active"), jw_bool(w, f->active);
    jw_key(w, "created_at"), jw_str(w, f->created_at);
    jw_key(w, "updated_at"), jw_str(w, f->updated_at);
    jw_obj_end(w);
}

/* Visible: the owner is in scope (it and its upper levels manage the form), or the caller sits
 * below the owner (its units fill it). */
static bool form_visible(const principal *p, const form *f)
{
    if (scope_covers(&p->scope, f->org_path)) return true;
    size_t n = strlen(f->org_path);
    for (int i = 0; i < p->scope.n; i++)
        if (!strncmp(p->scope.paths[i], f->org_path, n)) return true;
    return false;
}

int forms_get(db *c, const principal *p, arena *a, int64_t id, form *out)
{
    db_stmt *s = db_prepare(c, "SELECT " FORM_COLS " FROM report_forms f JOIN orgs o ON o.id = f.org_id WHERE f.id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) read_form(s, a, out);
    db_finish(s);
    if (rc == DB_DONE || (rc == DB_ROW && !form_visible(p, out))) return FORM_NOT_FOUND;
    return rc == DB_ROW ? DB_OK : rc;
}

int forms_list(db *c, const principal *p, arena *a, jw *items, int64_t *total)
{
    /* Forms are few (a handful per level): read them all, keep the visible ones. */
    db_stmt *s = db_prepare(c, "SELECT " FORM_COLS " FROM report_forms f JOIN orgs o ON o.id = f.org_id ORDER BY f.id");
    if (!s) return DB_ERR;
    form f;
    int rc;
    *total = 0;
    jw_arr(items);
    while ((rc = db_step(s)) == DB_ROW) {
        read_form(s, a, &f);
        if (!form_visible(p, &f)) continue;
        form_write(items, &f);
        ++*total;
    }
    jw_arr_end(items);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

struct create_args { const principal *p; arena *a; const form *in; form *out; };

static int create_cb(db *c, void *cls)
{
    struct create_args *x = cls;
    org owner;
    int rc = orgs_get(c, x->p, x->a, x->in->org_id, &owner);
    if (rc == ORGS_NOT_FOUND) return FORM_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "INSERT INTO report_forms (org_id, org_path, title, period_type, filler_type, "
                               "deadline_days, fields, created_by, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, owner.id);
    db_bind_text(s, 2, owner.path);
    db_bind_text(s, 3, x->in->title);
    db_bind_text(s, 4, x->in->period_type);
    db_bind_text(s, 5, x->in->filler_type);
    db_bind_int(s, 6, x->in->deadline_days);
    db_bind_text(s, 7, x->in->fields);
    db_bind_int(s, 8, x->p->user_id);
    db_bind_text(s, 9, now);
    db_bind_text(s, 10, now);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if ((rc = forms_get(c, x->p, x->a, id, x->out)) != DB_OK) return rc;
    json_t *after = json_pack("{s:s, s:s, s:s, s:I}", "title", x->out->title, "period_type", x->out->period_type,
                              "filler_type", x->out->filler_type, "deadline_days", (json_int_t)x->out->deadline_days);
    rc = audit_record(c, actor_of(x->p), owner.path, "report_form", id, "create", NULL, after);
    json_decref(after);
    return rc;
}

int forms_create(db *c, const principal *p, arena *a, const form *in, form *out)
{
    struct create_args x = {p, a, in, out};
    return db_transaction(c, create_cb, &x);
}

/* One submission row in the stream. */
typedef struct submission {
    int64_t id, form_id, org_id;
    const char *org_name, *org_path, *period, *period_day, *field_values, *status, *submitted_at, *reason, *updated_at;
    stats_values figures;
} submission;

static void read_submission(db_stmt *s, arena *a, submission *x)
{
    x->id = db_col_int(s, 0);
    x->form_id = db_col_int(s, 1);
    x->org_id = db_col_int(s, 2);
    x->org_name = arena_strdup(a, db_col_text(s, 3));
    x->org_path = arena_strdup(a, db_col_text(s, 4));
    x->period = arena_strdup(a, db_col_text(s, 5));
    x->period_day = arena_strdup(a, db_col_text(s, 6));
    x->field_values = arena_strdup(a, db_col_text(s, 7));
    x->status = arena_strdup(a, db_col_text(s, 8));
    x->submitted_at = arena_strdup(a, db_col_text(s, 9));
    x->reason = arena_strdup(a, db_col_text(s, 10));
    for (int m = 0; m < STATS_NMETRICS; m++) x->figures.v[m] = db_col_int(s, 11 + m);
    x->updated_at = arena_strdup(a, db_col_text(s, 19));
}

static void submission_write(jw *w, const submission *x)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, x->id);
    jw_key(w, "form_id"), jw_int(w, x->form_id);
    jw_key(w, "org_id"), jw_int(w, x->org_id);
    jw_key(w, "org_name"), jw_str(w, x->org_name);
    jw_key(w, "period"), jw_str(w, x->period);
    jw_key(w, "values"), write_json_text(w, x->field_values);
    jw_key(w, "status"), jw_str(w, x->status);
    jw_key(w, "submitted_at"), jw_str(w, x->submitted_at);
    jw_key(w, "returned_reason"), jw_str(w, x->reason);
    jw_key(w, "updated_at"), jw_str(w, x->updated_at);
    jw_obj_end(w);
}

static int find_submission(db *c, arena *a, int64_t form_id, int64_t org_id, const char *period_text, int64_t id,
                           submission *out)
{
    db_stmt *s = db_prepare(c, id ? "SELECT " SUB_COLS " FROM report_submissions s JOIN orgs o ON o.id = s.org_id "
                                    "WHERE s.id = ? AND s.form_id = ?"
                                  : "SELECT " SUB_COLS " FROM report_submissions s JOIN orgs o ON o.id = s.org_id "
                                    "WHERE s.form_id = ? AND s.org_id = ? AND s.period = ?");
    if (!s) return DB_ERR;
    if (id) {
        db_bind_int(s, 1, id);
        db_bind_int(s, 2, form_id);
    } else {
        db_bind_int(s, 1, form_id);
        db_bind_int(s, 2, org_id);
        db_bind_text(s, 3, period_text);
    }
    int rc = db_step(s);
    if (rc == DB_ROW) read_submission(s, a, out);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? FORM_NOT_FOUND : rc;
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
    rc = find_submission(c, x->a, x->f->id, unit.id, x->period, 0, &before);
    bool exists = rc == DB_OK;
    if (rc != DB_OK && rc != FORM_NOT_FOUND) return rc;
    if (exists && !strcmp(before.status, "submitted")) return FORM_LOCKED;
    stats_values fig;
    figures_of(x->f, x->fields, &fig);
    char now[32], *text = json_dumps(x->fields, JSON_COMPACT | JSON_SORT_KEYS);
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, exists
        ? "UPDATE report_submissions SET field_values = ?, status = ?, submitted_at = ?, activities = ?, "
          "participants = ?, materials = ?, videos = ?, views = ?, volunteers = ?, volunteer_hours = ?, funds = ?, "
          "updated_at = ? WHERE id = ?"
        : "INSERT INTO report_submissions (field_values, status, submitted_at, activities, participants, materials, "
          "videos, views, volunteers, volunteer_hours, funds, updated_at, form_id, org_id, org_path, period, "
          "period_day, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) { free(text); return DB_ERR; }
    db_bind_text(s, 1, text);
    db_bind_text(s, 2, x->submit ? "submitted" : exists ? before.status : "draft");
    db_bind_text(s, 3, x->submit ? now : NULL);
    for (int m = 0; m < STATS_NMETRICS; m++) db_bind_int(s, 4 + m, fig.v[m]);
    db_bind_text(s, 12, now);
    if (exists) {
        db_bind_int(s, 13, before.id);
    } else {
        db_bind_int(s, 13, x->f->id);
        db_bind_int(s, 14, unit.id);
        db_bind_text(s, 15, unit.path);
        db_bind_text(s, 16, x->period);
        db_bind_text(s, 17, x->period_day);
        db_bind_int(s, 18, x->p->user_id);
        db_bind_text(s, 19, now);
    }
    rc = db_exec_stmt(s);
    db_finish(s);
    free(text);
    if (rc != DB_OK) return rc;
    if (x->submit) rc = stats_add(c, unit.path, x->period_day, NULL, NULL, &fig, +1);
    if (rc == DB_OK) rc = find_submission(c, x->a, x->f->id, unit.id, x->period, 0, &after);
    if (rc == DB_OK) {
        json_t *change = json_pack("{s:s, s:s, s:O}", "period", x->period, "status", after.status, "values", x->fields);
        rc = audit_record(c, actor_of(x->p), unit.path, "report", after.id, x->submit ? "submit" : "save", NULL, change);
        json_decref(change);
    }
    if (rc == DB_OK) submission_write(x->out, &after);
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
    int rc = find_submission(c, x->a, x->f->id, 0, NULL, x->submission_id, &sub);
    if (rc != DB_OK) return rc;
    if (!scope_covers(&x->p->scope, sub.org_path)) return FORM_NOT_FOUND;
    /* Only an upper level returns: the caller's own unit cannot unlock its report. */
    if (!strcmp(x->p->org_path, sub.org_path)) return FORM_OWN_REPORT;
    if (strcmp(sub.status, "submitted") != 0) return FORM_NOT_SUBMITTED;
    char now[32];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "UPDATE report_submissions SET status = 'returned', returned_reason = ?, "
                               "updated_at = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, x->reason);
    db_bind_text(s, 2, now);
    db_bind_int(s, 3, sub.id);
    rc = db_exec_stmt(s);
    db_finish(s);
    if (rc == DB_OK) rc = stats_add(c, sub.org_path, sub.period_day, NULL, NULL, &sub.figures, -1);
    if (rc == DB_OK) rc = find_submission(c, x->a, x->f->id, 0, NULL, sub.id, &after);
    if (rc == DB_OK) {
        json_t *change = json_pack("{s:s, s:s}", "status", "returned", "returned_reason", x->reason);
        rc = audit_record(c, actor_of(x->p), sub.org_path, "report", sub.id, "return", NULL, change);
        json_decref(change);
    }
    if (rc == DB_OK) submission_write(x->out, &after);
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

int forms_list_reports(db *c, const principal *p, arena *a, const form *f, int64_t org_id, const char *period_text,
                       jw *items)
{
    qb q;
    qb_init(&q, "SELECT " SUB_COLS " FROM report_submissions s JOIN orgs o ON o.id = s.org_id WHERE s.form_id = ?");
    qb_int(&q, f->id);
    if (org_id) qb_sql(&q, " AND s.org_id = ?"), qb_int(&q, org_id);
    if (period_text) qb_sql(&q, " AND s.period = ?"), qb_text(&q, period_text);
    scope_filter(&p->scope, &q, "s.org_path");
    qb_sql(&q, " ORDER BY s.period DESC, s.org_id LIMIT 1000");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    jw_arr(items);
    while ((rc = db_step(s)) == DB_ROW) {
        submission x;
        read_submission(s, a, &x);
        submission_write(items, &x);
    }
    jw_arr_end(items);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}
