/* accounts.c - the users model and its queries (see accounts.h). */
#include "accounts/accounts.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include <string.h>

#define USER_COLS "u.id, u.username, u.name, u.org_id, o.name, o.path, u.role, u.data_scope, " \
                  "u.active, u.phone, u.email, u.last_login_at, u.created_at, u.updated_at"

static void read_user(db_stmt *s, arena *a, void *row)
{
    user *u = row;
    memset(u, 0, sizeof *u);
    u->id = db_col_int(s, 0);
    u->username = arena_strdup(a, db_col_text(s, 1));
    u->name = arena_strdup(a, db_col_text(s, 2));
    u->org_id = db_col_int(s, 3);
    u->org_name = arena_strdup(a, db_col_text(s, 4));
    u->org_path = arena_strdup(a, db_col_text(s, 5));
    u->role = arena_strdup(a, db_col_text(s, 6));
    u->data_scope = arena_strdup(a, db_col_text(s, 7));
    u->active = db_col_int(s, 8) != 0;
    u->phone = arena_strdup(a, db_col_text(s, 9));
    u->email = arena_strdup(a, db_col_text(s, 10));
    u->last_login_at = arena_strdup(a, db_col_text(s, 11));
    u->created_at = arena_strdup(a, db_col_text(s, 12));
    u->updated_at = arena_strdup(a, db_col_text(s, 13));
}

json_t *user_json(const user *u, bool reveal)
{
    char masked[32];
    json_t *phone = json_null();
    if (u->phone && reveal) phone = json_string(u->phone);
    else if (u->phone) mask_phone(u->phone, masked, sizeof masked), phone = json_string(masked);
    json_t *members = json_array();
    for (int i = 0; i < u->nmembers; i++) json_array_append_new(members, json_integer(u->members[i]));
    return json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:b, s:o, s:s?, s:o, s:s?, s:s, s:s}",
                     "id", (json_int_t)u->id, "username", u->username, "name", u->name,
                     "org_id", (json_int_t)u->org_id, "org_name", u->org_name, "role", u->role,
                     "data_scope", u->data_scope, "active", u->active, "phone", phone,
                     "email", u->email, "member_org_ids", members, "last_login_at", u->last_login_at,
                     "created_at", u->created_at, "updated_at", u->updated_at);
}

/* Attaches memberships to the users of one page with a single query over their id range. */
static int load_members(db *c, user *users, int n)
{
    if (n == 0) return DB_OK;
    int64_t lo = users[0].id, hi = users[0].id;
    for (int i = 1; i < n; i++) {
        if (users[i].id < lo) lo = users[i].id;
        if (users[i].id > hi) hi = users[i].id;
    }
    db_stmt *s = db_prepare(c, "SELECT user_id, org_id FROM user_orgs WHERE user_id >= ? AND user_id <= ? "
                               "ORDER BY user_id, org_id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, lo);
    db_bind_int(s, 2, hi);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t uid = db_col_int(s, 0);
        for (int i = 0; i < n; i++)
            if (users[i].id == uid && users[i].nmembers < ACC_MAX_MEMBERSHIPS)
                users[i].members[users[i].nmembers++] = db_col_int(s, 1);
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

static int get_scoped(db *c, const scope *sc, arena *a, int64_t id, user *out)
{
    qb q;
    qb_init(&q, "SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ?");
    qb_int(&q, id);
    if (sc) scope_filter_owned(sc, &q, "o.path", "u.id");
    int rc = qb_get_one(c, &q, a, read_user, out, ACC_NOT_FOUND);
    return rc == DB_OK ? load_members(c, out, 1) : rc;
}

/* A record by id without a scope: only to re-read a row the caller's own transaction just wrote,
 * or one it already read within the caller's scope (and for the named *_unscoped readers). */
static int get_unscoped(db *c, arena *a, int64_t id, user *out) { return get_scoped(c, NULL, a, id, out); }

int accounts_get(db *c, const principal *p, arena *a, int64_t id, user *out)
{
    return get_scoped(c, &p->scope, a, id, out);
}

int accounts_get_unscoped(db *c, arena *a, int64_t id, user *out)
{
    return get_unscoped(c, a, id, out);
}

static void list_where(qb *q, const principal *p, arena *a, const user_filter *f, const char *org_path)
{
    qb_sql(q, " WHERE 1 = 1");
    scope_filter_owned(&p->scope, q, "o.path", "u.id");
    if (org_path) {
        qb_subtree(q, a, "o.path", org_path);
    }
    if (f->role && *f->role) { qb_sql(q, " AND u.role = ?"); qb_text(q, f->role); }
    if (f->active >= 0) { qb_sql(q, " AND u.active = ?"); qb_int(q, f->active); }
    if (f->q && *f->q) {
        char *pat = qb_like_pattern(a, f->q);
        qb_sql(q, " AND (u.username LIKE ? ESCAPE '\\' OR u.name LIKE ? ESCAPE '\\')");
        qb_text(q, pat);
        qb_text(q, pat);
    }
}

/* The path of a filter org, which must itself be visible; ACC_ORG_NOT_FOUND otherwise. */
static int visible_org_path(db *c, const principal *p, arena *a, int64_t org_id, const char **path)
{
    qb q;
    qb_init(&q, "SELECT o.path FROM orgs o WHERE o.id = ?");
    qb_int(&q, org_id);
    scope_filter(&p->scope, &q, "o.path");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *path = arena_strdup(a, db_col_text(s, 0));
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? ACC_ORG_NOT_FOUND : rc;
}

int accounts_list(db *c, const principal *p, arena *a, const user_filter *f, int64_t limit,
                  int64_t offset, json_t **items, int64_t *total)
{
    const char *org_path = NULL;
    if (f->org_id) {
        int rc = visible_org_path(c, p, a, f->org_id, &org_path);
        if (rc != DB_OK) return rc;
    }
    qb q;
    qb_init(&q, "SELECT COUNT(*) FROM users u JOIN orgs o ON o.id = u.org_id");
    list_where(&q, p, a, f, org_path);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    *total = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return DB_ERR;

    qb_init(&q, "SELECT " USER_COLS " FROM users u JOIN orgs o ON o.id = u.org_id");
    list_where(&q, p, a, f, org_path);
    qb_sql(&q, " ORDER BY u.id LIMIT ? OFFSET ?");
    qb_int(&q, limit);
    qb_int(&q, offset);
    if (!(s = qb_prepare(&q, c))) return DB_ERR;
    user *rows = arena_alloc(a, sizeof *rows * (size_t)limit);
    int n = 0;
    while ((rc = db_step(s)) == DB_ROW && n < limit) read_user(s, a, &rows[n++]);
    db_finish(s);
    if (rc != DB_DONE && rc != DB_ROW) return rc;
    if ((rc = load_members(c, rows, n)) != DB_OK) return rc;
    *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(*items, user_json(&rows[i], false));
    return DB_OK;
}
