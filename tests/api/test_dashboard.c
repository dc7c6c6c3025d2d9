/* test_dashboard.c - what the dashboards read, over HTTP: named windows (科技活动周) as periods of
 * /stats and targets, the trend series (every grain sums to the period's total), audience and
 * kind compositions kept exact through edits, and the kinds dictionary admins extend. Bad input
 * names its field and changes nothing; only admins write city-wide settings. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *d_admin;
static int64_t root, dist, point;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist = create_org(admin, root, "district", "看板区");
    point = create_org(admin, dist, "point", "看板教学点");
    create_user(admin, "dash_d_admin", dist, "org_admin", "subtree", 0);
    d_admin = login("dash_d_admin", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    free(d_admin);
    return server_stop(state);
}

static int64_t stat(const char *token, int64_t org, const char *period, const char *metric)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=%s", (long long)org, period, metric), token, NULL, &j), j, 200);
    int64_t v = json_integer_value(json_object_get(jget(j, "values"), metric));
    json_decref(j);
    return v;
}

static int64_t record(int64_t org, const char *kind, const char *audience, const char *day, int participants)
{
    json_t *j = NULL;
    int st = api("POST", "/activities", admin,
                 jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)org, "kind", kind, "title", "看板测试活动",
                       "start_date", day, "end_date", day, "audience", audience, "participants", participants), &j);
    expect_status(st, j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int64_t window(const char *code, const char *name, int year, const char *from, const char *to)
{
    json_t *j = NULL;
    expect_status(api("POST", "/stat-windows", admin,
                      jpack("{s:s, s:s, s:i, s:s, s:s}", "code", code, "name", name, "year", year, "from", from, "to", to), &j),
                  j, 201);
    assert_string_equal(jstr(j, "period"), P("%d:%s", year, code));
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static void test_windows_are_periods(void **state)
{
    (void)state;
    int64_t id = window("science_week", "科技活动周", 2024, "2024-05-18", "2024-05-24");
    record(point, "lecture", "youth", "2024-05-18", 40);
    record(point, "lecture", "youth", "2024-05-24", 60);
    record(point, "training", "elderly", "2024-05-25", 1000);     /* the day after: outside */
    assert_int_equal(stat(admin, root, "2024:science_week", "participants"), 100);
    assert_int_equal(stat(d_admin, dist, "2024:science_week", "activities"), 2);
    /* moving the window's days moves what it answers */
    expect_status(api("PATCH", P("/stat-windows/%lld", (long long)id), admin, jpack("{s:s}", "to", "2024-05-25"), NULL), NULL, 200);
    assert_int_equal(stat(admin, root, "2024:science_week", "participants"), 1100);
    /* a target on the window measures it */
    json_t *j = NULL;
    expect_status(api("POST", "/targets", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)root, "title", "科技活动周不少于5场",
                            "metric", "activities", "period", "2024:science_week", "goal", 5), &j), j, 201);
    int64_t target = jint(j, "id");
    assert_string_equal(jstr(j, "from"), "2024-05-18");
    json_decref(j);
    expect_status(api("GET", P("/targets/%lld/progress?today=2024-06-01", (long long)target), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "actual"), 3);
    assert_string_equal(jstr(j, "status"), "behind");
    json_decref(j);
    /* an unset window, a bad code: 422 on period */
    expect_api_error("GET", P("/stats?org_id=%lld&period=2023:science_week", (long long)root), admin, NULL, 422, "invalid_field", "period");
    expect_api_error("GET", P("/stats?org_id=%lld&period=2024:Science-Week", (long long)root), admin, NULL, 422, "invalid_field", "period");
    expect_api_error("POST", "/targets", admin,
                     jpack("{s:I, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)root, "title", "x", "metric", "activities",
                           "period", "2024:science_day", "goal", 5), 422, "invalid_field", "period");
    expect_status(api("GET", "/stat-windows?year=2024", d_admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_string_equal(jstr(j, "items.0.name"), "科技活动周");
    json_decref(j);
}

static void test_window_input_is_checked(void **state)
{
    (void)state;
    int64_t total = list_total(admin, "/audit?entity=stat_window");
    struct { const char *body, *field; int status; } bad[] = {
        {"{\"code\":\"Science Week\",\"name\":\"x\",\"year\":2024,\"from\":\"2024-09-01\",\"to\":\"2024-09-07\"}", "code", 422},
        {"{\"code\":\"sd\",\"name\":\"x\",\"year\":2024,\"from\":\"2024-09-07\",\"to\":\"2024-09-01\"}", "to", 422},
        {"{\"code\":\"sd\",\"name\":\"x\",\"year\":2024,\"from\":\"2025-09-01\",\"to\":\"2025-09-07\"}", "from", 422},
        {"{\"code\":\"sd\",\"name\":\"x\",\"year\":2024,\"from\":\"2024-02-30\",\"to\":\"2024-03-07\"}", "from", 422},
        {"{\"code\":\"sd\",\"name\":\"x\",\"year\":2024,\"from\":\"2024-01-01\",\"to\":\"2025-06-01\"}", "to", 422},
        {"{\"code\":\"sd\",\"name\":\"\",\"year\":2024,\"from\":\"2024-09-01\",\"to\":\"2024-09-07\"}", "name", 422},
        {"{\"code\":\"science_week\",\"name\":\"x\",\"year\":2024,\"from\":\"2024-09-01\",\"to\":\"2024-09-07\"}", "code", 409},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *j = NULL;
        int st = api_text("POST", "/stat-windows", admin, bad[i].body, &j);
        expect_error(st, j, bad[i].status, "*", bad[i].field);
        json_decref(j);
    }
    /* a district admin reads windows but cannot set them */
    expect_api_error("POST", "/stat-windows", d_admin,
                     jpack("{s:s, s:s, s:i, s:s, s:s}", "code", "x", "name", "x", "year", 2024, "from", "2024-09-01", "to",
                           "2024-09-02"), 403, "forbidden", NULL);
    assert_int_equal(list_total(admin, "/audit?entity=stat_window"), total);
    /* create and delete are audited */
    int64_t id = window("science_day", "全国科普日", 2024, "2024-09-14", "2024-09-20");
    expect_status(api("DELETE", P("/stat-windows/%lld", (long long)id), admin, NULL, NULL), NULL, 204);
    expect_api_error("DELETE", P("/stat-windows/%lld", (long long)id), admin, NULL, 404, "not_found", "*");
    assert_int_equal(list_total(admin, "/audit?entity=stat_window"), total + 2);
}

/* Every grain's buckets cover the period exactly: their sums equal the period's total. */
static void test_series_sum_to_the_period(void **state)
{
    (void)state;
    record(point, "lecture", "public", "2024-02-28", 7);
    record(point, "lecture", "public", "2024-03-31", 11);
    record(point, "lecture", "public", "2024-12-31", 13);
    static const char *const grains[] = {"day", "week", "month", "quarter", "year"};
    static const char *const periods[] = {"2024", "2024Q1", "2024-02-20..2024-04-03", "2024:science_week"};
    for (size_t p = 0; p < sizeof periods / sizeof *periods; p++) {
        int64_t total = stat(admin, root, periods[p], "participants");
        for (size_t g = 0; g < sizeof grains / sizeof *grains; g++) {
            json_t *j = NULL;
            expect_status(api("GET", P("/stats/series?org_id=%lld&period=%s&grain=%s&metrics=participants,activities",
                                       (long long)root, periods[p], grains[g]), admin, NULL, &j), j, 200);
            int64_t sum = 0;
            size_t i;
            json_t *item;
            json_array_foreach(jget(j, "items"), i, item) sum += jint(item, "values.participants");
            assert_int_equal(sum, total);
            json_decref(j);
        }
    }
    json_t *j = NULL;
    expect_status(api("GET", P("/stats/series?org_id=%lld&period=2024&grain=month", (long long)root), admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 12);          /* zero-filled months */
    assert_string_equal(jstr(j, "items.1.bucket"), "2024-02");
    assert_int_equal(jint(j, "items.1.values.participants"), 7);
    json_decref(j);
    expect_status(api("GET", P("/stats/series?org_id=%lld&period=2024Q1&grain=week", (long long)root), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "items.0.bucket"), "2024W01");        /* 2024-01-01 was a Monday */
    assert_string_equal(jstr(j, "items.0.from"), "2024-01-01");
    json_decref(j);
    expect_api_error("GET", P("/stats/series?org_id=%lld&period=2024&grain=hour", (long long)root), admin, NULL, 422, "invalid_field", "grain");
    expect_api_error("GET", P("/stats/series?org_id=%lld&period=2020..2024&grain=day", (long long)root), admin, NULL, 422, "invalid_field", "period");
    expect_api_error("GET", P("/stats/series?org_id=%lld&period=2020-01-01..2024-12-31&grain=day", (long long)root), admin, NULL, 422, "invalid_field", "grain");
}

static void test_audience_composition_stays_exact(void **state)
{
    (void)state;
    int64_t youth = stat(admin, root, "2024", "audience.youth"), farmers = stat(admin, root, "2024", "audience.farmers");
    int64_t id = record(point, "exhibition", "farmers", "2024-07-01", 30);
    assert_int_equal(stat(admin, root, "2024", "audience.farmers"), farmers + 1);
    assert_int_equal(stat(d_admin, dist, "2024", "audience.farmers"), farmers + 1);   /* all of it is in this district */
    expect_status(api("PATCH", P("/activities/%lld", (long long)id), admin, jpack("{s:s}", "audience", "youth"), NULL), NULL, 200);
    assert_int_equal(stat(admin, root, "2024", "audience.farmers"), farmers);
    assert_int_equal(stat(admin, root, "2024", "audience.youth"), youth + 1);
    assert_int_equal(stat(admin, root, "2024", "kind.exhibition"), 1);
    expect_status(api("DELETE", P("/activities/%lld", (long long)id), admin, NULL, NULL), NULL, 204);
    assert_int_equal(stat(admin, root, "2024", "audience.youth"), youth);
    assert_int_equal(stat(admin, root, "2024", "kind.exhibition"), 0);
    /* children answer audience metrics too */
    json_t *j = NULL;
    expect_status(api("GET", P("/stats/children?org_id=%lld&period=2024&metrics=audience.youth", (long long)root), admin, NULL, &j), j, 200);
    assert_int_equal(json_integer_value(json_object_get(jget(j, "items.0.values"), "audience.youth")), youth);
    json_decref(j);
    expect_status(api("GET", "/activity-audiences", d_admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 6);
    assert_string_equal(jstr(j, "items.0.name"), "青少年");
    json_decref(j);
    expect_api_error("GET", P("/stats?org_id=%lld&period=2024&metrics=audience.", (long long)root), admin, NULL, 422, "invalid_field", "metrics");
}

static void test_admins_extend_the_kinds(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/activity-kinds", admin, jpack("{s:s, s:s, s:i}", "code", "science_show", "name", "科学秀", "sort", 12), &j), j, 201);
    assert_true(json_is_true(jget(j, "active")));
    json_decref(j);
    record(point, "science_show", "youth", "2024-08-08", 90);
    assert_int_equal(stat(admin, root, "2024", "kind.science_show"), 1);
    expect_api_error("POST", "/activity-kinds", admin, jpack("{s:s, s:s}", "code", "science_show", "name", "又一个"), 409, "duplicate", "code");
    expect_api_error("POST", "/activity-kinds", admin, jpack("{s:s, s:s}", "code", "Bad Code", "name", "坏"), 422, "invalid_field", "code");
    expect_api_error("POST", "/activity-kinds", d_admin, jpack("{s:s, s:s}", "code", "mine", "name", "我的"), 403, "forbidden", NULL);
    expect_api_error("PATCH", "/activity-kinds/science_show", admin, jpack("{s:s}", "code", "other"), 422, "read_only_field", "code");
    expect_api_error("PATCH", "/activity-kinds/nothing_here", admin, jpack("{s:s}", "name", "无"), 404, "not_found", "*");
    /* retired: kept for the records, refused for new ones */
    expect_status(api("PATCH", "/activity-kinds/science_show", admin, jpack("{s:b}", "active", 0), &j), j, 200);
    assert_true(json_is_false(jget(j, "active")));
    json_decref(j);
    expect_api_error("POST", "/activities", admin,
                     jpack("{s:I, s:s, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)point, "kind", "science_show", "title", "x",
                           "start_date", "2024-08-09", "end_date", "2024-08-09", "participants", 1), 422, "invalid_field", "kind");
    assert_int_equal(stat(admin, root, "2024", "kind.science_show"), 1);
    assert_true(list_total(admin, "/audit?entity=activity_kind") >= 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows_are_periods),
        cmocka_unit_test(test_window_input_is_checked),
        cmocka_unit_test(test_series_sum_to_the_period),
        cmocka_unit_test(test_audience_composition_stays_exact),
        cmocka_unit_test(test_admins_extend_the_kinds),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
