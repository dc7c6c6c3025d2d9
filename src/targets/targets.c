/* targets.c - targets and their progress (see targets.h). */
#include "targets/targets.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stddef.h>
#include <string.h>

static const char *const applies_values[] = {"subtree", "each", NULL};

static const char *check_metric(arena *a, const char **value)
{
    (void)a;
    return stats_metric_valid(*value) ? NULL : "指标不存在 / unknown metric";
}

#define T(member) offsetof(target, member)
static const field target_fields[] = {
    {"id", "t.id", FT_ID, T(id), .flags = 0},
    {"org_id", "t.org_id", FT_ID, T(org_id), .flags = FF_WRITE | FF_REQUIRED, .doc = "the node the goal is set for"},
    {"org_path", "t.org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, T(org_name), .flags = 0},
    {"title", "t.title", FT_TEXT, T(title), .flags = FF_WRITE | FF_REQUIRED, .max = 100},
    {"metric", "t.metric", FT_TEXT, T(metric), .flags = FF_WRITE | FF_REQUIRED, .check = check_metric,
     .example = "\"activities\""},
    {"period", "t.period", FT_TEXT, T(period), .flags = FF_WRITE | FF_REQUIRED, .max = 64,
     .doc = "a year, quarter, month or statistics window (core/period.h)", .example = "\"2026\""},
    {"from", "t.period_from", FT_DAY, T(period_from), .flags = 0},
    {"to", "t.period_to", FT_DAY, T(period_to), .flags = 0},
    /* read by target_input (a ratio metric's goal may be 15.00): FF_BODY_OWN */
    {"goal", "t.goal", FT_INT, T(goal), .flags = FF_WRITE | FF_REQUIRED | FF_BODY_OWN, .min = 1, .max = 1000000000000LL,
     .doc = "a count; for a ratio metric (literacy_rate) the value with 2 decimals, 15.00, kept in hundredths"},
    {"goal_value", NULL, FT_JSON, T(goal_value), .flags = FF_NO_SELECT | FF_OMIT_NULL,
     .doc = "a ratio metric's goal as a number with 2 decimals (goal holds hundredths)", .example = "15.00"},
    {"applies", "t.applies", FT_ENUM, T(applies), .flags = FF_WRITE, .choices = applies_values,
     .doc = "subtree (default): the node's subtree total; each: every descendant of each_type"},
    {"each_type", "t.each_type", FT_ENUM, T(each_type), .flags = FF_WRITE, .choices = org_types},
    {"each_title", "t.each_title", FT_TEXT, T(each_title), .flags = FF_WRITE, .max = 32, .example = "\"demo_point\"",
     .doc = "each: only the descendants holding this kind of title (designation_kinds), active on the day read"},
    {"created_by", "t.created_by", FT_INT_NULL, T(created_by), .flags = FF_HIDDEN},
    {"created_at", "t.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "t.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {0},
};
#undef T

static const error_row target_errors[] = {
    {TGT_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {0},
};

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
    const char *path = NULL;
    int rc = x->id ? entity_get(c, &target_entity, &x->p->scope, x->a, x->id, &before) : DB_OK;
    if (rc == DB_OK) rc = entity_org_path(c, &x->p->scope, x->a, x->in->org_id, TGT_ORG_NOT_FOUND, &path);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    const target *t = x->in;
    entity_value more[] = {{"org_path", .text = path}, {"period_from", .text = t->period_from},
                           {"period_to", .text = t->period_to}, {"updated_at", .text = now},
                           {"created_by", .i = x->p->user_id, .is_int = true}, {"created_at", .text = now}, {0}};
    if (x->id) more[4].column = NULL;   /* an update keeps the author and the first time */
    int64_t id = 0;
    if ((rc = entity_store(c, &target_entity, "targets", x->id, t, more, x->a, &id)) != DB_OK) return rc;
    /* the row this transaction just wrote */
    if ((rc = entity_get_unscoped(c, &target_entity, x->a, id, x->out)) != DB_OK) return rc;
    return entity_audit(c, &target_entity, actor_of(x->p), x->out->org_path, id, x->id ? "update" : "create",
                        x->id ? &before : NULL, x->out);
}

int targets_save(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    struct save_args x = {p, a, id, in, out};
    return db_transaction(c, save_cb, &x);
}

static int create_target(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return targets_save(c, p, a, 0, in, out);
}

static int delete_cb(db *c, void *cls)
{
    struct save_args *x = cls;
    target before;
    int rc = entity_get(c, &target_entity, &x->p->scope, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, "DELETE FROM targets WHERE id = ?");
    qb_int(&q, x->id);
    rc = qb_exec(c, &q, NULL);
    if (rc != DB_OK) return rc;
    return entity_audit(c, &target_entity, actor_of(x->p), before.org_path, x->id, "delete", &before, NULL);
}

static int targets_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct save_args x = {p, a, id, NULL, NULL};
    return db_transaction(c, delete_cb, &x);
}

/* A ratio metric's goal is kept in hundredths; goal_value shows it as written (issue 17 C). */
static void target_on_read(void *rec, arena *a)
{
    target *t = rec;
    char text[32];
    if (!t->metric || !stats_ratio_metric(t->metric)) return;
    stats_ratio_format(t->goal, text);
    t->goal_value = arena_strdup(a, text);
}

entity target_entity = {
    .name = "target",
    .doc = "A target (目标任务): a goal for one metric over one period",
    .from = " FROM targets t JOIN orgs o ON o.id = t.org_id",
    .id_column = "t.id",
    .path_column = "t.org_path",
    .order = " ORDER BY t.period_from DESC, t.id",
    .size = sizeof(target),
    .fields = target_fields,
    .not_found = TGT_NOT_FOUND,
    .org_not_found = TGT_ORG_NOT_FOUND,
    .errors = target_errors,
    .create = create_target,
    .update = targets_save,
    .remove = targets_delete,
    .input = target_input,
    .on_read = target_on_read,
};

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

/* A title active on a day (two ?: the day), the rule of designations_held() (calls/results.h);
 * a node's title carries the node's own path and id. */
#define HELD " AND d.subject_kind = 'org' AND d.status = 'active' AND d.valid_from <= ? AND (d.valid_to IS NULL OR d.valid_to >= ?)"

int targets_applying(db *c, const principal *p, arena *a, const char *org_path, const char *org_type,
                     const char *metric, const char *today, target *out)
{
    if (!scope_covers(&p->scope, org_path)) return TGT_ORG_NOT_FOUND;
    /* t.org_path is the unit's or an ancestor's: a prefix of the unit's path */
    qb q;
    qb_init(&q, " AND t.metric = ? AND t.period_from <= ? AND t.period_to >= ? "
                "AND substr(CAST(? AS TEXT), 1, length(t.org_path)) = t.org_path "
                "AND ((t.applies = 'each' AND t.each_type = ? AND (t.each_title IS NULL OR EXISTS (SELECT 1 FROM "
                "designations d WHERE d.org_path = ? AND d.kind = t.each_title" HELD ")))"
                " OR (t.applies <> 'each' AND t.org_path = ?)) "
                "ORDER BY length(t.org_path) DESC, t.period_from DESC, t.id DESC LIMIT 1");
    qb_text(&q, metric), qb_text(&q, today), qb_text(&q, today);
    qb_text(&q, org_path), qb_text(&q, org_type), qb_text(&q, org_path), qb_text(&q, today), qb_text(&q, today);
    qb_text(&q, org_path);
    /* unscoped: the unit is in the scope (above), and a target set above the scope binds it */
    return entity_get_where_unscoped(c, &target_entity, a, &q, out);
}

static const char *status_of(int64_t actual, int64_t goal, int64_t expected)
{
    if (actual >= goal) return "achieved";
    return actual >= expected ? "on_track" : "behind";
}

/* A ratio (issue 17 C) is written as a number with 2 decimals, null without a denominator. */
static void write_figure(jw *w, bool ratio, int64_t v)
{
    if (ratio) stats_ratio_write(w, v);
    else jw_int(w, v);
}

static void write_figures(jw *w, bool ratio, int64_t actual, int64_t goal, int64_t expected)
{
    int64_t counted = actual == STATS_RATIO_NONE ? 0 : actual;   /* no value yet: nothing achieved */
    jw_key(w, "actual"), write_figure(w, ratio, actual);
    jw_key(w, "goal"), write_figure(w, ratio, goal);
    jw_key(w, "percent"), jw_int(w, goal ? counted * 100 / goal : 100);
    jw_key(w, "expected"), write_figure(w, ratio, expected);
    jw_key(w, "status"), jw_str(w, status_of(counted, goal, expected));
}

/* A rate is not accumulated over the period, so it has no pace: nothing is expected of it before
 * the period ends, and the whole goal after. */
static int64_t expected_of(const target *t, bool ratio, const char *today)
{
    if (!ratio) return targets_expected(t->goal, t->period_from, t->period_to, today);
    return strcmp(today, t->period_to) >= 0 ? t->goal : 0;
}

int targets_progress(db *c, const principal *p, arena *a, const target *t, const char *today, jw *w)
{
    period per;
    strcpy(per.from, t->period_from);
    strcpy(per.to, t->period_to);
    bool ratio = stats_ratio_metric(t->metric);
    int64_t expected = expected_of(t, ratio, today), actual = 0;
    jw_obj(w);
    jw_key(w, "target"), entity_write(w, &target_entity, t);
    jw_key(w, "today"), jw_str(w, today);
    if (strcmp(t->applies, "each") != 0) {
        int rc = stats_query_metric(c, t->org_id, &per, t->metric, &actual);
        if (rc != DB_OK) return rc;
        write_figures(w, ratio, actual, t->goal, expected);
        jw_obj_end(w);
        return DB_OK;
    }
    /* Each descendant of the type, in the caller's scope, measured on its own subtree. */
    qb q;
    qb_init(&q, "SELECT o.id, o.name FROM orgs o WHERE o.type = ?");
    qb_text(&q, t->each_type);
    qb_subtree(&q, a, "o.path", t->org_path);
    if (t->unit_root) qb_subtree(&q, a, "o.path", t->unit_root);
    if (t->each_title) {
        /* only the holders of the title on the day read (a point without 示范教学点 owes no 24) */
        qb_sql(&q, " AND EXISTS (SELECT 1 FROM designations d WHERE d.org_id = o.id AND d.kind = ?" HELD ")");
        qb_text(&q, t->each_title), qb_text(&q, today), qb_text(&q, today);
    }
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
        const char *st = status_of(v == STATS_RATIO_NONE ? 0 : v, t->goal, expected);
        n++;
        achieved += !strcmp(st, "achieved");
        behind += !strcmp(st, "behind");
        jw_obj(w);
        jw_key(w, "org_id"), jw_int(w, db_col_int(s, 0));
        jw_key(w, "name"), jw_str(w, db_col_text(s, 1));
        write_figures(w, ratio, v, t->goal, expected);
        jw_obj_end(w);
    }
    db_finish(s);
    jw_arr_end(w);
    if (rc != DB_DONE) return DB_ERR;
    jw_key(w, "units_total"), jw_int(w, n);
    jw_key(w, "units_achieved"), jw_int(w, achieved);
    jw_key(w, "units_behind"), jw_int(w, behind);
    /* the share of units that made it, rounded down: 204 of 205 is 99, never 100 */
    jw_key(w, "percent"), jw_int(w, n ? achieved * 100 / n : 0);
    jw_key(w, "status"), jw_str(w, behind ? "behind" : n && achieved == n ? "achieved" : "on_track");
    jw_key(w, "expected"), write_figure(w, ratio, expected);
    jw_obj_end(w);
    return DB_OK;
}

