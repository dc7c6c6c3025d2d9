/* plan_completion.c - completion of teaching tasks (教学任务完成情况): planned items of approved
 * plans against the items held (a held course started from the item), and all held courses of
 * the period, for a unit and each unit below it. The counts read the plans and courses of the
 * units' subtrees, within the caller's scope. */
#include "teaching/teaching.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include <string.h>

#define UNIT_UPPER "substr(o.path, 1, length(o.path) - 1) || '0'"

/* Appends the three counts as correlated subqueries over the unit o (binds in text order). */
static void count_columns(qb *q, const principal *p, int year, const char *term, const char *from, const char *to)
{
    for (int held = 0; held < 2; held++) {
        qb_sql(q, ", (SELECT COUNT(*) FROM teaching_plan_items i JOIN teaching_plans x ON x.id = i.plan_id "
                  "WHERE x.status = 'approved' AND x.year = ? AND x.org_path >= o.path AND x.org_path < " UNIT_UPPER);
        qb_int(q, year);
        if (term) qb_sql(q, " AND x.term = ?"), qb_text(q, term);
        if (held) qb_sql(q, " AND EXISTS (SELECT 1 FROM courses k WHERE k.plan_item_id = i.id AND k.status = 'held')");
        scope_filter(&p->scope, q, "x.org_path");
        qb_sql(q, ")");
    }
    qb_sql(q, ", (SELECT COUNT(*) FROM courses k WHERE k.status = 'held' AND k.day >= ? AND k.day <= ? "
              "AND k.org_path >= o.path AND k.org_path < " UNIT_UPPER);
    qb_text(q, from);
    qb_text(q, to);
    scope_filter(&p->scope, q, "k.org_path");
    qb_sql(q, ")");
}

static void unit_write(jw *w, arena *a, db_stmt *s)
{
    int64_t planned = db_col_int(s, 3), held = db_col_int(s, 4);
    jw_obj(w);
    jw_key(w, "org_id"), jw_int(w, db_col_int(s, 0));
    jw_key(w, "name"), jw_str(w, db_col_text(s, 1));
    jw_key(w, "type"), jw_str(w, db_col_text(s, 2));
    jw_key(w, "planned"), jw_int(w, planned);
    jw_key(w, "held"), jw_int(w, held);
    jw_key(w, "held_total"), jw_int(w, db_col_int(s, 5));
    jw_key(w, "rate");
    if (planned) jw_raw(w, arena_printf(a, "%.3f", (double)held / (double)planned));
    else jw_null(w);
    jw_obj_end(w);
}

/* Writes the units the query selects: one object (single) or an array. */
static int write_units(db *c, qb *q, arena *a, jw *w, bool single)
{
    db_stmt *s = qb_prepare(q, c);
    if (!s) return DB_ERR;
    int rc;
    if (!single) jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        unit_write(w, a, s);
        if (single) { rc = DB_DONE; break; }
    }
    if (!single) jw_arr_end(w);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int plans_completion(db *c, const principal *p, arena *a, int64_t org_id, int year, const char *term,
                     bool by_points, jw *w)
{
    org o;
    char from[11], to[11];
    int rc = orgs_get(c, p, a, org_id ? org_id : p->org_id, &o);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? TEACH_ORG_NOT_FOUND : rc;
    /* held courses count over the term's days, or the calendar year */
    if (!teaching_term_range(year, term ? term : "year", from, to)) return DB_ERR;
    qb q;
    jw_obj(w);
    jw_key(w, "year"), jw_int(w, year);
    jw_key(w, "term"), jw_str(w, term);
    jw_key(w, "from"), jw_str(w, from);
    jw_key(w, "to"), jw_str(w, to);
    jw_key(w, "org");
    qb_init(&q, "SELECT o.id, o.name, o.type");
    count_columns(&q, p, year, term, from, to);
    qb_sql(&q, " FROM orgs o WHERE o.id = ?");
    qb_int(&q, o.id);
    rc = write_units(c, &q, a, w, true);
    jw_key(w, "items");
    qb_init(&q, "SELECT o.id, o.name, o.type");
    count_columns(&q, p, year, term, from, to);
    if (by_points) {
        qb_sql(&q, " FROM orgs o WHERE o.type = 'point' AND o.path >= ? AND o.path < ?");
        qb_text(&q, o.path);
        qb_text(&q, path_upper_bound(a, o.path));
    } else {
        qb_sql(&q, " FROM orgs o WHERE o.parent_id = ?");
        qb_int(&q, o.id);
    }
    scope_filter(&p->scope, &q, "o.path");
    qb_sql(&q, " ORDER BY o.path LIMIT 5000");
    if (rc == DB_OK) rc = write_units(c, &q, a, w, false);
    else qb_free(&q);
    jw_obj_end(w);
    return rc;
}
