/* portal_enrol.c - a student enrols in a course from the portal on a phone (see portal.h): name +
 * mobile + a 6-digit code sent by SMS (auth/phone_code.h, purpose "enrol:<course id>"). Every
 * phone gets a code, known or not, with the same answer, so nothing tells which phones are
 * students anywhere. The enrolment makes the phone a student of the course's point (an existing
 * student of that point keeps its record and name) and one row of course_enrolments (no second
 * one; a course's capacity, when it has one, bounds them), audited in the same transaction. The
 * point's staff list a course's enrolments (GET /courses/:id/enrolments, in their scope).
 *
 * Limits (auth/limiter.h), every attempt counted: sending a code per address (10 per 10 minutes,
 * KEPU_PORTAL_CODE_LIMIT), per phone (3, KEPU_PORTAL_CODE_PHONE_LIMIT) and per course (200,
 * KEPU_PORTAL_CODE_COURSE_LIMIT); enrolling per address (20, KEPU_PORTAL_ENROL_LIMIT), per phone
 * (10, KEPU_PORTAL_ENROL_PHONE_LIMIT) and per course (300, KEPU_PORTAL_ENROL_COURSE_LIMIT). */
#include "portal/portal.h"
#include "audit/audit.h"
#include "auth/limiter.h"
#include "auth/phone_code.h"
#include "core/log.h"
#include "core/sms.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "http/server.h"
#include "io/export.h"
#include "model/entity.h"
#include "teaching/students.h"
#include "teaching/teaching.h"
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const limit_rule code_ip = {"portal.code.ip", 10, 600, "KEPU_PORTAL_CODE_LIMIT"};
static const limit_rule code_phone = {"portal.code.phone", 3, 600, "KEPU_PORTAL_CODE_PHONE_LIMIT"};
static const limit_rule code_course = {"portal.code.course", 200, 600, "KEPU_PORTAL_CODE_COURSE_LIMIT"};
static const limit_rule enrol_ip = {"portal.enrol.ip", 20, 600, "KEPU_PORTAL_ENROL_LIMIT"};
static const limit_rule enrol_phone = {"portal.enrol.phone", 10, 600, "KEPU_PORTAL_ENROL_PHONE_LIMIT"};
static const limit_rule enrol_course = {"portal.enrol.course", 300, 600, "KEPU_PORTAL_ENROL_COURSE_LIMIT"};

static const error_row enrol_errors[] = {
    {PORTAL_NOT_FOUND, 404, "not_found", NULL, "课程不存在或未开放报名 / course not found or not open for enrolment"},
    {PORTAL_ENROL_FULL, 409, "course_full", NULL, "课程名额已满 / the course is full"},
    {PORTAL_ENROL_CODE, 422, "invalid_code", "code", "验证码无效或已过期 / the code is wrong or expired"},
    {PORTAL_ENROL_NOT_POINT, 404, "not_found", NULL, "课程不存在或未开放报名 / course not found or not open for enrolment"},
    {PORTAL_STAFF_NOT_FOUND, 404, "not_found", NULL, "课程不存在 / course not found"},
    {PORTAL_ENROL_DUPLICATE, 409, "duplicate", "phone", "该手机号已报名本课程 / this phone is enrolled in the course already"},
    {0},
};
ERRORS_IN_CATALOG(enrol_errors);

/* ---- the record: one enrolment, with its student's name and masked phone ---- */
typedef struct enrolment {
    int64_t id, course_id, student_id;
    const char *name, *phone, *source, *created_at, *org_name;
} enrolment;

#define T(member) offsetof(enrolment, member)
static const field enrolment_fields[] = {
    {"id", "e.id", FT_ID, T(id), .flags = 0},
    {"course_id", "e.course_id", FT_ID, T(course_id), .flags = 0},
    {"student_id", "e.student_id", FT_ID, T(student_id), .flags = 0},
    {"name", "s.name", FT_TEXT, T(name), .flags = 0},
    {"phone", "s.phone_enc", FT_TEXT, T(phone), .flags = FF_ENCRYPTED | FF_MASK_PHONE},
    {"source", "e.source", FT_TEXT, T(source), .flags = 0},
    {"created_at", "e.created_at", FT_TIME, T(created_at), .flags = 0},
    {"org_name", "o.name", FT_TEXT, T(org_name), .flags = 0},
    {0},
};
#undef T

