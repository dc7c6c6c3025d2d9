/* board.c - the live side of tasks (see tasks.h): each owner's status computed in SQL as it is
 * read, the list of owner rows (我的任务, the issuer's filtered views), the issuer's overview board
 * per unit, a task's page with its owners and reports, and the year's plan as one page. */
#include "tasks/tasks.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "model/entity.h"
#include "targets/targets.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tasks_today(char day[11])
{
    char now[32];
    time_now_rfc3339(now);
    memcpy(day, now, 10);
    day[10] = 0;
}

void tasks_day_plus(const char *day, int n, char out[11])
{
    time_t t = time_parse_date(day) + (time_t)n * 86400 + SHANGHAI_OFFSET;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void tasks_status_sql(qb *q, const char *today, const char *soon)
{
    (void)soon;
    qb_sql(q, "CASE WHEN ow.done_at IS NOT NULL THEN 'done' WHEN t.deadline < ? THEN 'overdue' "
              "WHEN ow.progress > 0 THEN 'in_progress' ELSE 'pending' END");
    qb_text(q, today);
}

void tasks_at_risk_sql(qb *q, const char *today, const char *soon)
{
    qb_sql(q, "CASE WHEN ow.done_at IS NULL AND t.deadline >= ? AND t.deadline < ? AND ow.progress < ");
    qb_text(q, today), qb_text(q, soon);
    char n[16];
    snprintf(n, sizeof n, "%d", TASK_AT_RISK_PROGRESS);
    qb_sql(q, n), qb_sql(q, " THEN 1 ELSE 0 END");
}

void tasks_owner_scope(const scope *sc, qb *q)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, " AND ((1 = 1");
    scope_filter(sc, q, "t.plan_path");
    qb_sql(q, ") OR (w.status = 'published'");
    scope_filter(sc, q, "ow.org_path");
    qb_sql(q, "))");
}

static const char *const status_filters[] = {"overdue", "at_risk", "done", "open", NULL};

/* " AND ..." for ?status= (one of status_filters, checked by the caller). */
static void status_filter(qb *q, const char *status, const char *today, const char *soon)
{
    if (!strcmp(status, "done")) qb_sql(q, " AND ow.done_at IS NOT NULL");
    else if (!strcmp(status, "open")) qb_sql(q, " AND ow.done_at IS NULL");
    else if (!strcmp(status, "overdue")) qb_sql(q, " AND ow.done_at IS NULL AND t.deadline < ?"), qb_text(q, today);
    else {
        char n[16];
        snprintf(n, sizeof n, "%d", TASK_AT_RISK_PROGRESS);
        qb_sql(q, " AND ow.done_at IS NULL AND t.deadline >= ? AND t.deadline < ? AND ow.progress < ");
        qb_text(q, today), qb_text(q, soon), qb_sql(q, n);
    }
}

#define OWNER_FROM " FROM task_owners ow JOIN tasks t ON t.id = ow.task_id JOIN work_plans w ON w.id = t.plan_id " \
                   "JOIN orgs o ON o.id = ow.org_id"

/* The owner columns every reader selects first: org_id, name, progress, done_at, status, at_risk. */
static void owner_cols(qb *q, const char *today, const char *soon)
{
    qb_sql(q, "ow.org_id, o.name, ow.progress, ow.done_at, ");
    tasks_status_sql(q, today, soon);
    qb_sql(q, ", ");
    tasks_at_risk_sql(q, today, soon);
}

static void write_owner(jw *w, db_stmt *s, int col)
{
    jw_key(w, "org_id"), jw_int(w, db_col_int(s, col));
    jw_key(w, "org_name"), jw_str(w, db_col_text(s, col + 1));
    jw_key(w, "progress"), jw_int(w, db_col_int(s, col + 2));
    jw_key(w, "done_at"), jw_str(w, db_col_text(s, col + 3));
    jw_key(w, "status"), jw_str(w, db_col_text(s, col + 4));
    jw_key(w, "at_risk"), jw_bool(w, db_col_int(s, col + 5) != 0);
}

