/* accounts_input.c - user fields from request bodies (see accounts_input.h). */
#include "accounts/accounts_input.h"
#include "core/password_policy.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include <stddef.h>
#include <string.h>

static const char *const user_read_only[] = {"id", "org_name", "last_login_at", "created_at",
                                             "updated_at", "password_hash", NULL};

bool check_password_policy(request *r, const char *field, const char *password, const char *username)
{
    const char *why = password_weakness(password, username);
    if (!why) return true;
    const char *slash = strstr(why, " / ");
    reply_error(r, 422, "weak_password", field, "密码太弱：%.*s / password too weak: %s",
                (int)(slash ? slash - why : (ptrdiff_t)strlen(why)), why, slash ? slash + 3 : why);
    return false;
}

static bool read_contact(request *r, user_input *in)
{
    if (!body_string(r, "phone", false, &in->phone) || !body_string(r, "email", false, &in->email))
        return false;
    in->clear_phone = body_has(r, "phone") && (!in->phone || !*in->phone);
    in->clear_email = body_has(r, "email") && (!in->email || !*in->email);
    if (in->clear_phone) in->phone = NULL;
    if (in->clear_email) in->email = NULL;
    if (in->phone && !valid_phone(in->phone)) {
        reply_error(r, 422, "invalid_field", "phone", "手机号码格式不正确 / invalid mobile number");
        return false;
    }
    if (in->email && !valid_email(in->email)) {
        reply_error(r, 422, "invalid_field", "email", "邮箱格式不正确 / invalid e-mail address");
        return false;
    }
    return true;
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

bool read_user_input(request *r, user_input *in, bool creating)
{
    static const char *const create_fields[] = {"username", "name", "org_id", "role", "data_scope",
                                                "password", "phone", "email", "member_org_ids",
                                                "active", NULL};
    static const char *const update_fields[] = {"name", "org_id", "role", "data_scope", "active",
                                                "phone", "email", "member_org_ids", NULL};
    static const char *const update_read_only[] = {"id", "username", "password", "org_name",
                                                   "last_login_at", "created_at", "updated_at", NULL};
    memset(in, 0, sizeof *in);
    if (!body_allow_fields(r, creating ? create_fields : update_fields,
                           creating ? user_read_only : update_read_only))
        return false;
    if (creating && !body_string(r, "username", true, &in->username)) return false;
    if (creating && !valid_username(in->username)) {
        reply_error(r, 422, "invalid_field", "username",
                    "用户名为 3-32 位字母、数字或 _ . - / username: 3-32 letters, digits, _ . -");
        return false;
    }
    if (!body_name(r, "name", creating, 50, &in->name) ||
        !body_int(r, "org_id", creating, &in->org_id, NULL) ||
        !body_enum(r, "role", creating, role_names, &in->role) ||
        !body_enum(r, "data_scope", creating, scope_names, &in->data_scope) ||
        !body_bool(r, "active", &in->active, &in->has_active) || !read_contact(r, in) ||
        !read_members(r, in))
        return false;
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
    memset(in, 0, sizeof *in);
    return body_allow_fields(r, fields, read_only) && body_name(r, "name", false, 50, &in->name) &&
           read_contact(r, in);
}
