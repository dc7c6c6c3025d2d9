/* audit_api.c - GET /audit and GET /audit/logins, within the caller's scope: the two logs as
 * declared records (model/entity.h), read only. */
#include "audit/audit.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "model/entity.h"
#include <stddef.h>

typedef struct audit_entry {
    int64_t id, user_id, entity_id;
    const char *at, *username, *org_path, *entity, *action, *changes, *request_id, *ip;
} audit_entry;

typedef struct login_entry {
    int64_t id, user_id;
    const char *at, *username, *org_path, *reason, *ip, *user_agent;
    bool success;
} login_entry;

static const error_row audit_errors[] = {
    {AUDIT_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {0},
};

#define T(member) offsetof(audit_entry, member)
static const field audit_fields[] = {
    {"id", "id", FT_ID, T(id), .flags = 0},
    {"at", "at", FT_TIME, T(at), .flags = 0},
    {"user_id", "user_id", FT_INT_NULL, T(user_id), .flags = FF_FILTER, .doc = "null for the system or a key"},
    {"username", "username", FT_TEXT, T(username), .flags = 0},
    {"org_path", "org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"entity", "entity", FT_TEXT, T(entity), .flags = FF_FILTER, .example = "\"org\""},
    {"entity_id", "entity_id", FT_INT, T(entity_id), .flags = FF_FILTER},
    {"action", "action", FT_TEXT, T(action), .flags = FF_FILTER, .example = "\"update\""},
    {"changes", "changes", FT_JSON, T(changes), .flags = 0,
     .doc = "{\"field\": {\"before\": x, \"after\": y}}, personal data masked"},
    {"request_id", "request_id", FT_TEXT, T(request_id), .flags = 0},
    {"ip", "ip", FT_TEXT, T(ip), .flags = 0},
    {0},
};
#undef T

entity audit_entry_entity = {
    .name = "audit_entry",
    .doc = "An entry of the change log (审计日志)",
    .from = " FROM audit_log",
    .id_column = "id",
    .path_column = "org_path",
    .order = " ORDER BY id DESC",
    .size = sizeof(audit_entry),
    .fields = audit_fields,
    .not_found = AUDIT_NOT_FOUND,
    .org_not_found = AUDIT_ORG_NOT_FOUND,
    .errors = audit_errors,
};

#define T(member) offsetof(login_entry, member)
static const field login_fields[] = {
    {"id", "id", FT_ID, T(id), .flags = 0},
    {"at", "at", FT_TIME, T(at), .flags = 0},
    {"username", "username", FT_TEXT, T(username), .flags = FF_FILTER},
    {"user_id", "user_id", FT_INT_NULL, T(user_id), .flags = 0, .doc = "null for an unknown username"},
    {"org_path", "org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"success", "success", FT_BOOL, T(success), .flags = FF_FILTER},
    {"reason", "reason", FT_TEXT, T(reason), .flags = 0, .example = "\"wrong_password\""},
    {"ip", "ip", FT_TEXT, T(ip), .flags = 0},
    {"user_agent", "user_agent", FT_TEXT, T(user_agent), .flags = 0},
    {0},
};
#undef T

entity login_entry_entity = {
    .name = "login_entry",
    .doc = "An entry of the login log (登录日志)",
    .from = " FROM login_log",
    .id_column = "id",
    .path_column = "org_path",
    .order = " ORDER BY id DESC",
    .size = sizeof(login_entry),
    .fields = login_fields,
    .not_found = AUDIT_NOT_FOUND,
    .org_not_found = AUDIT_ORG_NOT_FOUND,
    .errors = audit_errors,
};

/* from/to are calendar days in Shanghai; the logs' times are RFC 3339 text in +08:00, so a day
 * bound compares correctly as text. Replies and releases q on a bad day. */
static bool add_days(request *r, qb *q)
{
    static const char *const keys[] = {"from", "to"};
    for (int i = 0; i < 2; i++) {
        const char *v = req_query(r, keys[i]);
        if (!v || !*v) continue;
        if (time_parse_date(v) < 0) {
            qb_free(q);
            reply_error(r, 422, "invalid_field", keys[i], "日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
            return false;
        }
        qb_sql(q, i ? " AND at < ?" : " AND at >= ?");
        qb_text(q, i ? arena_printf(&r->arena, "%sT99", v) : v);
    }
    return true;
}

/* Either log: scope, ?org_id= subtree, the fields' filters, the days; newest first. */
static void handle_log(request *r)
{
    const entity *e = r->route->entity;
    db *c = db_thread();
    qb where;
    page pg;
    if (entity_list_begin(r, c, e, &where, &pg) && add_days(r, &where)) entity_reply_list(r, c, e, &where, NULL, &pg);
}

static const struct route audit_routes[] = {
    {"GET", "/api/v1/audit", handle_log, RANK_STAFF, 0, .summary = "Change log (审计日志) in scope, newest first", .entity = &audit_entry_entity},
    {"GET", "/api/v1/audit/logins", handle_log, RANK_ORG_ADMIN, 0, .summary = "Login log (登录日志) in scope, newest first", .entity = &login_entry_entity},
    {0},
};

void audit_register_routes(void) { router_add_table(audit_routes); }
