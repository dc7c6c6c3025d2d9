/* accounts_api.c - HTTP handlers of /users (docs/api.md "users"). */
#include "accounts/accounts.h"
#include "accounts/accounts_input.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

/* The user as its reader may see it: its own record with the phone in clear. */
static void reply_user(request *r, int status, const user *u)
{
    jw w;
    jw_init(&w);
    user_write(&w, u, u->id == r->principal->user_id, false);
    reply_jw(r, status, &w);
}

static void handle_list(request *r)
{
    user_filter f = {.active = -1};
    page pg;
    bool has_org;
    if (!query_id(r, "org_id", &f.org_id, &has_org) || !query_page(r, &pg)) return;
    f.q = req_query(r, "q");
    f.role = req_query(r, "role");
    const char *active = req_query(r, "active");
    if (active && *active) {
        if (strcmp(active, "true") != 0 && strcmp(active, "false") != 0) {
            reply_error(r, 422, "invalid_field", "active", "active 应为 true 或 false / must be true or false");
            return;
        }
        f.active = strcmp(active, "true") == 0;
    }
    db *c = db_thread();
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    int rc = c ? accounts_list(c, r->principal, &r->arena, &f, pg.size, pg.offset, &w, &total) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, &user_entity, rc); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

static void handle_get(request *r)
{
    int64_t id;
    user u;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? accounts_get(c, r->principal, &r->arena, id, &u) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &user_entity, rc); return; }
    reply_user(r, 200, &u);
}

static void handle_create(request *r)
{
    user_input in;
    user u;
    if (!read_user_input(r, &in, true)) return;
    db *c = db_thread();
    int rc = c ? accounts_create(c, r->principal, &r->arena, &in, &u) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &user_entity, rc); return; }
    reply_user(r, 201, &u);
}

static void handle_update(request *r)
{
    int64_t id;
    user_input in;
    user u;
    if (!param_id(r, 0, &id) || !read_user_input(r, &in, false)) return;
    db *c = db_thread();
    int rc = c ? accounts_update(c, r->principal, &r->arena, id, &in, &u) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &user_entity, rc); return; }
    reply_user(r, 200, &u);
}

/* Accounts are never erased (the audit log refers to them): DELETE disables. */
static void handle_delete(request *r)
{
    int64_t id;
    user u;
    user_input in = {.has_active = true, .active = false};
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? accounts_update(c, r->principal, &r->arena, id, &in, &u) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &user_entity, rc); return; }
    reply_empty(r, 204);
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
    int rc = c ? accounts_get(c, r->principal, &r->arena, id, &u) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &user_entity, rc); return; }
    if (!check_password_policy(r, "password", password, u.username)) return;
    rc = accounts_set_password(c, r->principal, &r->arena, id, password);
    if (rc != DB_OK) { entity_reply_error(r, &user_entity, rc); return; }
    reply_empty(r, 204);
}

static const struct route accounts_routes[] = {
    {"GET", "/api/v1/users", handle_list, RANK_STAFF, 0, .summary = "List users (用户) whose home org is in scope", .entity = &user_entity},
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
