/* test_tasks.c - yearly work points broken into tasks (issue 16, package C) over HTTP: the city
 * drafts a plan with tasks for every district (and one for a named district), reorders and
 * publishes it; the districts see their own tasks only once published; a district reports
 * progress and done with evidence; the city returns one report and accepts another; overdue and
 * at-risk are live (deadlines relative to today); the overview board's numbers, the plan page
 * (JSON and Excel); bad input answers 422 and changes nothing. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const unsigned char png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0,
    0, 0x90, 0x77, 0x53, 0xDE, 0, 0, 0, 12, 'I', 'D', 'A', 'T', 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0, 0, 3, 1, 1, 0,
    0xC9, 0xFE, 0x92, 0xEF, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};

static char *admin, *d1_admin, *d2_admin;
static int64_t root, d1, d2, d3, street;
static int year;

static const char *day_in(int days) { return P("%.10s", shanghai_at((long)days * 86400)); }

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    d1 = create_org(admin, root, "district", "任务一区");
    d2 = create_org(admin, root, "district", "任务二区");
    d3 = create_org(admin, root, "district", "任务三区");
    street = create_org(admin, d1, "street", "任务一区街道");
    create_user(admin, "tk_d1_admin", d1, "org_admin", "subtree", 0);
    create_user(admin, "tk_d2_admin", d2, "org_admin", "subtree", 0);
    d1_admin = login("tk_d1_admin", USER_PASSWORD);
    d2_admin = login("tk_d2_admin", USER_PASSWORD);
    year = atoi(day_in(0));
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    free(d1_admin);
    free(d2_admin);
    return server_stop(state);
}

static int64_t post_id(const char *token, const char *path, json_t *body, int want)
{
    json_t *j = NULL;
    int st = api("POST", path, token, body, &j);
    expect_status(st, j, want);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int64_t new_task(int64_t plan, const char *title, const char *deadline, json_t *owners)
{
    return post_id(admin, "/tasks",
                   jpack("{s:I, s:s, s:s, s:s, s:o}", "plan_id", (json_int_t)plan, "title", title, "deadline", deadline,
                         "outputs", "总结报告\n活动照片", "owners", owners), 201);
}

static int64_t n_tasks(int64_t plan)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/work-plans/%lld", (long long)plan), admin, NULL, &j), j, 200);
    int64_t n = jint(j, "n_tasks");
    json_decref(j);
    return n;
}

/* The owner row of task for unit org in GET /tasks?org_id= as token sees it (fails when absent). */
static json_t *owner_row(const char *token, int64_t task, int64_t org)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/tasks?org_id=%lld&page_size=100", (long long)org), token, NULL, &j), j, 200);
    json_t *items = jget(j, "items"), *it, *found = NULL;
    size_t i;
    json_array_foreach(items, i, it)
        if (jint(it, "id") == task) found = json_incref(jget(it, "owner"));
    json_decref(j);
    assert_non_null(found);
    return found;
}

static void expect_owner(const char *token, int64_t task, int64_t org, const char *status, bool at_risk, int progress)
{
    json_t *o = owner_row(token, task, org);
    assert_string_equal(jstr(o, "status"), status);
    assert_int_equal(json_is_true(jget(o, "at_risk")), at_risk);
    assert_int_equal(jint(o, "progress"), progress);
    json_decref(o);
}

static int64_t plan, t_late, t_month, t_soon;

