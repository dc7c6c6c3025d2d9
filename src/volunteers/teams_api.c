/* teams_api.c - HTTP handlers of volunteer teams and their memberships
 * (docs/api.md "Volunteer teams (科技志愿服务队)"): categories, the proposed name, list, export,
 * read, create, update, dissolve, members, applications, invitations and their decisions. */
#include "volunteers/volunteers_internal.h"
#include "volunteers/projects.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include <string.h>

static void handle_categories(request *r)
{
    db *c = db_thread();
    jw w;
    qb q;
    if (!c) { reply_db_error(r); return; }
    qb_init(&q, " ORDER BY k.sort, k.code");   /* the same for everyone: no scope */
    vp_items_open(&w, 0);
    vp_items_reply(r, &w, entity_list_all(c, &team_category_entity, &q, "", NULL, &w, NULL, NULL));
}

static void handle_propose(request *r)
{
    int64_t org_id = 0;
    bool has;
    const char *category = req_query(r, "category"), *name = NULL;
    if (!query_id(r, "org_id", &org_id, &has)) return;
    if (!has) { reply_error(r, 422, "required", "org_id", "请选择所属单位 / choose the owner org"); return; }
    if (!category || !*category) { reply_error(r, 422, "required", "category", "请选择类别 / choose the category"); return; }
    db *c = db_thread();
    int rc = c ? teams_propose_name(c, r->principal, &r->arena, org_id, category, &name) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &volunteer_team_entity, rc); return; }
    reply_json(r, 200, json_pack("{s:s}", "name", name));
}

static void handle_export(request *r)
{
    static const xlsx_col cols[] = {{"服务队名称", 30}, {"类别", 16}, {"所属单位", 24}, {"队长", 10}, {"联系人", 10},
                                    {"联系电话", 14}, {"状态", 8}, {"队员数", 8}, {"待审批申请", 10}, {"成立时间", 20}};
    qb where;
    db *c = db_thread();
    if (!entity_request_where(r, c, &volunteer_team_entity, &where)) return;
    xlsx *x = xlsx_open_table("科技志愿服务队", NULL, cols, 10);
    if (!x) { qb_free(&where); reply_export_failed(r); return; }
    int rc = teams_export(c, &where, x);
    if (rc != DB_OK) { xlsx_abort(x); entity_reply_error(r, &volunteer_team_entity, rc); return; }
    xlsx_reply(x, r, "科技志愿服务队.xlsx");
}

static void handle_members(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    if (!query_choice(r, "status", member_statuses)) return;
    const char *state = req_query(r, "status");
    db *c = db_thread();
    jw w;
    vp_items_open(&w, 0);
    vp_items_reply(r, &w, c ? members_of_team(c, r->principal, &r->arena, id, state, &w) : DB_ERR);
}

/* {"volunteer_id", "how": apply | invite | add, "role"}: an application recorded for the
 * volunteer, an invitation, or an active member at once. */
static void handle_join(request *r)
{
    static const char *const allowed[] = {"volunteer_id", "how", "role", NULL};
    static const char *const hows[] = {"apply", "invite", "add", NULL};
    int64_t team_id, volunteer_id = 0, id = 0;
    const char *how = NULL, *role = NULL;
    if (!param_id(r, 0, &team_id) || !body_allow_fields(r, allowed, NULL) ||
        !body_int(r, "volunteer_id", true, &volunteer_id, NULL) || !body_enum(r, "how", false, hows, &how) ||
        !body_enum(r, "role", false, member_roles, &role))
        return;
    db *c = db_thread();
    int rc = c ? members_join(c, r->principal, &r->arena, team_id, volunteer_id, how ? how : "invite", role, &id) : DB_ERR;
    if (rc == VOL_TEAM_NOT_FOUND) rc = VOL_NOT_FOUND;   /* the team is the URL's: a plain 404 */
    vp_reply_read(r, c, &membership_entity, rc, 201, id);
}

