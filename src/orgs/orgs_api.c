/* orgs_api.c - HTTP handlers and routes of the organization tree (docs/api.md "orgs"). */
#include "orgs/orgs.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "model/entity.h"

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

static const struct route orgs_routes[] = {
    {"GET", "/api/v1/orgs", entity_handle_list, RANK_MEMBER, 0, .summary = "List orgs (组织机构) in scope, by id", .entity = &org_entity},
    {"GET", "/api/v1/orgs/tree", handle_forest, RANK_MEMBER, 0, .summary = "The caller's visible forest, nested", .entity = &org_entity},
    {"GET", "/api/v1/orgs/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "One org", .entity = &org_entity},
    {"GET", "/api/v1/orgs/:id/tree", handle_subtree, RANK_MEMBER, 0, .summary = "An org's subtree, nested", .entity = &org_entity},
    {"POST", "/api/v1/orgs", entity_handle_create, RANK_ORG_ADMIN, 0, .summary = "Create a child org", .entity = &org_entity},
    {"PATCH", "/api/v1/orgs/:id", entity_handle_update, RANK_ORG_ADMIN, 0, .summary = "Rename, retype, recode, or move (parent_id) an org", .entity = &org_entity},
    {"DELETE", "/api/v1/orgs/:id", entity_handle_delete, RANK_ORG_ADMIN, 0, .summary = "Delete an empty org", .entity = &org_entity},
    {0},
};

void orgs_register_routes(void)
{
    router_add_table(orgs_routes);
    orgs_import_register_routes();
}
