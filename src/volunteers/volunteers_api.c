/* volunteers_api.c - HTTP handlers of volunteers (docs/api.md "Volunteers (科技志愿者)"). Personal
 * numbers arrive in bodies (or the exact-number filters) only, are validated here and never
 * echoed: error messages name the field, not the value; only /reveal answers them whole. */
#include "volunteers/volunteers_internal.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const genders[] = {"male", "female", NULL};
static const char *const writable[] = {"org_id", "name", "gender", "id_number", "phone", "skills", "fields",
                                       "availability", "status", NULL};
static const char *const read_only[] = {"id", "volunteer_no", "org_name", "source", "created_by", "created_at",
                                        "updated_at", "teams", NULL};

void volunteers_reply_error(request *r, int rc)
{
    switch (rc) {
    case VOL_NOT_FOUND: reply_not_found(r); break;
    case VOL_ORG_NOT_FOUND: reply_error(r, 404, "not_found", "org_id", "机构不存在 / organization not found"); break;
    case VOL_TEAM_NOT_FOUND: reply_error(r, 404, "not_found", "team_id", "服务队不存在 / team not found"); break;
    case VOL_MEMBER_NOT_FOUND: reply_not_found(r); break;
    case VOL_VOLUNTEER_NOT_FOUND:
        reply_error(r, 404, "not_found", "volunteer_id", "志愿者不存在 / volunteer not found");
        break;
    case VOL_BAD_CATEGORY:
        reply_error(r, 422, "invalid_field", "category", "服务队类别无效 / unknown team category");
        break;
    case VOL_DUPLICATE_ID:
        reply_error(r, 409, "duplicate", "id_number",
                    "该身份证号已注册为科技志愿者，请勿重复注册 / a volunteer with this ID number is already registered");
        break;
    case VOL_DUPLICATE_NAME:
    case DB_UNIQUE:
        reply_error(r, 409, "duplicate", "name", "已有同名服务队 / a team of this name exists");
        break;
    case VOL_TEAM_LIMIT:
        reply_error(r, 409, "team_limit", "volunteer_id",
                    "该志愿者已加入 %d 支服务队，达到上限 / the volunteer is already in %d teams, the limit",
                    VOL_MAX_TEAMS, VOL_MAX_TEAMS);
        break;
    case VOL_ALREADY_MEMBER:
        reply_error(r, 409, "already_member", "volunteer_id",
                    "该志愿者已在本队或已有待处理的申请/邀请 / already a member, or an application or invitation is open");
        break;
    case VOL_BAD_STATE:
        reply_error(r, 409, "wrong_state", "status", "当前状态不允许此操作 / not allowed in the current status");
        break;
    case VOL_TEAM_CLOSED:
        reply_error(r, 409, "team_closed", "team_id", "服务队已暂停或解散 / the team is suspended or dissolved");
        break;
    case VOL_NOT_ACTIVE:
        reply_error(r, 409, "volunteer_inactive", "volunteer_id", "志愿者已暂停或退出 / the volunteer is suspended or left");
        break;
    default: reply_db_error(r); break;
    }
}

char *vol_id_upper(arena *a, const char *id)
{
    char *s = arena_strdup(a, id);
    for (char *p = s; *p; p++) *p = (char)toupper((unsigned char)*p);
    return s;
}

const char *vol_id_number_problem(const char *id)
{
    if (!valid_id_number(id)) return "身份证号格式或校验位错误 / not a valid ID number (GB 11643 check digit)";
    char today[40];
    time_now_rfc3339(today);
    if (!id_number_birth_ok(id, today))
        return "身份证号中的出生日期无效或在未来 / the birth date in the ID number is impossible or in the future";
    return NULL;
}

const char *vol_gender_of_id(const char *id) { return (id[16] - '0') % 2 ? "male" : "female"; }

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

static bool read_id_number(request *r, bool required, const char **out)
{
    const char *v = NULL;
    if (!body_string(r, "id_number", required, &v)) return false;
    if (!body_has(r, "id_number")) return true;
    char *id = vol_id_upper(&r->arena, v ? v : "");
    const char *why = vol_id_number_problem(id);
    if (why) { reply_error(r, 422, "invalid_field", "id_number", "%s", why); return false; }
    *out = id;
    return true;
}

