/* teaching_api.c - HTTP handlers of teaching plans, their review, completion and the category
 * dictionary, and of courses (docs/api.md "Teaching plans and courses"). */
#include "teaching/teaching.h"
#include "teaching/signoffs.h"
#include "core/period.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

/* A 422 about item n ("items.3") or one of its members ("items.3.topic"). */
static bool item_error(request *r, const char *code, size_t n, const char *key, const char *msg)
{
    reply_error(r, 422, code, arena_printf(&r->arena, key ? "items.%zu.%s" : "items.%zu", n, key), "%s", msg);
    return false;
}

/* An optional text member of an item: NULL when absent, null or empty. */
static bool item_text(request *r, json_t *e, size_t n, const char *key, size_t max, bool required, const char **out)
{
    json_t *v = json_object_get(e, key);
    *out = NULL;
    if ((!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) && !required) return true;
    if (!json_is_string(v) || !valid_name(json_string_value(v), max))
        return item_error(r, required && !v ? "required" : "invalid_field", n, key,
                          arena_printf(&r->arena, "应为 1-%zu 个字符的文字 / text of 1 to %zu characters", max, max));
    *out = json_string_value(v);
    return true;
}

/* An item of the body: the members of plan_item_entity (the computed ones ignored), checked. */
static bool read_item(request *r, db *c, json_t *e, size_t n, const plan *x, plan_item *it)
{
    const char *k;
    json_t *v;
    memset(it, 0, sizeof *it);
    if (!json_is_object(e)) return item_error(r, "invalid_field", n, NULL, "应为对象 / must be an object");
    json_object_foreach(e, k, v) {
        const field *f = entity_field(&plan_item_entity, k);
        if (!f || (f->flags & FF_HIDDEN)) return item_error(r, "unknown_field", n, k, "未知字段 / unknown field");
    }
    if (!item_text(r, e, n, "topic", 100, true, &it->topic) ||
        !item_text(r, e, n, "category", 32, true, &it->category) ||
        !item_text(r, e, n, "teacher_name", 50, false, &it->teacher_name) ||
        !item_text(r, e, n, "planned_date", 10, true, &it->planned_date) ||
        !item_text(r, e, n, "place", 200, false, &it->place))
        return false;
    if (!teaching_category_exists(c, it->category))
        return item_error(r, "invalid_field", n, "category", "课程类别不存在 / unknown category");
    v = json_object_get(e, "teacher_id");
    if (v && !json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) <= 0))
        return item_error(r, "invalid_field", n, "teacher_id", "应为正整数 / must be a positive integer");
    it->teacher_id = v && json_is_integer(v) ? json_integer_value(v) : 0;
    if (!day_valid(it->planned_date) || strcmp(it->planned_date, x->term_from) < 0 ||
        strcmp(it->planned_date, x->term_to) > 0)
        return item_error(r, "invalid_field", n, "planned_date",
                          arena_printf(&r->arena, "日期应在学期内（%s 至 %s） / the date must fall within the term (%s to %s)",
                                       x->term_from, x->term_to, x->term_from, x->term_to));
    return true;
}

bool plan_input(request *r, void *rec, bool creating)
{
    plan *x = rec;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return false; }
    char *f = arena_alloc(&r->arena, 11), *t = arena_alloc(&r->arena, 11);
    teaching_term_range((int)x->year, x->term, f, t);
    x->term_from = f, x->term_to = t;
    json_t *items = json_object_get(r->json, "items");   /* an array of at most 200 (entity_read_body) */
    if (items) {
        x->nitems = (int)json_array_size(items);
        x->items = arena_alloc(&r->arena, (size_t)(x->nitems + 1) * sizeof *x->items);
        size_t i;
        json_t *e;
        json_array_foreach(items, i, e) if (!read_item(r, c, e, i, x, &x->items[i])) return false;
        return true;
    }
    /* the stored items stay, but must still fall within a changed term */
    int rc = creating ? DB_OK : plans_items(c, &r->arena, x, &x->items, &x->nitems);
    if (rc != DB_OK) { entity_reply_error(r, &plan_entity, rc); return false; }
    for (int i = 0; i < x->nitems; i++) {
        const char *d = x->items[i].planned_date;
        if (strcmp(d, x->term_from) < 0 || strcmp(d, x->term_to) > 0)
            return item_error(r, "invalid_field", (size_t)i, "planned_date", "日期应在学期内 / the date must fall within the term");
    }
    return true;
}

