/* test_tasks.c - the task module's sources (issue 16 C): tasks_on_time's arithmetic (a share of
 * tasks due in the year done by the deadline, a task done on its deadline day on time, a unit
 * counting its subtree's tasks, none due: nothing lost), its measure over a database, and the
 * to-do source task_due (the caller's own unit's open tasks, soonest first). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "assessments/sources.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include "tasks/tasks.h"
#include "todo/todo.h"
#include <stdio.h>
#include <string.h>

static principal admin(void)
{
    principal p;
    memset(&p, 0, sizeof p);
    p.username = "t";
    p.rank = RANK_ADMIN;
    p.scope.level = SCOPE_ALL;
    return p;
}

static void test_ratio_and_detail(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    assert_true(tasks_on_time_ratio(20, 17) > 0.8499 && tasks_on_time_ratio(20, 17) < 0.8501);
    assert_true(tasks_on_time_ratio(0, 0) == 1.0);     /* nothing due: nothing lost */
    assert_true(tasks_on_time_ratio(4, 4) == 1.0);
    assert_true(tasks_on_time_ratio(3, 0) == 0.0);
    assert_true(tasks_on_time_ratio(3, 5) == 1.0);     /* never above 1 */
    assert_string_equal(tasks_on_time_detail(&a, 20, 3), "20 项任务中 3 项逾期 / 3 of 20 tasks late");
    assert_string_equal(tasks_on_time_detail(&a, 0, 0), "本年无到期任务 / no tasks due this year");
    arena_free(&a);
}

static int64_t add_task(db *c, arena *a, int64_t plan, const char *title, const char *deadline, int64_t owner)
{
    principal p = admin();
    task_rec t = {.title = title, .deadline = deadline, .owners = arena_printf(a, "{\"org_ids\":[%lld]}", (long long)owner)},
             out;
    assert_int_equal(tasks_create(c, &p, a, plan, &t, &out), DB_OK);
    return out.id;
}

static void set_done(db *c, int64_t task, const char *at)
{
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE task_owners SET done_at = '%s', progress = 100 WHERE task_id = %lld", at, (long long)task);
    assert_int_equal(db_exec(c, sql), DB_OK);
}

static int64_t new_plan(db *c, arena *a, int64_t org_id, int year)
{
    principal p = admin();
    work_plan in = {.org_id = org_id, .year = year, .title = "工作要点"}, out;
    assert_int_equal(work_plan_entity.create(c, &p, a, &in, &out), DB_OK);
    return out.id;
}

static void test_measure_and_todo(void **state)
{
    (void)state;
    db *c;
    arena a;
    arena_init(&a);
    assert_int_equal(db_open(":memory:", &c), DB_OK);
    assert_int_equal(db_migrate(c), DB_OK);
    org city, d1, d2, st;
    orgs_create_system(c, &a, 0, "city", "市", NULL, &city);
    orgs_create_system(c, &a, city.id, "district", "一区", NULL, &d1);
    orgs_create_system(c, &a, city.id, "district", "二区", NULL, &d2);
    orgs_create_system(c, &a, d1.id, "street", "街道", NULL, &st);
    principal p = admin();
    int64_t plan = new_plan(c, &a, city.id, 2025);
    set_done(c, add_task(c, &a, plan, "按时", "2025-03-31", d1.id), "2025-03-01T10:00:00+08:00");
    set_done(c, add_task(c, &a, plan, "迟交", "2025-04-30", d1.id), "2025-05-02T09:00:00+08:00");
    set_done(c, add_task(c, &a, plan, "当日", "2025-06-30", d1.id), "2025-06-30T18:00:00+08:00");
    int64_t open = add_task(c, &a, plan, "未完成", "2025-09-30", d1.id);
    int64_t next_year = add_task(c, &a, plan, "明年", "2026-01-15", d1.id);
    int64_t street_task = add_task(c, &a, plan, "街道任务", "2025-10-31", st.id);
    set_done(c, street_task, "2025-10-01T08:00:00+08:00");
    work_plan pub;
    assert_int_equal(work_plans_publish(c, &p, &a, plan, &pub), DB_OK);
    /* a draft plan's tasks count for nothing */
    add_task(c, &a, new_plan(c, &a, city.id, 2025), "草稿", "2025-05-01", d2.id);

    const assessment_source *src = assessment_source_find("tasks_on_time");
    if (!src) src = tasks_assessment_sources[0];
    assert_string_equal(src->key, "tasks_on_time");
    assess_unit units[] = {{d1.id, d1.path, d1.name}, {d2.id, d2.path, d2.name}};
    assess_measure m[2];
    assert_int_equal(src->measure_unscoped(c, &a, 2025, NULL, units, 2, m), DB_OK);
    /* d1's subtree: 5 tasks due in 2025 (the street's included, next year's not); 3 on time */
    assert_true(m[0].value > 0.5999 && m[0].value < 0.6001);
    assert_string_equal(m[0].detail, "5 项任务中 2 项逾期 / 2 of 5 tasks late");
    assert_true(m[1].value == 1.0);
    assert_string_equal(m[1].detail, "本年无到期任务 / no tasks due this year");

    /* task_due: d1's own open tasks (not the street's), soonest first */
    const todo_source *due = tasks_todo_sources[0];
    assert_string_equal(due->kind, "task_due");
    principal dp = admin();
    dp.org_id = d1.id;
    todo_bucket b;
    assert_int_equal(due->collect(c, &dp, &a, 1, &b), DB_OK);
    assert_int_equal(b.count, 2);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.items[0].id, open);
    assert_string_equal(b.items[0].due, "2025-09-30");
    set_done(c, open, "2025-12-01T08:00:00+08:00");
    assert_int_equal(due->collect(c, &dp, &a, 5, &b), DB_OK);
    assert_int_equal(b.count, 1);
    assert_int_equal(b.items[0].id, next_year);
    db_close(c);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ratio_and_detail),
        cmocka_unit_test(test_measure_and_todo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