/* An array of at most 20 texts of 1..30 characters (choices NULL), or of the given choices. */
static bool read_list(request *r, const char *field, const char *const *choices, const char **out)
{
    json_t *v = json_object_get(r->json, field);
    if (!v) return true;
    if (json_is_null(v)) { *out = "[]"; return true; }
    bool ok = json_is_array(v) && json_array_size(v) <= 20;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        ok = ok && json_is_string(e) && valid_name(json_string_value(e), 30);
        for (const char *const *c = choices; ok && c; c++) {
            if (!*c) { ok = false; break; }
            if (!strcmp(*c, json_string_value(e))) break;
        }
    }
    if (!ok) {
        reply_error(r, 422, "invalid_field", field, "字段 %s 应为至多 20 项、每项 1-30 字的数组（或给定选项） / "
                    "an array of at most 20 items of 1 to 30 characters (or of the given choices)", field);
        return false;
    }
    char *text = json_dumps(v, JSON_COMPACT);
    *out = arena_strdup(&r->arena, text);
    free(text);
    return true;
}

static const char *const *with_extra(arena *a, const char *const *extra)
{
    size_t n = 0, m = 0;
    while (writable[n]) n++;
    while (extra && extra[m]) m++;
    const char **all = arena_alloc(a, (n + m + 1) * sizeof *all);
    for (size_t i = 0; i < n; i++) all[i] = writable[i];
    for (size_t i = 0; i < m; i++) all[n + i] = extra[i];
    return all;
}

bool vol_read_input(request *r, volunteer *v, bool creating, const char *const *extra)
{
    int64_t org_id = v->org_id;
    const char *name = NULL, *gender = NULL, *status = NULL;
    if (!body_allow_fields(r, with_extra(&r->arena, extra), read_only) ||
        !body_int(r, "org_id", creating, &org_id, NULL) || !body_name(r, "name", creating, 50, &name) ||
        !body_enum(r, "gender", false, genders, &gender) || !read_id_number(r, creating, &v->id_number) ||
        !read_phone(r, creating, &v->phone) || !read_list(r, "skills", NULL, &v->skills) ||
        !read_list(r, "fields", NULL, &v->fields) ||
        !read_list(r, "availability", volunteer_availability, &v->availability) ||
        !body_enum(r, "status", false, volunteer_statuses, &status))
        return false;
    v->org_id = org_id;
    if (name) v->name = name;
    if (body_has(r, "gender")) v->gender = gender;
    if (!v->gender && v->id_number) v->gender = vol_gender_of_id(v->id_number);
    if (status) v->status = status;
    return true;
}

static void reply_volunteer(request *r, int status, const volunteer *v)
{
    jw w;
    jw_init(&w);
    volunteer_write(&w, v);
    reply_jw(r, status, &w);
}

static bool read_filter(request *r, volunteer_filter *f)
{
    bool has;
    memset(f, 0, sizeof *f);
    if (!query_id(r, "org_id", &f->org_id, &has) || !query_id(r, "team_id", &f->team_id, &has)) return false;
    f->q = req_query(r, "q");
    f->status = req_query(r, "status");
    f->skill = req_query(r, "skill");
    f->phone = req_query(r, "phone");
    const char *idn = req_query(r, "id_number");
    bool ok = !f->status || !*f->status;
    for (const char *const *s = volunteer_statuses; !ok && *s; s++) ok = !strcmp(*s, f->status);
    if (!ok) { reply_error(r, 422, "invalid_field", "status", "status 取值无效 / unknown value"); return false; }
    if (f->phone && *f->phone && !valid_phone(f->phone)) {
        reply_error(r, 422, "invalid_field", "phone", "按手机号查找须输入完整的 11 位手机号 / the whole 11-digit number");
        return false;
    }
    if (idn && *idn) {
        f->id_number = vol_id_upper(&r->arena, idn);
        if (!valid_id_number(f->id_number)) {
            reply_error(r, 422, "invalid_field", "id_number", "按身份证号查找须输入完整有效的号码 / the whole valid number");
            return false;
        }
    }
    return true;
}

static void handle_list(request *r)
{
    volunteer_filter f;
    page pg;
    if (!read_filter(r, &f) || !query_page(r, &pg)) return;
    db *c = db_thread();
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    int rc = c ? volunteers_list(c, r->principal, &r->arena, &f, pg.size, pg.offset, &w, &total) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); volunteers_reply_error(r, rc); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

