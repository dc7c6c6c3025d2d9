/* test_forms.c - periodic report forms over HTTP: a city form filled by its districts, saved as
 * a draft, submitted (figures join the roll-ups, the report locks), returned by the upper level
 * with a reason (figures leave, it unlocks), completeness per period; bad input names its field. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *dist_admin;
static int64_t root, dist_a, dist_b, form_id;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "填报甲区");
    dist_b = create_org(admin, root, "district", "填报乙区");
    create_user(admin, "form_a_admin", dist_a, "org_admin", "subtree", 0);
    dist_admin = login("form_a_admin", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    free(dist_admin);
    return server_stop(state);
}

static int64_t city_total(const char *metric)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/stats?org_id=%lld&period=2025-10&metrics=%s", (long long)root, metric), admin, NULL, &j), j, 200);
    int64_t v = json_integer_value(json_object_get(jget(j, "values"), metric));
    json_decref(j);
    return v;
}

static json_t *report(const char *token, int64_t org, const char *period, int trainings, int people, bool submit, int want)
{
    json_t *j = NULL;
    int st = api("POST", P("/forms/%lld/reports", (long long)form_id), token,
                 jpack("{s:I, s:s, s:{s:i, s:i}, s:b}", "org_id", (json_int_t)org, "period", period, "values",
                       "trainings", trainings, "people", people, "submit", submit), &j);
    expect_status(st, j, want);
    return j;
}

static void test_define_a_form(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/forms", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:i, s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}]}", "org_id", (json_int_t)root,
                            "title", "区县月度科普工作报表", "period_type", "month", "filler_type", "district",
                            "deadline_days", 10, "fields", "key", "trainings", "label", "培训场次", "metric", "activities",
                            "key", "people", "label", "参与人次", "metric", "participants"), &j), j, 201);
    form_id = jint(j, "id");
    json_decref(j);
    /* the district that fills it sees it */
    expect_status(api("GET", P("/forms/%lld", (long long)form_id), dist_admin, NULL, NULL), NULL, 200);
    expect_api_error("POST", "/forms", admin,
                     jpack("{s:I, s:s, s:s, s:s, s:i, s:[{s:s, s:s, s:s}]}", "org_id", (json_int_t)root, "title", "x",
                           "period_type", "week", "filler_type", "district", "deadline_days", 1, "fields",
                           "key", "a", "label", "A", "metric", "activities"), 422, "invalid_field", "period_type");
    expect_api_error("POST", "/forms", admin,
                     jpack("{s:I, s:s, s:s, s:s, s:i, s:[{s:s, s:s, s:s}]}", "org_id", (json_int_t)root, "title", "x",
                           "period_type", "month", "filler_type", "district", "deadline_days", 1, "fields",
                           "key", "a", "label", "A", "metric", "happiness"), 422, "invalid_field", "fields");
    expect_api_error("POST", "/forms", dist_admin,
                     jpack("{s:I, s:s, s:s, s:s, s:i, s:[{s:s, s:s, s:s}]}", "org_id", (json_int_t)root, "title", "x",
                           "period_type", "month", "filler_type", "point", "deadline_days", 1, "fields",
                           "key", "a", "label", "A", "metric", "activities"), 404, "not_found", "org_id");
}

static void test_submit_lock_return(void **state)
{
    (void)state;
    int64_t before = city_total("participants");
    json_t *j = report(dist_admin, dist_a, "2025-10", 3, 200, false, 200);
    assert_string_equal(jstr(j, "status"), "draft");
    int64_t sid = jint(j, "id");
    json_decref(j);
    assert_int_equal(city_total("participants"), before);            /* a draft counts nowhere */
    json_decref(report(dist_admin, dist_a, "2025-10", 4, 250, true, 200));
    assert_int_equal(city_total("participants"), before + 250);       /* submitted: in the roll-ups */
    assert_int_equal(city_total("activities"), 4);
    j = report(dist_admin, dist_a, "2025-10", 9, 999, true, 409);
    assert_string_equal(err_code(j), "report_locked");
    json_decref(j);
    /* the district cannot unlock its own report; the city can, with a reason */
    expect_api_error("POST", P("/forms/%lld/reports/%lld/return", (long long)form_id, (long long)sid), dist_admin,
                     jpack("{s:s}", "reason", "自己退回"), 403, "forbidden", NULL);
    expect_api_error("POST", P("/forms/%lld/reports/%lld/return", (long long)form_id, (long long)sid), admin,
                     jpack("{s:s}", "reason", ""), 422, "invalid_field", "reason");
    expect_status(api("POST", P("/forms/%lld/reports/%lld/return", (long long)form_id, (long long)sid), admin,
                      jpack("{s:s}", "reason", "参与人次与活动记录不符"), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "returned");
    json_decref(j);
    assert_int_equal(city_total("participants"), before);             /* returned: out again */
    json_decref(report(dist_admin, dist_a, "2025-10", 4, 240, true, 200));
    assert_int_equal(city_total("participants"), before + 240);
}

static void test_completeness_lists_missing_units(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", P("/forms/%lld/completeness?period=2025-10", (long long)form_id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units_total"), 2);
    assert_int_equal(jint(j, "submitted"), 1);
    assert_int_equal(jint(j, "missing"), 1);
    assert_string_equal(jstr(j, "deadline"), "2025-11-10");
    size_t i;
    json_t *u;
    json_array_foreach(jget(j, "units"), i, u) {
        if (jint(u, "org_id") == dist_b) {
            assert_string_equal(jstr(u, "status"), "missing");
            assert_true(json_is_true(jget(u, "overdue")));
        }
    }
    json_decref(j);
}

