/* test_literacy.c - literacy surveys and the literacy_rate ratio metric (issue 17 C) over HTTP:
 * the city's rate is the population-weighted value this test computes from the district rows it
 * entered (Σ literate / Σ population, not the average of the districts' rates); the same by group;
 * a node without population has no rate (null); a row that would count twice (an ancestor's or a
 * descendant's of the same year and group) and a second row of a node are refused; a change and a
 * delete move the city's rate; the series by year; a target with goal 15.00 tracked against it;
 * the import's dry run writes nothing and reports every bad row, its commit enters the good ones;
 * the org form's population is stored; `kepu stats verify` is clean after it all.
 *
 *   root(city) ─┬─ A(district, 520,000) ─── S(street)
 *               ├─ B(district, 1,030,000)
 *               └─ C(district, no population) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *city, *a_staff;
static int64_t root, dist_a, dist_b, dist_c, street_s;
#define POP_A 520000
#define POP_B 1030000
#define POP_C 310000

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "素质甲区");
    dist_b = create_org(admin, root, "district", "素质乙区");
    dist_c = create_org(admin, root, "district", "素质丙区");
    street_s = create_org(admin, dist_a, "street", "素质甲区街道");
    create_user(admin, "lit_city", root, "staff", "subtree", 0);
    create_user(admin, "lit_a", dist_a, "staff", "subtree", 0);
    city = login("lit_city", USER_PASSWORD);
    a_staff = login("lit_a", USER_PASSWORD);
    json_t *j = NULL;
    expect_status(api("PATCH", P("/orgs/%lld", (long long)dist_a), admin, jpack("{s:I}", "population", (json_int_t)POP_A), &j), j,
                  200);
    assert_int_equal(jint(j, "population"), POP_A);
    json_decref(j);
    expect_status(api("PATCH", P("/orgs/%lld", (long long)dist_b), admin, jpack("{s:I}", "population", (json_int_t)POP_B), &j), j,
                  200);
    json_decref(j);
    /* a node created with its population keeps it; a rename keeps it too */
    expect_status(api("POST", "/orgs", admin,
                      jpack("{s:I, s:s, s:s, s:I}", "parent_id", (json_int_t)dist_b, "type", "street", "name", "素质乙区街道",
                            "population", (json_int_t)65000), &j), j, 201);
    int64_t street_b = jint(j, "id");
    assert_int_equal(jint(j, "population"), 65000);
    json_decref(j);
    expect_status(api("PATCH", P("/orgs/%lld", (long long)street_b), admin, jpack("{s:s}", "name", "素质乙区新街道"), &j), j, 200);
    assert_int_equal(jint(j, "population"), 65000);
    json_decref(j);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(city), free(a_staff);
    return server_stop(state);
}

