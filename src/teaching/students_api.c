/* students_api.c - HTTP handlers of students (docs/api.md "Students and check-in"). Personal
 * numbers arrive in bodies (or the exact-phone filter) only, are validated here and never
 * echoed: error messages name the field, not the value. */
#include "teaching/students.h"
#include "core/pii.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include <string.h>

bool student_input(request *r, void *rec, bool creating)
{
    const student *s = rec;
    if (creating || s->phone) return true;
    /* stored under another key: it cannot be kept, only replaced */
    reply_error(r, 422, "required", "phone", "请重新填写手机号 / please enter the phone again");
    return false;
}

/* The list's and the export's conditions from the query (the entity's filters and the exact
 * phone through its blind index: the number itself is never searched); false after a reply. */
static bool list_where(request *r, db *c, qb *where)
{
    const char *phone = req_query(r, "phone");
    if (phone && *phone && !valid_phone(phone)) {
        reply_error(r, 422, "invalid_field", "phone", "按手机号查找须输入完整的 11 位手机号 / the whole 11-digit number");
        return false;
    }
    if (!entity_request_where(r, c, &student_entity, where)) return false;
    if (phone && *phone) qb_sql(where, " AND s.phone_blind = ?"), qb_text(where, pii_blind(&r->arena, "phone", phone));
    return true;
}

static void handle_list(request *r)
{
    page pg;
    qb where;
    db *c = db_thread();
    if (query_page(r, &pg) && list_where(r, c, &where)) entity_reply_list(r, c, &student_entity, &where, NULL, &pg);
}

static void handle_export(request *r)
{
    static const char *const headers[] = {"教学点", "姓名", "性别", "年龄段", "手机号", "身份证号", "科普信息员",
                                          "状态", "签到次数"};
    qb where;
    db *c = db_thread();
    if (!list_where(r, c, &where)) return;
    xlsx *x = xlsx_open("学员", headers, 9);
    if (!x) { qb_free(&where); reply_db_error(r); return; }
    int rc = students_export(c, &where, x);
    if (rc != DB_OK) { xlsx_abort(x); entity_reply_error(r, &student_entity, rc); return; }
    xlsx_reply(x, r, "学员名册.xlsx");
}

const struct route student_routes[] = {
    {"GET", "/api/v1/students", handle_list, RANK_MEMBER, 0, .summary = "List students (masked numbers)", .entity = &student_entity},
    {"GET", "/api/v1/students/export", handle_export, RANK_MEMBER, 0, .summary = "Export the students as Excel (masked numbers)", .entity = &student_entity},
    {"GET", "/api/v1/students/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "One student", .entity = &student_entity},
    {"GET", "/api/v1/students/:id/attendance", entity_handle_write, RANK_MEMBER, 0, .summary = "A student's attendance history", .entity = &student_entity, .cls = &student_attendance_writer},
    {"POST", "/api/v1/students", entity_handle_create, RANK_STAFF, 0, .summary = "Enrol a student at a teaching point", .entity = &student_entity},
    {"PATCH", "/api/v1/students/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Change a student", .entity = &student_entity},
    {"DELETE", "/api/v1/students/:id", entity_handle_delete, RANK_STAFF, 0, .summary = "A student leaves (status left; the history stays)", .entity = &student_entity},
    {0},
};
