/* orgs_api.c - HTTP handlers and routes of the organization tree (docs/api.md "orgs"). */
#include "orgs/orgs.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "model/entity.h"

/* A parent that does not exist or lies outside the scope: 404, naming the field. */
static const error_row parent_errors[] = {
    {ORGS_NOT_FOUND, 404, "not_found", "parent_id", "上级机构不存在 / parent not found"},
    {0},
};

static void reply_parent_error(request *r, int rc)
{
    if (rc == ORGS_NOT_FOUND) reply_error_row(r, parent_errors, rc);
    else entity_reply_error(r, &org_entity, rc);
}

static void reply_tree(request *r, int64_t id)
{
    db *c = db_thread();
    json_t *tree = NULL;
    int rc = c ? orgs_tree(c, r->principal, &r->arena, id, &tree) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &org_entity, rc); return; }
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
    org in = {0}, o;
    if (!entity_read_body(r, &org_entity, &in, true)) return;
    db *c = db_thread();
    int rc = c ? orgs_create(c, r->principal, &r->arena, in.parent_id, in.type, in.name, in.code, &o) : DB_ERR;
    if (rc != DB_OK) { reply_parent_error(r, rc); return; }
    entity_reply(r, &org_entity, 201, &o);
}

static void handle_update(request *r)
{
    int64_t id;
    org in = {0}, o;
    if (!param_id(r, 0, &id) || !entity_read_body(r, &org_entity, &in, false)) return;
    if (body_has(r, "code") && !in.code) in.code = "";   /* "code": null or "" clears it */
    db *c = db_thread();
    int rc = c ? orgs_update(c, r->principal, &r->arena, id, in.type, in.name, in.code, in.parent_id, &o) : DB_ERR;
    /* The node itself was found when the error concerns the new parent. */
    if (rc == ORGS_NOT_FOUND && in.parent_id && orgs_get(c, r->principal, &r->arena, id, &o) == DB_OK) {
        reply_parent_error(r, rc);
        return;
    }
    if (rc != DB_OK) { entity_reply_error(r, &org_entity, rc); return; }
    entity_reply(r, &org_entity, 200, &o);
}

static const struct route orgs_routes[] = {
    {"GET", "/api/v1/orgs", entity_handle_list, RANK_MEMBER, 0, .summary = "List orgs (组织机构) in scope, by id", .entity = &org_entity},
    {"GET", "/api/v1/orgs/tree", handle_forest, RANK_MEMBER, 0, .summary = "The caller's visible forest, nested", .entity = &org_entity},
    {"GET", "/api/v1/orgs/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "One org", .entity = &org_entity},
    {"GET", "/api/v1/orgs/:id/tree", handle_subtree, RANK_MEMBER, 0, .summary = "An org's subtree, nested", .entity = &org_entity},
    {"POST", "/api/v1/orgs", handle_create, RANK_ORG_ADMIN, 0, .summary = "Create a child org", .entity = &org_entity},
    {"PATCH", "/api/v1/orgs/:id", handle_update, RANK_ORG_ADMIN, 0, .summary = "Rename, retype, recode, or move (parent_id) an org", .entity = &org_entity},
    {"DELETE", "/api/v1/orgs/:id", entity_handle_delete, RANK_ORG_ADMIN, 0, .summary = "Delete an empty org", .entity = &org_entity},
    {0},
};

void orgs_register_routes(void) { router_add_table(orgs_routes); }
