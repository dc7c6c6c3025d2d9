/* tasks_sources.c - what tasks tell the rest (issue 16): the to-do source task_due (the tasks
 * the caller's unit owns and has not done, soonest deadline first, so overdue ones lead) and the
 * assessment source tasks_on_time (the share of a district's tasks due in the year done by
 * their deadline). See todo/todo.h and assessments/sources.h. */
#include "tasks/tasks.h"
#include "assessments/sources.h"
#include "todo/todo.h"
#include <stdio.h>
#include <string.h>

#define OPEN_OWNED " FROM task_owners ow JOIN tasks t ON t.id = ow.task_id JOIN work_plans w ON w.id = t.plan_id " \
                   "WHERE w.status = 'published' AND ow.done_at IS NULL"

/* Owed by the caller's own unit, not by the units it may see. */
static int due_collect(db *c, const principal *p, arena *a, int limit, todo_bucket *out)
{
    qb q;
    qb_init(&q, "SELECT COUNT(*)" OPEN_OWNED " AND ow.org_id = ?");
    qb_int(&q, p->org_id);
    int rc = qb_exec(c, &q, &out->count);
    if (rc != DB_OK) return rc;
    out->n = 0;
    out->items = arena_alloc(a, sizeof *out->items * (size_t)(limit > 0 ? limit : 1));
    qb_init(&q, "SELECT t.id, t.title, t.deadline" OPEN_OWNED " AND ow.org_id = ? ORDER BY t.deadline, t.id LIMIT ?");
    qb_int(&q, p->org_id), qb_int(&q, limit);
    db_stmt *s = qb_prepare(&q, c);
    qb_free(&q);
    if (!s) return DB_ERR;
    while ((rc = db_step(s)) == DB_ROW && out->n < limit) {
        todo_item *it = &out->items[out->n++];
        it->id = db_col_int(s, 0);
        it->title = arena_strdup(a, db_col_text(s, 1));
        it->due = arena_strdup(a, db_col_text(s, 2));
        it->link = arena_printf(a, "/tasks/%lld", (long long)it->id);
        it->org_name = NULL;
    }
    db_finish(s);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* Every open owner row due in [from, to): read whole first, so fn may write (a notification)
 * without a statement open on the connection. */
static int due_deadlines(db *c, arena *a, const char *from, const char *to, todo_deadline_fn fn, void *cls)
{
    char f[11] = {0}, t[11] = {0};
    snprintf(f, sizeof f, "%.10s", from), snprintf(t, sizeof t, "%.10s", to);
    qb q;
    qb_init(&q, "SELECT ow.org_id, t.id, t.title, t.deadline" OPEN_OWNED " AND t.deadline >= ? AND t.deadline < ? "
                "ORDER BY t.deadline, t.id, ow.org_id");
    qb_text(&q, f), qb_text(&q, t);
    db_stmt *s = qb_prepare(&q, c);
    qb_free(&q);
    if (!s) return DB_ERR;
    int rc, n = 0, cap = 64;
    todo_deadline *d = arena_alloc(a, sizeof *d * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            todo_deadline *more = arena_alloc(a, sizeof *d * (size_t)cap * 2);
            memcpy(more, d, sizeof *d * (size_t)n);
            d = more, cap *= 2;
        }
        d[n] = (todo_deadline){.org_id = db_col_int(s, 0), .ref_id = db_col_int(s, 1),
                               .title = arena_strdup(a, db_col_text(s, 2)), .due = arena_strdup(a, db_col_text(s, 3))};
        d[n].link = arena_printf(a, "/tasks/%lld", (long long)d[n].ref_id);
        n++;
    }
    db_finish(s);
    if (rc != DB_DONE) return rc;
    for (int i = 0; i < n; i++)
        if ((rc = fn(c, &d[i], cls)) != DB_OK) return rc;
    return DB_OK;
}

static const todo_source task_due_source = {
    .kind = "task_due", .menu = "/tasks/mine", .min_rank = RANK_STAFF,
    .collect = due_collect, .deadlines_unscoped = due_deadlines,
};

double tasks_on_time_ratio(int64_t total, int64_t on_time)
{
    if (total <= 0) return 1.0;
    if (on_time < 0) on_time = 0;
    if (on_time > total) on_time = total;
    return (double)on_time / (double)total;
}

const char *tasks_on_time_detail(arena *a, int64_t total, int64_t late)
{
    if (total <= 0) return "本年无到期任务 / no tasks due this year";
    return arena_printf(a, "%lld 项任务中 %lld 项逾期 / %lld of %lld tasks late", (long long)total, (long long)late,
                        (long long)late, (long long)total);
}

/* One query for every owner row of the year's published tasks; each row counts for every unit
 * whose subtree holds it. A task is late when done after its deadline, or not done and past it;
 * a task not yet due and not done is not late, but not on time either (it still may be). */
static int on_time_measure(db *c, arena *a, int year, const char *param, const assess_unit *units, int n,
                           assess_measure *out)
{
    (void)param;
    char from[16], to[16], today[11];
    snprintf(from, sizeof from, "%04d-01-01", year), snprintf(to, sizeof to, "%04d-12-31", year);
    tasks_today(today);
    int64_t *total = arena_alloc(a, sizeof(int64_t) * (size_t)(n ? n : 1) * 3), *on_time = total + n, *late = on_time + n;
    memset(total, 0, sizeof(int64_t) * (size_t)(n ? n : 1) * 3);
    qb q;
    qb_init(&q, "SELECT ow.org_path, CASE WHEN ow.done_at IS NOT NULL AND substr(ow.done_at, 1, 10) <= t.deadline THEN 1 "
                "ELSE 0 END, CASE WHEN (ow.done_at IS NOT NULL AND substr(ow.done_at, 1, 10) > t.deadline) OR "
                "(ow.done_at IS NULL AND t.deadline < ?) THEN 1 ELSE 0 END FROM task_owners ow "
                "JOIN tasks t ON t.id = ow.task_id JOIN work_plans w ON w.id = t.plan_id "
                "WHERE w.status = 'published' AND t.deadline >= ? AND t.deadline <= ?");
    qb_text(&q, today), qb_text(&q, from), qb_text(&q, to);
    db_stmt *s = qb_prepare(&q, c);
    qb_free(&q);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *path = db_col_text(s, 0);
        for (int i = 0; i < n; i++) {
            if (strncmp(path, units[i].path, strlen(units[i].path)) != 0) continue;
            total[i]++, on_time[i] += db_col_int(s, 1), late[i] += db_col_int(s, 2);
        }
    }
    db_finish(s);
    if (rc != DB_DONE) return rc;
    for (int i = 0; i < n; i++)
        out[i] = (assess_measure){tasks_on_time_ratio(total[i], on_time[i]), tasks_on_time_detail(a, total[i], late[i])};
    return DB_OK;
}

static const assessment_source tasks_on_time_source = {
    .key = "tasks_on_time", .label = "任务按时完成率 / Tasks done on time", .unit = ASSESS_RATIO,
    .measure_unscoped = on_time_measure,
};

const todo_source *const tasks_todo_sources[] = {&task_due_source, NULL};
const assessment_source *const tasks_assessment_sources[] = {&tasks_on_time_source, NULL};
