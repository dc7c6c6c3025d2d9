/* targets_api.c - HTTP handlers of targets (docs/api.md: targets). */
#include "targets/targets.h"
#include "stats/windows.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <string.h>
#include <time.h>

static const char *const applies_values[] = {"subtree", "each", NULL};
static const char *const writable[] = {"org_id", "title", "metric", "period", "goal", "applies", "each_type", NULL};
static const char *const read_only[] = {"id", "org_name", "from", "to", "created_at", "updated_at", NULL};

static void reply_tgt_error(request *r, int rc)
{
    if (rc == TGT_NOT_FOUND) reply_not_found(r);
    else if (rc == TGT_ORG_NOT_FOUND) reply_error(r, 404, "not_found", "org_id", "机构不存在 / organization not found");
    else reply_db_error(r);
}

/* Applies the body onto t (the stored target for PATCH); replies on bad input. */
static bool read_target_input(request *r, target *t, bool creating, period *per)
{
    int64_t org_id = t->org_id, goal = t->goal;
    const char *title = NULL, *metric = NULL, *ptext = NULL, *applies = NULL, *each_type = NULL;
    if (!body_allow_fields(r, writable, read_only) || !body_int(r, "org_id", creating, &org_id, NULL) ||
        !body_name(r, "title", creating, 100, &title) || !body_string(r, "metric", creating, &metric) ||
        !body_string(r, "period", creating, &ptext) || !body_int(r, "goal", creating, &goal, NULL) ||
        !body_enum(r, "applies", false, applies_values, &applies) ||
        !body_enum(r, "each_type", false, org_types, &each_type))
        return false;
    if (metric && !stats_metric_valid(metric)) {
        reply_error(r, 422, "invalid_field", "metric", "指标不存在 / unknown metric");
        return false;
    }
    int prc = ptext ? stats_period_parse(db_thread(), ptext, per) : DB_OK;
    if (prc == PERIOD_INVALID) {
        reply_error(r, 422, "invalid_field", "period", "期间格式不正确或统计时段未设置 / invalid period");
        return false;
    }
    if (prc != DB_OK) {
        reply_db_error(r);
        return false;
    }
    if (goal <= 0 || goal > 1000000000000LL) {
        reply_error(r, 422, "invalid_field", "goal", "目标值应为正整数 / goal must be a positive integer");
        return false;
    }
    t->org_id = org_id, t->goal = goal;
    if (title) t->title = title;
    if (metric) t->metric = metric;
    if (ptext) t->period = ptext, t->period_from = per->from, t->period_to = per->to;
    if (applies) t->applies = applies;
    if (!t->applies) t->applies = "subtree";
    if (body_has(r, "each_type")) t->each_type = each_type;
    if (!strcmp(t->applies, "each") && !t->each_type) {
        reply_error(r, 422, "required", "each_type", "按下级考核时须指定机构类型 / each_type is required");
        return false;
    }
    if (!strcmp(t->applies, "subtree")) t->each_type = NULL;
    return true;
}

static void reply_target(request *r, int status, const target *t)
{
    jw w;
    jw_init(&w);
    target_write(&w, t);
    reply_jw(r, status, &w);
}

static void handle_list(request *r)
{
    int64_t org_id = 0, total = 0;
    bool has;
    if (!query_id(r, "org_id", &org_id, &has)) return;
    db *c = db_thread();
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    if (!c || targets_list(c, r->principal, &r->arena, org_id, &w, &total) != DB_OK) {
        jw_free(&w);
        reply_db_error(r);
        return;
    }
    jw_key(&w, "total"), jw_int(&w, total);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static void handle_get(request *r)
{
    int64_t id;
    target t;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? targets_get(c, r->principal, &r->arena, id, &t) : DB_ERR;
    if (rc != DB_OK) { reply_tgt_error(r, rc); return; }
    reply_target(r, 200, &t);
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
    int rc = c ? targets_get(c, r->principal, &r->arena, id, &t) : DB_ERR;
    if (rc != DB_OK) { reply_tgt_error(r, rc); return; }
    jw w;
    jw_init(&w);
    if (targets_progress(c, r->principal, &r->arena, &t, today, &w) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw(r, 200, &w);
}

static void handle_create(request *r)
{
    target t = {0}, out;
    period per;
    if (!read_target_input(r, &t, true, &per)) return;
    db *c = db_thread();
    int rc = c ? targets_save(c, r->principal, &r->arena, 0, &t, &out) : DB_ERR;
    if (rc != DB_OK) { reply_tgt_error(r, rc); return; }
    reply_target(r, 201, &out);
}

static void handle_update(request *r)
{
    int64_t id;
    target t, out;
    period per;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? targets_get(c, r->principal, &r->arena, id, &t) : DB_ERR;
    if (rc != DB_OK) { reply_tgt_error(r, rc); return; }
    if (!read_target_input(r, &t, false, &per)) return;
    rc = targets_save(c, r->principal, &r->arena, id, &t, &out);
    if (rc != DB_OK) { reply_tgt_error(r, rc); return; }
    reply_target(r, 200, &out);
}

static void handle_delete(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? targets_delete(c, r->principal, &r->arena, id) : DB_ERR;
    if (rc != DB_OK) { reply_tgt_error(r, rc); return; }
    reply_empty(r, 204);
}

static const struct route target_routes[] = {
    {"GET", "/api/v1/targets", handle_list, RANK_MEMBER, 0, .summary = "Targets (目标任务) in scope, latest period first"},
    {"GET", "/api/v1/targets/:id", handle_get, RANK_MEMBER, 0, .summary = "One target"},
    {"GET", "/api/v1/targets/:id/progress", handle_progress, RANK_MEMBER, 0, .summary = "Progress of a target (完成进度) as of a day"},
    {"POST", "/api/v1/targets", handle_create, RANK_ORG_ADMIN, 0, .summary = "Set a target"},
    {"PATCH", "/api/v1/targets/:id", handle_update, RANK_ORG_ADMIN, 0, .summary = "Change a target"},
    {"DELETE", "/api/v1/targets/:id", handle_delete, RANK_ORG_ADMIN, 0, .summary = "Delete a target"},
    {0},
};

void targets_register_routes(void)
{
    router_add_table(target_routes);
    orgs_track_path_column("targets", "org_path");
}
