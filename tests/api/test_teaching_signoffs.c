/* test_teaching_signoffs.c - a district signs off (签认) its points' teaching completion for a term
 * (issue 14 item 21): the sign-off keeps the planned and held items it saw, a return needs
 * comments, one per point and term (a second is 409, the first is revised), only an upper level
 * signs (the point's own admin: 403; staff: 403), another district cannot see the point (404 on
 * create, read, revise and list), every version is audited, and the sign-off shows on the point's
 * teaching home and in its district's point rows. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *a_admin, *a_staff, *p_admin, *b_admin;
static int64_t root, dist_a, dist_b, point_a, point_b;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "签认甲区");
    dist_b = create_org(admin, root, "district", "签认乙区");
    point_a = create_org(admin, dist_a, "point", "甲区和平社区教学点");
    point_b = create_org(admin, dist_b, "point", "乙区幸福社区教学点");
    create_user(admin, "so_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "so_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "so_p_admin", point_a, "org_admin", "subtree", 0);
    create_user(admin, "so_b_admin", dist_b, "org_admin", "subtree", 0);
    a_admin = login("so_a_admin", USER_PASSWORD);
    a_staff = login("so_a_staff", USER_PASSWORD);
    p_admin = login("so_p_admin", USER_PASSWORD);
    b_admin = login("so_b_admin", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(a_staff), free(p_admin), free(b_admin);
    return server_stop(state);
}

/* An approved plan of two items for the point in the 2025 spring term. */
static void approved_plan(int64_t point)
{
    json_t *j = NULL;
    expect_status(api("POST", "/plans", p_admin,
                      jpack("{s:I, s:i, s:s, s:s, s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}]}", "org_id", (json_int_t)point,
                            "year", 2025, "term", "spring", "title", "春季教学计划", "items", "topic", "识别电信诈骗",
                            "category", "anti_fraud", "planned_date", "2025-03-12", "topic", "老年人合理膳食",
                            "category", "food", "planned_date", "2025-05-20"), &j),
                  j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/plans/%lld/submit", (long long)id), p_admin, NULL, &j), j, 200);
    json_decref(j);
    expect_status(api("POST", P("/plans/%lld/approve", (long long)id), a_admin, NULL, &j), j, 200);
    json_decref(j);
}

static json_t *signoff_body(int64_t point, const char *term, const char *status, const char *comments)
{
    return comments ? jpack("{s:I, s:i, s:s, s:s, s:s}", "org_id", (json_int_t)point, "year", 2025, "term", term, "status",
                            status, "comments", comments)
                    : jpack("{s:I, s:i, s:s, s:s}", "org_id", (json_int_t)point, "year", 2025, "term", term, "status",
                            status);
}

static void test_sign_off_return_revise_audit(void **state)
{
    (void)state;
    approved_plan(point_a);
    /* a return says why; the point itself, staff and a bad status cannot sign */
    expect_api_error("POST", "/teaching/signoffs", a_admin, signoff_body(point_a, "spring", "returned", NULL), 422,
                     "required", "comments");
    expect_api_error("POST", "/teaching/signoffs", a_admin, signoff_body(point_a, "spring", "done", NULL), 422,
                     "invalid_field", "status");
    expect_api_error("POST", "/teaching/signoffs", p_admin, signoff_body(point_a, "spring", "confirmed", NULL), 403,
                     "forbidden", NULL);
    expect_api_error("POST", "/teaching/signoffs", a_staff, signoff_body(point_a, "spring", "confirmed", NULL), 403,
                     "forbidden", NULL);
    expect_api_error("POST", "/teaching/signoffs", a_admin, signoff_body(dist_a, "spring", "confirmed", NULL), 422,
                     "invalid_field", "org_id");
    json_t *j = NULL;
    expect_status(api("POST", "/teaching/signoffs", a_admin,
                      signoff_body(point_a, "spring", "returned", "第二项课程未开课，请补课后再报"), &j),
                  j, 201);
    int64_t id = jint(j, "id");
    assert_string_equal(jstr(j, "status"), "returned");
    assert_string_equal(jstr(j, "org_name"), "甲区和平社区教学点");
    assert_string_equal(jstr(j, "comments"), "第二项课程未开课，请补课后再报");
    assert_int_equal(jint(j, "planned"), 2);
    assert_int_equal(jint(j, "held"), 0);
    assert_int_equal(jint(j, "signed_by"), me_id(a_admin));
    assert_non_null(jstr(j, "signed_at"));
    assert_null(jget(j, "org_path"));
    json_decref(j);
    /* one per point and term: the second is refused, the first is revised */
    expect_api_error("POST", "/teaching/signoffs", a_admin, signoff_body(point_a, "spring", "confirmed", NULL), 409,
                     "duplicate", "term");
    expect_status(api("PATCH", P("/teaching/signoffs/%lld", (long long)id), a_admin,
                      jpack("{s:s, s:s}", "status", "confirmed", "comments", "已补课，确认完成"), &j),
                  j, 200);
    assert_string_equal(jstr(j, "status"), "confirmed");
    assert_string_equal(jstr(j, "term"), "spring");
    json_decref(j);
    /* point, year and term are the sign-off's key: not changed by a revision */
    expect_api_error("PATCH", P("/teaching/signoffs/%lld", (long long)id), a_admin, jpack("{s:s}", "term", "autumn"),
                     422, "read_only_field", "term");
    /* the point reads its sign-off; the list filters */
    expect_status(api("GET", P("/teaching/signoffs/%lld", (long long)id), p_admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "comments"), "已补课，确认完成");
    json_decref(j);
    assert_int_equal(list_total(a_admin, P("/teaching/signoffs?org_id=%lld&year=2025&term=spring", (long long)dist_a)), 1);
    assert_int_equal(list_total(a_admin, "/teaching/signoffs?status=returned"), 0);
    assert_int_equal(list_total(admin, P("/audit?entity=teaching_signoff&entity_id=%lld", (long long)id)), 2);
}

static void test_another_district_cannot_sign_off(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/teaching/signoffs", a_admin, signoff_body(point_a, "year", "confirmed", NULL), &j), j,
                  201);
    int64_t id = jint(j, "id");
    json_decref(j);
    /* district B does not see district A's point nor its sign-offs */
    expect_api_error("POST", "/teaching/signoffs", b_admin, signoff_body(point_a, "autumn", "confirmed", NULL), 404,
                     "not_found", "org_id");
    expect_api_error("PATCH", P("/teaching/signoffs/%lld", (long long)id), b_admin,
                     jpack("{s:s, s:s}", "status", "returned", "comments", "越权"), 404, "not_found", NULL);
    expect_api_error("GET", P("/teaching/signoffs/%lld", (long long)id), b_admin, NULL, 404, "not_found", NULL);
    expect_api_error("GET", P("/teaching/signoffs?org_id=%lld", (long long)dist_a), b_admin, NULL, 404, "not_found",
                     "org_id");
    assert_int_equal(list_total(b_admin, "/teaching/signoffs"), 0);
    /* its own point it may sign off */
    expect_status(api("POST", "/teaching/signoffs", b_admin, signoff_body(point_b, "spring", "confirmed", NULL), &j), j,
                  201);
    assert_int_equal(jint(j, "planned"), 0);
    json_decref(j);
    expect_status(api("GET", P("/teaching/signoffs/%lld", (long long)id), a_admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "confirmed");   /* B's attempt changed nothing */
    json_decref(j);
}

/* The point's teaching home lists its sign-offs, newest first; a district's point row carries the
 * current term's. */
static void test_home_shows_the_signoff(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", P("/teaching/home?org_id=%lld", (long long)point_a), p_admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "view"), "point");
    assert_int_equal(jint(j, "signoffs.total"), 2);
    size_t i;
    json_t *e;
    bool spring = false;
    json_array_foreach(jget(j, "signoffs.items"), i, e)
        spring |= !strcmp(jstr(e, "term"), "spring") && !strcmp(jstr(e, "status"), "confirmed")
                  && !strcmp(jstr(e, "comments"), "已补课，确认完成");
    assert_true(spring);
    int year = (int)jint(j, "term.year");
    const char *term = jstr(j, "term.term");
    char this_term[16];
    snprintf(this_term, sizeof this_term, "%s", term);
    json_decref(j);
    /* sign off the current term: the district's row of the point shows it */
    expect_status(api("POST", "/teaching/signoffs", a_admin,
                      jpack("{s:I, s:i, s:s, s:s, s:s}", "org_id", (json_int_t)point_a, "year", year, "term", this_term,
                            "status", "returned", "comments", "请补充教学记录"), &j),
                  j, 201);
    json_decref(j);
    expect_status(api("GET", P("/teaching/home?org_id=%lld", (long long)dist_a), a_admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "view"), "district");
    bool found = false;
    json_array_foreach(jget(j, "points.items"), i, e) {
        if (jint(e, "org_id") != point_a) continue;
        found = true;
        assert_string_equal(jstr(e, "signoff.status"), "returned");
        assert_string_equal(jstr(e, "signoff.comments"), "请补充教学记录");
    }
    assert_true(found);
    json_decref(j);
    /* district B's point has no sign-off this term */
    expect_status(api("GET", P("/teaching/home?org_id=%lld", (long long)dist_b), b_admin, NULL, &j), j, 200);
    assert_true(json_is_null(jget(j, "points.items.0.signoff")));
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_off_return_revise_audit),
        cmocka_unit_test(test_another_district_cannot_sign_off),
        cmocka_unit_test(test_home_shows_the_signoff),
    };
    return run_api_tests(tests, setup, teardown);
}
