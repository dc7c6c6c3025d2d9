/* teams_api.c - HTTP handlers of volunteer teams and their memberships
 * (docs/api.md "Volunteer teams (科技志愿服务队)"): categories, the proposed name, list, export,
 * read, create, update, dissolve, members, applications, invitations and their decisions. */
#include "volunteers/volunteers_internal.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include <string.h>

static const char *const writable[] = {"org_id", "category", "name", "contact_name", "contact_phone", "description",
                                       "status", NULL};
static const char *const read_only[] = {"id", "org_name", "category_name", "leader", "members", "pending",
                                        "created_by", "created_at", "updated_at", NULL};

static bool read_input(request *r, volunteer_team *t, bool creating)
{
    int64_t org_id = t->org_id;
    const char *name = NULL, *category = NULL, *phone = NULL, *status = NULL;
    if (!body_allow_fields(r, writable, read_only) || !body_int(r, "org_id", creating, &org_id, NULL) ||
        !body_string(r, "category", creating, &category) || !body_name(r, "name", false, 60, &name) ||
        !body_text(r, "contact_name", 30, &t->contact_name) || !body_string(r, "contact_phone", false, &phone) ||
        !body_text(r, "description", 500, &t->description) || !body_enum(r, "status", false, team_statuses, &status))
        return false;
    if (body_has(r, "contact_phone")) {
        if (phone && *phone && !valid_phone(phone)) {
            reply_error(r, 422, "invalid_field", "contact_phone", "联系电话应为 11 位大陆手机号 / not a mainland mobile number");
            return false;
        }
        t->contact_phone = phone && *phone ? phone : NULL;
    }
    t->org_id = org_id;
    if (category) t->category = category;
    if (name) t->name = name;
    if (status) t->status = status;
    return true;
}

static void reply_team(request *r, int status, const volunteer_team *t)
{
    jw w;
    jw_init(&w);
    team_write(&w, t);
    reply_jw(r, status, &w);
}

static bool read_filter(request *r, team_filter *f)
{
    bool has;
    memset(f, 0, sizeof *f);
    if (!query_id(r, "org_id", &f->org_id, &has)) return false;
    f->category = req_query(r, "category");
    f->status = req_query(r, "status");
    f->q = req_query(r, "q");
    bool ok = !f->status || !*f->status;
    for (const char *const *s = team_statuses; !ok && *s; s++) ok = !strcmp(*s, f->status);
    if (!ok) { reply_error(r, 422, "invalid_field", "status", "status 取值无效 / unknown value"); return false; }
    return true;
}

static void handle_categories(request *r)
{
    db *c = db_thread();
    jw w;
    jw_init(&w);
    int rc = c ? teams_categories(c, &w) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw(r, 200, &w);
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
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_json(r, 200, json_pack("{s:s}", "name", name));
}

static void handle_list(request *r)
{
    team_filter f;
    page pg;
    if (!read_filter(r, &f) || !query_page(r, &pg)) return;
    db *c = db_thread();
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    int rc = c ? teams_list(c, r->principal, &r->arena, &f, pg.size, pg.offset, &w, &total) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); volunteers_reply_error(r, rc); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

static void handle_export(request *r)
{
    static const char *const headers[] = {"服务队名称", "类别", "所属单位", "队长", "联系人", "联系电话", "状态",
                                          "队员数", "待审批申请", "成立时间"};
    team_filter f;
    if (!read_filter(r, &f)) return;
    db *c = db_thread();
    xlsx *x = c ? xlsx_open("科技志愿服务队", headers, 10) : NULL;
    if (!x) { reply_db_error(r); return; }
    int rc = teams_export(c, r->principal, &r->arena, &f, x);
    if (rc != DB_OK) { xlsx_abort(x); volunteers_reply_error(r, rc); return; }
    xlsx_reply(x, r, "科技志愿服务队.xlsx");
}

static void handle_get(request *r)
{
    int64_t id;
    volunteer_team t;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? teams_get(c, r->principal, &r->arena, id, &t) : DB_ERR;
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_team(r, 200, &t);
}

static void handle_create(request *r)
{
    volunteer_team in = {0}, out;
    if (!read_input(r, &in, true)) return;
    db *c = db_thread();
    int rc = c ? DB_OK : DB_ERR;
    /* no name given: the platform's proposal (owner name + the category's suffix) */
    if (rc == DB_OK && !in.name) rc = teams_propose_name(c, r->principal, &r->arena, in.org_id, in.category, &in.name);
    if (rc == DB_OK) rc = teams_create(c, r->principal, &r->arena, &in, &out);
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_team(r, 201, &out);
}

static void handle_update(request *r)
{
    int64_t id;
    volunteer_team t, out;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? teams_get(c, r->principal, &r->arena, id, &t) : DB_ERR;
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    if (!read_input(r, &t, false)) return;
    rc = teams_update(c, r->principal, &r->arena, id, &t, &out);
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_team(r, 200, &out);
}

