/* orgs_nodes.c - the organization tree as the statistics handlers see it (stats/stats.h's node
 * source): a node in the caller's scope, whether it has children, its children in scope. The
 * orgs module registers it at start-up (orgs_init), so stats never includes orgs/. */
#include "orgs/orgs.h"
#include "db/query.h"
#include "stats/stats.h"

static void read_node(db_stmt *s, arena *a, void *out)
{
    stats_node *n = out;
    n->id = db_col_int(s, 0);
    n->name = arena_strdup(a, db_col_text(s, 1));
    n->type = arena_strdup(a, db_col_text(s, 2));
}

static int find(db *c, const scope *sc, arena *a, int64_t id, stats_node *out)
{
    qb q;
    qb_init(&q, "SELECT o.id, o.name, o.type FROM orgs o WHERE o.id = ?");
    qb_int(&q, id);
    scope_filter(sc, &q, "o.path");
    return qb_get_one(c, &q, a, read_node, out, STATS_NODE_NOT_FOUND);
}

static int has_children(db *c, int64_t id, bool *out)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM orgs WHERE parent_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int rc = db_step(s);
    db_finish(s);
    *out = rc == DB_ROW;
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int children(db *c, const scope *sc, arena *a, int64_t id, stats_node_fn fn, void *cls)
{
    qb q;
    qb_init(&q, "SELECT o.id, o.name, o.type FROM orgs o WHERE o.parent_id = ?");
    qb_int(&q, id);
    scope_filter(sc, &q, "o.path");
    qb_sql(&q, " ORDER BY o.id");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        stats_node n;
        read_node(s, a, &n);
        if ((rc = fn(&n, cls)) != DB_OK) break;
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

static const stats_node_source org_nodes = {find, has_children, children};

void orgs_init(void) { stats_set_node_source(&org_nodes); }
