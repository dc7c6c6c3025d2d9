/* tasks_api.c - HTTP handlers of work plans, tasks and progress reports (docs/api.md: "Work
 * points and tasks"); the live board's handlers are in board.c. */
#include "tasks/tasks.h"
#include "files/attachments.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include <jansson.h>

#define MAX_TASKS 500   /* tasks in one plan's reorder */

static void reply_rc(request *r, const entity *e, int rc)
{
    if (rc == DB_OK) reply_empty(r, 204);
    else entity_reply_error(r, e, rc);
}

/* POST /work-plans/:id/publish */
static void handle_publish(request *r)
{
    int64_t id;
    work_plan out;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? work_plans_publish(c, r->principal, &r->arena, id, &out) : DB_ERR;
    entity_reply_result(r, &work_plan_entity, rc, 200, &out);
}

/* POST /work-plans/:id/order {"ids": [every task id of the plan, in the new order]} */
static void handle_order(request *r)
{
    int64_t id, ids[MAX_TASKS];
    static const char *const allowed[] = {"ids", NULL};
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL)) return;
    json_t *v = r->json ? json_object_get(r->json, "ids") : NULL;
    size_t i, n = json_array_size(v);
    json_t *x;
    if (!json_is_array(v) || n == 0 || n > MAX_TASKS) {
        reply_error(r, 422, "invalid_field", "ids", "须按新顺序列出本要点的全部任务 / list every task of the plan once, in the new order");
        return;
    }
    json_array_foreach(v, i, x) {
        if (!json_is_integer(x)) {
            reply_error(r, 422, "invalid_field", "ids", "任务编号应为整数 / task ids are integers");
            return;
        }
        ids[i] = json_integer_value(x);
    }
    db *c = db_thread();
    reply_rc(r, &work_plan_entity, c ? tasks_reorder(c, r->principal, &r->arena, id, ids, (int)n) : DB_ERR);
}

/* POST /tasks/:id/reports {org_id?, progress, text?, done?}: the owner unit's report. */
static void handle_report(request *r)
{
    static const char *const allowed[] = {"org_id", "progress", "text", "done", NULL};
    int64_t id, org_id = 0, progress = 0, report_id = 0;
    bool has_progress, has, done = false;
    const char *text = NULL;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL) || !body_int(r, "org_id", false, &org_id, &has) ||
        !body_bool(r, "done", &done, &has) || !body_int(r, "progress", !done, &progress, &has_progress) ||
        !body_multiline_text(r, "text", 2000, &text))
        return;
    if (progress < 0 || progress > 100) {
        reply_error(r, 422, "invalid_field", "progress", "进度应在 0 到 100 之间 / progress must be 0 to 100");
        return;
    }
    db *c = db_thread();
    int rc = c ? task_reports_add(c, r->principal, &r->arena, id, org_id, progress, text, done, &report_id) : DB_ERR;
    task_report out;
    /* the report just written, within the caller's scope */
    if (rc == DB_OK) rc = entity_get(c, &task_report_entity, &r->principal->scope, &r->arena, report_id, &out);
    entity_reply_result(r, &task_report_entity, rc, 201, &out);
}

static void decide(request *r, bool accept)
{
    static const char *const allowed[] = {"reason", NULL};
    int64_t id;
    const char *reason = NULL;
    if (!param_id(r, 0, &id)) return;
    if ((r->json || !accept) && (!body_allow_fields(r, allowed, NULL) || !body_name(r, "reason", !accept, 500, &reason)))
        return;
    db *c = db_thread();
    int rc = c ? task_reports_decide(c, r->principal, &r->arena, id, accept, reason) : DB_ERR;
    task_report out;
    if (rc == DB_OK) rc = entity_get(c, &task_report_entity, &r->principal->scope, &r->arena, id, &out);
    entity_reply_result(r, &task_report_entity, rc, 200, &out);
}

static void handle_return(request *r) { decide(r, false); }
static void handle_accept(request *r) { decide(r, true); }

static const struct route task_routes[] = {
    {"GET", "/api/v1/work-plans", entity_handle_list, RANK_STAFF, 0,
     .summary = "Work plans (工作要点) the caller issued or owns tasks of (?year= &status= &q=)", .entity = &work_plan_entity},
    {"GET", "/api/v1/work-plans/:id", entity_handle_get, RANK_STAFF, 0, .summary = "One work plan", .entity = &work_plan_entity},
    {"POST", "/api/v1/work-plans", entity_handle_create, RANK_ORG_ADMIN, 0, .summary = "Draft a work plan",
     .entity = &work_plan_entity},
    {"PATCH", "/api/v1/work-plans/:id", entity_handle_update, RANK_ORG_ADMIN, 0, .summary = "Change a work plan",
     .entity = &work_plan_entity},
    {"DELETE", "/api/v1/work-plans/:id", entity_handle_delete, RANK_ORG_ADMIN, 0, .summary = "Delete a draft work plan",
     .entity = &work_plan_entity},
    {"POST", "/api/v1/work-plans/:id/publish", handle_publish, RANK_ORG_ADMIN, 0,
     .summary = "Publish a work plan: its tasks reach their owner units", .entity = &work_plan_entity},
    {"POST", "/api/v1/work-plans/:id/order", handle_order, RANK_ORG_ADMIN, 0, .summary = "Reorder a plan's tasks",
     .entity = &work_plan_entity},
    {"POST", "/api/v1/tasks", entity_handle_create, RANK_ORG_ADMIN, 0,
     .summary = "Add a task to a plan, with its owner units ({org_types, under, org_ids})", .entity = &task_entity},
    {"PATCH", "/api/v1/tasks/:id", entity_handle_update, RANK_ORG_ADMIN, 0, .summary = "Change a task",
     .entity = &task_entity},
    {"DELETE", "/api/v1/tasks/:id", entity_handle_delete, RANK_ORG_ADMIN, 0, .summary = "Delete a task of a draft plan",
     .entity = &task_entity},
    {"POST", "/api/v1/tasks/:id/reports", handle_report, RANK_STAFF, 0,
     .summary = "Report progress on a task (进展报告) for an owner unit", .entity = &task_report_entity},
    {"POST", "/api/v1/task-reports/:id/return", handle_return, RANK_ORG_ADMIN, 0,
     .summary = "Return a progress report with a reason (退回)", .entity = &task_report_entity},
    {"POST", "/api/v1/task-reports/:id/accept", handle_accept, RANK_ORG_ADMIN, 0,
     .summary = "Accept a progress report (a report of done makes the task done)", .entity = &task_report_entity},
    {0},
};

void tasks_register_routes(void)
{
    router_add_table(task_routes);
    tasks_board_register_routes();
    tasks_export_register_routes();
}

void tasks_init(void)
{
    orgs_track_path_column("work_plans", "org_path");
    orgs_track_path_column("tasks", "plan_path");
    orgs_track_path_column("task_owners", "org_path");
    orgs_track_path_column("task_reports", "org_path");
    orgs_track_path_column("task_reports", "plan_path");
    orgs_track_path_column("task_report_files", "org_path");
}