static void handle_dissolve(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? teams_dissolve(c, r->principal, &r->arena, id) : DB_ERR;
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_empty(r, 204);
}

static void handle_members(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    const char *state = req_query(r, "status");
    bool ok = !state || !*state;
    for (const char *const *s = member_statuses; !ok && *s; s++) ok = !strcmp(*s, state);
    if (!ok) { reply_error(r, 422, "invalid_field", "status", "status 取值无效 / unknown value"); return; }
    db *c = db_thread();
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    int rc = c ? members_of_team(c, r->principal, &r->arena, id, state, &w) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); volunteers_reply_error(r, rc); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static void reply_membership(request *r, db *c, int status, int64_t id)
{
    jw w;
    jw_init(&w);
    int rc = members_get_json(c, r->principal, &r->arena, id, &w);
    if (rc != DB_OK) { jw_free(&w); volunteers_reply_error(r, rc); return; }
    reply_jw(r, status, &w);
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
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_membership(r, c, 201, id);
}

static void decide(request *r, const char *action)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? members_decide(c, r->principal, &r->arena, id, action) : DB_ERR;
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_membership(r, c, 200, id);
}

static void handle_approve(request *r) { decide(r, "approve"); }
static void handle_decline(request *r) { decide(r, "decline"); }
static void handle_accept(request *r) { decide(r, "accept"); }
static void handle_reject(request *r) { decide(r, "reject"); }

static void handle_set_role(request *r)
{
    static const char *const allowed[] = {"role", NULL};
    int64_t id;
    const char *role = NULL;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL) || !body_enum(r, "role", true, member_roles, &role))
        return;
    db *c = db_thread();
    int rc = c ? members_set_role(c, r->principal, &r->arena, id, role) : DB_ERR;
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_membership(r, c, 200, id);
}

static void handle_remove(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? members_remove(c, r->principal, &r->arena, id) : DB_ERR;
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_empty(r, 204);
}

static const struct route team_routes[] = {
    {"GET", "/api/v1/volunteer-team-categories", handle_categories, RANK_MEMBER, 0, .summary = "The eight team categories with their naming suffixes"},
    {"GET", "/api/v1/volunteer-teams/proposed-name", handle_propose, RANK_STAFF, 0, .summary = "The proposed team name: owner org name + category suffix, (2), (3)… while taken"},
    {"GET", "/api/v1/volunteer-teams", handle_list, RANK_STAFF, 0, .summary = "Volunteer teams in scope (科技志愿服务队)"},
    {"GET", "/api/v1/volunteer-teams/export", handle_export, RANK_STAFF, 0, .summary = "Teams to Excel"},
    {"GET", "/api/v1/volunteer-teams/:id", handle_get, RANK_STAFF, 0, .summary = "A team"},
    {"POST", "/api/v1/volunteer-teams", handle_create, RANK_STAFF, 0, .summary = "Create a team (no name: the proposed one)"},
    {"PATCH", "/api/v1/volunteer-teams/:id", handle_update, RANK_STAFF, 0, .summary = "Change a team"},
    {"DELETE", "/api/v1/volunteer-teams/:id", handle_dissolve, RANK_STAFF, 0, .summary = "Dissolve a team (soft: status dissolved)"},
    {"GET", "/api/v1/volunteer-teams/:id/members", handle_members, RANK_STAFF, 0, .summary = "The team's memberships (default: pending, invited and active)"},
    {"POST", "/api/v1/volunteer-teams/:id/members", handle_join, RANK_STAFF, 0, .summary = "Record an application (how apply), invite (invite, the default) or add an active member (add)"},
    {"POST", "/api/v1/volunteer-memberships/:id/approve", handle_approve, RANK_STAFF, 0, .summary = "Approve a pending application (enforces 5 active teams)"},
    {"POST", "/api/v1/volunteer-memberships/:id/decline", handle_decline, RANK_STAFF, 0, .summary = "Decline a pending application"},
    {"POST", "/api/v1/volunteer-memberships/:id/accept", handle_accept, RANK_STAFF, 0, .summary = "Record the volunteer's acceptance of an invitation (enforces 5 active teams)"},
    {"POST", "/api/v1/volunteer-memberships/:id/reject", handle_reject, RANK_STAFF, 0, .summary = "Record the volunteer's refusal of an invitation"},
    {"PATCH", "/api/v1/volunteer-memberships/:id", handle_set_role, RANK_STAFF, 0, .summary = "Change an active member's role (队长 leader, 副队长 deputy, 队员 member)"},
    {"DELETE", "/api/v1/volunteer-memberships/:id", handle_remove, RANK_STAFF, 0, .summary = "The member leaves or is removed (status left)"},
    {0},
};

void teams_register_routes(void) { router_add_table(team_routes); }