entity course_enrolment_entity = {
    .name = "course_enrolment", .doc = "A student's enrolment in a course, made on the public portal",
    .from = " FROM course_enrolments e JOIN students s ON s.id = e.student_id JOIN orgs o ON o.id = s.org_id",
    .id_column = "e.id", .path_column = "e.org_path", .order = " ORDER BY e.id",
    .size = sizeof(enrolment), .fields = enrolment_fields, .not_found = PORTAL_STAFF_NOT_FOUND,
    .errors = enrol_errors,
};

static bool take(request *r, const limit_rule *rule, const char *key)
{
    return limit_take_or_reply(r, rule, key, "尝试过于频繁，请 10 分钟后再试 / too many attempts, retry in 10 minutes");
}

static const char *purpose(arena *a, int64_t course_id) { return arena_printf(a, "enrol:%lld", (long long)course_id); }

/* The course id, a valid phone and the course open for enrolment; false after replying. The
 * limits per address come first (before any work), then per course and per phone. */
static bool read_input(request *r, const char *const *fields, const limit_rule *const rules[3], const char **phone, pcourse *x)
{
    int64_t id;
    if (!take(r, rules[0], r->ip) || !param_id(r, 0, &id) || !body_allow_fields(r, fields, NULL) ||
        !body_string(r, "phone", true, phone))
        return false;
    if (!valid_phone(*phone)) {
        reply_error(r, 422, "invalid_field", "phone", "手机号应为 11 位大陆手机号 / not a mainland mobile number");
        return false;
    }
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    if (!take(r, rules[1], key) || !take(r, rules[2], *phone)) return false;
    db *c = db_thread();
    int rc = c ? portal_course_get_public_unscoped(c, &r->arena, id, x) : DB_ERR;
    if (rc == DB_OK && !x->open) rc = PORTAL_NOT_FOUND;
    if (rc != DB_OK) { reply_error_row(r, enrol_errors, rc); return false; }
    return true;
}

/* POST /public/courses/:id/enrolments/code {"phone"} -> 202, the same for every phone. */
static void handle_code(request *r)
{
    static const char *const fields[] = {"phone", NULL};
    static const limit_rule *const rules[3] = {&code_ip, &code_course, &code_phone};
    const char *phone;
    pcourse x;
    if (!read_input(r, fields, rules, &phone, &x)) return;
    char code[8];
    phone_code_new(code);
    int rc = phone_code_store(db_thread(), &r->arena, purpose(&r->arena, x.id), phone, code);
    if (rc != DB_OK) { sodium_memzero(code, sizeof code); reply_db_error(r); return; }
    char text[200];
    snprintf(text, sizeof text, "【课程报名】验证码 %s，5 分钟内有效 / enrolment code %s, valid 5 minutes", code, code);
    if (sms_send(phone, text) != 0) log_warn("portal enrolment: the SMS sender refused a code (%s)", sms_sender_name());
    sodium_memzero(code, sizeof code);
    sodium_memzero(text, sizeof text);
    reply_json(r, 202, json_pack("{s:s}", "message", "验证码已发送，5 分钟内有效 / a code was sent (valid 5 minutes)"));
}

struct enrol_args {
    arena *a;
    actor who;
    int64_t course_id;
    const char *name, *phone;
    enrolment out;
};

