/* test_activities.c - the activity register and live statistics over HTTP: every create, edit,
 * delete and subtree move shows at once in the totals of the node and all its ancestors; bad
 * input gets 422 naming the field and changes nothing; scope holds for records, totals and
 * exports; targets report progress; Excel exports download. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *a_staff;
static int64_t root, dist_a, dist_b, point_a, point_b;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "统计甲区");
    dist_b = create_org(admin, root, "district", "统计乙区");
    point_a = create_org(admin, dist_a, "point", "甲区教学点");
    point_b = create_org(admin, dist_b, "point", "乙区教学点");
    create_user(admin, "stats_a_staff", dist_a, "staff", "subtree", 0);
    a_staff = login("stats_a_staff", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    free(a_staff);
    return server_stop(state);
}

static int64_t stat(const char *token, int64_t org, const char *period, const char *metric)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=%s", (long long)org, period, metric), token, NULL, &j), j, 200);
    /* not a dotted path: metric names such as kind.lecture hold a dot */
    int64_t v = json_integer_value(json_object_get(jget(j, "values"), metric));
    json_decref(j);
    return v;
}

static int64_t record(const char *token, int64_t org, const char *kind, const char *day, int participants)
{
    json_t *j = NULL;
    int st = api("POST", "/activities", token,
                 jpack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i}", "org_id", (json_int_t)org, "kind", kind,
                       "title", "社区防诈骗讲座", "start_date", day, "end_date", day, "participants", participants,
                       "materials", 10), &j);
    expect_status(st, j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static void test_create_counts_at_every_level(void **state)
{
    (void)state;
    record(a_staff, point_a, "lecture", "2025-05-18", 120);
    assert_int_equal(stat(admin, point_a, "2025", "participants"), 120);
    assert_int_equal(stat(admin, dist_a, "2025", "participants"), 120);
    assert_int_equal(stat(admin, root, "2025", "participants"), 120);
    assert_int_equal(stat(admin, root, "2025-05-18", "activities"), 1);
    assert_int_equal(stat(admin, root, "2025W20", "kind.lecture"), 1);
    assert_int_equal(stat(admin, dist_b, "2025", "participants"), 0);
    assert_int_equal(stat(admin, root, "2025-06", "participants"), 0);
}

static void test_edit_and_delete_keep_totals_exact(void **state)
{
    (void)state;
    int64_t id = record(a_staff, point_a, "training", "2025-03-10", 40);
    assert_int_equal(stat(admin, root, "2025Q1", "participants"), 40);
    json_t *j = NULL;
    expect_status(api("PATCH", P("/activities/%lld", (long long)id), a_staff,
                      jpack("{s:i, s:s, s:s}", "participants", 15, "start_date", "2025-04-02", "end_date", "2025-04-02"), &j), j, 200);
    json_decref(j);
    assert_int_equal(stat(admin, root, "2025Q1", "participants"), 0);
    assert_int_equal(stat(admin, root, "2025-04-02..2025-04-02", "participants"), 15);
    expect_status(api("DELETE", P("/activities/%lld", (long long)id), a_staff, NULL, NULL), NULL, 204);
    assert_int_equal(stat(admin, root, "2025-04", "participants"), 0);
    assert_int_equal(stat(admin, root, "2025-04", "activities"), 0);
    expect_status(api("GET", P("/activities/%lld", (long long)id), a_staff, NULL, NULL), NULL, 404);
}

static void test_bad_input_changes_nothing(void **state)
{
    (void)state;
    int64_t before = stat(admin, root, "2025", "activities");
    const char *base = "{\"org_id\":%lld,\"kind\":\"lecture\",\"title\":\"x\",\"start_date\":\"2025-01-05\","
                       "\"end_date\":\"2025-01-05\",\"participants\":%s%s}";
    struct { const char *participants, *extra, *field, *code; int status; } cases[] = {
        {"-1", "", "participants", "invalid_field", 422},
        {"1000000000", "", "participants", "invalid_field", 422},
        {"\"many\"", "", "participants", "invalid_field", 422},
        {"5", ",\"end_date\":\"2025-01-01\"", NULL, NULL, 0},   /* duplicate key: malformed */
        {"5", ",\"funds\":-3", "funds", "invalid_field", 422},
        {"5", ",\"color\":1", "color", "unknown_field", 422},
        {"5", ",\"audience\":\"aliens\"", "audience", "invalid_field", 422},
        {"5", ",\"tags\":[1]", "tags", "invalid_field", 422},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char body[512];
        snprintf(body, sizeof body, base, (long long)point_a, cases[i].participants, cases[i].extra);
        json_t *j = NULL;
        int st = api_text("POST", "/activities", a_staff, body, &j);
        if (cases[i].status) expect_error(st, j, cases[i].status, cases[i].code, cases[i].field);
        else expect_error(st, j, 400, "malformed_json", NULL);
        json_decref(j);
    }
    expect_api_error("POST", "/activities", a_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)point_a, "kind", "lecture",
                           "title", "x", "start_date", "2025-02-10", "end_date", "2025-02-01", "participants", 1),
                     422, "invalid_field", "end_date");
    expect_api_error("POST", "/activities", a_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)point_a, "kind", "teleport",
                           "title", "x", "start_date", "2025-02-10", "end_date", "2025-02-10", "participants", 1),
                     422, "invalid_field", "kind");
    expect_api_error("POST", "/activities", a_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)point_a, "kind", "lecture",
                           "title", "x", "start_date", "2025-02-30", "end_date", "2025-02-30", "participants", 1),
                     422, "invalid_field", "start_date");
    expect_api_error("POST", "/activities", a_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)point_b, "kind", "lecture",
                           "title", "x", "start_date", "2025-02-10", "end_date", "2025-02-10", "participants", 1),
                     404, "not_found", "org_id");
    expect_api_error("GET", P("/stats?org_id=%lld&period=last-year", (long long)root), admin, NULL, 422, "invalid_field", "period");
    expect_api_error("GET", P("/stats?org_id=%lld&period=2025&metrics=happiness", (long long)root), admin, NULL, 422, "invalid_field", "metrics");
    assert_int_equal(stat(admin, root, "2025", "activities"), before);
}