/* ?year=: required, 2000 to 2100. */
static bool query_year(request *r, int64_t *year)
{
    const char *v = req_query(r, "year");
    char *end = NULL;
    *year = v ? strtoll(v, &end, 10) : 0;
    if (v && !*end && *year >= 2000 && *year <= 2100) return true;
    reply_error(r, 422, "invalid_field", "year", "年度应在 2000 至 2100 之间 / year must be 2000 to 2100");
    return false;
}

/* submit, approve and return share one handler: the action is the route's cls. */
static void handle_transition(request *r)
{
    const char *action = r->route->cls;
    static const char *const none[] = {NULL};
    static const char *const reason_only[] = {"reason", NULL};
    int64_t id;
    const char *reason = NULL;
    bool ret = !strcmp(action, "return");
    if (!param_id(r, 0, &id)) return;
    if (r->json && !body_allow_fields(r, ret || !strcmp(action, "approve") ? reason_only : none, none)) return;
    if (r->json && !body_name(r, "reason", ret, 500, &reason)) return;
    if (ret && !reason) {
        reply_error(r, 422, "required", "reason", "退回须说明原因 / a return needs a reason");
        return;
    }
    plan out;
    db *c = db_thread();
    int rc = c ? plans_transition(c, r->principal, &r->arena, id, action, reason, &out) : DB_ERR;
    entity_reply_result(r, &plan_entity, rc, 200, &out);
}

static void handle_completion(request *r)
{
    int64_t org_id = 0, year = 0;
    bool has;
    const char *term = req_query(r, "term"), *by = req_query(r, "by");
    static const char *const bys[] = {"child", "point", NULL};
    if (!query_id(r, "org_id", &org_id, &has) || !query_year(r, &year) ||
        !query_choice(r, "term", teaching_terms) || !query_choice(r, "by", bys))
        return;
    db *c = db_thread();
    jw w;
    jw_init(&w);
    int rc = c ? plans_completion(c, r->principal, &r->arena, org_id, (int)year, term && *term ? term : NULL,
                                  by && !strcmp(by, "point"), &w)
               : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, &plan_entity, rc); return; }
    reply_jw(r, 200, &w);
}

/* {"items": [{"code", "name", "sort"}]} */
static void handle_categories(request *r)
{
    db *c = db_thread();
    qb all;
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    qb_init(&all, "");
    int rc = c ? entity_list_all(c, &teaching_category_entity, &all, NULL, &r->arena, &w, NULL, NULL) : DB_ERR;
    jw_obj_end(&w);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw(r, 200, &w);
}

/* ---- courses: the register, marking a course held or cancelled ---- */

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

static const struct route teaching_routes[] = {
    {"GET", "/api/v1/teaching/categories", handle_categories, RANK_MEMBER, 0, .summary = "Course categories (课程类别): 衣 食 住 行 用 生 长 老 病 死 应急 健康 防诈骗 …", .entity = &teaching_category_entity},
    {"GET", "/api/v1/teaching/completion", handle_completion, RANK_MEMBER, 0, .summary = "Completion of teaching tasks (教学任务完成情况)"},
    {"GET", "/api/v1/teaching/home", teaching_home_handle, RANK_MEMBER, 0, .summary = "The teaching panel of the home page (教学工作)"},
    {"GET", "/api/v1/plans", entity_handle_list, RANK_MEMBER, 0, .summary = "List teaching plans (教学计划) in scope", .entity = &plan_entity},
    {"GET", "/api/v1/plans/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "A plan with its items, steps (the review timeline) and completion", .entity = &plan_entity},
    {"POST", "/api/v1/plans", entity_handle_create, RANK_STAFF, 0, .summary = "Create a teaching plan (a draft)", .entity = &plan_entity},
    {"PATCH", "/api/v1/plans/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Revise a plan (drafts and returned plans)", .entity = &plan_entity},
    {"DELETE", "/api/v1/plans/:id", entity_handle_delete, RANK_STAFF, 0, .summary = "Delete a draft plan", .entity = &plan_entity},
    {"POST", "/api/v1/plans/:id/submit", handle_transition, RANK_STAFF, 0, .summary = "Submit a plan for review (上报)", .entity = &plan_entity, .cls = "submit"},
    {"POST", "/api/v1/plans/:id/approve", handle_transition, RANK_ORG_ADMIN, 0, .summary = "Approve a submitted plan (审核通过)", .entity = &plan_entity, .cls = "approve"},
    {"POST", "/api/v1/plans/:id/return", handle_transition, RANK_ORG_ADMIN, 0, .summary = "Return a submitted plan with a reason (退回)", .entity = &plan_entity, .cls = "return"},
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
    router_add_table(teaching_routes);
    signoffs_register();
}
