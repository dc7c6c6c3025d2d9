/* tasks_demo.c - the demo city's work points (demo.h): last year's plan of the city, published,
 * with four tasks for every district, most done on time, some late, one never done; so the
 * plan page, the board and tasks_on_time show a real picture. Last year's, so that this year's
 * board starts empty for the people who try the module; no notification is sent for it. */
#include "tasks/tasks.h"
#include "model/entity.h"
#include <stdio.h>

int demo_step_tasks(db *c, const demo_context *x)
{
    static const struct { const char *title, *deadline, *outputs; } list[] = {
        {"组织开展全国科技活动周区级主场活动", "05-31", "活动方案\n活动总结及照片"},
        {"完成全国科普日系列活动并报送总结", "09-30", "活动总结"},
        {"建设社区科普大学教学点不少于2个", "11-30", "教学点名单\n挂牌照片"},
        {"报送年度科普统计数据", "12-20", "科普统计报表"},
    };
    arena a;
    arena_init(&a);
    principal p = demo_principal_unscoped();
    int y = x->year - 1, rc;
    work_plan in = {.org_id = x->city_id, .year = y, .title = arena_printf(&a, "%d年全市科普工作要点", y),
                    .doc_no = arena_printf(&a, "科协发〔%d〕3号", y),
                    .body = "一、总体要求\n二、重点任务\n三、保障措施"}, plan;
    rc = work_plan_entity.create(c, &p, &a, &in, &plan);
    int64_t ids[4] = {0};
    for (size_t i = 0; rc == DB_OK && i < sizeof list / sizeof *list; i++) {
        task_rec t = {.title = list[i].title, .deadline = arena_printf(&a, "%d-%s", y, list[i].deadline),
                      .outputs = list[i].outputs, .owners = "{\"org_types\":[\"district\"]}"}, out;
        rc = tasks_create(c, &p, &a, plan.id, &t, &out);
        ids[i] = out.id;
    }
    char sql[400];
    if (rc == DB_OK) {
        snprintf(sql, sizeof sql, "UPDATE work_plans SET status = 'published', published_at = '%d-02-20T09:00:00+08:00' "
                                  "WHERE id = %lld", y, (long long)plan.id);
        rc = db_exec(c, sql);
    }
    /* every district done on time, but the later districts late with the statistics and one never done */
    for (int i = 0; rc == DB_OK && i < 4; i++) {
        snprintf(sql, sizeof sql, "UPDATE task_owners SET progress = 100, done_at = (SELECT deadline FROM tasks WHERE "
                                  "id = %lld) || 'T10:00:00+08:00' WHERE task_id = %lld AND org_id %% 3 <> %d",
                 (long long)ids[i], (long long)ids[i], i == 3 ? 0 : 3);
        rc = db_exec(c, sql);
    }
    if (rc == DB_OK) {
        snprintf(sql, sizeof sql, "UPDATE task_owners SET progress = 100, done_at = '%d-12-28T10:00:00+08:00' "
                                  "WHERE task_id = %lld AND org_id %% 3 = 0 AND org_id %% 2 = 0", y, (long long)ids[3]);
        rc = db_exec(c, sql);
    }
    if (rc == DB_OK) {
        snprintf(sql, sizeof sql, "UPDATE task_owners SET progress = 60 WHERE task_id = %lld AND done_at IS NULL",
                 (long long)ids[3]);
        rc = db_exec(c, sql);
    }
    arena_free(&a);
    return rc == DB_OK ? 0 : -1;
}
