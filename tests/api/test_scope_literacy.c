/* test_scope_literacy.c - the data-scope matrix of literacy surveys (issue 17 C): a district's
 * staff reads and changes its own rows and its streets', never another district's (404, as for a
 * missing id) nor the city's; it cannot enter a row for the city or for another district (404
 * org_id); the city's staff sees and enters all; a teacher is refused (403); statistics of a node
 * outside the scope are 404 for the ratio metric as for the others.
 *
 *   root(city) ─┬─ A(district) ─── S(street)
 *               └─ B(district) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *city, *a_staff, *b_staff, *teacher;
static int64_t root, dist_a, dist_b, street_s, row_a, row_b, row_city, row_s;
static int failures;

static int64_t enter(const char *token, int64_t org, const char *dim, const char *value)
{
    json_t *body = jpack("{s:I, s:I, s:s, s:f, s:I}", "org_id", (json_int_t)org, "year", (json_int_t)2025, "group_dim", dim,
                         "literate_rate", 12.5, "weight_population", (json_int_t)100000);
    if (value) json_object_set_new(body, "group_value", json_string(value));
    json_t *j = NULL;
    expect_status(api("POST", "/literacy/surveys", token, body, &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "范围素质甲区");
    dist_b = create_org(admin, root, "district", "范围素质乙区");
    street_s = create_org(admin, dist_a, "street", "范围素质甲街道");
    create_user(admin, "sl_city", root, "staff", "subtree", 0);
    create_user(admin, "sl_a", dist_a, "staff", "subtree", 0);
    create_user(admin, "sl_b", dist_b, "staff", "subtree", 0);
    create_user(admin, "sl_teacher", dist_a, "teacher", "subtree", 0);
    city = login("sl_city", USER_PASSWORD);
    a_staff = login("sl_a", USER_PASSWORD);
    b_staff = login("sl_b", USER_PASSWORD);
    teacher = login("sl_teacher", USER_PASSWORD);
    row_a = enter(a_staff, dist_a, "all", NULL);
    row_s = enter(a_staff, street_s, "gender", "female");
    row_b = enter(b_staff, dist_b, "all", NULL);
    row_city = enter(city, root, "area", "urban");
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(city), free(a_staff), free(b_staff), free(teacher);
    return server_stop(state);
}

static void row(const char *who, const char *token, const char *method, const char *fmt, int64_t id, const char *body, int want)
{
    if (!scope_row(who, token, method, fmt, id, body, want)) failures++;
}

static void test_rows_are_the_node_s(void **state)
{
    (void)state;
    failures = 0;
    const char *patch = "{\"note\": \"改\"}";
    row("A", a_staff, "GET", "/literacy/surveys/%lld", row_a, NULL, 200);
    row("A", a_staff, "GET", "/literacy/surveys/%lld", row_s, NULL, 200);
    row("A", a_staff, "GET", "/literacy/surveys/%lld", row_b, NULL, 404);
    row("A", a_staff, "GET", "/literacy/surveys/%lld", row_city, NULL, 404);
    row("A", a_staff, "PATCH", "/literacy/surveys/%lld", row_s, patch, 200);
    row("A", a_staff, "PATCH", "/literacy/surveys/%lld", row_b, patch, 404);
    row("A", a_staff, "PATCH", "/literacy/surveys/%lld", row_city, patch, 404);
    row("A", a_staff, "DELETE", "/literacy/surveys/%lld", row_b, NULL, 404);
    row("A", a_staff, "DELETE", "/literacy/surveys/%lld", row_city, NULL, 404);
    row("B", b_staff, "GET", "/literacy/surveys/%lld", row_a, NULL, 404);
    row("B", b_staff, "GET", "/literacy/surveys/%lld", row_s, NULL, 404);
    row("B", b_staff, "PATCH", "/literacy/surveys/%lld", row_a, patch, 404);
    row("B", b_staff, "DELETE", "/literacy/surveys/%lld", row_a, NULL, 404);
    row("city", city, "GET", "/literacy/surveys/%lld", row_a, NULL, 200);
    row("city", city, "GET", "/literacy/surveys/%lld", row_b, NULL, 200);
    row("city", city, "PATCH", "/literacy/surveys/%lld", row_b, patch, 200);
    row("teacher", teacher, "GET", "/literacy/surveys/%lld", row_a, NULL, 403);
    row("teacher", teacher, "PATCH", "/literacy/surveys/%lld", row_a, patch, 403);
    assert_int_equal(failures, 0);
    assert_int_equal(list_total(a_staff, "/literacy/surveys"), 2);
    assert_int_equal(list_total(b_staff, "/literacy/surveys"), 1);
    assert_int_equal(list_total(city, "/literacy/surveys"), 4);
    expect_api_error("GET", P("/literacy/surveys?org_id=%lld", (long long)dist_b), a_staff, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", "/literacy/surveys", teacher, NULL, 403, "forbidden", "*");
}

static void test_entering_for_others_is_refused(void **state)
{
    (void)state;
    /* a district cannot write the city's row nor another district's: the org is not found */
    expect_api_error("POST", "/literacy/surveys", a_staff,
                     jpack("{s:I, s:I, s:s, s:f, s:I}", "org_id", (json_int_t)root, "year", (json_int_t)2024, "group_dim", "all",
                           "literate_rate", 12.5, "weight_population", (json_int_t)100000),
                     404, "not_found", "org_id");
    expect_api_error("POST", "/literacy/surveys", a_staff,
                     jpack("{s:I, s:I, s:s, s:f, s:I}", "org_id", (json_int_t)dist_b, "year", (json_int_t)2024, "group_dim", "all",
                           "literate_rate", 12.5, "weight_population", (json_int_t)100000),
                     404, "not_found", "org_id");
    /* B's import for A's node likewise: the unit is outside its scope */
    json_t *j = NULL;
    expect_status(import_upload("literacy/surveys", b_staff, dist_a, false, "x", 1, &j), j, 404);
    json_decref(j);
    /* the ratio metric of a node outside the scope is 404 like any statistic */
    expect_api_error("GET", P("/stats?org_id=%lld&period=2025&metrics=literacy_rate", (long long)dist_b), a_staff, NULL, 404,
                     "not_found", "org_id");
    expect_status(api("GET", P("/stats?org_id=%lld&period=2025&metrics=literacy_rate", (long long)dist_a), a_staff, NULL, &j), j,
                  200);
    assert_true(json_number_value(jget(j, "values.literacy_rate")) == 12.5);
    json_decref(j);
    /* the export holds only the caller's rows */
    http_resp resp;
    assert_int_equal(api_full("GET", "/literacy/surveys/export", b_staff, NULL, &resp), 200);
    char *xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "范围素质乙区"));
    assert_null(strstr(xml, "范围素质甲区"));
    free(xml);
    http_resp_free(&resp);
}

