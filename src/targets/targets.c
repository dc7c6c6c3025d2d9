/* targets.c - targets and their progress (see targets.h). */
#include "targets/targets.h"
#include "audit/audit.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <string.h>

#define TGT_COLS "t.id, t.org_id, t.org_path, o.name, t.title, t.metric, t.period, t.period_from, t.period_to, " \
                 "t.goal, t.applies, t.each_type, t.created_by, t.created_at, t.updated_at"
#define TGT_FROM " FROM targets t JOIN orgs o ON o.id = t.org_id"

static void read_target(db_stmt *s, arena *a, void *row)
{
    target *t = row;
    t->id = db_col_int(s, 0);
    t->org_id = db_col_int(s, 1);
    t->org_path = arena_strdup(a, db_col_text(s, 2));
    t->org_name = arena_strdup(a, db_col_text(s, 3));
    t->title = arena_strdup(a, db_col_text(s, 4));
    t->metric = arena_strdup(a, db_col_text(s, 5));
    t->period = arena_strdup(a, db_col_text(s, 6));
    t->period_from = arena_strdup(a, db_col_text(s, 7));
    t->period_to = arena_strdup(a, db_col_text(s, 8));
    t->goal = db_col_int(s, 9);
    t->applies = arena_strdup(a, db_col_text(s, 10));
    t->each_type = arena_strdup(a, db_col_text(s, 11));
    t->created_by = db_col_null(s, 12) ? 0 : db_col_int(s, 12);
    t->created_at = arena_strdup(a, db_col_text(s, 13));
    t->updated_at = arena_strdup(a, db_col_text(s, 14));
}

void target_write(jw *w, const target *t)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, t->id);
    jw_key(w, "org_id"), jw_int(w, t->org_id);
    jw_key(w, "org_name"), jw_str(w, t->org_name);
    jw_key(w, "title"), jw_str(w, t->title);
    jw_key(w, "metric"), jw_str(w, t->metric);
    jw_key(w, "period"), jw_str(w, t->period);
    jw_key(w, "from"), jw_str(w, t->period_from);
    jw_key(w, "to"), jw_str(w, t->period_to);
    jw_key(w, "goal"), jw_int(w, t->goal);
    jw_key(w, "applies"), jw_str(w, t->applies);
    jw_key(w, "each_type"), jw_str(w, t->each_type);
    jw_key(w, "created_at"), jw_str(w, t->created_at);
    jw_key(w, "updated_at"), jw_str(w, t->updated_at);
    jw_obj_end(w);
}

