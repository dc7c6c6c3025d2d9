/* plans_api.c - HTTP handlers of teaching plans, their review, completion and the category
 * dictionary (docs/api.md "Teaching plans and courses"). */
#include "teaching/teaching.h"
#include "core/period.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS 200

static const char *const statuses[] = {"draft", "submitted", "approved", "returned", NULL};
static const char *const create_fields[] = {"org_id", "year", "term", "title", "items", NULL};
static const char *const update_fields[] = {"year", "term", "title", "items", NULL};
static const char *const read_only[] = {"id", "org_id", "org_name", "term_from", "term_to", "status",
                                        "returned_reason", "submitted_at", "reviewed_at", "reviewed_by",
                                        "item_count", "created_by", "created_at", "updated_at", "steps",
                                        "completion", NULL};
static const char *const item_fields[] = {"id", "seq", "topic", "category", "category_name", "teacher_name",
                                          "teacher_id", "planned_date", "place", "course_id", "held", NULL};

void reply_teaching_error(request *r, int rc)
{
    switch (rc) {
    case TEACH_NOT_FOUND: reply_not_found(r); break;
    case TEACH_ORG_NOT_FOUND: reply_error(r, 404, "not_found", "org_id", "机构不存在 / organization not found"); break;
    case TEACH_NOT_POINT:
        reply_error(r, 422, "invalid_field", "org_id", "应为教学点 / must be a teaching point");
        break;
    case TEACH_BAD_STATE:
        reply_error(r, 409, "invalid_state", "status", "当前状态不允许此操作 / not allowed in the current status");
        break;
    case TEACH_OWN_UNIT:
        reply_error(r, 403, "forbidden", NULL, "须由上级单位审核 / only an upper level reviews a plan");
        break;
    case TEACH_DUPLICATE:
        reply_error(r, 409, "duplicate", "term", "该教学点本学期已有教学计划 / this point has a plan for the term");
        break;
    case TEACH_NO_ITEMS:
        reply_error(r, 422, "required", "items", "教学计划至少需要一项课程 / a plan needs at least one item");
        break;
    case TEACH_ITEM_NOT_FOUND:
        reply_error(r, 404, "not_found", "plan_item_id", "计划课程不存在 / plan item not found");
        break;
    case TEACH_PLAN_NOT_APPROVED:
        reply_error(r, 409, "plan_not_approved", "plan_item_id", "教学计划尚未审核通过 / the plan is not approved");
        break;
    case TEACH_ITEM_OTHER_ORG:
        reply_error(r, 422, "invalid_field", "org_id", "计划课程属于其他教学点 / the plan item belongs to another point");
        break;
    case TEACH_NOT_STARTED:
        reply_error(r, 409, "not_started", "starts_at", "课程尚未开始 / the course has not started yet");
        break;
    case TEACH_TOO_MANY_FILES:
        reply_error(r, 409, "too_many_files", NULL, "附件过多 / too many files");
        break;
    default: reply_db_error(r); break;
    }
}

/* An optional text member of an item: NULL when absent, null or empty. */
static bool item_text(request *r, json_t *e, size_t n, const char *key, size_t max, bool required, const char **out)
{
    json_t *v = json_object_get(e, key);
    *out = NULL;
    if ((!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) && !required) return true;
    if (!json_is_string(v) || !valid_name(json_string_value(v), max)) {
        reply_error(r, 422, required && !v ? "required" : "invalid_field", arena_printf(&r->arena, "items.%zu.%s", n, key),
                    "应为 1-%zu 个字符的文字 / text of 1 to %zu characters", max, max);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

static bool read_item(request *r, db *c, json_t *e, size_t n, const plan *x, plan_item *it)
{
    const char *k;
    json_t *v;
    memset(it, 0, sizeof *it);
    if (!json_is_object(e)) {
        reply_error(r, 422, "invalid_field", arena_printf(&r->arena, "items.%zu", n), "应为对象 / must be an object");
        return false;
    }
    json_object_foreach(e, k, v) {
        bool known = false;
        for (int i = 0; item_fields[i]; i++) known |= !strcmp(k, item_fields[i]);
        if (!known) {
            reply_error(r, 422, "unknown_field", arena_printf(&r->arena, "items.%zu.%s", n, k), "未知字段 / unknown field");
            return false;
        }
    }
    if (!item_text(r, e, n, "topic", 100, true, &it->topic) ||
        !item_text(r, e, n, "category", 32, true, &it->category) ||
        !item_text(r, e, n, "teacher_name", 50, false, &it->teacher_name) ||
        !item_text(r, e, n, "planned_date", 10, true, &it->planned_date) ||
        !item_text(r, e, n, "place", 200, false, &it->place))
        return false;
    if (!teaching_category_exists(c, it->category)) {
        reply_error(r, 422, "invalid_field", arena_printf(&r->arena, "items.%zu.category", n),
                    "课程类别不存在 / unknown category");
        return false;
    }
    v = json_object_get(e, "teacher_id");
    if (v && !json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) <= 0)) {
        reply_error(r, 422, "invalid_field", arena_printf(&r->arena, "items.%zu.teacher_id", n),
                    "应为正整数 / must be a positive integer");
        return false;
    }
    it->teacher_id = v && json_is_integer(v) ? json_integer_value(v) : 0;
    if (!day_valid(it->planned_date) || strcmp(it->planned_date, x->term_from) < 0 ||
        strcmp(it->planned_date, x->term_to) > 0) {
        reply_error(r, 422, "invalid_field", arena_printf(&r->arena, "items.%zu.planned_date", n),
                    "日期应在学期内（%s 至 %s） / the date must fall within the term (%s to %s)",
                    x->term_from, x->term_to, x->term_from, x->term_to);
        return false;
    }
    return true;
}

