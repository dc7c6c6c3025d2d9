/* teachers_api.c - HTTP handlers of the teacher pool, its certification chain, the appointment
 * letters and the excellent-teacher selection (docs/api.md "Teachers (师资库)"). Personal numbers
 * arrive in bodies only, are validated here and never echoed: error messages name the field, not
 * the value. */
#include "teaching/teacher_internal.h"
#include "files/files.h"
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

/* ---- the appointment letter's PDF (scoped, with the teacher) and the public verification of a
 * letter by its code (no login: the unguessable code is the key) ---- */

static void handle_letter_pdf(request *r)
{
    int64_t id;
    teacher t;
    letter l;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &teacher_entity, &r->principal->scope, &r->arena, id, &t) : DB_ERR;
    if (rc == DB_OK) rc = letters_latest(c, &r->arena, id, &l);
    if (rc != DB_OK) { entity_reply_error(r, &teacher_entity, rc); return; }
    char *pdf = NULL;
    size_t len = 0;
    if (letters_render_pdf(&l, letters_verify_url(r, l.code), &pdf, &len) != 0) {
        reply_error(r, 500, "internal", NULL, "聘书生成失败 / the letter could not be drawn");
        return;
    }
    reply_body(r, 200, pdf, len, "application/pdf");
    reply_header(r, "Content-Disposition", files_disposition(&r->arena, arena_printf(&r->arena, "聘书-%s.pdf", t.name)));
}

static bool code_well_formed(const char *code)
{
    return strlen(code) == LETTER_CODE_BYTES * 2 && strspn(code, "0123456789abcdef") == LETTER_CODE_BYTES * 2;
}

static void handle_verify(request *r)
{
    const char *code = r->nparams > 0 ? r->params[0] : "";
    letter l;
    db *c = db_thread();
    int rc = !code_well_formed(code) ? TCH_NOT_FOUND : c ? letters_by_code(c, &r->arena, code, &l) : DB_ERR;
    if (rc == TCH_NOT_FOUND) {
        reply_error(r, 404, "not_found", NULL, "未找到该聘书，可能是伪造的 / no such letter: it may be forged");
        return;
    }
    if (rc != DB_OK) { reply_db_error(r); return; }
    /* The name only: never a number of the person. */
    reply_json(r, 200, json_pack("{s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "genuine", 1, "serial", l.serial,
                                 "teacher_name", l.teacher_name, "issuer", l.issuer_name, "issued_at", l.issued_at,
                                 "status", l.status, "term_from", l.term_from, "term_to", l.term_to));
}

/* ---- the excellent-teacher selection ---- */

static const char *const decisions[] = {"approve", "reject", NULL};

/* {"items": [...]}: at most 1000 nominations in scope, newest year first; ?org_id= (a subtree,
 * 404 outside the scope), ?year= and ?status=. */
static void handle_selections(request *r)
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
    {"GET", "/api/v1/teachers/:id/letter.pdf", handle_letter_pdf, RANK_MEMBER, 0, .summary = "The appointment letter (聘书) as an A4 PDF", .entity = &letter_entity},
    {"GET", "/api/v1/public/letters/:code", handle_verify, ROUTE_PUBLIC, 0, .summary = "Verify an appointment letter (no login)", .entity = &letter_entity},
    {"GET", "/api/v1/teacher-selections", handle_selections, RANK_MEMBER, 0, .summary = "Excellent-teacher selection (优秀教师评选): nominations and results", .entity = &selection_entity},
    {"POST", "/api/v1/teacher-selections", entity_handle_create, RANK_ORG_ADMIN, 0, .summary = "Nominate a teacher (district)", .entity = &selection_entity},
    {"POST", "/api/v1/teacher-selections/:id/decide", handle_decide, RANK_ORG_ADMIN, 0, .summary = "Approve or reject a nomination (city)", .entity = &selection_entity},
    {0},
};

void teachers_register_routes(void)
{
    router_add_table(teacher_routes);
    teachers_import_register_routes();
}