static void test_bad_reports_change_nothing(void **state)
{
    (void)state;
    int64_t before = city_total("participants");
    expect_api_error("POST", P("/forms/%lld/reports", (long long)form_id), dist_admin,
                     jpack("{s:I, s:s, s:{s:i}}", "org_id", (json_int_t)dist_a, "period", "2025Q4", "values", "people", 1),
                     422, "invalid_field", "period");
    expect_api_error("POST", P("/forms/%lld/reports", (long long)form_id), dist_admin,
                     jpack("{s:I, s:s, s:{s:i}}", "org_id", (json_int_t)dist_a, "period", "2025-09", "values", "people", -5),
                     422, "invalid_field", "values.people");
    expect_api_error("POST", P("/forms/%lld/reports", (long long)form_id), dist_admin,
                     jpack("{s:I, s:s, s:{s:i}}", "org_id", (json_int_t)dist_a, "period", "2025-09", "values", "gold", 5),
                     422, "unknown_field", "values.gold");
    expect_api_error("POST", P("/forms/%lld/reports", (long long)form_id), dist_admin,
                     jpack("{s:I, s:s, s:{s:i}}", "org_id", (json_int_t)dist_b, "period", "2025-09", "values", "people", 5),
                     404, "not_found", "org_id");
    assert_int_equal(city_total("participants"), before);
}

/* A unit reloads its saved report to go on filling it; the upper level exports completeness. */
static void test_reports_list_and_completeness_export(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", P("/forms/%lld/reports?org_id=%lld&period=2025-10", (long long)form_id, (long long)dist_a),
                      dist_admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_string_equal(jstr(j, "items.0.status"), "submitted");
    assert_int_equal(jint(j, "items.0.values.people"), 240);
    json_decref(j);
    /* a draft of another period is listed with its own values */
    json_decref(report(dist_admin, dist_a, "2025-08", 2, 77, false, 200));
    expect_status(api("GET", P("/forms/%lld/reports?org_id=%lld", (long long)form_id, (long long)dist_a), dist_admin,
                      NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    assert_string_equal(jstr(j, "items.0.period"), "2025-10");       /* newest first */
    assert_int_equal(jint(j, "items.1.values.people"), 77);
    json_decref(j);
    /* another district is outside the caller's scope: 404 on its org_id, as every list answers
     * (it used to be an empty list); bad periods are refused */
    expect_api_error("GET", P("/forms/%lld/reports?org_id=%lld", (long long)form_id, (long long)dist_b), dist_admin,
                     NULL, 404, "not_found", "org_id");
    expect_api_error("GET", P("/forms/%lld/reports?org_id=%lld&period=2025-10", (long long)form_id, (long long)root),
                     dist_admin, NULL, 404, "not_found", "org_id");
    /* the city sees the other district's (empty) list */
    expect_status(api("GET", P("/forms/%lld/reports?org_id=%lld", (long long)form_id, (long long)dist_b), admin,
                      NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 0);
    json_decref(j);
    expect_api_error("GET", P("/forms/%lld/reports?period=2025Q3", (long long)form_id), dist_admin, NULL, 422,
                     "invalid_field", "period");

    http_resp resp;
    assert_int_equal(api_full("GET", P("/forms/%lld/completeness/export.xlsx?period=2025-10", (long long)form_id), admin,
                              NULL, &resp), 200);
    char *xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "填报甲区"));
    assert_non_null(strstr(xml, "填报乙区"));
    assert_non_null(strstr(xml, "未填报"));
    assert_non_null(strstr(xml, "期次 2025-10 填报完成情况"));   /* the title row */
    assert_null(strstr(xml, "+08:00"));                          /* 提交时间 is a date cell */
    free(xml);
    http_resp_free(&resp);
    expect_api_error("GET", P("/forms/%lld/completeness/export.xlsx?period=2025", (long long)form_id), admin, NULL, 422,
                     "invalid_field", "period");
}

/* The part of one source in /stats/sources of a node for 2025-10, and the total beside it. */
static int64_t source_part(json_t *j, const char *source, const char *metric)
{
    json_t *item;
    size_t i;
    json_array_foreach(json_object_get(j, "sources"), i, item)
        if (!strcmp(jstr(item, "source"), source)) return jint(jget(item, "values"), metric);
    fail_msg("no source %s in /stats/sources", source);
    return -1;
}

static json_t *sources_of(int64_t org)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/stats/sources?org_id=%lld&period=2025-10", (long long)org), admin, NULL, &j), j, 200);
    /* the parts add up to the totals the dashboard shows, metric by metric: nothing counts twice */
    static const char *const metrics[] = {"activities", "participants", "materials", "videos", "views",
                                          "volunteers", "volunteer_hours", "funds"};
    for (size_t m = 0; m < sizeof metrics / sizeof *metrics; m++) {
        int64_t sum = 0;
        json_t *item;
        size_t i;
        json_array_foreach(json_object_get(j, "sources"), i, item) sum += jint(jget(item, "values"), metrics[m]);
        assert_int_equal(sum, jint(jget(j, "total"), metrics[m]));
    }
    return j;
}

