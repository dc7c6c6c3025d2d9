/* forms_todo.c - the report forms' to-do source (todo/todo.h): form_due, the active forms the
 * caller's unit fills (its type the form's filler type, below the form's owner) with no report
 * submitted for the last period that has ended (last month, quarter or year); due = that
 * period's last day plus the form's deadline days, overdue after it. One query for every period
 * type: the three periods are computed here and the query picks the one of each form's type.
 * Reminders: the units that owe the report, before the deadline. */
#include "forms/forms.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "model/entity.h"
#include "db/query.h"
#include "todo/todo.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMS_MAX 500

/* The period that ended last for grain ("month", "quarter", "year") as of today. */
static void last_period(const char *today, const char *grain, char label[16], period *p)
{
    char prev[11];
    period now;
    if (!period_bucket(today, grain, label, &now)) return;
    day_add(now.from, -1, prev);
    period_bucket(prev, grain, label, p);
}

struct periods {
    char month[16], quarter[16], year[16];
    period pm, pq, py;
};

static void periods_of(struct periods *ps)
{
    char now[40], today[11];
    time_now_rfc3339(now);
    snprintf(today, sizeof today, "%.10s", now);
    last_period(today, "month", ps->month, &ps->pm);
    last_period(today, "quarter", ps->quarter, &ps->pq);
    last_period(today, "year", ps->year, &ps->py);
}

/* "AND the unit has not submitted the form's last period" for unit org_id (0: the column u.id). */
static void not_submitted(qb *q, const struct periods *ps, int64_t org_id)
{
    qb_sql(q, " AND NOT EXISTS (SELECT 1 FROM report_submissions s WHERE s.form_id = f.id AND s.org_id = ");
    if (org_id) qb_sql(q, "?"), qb_int(q, org_id);
    else qb_sql(q, "u.id");
    qb_sql(q, " AND s.status = 'submitted' AND s.period = CASE f.period_type WHEN 'month' THEN ? WHEN 'quarter'"
              " THEN ? ELSE ? END)");
    qb_text(q, ps->month), qb_text(q, ps->quarter), qb_text(q, ps->year);
}

/* The form's period label and deadline day. */
static void due_of(const struct periods *ps, const char *type, int64_t days, const char **label, char due[11])
{
    const period *p = !strcmp(type, "month") ? &ps->pm : !strcmp(type, "quarter") ? &ps->pq : &ps->py;
    *label = !strcmp(type, "month") ? ps->month : !strcmp(type, "quarter") ? ps->quarter : ps->year;
    day_add(p->to, (int)days, due);
}

static int item_cmp(const void *x, const void *y)
{
    const todo_item *a = x, *b = y;
    int d = strcmp(a->due, b->due);
    return d ? d : (a->id > b->id) - (a->id < b->id);
}

static int form_due_collect(db *c, const principal *p, arena *a, int limit, todo_bucket *out)
{
    memset(out, 0, sizeof *out);
    if (!p->org_path) return DB_OK;
    struct periods ps;
    periods_of(&ps);
    qb q;
    qb_init(&q, "SELECT f.id, f.title, f.period_type, f.deadline_days, o.name");
    qb_sql(&q, form_entity.from);
    qb w;
    qb_init(&w, "");
    int rc = entity_list_where(c, &form_entity, &p->scope, a, 0, &w);
    if (rc != DB_OK) {
        qb_free(&q);
        return rc;
    }
    qb_append(&q, &w);
    qb_free(&w);
    qb_sql(&q, " AND f.active = 1 AND f.filler_type = (SELECT type FROM orgs WHERE id = ?) AND f.org_path <> ?"
               " AND substr(?, 1, length(f.org_path)) = f.org_path");
    qb_int(&q, p->org_id), qb_text(&q, p->org_path), qb_text(&q, p->org_path);
    not_submitted(&q, &ps, p->org_id);
    qb_sql(&q, " ORDER BY f.id LIMIT " "500");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    todo_item *all = arena_alloc(a, sizeof *all * FORMS_MAX);
    int n = 0;
    while (all && (rc = db_step(s)) == DB_ROW && n < FORMS_MAX) {
        const char *label;
        char due[11];
        due_of(&ps, db_col_text(s, 2), db_col_int(s, 3), &label, due);
        all[n++] = (todo_item){.id = db_col_int(s, 0), .title = arena_printf(a, "%s（%s）", db_col_text(s, 1), label),
                               .due = arena_strdup(a, due), .org_name = arena_strdup(a, db_col_text(s, 4)),
                               .link = arena_printf(a, "/forms/%lld", (long long)db_col_int(s, 0))};
    }
    db_finish(s);
    if (!all) return DB_ERR;
    if (rc != DB_DONE && rc != DB_ROW) return rc;
    qsort(all, (size_t)n, sizeof *all, item_cmp);
    out->count = n;
    out->items = all;
    out->n = n < limit ? n : limit;
    return DB_OK;
}

/* The system's read: for each active form whose last period's deadline falls in [from, to), every
 * unit of its filler type below its owner without a submitted report. */
static int form_due_deadlines(db *c, arena *a, const char *from, const char *to, todo_deadline_fn fn, void *cls)
{
    struct periods ps;
    periods_of(&ps);
    qb q;
    qb_init(&q, "SELECT f.id, f.title, f.period_type, f.deadline_days, u.id FROM report_forms f JOIN orgs u"
                " ON u.type = f.filler_type AND substr(u.path, 1, length(f.org_path)) = f.org_path AND u.path <> f.org_path"
                " WHERE f.active = 1");
    not_submitted(&q, &ps, 0);
    qb_sql(&q, " ORDER BY f.id, u.id");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *label;
        char due[11];
        due_of(&ps, db_col_text(s, 2), db_col_int(s, 3), &label, due);
        if (strncmp(due, from, 10) < 0 || strncmp(due, to, 10) >= 0) continue;
        todo_deadline d = {.ref_id = db_col_int(s, 0), .org_id = db_col_int(s, 4), .due = arena_strdup(a, due),
                           .title = arena_printf(a, "%s（%s）", db_col_text(s, 1), label),
                           .link = arena_printf(a, "/forms/%lld", (long long)db_col_int(s, 0))};
        int r = fn(c, &d, cls);
        if (r != DB_OK) {
            db_finish(s);
            return r;
        }
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

const todo_source form_due_source = {
    .kind = "form_due", .menu = "/forms", .min_rank = RANK_STAFF, .collect = form_due_collect,
    .deadlines_unscoped = form_due_deadlines,
};
