/* test_scope_questions.c - the data-scope matrix of the question bank (issue 17 A). A node's bank
 * is read by its whole subtree (their contests draw from it) and written only by the node and
 * those above it: district B's staff read the city's question but neither change nor retire it,
 * and do not see district A's at all (404, the same answer as a missing id); a point below A reads
 * A's bank without writing it; review needs an administrator of the owner or above; a teacher is
 * refused (403).
 *
 *   root(city) ─┬─ A(district) ─── P(point)
 *               └─ B(district) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *city, *a_staff, *a_admin, *b_staff, *b_admin, *p_staff, *teacher;
static int64_t root, dist_a, dist_b, point_p, city_q, a_q;

static int64_t question(const char *token, const char *stem)
{
    json_t *j = NULL;
    expect_status(api("POST", "/questions", token,
                      jpack("{s:s, s:s, s:i, s:s, s:b}", "type", "true_false", "category", "lit_society", "difficulty", 2,
                            "stem", stem, "answer", 1), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "题库范围甲区");
    dist_b = create_org(admin, root, "district", "题库范围乙区");
    point_p = create_org(admin, dist_a, "point", "甲区题库教学点");
    create_user(admin, "qs_city", root, "staff", "subtree", 0);
    create_user(admin, "qs_a", dist_a, "staff", "subtree", 0);
    create_user(admin, "qs_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "qs_b", dist_b, "staff", "subtree", 0);
    create_user(admin, "qs_b_admin", dist_b, "org_admin", "subtree", 0);
    create_user(admin, "qs_p", point_p, "staff", "subtree", 0);
    create_user(admin, "qs_teacher", dist_a, "teacher", "subtree", 0);
    city = login("qs_city", USER_PASSWORD);
    a_staff = login("qs_a", USER_PASSWORD);
    a_admin = login("qs_a_admin", USER_PASSWORD);
    b_staff = login("qs_b", USER_PASSWORD);
    b_admin = login("qs_b_admin", USER_PASSWORD);
    p_staff = login("qs_p", USER_PASSWORD);
    teacher = login("qs_teacher", USER_PASSWORD);
    city_q = question(city, "科学技术是第一生产力。");
    a_q = question(a_staff, "甲区的题：垃圾分类有助于资源回收。");
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(city), free(a_staff), free(a_admin), free(b_staff), free(b_admin), free(p_staff), free(teacher);
    return server_stop(state);
}

static void test_reads(void **state)
{
    (void)state;
    bool ok = true;
    ok &= scope_row("city", city, "GET", "/questions/%lld", a_q, NULL, 200);
    ok &= scope_row("A", a_staff, "GET", "/questions/%lld", a_q, NULL, 200);
    ok &= scope_row("B", b_staff, "GET", "/questions/%lld", a_q, NULL, 404);
    ok &= scope_row("P below A", p_staff, "GET", "/questions/%lld", a_q, NULL, 200);
    ok &= scope_row("B reads the city's", b_staff, "GET", "/questions/%lld", city_q, NULL, 200);
    ok &= scope_row("A reads the city's", a_staff, "GET", "/questions/%lld", city_q, NULL, 200);
    ok &= scope_row("teacher", teacher, "GET", "/questions/%lld", city_q, NULL, 403);
    ok &= scope_row("anonymous", NULL, "GET", "/questions/%lld", city_q, NULL, 401);
    ok &= scope_row("B versions", b_staff, "GET", "/questions/%lld/versions", a_q, NULL, 404);
    ok &= scope_row("A versions", a_staff, "GET", "/questions/%lld/versions", a_q, NULL, 200);
    ok &= scope_row("B versions of the city's", b_staff, "GET", "/questions/%lld/versions", city_q, NULL, 200);
    ok &= scope_row("B lists A", b_staff, "GET", "/questions?org_id=%lld", dist_a, NULL, 404);
    ok &= scope_row("B exports A", b_staff, "GET", "/questions?format=xlsx&org_id=%lld", dist_a, NULL, 404);
    ok &= scope_row("teacher lists", teacher, "GET", "/questions?org_id=%lld", dist_a, NULL, 403);
    ok &= scope_row("teacher's template", teacher, "GET", "/questions/import/template.xlsx%.0lld", 0, NULL, 403);
    ok &= scope_row("B's template", b_staff, "GET", "/questions/import/template.xlsx%.0lld", 0, NULL, 200);
    assert_true(ok);
    assert_int_equal(list_total(b_staff, "/questions"), 1);
    assert_int_equal(list_total(a_staff, "/questions"), 2);
    assert_int_equal(list_total(p_staff, "/questions"), 2);
    assert_int_equal(list_total(city, "/questions"), 2);
    assert_int_equal(list_total(a_staff, P("/questions?org_id=%lld", (long long)dist_a)), 1);
}

static void test_writes(void **state)
{
    (void)state;
    bool ok = true;
    const char *edit = "{\"difficulty\": 4}";
    ok &= scope_row("B edits A's", b_staff, "PATCH", "/questions/%lld", a_q, edit, 404);
    ok &= scope_row("P edits A's", p_staff, "PATCH", "/questions/%lld", a_q, edit, 404);
    ok &= scope_row("A edits the city's", a_staff, "PATCH", "/questions/%lld", city_q, edit, 404);
    ok &= scope_row("B deletes A's", b_staff, "DELETE", "/questions/%lld", a_q, NULL, 404);
    ok &= scope_row("A deletes the city's", a_staff, "DELETE", "/questions/%lld", city_q, NULL, 404);
    ok &= scope_row("A retires the city's", a_staff, "POST", "/questions/%lld/retire", city_q, NULL, 404);
    ok &= scope_row("B retires A's", b_staff, "POST", "/questions/%lld/retire", a_q, NULL, 404);
    ok &= scope_row("A's admin reviews the city's", a_admin, "POST", "/questions/%lld/review", city_q, NULL, 404);
    ok &= scope_row("B's admin reviews A's", b_admin, "POST", "/questions/%lld/review", a_q, NULL, 404);
    ok &= scope_row("A's staff reviews", a_staff, "POST", "/questions/%lld/review", a_q, NULL, 403);
    ok &= scope_row("teacher edits", teacher, "PATCH", "/questions/%lld", a_q, edit, 403);
    ok &= scope_row("A edits its own", a_staff, "PATCH", "/questions/%lld", a_q, edit, 200);
    ok &= scope_row("the city edits A's", city, "PATCH", "/questions/%lld", a_q, "{\"difficulty\": 3}", 200);
    ok &= scope_row("A's admin reviews A's", a_admin, "POST", "/questions/%lld/review", a_q, NULL, 200);
    assert_true(ok);
    /* B adds to A's bank: the same 404 as an org that does not exist */
    expect_api_error("POST", "/questions", b_staff,
                     jpack("{s:I, s:s, s:s, s:i, s:s, s:b}", "org_id", (json_int_t)dist_a, "type", "true_false", "category",
                           "health", "difficulty", 1, "stem", "s", "answer", 1), 404, "not_found", "org_id");
    expect_api_error("POST", "/questions", b_staff,
                     jpack("{s:I, s:s, s:s, s:i, s:s, s:b}", "org_id", (json_int_t)MATRIX_MISSING, "type", "true_false",
                           "category", "health", "difficulty", 1, "stem", "s", "answer", 1), 404, "not_found", "org_id");
    /* nothing of the refused ones changed anything */
    json_t *j = NULL;
    expect_status(api("GET", P("/questions/%lld", (long long)city_q), city, NULL, &j), j, 200);
    assert_int_equal(jint(j, "difficulty"), 2);
    assert_string_equal(jstr(j, "status"), "drafted");
    json_decref(j);
    expect_status(api("GET", P("/questions/%lld", (long long)a_q), a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "difficulty"), 3);
    assert_string_equal(jstr(j, "status"), "reviewed");
    json_decref(j);
    assert_int_equal(list_total(admin, "/questions"), 2);
}

static void test_import_into_another_district(void **state)
{
    (void)state;
    static const char *const headers[] = {"题型", "分类", "难度", "题干", "答案"};
    static const char *const cells[] = {"判断", "健康", "1", "越权导入", "对"};
    size_t len;
    char *bytes = import_workbook(5, headers, cells, 5, 1, &len);
    json_t *j = NULL;
    expect_status(import_upload("questions", b_staff, dist_a, true, bytes, len, &j), j, 404);
    json_decref(j);
    expect_status(import_upload("questions", teacher, dist_a, false, bytes, len, &j), j, 403);
    json_decref(j);
    free(bytes);
    assert_int_equal(list_total(admin, "/questions"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads),
        cmocka_unit_test(test_writes),
        cmocka_unit_test(test_import_into_another_district),
    };
    return run_api_tests(tests, setup, teardown);
}