/* POST a row; returns its id (the answer checked to be 201). rate is JSON text ("12.34"). */
static int64_t enter(const char *token, int64_t org, int year, const char *dim, const char *value, const char *rate,
                     int64_t pop)
{
    json_t *body = jpack("{s:I, s:I, s:s, s:o}", "org_id", (json_int_t)org, "year", (json_int_t)year, "group_dim", dim,
                         "literate_rate", json_loads(rate, JSON_DECODE_ANY, NULL));
    if (value) json_object_set_new(body, "group_value", json_string(value));
    if (pop) json_object_set_new(body, "weight_population", json_integer(pop));
    json_t *j = NULL;
    expect_status(api("POST", "/literacy/surveys", token, body, &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

/* The weighted rate in hundredths of a percent, as the test computes it from rows (bp, pop):
 * literate residents rounded per row, then Σ literate x 10000 / Σ population rounded. */
static int64_t weighted(const int64_t *bp, const int64_t *pop, int n)
{
    int64_t num = 0, den = 0;
    for (int i = 0; i < n; i++) num += (bp[i] * pop[i] + 5000) / 10000, den += pop[i];
    return (num * 10000 * 2 + den) / (2 * den);
}

/* A value of /stats as hundredths (-1 for null); fails unless 200. */
static int64_t stat_e2(const char *token, int64_t org, const char *period, const char *metric)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=%s", (long long)org, period, metric), token, NULL, &j),
                  j, 200);
    json_t *v = json_object_get(jget(j, "values"), metric);
    assert_non_null(v);
    int64_t e2 = json_is_null(v) ? -1 : (int64_t)(json_number_value(v) * 100 + 0.5);
    json_decref(j);
    return e2;
}

static void test_city_rate_is_weighted_not_averaged(void **state)
{
    (void)state;
    /* C has no population: its all row needs one */
    expect_api_error("POST", "/literacy/surveys", city,
                     jpack("{s:I, s:I, s:s, s:f}", "org_id", (json_int_t)dist_c, "year", (json_int_t)2025, "group_dim", "all",
                           "literate_rate", 11.5),
                     422, "required", "weight_population");
    assert_int_equal(stat_e2(city, root, "2025", "literacy_rate"), -1);   /* no data: null, not 0 */
    enter(a_staff, dist_a, 2025, "all", NULL, "12.34", 0);               /* weight: A's population */
    enter(city, dist_b, 2025, "all", NULL, "16.10", 0);
    enter(city, dist_c, 2025, "all", NULL, "\"10.05\"", POP_C);          /* a string is taken too */
    int64_t bp[] = {1234, 1610, 1005}, pop[] = {POP_A, POP_B, POP_C};
    int64_t want = weighted(bp, pop, 3), average = (1234 + 1610 + 1005 + 1) / 3;
    assert_true(want != average);   /* the populations differ enough for the two to differ */
    assert_int_equal(stat_e2(city, root, "2025", "literacy_rate"), want);
    assert_int_equal(stat_e2(a_staff, dist_a, "2025", "literacy_rate"), 1234);
    assert_int_equal(stat_e2(city, root, "2024", "literacy_rate"), -1);
    /* /stats/children: each district's own rate */
    json_t *j = NULL;
    expect_status(api("GET", P("/stats/children?org_id=%lld&period=2025&metrics=literacy_rate,activities", (long long)root), city,
                      NULL, &j), j, 200);
    size_t i;
    json_t *it;
    int seen = 0;
    json_array_foreach(jget(j, "items"), i, it) {
        double v = json_number_value(json_object_get(jget(it, "values"), "literacy_rate"));
        if (jint(it, "org_id") == dist_b) assert_int_equal((int64_t)(v * 100 + 0.5), 1610), seen++;
        if (jint(it, "org_id") == dist_c) assert_int_equal((int64_t)(v * 100 + 0.5), 1005), seen++;
    }
    assert_int_equal(seen, 2);
    json_decref(j);
    /* a ratio is not summed into the children's export */
    expect_api_error("GET", P("/stats/children/export.xlsx?org_id=%lld&period=2025&metrics=literacy_rate", (long long)root), city,
                     NULL, 422, "invalid_field", "metrics");
}

static void test_groups_are_weighted_too(void **state)
{
    (void)state;
    enter(a_staff, dist_a, 2025, "gender", "female", "11.02", 255000);
    enter(city, dist_b, 2025, "gender", "female", "15.47", 505000);
    int64_t bp[] = {1102, 1547}, pop[] = {255000, 505000};
    assert_int_equal(stat_e2(city, root, "2025", "literacy_rate.gender.female"), weighted(bp, pop, 2));
    assert_int_equal(stat_e2(city, root, "2025", "literacy_rate.gender.male"), -1);
    /* the all rate did not move with the group rows */
    int64_t abp[] = {1234, 1610, 1005}, apop[] = {POP_A, POP_B, POP_C};
    assert_int_equal(stat_e2(city, root, "2025", "literacy_rate"), weighted(abp, apop, 3));
    expect_api_error("POST", "/literacy/surveys", city,
                     jpack("{s:I, s:I, s:s, s:s, s:f, s:I}", "org_id", (json_int_t)dist_a, "year", (json_int_t)2025, "group_dim",
                           "gender", "group_value", "男", "literate_rate", 12.0, "weight_population", (json_int_t)1000),
                     422, "invalid_field", "group_value");
    expect_api_error("GET", P("/stats?org_id=%lld&period=2025&metrics=literacy_rate.Gender", (long long)root), city, NULL, 422,
                     "invalid_field", "metrics");
}

static void test_no_double_counting(void **state)
{
    (void)state;
    /* the street below A: A has the 2025 all row, so the street's would count twice */
    expect_api_error("POST", "/literacy/surveys", a_staff,
                     jpack("{s:I, s:I, s:s, s:f, s:I}", "org_id", (json_int_t)street_s, "year", (json_int_t)2025, "group_dim",
                           "all", "literate_rate", 9.5, "weight_population", (json_int_t)40000),
                     422, "literacy_overlap", "org_id");
    /* the city above it likewise */
    expect_api_error("POST", "/literacy/surveys", city,
                     jpack("{s:I, s:I, s:s, s:f}", "org_id", (json_int_t)root, "year", (json_int_t)2025, "group_dim", "all",
                           "literate_rate", 13.0),
                     422, "literacy_overlap", "org_id");
    /* another year or group is free; a second row of the node is not */
    enter(a_staff, street_s, 2024, "all", NULL, "9.50", 40000);
    expect_api_error("POST", "/literacy/surveys", a_staff,
                     jpack("{s:I, s:I, s:s, s:f}", "org_id", (json_int_t)dist_a, "year", (json_int_t)2025, "group_dim", "all",
                           "literate_rate", 13.0),
                     409, "duplicate", "group_value");
    expect_api_error("POST", "/literacy/surveys", a_staff,
                     jpack("{s:I, s:I, s:s, s:f, s:I}", "org_id", (json_int_t)dist_a, "year", (json_int_t)2023, "group_dim", "all",
                           "literate_rate", 14.375, "weight_population", (json_int_t)10),
                     422, "invalid_field", "literate_rate");
    expect_api_error("POST", "/literacy/surveys", a_staff,
                     jpack("{s:I, s:I, s:s}", "org_id", (json_int_t)dist_a, "year", (json_int_t)2023, "group_dim", "all"), 422,
                     "required", "literate_rate");
    assert_int_equal(stat_e2(city, root, "2024", "literacy_rate"), 950);
    /* the rule holds across a move: the street (a 2022 row) cannot go under a district with a
     * 2022 row, and stays where it was; under a district without one it may, and back */
    enter(a_staff, street_s, 2022, "all", NULL, "9.00", 40000);
    int64_t dist_d = create_org(admin, root, "district", "素质丁区");
    enter(city, dist_d, 2022, "all", NULL, "11.00", 30000);
    expect_api_error("PATCH", P("/orgs/%lld", (long long)street_s), admin, jpack("{s:I}", "parent_id", (json_int_t)dist_d),
                     409, "move_double_count", "parent_id");
    json_t *j = NULL;
    expect_status(api("GET", P("/orgs/%lld", (long long)street_s), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "parent_id"), dist_a);
    json_decref(j);
    expect_status(api("PATCH", P("/orgs/%lld", (long long)street_s), admin, jpack("{s:I}", "parent_id", (json_int_t)dist_c), &j),
                  j, 200);
    json_decref(j);
    expect_status(api("PATCH", P("/orgs/%lld", (long long)street_s), admin, jpack("{s:I}", "parent_id", (json_int_t)dist_a), &j),
                  j, 200);
    json_decref(j);
}

static void test_change_and_delete_move_the_rate(void **state)
{
    (void)state;
    int64_t id = enter(city, dist_b, 2026, "all", NULL, "15.00", 0);
    int64_t a26 = enter(a_staff, dist_a, 2026, "all", NULL, "13.00", 0);
    int64_t bp[] = {1300, 1500}, pop[] = {POP_A, POP_B};
    assert_int_equal(stat_e2(city, root, "2026", "literacy_rate"), weighted(bp, pop, 2));
    json_t *j = NULL;
    expect_status(api("PATCH", P("/literacy/surveys/%lld", (long long)id), city, jpack("{s:f}", "literate_rate", 17.25), &j), j,
                  200);
    assert_int_equal((int64_t)(json_number_value(jget(j, "literate_rate")) * 100 + 0.5), 1725);
    json_decref(j);
    bp[1] = 1725;
    assert_int_equal(stat_e2(city, root, "2026", "literacy_rate"), weighted(bp, pop, 2));
    expect_api_error("PATCH", P("/literacy/surveys/%lld", (long long)id), city, jpack("{s:I}", "year", (json_int_t)2020), 422,
                     "*", "year");
    expect_status(api("DELETE", P("/literacy/surveys/%lld", (long long)a26), a_staff, NULL, &j), j, 204);
    json_decref(j);
    assert_int_equal(stat_e2(city, root, "2026", "literacy_rate"), 1725);
    /* the series by year: 2024 the street's, 2025 the districts', 2026 B's */
    expect_status(api("GET", P("/stats/series?org_id=%lld&period=2024-01-01..2026-12-31&grain=year&metrics=literacy_rate",
                               (long long)root), city, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 3);
    assert_int_equal((int64_t)(json_number_value(jget(j, "items.0.values.literacy_rate")) * 100 + 0.5), 950);
    assert_int_equal((int64_t)(json_number_value(jget(j, "items.2.values.literacy_rate")) * 100 + 0.5), 1725);
    json_decref(j);
}

static void test_target_on_the_rate(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/targets", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:f}", "org_id", (json_int_t)root, "title", "公民科学素质比例达到15%", "metric",
                            "literacy_rate", "period", "2025", "goal", 15.0),
                      &j), j, 201);
    int64_t id = jint(j, "id");
    assert_int_equal(jint(j, "goal"), 1500);
    assert_true(json_is_number(jget(j, "goal_value")) && json_number_value(jget(j, "goal_value")) == 15.0);
    json_decref(j);
    int64_t abp[] = {1234, 1610, 1005}, apop[] = {POP_A, POP_B, POP_C};
    int64_t actual = weighted(abp, apop, 3);
    expect_status(api("GET", P("/targets/%lld/progress?today=2026-01-10", (long long)id), admin, NULL, &j), j, 200);
    assert_int_equal((int64_t)(json_number_value(jget(j, "actual")) * 100 + 0.5), actual);
    assert_int_equal((int64_t)(json_number_value(jget(j, "goal")) * 100 + 0.5), 1500);
    assert_int_equal(jint(j, "percent"), actual * 100 / 1500);
    assert_string_equal(jstr(j, "status"), actual >= 1500 ? "achieved" : "behind");
    json_decref(j);
    /* during the period a rate has no pace: not yet behind */
    expect_status(api("GET", P("/targets/%lld/progress?today=2025-06-01", (long long)id), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), actual >= 1500 ? "achieved" : "on_track");
    json_decref(j);
    /* a goal below B's 16.10 is met by B alone: a per-district target */
    expect_status(api("POST", "/targets", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)root, "title", "各区达到16%", "metric",
                            "literacy_rate", "period", "2025", "goal", "16.00", "applies", "each", "each_type", "district"),
                      &j), j, 201);
    id = jint(j, "id");
    json_decref(j);
    expect_status(api("GET", P("/targets/%lld/progress?today=2026-01-10", (long long)id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units_achieved"), 1);
    json_decref(j);
    expect_api_error("POST", "/targets", admin,
                     jpack("{s:I, s:s, s:s, s:s, s:f}", "org_id", (json_int_t)root, "title", "x", "metric", "literacy_rate",
                           "period", "2025", "goal", 15.005),
                     422, "invalid_field", "goal");
}

static void test_import_dry_run_then_commit(void **state)
{
    (void)state;
    static const char *const headers[] = {"年度", "单位", "人群维度", "人群", "具备科学素质比例(%)", "样本量", "代表人口"};
    const char *cells[] = {
        "2023", "素质甲区", "全体", "", "11.20", "1000", "",          /* good: A's population */
        "2023", "素质乙区", "性别", "男", "14.8%", "600", "520000",    /* good */
        "2023", "素质乙区", "性别", "男", "14.80", "600", "520000",    /* the row above again */
        "2023", "素质甲区", "性别", "未知", "12", "", "1000",           /* no such group */
        "2023", "素质丙区", "全体", "", "101", "", "",                  /* rate > 100 and no population */
        "2025", "素质甲区", "全体", "", "12.00", "", "",               /* A has it already */
        "2023", "不存在的区", "城乡", "城镇", "12.00", "", "1000",      /* no such node */
        "2023", "素质甲区街道", "全体", "", "9.00", "", "1000",         /* below the first row's node: counted twice */
    };
    size_t len;
    char *bytes = import_workbook(7, headers, cells, 7, 8, &len);
    int64_t before = list_total(city, "/literacy/surveys");
    int64_t city23 = stat_e2(city, root, "2023", "literacy_rate");
    json_t *j = NULL;
    expect_status(import_upload("literacy/surveys", city, root, false, bytes, len, &j), j, 200);
    assert_int_equal(jint(j, "valid"), 2);
    assert_int_equal(jint(j, "imported"), 0);
    json_t *errors = jget(j, "errors");
    expect_row_error(errors, 4, "group_value");
    expect_row_error(errors, 5, "group_value");
    assert_string_equal(row_fields(errors, 6), "literate_rate");
    expect_row_error(errors, 7, "group_value");
    expect_row_error(errors, 8, "org_id");
    expect_row_error(errors, 9, "org_id");
    json_decref(j);
    /* the dry run wrote nothing */
    assert_int_equal(list_total(city, "/literacy/surveys"), before);
    assert_int_equal(stat_e2(city, root, "2023", "literacy_rate"), city23);
    expect_status(import_upload("literacy/surveys", city, root, true, bytes, len, &j), j, 200);
    assert_int_equal(jint(j, "imported"), 2);
    json_decref(j);
    free(bytes);
    assert_int_equal(list_total(city, "/literacy/surveys"), before + 2);
    assert_int_equal(stat_e2(city, root, "2023", "literacy_rate"), 1120);
    assert_int_equal(stat_e2(city, root, "2023", "literacy_rate.gender.male"), 1480);
    assert_int_equal(list_total(city, "/literacy/surveys?year=2023&group_dim=gender"), 1);
    expect_import_template(city, "literacy/surveys", "具备科学素质比例(%)", false, "14.37", "文化程度");
    http_resp resp;
    assert_int_equal(api_full("GET", "/literacy/surveys/export?year=2023", city, NULL, &resp), 200);
    char *xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "素质乙区"));
    assert_null(strstr(xml, "素质丙区"));
    free(xml);
    http_resp_free(&resp);
}

