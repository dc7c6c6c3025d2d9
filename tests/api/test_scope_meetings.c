/* test_scope_meetings.c - the data-scope matrix of meetings (issue 16 B): the city organizes, its
 * districts A and B are invited (one meeting both, one A only); a point below A, a teacher.
 * Another district cannot see or register for A's invitation, cannot read, change or withdraw
 * A's participants, cannot see A's attendance, cannot manage the city's meeting nor open or read
 * its check-in session; the point below A does not act for A; a teacher is refused (403).
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

static char *admin, *city, *a_staff, *b_staff, *p_staff, *teacher;
static int64_t root, dist_a, dist_b, point_p, both, only_a, part_a, session;

static int64_t publish(json_t *targeting)
{
    json_t *j = NULL;
    expect_status(api("POST", "/meetings", city,
                      jpack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "title", "范围工作会", "kind", "work", "starts_at",
                            shanghai_at(1800), "ends_at", shanghai_at(5400), "place", "市科协", "registration_deadline",
                            shanghai_at(1200), "default_quota", (json_int_t)3, "targeting", targeting), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/meetings/%lld/publish", (long long)id), city, NULL, &j), j, 200);
    json_decref(j);
    return id;
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "范围甲区");
    dist_b = create_org(admin, root, "district", "范围乙区");
    point_p = create_org(admin, dist_a, "point", "甲区范围教学点");
    create_user(admin, "sm_city", root, "staff", "subtree", 0);
    create_user(admin, "sm_a", dist_a, "staff", "subtree", 0);
    create_user(admin, "sm_b", dist_b, "staff", "subtree", 0);
    create_user(admin, "sm_p", point_p, "staff", "subtree", 0);
    create_user(admin, "sm_teacher", point_p, "teacher", "org", 0);
    city = login("sm_city", USER_PASSWORD);
    a_staff = login("sm_a", USER_PASSWORD);
    b_staff = login("sm_b", USER_PASSWORD);
    p_staff = login("sm_p", USER_PASSWORD);
    teacher = login("sm_teacher", USER_PASSWORD);
    both = publish(jpack("{s:[s]}", "org_types", "district"));
    only_a = publish(jpack("{s:[I]}", "org_ids", (json_int_t)dist_a));
    json_t *j = NULL;
    expect_status(api("POST", P("/meetings/%lld/participants", (long long)both), a_staff,
                      jpack("{s:s, s:s}", "name", "甲区代表", "phone", "13900001111"), &j), j, 201);
    part_a = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/meetings/%lld/participants", (long long)both), b_staff,
                      jpack("{s:s, s:s}", "name", "乙区代表", "phone", "13900002222"), &j), j, 201);
    json_decref(j);
    expect_status(api("POST", "/checkin/sessions", city, jpack("{s:s, s:I}", "kind", "meeting", "owner_id", (json_int_t)both),
                      &j), j, 200);
    session = jint(j, "id");
    json_decref(j);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(city), free(a_staff), free(b_staff), free(p_staff), free(teacher);
    return server_stop(state);
}

static void test_invitation_is_the_unit_s(void **state)
{
    (void)state;
    expect_api_error("GET", P("/meetings/%lld", (long long)only_a), b_staff, NULL, 404, "not_found", "*");
    assert_int_equal(list_total(b_staff, "/meetings"), 1);
    assert_int_equal(list_total(a_staff, "/meetings"), 2);
    assert_int_equal(list_total(city, "/meetings"), 2);
    /* the point below A sees no invitation of A's */
    expect_api_error("GET", P("/meetings/%lld", (long long)both), p_staff, NULL, 404, "not_found", "*");
    assert_int_equal(list_total(p_staff, "/meetings"), 0);
    expect_api_error("GET", "/meetings", teacher, NULL, 403, "forbidden", "*");
    /* B registers neither for A's invitation nor for A */
    expect_api_error("POST", P("/meetings/%lld/participants", (long long)only_a), b_staff,
                     jpack("{s:s, s:s}", "name", "冒名", "phone", "13900003333"), 404, "not_found", "*");
    expect_api_error("POST", P("/meetings/%lld/participants", (long long)both), b_staff,
                     jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)dist_a, "name", "冒名", "phone", "13900003333"), 404,
                     "not_found", "org_id");
    expect_api_error("POST", P("/meetings/%lld/participants", (long long)both), p_staff,
                     jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)dist_a, "name", "冒名", "phone", "13900003333"), 404,
                     "not_found", "*");
    json_t *j = NULL;
    expect_status(api("GET", P("/meetings/%lld/participants", (long long)both), city, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    json_decref(j);
}

static void test_participants_are_the_unit_s(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", P("/meetings/%lld/participants", (long long)both), b_staff, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_string_equal(jstr(j, "items.0.name"), "乙区代表");
    json_decref(j);
    expect_status(api("GET", P("/meetings/%lld/participants?org_id=%lld", (long long)both, (long long)dist_a), b_staff, NULL,
                      &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 0);
    json_decref(j);
    expect_api_error("PATCH", P("/meeting-participants/%lld", (long long)part_a), b_staff, jpack("{s:s}", "name", "改名"), 404,
                     "not_found", "*");
    expect_api_error("DELETE", P("/meeting-participants/%lld", (long long)part_a), b_staff, NULL, 404, "not_found", "*");
    expect_status(api("PATCH", P("/meeting-participants/%lld", (long long)part_a), a_staff, jpack("{s:s}", "position", "主任"),
                      &j), j, 200);
    assert_string_equal(jstr(j, "position"), "主任");
    assert_string_equal(jstr(j, "phone"), "139****1111");
    json_decref(j);
    /* the units' list and the attendance: B's own unit only */
    expect_status(api("GET", P("/meetings/%lld/units", (long long)both), b_staff, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_int_equal(jint(j, "items.0.org_id"), dist_b);
    json_decref(j);
    expect_status(api("GET", P("/meetings/%lld/attendance", (long long)both), b_staff, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "units")), 1);
    assert_int_equal(jint(j, "registered"), 1);
    json_decref(j);
    http_resp r;
    api_full("GET", P("/meetings/%lld/attendance.xlsx", (long long)both), b_staff, NULL, &r);
    assert_int_equal(r.status, 200);
    char *xml = xlsx_sheet_xml(&r);
    assert_null(strstr(xml, "甲区代表"));
    assert_non_null(strstr(xml, "乙区代表"));
    free(xml);
    http_resp_free(&r);
    expect_api_error("GET", P("/meetings/%lld/attendance", (long long)only_a), b_staff, NULL, 404, "not_found", "*");
}

static void test_organizer_s_alone(void **state)
{
    (void)state;
    const char *id = P("%lld", (long long)both);
    expect_api_error("POST", P("/meetings/%s/publish", id), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("POST", P("/meetings/%s/change", id), a_staff, jpack("{s:s}", "place", "甲区"), 404, "not_found", "*");
    expect_api_error("POST", P("/meetings/%s/cancel", id), a_staff, jpack("{s:s}", "reason", "不想开"), 404, "not_found", "*");
    expect_api_error("PATCH", P("/meetings/%s/units/%lld", id, (long long)dist_a), a_staff, jpack("{s:i}", "quota", 9), 404,
                     "not_found", "*");
    expect_api_error("DELETE", P("/meetings/%s", id), a_staff, NULL, 404, "not_found", "*");
    /* the check-in session of the city's meeting */
    expect_api_error("POST", "/checkin/sessions", b_staff, jpack("{s:s, s:I}", "kind", "meeting", "owner_id", (json_int_t)both),
                     404, "not_found", "*");
    expect_api_error("GET", P("/checkin/sessions/%lld/token", (long long)session), a_staff, NULL, 404, "not_found", "*");
    expect_api_error("GET", P("/checkin/sessions/%lld", (long long)session), b_staff, NULL, 404, "not_found", "*");
    /* the organizer overrides a quota */
    json_t *j = NULL;
    expect_status(api("PATCH", P("/meetings/%s/units/%lld", id, (long long)dist_a), city, jpack("{s:i}", "quota", 5), &j), j,
                  200);
    json_decref(j);
    expect_status(api("GET", P("/meetings/%s", id), a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "my_quota"), 5);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invitation_is_the_unit_s),
        cmocka_unit_test(test_participants_are_the_unit_s),
        cmocka_unit_test(test_organizer_s_alone),
    };
    return run_api_tests(tests, setup, teardown);
}
