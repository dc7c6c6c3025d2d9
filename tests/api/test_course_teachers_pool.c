/* test_course_teachers_pool.c - a course's teachers come from the teacher pool (issue 14), over
 * HTTP: an id names a teacher of the caller's pool (its subtree, the course's district or the
 * city pool) and the
 * pool's name is stored whatever the body said; free text without an id is a guest speaker,
 * stored with "guest": true; another district's teacher, a retired one or an unknown id is
 * refused with 422 on `teachers` and nothing written; an edit that leaves the teachers alone
 * does not check them again. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *a_staff, *point_staff;
static int64_t root, dist_a, dist_b, point_a, point_b, t_a, t_b, t_city, t_retired, t_dist;

static void make_id(char out[19], int seq)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    snprintf(out, 19, "50010319800101%03d", seq % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (out[i] - '0') * weights[i];
    out[17] = "10X98765432"[sum % 11];
    out[18] = 0;
}

static int64_t add_teacher(int64_t org, const char *name, int seq)
{
    char idn[19];
    make_id(idn, seq);
    json_t *j = NULL;
    expect_status(api("POST", "/teachers", admin,
                      jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)org, "name", name, "unit", "重庆大学",
                            "id_number", idn), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "池甲区");
    dist_b = create_org(admin, root, "district", "池乙区");
    point_a = create_org(admin, dist_a, "point", "池甲社区教学点");
    point_b = create_org(admin, dist_b, "point", "池乙社区教学点");
    create_user(admin, "pool_a_staff", dist_a, "staff", "subtree", 0);
    a_staff = login("pool_a_staff", USER_PASSWORD);
    create_user(admin, "pool_point_staff", point_a, "staff", "org", 0);
    point_staff = login("pool_point_staff", USER_PASSWORD);
    t_a = add_teacher(point_a, "甲区教师", 1);
    t_b = add_teacher(point_b, "乙区教师", 2);
    t_city = add_teacher(root, "市库教师", 3);
    t_retired = add_teacher(dist_a, "退出教师", 4);
    t_dist = add_teacher(dist_a, "甲区本级教师", 5);
    expect_status(api("DELETE", P("/teachers/%lld", (long long)t_retired), admin, NULL, NULL), NULL, 204);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    free(a_staff);
    free(point_staff);
    return server_stop(state);
}

static json_t *course_body(json_t *teachers)
{
    return jpack("{s:I, s:s, s:s, s:s, s:s, s:o}", "org_id", (json_int_t)point_a, "title", "师资库课程", "category",
                 "health", "starts_at", "2026-03-01T09:00:00+08:00", "ends_at", "2026-03-01T10:30:00+08:00",
                 "teachers", teachers);
}

static void test_teachers_come_from_the_pool(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/courses", a_staff,
                      course_body(jpack("[{s:s, s:I}, {s:s, s:I}, {s:s, s:b}]", "name", "随手写的名字", "id", (json_int_t)t_a,
                                        "name", "x", "id", (json_int_t)t_city, "name", "外请专家", "guest", 0)), &j),
                  j, 201);
    int64_t course = jint(j, "id");
    assert_string_equal(jstr(j, "teachers.0.name"), "甲区教师");   /* the pool's name */
    assert_int_equal(jint(j, "teachers.0.id"), t_a);
    assert_true(json_is_false(jget(j, "teachers.0.guest")));
    assert_string_equal(jstr(j, "teachers.1.name"), "市库教师");   /* the city pool serves the district */
    assert_string_equal(jstr(j, "teachers.2.name"), "外请专家");
    assert_true(json_is_null(jget(j, "teachers.2.id")));
    assert_true(json_is_true(jget(j, "teachers.2.guest")));       /* free text is a guest speaker */
    json_decref(j);

    /* another district's teacher, a retired one, an unknown id, a bad flag: 422, nothing written */
    int64_t before = list_total(admin, "/courses");
    int64_t bad_ids[] = {t_b, t_retired, 987654};
    for (size_t i = 0; i < 3; i++)
        expect_api_error("POST", "/courses", a_staff, course_body(jpack("[{s:s, s:I}]", "name", "某人", "id", (json_int_t)bad_ids[i])),
                         422, "invalid_field", "teachers");
    expect_api_error("POST", "/courses", a_staff, course_body(jpack("[{s:s, s:s}]", "name", "某人", "guest", "yes")), 422,
                     "invalid_field", "teachers");
    assert_int_equal(list_total(admin, "/courses"), before);

    /* an edit of the title keeps the teachers as they are; a change of them is checked */
    expect_status(api("PATCH", P("/courses/%lld", (long long)course), a_staff, jpack("{s:s}", "title", "改名的课程"), &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "teachers")), 3);
    json_decref(j);
    expect_api_error("PATCH", P("/courses/%lld", (long long)course), a_staff,
                     jpack("{s:[{s:s, s:I}]}", "teachers", "name", "乙区教师", "id", (json_int_t)t_b), 422, "invalid_field",
                     "teachers");
    /* a point's staff, who sees only the point, picks from its district's pool, not another's */
    expect_status(api("POST", "/courses", point_staff,
                      course_body(jpack("[{s:s, s:I}]", "name", "x", "id", (json_int_t)t_dist)), &j), j, 201);
    assert_string_equal(jstr(j, "teachers.0.name"), "甲区本级教师");
    json_decref(j);
    expect_api_error("POST", "/courses", point_staff, course_body(jpack("[{s:s, s:I}]", "name", "x", "id", (json_int_t)t_b)),
                     422, "invalid_field", "teachers");
    /* the teacher's page counts the course: the link follows the pool id */
    expect_status(api("GET", P("/teachers/%lld/profile", (long long)t_a), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "sections.teaching.courses_scheduled"), 1);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_teachers_come_from_the_pool),
    };
    return run_api_tests(tests, setup, teardown);
}