static json_t *target_json(const target *t)
{
    jw w;
    jw_init(&w);
    target_write(&w, t);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

static int get_scoped(db *c, const scope *sc, arena *a, int64_t id, target *out)
{
    qb q;
    qb_init(&q, "SELECT " TGT_COLS TGT_FROM " WHERE t.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter(sc, &q, "t.org_path");
    return qb_get_one(c, &q, a, read_target, out, TGT_NOT_FOUND);
}

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for the named *_unscoped readers). */
static int get_unscoped(db *c, arena *a, int64_t id, target *out) { return get_scoped(c, NULL, a, id, out); }

int targets_get(db *c, const principal *p, arena *a, int64_t id, target *out)
{
    return get_scoped(c, &p->scope, a, id, out);
}

int targets_list(db *c, const principal *p, arena *a, int64_t org_id, jw *items, int64_t *total)
{
    qb q;
    qb_init(&q, "SELECT " TGT_COLS TGT_FROM " WHERE 1 = 1");
    scope_filter(&p->scope, &q, "t.org_path");
    if (org_id) { qb_sql(&q, " AND t.org_id = ?"); qb_int(&q, org_id); }
    qb_sql(&q, " ORDER BY t.period_from DESC, t.id");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    target t;
    int rc;
    *total = 0;
    jw_arr(items);
    while ((rc = db_step(s)) == DB_ROW) {
        read_target(s, a, &t);
        target_write(items, &t);
        ++*total;
    }
    jw_arr_end(items);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

struct save_args {
    const principal *p;
    arena *a;
    int64_t id;
    const target *in;
    target *out;
};

static int save_cb(db *c, void *cls)
{
    struct save_args *x = cls;
    target before;
    org o;
    int rc = x->id ? targets_get(c, x->p, x->a, x->id, &before) : DB_OK;
    if (rc == DB_OK) rc = orgs_get(c, x->p, x->a, x->in->org_id, &o);
    if (rc == ORGS_NOT_FOUND) return TGT_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, x->id
        ? "UPDATE targets SET org_id = ?, org_path = ?, title = ?, metric = ?, period = ?, period_from = ?, "
          "period_to = ?, goal = ?, applies = ?, each_type = ?, updated_at = ? WHERE id = ? RETURNING id"
        : "INSERT INTO targets (org_id, org_path, title, metric, period, period_from, period_to, goal, applies, "
          "each_type, updated_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!s) return DB_ERR;
    const target *t = x->in;
    db_bind_int(s, 1, t->org_id);
    db_bind_text(s, 2, o.path);
    db_bind_text(s, 3, t->title);
    db_bind_text(s, 4, t->metric);
    db_bind_text(s, 5, t->period);
    db_bind_text(s, 6, t->period_from);
    db_bind_text(s, 7, t->period_to);
    db_bind_int(s, 8, t->goal);
    db_bind_text(s, 9, t->applies);
    db_bind_text(s, 10, t->each_type);
    db_bind_text(s, 11, now);
    if (x->id) db_bind_int(s, 12, x->id);
    else db_bind_int(s, 12, x->p->user_id), db_bind_text(s, 13, now);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    if ((rc = get_unscoped(c, x->a, id, x->out)) != DB_OK) return rc;
    json_t *b = x->id ? target_json(&before) : NULL, *after = target_json(x->out);
    rc = audit_record(c, actor_of(x->p), x->out->org_path, "target", id, x->id ? "update" : "create", b, after);
    json_decref(b);
    json_decref(after);
    return rc;
}

int targets_save(db *c, const principal *p, arena *a, int64_t id, const target *in, target *out)
{
    struct save_args x = {p, a, id, in, out};
    return db_transaction(c, save_cb, &x);
}

static int delete_cb(db *c, void *cls)
{
    struct save_args *x = cls;
    target before;
    int rc = targets_get(c, x->p, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    db_stmt *s = db_prepare(c, "DELETE FROM targets WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->id);
    rc = db_exec_stmt(s);
    db_finish(s);
    if (rc != DB_OK) return rc;
    json_t *b = target_json(&before);
    rc = audit_record(c, actor_of(x->p), before.org_path, "target", x->id, "delete", b, NULL);
    json_decref(b);
    return rc;
}

int targets_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct save_args x = {p, a, id, NULL, NULL};
    return db_transaction(c, delete_cb, &x);
}

static int64_t days_between(const char *from, const char *to)
{
    return (time_parse_date(to) - time_parse_date(from)) / 86400;
}

int64_t targets_expected(int64_t goal, const char *from, const char *to, const char *today)
{
    if (strcmp(today, from) < 0) return 0;
    if (strcmp(today, to) >= 0) return goal;
    int64_t total = days_between(from, to) + 1;
    int64_t elapsed = days_between(from, today) + 1;
    return goal * elapsed / total;
}

/* The share of the goal due by today: nothing before the period, all of it after. */
static int64_t expected_by(const target *t, const char *today)
{
    return targets_expected(t->goal, t->period_from, t->period_to, today);
}

int targets_applying(db *c, const principal *p, arena *a, const char *org_path, const char *org_type,
                     const char *metric, const char *today, target *out)
{
    if (!scope_covers(&p->scope, org_path)) return TGT_ORG_NOT_FOUND;
    /* t.org_path is the unit's or an ancestor's: a prefix of the unit's path */
    db_stmt *s = db_prepare(c, "SELECT " TGT_COLS TGT_FROM " WHERE t.metric = ? AND t.period_from <= ? "
                               "AND t.period_to >= ? AND substr(CAST(? AS TEXT), 1, length(t.org_path)) = t.org_path "
                               "AND ((t.applies = 'each' AND t.each_type = ?) OR (t.applies <> 'each' AND t.org_path = ?)) "
                               "ORDER BY length(t.org_path) DESC, t.period_from DESC, t.id DESC");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, metric);
    db_bind_text(s, 2, today);
    db_bind_text(s, 3, today);
    db_bind_text(s, 4, org_path);
    db_bind_text(s, 5, org_type);
    db_bind_text(s, 6, org_path);
    int rc = db_step(s);
    if (rc == DB_ROW) read_target(s, a, out);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? TGT_NOT_FOUND : rc;
}

static const char *status_of(int64_t actual, int64_t goal, int64_t expected)
{
    if (actual >= goal) return "achieved";
    return actual >= expected ? "on_track" : "behind";
}

static void write_figures(jw *w, int64_t actual, int64_t goal, int64_t expected)
{
    jw_key(w, "actual"), jw_int(w, actual);
    jw_key(w, "goal"), jw_int(w, goal);
    jw_key(w, "percent"), jw_int(w, goal ? actual * 100 / goal : 100);
    jw_key(w, "expected"), jw_int(w, expected);
    jw_key(w, "status"), jw_str(w, status_of(actual, goal, expected));
}

int targets_progress(db *c, const principal *p, arena *a, const target *t, const char *today, jw *w)
{
    period per;
    strcpy(per.from, t->period_from);
    strcpy(per.to, t->period_to);
    int64_t expected = expected_by(t, today), actual = 0;
    jw_obj(w);
    jw_key(w, "target"), target_write(w, t);
    jw_key(w, "today"), jw_str(w, today);
    if (strcmp(t->applies, "each") != 0) {
        int rc = stats_query_metric(c, t->org_id, &per, t->metric, &actual);
        if (rc != DB_OK) return rc;
        write_figures(w, actual, t->goal, expected);
        jw_obj_end(w);
        return DB_OK;
    }
    /* Each descendant of the type, in the caller's scope, measured on its own subtree. */
    qb q;
    qb_init(&q, "SELECT o.id, o.name FROM orgs o WHERE o.type = ?");
    qb_text(&q, t->each_type);
    qb_subtree(&q, a, "o.path", t->org_path);
    scope_filter(&p->scope, &q, "o.path");
    qb_sql(&q, " ORDER BY o.id");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int64_t n = 0, achieved = 0, behind = 0;
    int rc;
    jw_key(w, "units");
    jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t v = 0;
        if (stats_query_metric(c, db_col_int(s, 0), &per, t->metric, &v) != DB_OK) { rc = DB_ERR; break; }
        const char *st = status_of(v, t->goal, expected);
        n++;
        achieved += !strcmp(st, "achieved");
        behind += !strcmp(st, "behind");
        jw_obj(w);
        jw_key(w, "org_id"), jw_int(w, db_col_int(s, 0));
        jw_key(w, "name"), jw_str(w, db_col_text(s, 1));
        write_figures(w, v, t->goal, expected);
        jw_obj_end(w);
    }
    db_finish(s);
    jw_arr_end(w);
    if (rc != DB_DONE) return DB_ERR;
    jw_key(w, "units_total"), jw_int(w, n);
    jw_key(w, "units_achieved"), jw_int(w, achieved);
    jw_key(w, "units_behind"), jw_int(w, behind);
    jw_key(w, "expected"), jw_int(w, expected);
    jw_obj_end(w);
    return DB_OK;
}
