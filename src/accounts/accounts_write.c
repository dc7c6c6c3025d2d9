/* accounts_write.c - creating and changing users, with the grant rules (see accounts.h). */
#include "accounts/accounts.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/password_policy.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "model/entity.h"
#include <stdio.h>
#include <string.h>

/* Whether the caller may hand out this role and scope, and may touch a user holding them. */
static bool within_grant(const principal *p, const char *role, const char *data_scope)
{
    return role_rank(role) <= p->rank && (int)scope_level_of(data_scope) <= (int)p->scope.level;
}

/* Every org the user would hang on must be visible to the caller (NULL: no caller). */
static int check_orgs(db *c, const principal *p, arena *a, int64_t org_id, const user_input *in)
{
    const char *path;
    int rc = p && org_id ? entity_org_path(c, &p->scope, a, org_id, ACC_ORG_NOT_FOUND, &path) : DB_OK;
    for (int i = 0; p && in->has_members && rc == DB_OK && i < in->nmembers; i++)
        rc = entity_org_path(c, &p->scope, a, in->members[i], ACC_MEMBER_ORG_NOT_FOUND, &path);
    return rc;
}

static int set_members(db *c, int64_t user_id, const user_input *in)
{
    if (!in->has_members) return DB_OK;
    qb q;
    qb_init(&q, "DELETE FROM user_orgs WHERE user_id = ?");
    qb_int(&q, user_id);
    int rc = qb_exec(c, &q, NULL);
    for (int i = 0; rc == DB_OK && i < in->nmembers; i++) {
        qb_init(&q, "INSERT INTO user_orgs (user_id, org_id) VALUES (?, ?)");
        qb_int(&q, user_id);
        qb_int(&q, in->members[i]);
        rc = qb_exec(c, &q, NULL);
        if (rc == DB_UNIQUE) rc = DB_OK;   /* the same org listed twice */
    }
    return rc;
}

/* Hashing takes tens of milliseconds: it is done before the transaction opens, so that the
 * write lock is never held across it. */
struct write_args {
    const principal *p;     /* NULL: a tool creating a user */
    arena *a;
    int64_t id;             /* 0: a create */
    const user_input *in;   /* NULL: a password change */
    user *out;
    char hash[PASSWORD_HASH_MAX];
};

/* The rules a write must pass before anything is written; before is the stored user of an
 * update (id 0 for a create). */
static int check_write(db *c, const principal *p, arena *a, const user *before, const user_input *in)
{
    const char *role = in->role ? in->role : before->role;
    const char *sc = in->data_scope ? in->data_scope : before->data_scope;
    if (p && ((before->id && !within_grant(p, before->role, before->data_scope)) || !within_grant(p, role, sc)))
        return ACC_GRANT_TOO_HIGH;
    if (before->id && before->id == p->user_id &&
        ((in->role && strcmp(in->role, before->role) != 0) ||
         (in->data_scope && strcmp(in->data_scope, before->data_scope) != 0) ||
         (in->has_active && !in->active) || (in->org_id && in->org_id != before->org_id)))
        return ACC_SELF_CHANGE;
    return check_orgs(c, p, a, in->org_id, in);
}

/* Re-reads the user this transaction just wrote into out (no scope needed) and audits it. */
static int audit_user(db *c, const struct write_args *x, const user *before, int64_t id)
{
    int rc = entity_get_unscoped(c, &user_entity, x->a, id, x->out);
    if (rc != DB_OK) return rc;
    return entity_audit(c, &user_entity, actor_of(x->p), x->out->org_path, id, x->id ? "update" : "create", before,
                        x->out);
}

