/* orgs.c - the organization tree's model and queries (see orgs.h). */
#include "orgs/orgs.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "stats/stats.h"
#include <stdio.h>
#include <string.h>

const char *const org_types[] = {"city", "district", "street", "point", "society", "base", "unit", NULL};

#define ORG_COLS "o.id, o.parent_id, o.type, o.name, o.code, o.path, o.depth, o.created_at, o.updated_at"

static void read_org(db_stmt *s, arena *a, void *row)
{
    org *o = row;
    o->id = db_col_int(s, 0);
    o->parent_id = db_col_null(s, 1) ? 0 : db_col_int(s, 1);
    o->type = arena_strdup(a, db_col_text(s, 2));
    o->name = arena_strdup(a, db_col_text(s, 3));
    o->code = arena_strdup(a, db_col_text(s, 4));
    o->path = arena_strdup(a, db_col_text(s, 5));
    o->depth = (int)db_col_int(s, 6);
    o->created_at = arena_strdup(a, db_col_text(s, 7));
    o->updated_at = arena_strdup(a, db_col_text(s, 8));
}

void org_write(jw *w, const org *o)
{
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, o->id);
    jw_key(w, "parent_id"), jw_int_or_null(w, o->parent_id);
    jw_key(w, "type"), jw_str(w, o->type);
    jw_key(w, "name"), jw_str(w, o->name);
    jw_key(w, "code"), jw_str(w, o->code);
    jw_key(w, "path"), jw_str(w, o->path);
    jw_key(w, "depth"), jw_int(w, o->depth);
    jw_key(w, "created_at"), jw_str(w, o->created_at);
    jw_key(w, "updated_at"), jw_str(w, o->updated_at);
    jw_obj_end(w);
}

json_t *org_json(const org *o)
{
    jw w;
    jw_init(&w);
    org_write(&w, o);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}

/* Fetches one node by id, but only if the scope covers it (NULL scope: any node). */
static int get_scoped(db *c, const scope *sc, arena *a, int64_t id, org *out)
{
    qb q;
    qb_init(&q, "SELECT " ORG_COLS " FROM orgs o WHERE o.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter(sc, &q, "o.path");
    return qb_get_one(c, &q, a, read_org, out, ORGS_NOT_FOUND);
}

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for the named *_unscoped readers). */
static int get_unscoped(db *c, arena *a, int64_t id, org *out) { return get_scoped(c, NULL, a, id, out); }

int orgs_get_unscoped(db *c, arena *a, int64_t id, org *out) { return get_unscoped(c, a, id, out); }

int orgs_get(db *c, const principal *p, arena *a, int64_t id, org *out)
{
    return get_scoped(c, &p->scope, a, id, out);
}

static void list_where(qb *q, const principal *p, arena *a, const org_filter *f)
{
    qb_sql(q, " WHERE 1 = 1");
    scope_filter(&p->scope, q, "o.path");
    if (f->parent_id) { qb_sql(q, " AND o.parent_id = ?"); qb_int(q, f->parent_id); }
    if (f->type) { qb_sql(q, " AND o.type = ?"); qb_text(q, f->type); }
    if (f->q && *f->q) {
        char *pat = qb_like_pattern(a, f->q);
        qb_sql(q, " AND (o.name LIKE ? ESCAPE '\\' OR o.code LIKE ? ESCAPE '\\')");
        qb_text(q, pat);
        qb_text(q, pat);
    }
}