/* The district assessment's literacy_rate: each district's 2025 rate against the goal 15.00,
 * value = min(1, rate / goal); a parameter that is no percentage is refused. */
static void test_assessment_source(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", "/assessment-sources", admin, NULL, &j), j, 200);
    char *text = json_dumps(j, 0);
    assert_non_null(strstr(text, "\"literacy_rate\""));
    free(text);
    json_decref(j);
    expect_api_error("POST", "/assessments", admin,
                     jpack("{s:I, s:i, s:s, s:[{s:s, s:s, s:s, s:i}]}", "org_id", (json_int_t)root, "year", 2025, "title", "坏参数",
                           "indicators", "name", "素质", "source", "literacy_rate", "param", "high", "weight", 10),
                     422, "invalid_field", "indicators");
    expect_status(api("POST", "/assessments", admin,
                      jpack("{s:I, s:i, s:s, s:[{s:s, s:s, s:s, s:i}]}", "org_id", (json_int_t)root, "year", 2025, "title",
                            "2025年度公民科学素质", "indicators", "name", "公民科学素质比例", "source", "literacy_rate", "param",
                            "15.00", "weight", 10),
                      &j), j, 201);
    int64_t scheme = jint(j, "id");
    json_decref(j);
    expect_status(api("GET", P("/assessments/%lld/scores", (long long)scheme), admin, NULL, &j), j, 200);
    size_t i;
    json_t *u;
    int seen = 0;
    json_array_foreach(jget(j, "units"), i, u) {
        double v = json_number_value(jget(u, "items.0.value"));
        if (jint(u, "org_id") == dist_a) assert_true(v > 1234.0 / 1500 - 0.001 && v < 1234.0 / 1500 + 0.001), seen++;
        if (jint(u, "org_id") == dist_b) assert_true(v == 1.0), seen++;   /* 16.10 >= 15.00 */
    }
    assert_int_equal(seen, 2);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_city_rate_is_weighted_not_averaged),
        cmocka_unit_test(test_groups_are_weighted_too),
        cmocka_unit_test(test_no_double_counting),
        cmocka_unit_test(test_change_and_delete_move_the_rate),
        cmocka_unit_test(test_target_on_the_rate),
        cmocka_unit_test(test_import_dry_run_then_commit),
        cmocka_unit_test(test_assessment_source),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