/* The dictionary and the import routes by role: the groups are for every signed-in member (a form
 * needs them), the template and the import for staff; anonymous callers get 401. */
static void test_groups_and_import_routes_by_role(void **state)
{
    (void)state;
    failures = 0;
    row("teacher", teacher, "GET", "/literacy/groups", 0, NULL, 200);
    row("anonymous", NULL, "GET", "/literacy/groups", 0, NULL, 401);
    row("A", a_staff, "GET", "/literacy/surveys/import/template.xlsx", 0, NULL, 200);
    row("teacher", teacher, "GET", "/literacy/surveys/import/template.xlsx", 0, NULL, 403);
    row("anonymous", NULL, "GET", "/literacy/surveys/import/template.xlsx", 0, NULL, 401);
    assert_int_equal(failures, 0);
    http_resp resp;
    assert_int_equal(api_full("POST", "/literacy/surveys/import", teacher, NULL, &resp), 403);
    http_resp_free(&resp);
    assert_int_equal(api_full("POST", "/literacy/surveys/import", NULL, NULL, &resp), 401);
    http_resp_free(&resp);
    /* the groups answer the dictionary: every dimension but "all" has its values, each labelled */
    json_t *j = NULL;
    expect_status(api("GET", "/literacy/groups", a_staff, NULL, &j), j, 200);
    json_t *items = json_object_get(j, "items"), *it;
    size_t i, female = 0, urban = 0;
    assert_true(json_array_size(items) >= 10);
    json_array_foreach(items, i, it) {
        const char *dim = json_string_value(json_object_get(it, "group_dim"));
        const char *value = json_string_value(json_object_get(it, "group_value"));
        assert_non_null(dim), assert_non_null(value);
        assert_true(strlen(json_string_value(json_object_get(it, "label"))) > 0);
        female += !strcmp(dim, "gender") && !strcmp(value, "female");
        urban += !strcmp(dim, "area") && !strcmp(value, "urban");
    }
    assert_int_equal(female, 1), assert_int_equal(urban, 1);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_are_the_node_s),
        cmocka_unit_test(test_entering_for_others_is_refused),
        cmocka_unit_test(test_groups_and_import_routes_by_role),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
