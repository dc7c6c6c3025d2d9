/* test_scope_tasks.c - the scope matrix of work plans and tasks (issue 16, package C): the issuer
 * side sees and changes its plans; an owner unit sees a published plan's tasks through its own
 * owner rows only (never a draft, never another unit's); another district sees nothing and gets
 * the same 404 as for a missing id; reports are made by the owner unit and decided by the issuer. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "calls_scope_world.h"

static int64_t city_plan, draft_plan, a_plan, t_city, t_draft, t_a, r_a, r_b;

static int64_t plan_of(int u, int64_t org, const char *title)
{
    return post_id(tok[u], "/work-plans", jpack("{s:I, s:i, s:s}", "org_id", (json_int_t)org, "year", 2026, "title", title));
}

static int64_t task_of(int u, int64_t plan, json_t *owners)
{
    return post_id(tok[u], "/tasks", jpack("{s:I, s:s, s:s, s:o}", "plan_id", (json_int_t)plan, "title", "范围任务",
                                           "deadline", "2026-12-31", "owners", owners));
}

static int setup(void **state)
{
    if (world_start(state) != 0) return -1;
    city_plan = plan_of(U_ADMIN, root, "市工作要点");
    t_city = task_of(U_ADMIN, city_plan, jpack("{s:[s]}", "org_types", "district"));
    post_id(tok[U_ADMIN], P("/work-plans/%lld/publish", (long long)city_plan), NULL);
    draft_plan = plan_of(U_ADMIN, root, "市草稿要点");
    t_draft = task_of(U_ADMIN, draft_plan, jpack("{s:[s]}", "org_types", "district"));
    a_plan = plan_of(U_A_ADMIN, dist_a, "甲区工作要点");
    t_a = task_of(U_A_ADMIN, a_plan, jpack("{s:[I]}", "org_ids", (json_int_t)point_p));
    post_id(tok[U_A_ADMIN], P("/work-plans/%lld/publish", (long long)a_plan), NULL);
    r_a = post_id(tok[U_A_ADMIN], P("/tasks/%lld/reports", (long long)t_city), jpack("{s:i}", "progress", 30));
    r_b = post_id(tok[U_B_ADMIN], P("/tasks/%lld/reports", (long long)t_city), jpack("{s:i}", "progress", 40));
    return 0;
}

static void test_reads(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int city[USERS] =       {200,  200,  200,  200,  404,  404,  403,  403};
    static const int draft[USERS] =      {200,  404,  404,  404,  404,  404,  403,  403};
    static const int dist[USERS] =       {200,  200,  200,  404,  200,  404,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/work-plans/%lld", city_plan, NULL, city[u]);
        row(u, "GET", "/work-plans/%lld/page", city_plan, NULL, city[u]);
        row(u, "GET", "/work-plans/%lld/page.xlsx", city_plan, NULL, city[u]);
        row(u, "GET", "/tasks/%lld", t_city, NULL, city[u]);
        row(u, "GET", "/work-plans/%lld", draft_plan, NULL, draft[u]);
        row(u, "GET", "/work-plans/%lld/page", draft_plan, NULL, draft[u]);
        row(u, "GET", "/tasks/%lld", t_draft, NULL, draft[u]);
        row(u, "GET", "/work-plans/%lld", a_plan, NULL, dist[u]);
        row(u, "GET", "/work-plans/%lld/page", a_plan, NULL, dist[u]);
        row(u, "GET", "/tasks/%lld", t_a, NULL, dist[u]);
    }
    /* the lists hold what the rows let through */
    /* the city: both districts of its published task and of its draft one, and point P of district A's task */
    assert_int_equal(list_total(tok[U_ADMIN], "/tasks"), 5);
    assert_int_equal(list_total(tok[U_A_ADMIN], "/tasks"), 2);
    assert_int_equal(list_total(tok[U_B_ADMIN], "/tasks"), 1);
    assert_int_equal(list_total(tok[U_P_STAFF], "/tasks"), 1);
    assert_int_equal(list_total(tok[U_Q_STAFF], "/tasks"), 0);
    assert_int_equal(list_total(tok[U_B_ADMIN], "/work-plans"), 1);
    assert_int_equal(list_total(tok[U_P_STAFF], "/work-plans"), 1);
    json_t *j = NULL;
    expect_status(api("GET", "/tasks/overview?year=2026", tok[U_B_ADMIN], NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "units")), 1);
    assert_int_equal(jint(j, "units.0.org_id"), dist_b);
    json_decref(j);
    /* an owner sees its own owner row of the city's task, not the other district's */
    expect_status(api("GET", P("/tasks/%lld", (long long)t_city), tok[U_B_ADMIN], NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "owners")), 1);
    assert_int_equal(json_array_size(jget(j, "reports")), 1);
    json_decref(j);
    assert_int_equal(failures, 0);
}

static void test_writes(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int patch_city[USERS] = {200,  403,  403,  403,  403,  403,  403,  403};
    static const int patch_a[USERS] =    {200,  200,  403,  404,  403,  403,  403,  403};
    static const int report_a[USERS] =   {403,  403,  403,  404,  201,  404,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "PATCH", "/work-plans/%lld", city_plan, "{\"title\": \"市工作要点\"}", patch_city[u]);
        row(u, "PATCH", "/tasks/%lld", t_city, "{\"title\": \"范围任务\"}", patch_city[u]);
        row(u, "PATCH", "/work-plans/%lld", a_plan, "{\"title\": \"甲区工作要点\"}", patch_a[u]);
        row(u, "PATCH", "/tasks/%lld", t_a, "{\"title\": \"范围任务\"}", patch_a[u]);
        row(u, "POST", "/tasks/%lld/reports", t_a, "{\"progress\": 10}", report_a[u]);
    }
    /* another district's report is not there for a_admin; b's own is not b's to decide */
    row(U_A_ADMIN, "POST", "/task-reports/%lld/return", r_b, "{\"reason\": \"不全\"}", 404);
    row(U_B_ADMIN, "POST", "/task-reports/%lld/return", r_b, "{\"reason\": \"不全\"}", 403);
    row(U_B_ADMIN, "POST", "/task-reports/%lld/accept", r_b, NULL, 403);
    row(U_A_STAFF, "POST", "/task-reports/%lld/accept", r_a, NULL, 403);
    row(U_P_STAFF, "POST", "/task-reports/%lld/accept", r_a, NULL, 403);
    row(U_B_ADMIN, "GET", "/task-reports/%lld/files", r_a, NULL, 404);
    row(U_A_ADMIN, "GET", "/task-reports/%lld/files", r_a, NULL, 200);
    row(U_ADMIN, "GET", "/task-reports/%lld/files", r_a, NULL, 200);
    row(U_ADMIN, "POST", "/task-reports/%lld/return", r_b, "{\"reason\": \"不全\"}", 200);
    /* a draft's task is deleted by its issuer only */
    row(U_A_ADMIN, "DELETE", "/tasks/%lld", t_draft, NULL, 404);
    row(U_B_ADMIN, "DELETE", "/work-plans/%lld", draft_plan, NULL, 404);
    row(U_ADMIN, "DELETE", "/tasks/%lld", t_draft, NULL, 204);
    row(U_ADMIN, "DELETE", "/work-plans/%lld", draft_plan, NULL, 204);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads),
        cmocka_unit_test(test_writes),
    };
    return harness_result(cmocka_run_group_tests(tests, setup, teardown));
}
