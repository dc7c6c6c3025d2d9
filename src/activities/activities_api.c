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

/* The name in one row of a dictionary table (orgs by id, kinds by code), NULL when absent. */
static const char *lookup_name(request *r, db *c, const char *sql, const char *key)
{
    qb q;
    qb_init(&q, sql);
    qb_text(&q, key);
    db_stmt *s = qb_prepare(&q, c);
    const char *name = s && db_step(s) == DB_ROW ? arena_strdup(&r->arena, db_col_text(s, 0)) : NULL;
    if (s) db_finish(s);
    return name;
}

/* The title row: what was exported, in the words of the list's filter bar. */
static const char *export_title(request *r, db *c)
{
    const char *org = req_query(r, "org_id"), *kind = req_query(r, "kind"), *text = req_query(r, "q");
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    const char *t = "活动登记导出　筛选条件：";
    bool any = false;
    if (org && *org) {
        const char *name = lookup_name(r, c, "SELECT name FROM orgs WHERE id = ?", org);
        t = arena_printf(&r->arena, "%s主办机构 %s（含下级）；", t, name ? name : org), any = true;
    }
    if (kind && *kind) {
        const char *name = lookup_name(r, c, "SELECT name FROM activity_kinds WHERE code = ?", kind);
        t = arena_printf(&r->arena, "%s活动类型 %s；", t, name ? name : kind), any = true;
    }
    if (text && *text) t = arena_printf(&r->arena, "%s关键词“%s”；", t, text), any = true;
    if ((from && *from) || (to && *to))
        t = arena_printf(&r->arena, "%s开始日期 %s 至 %s；", t, from && *from ? from : "不限", to && *to ? to : "不限"), any = true;
    return any ? t : arena_printf(&r->arena, "%s无（本账号可见的全部活动）", t);
}

static void handle_export(request *r)
{
    /* the list's and the form's column names (web/src/i18n/modules/activities.js) */
    static const xlsx_col cols[ACTIVITY_EXPORT_COLS] = {
        {"开始日期", 16}, {"结束日期", 16}, {"活动名称", 30}, {"活动类型", 12}, {"主办机构", 22},
        {"活动地点", 22}, {"受众人群", 14}, {"标签", 20}, {"协办单位", 22}, {"活动简介", 40},
        {"参与人数", 10}, {"发放资料（份）", 14}, {"视频作品（个）", 14}, {"浏览量", 10}, {"志愿者人数", 11},
        {"志愿时长（小时）", 16}, {"经费（元）", 12}, {"登记时间", 20}};
    db *c = db_thread();
    qb where;
    if (!entity_request_where(r, c, &activity_entity, &where) || !add_days(r, &where)) return;
    xlsx *x = xlsx_open_table("活动登记", export_title(r, c), cols, ACTIVITY_EXPORT_COLS);
    if (!x) { qb_free(&where); reply_export_failed(r); return; }
    if (activities_export(c, &where, EXPORT_MAX_ROWS, x) != DB_OK) { xlsx_abort(x); reply_db_error(r); return; }
    xlsx_totals_cols(x, "合计", ACTIVITY_EXPORT_FIRST_COUNT, ACTIVITY_EXPORT_FIRST_COUNT + STATS_NMETRICS - 1);
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