static void test_plan_and_bad_input(void **state)
{
    (void)state;
    expect_api_error("POST", "/work-plans", admin, jpack("{s:I, s:i}", "org_id", (json_int_t)root, "year", year), 422,
                     "required", "title");
    expect_api_error("POST", "/work-plans", admin, jpack("{s:I, s:i, s:s}", "org_id", (json_int_t)root, "year", 1900,
                                                         "title", "要点"), 422, "invalid_field", "year");
    /* a district may not issue for the city */
    expect_api_error("POST", "/work-plans", d1_admin, jpack("{s:I, s:i, s:s}", "org_id", (json_int_t)root, "year", year,
                                                            "title", "要点"), 404, "not_found", "org_id");
    assert_int_equal(list_total(admin, "/work-plans"), 0);
    plan = post_id(admin, "/work-plans", jpack("{s:I, s:i, s:s, s:s, s:s}", "org_id", (json_int_t)root, "year", year,
                                               "title", P("%d年全市科普工作要点", year), "doc_no", "科协发〔2026〕1号",
                                               "body", "一、总体要求\n二、重点任务"), 201);
    t_month = new_task(plan, "开展科技活动周", day_in(30), jpack("{s:[s]}", "org_types", "district"));
    t_soon = new_task(plan, "报送科普统计", day_in(3), jpack("{s:[s], s:I}", "org_types", "district", "under", (json_int_t)root));
    t_late = new_task(plan, "建设科普基地", day_in(-1), jpack("{s:[I]}", "org_ids", (json_int_t)d1));
    /* bad targeting and references: 422, nothing added */
    json_t *b = jpack("{s:I, s:s, s:s}", "plan_id", (json_int_t)plan, "title", "无单位", "deadline", day_in(5));
    expect_api_error("POST", "/tasks", admin, b, 422, "required", "owners");
    expect_api_error("POST", "/tasks", admin, jpack("{s:I, s:s, s:s, s:{s:[I]}}", "plan_id", (json_int_t)plan, "title", "本级",
                                                    "deadline", day_in(5), "owners", "org_ids", (json_int_t)root),
                     422, "invalid_field", "owners");
    expect_api_error("POST", "/tasks", admin, jpack("{s:I, s:s, s:s, s:{s:i}}", "plan_id", (json_int_t)plan, "title", "乱",
                                                    "deadline", day_in(5), "owners", "bogus", 1),
                     422, "invalid_field", "owners");
    expect_api_error("POST", "/tasks", admin, jpack("{s:I, s:s, s:s, s:I, s:{s:[I]}}", "plan_id", (json_int_t)plan, "title",
                                                    "牵头", "deadline", day_in(5), "lead_org_id", (json_int_t)d2, "owners",
                                                    "org_ids", (json_int_t)d1),
                     422, "invalid_field", "lead_org_id");
    expect_api_error("POST", "/tasks", admin, jpack("{s:I, s:s, s:s, s:I, s:{s:[I]}}", "plan_id", (json_int_t)plan, "title",
                                                    "目标", "deadline", day_in(5), "target_id", (json_int_t)999999, "owners",
                                                    "org_ids", (json_int_t)d1),
                     422, "invalid_field", "target_id");
    expect_api_error("POST", "/tasks", admin, jpack("{s:I, s:s, s:s, s:{s:[s]}}", "plan_id", (json_int_t)plan, "title", "日",
                                                    "deadline", "2026-13-01", "owners", "org_types", "district"),
                     422, "invalid_field", "deadline");
    expect_api_error("POST", "/tasks", admin, jpack("{s:I, s:s, s:s, s:{s:[s,s,s,s,s,s,s,s,s]}}", "plan_id", (json_int_t)plan,
                                                    "title", "九类", "deadline", day_in(5), "owners", "org_types", "district",
                                                    "district", "district", "district", "district", "district", "district",
                                                    "district", "street"),
                     422, "invalid_field", "owners");
    /* the shared target units (orgs/org_targets.h): `under` alone is its whole subtree */
    int64_t t_sub = new_task(plan, "一区全域", day_in(5), jpack("{s:I}", "under", (json_int_t)d1));
    json_t *o = NULL;
    expect_status(api("GET", P("/tasks/%lld", (long long)t_sub), admin, NULL, &o), o, 200);
    assert_int_equal(json_array_size(jget(o, "owners")), 2);   /* 任务一区 and its street */
    json_decref(o);
    expect_status(api("DELETE", P("/tasks/%lld", (long long)t_sub), admin, NULL, NULL), NULL, 204);
    /* a task measured by a target shows the target's live figure */
    int64_t tgt = post_id(admin, "/targets", jpack("{s:I, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)root, "title",
                                                   "全年活动", "metric", "activities", "period", P("%d", year), "goal", 10), 201);
    int64_t t_tgt = post_id(admin, "/tasks", jpack("{s:I, s:s, s:s, s:I, s:{s:[I]}}", "plan_id", (json_int_t)plan, "title",
                                                   "按目标", "deadline", day_in(60), "target_id", (json_int_t)tgt, "owners",
                                                   "org_ids", (json_int_t)d2), 201);
    json_t *j = NULL;
    expect_status(api("GET", P("/tasks/%lld", (long long)t_tgt), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "target.title"), "全年活动");
    assert_int_equal(jint(j, "target.progress.goal"), 10);
    json_decref(j);
    expect_status(api("DELETE", P("/tasks/%lld", (long long)t_tgt), admin, NULL, NULL), NULL, 204);
    assert_int_equal(n_tasks(plan), 3);
    /* a draft stays with the issuer */
    expect_api_error("GET", P("/tasks/%lld", (long long)t_month), d1_admin, NULL, 404, "not_found", NULL);
    assert_int_equal(list_total(d1_admin, "/tasks"), 0);
    assert_int_equal(list_total(d1_admin, "/work-plans"), 0);
}

