/* students_api.c - HTTP handlers of students (docs/api.md "Students and check-in"). Personal
 * numbers arrive in bodies (or the exact-phone filter) only, are validated here and never
 * echoed: error messages name the field, not the value. */
#include "teaching/students.h"
#include "teaching/teachers.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const genders[] = {"male", "female", NULL};
static const char *const writable[] = {"org_id", "name", "gender", "age_group", "phone", "id_number", "informant",
                                       "status", NULL};
static const char *const read_only[] = {"id", "org_name", "source", "attendance", "created_by", "created_at",
                                        "updated_at", NULL};

void students_reply_error(request *r, int rc)
{
    switch (rc) {
    case STU_NOT_FOUND: reply_not_found(r); break;
    case STU_ORG_NOT_FOUND: reply_error(r, 404, "not_found", "org_id", "机构不存在 / organization not found"); break;
    case STU_NOT_POINT:
        reply_error(r, 422, "invalid_field", "org_id", "学员应登记在教学点 / students enrol at a teaching point");
        break;
    case STU_DUPLICATE:
    case DB_UNIQUE:
        reply_error(r, 409, "duplicate", "phone", "该手机号已是本教学点的学员 / this phone is already a student here");
        break;
    default: reply_db_error(r); break;
    }
}

static bool read_phone(request *r, bool required, const char **out)
{
    const char *v = NULL;
    if (!body_string(r, "phone", required, &v)) return false;
    if (!body_has(r, "phone")) return true;
    if (!v || !valid_phone(v)) {
        reply_error(r, 422, "invalid_field", "phone", "手机号应为 11 位大陆手机号 / not a mainland mobile number");
        return false;
    }
    *out = v;
    return true;
}

static bool read_id_number(request *r, const char **out)
{
    const char *v = NULL;
    if (!body_string(r, "id_number", false, &v)) return false;
    if (!body_has(r, "id_number")) return true;
    if (!v || !*v) { *out = NULL; return true; }
    char *id = arena_strdup(&r->arena, v);
    for (char *s = id; *s; s++) *s = (char)toupper((unsigned char)*s);
    char today[32];
    time_now_rfc3339(today);
    if (!valid_id_number(id)) {
        reply_error(r, 422, "invalid_field", "id_number", "身份证号格式或校验位错误 / not a valid ID number (GB 11643)");
        return false;
    }
    if (!id_number_birth_ok(id, today)) {
        reply_error(r, 422, "invalid_field", "id_number", "身份证号中的出生日期无效 / the birth date in the ID number is impossible");
        return false;
    }
    *out = id;
    return true;
}

/* Applies the body onto s (the stored record for PATCH, zeros for POST); replies on bad input. */
static bool read_input(request *r, student *s, bool creating)
{
    int64_t org_id = s->org_id;
    const char *name = NULL, *gender = NULL, *age = NULL, *status = NULL;
    bool informant = s->informant, has = false;
    if (!body_allow_fields(r, writable, read_only) || !body_int(r, "org_id", creating, &org_id, NULL) ||
        !body_name(r, "name", creating, 50, &name) || !body_enum(r, "gender", false, genders, &gender) ||
        !body_enum(r, "age_group", false, student_age_groups, &age) || !read_phone(r, creating, &s->phone) ||
        !read_id_number(r, &s->id_number) || !body_bool(r, "informant", &informant, &has) ||
        !body_enum(r, "status", false, student_statuses, &status))
        return false;
    s->org_id = org_id;
    if (name) s->name = name;
    if (body_has(r, "gender")) s->gender = gender;
    if (body_has(r, "age_group")) s->age_group = age;
    if (status) s->status = status;
    s->informant = informant;
    return true;
}

static void reply_student(request *r, int status, const student *s)
{
    jw w;
    jw_init(&w);
    student_write(&w, s);
    reply_jw(r, status, &w);
}

