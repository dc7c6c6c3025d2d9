/* orgs_api.c - HTTP handlers and routes of the organization tree (docs/api.md "orgs"). */
#include "orgs/orgs.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

#define NAME_MAX_CHARS 100

static const char *const org_read_only[] = {"id", "path", "depth", "created_at", "updated_at", NULL};

/* Replies for a model error code; DB_OK is not an error. */
static void reply_orgs_error(request *r, int rc)
{
    switch (rc) {
    case ORGS_NOT_FOUND: reply_not_found(r); break;
    case ORGS_INTO_DESCENDANT:
        reply_error(r, 409, "move_into_descendant", "parent_id",
                    "不能移动到自身或其下级之下 / cannot move a node under itself or its descendant");
        break;
    case ORGS_NOT_EMPTY:
        reply_error(r, 409, "org_not_empty", NULL,
                    "该机构下仍有下级机构、用户或业务数据，不能删除 / the node still has children, users or records");
        break;
    case ORGS_IS_ROOT:
        reply_error(r, 403, "forbidden", NULL, "根机构不能移动或删除 / the root cannot be moved or deleted");
        break;
    case ORGS_OUT_OF_REACH:
        reply_error(r, 403, "forbidden", NULL,
                    "您的数据权限不包含该位置 / the result would lie outside your data scope");
        break;
    case ORGS_PARENT_ONLY:
        reply_error(r, 403, "forbidden", NULL,
                    "机构自身的类型、代码和名称只能由上级机构的管理员修改 / "
                    "only an administrator over the parent may change a node's own type, code or name");
        break;
    case ORGS_DUPLICATE_CODE:
        reply_error(r, 409, "duplicate_code", "code", "机构代码已存在 / this code is already in use");
        break;
    default: reply_db_error(r); break;
    }
}

/* A parent that does not exist or lies outside the scope: 404, naming the field. */
static void reply_parent_error(request *r, int rc)
{
    if (rc == ORGS_NOT_FOUND)
        reply_error(r, 404, "not_found", "parent_id", "上级机构不存在 / parent not found");
    else
        reply_orgs_error(r, rc);
}

static bool read_code(request *r, const char **code)
{
    if (!body_string(r, "code", false, code)) return false;
    if (*code && **code && !valid_org_code(*code)) {
        reply_error(r, 422, "invalid_field", "code",
                    "机构代码为 1-32 位字母、数字、- 或 _ / code: 1-32 letters, digits, - or _");
        return false;
    }
    return true;
}

static void handle_list(request *r)
{
    org_filter f = {0};
    page pg;
    bool has_parent;
    if (!query_id(r, "parent_id", &f.parent_id, &has_parent) || !query_page(r, &pg)) return;
    f.type = req_query(r, "type");
    f.q = req_query(r, "q");
    if (f.type && !*f.type) f.type = NULL;
    db *c = db_thread();
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    if (!c || orgs_list(c, r->principal, &r->arena, &f, pg.size, pg.offset, &w, &total) != DB_OK) {
        jw_free(&w);
        reply_db_error(r);
        return;
    }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

static void handle_get(request *r)
{
    int64_t id;
    org o;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? orgs_get(c, r->principal, &r->arena, id, &o) : DB_ERR;
    if (rc != DB_OK) { reply_orgs_error(r, rc); return; }
    reply_json(r, 200, org_json(&o));
}

static void reply_tree(request *r, int64_t id)
{
    db *c = db_thread();
    json_t *tree = NULL;
    int rc = c ? orgs_tree(c, r->principal, &r->arena, id, &tree) : DB_ERR;
    if (rc != DB_OK) { reply_orgs_error(r, rc); return; }
    reply_json(r, 200, id ? tree : json_pack("{s:o}", "items", tree));
}

static void handle_subtree(request *r)
{
    int64_t id;
    if (param_id(r, 0, &id)) reply_tree(r, id);
}

static void handle_forest(request *r) { reply_tree(r, 0); }

static void handle_create(request *r)
{
    static const char *const allowed[] = {"parent_id", "type", "name", "code", NULL};
    int64_t parent_id = 0;
    const char *type, *name, *code;
    org o;
    if (!body_allow_fields(r, allowed, org_read_only) ||
        !body_int(r, "parent_id", true, &parent_id, NULL) ||
        !body_enum(r, "type", true, org_types, &type) ||
        !body_name(r, "name", true, NAME_MAX_CHARS, &name) || !read_code(r, &code))
        return;
    db *c = db_thread();
    int rc = c ? orgs_create(c, r->principal, &r->arena, parent_id, type, name, code, &o) : DB_ERR;
    if (rc != DB_OK) { reply_parent_error(r, rc); return; }
    reply_json(r, 201, org_json(&o));
}

static void handle_update(request *r)
{
    static const char *const allowed[] = {"parent_id", "type", "name", "code", NULL};
    int64_t id, parent_id = 0;
    const char *type, *name, *code;
    org o;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, org_read_only) ||
        !body_int(r, "parent_id", false, &parent_id, NULL) ||
        !body_enum(r, "type", false, org_types, &type) ||
        !body_name(r, "name", false, NAME_MAX_CHARS, &name) || !read_code(r, &code))
        return;
    if (body_has(r, "code") && !code) code = "";   /* "code": null clears it */
    db *c = db_thread();
    int rc = c ? orgs_update(c, r->principal, &r->arena, id, type, name, code, parent_id, &o) : DB_ERR;
    /* The node itself was found when the error concerns the new parent. */
    if (rc == ORGS_NOT_FOUND && parent_id && orgs_get(c, r->principal, &r->arena, id, &o) == DB_OK) {
        reply_parent_error(r, rc);
        return;
    }
    if (rc != DB_OK) { reply_orgs_error(r, rc); return; }
    reply_json(r, 200, org_json(&o));
}

static void handle_delete(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? orgs_delete(c, r->principal, &r->arena, id) : DB_ERR;
    if (rc != DB_OK) { reply_orgs_error(r, rc); return; }
    reply_empty(r, 204);
}

static const struct route orgs_routes[] = {
    {"GET", "/api/v1/orgs", handle_list, RANK_MEMBER, 0, .summary = "List orgs (组织机构) in scope, by id"},
    {"GET", "/api/v1/orgs/tree", handle_forest, RANK_MEMBER, 0, .summary = "The caller's visible forest, nested"},
    {"GET", "/api/v1/orgs/:id", handle_get, RANK_MEMBER, 0, .summary = "One org"},
    {"GET", "/api/v1/orgs/:id/tree", handle_subtree, RANK_MEMBER, 0, .summary = "An org's subtree, nested"},
    {"POST", "/api/v1/orgs", handle_create, RANK_ORG_ADMIN, 0, .summary = "Create a child org"},
    {"PATCH", "/api/v1/orgs/:id", handle_update, RANK_ORG_ADMIN, 0, .summary = "Rename, retype, recode, or move (parent_id) an org"},
    {"DELETE", "/api/v1/orgs/:id", handle_delete, RANK_ORG_ADMIN, 0, .summary = "Delete an empty org"},
    {0},
};

void orgs_register_routes(void) { router_add_table(orgs_routes); }
