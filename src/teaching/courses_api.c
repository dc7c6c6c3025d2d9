/* courses_api.c - HTTP handlers of courses (docs/api.md "Teaching plans and courses"): the
 * register, marking a course held or cancelled, and the module's registration. */
#include "teaching/teaching.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

#define MAX_COUNT 100000
#define MAX_TEACHERS 10

static const char *const statuses[] = {"scheduled", "held", "cancelled", NULL};
static const char *const create_fields[] = {"org_id", "plan_item_id", "title", "topic", "category", "starts_at",
                                            "ends_at", "place", "capacity", "teachers", "audience", "materials", NULL};
static const char *const update_fields[] = {"org_id", "title", "topic", "category", "starts_at", "ends_at", "place",
                                            "capacity", "teachers", "audience", "materials", "record", "attendance",
                                            NULL};
static const char *const read_only[] = {"id", "org_name", "plan_id", "plan_item_id", "category_name", "day", "status",
                                        "held_at", "cancel_reason", "teaching_hours", "created_by", "created_at",
                                        "updated_at", "record", "attendance", "rating_avg", "rating_count", NULL};

static bool read_count(request *r, const char *field, bool required, int64_t *out)
{
    int64_t v = *out;
    if (!body_int(r, field, required, &v, NULL)) return false;
    if (v < 0 || v > MAX_COUNT) {
        reply_error(r, 422, "invalid_field", field, "应在 0 至 %d 之间 / must be between 0 and %d", MAX_COUNT, MAX_COUNT);
        return false;
    }
    *out = v;
    return true;
}

/* A time in RFC 3339, written back in Shanghai time (+08:00). */
static bool read_time(request *r, const char *field, bool required, const char **out)
{
    const char *v = NULL;
    time_t t;
    if (!body_string(r, field, required, &v)) return false;
    if (!v) return true;
    if (!course_time_parse(v, &t)) {
        reply_error(r, 422, "invalid_field", field,
                    "时间格式应为 RFC 3339，如 2026-05-18T09:30:00+08:00 / time must be RFC 3339");
        return false;
    }
    char *buf = arena_alloc(&r->arena, 32);
    time_to_rfc3339(t, buf);
    *out = buf;
    return true;
}

/* [{"name", "id"?}], at most 10; stored as compact JSON text of ours. */
static bool read_teachers(request *r, const char **out)
{
    json_t *v = json_object_get(r->json, "teachers");
    if (!v) return true;
    if (json_is_null(v)) { *out = "[]"; return true; }
    bool ok = json_is_array(v) && json_array_size(v) <= MAX_TEACHERS;
    json_t *clean = json_array(), *e;
    size_t i;
    if (ok) json_array_foreach(v, i, e) {
        json_t *name = json_object_get(e, "name"), *id = json_object_get(e, "id");
        const char *k;
        json_t *kv;
        if (!json_is_object(e) || !json_is_string(name) || !valid_name(json_string_value(name), 50) ||
            (id && !json_is_null(id) && (!json_is_integer(id) || json_integer_value(id) <= 0))) { ok = false; break; }
        json_object_foreach(e, k, kv) ok &= !strcmp(k, "name") || !strcmp(k, "id");
        json_array_append_new(clean, json_pack("{s:O, s:O}", "name", name, "id", id ? id : json_null()));
    }
    if (!ok) {
        json_decref(clean);
        reply_error(r, 422, "invalid_field", "teachers",
                    "teachers 应为至多 10 位教师 [{\"name\", \"id\"}] / at most 10 teachers [{\"name\", \"id\"}]");
        return false;
    }
    char *text = json_dumps(clean, JSON_COMPACT);
    *out = arena_strdup(&r->arena, text);
    free(text);
    json_decref(clean);
    return true;
}

/* Applies the body onto x (the stored course for PATCH, zeros for POST); replies on bad input. */
static bool read_course_input(request *r, db *c, course *x, bool creating)
{
    int64_t org_id = x->org_id, item = 0;
    const char *title = NULL, *category = NULL;
    if (!body_allow_fields(r, creating ? create_fields : update_fields, read_only) ||
        !body_int(r, "org_id", false, &org_id, NULL) || (creating && !body_int(r, "plan_item_id", false, &item, NULL)))
        return false;
    if (item < 0) { reply_error(r, 422, "invalid_field", "plan_item_id", "应为正整数 / must be a positive id"); return false; }
    x->org_id = org_id;
    if (creating) x->plan_item_id = item;
    bool need = creating && !item;   /* without a plan item, the course says what it is */
    if (creating && !item && !x->org_id) { reply_error(r, 422, "required", "org_id", "缺少 org_id / org_id is required"); return false; }
    /* free texts of several lines (body_multiline_text): pasted paragraphs keep their breaks */
    if (!body_name(r, "title", need, 200, &title) || !body_multiline_text(r, "topic", 100, &x->topic) ||
        !body_string(r, "category", need, &category) || !read_time(r, "starts_at", creating, &x->starts_at) ||
        !read_time(r, "ends_at", creating, &x->ends_at) || !body_multiline_text(r, "place", 200, &x->place) ||
        !read_count(r, "capacity", false, &x->capacity) || !read_teachers(r, &x->teachers) ||
        !body_multiline_text(r, "audience", 100, &x->audience) || !body_multiline_text(r, "materials", 2000, &x->materials) ||
        (!creating && (!body_multiline_text(r, "record", 2000, &x->record) || !read_count(r, "attendance", false, &x->attendance))))
        return false;
    if (title) x->title = title;
    if (category && !teaching_category_exists(c, category)) {
        reply_error(r, 422, "invalid_field", "category", "课程类别不存在 / unknown category");
        return false;
    }
    if (category) x->category = category;
    time_t t0, t1;
    course_time_parse(x->starts_at, &t0);
    course_time_parse(x->ends_at, &t1);
    if (t1 <= t0 || t1 - t0 > 24 * 3600) {
        reply_error(r, 422, "invalid_field", "ends_at", "结束时间应晚于开始时间且不超过 24 小时 / ends_at must be after "
                    "starts_at, within 24 hours");
        return false;
    }
    x->day = arena_strndup(&r->arena, x->starts_at, 10);
    return true;
}