/* POST /volunteer-memberships/:id/<action>: the action is the route's last segment. */
static void handle_decide(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? members_decide(c, r->principal, &r->arena, id, strrchr(r->path, '/') + 1, NULL) : DB_ERR;
    vp_reply_read(r, c, &membership_entity, rc, 200, id);
}

static void handle_set_role(request *r)
{
    static const char *const allowed[] = {"role", NULL};
    int64_t id;
    const char *role = NULL;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL) || !body_enum(r, "role", true, member_roles, &role))
        return;
    db *c = db_thread();
    int rc = c ? members_decide(c, r->principal, &r->arena, id, "role", role) : DB_ERR;
    vp_reply_read(r, c, &membership_entity, rc, 200, id);
}

static const struct route team_routes[] = {
    {"GET", "/api/v1/volunteer-team-categories", handle_categories, RANK_MEMBER, 0, .summary = "The nine team categories with their naming suffixes", .entity = &team_category_entity},
    {"GET", "/api/v1/volunteer-teams/proposed-name", handle_propose, RANK_STAFF, 0, .summary = "The proposed team name: owner org name + category suffix, (2), (3)… while taken", .entity = &volunteer_team_entity},
    {"GET", "/api/v1/volunteer-teams", entity_handle_list, RANK_STAFF, 0, .summary = "Volunteer teams in scope (科技志愿服务队)", .entity = &volunteer_team_entity},
    {"GET", "/api/v1/volunteer-teams/export", handle_export, RANK_STAFF, 0, .summary = "Teams to Excel", .entity = &volunteer_team_entity},
    {"GET", "/api/v1/volunteer-teams/:id", entity_handle_get, RANK_STAFF, 0, .summary = "A team", .entity = &volunteer_team_entity},
    {"POST", "/api/v1/volunteer-teams", entity_handle_create, RANK_STAFF, 0, .summary = "Create a team (no name: the proposed one)", .entity = &volunteer_team_entity},
    {"PATCH", "/api/v1/volunteer-teams/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Change a team", .entity = &volunteer_team_entity},
    {"DELETE", "/api/v1/volunteer-teams/:id", entity_handle_delete, RANK_STAFF, 0, .summary = "Dissolve a team (soft: status dissolved)", .entity = &volunteer_team_entity},
    {"GET", "/api/v1/volunteer-teams/:id/members", handle_members, RANK_STAFF, 0, .summary = "The team's memberships (default: pending, invited and active)", .entity = &membership_entity},
    {"POST", "/api/v1/volunteer-teams/:id/members", handle_join, RANK_STAFF, 0, .summary = "Record an application (how apply), invite (invite, the default) or add an active member (add)", .entity = &membership_entity},
    {"POST", "/api/v1/volunteer-memberships/:id/approve", handle_decide, RANK_STAFF, 0, .summary = "Approve a pending application (enforces 5 active teams)", .entity = &membership_entity},
    {"POST", "/api/v1/volunteer-memberships/:id/decline", handle_decide, RANK_STAFF, 0, .summary = "Decline a pending application", .entity = &membership_entity},
    {"POST", "/api/v1/volunteer-memberships/:id/accept", handle_decide, RANK_STAFF, 0, .summary = "Record the volunteer's acceptance of an invitation (enforces 5 active teams)", .entity = &membership_entity},
    {"POST", "/api/v1/volunteer-memberships/:id/reject", handle_decide, RANK_STAFF, 0, .summary = "Record the volunteer's refusal of an invitation", .entity = &membership_entity},
    {"PATCH", "/api/v1/volunteer-memberships/:id", handle_set_role, RANK_STAFF, 0, .summary = "Change an active member's role (队长 leader, 副队长 deputy, 队员 member)", .entity = &membership_entity},
    {"DELETE", "/api/v1/volunteer-memberships/:id", entity_handle_delete, RANK_STAFF, 0, .summary = "The member leaves or is removed (status left)", .entity = &membership_entity},
    {0},
};

void teams_register_routes(void) { router_add_table(team_routes); }