/* Reads see more than writes: a per-unit ('each') target set on a proper ancestor of one of the
 * scope's nodes binds the caller's units (a city's per-point goal is each district's too), so its
 * list, its page and its progress show it. Writes stay with target_entity: only a scope that
 * covers the target's own org changes it. */
static void seen_in_scope(const scope *sc, qb *q)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, " AND ((1 = 1");
    scope_filter(sc, q, "t.org_path");
    qb_sql(q, ")");
    for (int i = 0; i < sc->n; i++) {
        qb_sql(q, " OR (t.applies = 'each' AND substr(CAST(? AS TEXT), 1, length(t.org_path)) = t.org_path "
                  "AND t.org_path <> ?)");
        qb_text(q, sc->paths[i]), qb_text(q, sc->paths[i]);
    }
    qb_sql(q, ")");
}

entity target_seen_entity = {
    .name = "target",
    .from = " FROM targets t JOIN orgs o ON o.id = t.org_id",
    .id_column = "t.id",
    .scope_rule = seen_in_scope,
    .order = " ORDER BY t.period_from DESC, t.id",
    .size = sizeof(target),
    .fields = target_fields,
    .not_found = TGT_NOT_FOUND,
    .org_not_found = TGT_ORG_NOT_FOUND,
    .errors = target_errors,
    .on_read = target_on_read,
};
