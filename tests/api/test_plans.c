/* test_plans.c - teaching plans over HTTP: the review workflow (submit, return with a reason,
 * revise, resubmit, approve) with every step kept; wrong states are 409, a unit cannot review
 * its own plan, a teacher or staff cannot approve; item dates outside the term are 422 naming
 * the item's field; scope hides other districts' plans (404); every change is audited. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *a_admin, *a_staff, *p_admin, *p_staff, *teacher, *b_admin;
static int64_t root, dist_a, dist_b, point_a, point_b;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "计划甲区");
    dist_b = create_org(admin, root, "district", "计划乙区");
    point_a = create_org(admin, dist_a, "point", "甲区和平社区教学点");
    point_b = create_org(admin, dist_b, "point", "乙区幸福社区教学点");
    create_user(admin, "plan_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "plan_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "plan_p_admin", point_a, "org_admin", "subtree", 0);
    create_user(admin, "plan_p_staff", point_a, "staff", "org", 0);
    create_user(admin, "plan_teacher", point_a, "teacher", "org", 0);
    create_user(admin, "plan_b_admin", dist_b, "org_admin", "subtree", 0);
    a_admin = login("plan_a_admin", USER_PASSWORD);
    a_staff = login("plan_a_staff", USER_PASSWORD);
    p_admin = login("plan_p_admin", USER_PASSWORD);
    p_staff = login("plan_p_staff", USER_PASSWORD);
    teacher = login("plan_teacher", USER_PASSWORD);
    b_admin = login("plan_b_admin", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(a_staff), free(p_admin), free(p_staff), free(teacher), free(b_admin);
    return server_stop(state);
}

static json_t *items2(const char *d1, const char *d2)
{
    return jpack("[{s:s, s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:I, s:s}]",
                 "topic", "识别电信诈骗", "category", "anti_fraud", "teacher_name", "王警官", "planned_date", d1,
                 "place", "社区活动室", "topic", "老年人合理膳食", "category", "food", "teacher_name", "李医生",
                 "teacher_id", (json_int_t)7, "planned_date", d2);
}

static int64_t create_plan(const char *token, int64_t org, int year, const char *term, json_t *items)
{
    json_t *j = NULL;
    expect_status(api("POST", "/plans", token,
                      jpack("{s:I, s:i, s:s, s:s, s:o}", "org_id", (json_int_t)org, "year", year, "term", term,
                            "title", "教学计划", "items", items), &j), j, 201);
    assert_string_equal(jstr(j, "status"), "draft");
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static const char *status_after(const char *method, const char *path, const char *token, json_t *body, int want)
{
    static char status[32];
    json_t *j = NULL;
    expect_status(api(method, path, token, body, &j), j, want);
    snprintf(status, sizeof status, "%s", jstr(j, "status") ? jstr(j, "status") : "");
    json_decref(j);
    return status;
}

static void test_workflow_return_revise_approve(void **state)
{
    (void)state;
    int64_t id = create_plan(p_staff, point_a, 2025, "spring", items2("2025-03-12", "2025-06-30"));
    /* a draft cannot be approved or returned */
    expect_api_error("POST", P("/plans/%lld/approve", (long long)id), a_admin, NULL, 409, "invalid_state", "status");
    assert_string_equal(status_after("POST", P("/plans/%lld/submit", (long long)id), p_staff, NULL, 200), "submitted");
    /* submitted: locked for edits, not submitted twice, not deleted */
    expect_api_error("PATCH", P("/plans/%lld", (long long)id), p_staff, jpack("{s:s}", "title", "改"), 409,
                     "invalid_state", "status");
    expect_api_error("POST", P("/plans/%lld/submit", (long long)id), p_staff, NULL, 409, "invalid_state", "status");
    expect_api_error("DELETE", P("/plans/%lld", (long long)id), p_staff, NULL, 409, "invalid_state", "status");
    /* the point's own admin cannot approve its plan; a teacher and staff cannot at all */
    expect_api_error("POST", P("/plans/%lld/approve", (long long)id), p_admin, NULL, 403, "forbidden", NULL);
    expect_api_error("POST", P("/plans/%lld/approve", (long long)id), teacher, NULL, 403, "forbidden", NULL);
    expect_api_error("POST", P("/plans/%lld/approve", (long long)id), a_staff, NULL, 403, "forbidden", NULL);
    /* a return needs a reason */
    expect_api_error("POST", P("/plans/%lld/return", (long long)id), a_admin, NULL, 422, "required", "reason");
    expect_api_error("POST", P("/plans/%lld/return", (long long)id), a_admin, jpack("{s:s}", "reason", ""), 422,
                     "invalid_field", "reason");
    json_t *j = NULL;
    expect_status(api("POST", P("/plans/%lld/return", (long long)id), a_admin,
                      jpack("{s:s}", "reason", "请补充秋季应急课程"), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "returned");
    assert_string_equal(jstr(j, "returned_reason"), "请补充秋季应急课程");
    json_decref(j);
    /* the point revises: a draft again, with a third item */
    json_t *items = items2("2025-03-12", "2025-06-30");
    json_array_append_new(items, jpack("{s:s, s:s, s:s}", "topic", "家庭火灾逃生", "category", "emergency",
                                       "planned_date", "2025-07-20"));
    expect_status(api("PATCH", P("/plans/%lld", (long long)id), p_staff, jpack("{s:o}", "items", items), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "draft");
    assert_int_equal(jint(j, "item_count"), 3);
    assert_string_equal(jstr(j, "items.2.category"), "emergency");
    json_decref(j);
    assert_string_equal(status_after("POST", P("/plans/%lld/submit", (long long)id), p_staff, NULL, 200), "submitted");
    assert_string_equal(status_after("POST", P("/plans/%lld/approve", (long long)id), a_admin, NULL, 200), "approved");
    /* approved: final */
    expect_api_error("PATCH", P("/plans/%lld", (long long)id), p_staff, jpack("{s:s}", "title", "改"), 409,
                     "invalid_state", "status");
    expect_api_error("POST", P("/plans/%lld/return", (long long)id), a_admin, jpack("{s:s}", "reason", "再改"), 409,
                     "invalid_state", "status");
    expect_api_error("DELETE", P("/plans/%lld", (long long)id), admin, NULL, 409, "invalid_state", "status");
    /* every step kept: who, from, to, why */
    expect_status(api("GET", P("/plans/%lld", (long long)id), teacher, NULL, &j), j, 200);
    static const char *const actions[] = {"create", "submit", "return", "revise", "submit", "approve"};
    assert_int_equal(json_array_size(jget(j, "steps")), 6);
    for (size_t i = 0; i < 6; i++) assert_string_equal(jstr(json_array_get(jget(j, "steps"), i), "action"), actions[i]);
    assert_string_equal(jstr(j, "steps.2.reason"), "请补充秋季应急课程");
    assert_string_equal(jstr(j, "steps.2.username"), "plan_a_admin");
    assert_string_equal(jstr(j, "steps.5.to_status"), "approved");
    assert_int_equal(jint(j, "completion.planned"), 3);
    assert_int_equal(jint(j, "completion.held"), 0);
    json_decref(j);
    /* audited: create, update, submit x2, return, approve */
    assert_int_equal(list_total(admin, P("/audit?entity=teaching_plan&entity_id=%lld", (long long)id)), 6);
    assert_int_equal(list_total(admin, P("/audit?entity=teaching_plan&entity_id=%lld&action=return", (long long)id)), 1);
}

static void test_item_dates_outside_term_name_the_item(void **state)
{
    (void)state;
    json_t *j = NULL;
    int st = api("POST", "/plans", p_staff,
                 jpack("{s:I, s:i, s:s, s:s, s:o}", "org_id", (json_int_t)point_a, "year", 2026, "term", "spring",
                       "title", "春季", "items", items2("2026-03-01", "2026-08-01")), &j);
    expect_error(st, j, 422, "invalid_field", "items.1.planned_date");
    json_decref(j);
    st = api("POST", "/plans", p_staff,
             jpack("{s:I, s:i, s:s, s:s, s:o}", "org_id", (json_int_t)point_a, "year", 2026, "term", "spring",
                   "title", "春季", "items", items2("2026-02-28", "2026-05-01")), &j);
    expect_error(st, j, 422, "invalid_field", "items.0.planned_date");
    json_decref(j);
    /* autumn runs to the end of January of the next year */
    int64_t autumn = create_plan(p_staff, point_a, 2026, "autumn", items2("2026-09-01", "2027-01-31"));
    /* changing the term checks the stored items too */
    expect_api_error("PATCH", P("/plans/%lld", (long long)autumn), p_staff, jpack("{s:s}", "term", "spring"), 422,
                     "invalid_field", "items.0.planned_date");
    expect_api_error("POST", "/plans", p_staff,
                     jpack("{s:I, s:i, s:s, s:s, s:[{s:s, s:s, s:s}]}", "org_id", (json_int_t)point_a, "year", 2026,
                           "term", "year", "title", "x", "items", "topic", "x", "category", "magic", "planned_date",
                           "2026-05-01"), 422, "invalid_field", "items.0.category");
    expect_api_error("POST", "/plans", p_staff,
                     jpack("{s:I, s:i, s:s, s:s, s:[{s:s, s:s}]}", "org_id", (json_int_t)point_a, "year", 2026,
                           "term", "year", "title", "x", "items", "category", "food", "planned_date", "2026-05-01"),
                     422, "required", "items.0.topic");
    expect_api_error("POST", "/plans", p_staff,
                     jpack("{s:I, s:i, s:s, s:s}", "org_id", (json_int_t)point_a, "year", 2026, "term", "winter",
                           "title", "x"), 422, "invalid_field", "term");
    expect_api_error("POST", "/plans", a_staff,
                     jpack("{s:I, s:i, s:s, s:s}", "org_id", (json_int_t)dist_a, "year", 2026, "term", "year",
                           "title", "x"), 422, "invalid_field", "org_id");
    /* one plan per point and term */
    expect_api_error("POST", "/plans", p_staff,
                     jpack("{s:I, s:i, s:s, s:s}", "org_id", (json_int_t)point_a, "year", 2026, "term", "autumn",
                           "title", "x"), 409, "duplicate", "term");
    /* an empty plan is not submitted */
    int64_t empty = create_plan(p_staff, point_a, 2026, "year", json_array());
    expect_api_error("POST", P("/plans/%lld/submit", (long long)empty), p_staff, NULL, 422, "required", "items");
    expect_status(api("DELETE", P("/plans/%lld", (long long)empty), p_staff, NULL, NULL), NULL, 204);
    expect_status(api("GET", P("/plans/%lld", (long long)empty), p_staff, NULL, NULL), NULL, 404);
    assert_int_equal(list_total(admin, P("/audit?entity=teaching_plan&entity_id=%lld&action=delete", (long long)empty)), 1);
}

static void test_scope_hides_other_districts(void **state)
{
    (void)state;
    int64_t id = create_plan(p_staff, point_a, 2024, "spring", items2("2024-03-12", "2024-04-30"));
    expect_status(api("POST", P("/plans/%lld/submit", (long long)id), p_staff, NULL, NULL), NULL, 200);
    expect_api_error("GET", P("/plans/%lld", (long long)id), b_admin, NULL, 404, "not_found", "*");
    expect_api_error("PATCH", P("/plans/%lld", (long long)id), b_admin, jpack("{s:s}", "title", "x"), 404, "not_found", "*");
    expect_api_error("POST", P("/plans/%lld/approve", (long long)id), b_admin, NULL, 404, "not_found", "*");
    expect_api_error("POST", P("/plans/%lld/return", (long long)id), b_admin, jpack("{s:s}", "reason", "x"), 404,
                     "not_found", "*");
    expect_api_error("GET", P("/plans?org_id=%lld", (long long)point_a), b_admin, NULL, 404, "not_found", "org_id");
    expect_api_error("POST", "/plans", b_admin,
                     jpack("{s:I, s:i, s:s, s:s}", "org_id", (json_int_t)point_a, "year", 2024, "term", "autumn",
                           "title", "x"), 404, "not_found", "org_id");
    json_t *j = NULL;
    expect_status(api("GET", "/plans?page_size=500", b_admin, NULL, &j), j, 200);
    assert_false(items_have_id(jget(j, "items"), id));
    json_decref(j);
    /* the district's review list: submitted plans of its points */
    expect_status(api("GET", P("/plans?status=submitted&org_id=%lld", (long long)dist_a), a_admin, NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), id));
    json_decref(j);
    expect_status(api("GET", "/plans?status=approved&year=2024", a_admin, NULL, &j), j, 200);
    assert_false(items_have_id(jget(j, "items"), id));
    json_decref(j);
    expect_api_error("GET", "/plans?status=lost", a_admin, NULL, 422, "invalid_field", "status");
    /* the city approves too: it is an upper level of every point */
    expect_status(api("POST", P("/plans/%lld/approve", (long long)id), admin, NULL, NULL), NULL, 200);
    /* role: a teacher reads but cannot write */
    expect_api_error("POST", "/plans", teacher,
                     jpack("{s:I, s:i, s:s, s:s}", "org_id", (json_int_t)point_a, "year", 2024, "term", "autumn",
                           "title", "x"), 403, "forbidden", NULL);
    expect_status(api("GET", P("/plans/%lld", (long long)id), teacher, NULL, NULL), NULL, 200);
}

static void test_categories_dictionary(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", "/teaching/categories", teacher, NULL, &j), j, 200);
    bool fraud = false, old = false;
    size_t i;
    json_t *e;
    json_array_foreach(jget(j, "items"), i, e) {
        fraud |= !strcmp(jstr(e, "code"), "anti_fraud") && !strcmp(jstr(e, "name"), "防诈骗");
        old |= !strcmp(jstr(e, "code"), "ageing") && !strcmp(jstr(e, "name"), "老");
    }
    assert_true(fraud && old);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workflow_return_revise_approve),
        cmocka_unit_test(test_item_dates_outside_term_name_the_item),
        cmocka_unit_test(test_scope_hides_other_districts),
        cmocka_unit_test(test_categories_dictionary),
    };
    return run_api_tests(tests, setup, teardown);
}
