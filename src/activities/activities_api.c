/* activities_api.c - HTTP handlers of the activity register (docs/api.md "activities"). */
#include "activities/activities.h"
#include "core/period.h"
#include "io/export.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

#define MAX_COUNT 100000000LL   /* above this a count is a typo, not a fact */

static const char *const audiences[] = {"youth", "farmers", "workers", "elderly", "officials", "public", NULL};
static const char *const writable[] = {"org_id", "kind", "title", "start_date", "end_date", "place", "audience",
                                       "tags", "co_organizers", "description", "participants", "materials",
                                       "videos", "views", "volunteers", "volunteer_hours", "funds", NULL};
static const char *const read_only[] = {"id", "org_name", "org_path", "created_by", "created_at", "updated_at",
                                        "activities", NULL};

static void reply_act_error(request *r, int rc)
{
    switch (rc) {
    case ACT_NOT_FOUND: reply_not_found(r); break;
    case ACT_ORG_NOT_FOUND: reply_error(r, 404, "not_found", "org_id", "机构不存在 / organization not found"); break;
    case ACT_BAD_KIND: reply_error(r, 422, "invalid_field", "kind", "活动类型不存在 / unknown activity kind"); break;
    default: reply_db_error(r); break;
    }
}

static bool read_tags(request *r, arena *a, const char **out)
{
    json_t *v = json_object_get(r->json, "tags");
    if (!v) return true;
    if (json_is_null(v)) { *out = NULL; return true; }
    if (!json_is_array(v) || json_array_size(v) > 10) {
        reply_error(r, 422, "invalid_field", "tags", "tags 应为至多 10 个标签的数组 / an array of at most 10 tags");
        return false;
    }
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        if (!json_is_string(e) || !valid_name(json_string_value(e), 20)) {
            reply_error(r, 422, "invalid_field", "tags", "每个标签 1-20 个字符 / each tag 1 to 20 characters");
            return false;
        }
    }
    char *text = json_dumps(v, JSON_COMPACT);
    *out = arena_strdup(a, text);
    free(text);
    return true;
}

/* Applies the body onto x (the stored record for PATCH, zeros for POST); replies on bad input. */
static bool read_activity_input(request *r, activity *x, bool creating)
{
    int64_t org_id = x->org_id;
    if (!body_allow_fields(r, writable, read_only) || !body_int(r, "org_id", creating, &org_id, NULL))
        return false;
    const char *kind = NULL, *title = NULL, *audience = NULL;
    if (!body_string(r, "kind", creating, &kind) || !body_name(r, "title", creating, 200, &title) ||
        !body_day(r, "start_date", creating, &x->start_date) || !body_day(r, "end_date", creating, &x->end_date) ||
        !body_text(r, "place", 200, &x->place) || !body_enum(r, "audience", false, audiences, &audience) ||
        !read_tags(r, &r->arena, &x->tags) || !body_text(r, "co_organizers", 200, &x->co_organizers) ||
        !body_text(r, "description", 2000, &x->description))
        return false;
    x->org_id = org_id;
    if (kind) x->kind = kind;
    if (title) x->title = title;
    if (body_has(r, "audience")) x->audience = audience;
    for (int m = 1; m < STATS_NMETRICS; m++) {
        const char *field = stats_metric_names[m];
        int64_t v = x->counts.v[m];
        if (!body_int(r, field, creating && m == M_PARTICIPANTS, &v, NULL)) return false;
        if (v < 0 || v > MAX_COUNT) {
            reply_error(r, 422, "invalid_field", field, "数量应在 0 至 %lld 之间 / must be between 0 and %lld",
                        MAX_COUNT, MAX_COUNT);
            return false;
        }
        x->counts.v[m] = v;
    }
    x->counts.v[M_ACTIVITIES] = 1;
    if (strcmp(x->end_date, x->start_date) < 0) {
        reply_error(r, 422, "invalid_field", "end_date", "结束日期不能早于开始日期 / end_date is before start_date");
        return false;
    }
    return true;
}

static void reply_activity(request *r, int status, const activity *x)
{
    jw w;
    jw_init(&w);
    activity_write(&w, x);
    reply_jw(r, status, &w);
}