static void reply_course(request *r, int status, const course *x)
{
    jw w;
    jw_init(&w);
    course_write(&w, x);
    reply_jw(r, status, &w);
}

static void handle_list(request *r)
{
    course_filter f = {0};
    page pg;
    bool has;
    if (!query_id(r, "org_id", &f.org_id, &has) || !query_id(r, "plan_id", &f.plan_id, &has) || !query_page(r, &pg))
        return;
    f.status = req_query(r, "status");
    f.from = req_query(r, "from");
    f.to = req_query(r, "to");
    f.q = req_query(r, "q");
    const char *order = req_query(r, "order");
    bool status_ok = !f.status || !*f.status;
    for (int i = 0; statuses[i]; i++) status_ok |= f.status && !strcmp(f.status, statuses[i]);
    const char *bad = !status_ok ? "status" : f.from && *f.from && !day_valid(f.from) ? "from"
                    : f.to && *f.to && !day_valid(f.to) ? "to"
                    : order && *order && strcmp(order, "asc") && strcmp(order, "desc") ? "order" : NULL;
    if (bad) { reply_error(r, 422, "invalid_field", bad, "取值无效 / invalid value"); return; }
    db *c = db_thread();
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    int rc = c ? courses_list(c, r->principal, &r->arena, &f, pg.size, pg.offset, order, &w, &total) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); reply_teaching_error(r, rc); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

static void handle_get(request *r)
{
    int64_t id;
    course x;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? courses_get(c, r->principal, &r->arena, id, &x) : DB_ERR;
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    reply_course(r, 200, &x);
}

static void handle_create(request *r)
{
    course in = {0}, out;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    if (!read_course_input(r, c, &in, true)) return;
    int rc = courses_create(c, r->principal, &r->arena, &in, &out);
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    reply_course(r, 201, &out);
}

static void handle_update(request *r)
{
    int64_t id;
    course x, out;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? courses_get(c, r->principal, &r->arena, id, &x) : DB_ERR;
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    if (!read_course_input(r, c, &x, false)) return;
    rc = courses_update(c, r->principal, &r->arena, id, &x, &out);
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    reply_course(r, 200, &out);
}

static void handle_delete(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? courses_delete(c, r->principal, &r->arena, id) : DB_ERR;
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    reply_empty(r, 204);
}

static void handle_hold(request *r)
{
    static const char *const fields[] = {"record", "attendance", NULL}, *const none[] = {NULL};
    int64_t id, attendance = 0;
    const char *record = NULL;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, fields, none) || !body_multiline_text(r, "record", 2000, &record) ||
        !read_count(r, "attendance", true, &attendance))
        return;
    course out;
    db *c = db_thread();
    int rc = c ? courses_hold(c, r->principal, &r->arena, id, record, attendance, &out) : DB_ERR;
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    reply_course(r, 200, &out);
}

static void handle_cancel(request *r)
{
    static const char *const fields[] = {"reason", NULL}, *const none[] = {NULL};
    int64_t id;
    const char *reason = NULL;
    if (!param_id(r, 0, &id)) return;
    if (r->json && (!body_allow_fields(r, fields, none) || !body_multiline_text(r, "reason", 500, &reason))) return;
    course out;
    db *c = db_thread();
    int rc = c ? courses_cancel(c, r->principal, &r->arena, id, reason, &out) : DB_ERR;
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    reply_course(r, 200, &out);
}

static const struct route course_routes[] = {
    {"GET", "/api/v1/courses", handle_list, RANK_MEMBER, 0, .summary = "List courses (课程) in scope"},
    {"GET", "/api/v1/courses/:id", handle_get, RANK_MEMBER, 0, .summary = "A course"},
    {"POST", "/api/v1/courses", handle_create, RANK_STAFF, 0, .summary = "Schedule a course, from a plan item or ad hoc"},
    {"PATCH", "/api/v1/courses/:id", handle_update, RANK_STAFF, 0, .summary = "Edit a course"},
    {"DELETE", "/api/v1/courses/:id", handle_delete, RANK_STAFF, 0, .summary = "Delete a course"},
    {"POST", "/api/v1/courses/:id/hold", handle_hold, RANK_STAFF, 0, .summary = "Mark a course held (已开课): record, attendance"},
    {"POST", "/api/v1/courses/:id/cancel", handle_cancel, RANK_STAFF, 0, .summary = "Cancel a course"},
    {0},
};

void teaching_plans_courses_register(void)
{
    plans_register_routes();
    router_add_table(course_routes);
    course_files_register_routes();
    courses_init();
    course_teachers_init();
}
