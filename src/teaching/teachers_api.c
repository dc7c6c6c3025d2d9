/* teachers_api.c - HTTP handlers of the teacher pool and its certification chain
 * (docs/api.md "Teachers (师资库)"). Personal numbers arrive in bodies only, are validated here and
 * never echoed: error messages name the field, not the value. */
#include "teaching/teacher_internal.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const genders[] = {"male", "female", NULL};
static const char *const writable[] = {"org_id", "name", "gender", "unit", "title", "specialties", "topics",
                                       "id_number", "phone", NULL};
static const char *const read_only[] = {"id", "org_name", "pool_level", "status", "created_by", "created_at",
                                        "updated_at", NULL};

void teachers_reply_error(request *r, int rc)
{
    switch (rc) {
    case TCH_NOT_FOUND: reply_not_found(r); break;
    case TCH_ORG_NOT_FOUND: reply_error(r, 404, "not_found", "org_id", "机构不存在 / organization not found"); break;
    case TCH_DUPLICATE_ID:
    case DB_UNIQUE:
        reply_error(r, 409, "duplicate", "id_number", "该身份证号已在师资库中 / this ID number is already in the pool");
        break;
    case TCH_WRONG_STATE:
        reply_error(r, 409, "wrong_state", "status", "当前状态不允许此操作 / not allowed in the current status");
        break;
    case TCH_NOT_UPPER:
        reply_error(r, 403, "forbidden", NULL, "须由上级单位（区县）办理，本单位不能认定自己推荐的教师 / "
                    "only an upper level (the district) may do this, not the proposing unit");
        break;
    case TCH_NOT_CITY: reply_error(r, 403, "forbidden", NULL, "须由市级（总校）办理 / only the city may do this"); break;
    case TCH_NOT_DISTRICT:
        reply_error(r, 403, "forbidden", NULL, "须由区县科协管理员推荐本辖区教师 / only a district admin nominates its teachers");
        break;
    case TCH_NO_LETTER: reply_error(r, 404, "not_found", NULL, "尚未颁发聘书 / no appointment letter issued"); break;
    case TCH_DUPLICATE:
        reply_error(r, 409, "duplicate", "teacher_id", "该教师本年度已被推荐 / already nominated this year");
        break;
    case TCH_BAD_PATTERN:
        reply_error(r, 500, "internal", NULL, "聘书编号格式配置有误 / the serial pattern is misconfigured");
        break;
    default: reply_db_error(r); break;
    }
}

/* An array of at most 20 short texts, kept as JSON text. */
static bool read_list(request *r, const char *field, const char **out)
{
    json_t *v = json_object_get(r->json, field);
    if (!v) return true;
    if (json_is_null(v)) { *out = "[]"; return true; }
    bool ok = json_is_array(v) && json_array_size(v) <= 20;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) ok = ok && json_is_string(e) && valid_name(json_string_value(e), 30);
    if (!ok) {
        reply_error(r, 422, "invalid_field", field, "字段 %s 应为至多 20 项、每项 1-30 字的数组 / "
                    "an array of at most 20 items of 1 to 30 characters", field);
        return false;
    }
    char *text = json_dumps(v, JSON_COMPACT);
    *out = arena_strdup(&r->arena, text);
    free(text);
    return true;
}

static bool read_id_number(request *r, bool required, const char **out)
{
    const char *v = NULL;
    if (!body_string(r, "id_number", required, &v)) return false;
    if (!v) return true;
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

static bool read_phone(request *r, const char **out)
{
    const char *v = NULL;
    if (!body_string(r, "phone", false, &v)) return false;
    if (!body_has(r, "phone")) return true;
    if (v && *v && !valid_phone(v)) {
        reply_error(r, 422, "invalid_field", "phone", "手机号应为 11 位大陆手机号 / not a mainland mobile number");
        return false;
    }
    *out = v && *v ? v : NULL;
    return true;
}

/* Applies the body onto t (the stored record for PATCH, zeros for POST); replies on bad input. */
static bool read_teacher_input(request *r, teacher *t, bool creating)
{
    int64_t org_id = t->org_id;
    const char *name = NULL, *gender = NULL;
    if (!body_allow_fields(r, writable, read_only) || !body_int(r, "org_id", creating, &org_id, NULL) ||
        !body_name(r, "name", creating, 50, &name) || !body_enum(r, "gender", false, genders, &gender) ||
        !body_text(r, "unit", 100, &t->unit) || !body_text(r, "title", 50, &t->title) ||
        !read_list(r, "specialties", &t->specialties) || !read_list(r, "topics", &t->topics) ||
        !read_id_number(r, creating, &t->id_number) || !read_phone(r, &t->phone))
        return false;
    t->org_id = org_id;
    if (name) t->name = name;
    if (body_has(r, "gender")) t->gender = gender;
    /* GB 11643: the 17th digit is odd for men, even for women. */
    if (creating && !t->gender) t->gender = (t->id_number[16] - '0') % 2 ? "male" : "female";
    return true;
}

static void reply_teacher(request *r, int status, const teacher *t)
{
    jw w;
    jw_init(&w);
    teacher_write(&w, t);
    reply_jw(r, status, &w);
}

static void handle_list(request *r)
{
    teacher_filter f = {0};
    page pg;
    bool has;
    if (!query_id(r, "org_id", &f.org_id, &has) || !query_page(r, &pg)) return;
    f.q = req_query(r, "q");
    f.status = req_query(r, "status");
    f.pool_level = req_query(r, "pool_level");
    const char *const *lists[] = {teacher_statuses, teacher_pool_levels};
    const char *values[] = {f.status, f.pool_level}, *fields[] = {"status", "pool_level"};
    for (int i = 0; i < 2; i++) {
        bool ok = !values[i] || !*values[i];
        for (const char *const *s = lists[i]; !ok && *s; s++) ok = !strcmp(*s, values[i]);
        if (!ok) {
            reply_error(r, 422, "invalid_field", fields[i], "%s 取值无效 / unknown value", fields[i]);
            return;
        }
    }
    db *c = db_thread();
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    int rc = c ? teachers_list(c, r->principal, &r->arena, &f, pg.size, pg.offset, &w, &total) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); teachers_reply_error(r, rc); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

static void handle_get(request *r)
{
    int64_t id;
    teacher t;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? teachers_get(c, r->principal, &r->arena, id, &t) : DB_ERR;
    if (rc != DB_OK) { teachers_reply_error(r, rc); return; }
    reply_teacher(r, 200, &t);
}

static void handle_profile(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    jw w;
    jw_init(&w);
    int rc = c ? teachers_profile(c, r->principal, &r->arena, id, &w) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); teachers_reply_error(r, rc); return; }
    reply_jw(r, 200, &w);
}

