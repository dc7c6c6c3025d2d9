/* accounts.c - the users model and its queries (see accounts.h). */
#include "accounts/accounts.h"
#include "core/validate.h"
#include "db/query.h"
#include "model/entity.h"
#include <stddef.h>
#include <string.h>

static const char *check_username(arena *a, const char **value)
{
    (void)a;
    return valid_username(*value) ? NULL : "用户名为 3-32 位字母、数字或 _ . - / username: 3-32 letters, digits, _ . -";
}

static const char *check_email(arena *a, const char **value)
{
    (void)a;
    return valid_email(*value) ? NULL : "邮箱格式不正确 / invalid e-mail address";
}

#define T(member) offsetof(user, member)
static const field user_fields[] = {
    {"id", "u.id", FT_ID, T(id), .flags = 0},
    {"username", "u.username", FT_TEXT, T(username), .flags = FF_CREATE | FF_REQUIRED | FF_SEARCH, .check = check_username,
     .example = "\"zhang_san\""},
    {"name", "u.name", FT_TEXT, T(name), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 50},
    {"org_id", "u.org_id", FT_ID, T(org_id), .flags = FF_WRITE | FF_REQUIRED, .doc = "the home org"},
    {"org_name", "o.name", FT_TEXT, T(org_name), .flags = 0},
    {"org_path", "o.path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"role", "u.role", FT_ENUM, T(role), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .choices = role_names},
    {"data_scope", "u.data_scope", FT_ENUM, T(data_scope), .flags = FF_WRITE | FF_REQUIRED, .choices = scope_names},
    {"active", "u.active", FT_BOOL, T(active), .flags = FF_WRITE | FF_FILTER, .doc = "false: disabled (sessions ended)"},
    {"phone", "u.phone", FT_TEXT, T(phone), .flags = FF_WRITE | FF_MASK_PHONE, .check = check_phone,
     .doc = "masked, but in the user's own record"},
    {"email", "u.email", FT_TEXT, T(email), .flags = FF_WRITE, .check = check_email},
    {"member_org_ids", NULL, FT_JSON, T(member_org_ids), .flags = FF_WRITE | FF_NO_SELECT | FF_BODY_OWN,
     .example = "[7]", .doc = "at most 8 orgs the user also belongs to (兼职机构)"},
    {"password", NULL, FT_TEXT, T(password), .flags = FF_CREATE | FF_REQUIRED | FF_HIDDEN | FF_NO_SELECT | FF_BODY_OWN,
     .doc = "checked by the password policy; stored hashed, never shown"},
    {"last_login_at", "u.last_login_at", FT_TIME, T(last_login_at), .flags = 0},
    {"created_at", "u.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "u.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {0},
};
#undef T

static const error_row user_errors[] = {
    {ACC_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {ACC_MEMBER_ORG_NOT_FOUND, 404, "not_found", "member_org_ids", "兼职机构不存在 / an org of member_org_ids was not found"},
    {ACC_DUPLICATE_USERNAME, 409, "duplicate_username", "username", "用户名已存在 / username already taken"},
    {ACC_GRANT_TOO_HIGH, 403, "forbidden", NULL, "不能授予或修改高于自身的角色或数据权限 / cannot grant or touch rights above your own"},
    {ACC_WEAK_PASSWORD, 422, "weak_password", "password", "密码太弱 / password too weak"},
    {ACC_SELF_CHANGE, 422, "invalid_field", NULL, "不能停用自己或修改自己的角色、权限、机构 / cannot disable or demote yourself"},
    {0},
};

/* Fills the memberships (a JSON array's text) of n users with a single query over their id range. */
static int load_members(db *c, arena *a, void *recs, int n)
{
    user *users = recs;
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
    for (int i = 0; i < n; i++) users[i].member_org_ids = NULL;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t uid = db_col_int(s, 0);
        for (int i = 0; i < n; i++) {
            const char *had = users[i].member_org_ids;
            if (users[i].id == uid)
                users[i].member_org_ids = arena_printf(a, "%s%lld,", had ? had : "", (long long)db_col_int(s, 1));
        }
    }
    db_finish(s);
    for (int i = 0; i < n; i++) {   /* "3,5," -> "[3,5]" */
        const char *ids = users[i].member_org_ids;
        users[i].member_org_ids = ids ? arena_printf(a, "[%.*s]", (int)strlen(ids) - 1, ids) : "[]";
    }
    return rc == DB_DONE ? DB_OK : rc;
}

entity user_entity = {
    .name = "user",
    .doc = "A user account (用户); never a password or its hash",
    .from = " FROM users u JOIN orgs o ON o.id = u.org_id",
    .id_column = "u.id",
    .path_column = "o.path",
    .owner_column = "u.id",   /* scope 'self' sees its own account */
    .order = " ORDER BY u.id",
    .size = sizeof(user),
    .fields = user_fields,
    .not_found = ACC_NOT_FOUND,
    .org_not_found = ACC_ORG_NOT_FOUND,
    .errors = user_errors,
    .complete_page = load_members,
};

json_t *user_json(const user *u, bool reveal)
{
    jw w;
    jw_init(&w);
    jw_obj(&w);
    if (reveal) entity_write_fields_unmasked(&w, &user_entity, u);
    else entity_write_fields(&w, &user_entity, u);
    jw_obj_end(&w);
    json_t *j = jw_to_json(&w);
    jw_free(&w);
    return j;
}
