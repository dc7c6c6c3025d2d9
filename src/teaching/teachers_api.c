/* teachers_api.c - HTTP handlers of the teacher pool and its certification chain
 * (docs/api.md "Teachers (师资库)"). Personal numbers arrive in bodies only, are validated here and
 * never echoed: error messages name the field, not the value. */
#include "teaching/teacher_internal.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

bool teacher_input(request *r, void *rec, bool creating)
{
    teacher *t = rec;
    /* GB 11643: the 17th digit is odd for men, even for women. */
    if (creating && !t->gender) t->gender = (t->id_number[16] - '0') % 2 ? "male" : "female";
    if (creating) return true;
    if (!strcmp(t->status, "retired")) { entity_reply_error(r, &teacher_entity, TCH_WRONG_STATE); return false; }
    if (!t->id_number) {   /* stored with another key: it cannot be kept, only replaced */
        reply_error(r, 422, "required", "id_number", "请重新填写身份证号 / please enter the ID number again");
        return false;
    }
    return true;
}

static void handle_list(request *r)
{
    page pg;
    qb where;
    db *c = db_thread();
    if (!entity_list_begin(r, c, &teacher_entity, &where, &pg)) return;   /* ?q=, ?status=, ?pool_level= */
    const char *status = req_query(r, "status");
    if (!status || !*status) qb_sql(&where, " AND t.status <> 'retired'");   /* retired records only when asked for */
    entity_reply_list(r, c, &teacher_entity, &where, NULL, &pg);
}

/* The chain's steps share one handler: the action is the route's cls. */
static void handle_step(request *r)
{
    const char *action = r->route->cls;
    static const char *const fields[] = {"reason", "term_years", NULL};
    int64_t id, years = 3;
    const char *reason = NULL;
    teacher out;
    if (!param_id(r, 0, &id)) return;
    bool want_reason = !strcmp(action, "return");
    if (r->json && !body_allow_fields(r, fields, NULL)) return;
    if (!body_name(r, "reason", want_reason, 500, &reason) || !body_int(r, "term_years", false, &years, NULL)) return;
    if (years < 1 || years > 5) {
        reply_error(r, 422, "invalid_field", "term_years", "聘期应为 1 至 5 年 / the term is 1 to 5 years");
        return;
    }
    db *c = db_thread();
    int rc = c ? teachers_step(c, r->principal, &r->arena, id, action, reason, (int)years, &out) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &teacher_entity, rc); return; }
    entity_reply(r, &teacher_entity, 200, &out);
}

static const struct route teacher_routes[] = {
    {"GET", "/api/v1/teachers", handle_list, RANK_MEMBER, 0, .summary = "List the teacher pool (师资库)", .entity = &teacher_entity},
    {"GET", "/api/v1/teachers/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "One teacher", .entity = &teacher_entity},
    {"GET", "/api/v1/teachers/:id/profile", entity_handle_write, RANK_MEMBER, 0, .summary = "A teacher's page: record, certification steps, letters, selections, sections of other modules", .cls = &teacher_profile_writer},
    {"POST", "/api/v1/teachers", entity_handle_create, RANK_STAFF, 0, .summary = "Add a teacher", .entity = &teacher_entity},
    {"PATCH", "/api/v1/teachers/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Change a teacher", .entity = &teacher_entity},
    {"DELETE", "/api/v1/teachers/:id", entity_handle_delete, RANK_STAFF, 0, .summary = "Retire a teacher (soft delete: status retired, letters revoked)", .entity = &teacher_entity},
    {"POST", "/api/v1/teachers/:id/propose", handle_step, RANK_STAFF, 0, .summary = "Propose (推荐) a draft or returned teacher", .cls = "propose"},
    {"POST", "/api/v1/teachers/:id/certify", handle_step, RANK_ORG_ADMIN, 0, .summary = "Certify (认定) a proposed teacher and issue the appointment letter (聘书)", .cls = "certify"},
    {"POST", "/api/v1/teachers/:id/return", handle_step, RANK_ORG_ADMIN, 0, .summary = "Return (退回) a proposed teacher with a reason", .cls = "return"},
    {"POST", "/api/v1/teachers/:id/file", handle_step, RANK_ORG_ADMIN, 0, .summary = "File (报总校备案) a certified teacher", .cls = "file"},
    {"POST", "/api/v1/teachers/:id/city-pool", handle_step, RANK_ORG_ADMIN, 0, .summary = "Take a filed teacher into the city pool (市级师资库)", .cls = "city_pool"},
    {0},
};

void teachers_register_routes(void)
{
    router_add_table(teacher_routes);
    router_add_table(letter_routes);
    router_add_table(selection_routes);
}
