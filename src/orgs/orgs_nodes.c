/* orgs_nodes.c - the organization tree as the statistics handlers see it (stats/stats.h's node
 * source): a node in the caller's scope, whether it has children, its children in scope. The
 * orgs module registers it at start-up (orgs_init), so stats never includes orgs/. Nodes are
 * read as org_entity's records, within the caller's scope. */
#include "orgs/orgs.h"
#include "db/query.h"
#include "model/entity.h"
#include "stats/stats.h"

static int find(db *c, const scope *sc, arena *a, int64_t id, stats_node *out)
{
    org o;
    int rc = entity_get(c, &org_entity, sc, a, id, &o);
    if (rc == DB_OK) *out = (stats_node){o.id, o.name, o.type};
    return rc == ORGS_NOT_FOUND ? STATS_NODE_NOT_FOUND : rc;
}

static int has_children(db *c, int64_t id, bool *out)
{
    int64_t one;
    qb q;
    qb_init(&q, "SELECT 1 FROM orgs WHERE parent_id = ?");
    qb_int(&q, id);
    int rc = qb_exec(c, &q, &one);
    *out = rc == DB_OK;
    return rc == DB_DONE ? DB_OK : rc;
}

struct walk {
    stats_node_fn fn;
    void *cls;
};

static int each_child(const void *rec, db_stmt *s, arena *row, void *cls)
{
    const org *o = rec;
    struct walk *w = cls;
    (void)s, (void)row;
    return w->fn(&(stats_node){o->id, o->name, o->type}, w->cls);
}

static int children(db *c, const scope *sc, arena *a, int64_t id, stats_node_fn fn, void *cls)
{
    struct walk w = {fn, cls};
    qb q;
    (void)a;
    qb_init(&q, " WHERE o.parent_id = ?");
    qb_int(&q, id);
    entity_scope_filter(&org_entity, sc, &q);
    qb_sql(&q, " ORDER BY o.id");
    return entity_each(c, &org_entity, NULL, &q, each_child, &w);
}

static const stats_node_source org_nodes = {find, has_children, children};

void orgs_init(void) { stats_set_node_source(&org_nodes); }