static void test_reorder_and_publish(void **state)
{
    (void)state;
    expect_api_error("POST", P("/work-plans/%lld/order", (long long)plan), admin,
                     jpack("{s:[I, I]}", "ids", (json_int_t)t_late, (json_int_t)t_month), 422, "invalid_field", "ids");
    expect_status(api("POST", P("/work-plans/%lld/order", (long long)plan), admin,
                      jpack("{s:[I, I, I]}", "ids", (json_int_t)t_late, (json_int_t)t_month, (json_int_t)t_soon), NULL), NULL,
                  204);
    json_t *j = NULL;
    expect_status(api("GET", P("/tasks/%lld", (long long)t_late), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "no"), 1);
    assert_int_equal(json_array_size(jget(j, "owners")), 1);
    json_decref(j);
    expect_status(api("POST", P("/work-plans/%lld/publish", (long long)plan), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "published");
    json_decref(j);
    expect_api_error("POST", P("/work-plans/%lld/publish", (long long)plan), admin, NULL, 409, "plan_state", NULL);
    expect_api_error("DELETE", P("/work-plans/%lld", (long long)plan), admin, NULL, 409, "plan_state", NULL);
    /* a district changes nothing of the city's plan */
    expect_api_error("PATCH", P("/tasks/%lld", (long long)t_month), d1_admin, jpack("{s:s}", "title", "改"), 403, "forbidden",
                     NULL);
    assert_int_equal(list_total(d1_admin, "/work-plans"), 1);
}

static void test_live_status(void **state)
{
    (void)state;
    assert_int_equal(list_total(d1_admin, "/tasks"), 3);
    assert_int_equal(list_total(d2_admin, "/tasks"), 2);
    /* open first, soonest first: the overdue one leads */
    json_t *j = NULL;
    expect_status(api("GET", "/tasks", d1_admin, NULL, &j), j, 200);
    assert_int_equal(jint(json_array_get(jget(j, "items"), 0), "id"), t_late);
    json_decref(j);
    expect_owner(d1_admin, t_late, d1, "overdue", false, 0);
    expect_owner(d1_admin, t_soon, d1, "pending", true, 0);
    expect_owner(d1_admin, t_month, d1, "pending", false, 0);
    assert_int_equal(list_total(admin, "/tasks?status=overdue"), 1);
    assert_int_equal(list_total(admin, "/tasks?status=at_risk"), 3);
    assert_int_equal(list_total(admin, "/tasks?status=open"), 7);
    char *q = urlenc("统计");
    assert_int_equal(list_total(admin, P("/tasks?plan_id=%lld&q=%s", (long long)plan, q)), 3);
    free(q);
    expect_api_error("GET", "/tasks?status=late", admin, NULL, 422, "invalid_field", "status");
}

static int64_t upload(const char *token, int64_t report, int want)
{
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *headers[] = {auth, "Content-Type: application/octet-stream", "X-File-Name: evidence.png", NULL};
    http_resp resp;
    int st = http("POST", P(API_BASE "/task-reports/%lld/files", (long long)report), headers, (const char *)png, sizeof png,
                  &resp);
    expect_status(st, resp.json, want);
    int64_t id = jint(resp.json, "id");
    http_resp_free(&resp);
    return id;
}

static void test_reports(void **state)
{
    (void)state;
    /* bad input changes nothing */
    expect_api_error("POST", P("/tasks/%lld/reports", (long long)t_soon), d1_admin, jpack("{s:i}", "progress", 120), 422,
                     "invalid_field", "progress");
    expect_api_error("POST", P("/tasks/%lld/reports", (long long)t_soon), d1_admin, jpack("{s:s}", "text", "无进度"), 422,
                     "required", "progress");
    expect_owner(d1_admin, t_soon, d1, "pending", true, 0);
    /* another district neither sees a task it does not own nor reports for another unit */
    expect_api_error("POST", P("/tasks/%lld/reports", (long long)t_late), d2_admin, jpack("{s:i}", "progress", 10), 404,
                     "not_found", NULL);
    expect_api_error("POST", P("/tasks/%lld/reports", (long long)t_soon), d2_admin,
                     jpack("{s:I, s:i}", "org_id", (json_int_t)d1, "progress", 10), 403, "forbidden", "org_id");
    int64_t r_soon = post_id(d1_admin, P("/tasks/%lld/reports", (long long)t_soon),
                             jpack("{s:i, s:s}", "progress", 60, "text", "已完成大半"), 201);
    expect_owner(d1_admin, t_soon, d1, "in_progress", false, 60);
    int64_t r_done = post_id(d1_admin, P("/tasks/%lld/reports", (long long)t_month),
                             jpack("{s:b, s:s}", "done", 1, "text", "活动周已办完"), 201);
    upload(d1_admin, r_done, 201);
    upload(d2_admin, r_done, 404);
    /* the city returns the first with a reason: the progress falls back */
    expect_api_error("POST", P("/task-reports/%lld/return", (long long)r_soon), admin, jpack("{}"), 422, "required", "reason");
    expect_api_error("POST", P("/task-reports/%lld/return", (long long)r_soon), d1_admin, jpack("{s:s}", "reason", "自退"),
                     403, "forbidden", NULL);
    json_t *j = NULL;
    expect_status(api("POST", P("/task-reports/%lld/return", (long long)r_soon), admin,
                      jpack("{s:s}", "reason", "缺少数据表"), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "returned");
    json_decref(j);
    expect_owner(d1_admin, t_soon, d1, "pending", true, 0);
    /* reported done is not done until accepted */
    expect_owner(d1_admin, t_month, d1, "in_progress", false, 100);
    expect_status(api("POST", P("/task-reports/%lld/accept", (long long)r_done), admin, NULL, &j), j, 200);
    json_decref(j);
    expect_api_error("POST", P("/task-reports/%lld/accept", (long long)r_done), admin, NULL, 409, "report_state", NULL);
    expect_owner(d1_admin, t_month, d1, "done", false, 100);
    expect_owner(admin, t_month, d2, "pending", false, 0);
    expect_api_error("POST", P("/tasks/%lld/reports", (long long)t_month), d1_admin, jpack("{s:i}", "progress", 10), 409,
                     "task_done", NULL);
    /* the city reads the evidence */
    expect_status(api("GET", P("/task-reports/%lld/files", (long long)r_done), admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")) + json_array_size(j), 1);
    json_decref(j);
    expect_status(api("GET", P("/tasks/%lld", (long long)t_month), d1_admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "reports")), 1);
    assert_int_equal(json_array_size(jget(j, "owners")), 1);   /* its own row only */
    json_decref(j);
}

static json_t *unit_of(json_t *board, int64_t org)
{
    json_t *u;
    size_t i;
    json_array_foreach(jget(board, "units"), i, u)
        if (jint(u, "org_id") == org) return u;
    fail_msg("unit %lld not on the board", (long long)org);
    return NULL;
}

static void test_overview_and_page(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", P("/tasks/overview?year=%d", year), admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "units")), 3);
    json_t *u = unit_of(j, d1);
    assert_int_equal(jint(u, "total"), 3);
    assert_int_equal(jint(u, "done"), 1);
    assert_int_equal(jint(u, "overdue"), 1);
    assert_int_equal(jint(u, "at_risk"), 1);
    u = unit_of(j, d2);
    assert_int_equal(jint(u, "total"), 2);
    assert_int_equal(jint(u, "done"), 0);
    assert_int_equal(jint(u, "overdue"), 0);
    assert_int_equal(jint(u, "at_risk"), 1);
    json_decref(j);
    expect_status(api("GET", P("/tasks/overview?year=%d", year), d1_admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "units")), 1);
    json_decref(j);
    expect_status(api("GET", P("/work-plans/%lld/page", (long long)plan), admin, NULL, &j), j, 200);
    json_t *tasks = jget(j, "tasks");
    assert_int_equal(json_array_size(tasks), 3);
    assert_int_equal(jint(json_array_get(tasks, 1), "id"), t_month);
    assert_int_equal(json_array_size(jget(json_array_get(tasks, 1), "owners")), 3);
    assert_string_equal(jstr(json_array_get(jget(json_array_get(tasks, 1), "owners"), 0), "status"), "done");
    json_decref(j);
    expect_status(api("GET", P("/work-plans/%lld/page", (long long)plan), d2_admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "tasks")), 2);   /* not the task of district 1 alone */
    json_decref(j);
    http_resp resp;
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
    const char *headers[] = {auth, NULL};
    assert_int_equal(http("GET", P(API_BASE "/work-plans/%lld/page.xlsx", (long long)plan), headers, NULL, 0, &resp), 200);
    char *sheet = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(sheet, "开展科技活动周"));
    free(sheet);
    http_resp_free(&resp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_and_bad_input),
        cmocka_unit_test(test_reorder_and_publish),
        cmocka_unit_test(test_live_status),
        cmocka_unit_test(test_reports),
        cmocka_unit_test(test_overview_and_page),
    };
    return harness_result(cmocka_run_group_tests(tests, setup, teardown));
}
