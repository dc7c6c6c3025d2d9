/* plan_export.c - GET /work-plans/:id/page.xlsx: the year's plan as one sheet, one row per task
 * and owner unit with its live status (see tasks.h). */
#include "tasks/tasks.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include "model/entity.h"
#include <stdio.h>
#include <string.h>

static const char *status_zh(const char *s)
{
    return !strcmp(s, "done") ? "已完成" : !strcmp(s, "overdue") ? "逾期" : !strcmp(s, "in_progress") ? "进行中" : "未开始";
}

static void handle_page_xlsx(request *r)
{
    int64_t id;
    work_plan pl;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &work_plan_entity, &r->principal->scope, &r->arena, id, &pl) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &work_plan_entity, rc); return; }
    char today[11], soon[11];
    tasks_today(today);
    tasks_day_plus(today, TASK_AT_RISK_DAYS, soon);
    qb q;
    qb_init(&q, "SELECT t.no, t.title, t.deadline, t.outputs, o.name, ow.progress, ");
    tasks_status_sql(&q, today, soon);
    qb_sql(&q, ", ");
    tasks_at_risk_sql(&q, today, soon);
    qb_sql(&q, ", ow.done_at FROM task_owners ow JOIN tasks t ON t.id = ow.task_id JOIN work_plans w ON w.id = t.plan_id "
               "JOIN orgs o ON o.id = ow.org_id WHERE t.plan_id = ?");
    qb_int(&q, pl.id);
    tasks_owner_scope(&r->principal->scope, &q);
    qb_sql(&q, " ORDER BY t.no, o.path");
    static const xlsx_col cols[] = {{"序号", 6}, {"任务", 40}, {"截止日期", 12}, {"预期成果", 40}, {"承办单位", 20},
                                    {"进度%", 8}, {"状态", 10}, {"完成时间", 20}};
    char title[300];
    snprintf(title, sizeof title, "%.200s%s%.60s", pl.title, pl.doc_no ? " " : "", pl.doc_no ? pl.doc_no : "");
    xlsx *x = xlsx_open_table("工作要点", title, cols, 8);
    db_stmt *s = x ? qb_prepare(&q, c) : NULL;
    qb_free(&q);
    if (!s) {
        if (x) xlsx_abort(x);
        reply_export_failed(r);
        return;
    }
    while ((rc = db_step(s)) == DB_ROW) {
        xlsx_int(x, 0, db_col_int(s, 0));
        xlsx_text(x, 1, db_col_text(s, 1));
        xlsx_date(x, 2, db_col_text(s, 2));
        xlsx_text(x, 3, db_col_text(s, 3));
        xlsx_text(x, 4, db_col_text(s, 4));
        xlsx_int(x, 5, db_col_int(s, 5));
        const char *st = status_zh(db_col_text(s, 6));
        xlsx_text(x, 6, db_col_int(s, 7) ? "有风险" : st);
        if (!db_col_null(s, 8)) xlsx_time(x, 7, db_col_text(s, 8));
        xlsx_next_row(x);
    }
    db_finish(s);
    if (rc != DB_DONE) { xlsx_abort(x); reply_export_failed(r); return; }
    char name[260];
    snprintf(name, sizeof name, "%.200s.xlsx", pl.title);
    xlsx_reply(x, r, name);
}

static const struct route export_routes[] = {
    {"GET", "/api/v1/work-plans/:id/page.xlsx", handle_page_xlsx, RANK_STAFF, 0,
     .summary = "The year's plan as one Excel sheet, one row per task and owner unit", .entity = &work_plan_entity},
    {0},
};

void tasks_export_register_routes(void)
{
    router_add_table(export_routes);
}
