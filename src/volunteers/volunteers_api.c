/* volunteers_api.c - HTTP handlers of volunteers (docs/api.md "Volunteers (科技志愿者)"). Personal
 * numbers arrive in bodies (or the exact-number filters) only, are validated here and never
 * echoed: error messages name the field, not the value; only /reveal answers them whole. */
#include "volunteers/volunteers_internal.h"
#include "volunteers/projects.h"
#include "core/pii.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"

const char *vol_gender_of_id(const char *id) { return (id[16] - '0') % 2 ? "male" : "female"; }

bool vol_input(request *r, void *rec, bool creating)
{
    volunteer *v = rec;
    if (!v->gender && v->id_number) v->gender = vol_gender_of_id(v->id_number);
    if (creating || (v->phone && v->id_number)) return true;
    /* stored under another key: they cannot be kept, only replaced */
    reply_error(r, 422, "required", !v->id_number ? "id_number" : "phone", "请重新填写证件号和手机号 / please enter the numbers again");
    return false;
}

/* The list's and the export's rows: the entity's (scope, ?org_id=, ?status=, ?q=), then team,
 * skill and the exact numbers. Replies and returns false on bad input or an org outside the scope. */
static bool list_where(request *r, db *c, qb *where)
{
    const char *skill = req_query(r, "skill"), *phone = req_query(r, "phone"), *idn = req_query(r, "id_number");
    int64_t team_id = 0;
    bool has;
    if (!query_id(r, "team_id", &team_id, &has)) return false;
    if (phone && *phone && !valid_phone(phone)) {
        reply_error(r, 422, "invalid_field", "phone", "按手机号查找须输入完整的 11 位手机号 / the whole 11-digit number");
        return false;
    }
    if (idn && *idn && check_id_number(&r->arena, &idn)) {
        reply_error(r, 422, "invalid_field", "id_number", "按身份证号查找须输入完整有效的号码 / the whole valid number");
        return false;
    }
    if (!entity_request_where(r, c, &volunteer_entity, where)) return false;
    if (team_id)
        qb_sql(where, " AND EXISTS (SELECT 1 FROM volunteer_members m WHERE m.volunteer_id = v.id AND m.team_id = ? "
                      "AND m.status = 'active')"),
            qb_int(where, team_id);
    if (skill && *skill)
        qb_sql(where, " AND v.skills LIKE ? ESCAPE '\\'"), qb_text(where, qb_like_pattern(&r->arena, skill));
    /* exact numbers through their blind index: the numbers themselves are never searched */
    if (phone && *phone) qb_sql(where, " AND v.phone_blind = ?"), qb_text(where, pii_blind(&r->arena, "phone", phone));
    if (idn && *idn) qb_sql(where, " AND v.id_number_blind = ?"), qb_text(where, pii_blind(&r->arena, "id_number", idn));
    return true;
}

static void handle_list(request *r)
{
    page pg;
    qb where;
    db *c = db_thread();
    if (query_page(r, &pg) && list_where(r, c, &where)) entity_reply_list(r, c, &volunteer_entity, &where, NULL, &pg);
}

static void handle_export(request *r)
{
    static const xlsx_col cols[] = {{"志愿者编号", 18}, {"注册单位", 24}, {"姓名", 10}, {"性别", 6}, {"身份证号", 20},
                                    {"手机号", 14}, {"技能特长", 20}, {"服务领域", 20}, {"状态", 8}, {"注册时间", 20},
                                    {"所在服务队数", 12}};
    qb where;
    db *c = db_thread();
    if (!list_where(r, c, &where)) return;
    xlsx *x = xlsx_open_table("科技志愿者", NULL, cols, 11);
    if (!x) { qb_free(&where); reply_export_failed(r); return; }
    int rc = volunteers_export(c, &where, x);
    if (rc != DB_OK) { xlsx_abort(x); entity_reply_error(r, &volunteer_entity, rc); return; }
    xlsx_reply(x, r, "科技志愿者名册.xlsx");
}

/* The profile: the volunteer and the teams with each membership's state. */
static void handle_get(request *r)
{
    int64_t id;
    volunteer v;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &volunteer_entity, &r->principal->scope, &r->arena, id, &v) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &volunteer_entity, rc); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    entity_write_fields(&w, &volunteer_entity, &v);
    jw_key(&w, "teams");
    vp_items_reply(r, &w, members_of_volunteer(c, r->principal, id, &w));   /* closes the object */
}

/* The whole numbers, for org_admin and above (the route's role); audited as a reveal. */
static void handle_reveal(request *r)
{
    int64_t id;
    volunteer v;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? volunteers_reveal(c, r->principal, &r->arena, id, &v) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &volunteer_entity, rc); return; }
    reply_json(r, 200, json_pack("{s:I, s:s?, s:s?}", "id", (json_int_t)v.id, "id_number", v.id_number, "phone", v.phone));
    reply_header(r, "Cache-Control", "no-store");
}

static const struct route volunteer_routes[] = {
    {"GET", "/api/v1/volunteers", handle_list, RANK_STAFF, 0, .summary = "Volunteers in scope (科技志愿者)", .entity = &volunteer_entity},
    {"GET", "/api/v1/volunteers/export", handle_export, RANK_STAFF, 0, .summary = "Volunteers to Excel (numbers masked)", .entity = &volunteer_entity},
    {"GET", "/api/v1/volunteers/:id", handle_get, RANK_STAFF, 0, .summary = "A volunteer's profile with teams and membership states", .entity = &volunteer_entity},
    {"POST", "/api/v1/volunteers", entity_handle_create, RANK_STAFF, 0, .summary = "Register a volunteer", .entity = &volunteer_entity},
    {"PATCH", "/api/v1/volunteers/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Change a volunteer (the numbers must be given again)", .entity = &volunteer_entity},
    {"DELETE", "/api/v1/volunteers/:id", entity_handle_delete, RANK_STAFF, 0, .summary = "A volunteer leaves (status left; kept for history)", .entity = &volunteer_entity},
    {"POST", "/api/v1/volunteers/:id/reveal", handle_reveal, RANK_ORG_ADMIN, 0, .summary = "The whole ID number and phone (audited as reveal, without the numbers)", .entity = &volunteer_entity},
    {0},
};

void volunteers_register_routes(void) { router_add_table(volunteer_routes); }
