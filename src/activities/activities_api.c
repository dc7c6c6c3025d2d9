/* activities_api.c - HTTP handlers of the activity register (docs/api.md "activities"). */
#include "activities/activities.h"
#include "core/period.h"
#include "io/export.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

/* After the field table (the body over the stored record for PATCH, zeros for POST); replies on
 * bad input. */
bool activity_input(request *r, void *rec, bool creating)
{
    activity *x = rec;
    (void)creating;
    x->counts.v[M_ACTIVITIES] = 1;
    if (strcmp(x->end_date, x->start_date) < 0) {
        reply_error(r, 422, "invalid_field", "end_date", "结束日期不能早于开始日期 / end_date is before start_date");
        return false;
    }
    return true;
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
    if (rc != DB_OK) { xlsx_abort(x); entity_reply_error(r, &activity_entity, rc); return; }
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
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, &activity_entity, rc); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

static const struct route activity_routes[] = {
    {"GET", "/api/v1/activities", handle_list, RANK_MEMBER, 0, .summary = "List activities (活动登记) in scope, newest first", .entity = &activity_entity},
    {"GET", "/api/v1/activities/export.xlsx", handle_export, RANK_STAFF, 0, .summary = "Export the activity list as Excel (活动登记.xlsx)"},
    {"GET", "/api/v1/activities/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "One activity", .entity = &activity_entity},
    {"POST", "/api/v1/activities", entity_handle_create, RANK_STAFF, 0, .summary = "Record an activity (登记活动)", .entity = &activity_entity},
    {"PATCH", "/api/v1/activities/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Change an activity (any of its fields)", .entity = &activity_entity},
    {"DELETE", "/api/v1/activities/:id", entity_handle_delete, RANK_STAFF, 0, .summary = "Delete an activity and its files' rows", .entity = &activity_entity},
    {0},
};

void activities_register(void)
{
    router_add_table(activity_routes);
    activity_dictionaries_register_routes();
    activities_init();
}