static bool read_filter(request *r, activity_filter *f)
{
    bool has;
    memset(f, 0, sizeof *f);
    if (!query_id(r, "org_id", &f->org_id, &has)) return false;
    f->kind = req_query(r, "kind");
    f->q = req_query(r, "q");
    f->from = req_query(r, "from");
    f->to = req_query(r, "to");
    if ((f->from && *f->from && !day_valid(f->from)) || (f->to && *f->to && !day_valid(f->to))) {
        reply_error(r, 422, "invalid_field", f->from && *f->from && !day_valid(f->from) ? "from" : "to",
                    "日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
        return false;
    }
    return true;
}

#define EXPORT_MAX_ROWS 1000000

static void handle_export(request *r)
{
    static const char *const headers[] = {"开始日期", "结束日期", "活动名称", "类型", "组织单位", "地点",
                                          "参与人数", "发放资料", "短视频", "线上观看", "志愿者人数",
                                          "志愿服务时长", "经费(元)"};
    activity_filter f;
    if (!read_filter(r, &f)) return;
    db *c = db_thread();
    xlsx *x = c ? xlsx_open("活动登记", headers, 13) : NULL;
    if (!x) { reply_db_error(r); return; }
    int rc = activities_export(c, r->principal, &r->arena, &f, EXPORT_MAX_ROWS, x);
    if (rc != DB_OK) { xlsx_abort(x); reply_act_error(r, rc); return; }
    xlsx_totals_row(x, "合计", 6);
    xlsx_reply(x, r, "活动登记.xlsx");
}

static void handle_list(request *r)
{
    activity_filter f = {0};
    page pg;
    if (!read_filter(r, &f) || !query_page(r, &pg)) return;
    db *c = db_thread();
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    int rc = c ? activities_list(c, r->principal, &r->arena, &f, pg.size, pg.offset, &w, &total) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); reply_act_error(r, rc); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

static void handle_get(request *r)
{
    int64_t id;
    activity x;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? activities_get(c, r->principal, &r->arena, id, &x) : DB_ERR;
    if (rc != DB_OK) { reply_act_error(r, rc); return; }
    reply_activity(r, 200, &x);
}

static void handle_create(request *r)
{
    activity in = {0}, out;
    if (!read_activity_input(r, &in, true)) return;
    db *c = db_thread();
    int rc = c ? activities_create(c, r->principal, &r->arena, &in, &out) : DB_ERR;
    if (rc != DB_OK) { reply_act_error(r, rc); return; }
    reply_activity(r, 201, &out);
}

static void handle_update(request *r)
{
    int64_t id;
    activity x, out;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? activities_get(c, r->principal, &r->arena, id, &x) : DB_ERR;
    if (rc != DB_OK) { reply_act_error(r, rc); return; }
    if (!read_activity_input(r, &x, false)) return;
    rc = activities_update(c, r->principal, &r->arena, id, &x, &out);
    if (rc != DB_OK) { reply_act_error(r, rc); return; }
    reply_activity(r, 200, &out);
}

static void handle_delete(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? activities_delete(c, r->principal, &r->arena, id) : DB_ERR;
    if (rc != DB_OK) { reply_act_error(r, rc); return; }
    reply_empty(r, 204);
}

static const struct route activity_routes[] = {
    {"GET", "/api/v1/activities", handle_list, RANK_MEMBER, 0, .summary = "List activities (活动登记) in scope, newest first"},
    {"GET", "/api/v1/activities/export.xlsx", handle_export, RANK_STAFF, 0, .summary = "Export the activity list as Excel (活动登记.xlsx)"},
    {"GET", "/api/v1/activities/:id", handle_get, RANK_MEMBER, 0, .summary = "One activity"},
    {"POST", "/api/v1/activities", handle_create, RANK_STAFF, 0, .summary = "Record an activity (登记活动)"},
    {"PATCH", "/api/v1/activities/:id", handle_update, RANK_STAFF, 0, .summary = "Change an activity (any of its fields)"},
    {"DELETE", "/api/v1/activities/:id", handle_delete, RANK_STAFF, 0, .summary = "Delete an activity and its files' rows"},
    {0},
};

void activities_register(void)
{
    router_add_table(activity_routes);
    activity_dictionaries_register_routes();
    activity_files_register_routes();
    activities_init();
}
