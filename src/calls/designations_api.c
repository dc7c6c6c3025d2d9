/* designations_api.c - HTTP side of titles (results.h): the kinds, the list (?kind=, ?status=
 * active|expired|revoked, ?org_id=), one title, a grant by hand, a revocation with its reason,
 * and a node's titles with their history (GET /orgs/:id/titles). */
#include "calls/results.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "core/validate.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include <string.h>

static const char *const list_statuses[] = {"active", "expired", "revoked", NULL};

/* ?status=: active and expired are told apart by valid_to against today. */
bool designations_status_filter(request *r, qb *where)
{
    const char *status = req_query(r, "status");
    if (!status || !*status) return true;
    if (!str_in_list(status, list_statuses)) {
        reply_error(r, 422, "invalid_field", "status", "status 应为 active、expired 或 revoked / status: active, expired or revoked");
        return false;
    }
    char now[32];
    time_now_rfc3339(now);
    now[10] = 0;
    qb_sql(where, !strcmp(status, "revoked") ? " AND d.status = 'revoked' AND ? <> ''"
                : !strcmp(status, "active") ? " AND d.status = 'active' AND (d.valid_to IS NULL OR d.valid_to >= ?)"
                                            : " AND d.status = 'active' AND d.valid_to IS NOT NULL AND d.valid_to < ?");
    qb_text(where, now);
    return true;
}

static void handle_list(request *r)
{
    db *c = db_thread();
    qb where;
    page pg;
    if (!entity_list_begin(r, c, &designation_entity, &where, &pg)) return;
    if (!designations_status_filter(r, &where)) { qb_free(&where); return; }
    entity_reply_list(r, c, &designation_entity, &where, NULL, &pg);
}

static void handle_revoke(request *r)
{
    int64_t id;
    const char *reason;
    designation out;
    if (!param_id(r, 0, &id) || !body_name(r, "reason", true, 500, &reason)) return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    entity_reply_result(r, &designation_entity, designations_revoke(c, r->principal, &r->arena, id, reason, &out), 200, &out);
}

/* {"items": [...]}: every title of the node, its history included, newest first. */
static void handle_org_titles(request *r)
{
    int64_t id;
    org o;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? orgs_get(c, r->principal, &r->arena, id, &o) : DB_ERR;
    if (rc == ORGS_NOT_FOUND) { reply_not_found(r); return; }
    if (rc != DB_OK) { reply_db_error(r); return; }
    qb where;
    /* the node is in the caller's scope, and its titles carry its path */
    qb_init(&where, " WHERE d.org_id = ?");
    qb_int(&where, id);
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    rc = entity_list_all(c, &designation_entity, &where, " ORDER BY d.valid_from DESC, d.id DESC", &r->arena, &w, NULL, NULL);
    jw_obj_end(&w);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw(r, 200, &w);
}

static const struct route des_routes[] = {
    {"GET", "/api/v1/designation-kinds", entity_handle_list, RANK_STAFF, 0, .summary = "Kinds of title (称号)",
     .entity = &designation_kind_entity},
    {"GET", "/api/v1/designations", handle_list, RANK_MEMBER, 0,
     .summary = "Titles (命名) in scope; ?kind=, ?status=active|expired|revoked, ?org_id=", .entity = &designation_entity},
    {"POST", "/api/v1/designations", entity_handle_create, RANK_ORG_ADMIN, 0,
     .summary = "Grant a title by hand to a unit below the caller's", .entity = &designation_entity},
    {"GET", "/api/v1/designations/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "One title", .entity = &designation_entity},
    {"POST", "/api/v1/designations/:id/revoke", handle_revoke, RANK_ORG_ADMIN, 0,
     .summary = "Revoke a title (撤销命名) with a reason", .entity = &designation_entity},
    {"GET", "/api/v1/orgs/:id/titles", handle_org_titles, RANK_MEMBER, 0, .summary = "A node's titles and their history",
     .entity = &designation_entity},
    {0},
};

void designations_register_routes(void) { router_add_table(des_routes); }