/* Issue 14 item 17: a figure is traced to its sources, the activity register and the submitted
 * report forms, each part from its own records; a returned report leaves its part. */
static void test_sources_of_a_figure(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/activities", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i}", "org_id", (json_int_t)dist_b, "kind", "lecture",
                            "title", "来源核对讲座", "start_date", "2025-10-05", "end_date", "2025-10-05",
                            "participants", 30, "funds", 1200), &j), j, 201);
    json_decref(j);
    expect_status(api("POST", "/activities", admin,     /* another month: outside the period */
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i}", "org_id", (json_int_t)dist_b, "kind", "lecture",
                            "title", "下月讲座", "start_date", "2025-11-02", "end_date", "2025-11-02",
                            "participants", 500, "funds", 999), &j), j, 201);
    json_decref(j);
    j = report(admin, dist_b, "2025-10", 2, 80, true, 200);
    int64_t sid = jint(j, "id");
    json_decref(j);
    j = sources_of(dist_b);
    assert_int_equal(source_part(j, "activities", "activities"), 1);
    assert_int_equal(source_part(j, "activities", "participants"), 30);
    assert_int_equal(source_part(j, "activities", "funds"), 1200);
    assert_int_equal(source_part(j, "report_forms", "activities"), 2);
    assert_int_equal(source_part(j, "report_forms", "participants"), 80);
    assert_int_equal(source_part(j, "volunteer_service", "volunteers"), 0);
    assert_int_equal(jint(jget(j, "total"), "participants"), 110);
    json_decref(j);
    expect_status(api("POST", P("/forms/%lld/reports/%lld/return", (long long)form_id, (long long)sid), admin,
                      jpack("{s:s}", "reason", "与活动登记重复"), &j), j, 200);
    json_decref(j);
    j = sources_of(dist_b);
    assert_int_equal(source_part(j, "report_forms", "participants"), 0);
    assert_int_equal(jint(jget(j, "total"), "participants"), 30);
    json_decref(j);
    /* another district's sources are not the caller's to see; a period is required */
    expect_api_error("GET", P("/stats/sources?org_id=%lld&period=2025-10", (long long)dist_b), dist_admin, NULL, 404,
                     "not_found", "org_id");
    expect_api_error("GET", P("/stats/sources?org_id=%lld", (long long)dist_a), dist_admin, NULL, 422, "invalid_field",
                     "period");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_define_a_form),
        cmocka_unit_test(test_submit_lock_return),
        cmocka_unit_test(test_completeness_lists_missing_units),
        cmocka_unit_test(test_bad_reports_change_nothing),
        cmocka_unit_test(test_reports_list_and_completeness_export),
        cmocka_unit_test(test_sources_of_a_figure),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
