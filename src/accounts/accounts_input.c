/* accounts_input.c - user fields from request bodies (see accounts_input.h): the field table
 * (user_entity) reads and checks them; memberships and the password are read here. */
#include "accounts/accounts_input.h"
#include "core/password_policy.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
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

bool read_user_input(request *r, user_input *in, bool creating)
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