static void handle_create(request *r)
{
    teacher in = {0}, out;
    if (!read_teacher_input(r, &in, true)) return;
    db *c = db_thread();
    int rc = c ? teachers_create(c, r->principal, &r->arena, &in, &out) : DB_ERR;
    if (rc != DB_OK) { teachers_reply_error(r, rc); return; }
    reply_teacher(r, 201, &out);
}

static void handle_update(request *r)
{
    int64_t id;
    teacher t, out;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? teachers_get(c, r->principal, &r->arena, id, &t) : DB_ERR;
    if (rc != DB_OK) { teachers_reply_error(r, rc); return; }
    if (!strcmp(t.status, "retired")) { teachers_reply_error(r, TCH_WRONG_STATE); return; }
    if (!read_teacher_input(r, &t, false)) return;
    if (!t.id_number) {   /* stored with another key: it cannot be kept, only replaced */
        reply_error(r, 422, "required", "id_number", "请重新填写身份证号 / please enter the ID number again");
        return;
    }
    rc = teachers_update(c, r->principal, &r->arena, id, &t, &out);
    if (rc != DB_OK) { teachers_reply_error(r, rc); return; }
    reply_teacher(r, 200, &out);
}

static void handle_delete(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? teachers_retire(c, r->principal, &r->arena, id) : DB_ERR;
    if (rc != DB_OK) { teachers_reply_error(r, rc); return; }
    reply_empty(r, 204);
}

/* The chain's steps share one handler: the action is the route's last segment. */
static void do_step(request *r, const char *action)
{
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
    if (rc != DB_OK) { teachers_reply_error(r, rc); return; }
    reply_teacher(r, 200, &out);
}

static void handle_propose(request *r) { do_step(r, "propose"); }
static void handle_certify(request *r) { do_step(r, "certify"); }
static void handle_return(request *r) { do_step(r, "return"); }
static void handle_file(request *r) { do_step(r, "file"); }
static void handle_city_pool(request *r) { do_step(r, "city_pool"); }

static const struct route teacher_routes[] = {
    {"GET", "/api/v1/teachers", handle_list, RANK_MEMBER, 0},
    {"GET", "/api/v1/teachers/:id", handle_get, RANK_MEMBER, 0},
    {"GET", "/api/v1/teachers/:id/profile", handle_profile, RANK_MEMBER, 0},
    {"POST", "/api/v1/teachers", handle_create, RANK_STAFF, 0},
    {"PATCH", "/api/v1/teachers/:id", handle_update, RANK_STAFF, 0},
    {"DELETE", "/api/v1/teachers/:id", handle_delete, RANK_STAFF, 0},
    {"POST", "/api/v1/teachers/:id/propose", handle_propose, RANK_STAFF, 0},
    {"POST", "/api/v1/teachers/:id/certify", handle_certify, RANK_ORG_ADMIN, 0},
    {"POST", "/api/v1/teachers/:id/return", handle_return, RANK_ORG_ADMIN, 0},
    {"POST", "/api/v1/teachers/:id/file", handle_file, RANK_ORG_ADMIN, 0},
    {"POST", "/api/v1/teachers/:id/city-pool", handle_city_pool, RANK_ORG_ADMIN, 0},
    {NULL, NULL, NULL, 0, 0},
};

void teachers_register_routes(void)
{
    router_add_table(teacher_routes);
    letters_register_routes();
    selection_register_routes();
    teachers_init();
}
