/* selection_api.c - HTTP handlers of the excellent-teacher selection
 * (docs/api.md "Teachers (师资库)"). */
#include "teaching/teacher_internal.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

static const char *const decisions[] = {"approve", "reject", NULL};

/* {"items": [...]}: at most 1000 nominations in scope, newest year first; ?org_id= (a subtree,
 * 404 outside the scope), ?year= and ?status=. */
static void handle_list(request *r)
{
    int64_t total;
    qb where;
    jw w;
    db *c = db_thread();
    if (!entity_request_where(r, c, &selection_entity, &where)) return;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    int rc = entity_list_page(c, &selection_entity, &where, NULL, 1000, 0, &r->arena, &w, &total, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, &selection_entity, rc); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static void handle_decide(request *r)
{
    static const char *const fields[] = {"decision", "reason", NULL};
    int64_t id;
    const char *decision = NULL, *reason = NULL;
    selection out;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, fields, NULL) ||
        !body_enum(r, "decision", true, decisions, &decision) || !body_name(r, "reason", false, 500, &reason))
        return;
    db *c = db_thread();
    int rc = c ? selections_decide(c, r->principal, &r->arena, id, !strcmp(decision, "approve"), reason, &out) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &selection_entity, rc); return; }
    entity_reply(r, &selection_entity, 200, &out);
}

const struct route selection_routes[] = {
    {"GET", "/api/v1/teacher-selections", handle_list, RANK_MEMBER, 0, .summary = "Excellent-teacher selection (优秀教师评选): nominations and results", .entity = &selection_entity},
    {"POST", "/api/v1/teacher-selections", entity_handle_create, RANK_ORG_ADMIN, 0, .summary = "Nominate a teacher (district)", .entity = &selection_entity},
    {"POST", "/api/v1/teacher-selections/:id/decide", handle_decide, RANK_ORG_ADMIN, 0, .summary = "Approve or reject a nomination (city)", .entity = &selection_entity},
    {0},
};
