/* orgs.c - the organization tree's model and queries (see orgs.h). */
#include "orgs/orgs.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "model/entity.h"
#include "stats/stats.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const org_types[] = {"city", "district", "street", "point", "society", "base", "unit", NULL};

static const char *check_code(arena *a, const char **value)
{
    (void)a;
    return valid_org_code(*value) ? NULL : "机构代码为 1-32 位字母、数字、- 或 _ / code: 1-32 letters, digits, - or _";
}

#define T(member) offsetof(org, member)
static const field org_fields[] = {
    {"id", "o.id", FT_ID, T(id), .flags = 0},
    {"parent_id", "o.parent_id", FT_INT_NULL, T(parent_id), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER,
     .doc = "null for the root; a change moves the node with its subtree"},
    {"type", "o.type", FT_ENUM, T(type), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .choices = org_types},
    {"name", "o.name", FT_TEXT, T(name), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 100, .example = "\"渝中区\""},
    {"code", "o.code", FT_TEXT, T(code), .flags = FF_WRITE | FF_SEARCH, .check = check_code, .doc = "unique; null or \"\" clears it"},
    {"path", "o.path", FT_TEXT, T(path), .flags = 0, .doc = "materialized path, e.g. \"/1/7/\""},
    {"population", "o.population", FT_INT_NULL, T(population), .flags = FF_WRITE, .max = 100000000,
     .doc = "resident population (常住人口): the weight of the node's literacy rate and the base of per-10,000 figures"},
    {"depth", "o.depth", FT_INT32, T(depth), .flags = 0},
    {"created_at", "o.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "o.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {0},
};
#undef T

static const error_row org_errors[] = {
    {ORGS_INTO_DESCENDANT, 409, "move_into_descendant", "parent_id",
     "不能移动到自身或其下级之下 / cannot move a node under itself or its descendant"},
    {ORGS_NOT_EMPTY, 409, "org_not_empty", NULL, "该机构下仍有下级机构、用户或业务数据，不能删除 / the node still has children, users or records"},
    {ORGS_IS_ROOT, 403, "forbidden", NULL, "根机构不能移动或删除 / the root cannot be moved or deleted"},
    {ORGS_OUT_OF_REACH, 403, "forbidden", NULL, "您的数据权限不包含该位置 / the result would lie outside your data scope"},
    {ORGS_PARENT_ONLY, 403, "forbidden", NULL, "机构自身的类型、代码和名称只能由上级机构的管理员修改 / "
                                             "only an administrator over the parent may change a node's own type, code or name"},
    {ORGS_DUPLICATE_CODE, 409, "duplicate_code", "code", "机构代码已存在 / this code is already in use"},
    {ORGS_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {ORGS_PARENT_NOT_FOUND, 404, "not_found", "parent_id", "上级机构不存在 / parent not found"},
    {ORGS_MOVE_DOUBLE_COUNT, 409, "move_double_count", "parent_id",
     "移动后，新上级与本机构（或其下级）会有同一统计口径的数据，汇总会重复计算（如同年度同人群的科学素质调查） / "
     "after the move the new ancestors and this subtree would hold records of the same count (e.g. literacy rows of "
     "one year and group): the roll-up would count them twice"},
    {0},
};

/* The generic handlers' writers. The node itself was read first (an update's), so a node not
 * found here is the parent. */
/* The body's node, its population included, inserted with every writable field at once. */
static int create_hook(db *c, const principal *p, arena *a, const void *in, void *out)
{
    int rc = orgs_create_record(c, p, a, in, out);
    return rc == ORGS_NOT_FOUND ? ORGS_PARENT_NOT_FOUND : rc;
}

/* The stored node with the body applied: a code null or "" clears it; its population (the body's
 * or the stored one) is written with the rest (issue 17: the org form's 常住人口). */
static int update_hook(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    const org *o = in;
    int rc = orgs_update_population(c, p, a, id, o->type, o->name, o->code ? o->code : "", o->parent_id,
                                    &o->population, out);
    return rc == ORGS_NOT_FOUND ? ORGS_PARENT_NOT_FOUND : rc;
}

entity org_entity = {
    .name = "org",
    .doc = "A node of the organization tree (组织机构)",
    .from = " FROM orgs o",
    .id_column = "o.id",
    .path_column = "o.path",
    .order = " ORDER BY o.id",
    .size = sizeof(org),
    .fields = org_fields,
    .not_found = ORGS_NOT_FOUND,
    .org_not_found = ORGS_ORG_NOT_FOUND,
    .errors = org_errors,
    .create = create_hook,
    .update = update_hook,
    .remove = orgs_delete,
};

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for orgs_get_unscoped's callers). */
int orgs_get_unscoped(db *c, arena *a, int64_t id, org *out) { return entity_get_unscoped(c, &org_entity, a, id, out); }

int orgs_get(db *c, const principal *p, arena *a, int64_t id, org *out)
{
    return entity_get(c, &org_entity, &p->scope, a, id, out);
}

int orgs_list(db *c, const principal *p, arena *a, const org_filter *f, int64_t limit,
              int64_t offset, jw *items, int64_t *total)
{
    qb q;
    qb_init(&q, "");
    entity_list_where(c, &org_entity, &p->scope, a, 0, &q);   /* no org_id: cannot fail */
    if (f->parent_id) { qb_sql(&q, " AND o.parent_id = ?"); qb_int(&q, f->parent_id); }
    if (f->type) { qb_sql(&q, " AND o.type = ?"); qb_text(&q, f->type); }
    if (f->q && *f->q) {
        char *pat = qb_like_pattern(a, f->q);
        qb_sql(&q, " AND (o.name LIKE ? ESCAPE '\\' OR o.code LIKE ? ESCAPE '\\')");
        qb_text(&q, pat);
        qb_text(&q, pat);
    }
    return entity_list_page(c, &org_entity, &q, NULL, limit, offset, a, items, total, NULL, NULL);
}

int orgs_tree(db *c, const principal *p, arena *a, int64_t id, json_t **out)
{
    qb q;
    qb_init(&q, "SELECT ");
    qb_sql(&q, entity_cols(&org_entity));
    qb_sql(&q, org_entity.from);
    /* the subtree of id, which must be in scope: a plain 404 then, as for a read by id */
    int rc = entity_list_where(c, &org_entity, &p->scope, a, id, &q);
    if (rc != DB_OK) return rc == ORGS_ORG_NOT_FOUND ? ORGS_NOT_FOUND : rc;
    /* Parents come before their children in (depth, id) order, so one pass nests them. */
    qb_sql(&q, " ORDER BY o.depth, o.id");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    json_t *by_id = json_object(), *roots = json_array();
    org o;
    while ((rc = db_step(s)) == DB_ROW) {
        entity_read_row(&org_entity, s, a, &o);
        json_t *node = entity_json(&org_entity, &o);
        json_object_set_new(node, "children", json_array());
        char key[24], pkey[24];
        snprintf(key, sizeof key, "%lld", (long long)o.id);
        snprintf(pkey, sizeof pkey, "%lld", (long long)o.parent_id);
        json_t *parent = json_object_get(by_id, pkey);
        json_array_append(parent ? json_object_get(parent, "children") : roots, node);
        json_object_set_new(by_id, key, node);
    }
    db_finish(s);
    json_decref(by_id);
    *out = rc != DB_DONE ? NULL : id ? json_incref(json_array_get(roots, 0)) : json_incref(roots);
    json_decref(roots);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

/* Inserts the node in (its writable fields) under parent (NULL for the root) and gives it its path. */
static int insert_node(db *c, arena *a, const org *parent, const org *in, int64_t *id)
{
    char now[32];
    time_now_rfc3339(now);
    org rec = *in;
    rec.parent_id = parent ? parent->id : 0;
    rec.code = in->code && *in->code ? in->code : NULL;
    /* A placeholder path unique until the id is known; replaced below in the same transaction. */
    entity_value more[] = {{"path", .text = arena_printf(a, "pending:%s:%p", now, (void *)id)},
                           {"depth", .i = parent ? parent->depth + 1 : 0, .is_int = true},
                           {"created_at", .text = now}, {"updated_at", .text = now}, {0}};
    int rc = entity_store(c, &org_entity, "orgs", 0, &rec, more, a, id);
    if (rc == DB_UNIQUE) return ORGS_DUPLICATE_CODE;
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, "UPDATE orgs SET path = ? WHERE id = ?");
    qb_text(&q, arena_printf(a, "%s%lld/", parent ? parent->path : "/", (long long)*id));
    qb_int(&q, *id);
    return qb_exec(c, &q, NULL);
}

struct create_args {
    const principal *p;
    arena *a;
    const org *in;
    org *out;
};

static int create_cb(db *c, void *cls)
{
    struct create_args *x = cls;
    org parent;
    int64_t id = 0;
    /* no caller: the system's bootstrap and demo place nodes anywhere */
    int64_t parent_id = x->in->parent_id;
    int rc = !parent_id ? DB_OK
           : x->p ? orgs_get(c, x->p, x->a, parent_id, &parent) : orgs_get_unscoped(c, x->a, parent_id, &parent);
    if (rc == DB_OK) rc = insert_node(c, x->a, parent_id ? &parent : NULL, x->in, &id);
    if (rc == DB_OK) rc = orgs_get_unscoped(c, x->a, id, x->out);
    /* A caller whose scope is its node alone could create a child it would never see again. */
    if (rc == DB_OK && x->p && !scope_covers(&x->p->scope, x->out->path)) rc = ORGS_OUT_OF_REACH;
    if (rc == DB_OK) rc = entity_audit(c, &org_entity, actor_of(x->p), x->out->path, id, "create", NULL, x->out);
    return rc;
}

int orgs_create_record(db *c, const principal *p, arena *a, const org *in, org *out)
{
    struct create_args x = {p, a, in, out};
    return db_transaction(c, create_cb, &x);
}

int orgs_create(db *c, const principal *p, arena *a, int64_t parent_id, const char *type,
                const char *name, const char *code, org *out)
{
    org in = {.parent_id = parent_id, .type = type, .name = name, .code = code};
    return orgs_create_record(c, p, a, &in, out);
}

int orgs_create_system(db *c, arena *a, int64_t parent_id, const char *type, const char *name,
                       const char *code, org *out)
{
    return orgs_create(c, NULL, a, parent_id, type, name, code, out);
}

#define MAX_PATH_COPIES 64   /* room to spare: issue 15's calls engine adds 10 now, its later packages more */
/* The two logs are always there: after a move, a subtree's history follows it. */
static struct { const char *table, *column; } path_copies[MAX_PATH_COPIES] = {{"audit_log", "org_path"},
                                                                              {"login_log", "org_path"}};
static int npath_copies = 2;

void orgs_track_path_column(const char *table, const char *column)
{
    for (int i = 0; i < npath_copies; i++)
        if (!strcmp(path_copies[i].table, table) && !strcmp(path_copies[i].column, column)) return;
    if (npath_copies < MAX_PATH_COPIES) {
        path_copies[npath_copies].table = table;
        path_copies[npath_copies++].column = column;
    }
}

enum { MAX_MOVE_CHECKS = 8 };
static orgs_move_check move_checks[MAX_MOVE_CHECKS];
static int nmove_checks;

void orgs_register_move_check(orgs_move_check fn)
{
    for (int i = 0; i < nmove_checks; i++)
        if (move_checks[i] == fn) return;
    if (nmove_checks < MAX_MOVE_CHECKS) move_checks[nmove_checks++] = fn;
}

/* Rewrites the registered path copies of a subtree. */
static int move_path_copies(db *c, arena *a, const char *old_path, const char *new_path)
{
    /* rows still queued for the COMMIT (audit_log's: audit_queue.c) are written first, so that
     * the rewrite below moves them too */
    if (db_deferred_flush(c) != DB_OK) return DB_ERR;
    for (int i = 0; i < npath_copies; i++) {
        const char *t = path_copies[i].table, *col = path_copies[i].column;
        qb q;
        qb_init(&q, arena_printf(a, "UPDATE %s SET %s = ? || substr(%s, ?) WHERE 1 = 1", t, col, col));
        qb_text(&q, new_path);
        qb_int(&q, (int64_t)strlen(old_path) + 1);
        qb_subtree(&q, a, col, old_path);
        int rc = qb_exec(c, &q, NULL);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

/* Rewrites the paths of a whole subtree (and its history) to hang under new_parent. */
static int move_subtree(db *c, arena *a, const org *node, const org *new_parent)
{
    const char *new_path = arena_printf(a, "%s%lld/", new_parent->path, (long long)node->id);
    qb q;
    qb_init(&q, "UPDATE orgs SET path = ? || substr(path, ?), depth = depth + ? WHERE 1 = 1");
    qb_text(&q, new_path);
    qb_int(&q, (int64_t)strlen(node->path) + 1);
    qb_int(&q, new_parent->depth + 1 - node->depth);
    qb_subtree(&q, a, "path", node->path);
    int rc = qb_exec(c, &q, NULL);
    if (rc != DB_OK) return rc;
    qb_init(&q, "UPDATE orgs SET parent_id = ? WHERE id = ?");
    qb_int(&q, new_parent->id);
    qb_int(&q, node->id);
    rc = qb_exec(c, &q, NULL);
    if (rc == DB_OK) rc = move_path_copies(c, a, node->path, new_path);
    /* The subtree's figures leave the old ancestors' totals and join the new ones'. */
    return rc == DB_OK ? stats_move_subtree(c, node->path, new_path) : rc;
}

/* Checks a move of node under new_parent_id; fills *target. */
static int check_move(db *c, const principal *p, arena *a, const org *node, int64_t new_parent_id,
                      org *target)
{
    if (!node->parent_id) return ORGS_IS_ROOT;
    int rc = orgs_get(c, p, a, new_parent_id, target);
    if (rc != DB_OK) return rc;
    if (strncmp(target->path, node->path, strlen(node->path)) == 0) return ORGS_INTO_DESCENDANT;
    const char *new_path = arena_printf(a, "%s%lld/", target->path, (long long)node->id);
    if (!scope_covers(&p->scope, new_path)) return ORGS_OUT_OF_REACH;
    for (int i = 0; i < nmove_checks && rc == DB_OK; i++) rc = move_checks[i](c, node->path, target->path);
    return rc;
}

struct update_args {
    const principal *p;
    arena *a;
    int64_t id, new_parent;
    const char *type, *name, *code;
    org *out;
    const int64_t *population;   /* NULL: unchanged; 0 clears it (issue 17: the PATCH's population) */
};

static int update_fields(db *c, const struct update_args *x, const org *before)
{
    char now[32];
    time_now_rfc3339(now);
    org rec = *before;   /* parent_id as it is: a move rewrites it with the paths */
    if (x->type) rec.type = x->type;
    if (x->name) rec.name = x->name;
    if (x->code) rec.code = *x->code ? x->code : NULL;
    if (x->population) rec.population = *x->population;
    entity_value more[] = {{"updated_at", .text = now}, {0}};
    int rc = entity_store(c, &org_entity, "orgs", before->id, &rec, more, x->a, NULL);
    return rc == DB_UNIQUE ? ORGS_DUPLICATE_CODE : rc;
}

static bool differs(const char *want, const char *have)
{
    return want && strcmp(want, have ? have : "") != 0;
}

/* A node's own type, code and name are its parent's business: a district admin whose scope
 * is its district could otherwise retype it (and drop it from the city's completeness) or
 * rename it. Only a scope that covers the parent (or everything, for the root) may. */
static int check_own_fields(const struct update_args *x, const org *before)
{
    if (!differs(x->type, before->type) && !differs(x->name, before->name) && !differs(x->code, before->code))
        return DB_OK;
    if (!x->p || x->p->scope.level == SCOPE_ALL) return DB_OK;
    if (!before->parent_id) return ORGS_PARENT_ONLY;
    size_t n = strlen(before->path);   /* "/1/7/" -> parent "/1/" */
    while (n > 1 && before->path[n - 2] != '/') n--;
    const char *parent = arena_strndup(x->a, before->path, n - 1);
    return scope_covers(&x->p->scope, parent) ? DB_OK : ORGS_PARENT_ONLY;
}

static int update_cb(db *c, void *cls)
{
    struct update_args *x = cls;
    org before, target;
    int rc = orgs_get(c, x->p, x->a, x->id, &before);
    bool moving = rc == DB_OK && x->new_parent && x->new_parent != before.parent_id;
    if (rc == DB_OK) rc = check_own_fields(x, &before);
    if (moving) rc = check_move(c, x->p, x->a, &before, x->new_parent, &target);
    if (rc == DB_OK) rc = update_fields(c, x, &before);
    if (rc == DB_OK && moving) rc = move_subtree(c, x->a, &before, &target);
    if (rc == DB_OK) rc = orgs_get_unscoped(c, x->a, x->id, x->out);
    if (rc == DB_OK)
        rc = entity_audit(c, &org_entity, actor_of(x->p), x->out->path, x->id, moving ? "move" : "update", &before,
                          x->out);
    return rc;
}

int orgs_update(db *c, const principal *p, arena *a, int64_t id, const char *type,
                const char *name, const char *code, int64_t new_parent, org *out)
{
    return orgs_update_population(c, p, a, id, type, name, code, new_parent, NULL, out);
}

int orgs_update_population(db *c, const principal *p, arena *a, int64_t id, const char *type, const char *name,
                           const char *code, int64_t new_parent, const int64_t *population, org *out)
{
    struct update_args x = {p, a, id, new_parent, type, name, code, out, population};
    return db_transaction(c, update_cb, &x);
}

static int count_of(db *c, const char *sql, int64_t id, int64_t *n)
{
    qb q;
    qb_init(&q, sql);
    qb_int(&q, id);
    return qb_exec(c, &q, n) == DB_OK ? DB_OK : DB_ERR;
}

static int delete_cb(db *c, void *cls)
{
    struct update_args *x = cls;   /* p, a and id */
    org before;
    int64_t children = 0, users = 0, members = 0;
    int rc = orgs_get(c, x->p, x->a, x->id, &before);
    if (rc == DB_OK) rc = count_of(c, "SELECT COUNT(*) FROM orgs WHERE parent_id = ?", x->id, &children);
    if (rc == DB_OK) rc = count_of(c, "SELECT COUNT(*) FROM users WHERE org_id = ?", x->id, &users);
    if (rc == DB_OK) rc = count_of(c, "SELECT COUNT(*) FROM user_orgs WHERE org_id = ?", x->id, &members);
    if (rc == DB_OK && (children || users || members)) rc = ORGS_NOT_EMPTY;
    if (rc == DB_OK) {
        qb q;
        qb_init(&q, "DELETE FROM orgs WHERE id = ?");
        qb_int(&q, x->id);
        rc = qb_exec(c, &q, NULL);
        /* Records of later modules reference orgs; the database refuses to orphan them. */
        if (rc == DB_FK) rc = ORGS_NOT_EMPTY;
    }
    if (rc == DB_OK) rc = entity_audit(c, &org_entity, actor_of(x->p), before.path, x->id, "delete", &before, NULL);
    return rc;
}

int orgs_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct update_args x = {p, a, id, 0, NULL, NULL, NULL, NULL, NULL};
    return db_transaction(c, delete_cb, &x);
}

/* ---- the organization tree as the statistics handlers see it (stats/stats.h's node source): a
 * node in the caller's scope, whether it has children, its children in scope, read as
 * org_entity's records. orgs_init registers it, so stats never includes orgs/. ---- */

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