/* Applies the body onto x (the stored plan with its items for PATCH, zeros for POST). */
static bool read_plan_input(request *r, db *c, plan *x, bool creating)
{
    int64_t org_id = x->org_id, year = x->year;
    const char *term = NULL, *title = NULL;
    if (!body_allow_fields(r, creating ? create_fields : update_fields, read_only) ||
        (creating && !body_int(r, "org_id", true, &org_id, NULL)) || !body_int(r, "year", creating, &year, NULL) ||
        !body_enum(r, "term", creating, teaching_terms, &term) || !body_name(r, "title", creating, 100, &title))
        return false;
    if (year < 2000 || year > 2100) {
        reply_error(r, 422, "invalid_field", "year", "年度应在 2000 至 2100 之间 / year must be 2000 to 2100");
        return false;
    }
    x->org_id = org_id;
    x->year = year;
    if (term) x->term = term;
    if (title) x->title = title;
    char *f = arena_alloc(&r->arena, 11), *t = arena_alloc(&r->arena, 11);
    teaching_term_range((int)x->year, x->term, f, t);
    x->term_from = f, x->term_to = t;
    json_t *items = json_object_get(r->json, "items");
    if (items && !json_is_array(items)) {
        reply_error(r, 422, "invalid_field", "items", "应为数组 / must be an array");
        return false;
    }
    if (items && json_array_size(items) > MAX_ITEMS) {
        reply_error(r, 422, "invalid_field", "items", "至多 %d 项 / at most %d items", MAX_ITEMS, MAX_ITEMS);
        return false;
    }
    if (items) {
        x->nitems = (int)json_array_size(items);
        x->items = arena_alloc(&r->arena, (size_t)(x->nitems + 1) * sizeof *x->items);
        size_t i;
        json_t *e;
        json_array_foreach(items, i, e) if (!read_item(r, c, e, i, x, &x->items[i])) return false;
        return true;
    }
    /* the stored items stay, but must still fall within a changed term */
    for (int i = 0; i < x->nitems; i++) {
        const char *d = x->items[i].planned_date;
        if (strcmp(d, x->term_from) < 0 || strcmp(d, x->term_to) > 0) {
            reply_error(r, 422, "invalid_field", arena_printf(&r->arena, "items.%d.planned_date", i),
                        "日期应在学期内 / the date must fall within the term");
            return false;
        }
    }
    return true;
}

static void reply_plan(request *r, db *c, int status, const plan *x)
{
    jw w;
    jw_init(&w);
    int rc = plans_write_detail(c, r->principal, &r->arena, x, &w);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw(r, status, &w);
}

static void handle_list(request *r)
{
    plan_filter f = {0};
    page pg;
    bool has;
    if (!query_id(r, "org_id", &f.org_id, &has) || !query_page(r, &pg)) return;
    const char *year = req_query(r, "year");
    f.term = req_query(r, "term");
    f.status = req_query(r, "status");
    if (year && *year) {
        char *end;
        f.year = strtoll(year, &end, 10);
        if (*end || f.year < 2000 || f.year > 2100) {
            reply_error(r, 422, "invalid_field", "year", "年度应在 2000 至 2100 之间 / year must be 2000 to 2100");
            return;
        }
    }
    bool term_ok = !f.term || !*f.term, status_ok = !f.status || !*f.status;
    for (int i = 0; teaching_terms[i]; i++) term_ok |= f.term && !strcmp(f.term, teaching_terms[i]);
    for (int i = 0; statuses[i]; i++) status_ok |= f.status && !strcmp(f.status, statuses[i]);
    if (!term_ok || !status_ok) {
        reply_error(r, 422, "invalid_field", term_ok ? "status" : "term", "取值无效 / invalid value");
        return;
    }
    db *c = db_thread();
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    int rc = c ? plans_list(c, r->principal, &r->arena, &f, pg.size, pg.offset, &w, &total) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); reply_teaching_error(r, rc); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