/* The list's filters from the query; replies 422 naming a bad one. */
static bool read_filter(request *r, student_filter *f)
{
    bool has;
    memset(f, 0, sizeof *f);
    f->informant = -1;
    if (!query_id(r, "org_id", &f->org_id, &has)) return false;
    f->q = req_query(r, "q");
    f->phone = req_query(r, "phone");
    f->status = req_query(r, "status");
    f->age_group = req_query(r, "age_group");
    f->gender = req_query(r, "gender");
    const char *inf = req_query(r, "informant");
    const char *const *lists[] = {student_statuses, student_age_groups, genders};
    const char *values[] = {f->status, f->age_group, f->gender}, *fields[] = {"status", "age_group", "gender"};
    for (int i = 0; i < 3; i++) {
        bool ok = !values[i] || !*values[i];
        for (const char *const *s = lists[i]; !ok && *s; s++) ok = !strcmp(*s, values[i]);
        if (!ok) { reply_error(r, 422, "invalid_field", fields[i], "%s 取值无效 / unknown value", fields[i]); return false; }
    }
    if (f->phone && *f->phone && !valid_phone(f->phone)) {
        reply_error(r, 422, "invalid_field", "phone", "按手机号查找须输入完整的 11 位手机号 / the whole 11-digit number");
        return false;
    }
    if (inf && *inf) {
        if (strcmp(inf, "true") && strcmp(inf, "false") && strcmp(inf, "1") && strcmp(inf, "0")) {
            reply_error(r, 422, "invalid_field", "informant", "informant 应为 true 或 false / true or false");
            return false;
        }
        f->informant = !strcmp(inf, "true") || !strcmp(inf, "1");
    }
    return true;
}

static void handle_list(request *r)
{
    student_filter f;
    page pg;
    if (!read_filter(r, &f) || !query_page(r, &pg)) return;
    db *c = db_thread();
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    int rc = c ? students_list(c, r->principal, &r->arena, &f, pg.size, pg.offset, &w, &total) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); students_reply_error(r, rc); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

static void handle_export(request *r)
{
    static const char *const headers[] = {"教学点", "姓名", "性别", "年龄段", "手机号", "身份证号", "科普信息员",
                                          "状态", "签到次数"};
    student_filter f;
    if (!read_filter(r, &f)) return;
    db *c = db_thread();
    xlsx *x = c ? xlsx_open("学员", headers, 9) : NULL;
    if (!x) { reply_db_error(r); return; }
    int rc = students_export(c, r->principal, &r->arena, &f, x);
    if (rc != DB_OK) { xlsx_abort(x); students_reply_error(r, rc); return; }
    xlsx_reply(x, r, "学员名册.xlsx");
}

static void handle_get(request *r)
{
    int64_t id;
    student s;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? students_get(c, r->principal, &r->arena, id, &s) : DB_ERR;
    if (rc != DB_OK) { students_reply_error(r, rc); return; }
    reply_student(r, 200, &s);
}

static void handle_attendance(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    jw w;
    jw_init(&w);
    int rc = c ? students_attendance(c, r->principal, &r->arena, id, &w) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); students_reply_error(r, rc); return; }
    reply_jw(r, 200, &w);
}

static void handle_create(request *r)
{
    student in = {0}, out;
    if (!read_input(r, &in, true)) return;
    db *c = db_thread();
    int rc = c ? students_create(c, r->principal, &r->arena, &in, &out) : DB_ERR;
    if (rc != DB_OK) { students_reply_error(r, rc); return; }
    reply_student(r, 201, &out);
}

static void handle_update(request *r)
{
    int64_t id;
    student s, out;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? students_get(c, r->principal, &r->arena, id, &s) : DB_ERR;
    if (rc != DB_OK) { students_reply_error(r, rc); return; }
    if (!read_input(r, &s, false)) return;
    if (!s.phone) {   /* stored under another key: it cannot be kept, only replaced */
        reply_error(r, 422, "required", "phone", "请重新填写手机号 / please enter the phone again");
        return;
    }
    rc = students_update(c, r->principal, &r->arena, id, &s, &out);
    if (rc != DB_OK) { students_reply_error(r, rc); return; }
    reply_student(r, 200, &out);
}

static void handle_delete(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? students_delete(c, r->principal, &r->arena, id) : DB_ERR;
    if (rc != DB_OK) { students_reply_error(r, rc); return; }
    reply_empty(r, 204);
}

static const struct route student_routes[] = {
    {"GET", "/api/v1/students", handle_list, RANK_MEMBER, 0, .summary = "List students (masked numbers)"},
    {"GET", "/api/v1/students/export", handle_export, RANK_MEMBER, 0, .summary = "Export the students as Excel (masked numbers)"},
    {"GET", "/api/v1/students/:id", handle_get, RANK_MEMBER, 0, .summary = "One student"},
    {"GET", "/api/v1/students/:id/attendance", handle_attendance, RANK_MEMBER, 0, .summary = "A student's attendance history"},
    {"POST", "/api/v1/students", handle_create, RANK_STAFF, 0, .summary = "Enrol a student at a teaching point"},
    {"PATCH", "/api/v1/students/:id", handle_update, RANK_STAFF, 0, .summary = "Change a student"},
    {"DELETE", "/api/v1/students/:id", handle_delete, RANK_STAFF, 0, .summary = "A student leaves (status left; the history stays)"},
    {0},
};

void students_register_routes(void) { router_add_table(student_routes); }