int orgs_list(db *c, const principal *p, arena *a, const org_filter *f, int64_t limit,
              int64_t offset, jw *items, int64_t *total)
{
    qb q;
    qb_init(&q, "SELECT COUNT(*) FROM orgs o");
    list_where(&q, p, a, f);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    *total = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return DB_ERR;

    qb_init(&q, "SELECT " ORG_COLS " FROM orgs o");
    list_where(&q, p, a, f);
    qb_sql(&q, " ORDER BY o.id LIMIT ? OFFSET ?");
    qb_int(&q, limit);
    qb_int(&q, offset);
    if (!(s = qb_prepare(&q, c))) return DB_ERR;
    jw_arr(items);
    org o;
    while ((rc = db_step(s)) == DB_ROW) {
        read_org(s, a, &o);
        org_write(items, &o);
    }
    jw_arr_end(items);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int orgs_tree(db *c, const principal *p, arena *a, int64_t id, json_t **out)
{
    org root;
    qb q;
    qb_init(&q, "SELECT " ORG_COLS " FROM orgs o WHERE 1 = 1");
    scope_filter(&p->scope, &q, "o.path");
    if (id) {
        int rc = orgs_get(c, p, a, id, &root);
        if (rc != DB_OK) { qb_free(&q); return rc; }
        qb_subtree(&q, a, "o.path", root.path);
    }
    /* Parents come before their children in (depth, id) order, so one pass nests them. */
    qb_sql(&q, " ORDER BY o.depth, o.id");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    json_t *by_id = json_object(), *roots = json_array();
    org o;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        read_org(s, a, &o);
        json_t *node = org_json(&o);
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
    if (rc != DB_DONE) { json_decref(roots); return DB_ERR; }
    if (id) {
        *out = json_incref(json_array_get(roots, 0));
        json_decref(roots);
    } else {
        *out = roots;
    }
    return DB_OK;
}

static int exec_and_finish(db_stmt *s)
{
    if (!s) return DB_ERR;
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

/* Inserts a node under parent (NULL for the root) and gives it its path. */
static int insert_node(db *c, arena *a, const org *parent, const char *type, const char *name,
                       const char *code, int64_t *id)
{
    char now[32];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "INSERT INTO orgs (parent_id, type, name, code, path, depth, created_at, "
                               "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!s) return DB_ERR;
    if (parent) db_bind_int(s, 1, parent->id);
    db_bind_text(s, 2, type);
    db_bind_text(s, 3, name);
    db_bind_text(s, 4, code && *code ? code : NULL);
    /* A placeholder unique until the id is known; replaced below in the same transaction. */
    db_bind_text(s, 5, arena_printf(a, "pending:%s:%p", now, (void *)id));
    db_bind_int(s, 6, parent ? parent->depth + 1 : 0);
    db_bind_text(s, 7, now);
    db_bind_text(s, 8, now);
    int rc = db_step(s);
    if (rc == DB_ROW) *id = db_col_int(s, 0);
    db_finish(s);
    if (rc == DB_UNIQUE) return ORGS_DUPLICATE_CODE;
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    s = db_prepare(c, "UPDATE orgs SET path = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, arena_printf(a, "%s%lld/", parent ? parent->path : "/", (long long)*id));
    db_bind_int(s, 2, *id);
    return exec_and_finish(s);
}

static int create_in_tx(db *c, const principal *p, arena *a, int64_t parent_id, const char *type,
                        const char *name, const char *code, org *out)
{
    org parent;
    int64_t id = 0;
    int rc = parent_id ? get_scoped(c, p ? &p->scope : NULL, a, parent_id, &parent) : DB_OK;
    if (rc == DB_OK) rc = insert_node(c, a, parent_id ? &parent : NULL, type, name, code, &id);
    if (rc == DB_OK) rc = get_unscoped(c, a, id, out);
    /* A caller whose scope is its node alone could create a child it would never see again. */
    if (rc == DB_OK && p && !scope_covers(&p->scope, out->path)) rc = ORGS_OUT_OF_REACH;
    if (rc == DB_OK) {
        json_t *after = org_json(out);
        rc = audit_record(c, actor_of(p), out->path, "org", id, "create", NULL, after);
        json_decref(after);
    }
    return rc;
}

struct create_args {
    const principal *p;
    arena *a;
    int64_t parent_id;
    const char *type, *name, *code;
    org *out;
};

static int create_cb(db *c, void *cls)
{
    struct create_args *x = cls;
    return create_in_tx(c, x->p, x->a, x->parent_id, x->type, x->name, x->code, x->out);
}

int orgs_create(db *c, const principal *p, arena *a, int64_t parent_id, const char *type,
                const char *name, const char *code, org *out)
{
    struct create_args x = {p, a, parent_id, type, name, code, out};
    return db_transaction(c, create_cb, &x);
}

int orgs_create_system(db *c, arena *a, int64_t parent_id, const char *type, const char *name,
                       const char *code, org *out)
{
    struct create_args x = {NULL, a, parent_id, type, name, code, out};
    return db_transaction(c, create_cb, &x);
}

#define MAX_PATH_COPIES 32
static struct { const char *table, *column; } path_copies[MAX_PATH_COPIES];
static int npath_copies;

void orgs_track_path_column(const char *table, const char *column)
{
    for (int i = 0; i < npath_copies; i++)
        if (!strcmp(path_copies[i].table, table) && !strcmp(path_copies[i].column, column)) return;
    if (npath_copies < MAX_PATH_COPIES) {
        path_copies[npath_copies].table = table;
        path_copies[npath_copies++].column = column;
    }
}

/* Rewrites the registered path copies of a subtree. */
static int move_path_copies(db *c, arena *a, const char *old_path, const char *new_path)
{
    for (int i = 0; i < npath_copies; i++) {
        const char *t = path_copies[i].table, *col = path_copies[i].column;
        db_stmt *s = db_prepare(c, arena_printf(a, "UPDATE %s SET %s = ? || substr(%s, ?) WHERE %s >= ? AND %s < ?",
                                                t, col, col, col, col));
        if (!s) return DB_ERR;
        db_bind_text(s, 1, new_path);
        db_bind_int(s, 2, (int64_t)strlen(old_path) + 1);
        db_bind_text(s, 3, old_path);
        db_bind_text(s, 4, path_upper_bound(a, old_path));
        int rc = exec_and_finish(s);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

/* Rewrites the paths of a whole subtree (and its history) to hang under new_parent. */
static int move_subtree(db *c, arena *a, const org *node, const org *new_parent)
{
    const char *new_path = arena_printf(a, "%s%lld/", new_parent->path, (long long)node->id);
    db_stmt *s = db_prepare(c, "UPDATE orgs SET path = ? || substr(path, ?), depth = depth + ? "
                               "WHERE path >= ? AND path < ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, new_path);
    db_bind_int(s, 2, (int64_t)strlen(node->path) + 1);
    db_bind_int(s, 3, new_parent->depth + 1 - node->depth);
    db_bind_text(s, 4, node->path);
    db_bind_text(s, 5, path_upper_bound(a, node->path));
    int rc = exec_and_finish(s);
    if (rc != DB_OK) return rc;
    s = db_prepare(c, "UPDATE orgs SET parent_id = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, new_parent->id);
    db_bind_int(s, 2, node->id);
    rc = exec_and_finish(s);
    if (rc == DB_OK) rc = audit_move_paths(c, node->path, new_path);
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
    return scope_covers(&p->scope, new_path) ? DB_OK : ORGS_OUT_OF_REACH;
}

struct update_args {
    const principal *p;
    arena *a;
    int64_t id, new_parent;
    const char *type, *name, *code;
    org *out;
};

static int update_fields(db *c, const struct update_args *x, const org *before)
{
    char now[32];
    time_now_rfc3339(now);
    const char *code = x->code ? (*x->code ? x->code : NULL) : before->code;
    db_stmt *s = db_prepare(c, "UPDATE orgs SET type = ?, name = ?, code = ?, updated_at = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, x->type ? x->type : before->type);
    db_bind_text(s, 2, x->name ? x->name : before->name);
    db_bind_text(s, 3, code);
    db_bind_text(s, 4, now);
    db_bind_int(s, 5, before->id);
    int rc = exec_and_finish(s);
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
    if (rc == DB_OK) rc = get_unscoped(c, x->a, x->id, x->out);
    if (rc == DB_OK) {
        json_t *b = org_json(&before), *after = org_json(x->out);
        rc = audit_record(c, actor_of(x->p), x->out->path, "org", x->id, moving ? "move" : "update", b, after);
        json_decref(b);
        json_decref(after);
    }
    return rc;
}

int orgs_update(db *c, const principal *p, arena *a, int64_t id, const char *type,
                const char *name, const char *code, int64_t new_parent, org *out)
{
    struct update_args x = {p, a, id, new_parent, type, name, code, out};
    return db_transaction(c, update_cb, &x);
}

static int count_of(db *c, const char *sql, int64_t id, int64_t *n)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int rc = db_step(s);
    *n = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    return rc == DB_ROW ? DB_OK : DB_ERR;
}

struct delete_args {
    const principal *p;
    arena *a;
    int64_t id;
};

static int delete_cb(db *c, void *cls)
{
    struct delete_args *x = cls;
    org before;
    int64_t children = 0, users = 0, members = 0;
    int rc = orgs_get(c, x->p, x->a, x->id, &before);
    if (rc == DB_OK) rc = count_of(c, "SELECT COUNT(*) FROM orgs WHERE parent_id = ?", x->id, &children);
    if (rc == DB_OK) rc = count_of(c, "SELECT COUNT(*) FROM users WHERE org_id = ?", x->id, &users);
    if (rc == DB_OK) rc = count_of(c, "SELECT COUNT(*) FROM user_orgs WHERE org_id = ?", x->id, &members);
    if (rc == DB_OK && (children || users || members)) rc = ORGS_NOT_EMPTY;
    if (rc == DB_OK) {
        db_stmt *s = db_prepare(c, "DELETE FROM orgs WHERE id = ?");
        if (s) db_bind_int(s, 1, x->id);
        rc = exec_and_finish(s);
        /* Records of later modules reference orgs; the database refuses to orphan them. */
        if (rc == DB_FK) rc = ORGS_NOT_EMPTY;
    }
    if (rc == DB_OK) {
        json_t *b = org_json(&before);
        rc = audit_record(c, actor_of(x->p), before.path, "org", x->id, "delete", b, NULL);
        json_decref(b);
    }
    return rc;
}

int orgs_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct delete_args x = {p, a, id};
    return db_transaction(c, delete_cb, &x);
}