/* GET /tasks: one item per (task, owner unit) the caller sees, open first, soonest deadline first. */
static void handle_list(request *r)
{
    page pg;
    int64_t plan_id = 0, org_id = 0, year = 0;
    bool has;
    if (!query_page(r, &pg) || !query_id(r, "plan_id", &plan_id, &has) || !query_id(r, "org_id", &org_id, &has) ||
        !query_id(r, "year", &year, &has) || !query_choice(r, "status", status_filters))
        return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    char today[11], soon[11];
    tasks_today(today);
    tasks_day_plus(today, TASK_AT_RISK_DAYS, soon);
    qb where;
    qb_init(&where, " WHERE 1 = 1");
    tasks_owner_scope(&r->principal->scope, &where);
    if (plan_id) qb_sql(&where, " AND t.plan_id = ?"), qb_int(&where, plan_id);
    if (org_id) qb_sql(&where, " AND ow.org_id = ?"), qb_int(&where, org_id);
    if (year) qb_sql(&where, " AND w.year = ?"), qb_int(&where, year);
    const char *status = req_query(r, "status"), *q = req_query(r, "q");
    if (status && *status) status_filter(&where, status, today, soon);
    if (q && *q) qb_sql(&where, " AND t.title LIKE ? ESCAPE '\\'"), qb_text(&where, qb_like_pattern(&r->arena, q));
    qb cq;
    int64_t total = 0;
    qb_init(&cq, "SELECT COUNT(*)" OWNER_FROM);
    qb_append(&cq, &where);
    int rc = qb_exec(c, &cq, &total);
    qb sel;
    qb_init(&sel, "SELECT t.id, t.plan_id, w.title, w.year, t.no, t.title, t.deadline, t.outputs, t.target_id, ");
    owner_cols(&sel, today, soon);
    qb_sql(&sel, OWNER_FROM);
    qb_append(&sel, &where);
    qb_free(&where);
    qb_sql(&sel, " ORDER BY CASE WHEN ow.done_at IS NULL THEN 0 ELSE 1 END, t.deadline, t.id, o.path LIMIT ? OFFSET ?");
    qb_int(&sel, pg.size), qb_int(&sel, pg.offset);
    db_stmt *s = rc == DB_OK ? qb_prepare(&sel, c) : NULL;
    qb_free(&sel);
    if (!s) { reply_db_error(r); return; }
    jw w;
    jw_list_open(&w);
    jw_arr(&w);
    while ((rc = db_step(s)) == DB_ROW) {
        jw_obj(&w);
        jw_key(&w, "id"), jw_int(&w, db_col_int(s, 0));
        jw_key(&w, "plan_id"), jw_int(&w, db_col_int(s, 1));
        jw_key(&w, "plan_title"), jw_str(&w, db_col_text(s, 2));
        jw_key(&w, "year"), jw_int(&w, db_col_int(s, 3));
        jw_key(&w, "no"), jw_int(&w, db_col_int(s, 4));
        jw_key(&w, "title"), jw_str(&w, db_col_text(s, 5));
        jw_key(&w, "deadline"), jw_str(&w, db_col_text(s, 6));
        jw_key(&w, "outputs"), jw_str(&w, db_col_text(s, 7));
        jw_key(&w, "target_id"), jw_int_or_null(&w, db_col_int(s, 8));
        jw_key(&w, "days_left");
        jw_int(&w, (time_parse_date(db_col_text(s, 6)) - time_parse_date(today)) / 86400);
        jw_key(&w, "owner"), jw_obj(&w);
        write_owner(&w, s, 9);
        jw_obj_end(&w);
        jw_obj_end(&w);
    }
    db_finish(s);
    jw_arr_end(&w);
    if (rc != DB_DONE) { jw_free(&w); reply_db_error(r); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

/* GET /tasks/overview?year=: per owner unit the caller sees, its published tasks of the year. */
static void handle_overview(request *r)
{
    int64_t year = 0;
    bool has;
    if (!query_id(r, "year", &year, &has)) return;
    char today[11], soon[11], y[8];
    tasks_today(today);
    tasks_day_plus(today, TASK_AT_RISK_DAYS, soon);
    if (!year) memcpy(y, today, 4), y[4] = 0, year = strtoll(y, NULL, 10);
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    qb q;
    qb_init(&q, "SELECT ow.org_id, o.name, COUNT(*), SUM(CASE WHEN ow.done_at IS NOT NULL THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN ow.done_at IS NULL AND t.deadline < ? THEN 1 ELSE 0 END), SUM(");
    qb_text(&q, today);
    tasks_at_risk_sql(&q, today, soon);
    qb_sql(&q, ")" OWNER_FROM " WHERE w.status = 'published' AND w.year = ?");
    qb_int(&q, year);
    tasks_owner_scope(&r->principal->scope, &q);
    qb_sql(&q, " GROUP BY ow.org_id, o.name, o.path ORDER BY o.path");
    db_stmt *s = qb_prepare(&q, c);
    qb_free(&q);
    if (!s) { reply_db_error(r); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "year"), jw_int(&w, year);
    jw_key(&w, "units"), jw_arr(&w);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t total = db_col_int(s, 2), done = db_col_int(s, 3);
        jw_obj(&w);
        jw_key(&w, "org_id"), jw_int(&w, db_col_int(s, 0));
        jw_key(&w, "org_name"), jw_str(&w, db_col_text(s, 1));
        jw_key(&w, "total"), jw_int(&w, total);
        jw_key(&w, "done"), jw_int(&w, done);
        jw_key(&w, "open"), jw_int(&w, total - done);
        jw_key(&w, "overdue"), jw_int(&w, db_col_int(s, 4));
        jw_key(&w, "at_risk"), jw_int(&w, db_col_int(s, 5));
        jw_obj_end(&w);
    }
    db_finish(s);
    jw_arr_end(&w);
    jw_obj_end(&w);
    if (rc != DB_DONE) { jw_free(&w); reply_db_error(r); return; }
    reply_jw(r, 200, &w);
}

/* The owners of task t the caller sees, as an array. */
static int write_owners(db *c, const principal *p, int64_t task_id, const char *today, const char *soon, jw *w)
{
    qb q;
    qb_init(&q, "SELECT ");
    owner_cols(&q, today, soon);
    qb_sql(&q, OWNER_FROM " WHERE ow.task_id = ?");
    qb_int(&q, task_id);
    tasks_owner_scope(&p->scope, &q);
    qb_sql(&q, " ORDER BY o.path");
    db_stmt *s = qb_prepare(&q, c);
    qb_free(&q);
    if (!s) return DB_ERR;
    int rc;
    jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) jw_obj(w), write_owner(w, s, 0), jw_obj_end(w);
    jw_arr_end(w);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

/* The linked target's live progress (targets.h), null when the caller does not see it. */
static int write_target(db *c, const principal *p, arena *a, int64_t target_id, const char *today, jw *w)
{
    target tg;
    int rc = target_id ? entity_get(c, &target_seen_entity, &p->scope, a, target_id, &tg) : TGT_NOT_FOUND;
    if (rc == TGT_NOT_FOUND) { jw_null(w); return DB_OK; }
    if (rc != DB_OK) return rc;
    jw_obj(w);
    jw_key(w, "title"), jw_str(w, tg.title);
    jw_key(w, "progress");
    rc = targets_progress(c, p, a, &tg, today, w);
    jw_obj_end(w);
    return rc;
}

static int write_task(db *c, const principal *p, arena *a, const task_rec *t, bool reports, jw *w)
{
    char today[11], soon[11];
    tasks_today(today);
    tasks_day_plus(today, TASK_AT_RISK_DAYS, soon);
    jw_obj(w);
    entity_write_fields(w, &task_entity, t);
    jw_key(w, "issuer"), jw_bool(w, scope_covers(&p->scope, t->plan_path));
    jw_key(w, "owners");
    int rc = write_owners(c, p, t->id, today, soon, w);
    if (rc == DB_OK) jw_key(w, "target"), rc = write_target(c, p, a, t->target_id, today, w);
    if (rc == DB_OK && reports) {
        qb where;
        qb_init(&where, " WHERE r.task_id = ?");
        qb_int(&where, t->id);
        entity_scope_filter(&task_report_entity, &p->scope, &where);
        jw_key(w, "reports");
        rc = entity_list_all(c, &task_report_entity, &where, NULL, a, w, NULL, NULL);
    }
    jw_obj_end(w);
    return rc;
}

static int task_page(db *c, const principal *p, arena *a, const void *rec, jw *w)
{
    return write_task(c, p, a, rec, true, w);
}

static const entity_writer task_writer = {&task_entity, task_page};

struct plan_page {
    const principal *p;
    jw *w;
    int rc;
};

static int page_task(const void *rec, db_stmt *s, arena *row, void *cls)
{
    struct plan_page *x = cls;
    (void)s;
    return write_task(db_thread(), x->p, row, rec, false, x->w);
}

/* GET /work-plans/:id/page: the plan and every task with its owners' live status. */
static int plan_page(db *c, const principal *p, arena *a, const void *rec, jw *w)
{
    const work_plan *pl = rec;
    (void)a;
    jw_obj(w);
    jw_key(w, "plan"), entity_write(w, &work_plan_entity, pl);
    jw_key(w, "issuer"), jw_bool(w, scope_covers(&p->scope, pl->org_path));
    jw_key(w, "tasks"), jw_arr(w);
    qb where;
    qb_init(&where, " WHERE t.plan_id = ?");
    qb_int(&where, pl->id);
    entity_scope_filter(&task_entity, &p->scope, &where);
    qb_sql(&where, " ORDER BY t.no");
    struct plan_page x = {p, w, DB_OK};
    int rc = entity_each(c, &task_entity, NULL, &where, page_task, &x);
    jw_arr_end(w);
    jw_obj_end(w);
    return rc;
}

static const entity_writer plan_writer = {&work_plan_entity, plan_page};

static const struct route board_routes[] = {
    {"GET", "/api/v1/tasks", handle_list, RANK_STAFF, 0,
     .summary = "Tasks (任务) per owner unit with live status: ?plan_id= &org_id= &year= &status=overdue|at_risk|done|open &q="},
    {"GET", "/api/v1/tasks/overview", handle_overview, RANK_STAFF, 0,
     .summary = "The issuer's board: per owner unit, the year's tasks total, done, overdue, at risk (?year=)"},
    {"GET", "/api/v1/tasks/:id", entity_handle_write, RANK_STAFF, 0, .summary = "A task with its owners' live status and reports",
     .entity = &task_entity, .cls = &task_writer},
    {"GET", "/api/v1/work-plans/:id/page", entity_handle_write, RANK_STAFF, 0,
     .summary = "The year's plan as one page: every task with its owners' live status", .entity = &work_plan_entity,
     .cls = &plan_writer},
    {0},
};

void tasks_board_register_routes(void)
{
    router_add_table(board_routes);
}
