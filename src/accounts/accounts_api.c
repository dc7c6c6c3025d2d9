/* accounts_api.c - HTTP handlers of /users (docs/api.md "users"). */
#include "accounts/accounts.h"
#include "accounts/accounts_input.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"

/* The end of a handler: rc's error, or the user with status (the phone in clear in the caller's
 * own record; u NULL: an empty answer). */
static void reply_user(request *r, int rc, int status, const user *u)
{
    if (rc != DB_OK) entity_reply_error(r, &user_entity, rc);
    else if (!u) reply_empty(r, status);
    else reply_json(r, status, user_json(u, u->id == r->principal->user_id));
}

static void handle_get(request *r)
{
    int64_t id;
    user u;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    reply_user(r, c ? entity_get(c, &user_entity, &r->principal->scope, &r->arena, id, &u) : DB_ERR, 200, &u);
}

static void handle_create(request *r)
{
    user_input in;
    user u;
    if (!read_user_input(r, &in, true)) return;
    db *c = db_thread();
    /* a new account is never the caller's own: its phone is masked */
    reply_user(r, c ? accounts_create(c, r->principal, &r->arena, &in, &u) : DB_ERR, 201, &u);
}

static void handle_update(request *r)
{
    int64_t id;
    user_input in;
    user u;
    if (!param_id(r, 0, &id) || !read_user_input(r, &in, false)) return;
    db *c = db_thread();
    reply_user(r, c ? accounts_update(c, r->principal, &r->arena, id, &in, &u) : DB_ERR, 200, &u);
}

/* Accounts are never erased (the audit log refers to them): DELETE disables. */
static void handle_delete(request *r)
{
    int64_t id;
    user u;
    user_input in = {.has_active = true, .active = false};
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    reply_user(r, c ? accounts_update(c, r->principal, &r->arena, id, &in, &u) : DB_ERR, 204, NULL);
}

static void handle_reset_password(request *r)
{
    static const char *const allowed[] = {"password", NULL};
    int64_t id;
    const char *password;
    user u;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL) ||
        !body_string(r, "password", true, &password))
        return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &user_entity, &r->principal->scope, &r->arena, id, &u) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &user_entity, rc); return; }
    if (!check_password_policy(r, "password", password, u.username)) return;
    reply_user(r, accounts_set_password(c, r->principal, &r->arena, id, password), 204, NULL);
}

static const struct route accounts_routes[] = {
    {"GET", "/api/v1/users", entity_handle_list, RANK_STAFF, 0, .summary = "List users (用户) whose home org is in scope", .entity = &user_entity},
    {"GET", "/api/v1/users/:id", handle_get, RANK_STAFF, 0, .summary = "One user", .entity = &user_entity},
    {"POST", "/api/v1/users", handle_create, RANK_ORG_ADMIN, 0, .summary = "Create a user", .entity = &user_entity},
    {"PATCH", "/api/v1/users/:id", handle_update, RANK_ORG_ADMIN, 0, .summary = "Change a user (disabling ends its sessions)", .entity = &user_entity},
    {"DELETE", "/api/v1/users/:id", handle_delete, RANK_ORG_ADMIN, 0, .summary = "Disable a user (accounts are never erased)", .entity = &user_entity},
    {"POST", "/api/v1/users/:id/password", handle_reset_password, RANK_ORG_ADMIN, 0, .summary = "Reset a user's password (ends its sessions)", .entity = &user_entity},
    {0},
};

void accounts_register_routes(void)
{
    router_add_table(accounts_routes);
    session_register_routes();
}
