/* accounts_api.c - HTTP handlers of /users (docs/api.md "users"), and the reading of user fields
 * from request bodies they share with /me (accounts_input.h): the field table (user_entity)
 * reads and checks them; memberships and the password are read here. */
#include "accounts/accounts.h"
#include "accounts/accounts_input.h"
#include "core/password_policy.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <stddef.h>
#include <string.h>

bool check_password_policy(request *r, const char *name, const char *password, const char *username)
{
    const char *why = password_weakness(password, username);
    if (!why) return true;
    const char *slash = strstr(why, " / ");
    reply_error(r, 422, "weak_password", name, "密码太弱：%.*s / password too weak: %s",
                (int)(slash ? slash - why : (ptrdiff_t)strlen(why)), why, slash ? slash + 3 : why);
    return false;
}

static bool read_members(request *r, user_input *in)
{
    json_t *v = json_object_get(r->json, "member_org_ids");
    if (!v || json_is_null(v)) return true;
    if (!json_is_array(v) || json_array_size(v) > ACC_MAX_MEMBERSHIPS) {
        reply_error(r, 422, "invalid_field", "member_org_ids",
                    "member_org_ids 应为至多 %d 个机构编号的数组 / an array of at most %d org ids",
                    ACC_MAX_MEMBERSHIPS, ACC_MAX_MEMBERSHIPS);
        return false;
    }
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        if (!json_is_integer(e) || json_integer_value(e) <= 0) {
            reply_error(r, 422, "invalid_field", "member_org_ids", "机构编号应为正整数 / ids must be positive integers");
            return false;
        }
        in->members[in->nmembers++] = json_integer_value(e);
    }
    in->has_members = true;
    return true;
}

/* The fields read into u, as a user_input: NULL unchanged, a present null or "" clears. */
static void take_fields(request *r, const user *u, user_input *in)
{
    in->username = u->username, in->name = u->name, in->org_id = u->org_id, in->role = u->role;
    in->data_scope = u->data_scope, in->phone = u->phone, in->email = u->email;
    in->active = u->active, in->has_active = body_has(r, "active");
    in->clear_phone = body_has(r, "phone") && !u->phone;
    in->clear_email = body_has(r, "email") && !u->email;
}

/* Reads a create (all required fields) or update body into in; replies and returns false on
 * bad input. */
static bool read_user_input(request *r, user_input *in, bool creating)
{
    user u = {0};
    memset(in, 0, sizeof *in);
    if (!entity_read_body(r, &user_entity, &u, creating) || !read_members(r, in)) return false;
    take_fields(r, &u, in);
    if (in->org_id < 0) {
        reply_error(r, 404, "not_found", "org_id", "机构不存在 / organization not found");
        return false;
    }
    if (creating && (!body_string(r, "password", true, &in->password) ||
                     !check_password_policy(r, "password", in->password, in->username)))
        return false;
    return true;
}

bool read_profile_input(request *r, user_input *in)
{
    static const char *const fields[] = {"name", "phone", "email", NULL};
    static const char *const read_only[] = {"id", "username", "org_id", "org_name", "role", "data_scope",
                                            "active", "member_org_ids", "password", "last_login_at",
                                            "created_at", "updated_at", NULL};
    user u = {0};
    memset(in, 0, sizeof *in);
    if (!body_allow_fields(r, fields, read_only) || !entity_read_body(r, &user_entity, &u, false)) return false;
    take_fields(r, &u, in);
    return true;
}

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
