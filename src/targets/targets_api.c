/* targets_api.c - HTTP handlers of targets (docs/api.md: targets). */
#include "targets/targets.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include "stats/windows.h"
#include <string.h>

/* The goal (FF_BODY_OWN): an integer count, or for a ratio metric (issue 17 C) a value with 2
 * decimals (15.00) kept in hundredths. A change of metric alone keeps the stored number. */
static bool target_goal(request *r, target *t, bool creating)
{
    json_t *v = r->json ? json_object_get(r->json, "goal") : NULL;
    bool ratio = t->metric && stats_ratio_metric(t->metric);
    int64_t g = 0;
    if (!v && creating) {
        reply_error(r, 422, "required", "goal", "缺少必填字段 goal / field is required");
        return false;
    }
    if (!v) return true;
    if (ratio ? !stats_ratio_from_json(v, &g) : !json_is_integer(v)) {
        if (ratio)
            reply_error(r, 422, "invalid_field", "goal",
                        "比率目标应为至多两位小数的数值，如 15.00 / a ratio goal is a number with at most 2 decimals, e.g. 15.00");
        else
            reply_error(r, 422, "invalid_field", "goal", "字段 goal 必须是整数 / must be an integer");
        return false;
    }
    if (!ratio) g = json_integer_value(v);
    if (g < 1 || g > 1000000000000LL) {
        reply_error(r, 422, "invalid_field", "goal", "字段 goal 应在 1 至 1000000000000 之间 / must be between 1 and 1000000000000");
        return false;
    }
    t->goal = g;
    return true;
}

/* After the field table: the period is read against the statistics windows, so it is parsed
 * here rather than by the field table. */
bool target_input(request *r, void *rec, bool creating)
{
    target *t = rec;
    period per;
    (void)creating;
    /* DB_DONE: no period in the body (an update keeps the stored days) */
    int prc = body_has(r, "period") ? stats_period_parse(db_thread(), t->period, &per) : DB_DONE;
    if (prc == PERIOD_INVALID) {
        reply_error(r, 422, "invalid_field", "period", "期间格式不正确或统计时段未设置 / invalid period");
        return false;
    }
    if (prc < 0) { reply_db_error(r); return false; }
    if (prc == DB_OK) {   /* per is this call's: the days are copied for the writer */
        t->period_from = arena_strdup(&r->arena, per.from);
        t->period_to = arena_strdup(&r->arena, per.to);
    }
    if (!target_goal(r, t, creating)) return false;
    if (!t->applies) t->applies = "subtree";
    if (!strcmp(t->applies, "each") && !t->each_type) {
        reply_error(r, 422, "required", "each_type", "按下级考核时须指定机构类型 / each_type is required");
        return false;
    }
    if (!strcmp(t->applies, "subtree")) t->each_type = NULL, t->each_title = NULL;
    if (t->each_title) {
        qb q;
        int64_t one = 0;
        qb_init(&q, "SELECT 1 FROM designation_kinds WHERE code = ?");
        qb_text(&q, t->each_title);
        int rc = db_thread() ? qb_exec(db_thread(), &q, &one) : DB_ERR;
        if (rc != DB_OK && rc != DB_DONE) { reply_db_error(r); return false; }
        if (!one) {
            reply_error(r, 422, "invalid_field", "each_title", "没有这种称号 / no such kind of title");
            return false;
        }
    }
    return true;
}

/* The targets in scope and those set above it for each unit (or_each_above); with org_id, the
 * node's own and the per-unit ones set above the node (its descendants' are theirs). */
static void handle_list(request *r)
{
    db *c = db_thread();
    qb where;
    page pg;
    int64_t org_id = 0;
    bool has;
    const char *path = NULL;
    if (!query_page(r, &pg) || !query_id(r, "org_id", &org_id, &has)) return;
    if (!c) { reply_db_error(r); return; }
    int rc = org_id ? entity_org_path(c, &r->principal->scope, &r->arena, org_id, TGT_ORG_NOT_FOUND, &path) : DB_OK;
    if (rc != DB_OK) { entity_reply_error(r, &target_entity, rc); return; }
    qb_init(&where, "");
    entity_scope_filter(&target_seen_entity, &r->principal->scope, &where);
    if (path) {
        qb_sql(&where, " AND (t.org_id = ? OR (t.applies = 'each' AND "
                       "substr(CAST(? AS TEXT), 1, length(t.org_path)) = t.org_path AND t.org_path <> ?))");
        qb_int(&where, org_id), qb_text(&where, path), qb_text(&where, path);
    }
    if (!entity_query_filters(r, &target_entity, &where)) { qb_free(&where); return; }
    entity_reply_list(r, c, &target_seen_entity, &where, NULL, &pg);
}

static void handle_progress(request *r)
{
    int64_t id;
    target t;
    if (!param_id(r, 0, &id)) return;
    const char *today = req_query(r, "today");   /* for reports "as of" a day; default: now */
    char now[32];
    if (today && *today && !day_valid(today)) {
        reply_error(r, 422, "invalid_field", "today", "日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
        return;
    }
    if (!today || !*today) {
        time_now_rfc3339(now);
        now[10] = 0;
        today = now;
    }
    db *c = db_thread();
    int rc = c ? entity_get(c, &target_seen_entity, &r->principal->scope, &r->arena, id, &t) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &target_entity, rc); return; }
    /* org_id: the units of a per-unit target under that node only (a district's dashboard) */
    int64_t under = 0;
    bool has;
    if (!query_id(r, "org_id", &under, &has)) return;
    if (under && (rc = entity_org_path(c, &r->principal->scope, &r->arena, under, TGT_ORG_NOT_FOUND,
                                       &t.unit_root)) != DB_OK) {
        entity_reply_error(r, &target_entity, rc);
        return;
    }
    jw w;
    jw_init(&w);
    if (targets_progress(c, r->principal, &r->arena, &t, today, &w) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw(r, 200, &w);
}

static const struct route target_routes[] = {
    {"GET", "/api/v1/targets", handle_list, RANK_MEMBER, 0, .summary = "Targets (目标任务) in scope, latest period first", .entity = &target_entity},
    {"GET", "/api/v1/targets/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "One target", .entity = &target_seen_entity},
    {"GET", "/api/v1/targets/:id/progress", handle_progress, RANK_MEMBER, 0, .summary = "Progress of a target (完成进度) as of a day", .entity = &target_entity},
    {"POST", "/api/v1/targets", entity_handle_create, RANK_ORG_ADMIN, 0, .summary = "Set a target", .entity = &target_entity},
    {"PATCH", "/api/v1/targets/:id", entity_handle_update, RANK_ORG_ADMIN, 0, .summary = "Change a target", .entity = &target_entity},
    {"DELETE", "/api/v1/targets/:id", entity_handle_delete, RANK_ORG_ADMIN, 0, .summary = "Delete a target", .entity = &target_entity},
    {0},
};

void targets_register_routes(void)
{
    entity_prepare(&target_seen_entity);   /* not in the registry: target_entity names the schema */
    router_add_table(target_routes);
    orgs_track_path_column("targets", "org_path");
}