static void handle_get(request *r)
{
    int64_t id;
    plan x;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? plans_get(c, r->principal, &r->arena, id, &x) : DB_ERR;
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    reply_plan(r, c, 200, &x);
}

static void handle_create(request *r)
{
    plan in = {0}, out;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    if (!read_plan_input(r, c, &in, true)) return;
    int rc = plans_create(c, r->principal, &r->arena, &in, &out);
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    reply_plan(r, c, 201, &out);
}

static void handle_update(request *r)
{
    int64_t id;
    plan x, out;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? plans_get(c, r->principal, &r->arena, id, &x) : DB_ERR;
    if (rc == DB_OK) rc = plans_items(c, &r->arena, &x, &x.items, &x.nitems);
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    if (!read_plan_input(r, c, &x, false)) return;
    rc = plans_update(c, r->principal, &r->arena, id, &x, &out);
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    reply_plan(r, c, 200, &out);
}

static void handle_delete(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? plans_delete(c, r->principal, &r->arena, id) : DB_ERR;
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    reply_empty(r, 204);
}

/* submit, approve and return share one path: the action is the route's last segment. */
static void transition(request *r, const char *action)
{
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
    if (rc != DB_OK) { reply_teaching_error(r, rc); return; }
    reply_plan(r, c, 200, &out);
}

static void handle_submit(request *r) { transition(r, "submit"); }
static void handle_approve(request *r) { transition(r, "approve"); }
static void handle_return(request *r) { transition(r, "return"); }

static void handle_completion(request *r)
{
    int64_t org_id = 0;
    bool has;
    const char *year = req_query(r, "year"), *term = req_query(r, "term"), *by = req_query(r, "by");
    if (!query_id(r, "org_id", &org_id, &has)) return;
    char *end = NULL;
    long y = year ? strtol(year, &end, 10) : 0;
    if (!year || *end || y < 2000 || y > 2100) {
        reply_error(r, 422, "invalid_field", "year", "年度应在 2000 至 2100 之间 / year must be 2000 to 2100");
        return;
    }
    if (term && !*term) term = NULL;
    bool term_ok = !term;
    for (int i = 0; teaching_terms[i]; i++) term_ok |= term && !strcmp(term, teaching_terms[i]);
    if (!term_ok) { reply_error(r, 422, "invalid_field", "term", "学期应为 spring、autumn 或 year / invalid term"); return; }
    if (by && *by && strcmp(by, "child") && strcmp(by, "point")) {
        reply_error(r, 422, "invalid_field", "by", "应为 child 或 point / by must be child or point");
        return;
    }
    db *c = db_thread();
    jw w;
    jw_init(&w);
    int rc = c ? plans_completion(c, r->principal, &r->arena, org_id, (int)y, term, by && !strcmp(by, "point"), &w)
               : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); reply_teaching_error(r, rc); return; }
    reply_jw(r, 200, &w);
}

static void handle_categories(request *r)
{
    db *c = db_thread();
    jw w;
    jw_init(&w);
    int rc = c ? teaching_categories_write(c, &w) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw(r, 200, &w);
}

static const struct route plan_routes[] = {
    {"GET", "/api/v1/teaching/categories", handle_categories, RANK_MEMBER, 0, .summary = "Course categories (课程类别): 衣 食 住 行 用 生 长 老 病 死 应急 健康 防诈骗 …"},
    {"GET", "/api/v1/teaching/completion", handle_completion, RANK_MEMBER, 0, .summary = "Completion of teaching tasks (教学任务完成情况)"},
    {"GET", "/api/v1/teaching/home", teaching_home_handle, RANK_MEMBER, 0, .summary = "The teaching panel of the home page (教学工作)"},
    {"GET", "/api/v1/plans", handle_list, RANK_MEMBER, 0, .summary = "List teaching plans (教学计划) in scope"},
    {"GET", "/api/v1/plans/:id", handle_get, RANK_MEMBER, 0, .summary = "A plan with its items, steps (the review timeline) and completion"},
    {"POST", "/api/v1/plans", handle_create, RANK_STAFF, 0, .summary = "Create a teaching plan (a draft)"},
    {"PATCH", "/api/v1/plans/:id", handle_update, RANK_STAFF, 0, .summary = "Revise a plan (drafts and returned plans)"},
    {"DELETE", "/api/v1/plans/:id", handle_delete, RANK_STAFF, 0, .summary = "Delete a draft plan"},
    {"POST", "/api/v1/plans/:id/submit", handle_submit, RANK_STAFF, 0, .summary = "Submit a plan for review (上报)"},
    {"POST", "/api/v1/plans/:id/approve", handle_approve, RANK_ORG_ADMIN, 0, .summary = "Approve a submitted plan (审核通过)"},
    {"POST", "/api/v1/plans/:id/return", handle_return, RANK_ORG_ADMIN, 0, .summary = "Return a submitted plan with a reason (退回)"},
    {0},
};

void plans_register_routes(void)
{
    router_add_table(plan_routes);
}
