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

/* The list's and the export's where after the generic one (scope, ?org_id=, ?kind=, ?q=):
 * ?from= and ?to= bound the start day. Replies and releases where on a bad day. */
static bool add_days(request *r, qb *where)
{
    static const char *const keys[] = {"from", "to"};
    for (int i = 0; i < 2; i++) {
        const char *v = req_query(r, keys[i]);
        if (!v || !*v) continue;
        if (!day_valid(v)) {
            qb_free(where);
            reply_error(r, 422, "invalid_field", keys[i], "日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
            return false;
        }
        qb_sql(where, i ? " AND x.start_date <= ?" : " AND x.start_date >= ?");
        qb_text(where, v);
    }
    return true;
}

#define EXPORT_MAX_ROWS 1000000

static void handle_export(request *r)
{
    static const char *const headers[] = {"开始日期", "结束日期", "活动名称", "类型", "组织单位", "地点",
                                          "参与人数", "发放资料", "短视频", "线上观看", "志愿者人数",
                                          "志愿服务时长", "经费(元)"};
    db *c = db_thread();
    qb where;
    if (!entity_request_where(r, c, &activity_entity, &where) || !add_days(r, &where)) return;
    xlsx *x = xlsx_open("活动登记", headers, 13);
    if (!x) { qb_free(&where); reply_db_error(r); return; }
    if (activities_export(c, &where, EXPORT_MAX_ROWS, x) != DB_OK) { xlsx_abort(x); reply_db_error(r); return; }
    xlsx_totals_row(x, "合计", 6);
    xlsx_reply(x, r, "活动登记.xlsx");
}

static void handle_list(request *r)
{
    db *c = db_thread();
    qb where;
    page pg;
    if (entity_list_begin(r, c, &activity_entity, &where, &pg) && add_days(r, &where))
        entity_reply_list(r, c, &activity_entity, &where, NULL, &pg);
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
    activities_import_register_routes();
    activities_init();
}
