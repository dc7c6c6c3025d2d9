/* test_targets_scope.c - targets set above a district for each of its units, over HTTP: the
 * district admin lists them (overall and on its own node) and reads their progress counted on
 * its own points only; a target for the city's whole subtree stays the city's; the share of units
 * achieved is rounded down (2 of 3 is 66, never rounded up) with the status it implies. A target
 * with each_title (issue 15) counts only the units holding that title on the day read, in the
 * district's view as in the city's. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *d_admin, *d2_admin;
static int64_t root, dist, dist2, points[3], other_point;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist = create_org(admin, root, "district", "目标区");
    dist2 = create_org(admin, root, "district", "目标二区");
    for (int i = 0; i < 3; i++) points[i] = create_org(admin, dist, "point", P("目标教学点%d", i));
    other_point = create_org(admin, dist2, "point", "二区教学点");
    create_user(admin, "tgt_d_admin", dist, "org_admin", "subtree", 0);
    create_user(admin, "tgt_d2_admin", dist2, "org_admin", "subtree", 0);
    d_admin = login("tgt_d_admin", USER_PASSWORD);
    d2_admin = login("tgt_d2_admin", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    free(d_admin);
    free(d2_admin);
    return server_stop(state);
}

static void record(int64_t org)
{
    json_t *j = NULL;
    expect_status(api("POST", "/activities", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)org, "kind", "lecture",
                            "title", "目标测试活动", "start_date", "2024-03-01", "end_date", "2024-03-01",
                            "audience", "youth", "participants", 30), &j), j, 201);
    json_decref(j);
}

static int64_t target(int64_t org, const char *title, const char *applies, const char *each_type)
{
    json_t *j = NULL;
    json_t *body = jpack("{s:I, s:s, s:s, s:s, s:i, s:s}", "org_id", (json_int_t)org, "title", title,
                         "metric", "activities", "period", "2024", "goal", 1, "applies", applies);
    if (each_type) json_object_set_new(body, "each_type", json_string(each_type));
    expect_status(api("POST", "/targets", admin, body, &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static void test_city_each_targets_reach_the_district(void **state)
{
    (void)state;
    int64_t each = target(root, "每个教学点至少1场", "each", "point");
    int64_t whole = target(root, "全市至少100场", "subtree", NULL);
    int64_t own = target(dist2, "二区至少1场", "subtree", NULL);
    record(points[0]);
    record(points[1]);
    record(other_point);

    /* the district's list, overall and on its node: the city's per-point target, not the others */
    json_t *j = NULL;
    const char *paths[] = {"/targets", P("/targets?org_id=%lld", (long long)dist)};
    for (int k = 0; k < 2; k++) {
        expect_status(api("GET", paths[k], d_admin, NULL, &j), j, 200);
        assert_int_equal(jint(j, "total"), 1);
        assert_int_equal(jint(j, "items.0.id"), each);
        json_decref(j);
    }
    /* its progress: the district's three points only, two achieved: 66 (rounded down), behind */
    expect_status(api("GET", P("/targets/%lld/progress?today=2024-12-31", (long long)each), d_admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units_total"), 3);
    assert_int_equal(jint(j, "units_achieved"), 2);
    assert_int_equal(jint(j, "units_behind"), 1);
    assert_int_equal(jint(j, "percent"), 66);
    assert_string_equal(jstr(j, "status"), "behind");
    json_decref(j);
    /* the city admin's view of the same target under the district: its three points */
    expect_status(api("GET", P("/targets/%lld/progress?today=2024-12-31&org_id=%lld", (long long)each, (long long)dist),
                      admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units_total"), 3);
    json_decref(j);
    expect_status(api("GET", P("/targets/%lld/progress?today=2024-12-31", (long long)each), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units_total"), 4);
    assert_int_equal(jint(j, "percent"), 75);
    json_decref(j);
    /* the city's subtree target and another district's stay theirs */
    expect_api_error("GET", P("/targets/%lld/progress", (long long)whole), d_admin, NULL, 404, "not_found", "*");
    expect_api_error("GET", P("/targets/%lld/progress", (long long)own), d_admin, NULL, 404, "not_found", "*");
    expect_api_error("GET", P("/targets/%lld/progress?org_id=%lld", (long long)each, (long long)dist2), d_admin, NULL,
                     404, "not_found", "org_id");
    /* the other district's list: the per-point target and its own */
    expect_status(api("GET", "/targets", d2_admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 2);
    assert_true(items_have_id(jget(j, "items"), each));
    assert_true(items_have_id(jget(j, "items"), own));
    json_decref(j);
    /* all points achieved: 100 and achieved */
    record(points[2]);
    expect_status(api("GET", P("/targets/%lld/progress?today=2024-12-31", (long long)each), d_admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "percent"), 100);
    assert_string_equal(jstr(j, "status"), "achieved");
    json_decref(j);
}

static void grant(int64_t org, const char *from)
{
    json_t *j = NULL;
    expect_status(api("POST", "/designations", admin, jpack("{s:s, s:I, s:s}", "kind", "demo_point", "org_id", (json_int_t)org,
                                                           "valid_from", from), &j), j, 201);
    json_decref(j);
}

static void test_each_title_counts_the_holders_on_the_day(void **state)
{
    (void)state;
    json_t *j = NULL, *body = jpack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "org_id", (json_int_t)root, "title",
                                    "示范教学点每点至少1场", "metric", "activities", "period", "2024", "goal", 1, "applies", "each",
                                    "each_type", "point", "each_title", "demo_point");
    expect_status(api("POST", "/targets", admin, body, &j), j, 201);
    int64_t id = jint(j, "id");
    assert_string_equal(jstr(j, "each_title"), "demo_point");
    json_decref(j);
    grant(points[0], "2024-01-01");      /* holds it on the day read */
    grant(points[1], "2025-06-01");      /* titled only later */
    grant(other_point, "2024-01-01");    /* another district's holder */
    expect_status(api("GET", P("/targets/%lld/progress?today=2024-12-31", (long long)id), d_admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units_total"), 1);
    assert_int_equal(jint(j, "units.0.org_id"), points[0]);
    json_decref(j);
    expect_status(api("GET", P("/targets/%lld/progress?today=2024-12-31", (long long)id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units_total"), 2);
    json_decref(j);
    /* as of a day in 2025 inside the later title's term, both of the district's holders count */
    expect_status(api("GET", P("/targets/%lld/progress?today=2025-07-01", (long long)id), d_admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "units_total"), 2);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_city_each_targets_reach_the_district),
        cmocka_unit_test(test_each_title_counts_the_holders_on_the_day),
    };
    return run_api_tests(tests, setup, teardown);
}