static void test_scope_holds_for_records_and_totals(void **state)
{
    (void)state;
    int64_t b_act = record(admin, point_b, "contest", "2025-09-20", 300);
    expect_status(api("GET", P("/activities/%lld", (long long)b_act), a_staff, NULL, NULL), NULL, 404);
    expect_status(api("PATCH", P("/activities/%lld", (long long)b_act), a_staff, jpack("{s:i}", "participants", 1), NULL), NULL, 404);
    expect_status(api("DELETE", P("/activities/%lld", (long long)b_act), a_staff, NULL, NULL), NULL, 404);
    json_t *j = NULL;
    expect_status(api("GET", "/activities?page_size=500", a_staff, NULL, &j), j, 200);
    assert_false(items_have_id(jget(j, "items"), b_act));
    json_decref(j);
    expect_api_error("GET", P("/stats?org_id=%lld&period=2025", (long long)dist_b), a_staff, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", P("/stats?org_id=%lld&period=2025", (long long)root), a_staff, NULL, 404, "not_found", "org_id");
    /* the children of the root as the admin: both districts, each with its own figures */
    expect_status(api("GET", P("/stats/children?org_id=%lld&period=2025&metrics=participants", (long long)root), admin, NULL, &j), j, 200);
    int64_t a = -1, b = -1;
    size_t i;
    json_t *e;
    json_array_foreach(jget(j, "items"), i, e) {
        if (jint(e, "org_id") == dist_a) a = jint(e, "values.participants");
        if (jint(e, "org_id") == dist_b) b = jint(e, "values.participants");
    }
    json_decref(j);
    assert_int_equal(a, 120);
    assert_int_equal(b, 300);
}

static void test_targets_report_progress(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/targets", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s}", "org_id", (json_int_t)root, "title", "每个教学点至少1场",
                            "metric", "activities", "period", "2025", "goal", 1, "applies", "each", "each_type", "point"), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("GET", P("/targets/%lld/progress?today=2025-12-31", (long long)id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units_total"), 2);
    assert_int_equal(jint(j, "units_achieved"), 2);
    json_decref(j);
    expect_api_error("POST", "/targets", admin,
                     jpack("{s:I, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)root, "title", "x", "metric", "joy",
                           "period", "2025", "goal", 1), 422, "invalid_field", "metric");
    expect_api_error("POST", "/targets", a_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)dist_a, "title", "x", "metric", "activities",
                           "period", "2025", "goal", 1), 403, "forbidden", NULL);
    /* a per-point target set by the city binds district A's points: A reads it (issue 14 item 7)
     * but may not change it */
    create_user(admin, "stats_a_admin", dist_a, "org_admin", "subtree", 0);
    char *a_admin = login("stats_a_admin", USER_PASSWORD);
    expect_status(api("GET", P("/targets/%lld", (long long)id), a_staff, NULL, NULL), NULL, 200);
    expect_api_error("PATCH", P("/targets/%lld", (long long)id), a_admin, jpack("{s:i}", "goal", 5), 404, "not_found",
                     "*");
    expect_api_error("DELETE", P("/targets/%lld", (long long)id), a_admin, NULL, 404, "not_found", "*");
    free(a_admin);
    /* ?org_id= lists that node's own targets and the per-unit ones set above it; a node outside
     * the scope is 404, not an empty list */
    expect_status(api("GET", P("/targets?org_id=%lld", (long long)root), admin, NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), id));
    json_decref(j);
    assert_int_equal(list_total(admin, P("/targets?org_id=%lld", (long long)dist_a)), 1);
    assert_int_equal(list_total(a_staff, P("/targets?org_id=%lld", (long long)dist_a)), 1);
    expect_api_error("GET", P("/targets?org_id=%lld", (long long)root), a_staff, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", P("/targets?org_id=%lld", (long long)dist_b), a_staff, NULL, 404, "not_found", "org_id");
}