/* Counts the course's enrolments (capacity) and whether the student has one already. */
static int enrolment_state(db *c, int64_t course_id, int64_t student_id, int64_t *count, bool *already)
{
    db_stmt *s = db_prepare(c, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN student_id = ? THEN 1 ELSE 0 END), 0) "
                               "FROM course_enrolments WHERE course_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, student_id), db_bind_int(s, 2, course_id);
    int rc = db_step(s);
    if (rc == DB_ROW) *count = db_col_int(s, 0), *already = db_col_int(s, 1) > 0;
    db_finish(s);
    return rc == DB_ROW ? DB_OK : DB_ERR;
}

static int enrol_cb(db *c, void *cls)
{
    struct enrol_args *w = cls;
    pcourse x;
    int rc = portal_course_get_public_unscoped(c, w->a, w->course_id, &x);
    if (rc == DB_OK && !x.open) rc = PORTAL_NOT_FOUND;
    if (rc != DB_OK) return rc;
    int64_t student_id = 0, count = 0;
    bool created = false, already = false;
    const char *known = NULL;
    rc = students_enrol_checkin(c, w->who, w->a, x.org_path, w->name, w->phone, "portal", true, &student_id, &created, &known);
    if (rc == STU_ORG_NOT_FOUND || rc == STU_NOT_POINT) return PORTAL_ENROL_NOT_POINT;
    if (rc != DB_OK) return rc;
    /* a no-op write of the course's row: concurrent enrolments in one course queue on its lock
     * (PostgreSQL; SQLite has one writer), so the count below sees every one before it */
    qb q;
    qb_init(&q, "UPDATE courses SET capacity = capacity WHERE id = ?");
    qb_int(&q, x.id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if ((rc = enrolment_state(c, x.id, student_id, &count, &already)) != DB_OK) return rc;
    if (already) return PORTAL_ENROL_DUPLICATE;
    if (x.capacity > 0 && count >= x.capacity) return PORTAL_ENROL_FULL;
    char now[40];
    time_now_rfc3339(now);
    int64_t id = 0;
    qb_init(&q, "INSERT INTO course_enrolments (course_id, student_id, org_path, source, created_at) VALUES (?, ?, ?, 'portal', ?) "
                "RETURNING id");
    qb_int(&q, x.id), qb_int(&q, student_id), qb_text(&q, x.org_path), qb_text(&q, now);
    if ((rc = qb_exec(c, &q, &id)) != DB_OK) return rc < 0 ? rc : DB_ERR;
    w->out = (enrolment){id, x.id, student_id, known ? known : w->name, w->phone, "portal", arena_strdup(w->a, now), x.point_name};
    return entity_audit(c, &course_enrolment_entity, w->who, x.org_path, id, "create", NULL, &w->out);
}

/* POST /public/courses/:id/enrolments {"name", "phone", "code"} -> 201 {course_id, title, starts_at, place, name}. */
static void handle_enrol(request *r)
{
    static const char *const fields[] = {"name", "phone", "code", NULL};
    static const limit_rule *const rules[3] = {&enrol_ip, &enrol_course, &enrol_phone};
    const char *phone, *name = NULL, *code = NULL;
    pcourse x;
    if (!read_input(r, fields, rules, &phone, &x) || !body_string(r, "name", true, &name) ||
        !body_string(r, "code", true, &code))
        return;
    size_t n = strlen(name);
    if (n == 0 || n > 60) {
        reply_error(r, 422, "invalid_field", "name", "姓名应为 1 至 20 个字 / the name has 1 to 20 characters");
        return;
    }
    if (strlen(code) != 6 || strspn(code, "0123456789") != 6) {
        reply_error(r, 422, "invalid_field", "code", "验证码为 6 位数字 / the code has 6 digits");
        return;
    }
    db *c = db_thread();
    bool matched = false;
    int rc = phone_code_try(c, &r->arena, purpose(&r->arena, x.id), phone, code, &matched);
    if (rc != DB_OK) { reply_db_error(r); return; }
    if (!matched) { reply_error_row(r, enrol_errors, PORTAL_ENROL_CODE); return; }
    struct enrol_args w = {&r->arena, actor_key(ACTOR_STUDENT_KEY, "portal", r->request_id, r->ip), x.id, name, phone, {0}};
    rc = db_transaction(c, enrol_cb, &w);
    if (rc != DB_OK) { reply_error_row(r, enrol_errors, rc); return; }
    reply_json(r, 201, json_pack("{s:I, s:s, s:s, s:s, s:s}", "course_id", (json_int_t)x.id, "title", x.title, "starts_at",
                                 x.starts_at, "place", x.place, "name", w.out.name));
}

static int export_row(const void *rec, db_stmt *s, arena *row, void *cls)
{
    const enrolment *e = rec;
    xlsx *x = cls;
    char masked[16];
    (void)s, (void)row;
    mask_phone(e->phone ? e->phone : "", masked, sizeof masked);
    xlsx_text(x, 0, e->name);
    xlsx_text(x, 1, masked);
    xlsx_time(x, 2, e->created_at);
    xlsx_text(x, 3, e->org_name);
    xlsx_next_row(x);
    return DB_OK;
}

/* ?format=xlsx: every enrolment of the course as a workbook (phones masked). */
static void export_list(request *r, db *c, qb *where, const char *title)
{
    static const xlsx_col cols[] = {{"姓名", 14}, {"手机号", 14}, {"报名时间", 18}, {"教学点", 24}};
    xlsx *x = xlsx_open_table("报名名单", title, cols, 4);
    if (!x) { qb_free(where); reply_export_failed(r); return; }
    qb_sql(where, " ORDER BY e.id");
    int rc = entity_each(c, &course_enrolment_entity, NULL, where, export_row, x);
    if (rc != DB_OK) { xlsx_abort(x); reply_db_error(r); return; }
    xlsx_reply(x, r, "报名名单.xlsx");
}

/* GET /courses/:id/enrolments[?format=xlsx]: the course in the caller's scope, its enrolments
 * (phones masked). */
static void handle_list(request *r)
{
    static const char *const formats[] = {"json", "xlsx", NULL};
    int64_t id;
    page pg;
    course co;
    if (!param_id(r, 0, &id) || !query_choice(r, "format", formats) || !query_page(r, &pg)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &course_entity, &r->principal->scope, &r->arena, id, &co) : DB_ERR;
    if (rc == TEACH_NOT_FOUND) rc = PORTAL_STAFF_NOT_FOUND;
    if (rc != DB_OK) { reply_error_row(r, enrol_errors, rc); return; }
    qb where;
    qb_init(&where, "");
    rc = entity_list_where(c, &course_enrolment_entity, &r->principal->scope, &r->arena, 0, &where);
    if (rc != DB_OK) { reply_db_error(r); return; }
    qb_sql(&where, " AND e.course_id = ?"), qb_int(&where, id);
    const char *format = req_query(r, "format");
    if (format && !strcmp(format, "xlsx")) { export_list(r, c, &where, co.title); return; }
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    rc = entity_list_page(c, &course_enrolment_entity, &where, " ORDER BY e.id", pg.size, pg.offset, &r->arena, &w, &total, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

static const struct route enrol_routes[] = {
    {"POST", "/api/v1/public/courses/:id/enrolments/code", handle_code, ROUTE_PUBLIC, 0,
     .summary = "Send a 6-digit code by SMS to enrol in a course (202 for every phone)"},
    {"POST", "/api/v1/public/courses/:id/enrolments", handle_enrol, ROUTE_PUBLIC, 0,
     .summary = "Enrol in a course: name, phone and the SMS code (the phone becomes a student of the point)",
     .entity = &course_enrolment_entity},
    {"GET", "/api/v1/courses/:id/enrolments", handle_list, RANK_STAFF, 0,
     .summary = "A course's enrolments from the portal (phones masked; ?format=xlsx)", .entity = &course_enrolment_entity},
    {0},
};

void portal_enrol_register(void) { router_add_table(enrol_routes); }

void portal_register_routes(void)
{
    portal_init();
    server_add_pages("/portal", portal_serve);
    portal_more_register();
    portal_courses_register();
    portal_enrol_register();
}
