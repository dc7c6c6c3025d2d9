/* test_scope_portal.c - the scope matrix of the portal's staff route (issue 18 C): a course's
 * enrolments (GET /courses/:id/enrolments) for the point's staff, the district's and the city's;
 * staff of another district get exactly the 404 of a missing course; a teacher (below staff) 403,
 * no login 401. The public routes have no scope: test_portal*.c. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *p1, *a_staff, *b_staff, *teacher;
static int64_t root, dist_a, dist_b, point_1, course;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "范围甲区");
    dist_b = create_org(admin, root, "district", "范围乙区");
    point_1 = create_org(admin, dist_a, "point", "范围一号点");
    create_user(admin, "sp_p1", point_1, "staff", "org", 0);
    create_user(admin, "sp_a", dist_a, "staff", "subtree", 0);
    create_user(admin, "sp_b", dist_b, "staff", "subtree", 0);
    create_user(admin, "sp_t", point_1, "teacher", "self", 0);
    p1 = login("sp_p1", USER_PASSWORD);
    a_staff = login("sp_a", USER_PASSWORD);
    b_staff = login("sp_b", USER_PASSWORD);
    teacher = login("sp_t", USER_PASSWORD);
    json_t *j = NULL;
    expect_status(api("POST", "/courses", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:[{s:s}]}", "org_id", (json_int_t)point_1, "title", "范围的课", "category",
                            "health", "starts_at", shanghai_at(86400 * 3), "ends_at", shanghai_at(86400 * 3 + 3600), "teachers",
                            "name", "李老师"),
                      &j), j, 201);
    course = jint(j, "id");
    json_decref(j);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(p1), free(a_staff), free(b_staff), free(teacher);
    return server_stop(state);
}

static void test_enrolments_matrix(void **state)
{
    (void)state;
    const char *route = "/courses/%lld/enrolments";
    bool ok = scope_row("point staff", p1, "GET", route, course, NULL, 200);
    ok &= scope_row("district staff", a_staff, "GET", route, course, NULL, 200);
    ok &= scope_row("city admin", admin, "GET", route, course, NULL, 200);
    ok &= scope_row("other district's staff", b_staff, "GET", route, course, NULL, 404);
    ok &= scope_row("teacher of the point", teacher, "GET", route, course, NULL, 403);
    ok &= scope_row("anonymous", NULL, "GET", route, course, NULL, 401);
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enrolments_matrix),
    };
    return run_api_tests(tests, setup, teardown);
}