static void test_exports_download_as_excel(void **state)
{
    (void)state;
    http_resp resp;
    assert_int_equal(api_full("GET", P("/activities/export.xlsx?org_id=%lld", (long long)dist_a), a_staff, NULL, &resp), 200);
    char *type = resp_header(&resp, "Content-Type");
    assert_non_null(strstr(type, "spreadsheetml"));
    assert_true(resp.body_len > 100 && resp.body[0] == 'P' && resp.body[1] == 'K');   /* a zip */
    free(type);
    http_resp_free(&resp);
    assert_int_equal(api_full("GET", P("/stats/children/export.xlsx?org_id=%lld&period=2025", (long long)root), admin, NULL, &resp), 200);
    assert_true(resp.body_len > 100 && resp.body[0] == 'P');
    http_resp_free(&resp);
}

/* The list's filters, the same for the export: ?kind=, ?q= (title or place, wildcards taken
 * literally), ?from=/?to= on the start day (422 naming the bad one), ?org_id= outside the scope. */
static void test_list_filters(void **state)
{
    (void)state;
    int64_t lecture = record(a_staff, point_a, "lecture", "2024-03-05", 11);
    int64_t training = record(a_staff, point_a, "training", "2024-04-05", 12);
    const char *in_march = "/activities?from=2024-03-01&to=2024-03-31&page_size=500";
    assert_int_equal(list_total(a_staff, in_march), 1);
    assert_int_equal(list_total(a_staff, "/activities?kind=training&from=2024-01-01&to=2024-12-31"), 1);
    assert_int_equal(list_total(a_staff, "/activities?q=%25&from=2024-01-01&to=2024-12-31"), 0);
    assert_int_equal(list_total(a_staff, P("/activities?q=%s&from=2024-01-01&to=2024-12-31", "%E9%98%B2%E8%AF%88%E9%AA%97")), 2);
    json_t *j = NULL;
    expect_status(api("GET", in_march, a_staff, NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), lecture));
    assert_false(items_have_id(jget(j, "items"), training));
    json_decref(j);
    expect_api_error("GET", "/activities?from=2024-13-01", a_staff, NULL, 422, "invalid_field", "from");
    expect_api_error("GET", "/activities?to=x", a_staff, NULL, 422, "invalid_field", "to");
    expect_api_error("GET", "/activities/export.xlsx?to=2024-2-3", a_staff, NULL, 422, "invalid_field", "to");
    expect_api_error("GET", P("/activities?org_id=%lld", (long long)dist_b), a_staff, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", P("/activities/export.xlsx?org_id=%lld", (long long)dist_b), a_staff, NULL, 404, "not_found",
                     "org_id");
    http_resp resp;
    assert_int_equal(api_full("GET", "/activities/export.xlsx?kind=lecture&q=x", a_staff, NULL, &resp), 200);
    http_resp_free(&resp);
}

static void test_moving_a_subtree_moves_its_totals(void **state)
{
    (void)state;
    int64_t before_root = stat(admin, root, "2025", "participants");
    json_t *j = NULL;
    expect_status(api("PATCH", P("/orgs/%lld", (long long)point_a), admin, jpack("{s:I}", "parent_id", (json_int_t)dist_b), &j), j, 200);
    json_decref(j);
    assert_int_equal(stat(admin, dist_a, "2025", "participants"), 0);
    assert_int_equal(stat(admin, dist_b, "2025", "participants"), 420);
    assert_int_equal(stat(admin, root, "2025", "participants"), before_root);
    /* the activity went with its point: out of the district staff's scope */
    assert_int_equal(list_total(a_staff, "/activities"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_counts_at_every_level),
        cmocka_unit_test(test_edit_and_delete_keep_totals_exact),
        cmocka_unit_test(test_bad_input_changes_nothing),
        cmocka_unit_test(test_scope_holds_for_records_and_totals),
        cmocka_unit_test(test_targets_report_progress),
        cmocka_unit_test(test_exports_download_as_excel),
        cmocka_unit_test(test_list_filters),
        cmocka_unit_test(test_moving_a_subtree_moves_its_totals),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
