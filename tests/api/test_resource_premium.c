/* test_resource_premium.c - the premium selection of the resource library (精品课程资源评选, issue
 * 18) run as a call of the calls engine, builtin template premium_resource: a point enters its
 * approved resource (the entry is the uploader's, named after the resource), a draft resource or
 * another district's is not of the pool, one standing entry per resource; the district
 * recommends, the city decides and finalizes, and the winner holds the title premium_course: its
 * premium flag and the list's ?premium= follow the title, and revoking the title ends it.
 *
 *   root(city) ─┬─ A(district) ─── P1(point)
 *               └─ B(district) ─── B1(point) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *a_admin, *p1, *b1;
static int64_t root, point_1;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    int64_t dist_a = create_org(admin, root, "district", "精品甲区"), dist_b = create_org(admin, root, "district", "精品乙区");
    point_1 = create_org(admin, dist_a, "point", "精品甲区一号点");
    create_user(admin, "prem_a", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "prem_p1", point_1, "staff", "org", 0);
    create_user(admin, "prem_b1", create_org(admin, dist_b, "point", "精品乙区一号点"), "staff", "org", 0);
    a_admin = login("prem_a", USER_PASSWORD), p1 = login("prem_p1", USER_PASSWORD), b1 = login("prem_b1", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(p1), free(b1);
    return server_stop(state);
}

static const char png[] = {(char)0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                    0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};

/* A resource of P1 with a file; approved by district A when approve. */
static int64_t resource(const char *title, bool approve)
{
    json_t *j = NULL;
    expect_status(api("POST", "/resources", p1, jpack("{s:s, s:s}", "title", title, "kind", "images"), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    char auth[512];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", p1);
    const char *headers[] = {auth, "X-File-Name: a.png", "Content-Type: application/octet-stream", NULL};
    http_resp resp;
    assert_int_equal(http("POST", P(API_BASE "/resources/%lld/versions", (long long)id), headers, png, sizeof png, &resp), 201);
    http_resp_free(&resp);
    if (!approve) return id;
    expect_status(api("POST", P("/resources/%lld/submit", (long long)id), p1, NULL, &j), j, 200);
    json_decref(j);
    expect_status(api("POST", P("/resources/%lld/review", (long long)id), a_admin, jpack("{s:s}", "decision", "approve"), &j), j, 200);
    json_decref(j);
    return id;
}


static json_t *entry_body(int64_t resource_id)
{
    return jpack("{s:s, s:{s:{s:I}, s:s}}", "title", "精品推荐", "values", "resource", "id", (json_int_t)resource_id, "reason",
                 "课堂反复使用，效果好");
}

static void act(const char *token, const char *path)
{
    json_t *j = NULL;
    expect_status(api("POST", path, token, NULL, &j), j, 200);
    json_decref(j);
}

static bool premium(int64_t id)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/resources/%lld", (long long)id), p1, NULL, &j), j, 200);
    bool yes = json_is_true(jget(j, "premium"));
    json_decref(j);
    return yes;
}

static void test_premium_selection_by_call(void **state)
{
    (void)state;
    int64_t good = resource("家庭急救图解", true), draft = resource("未送审的图集", false);
    json_t *j = NULL;
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)call_template_id(admin, "premium_resource"), "org_id",
                            (json_int_t)root, "year", 2026, "title", "2026年精品课程资源评选", "deadline", "2099-12-31"), &j), j, 201);
    assert_string_equal(jstr(j, "eligible"), "persons");
    assert_string_equal(jstr(j, "person_kind"), "resource");
    int64_t call = jint(j, "id");
    json_decref(j);
    act(admin, P("/calls/%lld/open", (long long)call));

    /* a draft is not of the pool; another district cannot enter P1's resource */
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), p1, entry_body(draft), 422, "invalid_field", "values");
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), b1, entry_body(good), 422, "invalid_field", "values");
    expect_status(api("POST", P("/calls/%lld/entries", (long long)call), p1, entry_body(good), &j), j, 201);
    assert_string_equal(jstr(j, "subject_kind"), "resource");
    assert_int_equal(jint(j, "subject_id"), good);
    assert_string_equal(jstr(j, "subject_name"), "家庭急救图解");
    assert_int_equal(jint(j, "org_id"), point_1);
    int64_t entry = jint(j, "id");
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), p1, entry_body(good), 409, "person_entered", "values");

    act(p1, P("/entries/%lld/submit", (long long)entry));
    act(a_admin, P("/entries/%lld/recommend", (long long)entry));
    act(admin, P("/calls/%lld/close", (long long)call));
    assert_false(premium(good));
    expect_status(api("POST", P("/entries/%lld/decide", (long long)entry), admin,
                      jpack("{s:s, s:s, s:s}", "outcome", "selected", "award_level", "精品", "reason", "评审通过"), &j), j, 200);
    json_decref(j);
    call_publicize_and_finalize(admin, call);

    assert_true(premium(good));
    assert_false(premium(draft));
    assert_int_equal(list_total(p1, "/resources?premium=true"), 1);
    assert_int_equal(list_total(p1, "/resources?premium=false"), 1);
    expect_status(api("GET", "/designations?kind=premium_course", admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.subject_kind"), "resource");
    assert_int_equal(jint(j, "items.0.subject_id"), good);
    int64_t des = jint(j, "items.0.id");
    json_decref(j);

    /* the flag is the title: revoked, it is gone */
    expect_status(api("POST", P("/designations/%lld/revoke", (long long)des), admin, jpack("{s:s}", "reason", "版权争议"), &j), j, 200);
    json_decref(j);
    assert_false(premium(good));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_premium_selection_by_call),
    };
    return run_api_tests(tests, setup, teardown);
}
