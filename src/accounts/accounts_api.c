/* accounts_api.c - HTTP handlers of /users (docs/api.md "users"). */
#include "accounts/accounts.h"
#include "accounts/accounts_input.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

void reply_accounts_error(request *r, int rc)
{
    switch (rc) {
    case ACC_NOT_FOUND: reply_not_found(r); break;
    case ACC_ORG_NOT_FOUND:
        reply_error(r, 404, "not_found", "org_id", "机构不存在 / organization not found");
        break;
    case ACC_MEMBER_ORG_NOT_FOUND:
        reply_error(r, 404, "not_found", "member_org_ids", "兼职机构不存在 / an org of member_org_ids was not found");
        break;
    case ACC_DUPLICATE_USERNAME:
        reply_error(r, 409, "duplicate_username", "username", "用户名已存在 / username already taken");
        break;
    case ACC_GRANT_TOO_HIGH:
        reply_error(r, 403, "forbidden", NULL,
                    "不能授予或修改高于自身的角色或数据权限 / cannot grant or touch rights above your own");
        break;
    case ACC_WEAK_PASSWORD:
        reply_error(r, 422, "weak_password", "password", "密码太弱 / password too weak");
        break;
    case ACC_SELF_CHANGE:
        reply_error(r, 422, "invalid_field", NULL,
                    "不能停用自己或修改自己的角色、权限、机构 / cannot disable or demote yourself");
        break;
    default: reply_db_error(r); break;
    }
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
    json_t *items = NULL;
    int64_t total = 0;
    int rc = c ? accounts_list(c, r->principal, &r->arena, &f, pg.size, pg.offset, &items, &total) : DB_ERR;
    if (rc != DB_OK) { json_decref(items); reply_accounts_error(r, rc); return; }
    reply_list(r, items, total, pg.page, pg.size);
}

static void handle_get(request *r)
{
    int64_t id;
    user u;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? accounts_get(c, r->principal, &r->arena, id, &u) : DB_ERR;
    if (rc != DB_OK) { reply_accounts_error(r, rc); return; }
    reply_json(r, 200, user_json(&u, u.id == r->principal->user_id));
}

static void handle_create(request *r)
{
    user_input in;
    user u;
    if (!read_user_input(r, &in, true)) return;
    db *c = db_thread();
    int rc = c ? accounts_create(c, r->principal, &r->arena, &in, &u) : DB_ERR;
    if (rc != DB_OK) { reply_accounts_error(r, rc); return; }
    reply_json(r, 201, user_json(&u, false));
}

static void handle_update(request *r)
{
    int64_t id;
    user_input in;
    user u;
    if (!param_id(r, 0, &id) || !read_user_input(r, &in, false)) return;
    db *c = db_thread();
    int rc = c ? accounts_update(c, r->principal, &r->arena, id, &in, &u) : DB_ERR;
    if (rc != DB_OK) { reply_accounts_error(r, rc); return; }
    reply_json(r, 200, user_json(&u, u.id == r->principal->user_id));
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
    if (rc != DB_OK) { reply_accounts_error(r, rc); return; }
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
    if (rc != DB_OK) { reply_accounts_error(r, rc); return; }
    if (!check_password_policy(r, "password", password, u.username)) return;
    rc = accounts_set_password(c, r->principal, &r->arena, id, password);
    if (rc != DB_OK) { reply_accounts_error(r, rc); return; }
    reply_empty(r, 204);
}

static const struct route accounts_routes[] = {
    {"GET", "/api/v1/users", handle_list, RANK_STAFF, 0, .summary = "List users (用户) whose home org is in scope"},
    {"GET", "/api/v1/users/:id", handle_get, RANK_STAFF, 0, .summary = "One user"},
    {"POST", "/api/v1/users", handle_create, RANK_ORG_ADMIN, 0, .summary = "Create a user"},
    {"PATCH", "/api/v1/users/:id", handle_update, RANK_ORG_ADMIN, 0, .summary = "Change a user (disabling ends its sessions)"},
    {"DELETE", "/api/v1/users/:id", handle_delete, RANK_ORG_ADMIN, 0, .summary = "Disable a user (accounts are never erased)"},
    {"POST", "/api/v1/users/:id/password", handle_reset_password, RANK_ORG_ADMIN, 0, .summary = "Reset a user's password (ends its sessions)"},
    {0},
};

void accounts_register_routes(void)
{
    router_add_table(accounts_routes);
    session_register_routes();
}
