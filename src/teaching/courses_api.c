/* courses_api.c - HTTP handlers of courses (docs/api.md "Teaching plans and courses"): the
 * register, marking a course held or cancelled, and the module's registration. */
#include "teaching/teaching.h"
#include "core/period.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

bool course_input(request *r, void *rec, bool creating)
{
    course *x = rec;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return false; }
    if (x->plan_item_id < 0) {
        reply_error(r, 422, "invalid_field", "plan_item_id", "应为正整数 / must be a positive id");
        return false;
    }
    /* without a plan item, the course says what it is */
    const char *missing = !creating || x->plan_item_id ? NULL : !x->org_id ? "org_id" : !x->title ? "title"
                        : !x->category ? "category" : NULL;
    if (missing) {
        reply_error(r, 422, "required", missing, "缺少必填字段 %s / field is required", missing);
        return false;
    }
    if (body_has(r, "category") && x->category && !teaching_category_exists(c, x->category)) {
        reply_error(r, 422, "invalid_field", "category", "课程类别不存在 / unknown category");
        return false;
    }
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

static void handle_list(request *r)
{
    static const char *const orders[] = {"asc", "desc", NULL};
    course_filter f = {.from = req_query(r, "from"), .to = req_query(r, "to")};
    const char *order = req_query(r, "order"), *bad = f.from && *f.from && !day_valid(f.from) ? "from"
                                                    : f.to && *f.to && !day_valid(f.to) ? "to" : NULL;
    bool has;
    page pg;
    qb where;
    if (bad) { reply_error(r, 422, "invalid_field", bad, "取值无效 / invalid value"); return; }
    db *c = db_thread();
    if (!query_id(r, "plan_id", &f.plan_id, &has) || !query_choice(r, "order", orders) ||
        !entity_list_begin(r, c, &course_entity, &where, &pg))
        return;
    courses_where(&where, &f);   /* ?org_id=, ?status= and ?q= by entity_list_begin */
    entity_reply_list(r, c, &course_entity, &where, courses_order(order), &pg);
}

static void handle_hold(request *r)
{
    static const char *const fields[] = {"record", "attendance", NULL}, *const none[] = {NULL};
    int64_t id, attendance = 0;
    const char *record = NULL;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, fields, none) || !body_multiline_text(r, "record", 2000, &record) ||
        !body_int(r, "attendance", true, &attendance, NULL))
        return;
    if (attendance < 0 || attendance > COURSE_MAX_COUNT) {
        reply_error(r, 422, "invalid_field", "attendance", "应在 0 至 %d 之间 / must be between 0 and %d",
                    COURSE_MAX_COUNT, COURSE_MAX_COUNT);
        return;
    }
    course out;
    db *c = db_thread();
    int rc = c ? courses_hold(c, r->principal, &r->arena, id, record, attendance, &out) : DB_ERR;
    entity_reply_result(r, &course_entity, rc, 200, &out);
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
    entity_reply_result(r, &course_entity, rc, 200, &out);
}

static const struct route course_routes[] = {
    {"GET", "/api/v1/courses", handle_list, RANK_MEMBER, 0, .summary = "List courses (课程) in scope", .entity = &course_entity},
    {"GET", "/api/v1/courses/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "A course", .entity = &course_entity},
    {"POST", "/api/v1/courses", entity_handle_create, RANK_STAFF, 0, .summary = "Schedule a course, from a plan item or ad hoc", .entity = &course_entity},
    {"PATCH", "/api/v1/courses/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Edit a course", .entity = &course_entity},
    {"DELETE", "/api/v1/courses/:id", entity_handle_delete, RANK_STAFF, 0, .summary = "Delete a course", .entity = &course_entity},
    {"POST", "/api/v1/courses/:id/hold", handle_hold, RANK_STAFF, 0, .summary = "Mark a course held (已开课): record, attendance", .entity = &course_entity},
    {"POST", "/api/v1/courses/:id/cancel", handle_cancel, RANK_STAFF, 0, .summary = "Cancel a course", .entity = &course_entity},
    {0},
};

void teaching_plans_courses_register(void)
{
    router_add_table(plan_routes);
    router_add_table(course_routes);
}