static int write_cb(db *c, void *cls)
{
    struct write_args *x = cls;
    const user_input *in = x->in;
    user before = {.active = true};   /* a create's defaults */
    int rc = x->id ? entity_get(c, &user_entity, &x->p->scope, x->a, x->id, &before) : DB_OK;
    if (rc == DB_OK) rc = check_write(c, x->p, x->a, &before, in);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    user u = {.username = in->username, .name = in->name ? in->name : before.name,
              .org_id = in->org_id ? in->org_id : before.org_id, .role = in->role ? in->role : before.role,
              .data_scope = in->data_scope ? in->data_scope : before.data_scope,
              .active = in->has_active ? in->active : before.active,
              .phone = in->clear_phone ? NULL : in->phone ? in->phone : before.phone,
              .email = in->clear_email ? NULL : in->email ? in->email : before.email};
    entity_value more[] = {{"updated_at", .text = now}, {"password_hash", .text = x->hash},
                           {"created_at", .text = now}, {0}};
    if (x->id) more[1].column = NULL;   /* an update keeps the password and the first time */
    int64_t id = x->id;
    rc = entity_store(c, &user_entity, "users", x->id, &u, more, x->a, &id);
    if (rc == DB_UNIQUE) return ACC_DUPLICATE_USERNAME;
    if (rc == DB_FK) return ACC_ORG_NOT_FOUND;
    if (rc == DB_OK && (rc = set_members(c, id, in)) == DB_FK) return ACC_MEMBER_ORG_NOT_FOUND;
    /* A disabled account loses its sessions at once, on every node. */
    if (rc == DB_OK && x->id && in->has_active && !in->active) rc = session_delete_user(c, x->id, 0);
    return rc == DB_OK ? audit_user(c, x, x->id ? &before : NULL, id) : rc;
}

int accounts_create(db *c, const principal *p, arena *a, const user_input *in, user *out)
{
    struct write_args x = {p, a, 0, in, out, {0}};
    if (password_weakness(in->password, in->username)) return ACC_WEAK_PASSWORD;
    if (password_hash(in->password, x.hash) != 0) return DB_ERR;
    return db_transaction(c, write_cb, &x);
}

/* Tools have no request to answer: a weak password (KEPU_BOOTSTRAP_ADMIN_PASSWORD) is said
 * on standard error, and the bootstrap or demo fails. */
int accounts_create_system(db *c, arena *a, const user_input *in, user *out)
{
    const char *why = password_weakness(in->password, in->username);
    if (why) {
        fprintf(stderr, "kepu: 用户 %s 的密码太弱 / the password of %s is too weak: %s\n", in->username,
                in->username, why);
        return ACC_WEAK_PASSWORD;
    }
    return accounts_create(c, NULL, a, in, out);
}

int accounts_update(db *c, const principal *p, arena *a, int64_t id, const user_input *in, user *out)
{
    struct write_args x = {p, a, id, in, out, {0}};
    return db_transaction(c, write_cb, &x);
}

static int password_cb(db *c, void *cls)
{
    struct write_args *x = cls;
    user target;
    int rc = entity_get(c, &user_entity, &x->p->scope, x->a, x->id, &target);
    if (rc != DB_OK) return rc;
    if (target.id != x->p->user_id && !within_grant(x->p, target.role, target.data_scope))
        return ACC_GRANT_TOO_HIGH;
    qb q;
    qb_init(&q, "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0 WHERE id = ?");
    qb_text(&q, x->hash);
    qb_int(&q, x->id);
    rc = qb_exec(c, &q, NULL);
    /* Other sessions end; the caller keeps its own when it changed its own password. */
    if (rc == DB_OK)
        rc = session_delete_user(c, x->id, x->id == x->p->user_id ? x->p->session_id : 0);
    if (rc == DB_OK) {
        json_t *change = json_pack("{s:s}", "password", "******");
        rc = audit_record(c, actor_of(x->p), target.org_path, "user", x->id, "password", NULL, change);
        json_decref(change);
    }
    return rc;
}

int accounts_set_password(db *c, const principal *p, arena *a, int64_t id, const char *password)
{
    struct write_args x = {p, a, id, NULL, NULL, {0}};
    /* The caller checked against the username; here the rules that need none. */
    if (password_weakness(password, NULL)) return ACC_WEAK_PASSWORD;
    if (password_hash(password, x.hash) != 0) return DB_ERR;
    return db_transaction(c, password_cb, &x);
}