static void handle_export(request *r)
{
    static const char *const headers[] = {"志愿者编号", "注册单位", "姓名", "性别", "身份证号", "手机号", "技能特长",
                                          "服务领域", "状态", "注册时间", "所在服务队数"};
    volunteer_filter f;
    if (!read_filter(r, &f)) return;
    db *c = db_thread();
    xlsx *x = c ? xlsx_open("科技志愿者", headers, 11) : NULL;
    if (!x) { reply_db_error(r); return; }
    int rc = volunteers_export(c, r->principal, &r->arena, &f, x);
    if (rc != DB_OK) { xlsx_abort(x); volunteers_reply_error(r, rc); return; }
    xlsx_reply(x, r, "科技志愿者名册.xlsx");
}

/* The profile: the volunteer and the teams with each membership's state. */
static void handle_get(request *r)
{
    int64_t id;
    volunteer v;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? volunteers_get(c, r->principal, &r->arena, id, &v) : DB_ERR;
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    jw w, teams;
    jw_init(&w), jw_init(&teams);
    if ((rc = members_of_volunteer(c, r->principal, &r->arena, id, &teams)) != DB_OK) {
        jw_free(&w), jw_free(&teams);
        volunteers_reply_error(r, rc);
        return;
    }
    volunteer_write(&w, &v);
    json_t *j = jw_to_json(&w), *t = jw_to_json(&teams);
    jw_free(&w), jw_free(&teams);
    if (!j || !t) { json_decref(j), json_decref(t); reply_db_error(r); return; }
    json_object_set_new(j, "teams", t);
    reply_json(r, 200, j);
}

static void handle_create(request *r)
{
    volunteer in = {0}, out;
    if (!vol_read_input(r, &in, true, NULL)) return;
    db *c = db_thread();
    int rc = c ? volunteers_create(c, r->principal, &r->arena, &in, "staff", &out) : DB_ERR;
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_volunteer(r, 201, &out);
}

static void handle_update(request *r)
{
    int64_t id;
    volunteer v, out;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? volunteers_get(c, r->principal, &r->arena, id, &v) : DB_ERR;
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    if (!vol_read_input(r, &v, false, NULL)) return;
    if (!v.phone || !v.id_number) {   /* stored under another key: they cannot be kept, only replaced */
        reply_error(r, 422, "required", !v.id_number ? "id_number" : "phone", "请重新填写证件号和手机号 / please enter the numbers again");
        return;
    }
    rc = volunteers_update(c, r->principal, &r->arena, id, &v, &out);
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_volunteer(r, 200, &out);
}

static void handle_delete(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? volunteers_delete(c, r->principal, &r->arena, id) : DB_ERR;
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_empty(r, 204);
}

/* The whole numbers, for org_admin and above (the route's role); audited as a reveal. */
static void handle_reveal(request *r)
{
    int64_t id;
    volunteer v;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? volunteers_reveal(c, r->principal, &r->arena, id, &v) : DB_ERR;
    if (rc != DB_OK) { volunteers_reply_error(r, rc); return; }
    reply_json(r, 200, json_pack("{s:I, s:s?, s:s?}", "id", (json_int_t)v.id, "id_number", v.id_number, "phone", v.phone));
    reply_header(r, "Cache-Control", "no-store");
}

static const struct route volunteer_routes[] = {
    {"GET", "/api/v1/volunteers", handle_list, RANK_STAFF, 0, .summary = "Volunteers in scope (科技志愿者)"},
    {"GET", "/api/v1/volunteers/export", handle_export, RANK_STAFF, 0, .summary = "Volunteers to Excel (numbers masked)"},
    {"GET", "/api/v1/volunteers/:id", handle_get, RANK_STAFF, 0, .summary = "A volunteer's profile with teams and membership states"},
    {"POST", "/api/v1/volunteers", handle_create, RANK_STAFF, 0, .summary = "Register a volunteer"},
    {"PATCH", "/api/v1/volunteers/:id", handle_update, RANK_STAFF, 0, .summary = "Change a volunteer (the numbers must be given again)"},
    {"DELETE", "/api/v1/volunteers/:id", handle_delete, RANK_STAFF, 0, .summary = "A volunteer leaves (status left; kept for history)"},
    {"POST", "/api/v1/volunteers/:id/reveal", handle_reveal, RANK_ORG_ADMIN, 0, .summary = "The whole ID number and phone (audited as reveal, without the numbers)"},
    {0},
};

void volunteers_register_routes(void) { router_add_table(volunteer_routes); }
