/* plan_completion.c - completion of teaching tasks (教学任务完成情况): planned items of approved
 * plans against the items held (a held course started from the item), and all held courses of
 * the period, for a unit and each unit below it. The counts read the plans and courses of the
 * units' subtrees, within the caller's scope. */
#include "teaching/teaching.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include <stddef.h>
#include <string.h>

#define UNIT_UPPER "substr(o.path, 1, length(o.path) - 1) || '0'"

/* Starts q with the unit o and its three counts as correlated subqueries (binds in text order). */
static void count_columns(qb *q, const principal *p, int year, const char *term, const char *from, const char *to)
{
    qb_init(q, "SELECT o.id, o.name, o.type, o.path");
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

const char *teaching_rate(arena *a, int64_t planned, int64_t held)
{
    return planned ? arena_printf(a, "%.3f", (double)held / (double)planned) : "null";
}

static void unit_fill(void *rec, arena *a)
{
    completion_unit *u = rec;
    u->rate = teaching_rate(a, u->planned, u->held);
}

/* A unit's figures, read from plans_completion_units' own query (its counts follow the caller's
 * scope, so no static select): the columns name what each one is. Not registered. */
#define U(member) offsetof(completion_unit, member)
static const field unit_fields[] = {
    {"org_id", "o.id", FT_ID, U(org_id), .flags = 0},
    {"name", "o.name", FT_TEXT, U(name), .flags = 0},
    {"type", "o.type", FT_TEXT, U(type), .flags = 0},
    {"path", "o.path", FT_TEXT, U(path), .flags = FF_HIDDEN},
    {"planned", "planned", FT_INT, U(planned), .flags = 0, .doc = "items of approved plans"},
    {"held", "held", FT_INT, U(held), .flags = 0, .doc = "items held (a held course from the item)"},
    {"held_total", "held_total", FT_INT, U(held_total), .flags = 0, .doc = "every held course of the period"},
    {"rate", NULL, FT_JSON, U(rate), .flags = FF_NO_SELECT, .doc = "held / planned, three decimals; null"},
    {0},
};
#undef U

static const entity unit_entity = {
    .name = "completion_unit", .size = sizeof(completion_unit), .fields = unit_fields, .on_read = unit_fill,
};

/* Reads the units the query selects into an arena array (at most max). */
static int read_units(db *c, qb *q, arena *a, int max, completion_unit **out, int *n)
{
    db_stmt *s = qb_prepare(q, c);
    if (!s) return DB_ERR;
    int rc, cap = 16;
    completion_unit *v = arena_alloc(a, (size_t)cap * sizeof *v);
    *n = 0;
    while ((rc = db_step(s)) == DB_ROW && *n < max) {
        if (*n == cap) {
            completion_unit *w = arena_alloc(a, (size_t)cap * 2 * sizeof *w);
            memcpy(w, v, (size_t)cap * sizeof *v);
            v = w, cap *= 2;
        }
        entity_read_row(&unit_entity, s, a, &v[(*n)++]);
    }
    db_finish(s);
    *out = v;
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

int plans_completion_units(db *c, const principal *p, arena *a, int64_t org_id, int year, const char *term,
                           bool by_points, completion_unit *unit, completion_unit **items, int *n)
{
    org o;
    char from[11], to[11];
    completion_unit *one;
    int rc = orgs_get(c, p, a, org_id ? org_id : p->org_id, &o), k;
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? TEACH_ORG_NOT_FOUND : rc;
    /* held courses count over the term's days, or the calendar year */
    if (!teaching_term_range(year, term ? term : "year", from, to)) return DB_ERR;
    qb q;
    count_columns(&q, p, year, term, from, to);
    qb_sql(&q, " FROM orgs o WHERE o.id = ?");
    qb_int(&q, o.id);
    rc = read_units(c, &q, a, 1, &one, &k);
    if (rc != DB_OK) return rc;
    if (k != 1) return TEACH_ORG_NOT_FOUND;
    *unit = one[0];
    if (!items) return DB_OK;
    count_columns(&q, p, year, term, from, to);
    if (by_points) {
        qb_sql(&q, " FROM orgs o WHERE o.type = 'point'");
        qb_subtree(&q, a, "o.path", o.path);
    } else {
        qb_sql(&q, " FROM orgs o WHERE o.parent_id = ?");
        qb_int(&q, o.id);
    }
    scope_filter(&p->scope, &q, "o.path");
    qb_sql(&q, " ORDER BY o.path LIMIT " COMPLETION_MAX_UNITS_TEXT);
    return read_units(c, &q, a, COMPLETION_MAX_UNITS, items, n);
}

int plans_completion(db *c, const principal *p, arena *a, int64_t org_id, int year, const char *term,
                     bool by_points, jw *w)
{
    completion_unit unit, *items;
    int n;
    char from[11], to[11];
    int rc = plans_completion_units(c, p, a, org_id, year, term, by_points, &unit, &items, &n);
    if (rc != DB_OK) return rc;
    teaching_term_range(year, term ? term : "year", from, to);
    jw_obj(w);
    jw_key(w, "year"), jw_int(w, year);
    jw_key(w, "term"), jw_str(w, term);
    jw_key(w, "from"), jw_str(w, from);
    jw_key(w, "to"), jw_str(w, to);
    jw_key(w, "org"), entity_write(w, &unit_entity, &unit);
    jw_key(w, "items");
    jw_arr(w);
    for (int i = 0; i < n; i++) entity_write(w, &unit_entity, &items[i]);
    jw_arr_end(w);
    jw_obj_end(w);
    return DB_OK;
}
