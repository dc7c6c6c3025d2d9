/* test_scope_contests.c - the data-scope matrix of contests (issue 17 B): a contest is managed by
 * staff of its owner's subtree. The city's contest: city staff yes; a district's staff, a point's
 * staff no (404 like a missing one). District A's contest: A's staff and the city yes; B's staff
 * and A's point below no; a teacher is refused (403); nobody signed in gets 401. Every admin route
 * of a contest is in the matrix; lists show only what the scope covers; the public side answers
 * any published contest to anyone and the same 404 for a draft as for nothing.
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
#include "contest_fixture.h"

static char *admin, *city, *a_staff, *b_staff, *p_staff, *teacher;
static int64_t root, dist_a, dist_b, point_p, city_ct, a_ct, a_draft;

static int64_t draft(const char *token, int64_t org, const char *title)
{
    json_t *j = NULL;
    expect_status(api("POST", "/contests", token,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:[s,s], s:[{s:s, s:i, s:i}], s:i}", "org_id", (json_int_t)org,
                            "title", title, "kind", "contest", "opens_at", shanghai_at(-60), "closes_at", shanghai_at(86400),
                            "audience", "public", "staff", "rules", "category", "lit_knowledge", "count", 2, "points", 5,
                            "time_limit_s", 600), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "竞赛范围甲区");
    dist_b = create_org(admin, root, "district", "竞赛范围乙区");
    point_p = create_org(admin, dist_a, "point", "甲区竞赛教学点");
    create_user(admin, "sc_city", root, "staff", "subtree", 0);
    create_user(admin, "sc_a", dist_a, "staff", "subtree", 0);
    create_user(admin, "sc_b", dist_b, "staff", "subtree", 0);
    create_user(admin, "sc_p", point_p, "staff", "subtree", 0);
    create_user(admin, "sc_teacher", point_p, "teacher", "org", 0);
    city = login("sc_city", USER_PASSWORD);
    a_staff = login("sc_a", USER_PASSWORD);
    b_staff = login("sc_b", USER_PASSWORD);
    p_staff = login("sc_p", USER_PASSWORD);
    teacher = login("sc_teacher", USER_PASSWORD);
    for (int i = 1; i <= 4; i++) fx_question(admin, root, "lit_knowledge", i);
    city_ct = fx_contest(city, root, "全市竞赛", NULL);
    a_ct = fx_contest(a_staff, dist_a, "甲区竞赛", NULL);
    a_draft = draft(a_staff, dist_a, "甲区草稿");
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(city), free(a_staff), free(b_staff), free(p_staff), free(teacher);
    return server_stop(state);
}

/* Every admin read of contest id: want for each caller. */
static const char *const reads[] = {
    "/contests/%lld", "/contests/%lld/ranking/persons", "/contests/%lld/ranking/districts",
    "/contests/%lld/attempts", "/contests/%lld/preview", NULL,
};

static void reads_matrix(int64_t id, const char *const *who, char *const *tokens, const int *want, int n)
{
    bool ok = true;
    for (int k = 0; k < n; k++)
        for (int i = 0; reads[i]; i++) ok &= scope_row(who[k], tokens[k], "GET", reads[i], id, NULL, want[k]);
    assert_true(ok);
}

static void test_reads(void **state)
{
    (void)state;
    const char *who[] = {"city", "district A", "district B", "point below A", "teacher", "anonymous"};
    char *tokens[] = {city, a_staff, b_staff, p_staff, teacher, NULL};
    const int city_want[] = {200, 404, 404, 404, 403, 401};
    const int a_want[] = {200, 200, 404, 404, 403, 401};
    reads_matrix(city_ct, who, tokens, city_want, 6);
    reads_matrix(a_ct, who, tokens, a_want, 6);
    assert_int_equal(list_total(city, "/contests"), 3);
    assert_int_equal(list_total(a_staff, "/contests"), 2);
    assert_int_equal(list_total(b_staff, "/contests"), 0);
    assert_int_equal(list_total(p_staff, "/contests"), 0);
    http_resp r;
    assert_int_equal(api_full("GET", P("/contests/%lld/ranking/persons?format=xlsx", (long long)a_ct), b_staff, NULL, &r), 404);
    http_resp_free(&r);
}

static void test_writes(void **state)
{
    (void)state;
    bool ok = true;
    const char *upd = "{\"title\":\"改名\"}";
    /* B and the point below A cannot touch A's contests; the city can */
    ok &= scope_row("district B", b_staff, "PUT", "/contests/%lld", a_draft, upd, 404);
    ok &= scope_row("point below A", p_staff, "PUT", "/contests/%lld", a_draft, upd, 404);
    ok &= scope_row("district B", b_staff, "DELETE", "/contests/%lld", a_draft, NULL, 404);
    ok &= scope_row("district B", b_staff, "POST", "/contests/%lld/publish", a_draft, NULL, 404);
    ok &= scope_row("district B", b_staff, "POST", "/contests/%lld/close", a_ct, NULL, 404);
    ok &= scope_row("district B", b_staff, "POST", "/contests/%lld/certificates", a_ct, NULL, 404);
    ok &= scope_row("district B", b_staff, "POST", "/contests/%lld/my-attempts", a_ct, NULL, 404);
    /* taking part is not managing: a district's staff take the city's contest, not A's draft */
    ok &= scope_row("district B", b_staff, "POST", "/contests/%lld/my-attempts", city_ct, NULL, 201);
    ok &= scope_row("district A", a_staff, "POST", "/contests/%lld/my-attempts", a_draft, NULL, 404);
    ok &= scope_row("district A", a_staff, "POST", "/contests/%lld/close", city_ct, NULL, 404);
    ok &= scope_row("district A", a_staff, "PUT", "/contests/%lld", city_ct, upd, 404);
    ok &= scope_row("teacher", teacher, "POST", "/contests/%lld/publish", a_draft, NULL, 403);
    ok &= scope_row("anonymous", NULL, "POST", "/contests/%lld/publish", a_draft, NULL, 401);
    ok &= scope_row("city", city, "PUT", "/contests/%lld", a_draft, upd, 200);
    ok &= scope_row("district A", a_staff, "POST", "/contests/%lld/my-attempts", a_ct, NULL, 201);
    assert_true(ok);
    /* a contest placed under another district is refused like a missing org */
    expect_api_error("POST", "/contests", b_staff,
                     jpack("{s:I, s:s, s:s, s:s, s:s, s:[s], s:[{s:s, s:i, s:i}], s:i}", "org_id", (json_int_t)dist_a,
                           "title", "越权", "kind", "contest", "opens_at", shanghai_at(-60), "closes_at", shanghai_at(600),
                           "audience", "public", "rules", "category", "lit_knowledge", "count", 2, "points", 5,
                           "time_limit_s", 60), 404, "not_found", "org_id");
    /* the delete of A's draft by A */
    ok = scope_row("district A", a_staff, "DELETE", "/contests/%lld", a_draft, NULL, 204);
    assert_true(ok);
}

static void test_public_side(void **state)
{
    (void)state;
    bool ok = true;
    int64_t d = draft(city, root, "公开草稿");
    /* a published contest is anyone's to read; a draft answers like nothing */
    ok &= scope_row("anonymous", NULL, "GET", "/public/contests/%lld", city_ct, NULL, 200);
    ok &= scope_row("anonymous", NULL, "GET", "/public/contests/%lld", d, NULL, 404);
    ok &= scope_row("anonymous", NULL, "GET", "/public/contests/%lld/ranking", d, NULL, 404);
    ok &= scope_row("anonymous", NULL, "POST", "/public/contests/%lld/attempts", d,
                    "{\"person_key\":\"x\",\"person_kind\":\"player\"}", 404);
    assert_true(ok);
    /* a player of the city's contest registers only in a district of it; a district's contest
     * offers its own district only */
    json_t *j = NULL;
    expect_status(api("GET", P("/public/contests/%lld", (long long)a_ct), NULL, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "districts")), 1);
    assert_int_equal(jint(j, "districts.0.id"), dist_a);
    json_decref(j);
    expect_api_error("POST", P("/public/contests/%lld/players", (long long)a_ct), NULL,
                     jpack("{s:s, s:s, s:I}", "name", "乙区人", "phone", "13600000001", "district_id", (json_int_t)dist_b),
                     422, "invalid_field", "district_id");
    /* an attempt's token opens that attempt only */
    char *key = fx_player(city_ct, "甲区人", "13600000002", dist_a);
    json_t *paper = NULL;
    expect_status(fx_start(city_ct, key, "player", &paper), paper, 201);
    json_t *other = json_deep_copy(paper);
    json_object_set_new(other, "attempt_id", json_integer(jint(paper, "attempt_id") + 1000));
    assert_int_equal(fx_answer(city_ct, other, 1, true, NULL), 404);
    json_t *wrong_contest = json_deep_copy(paper);
    assert_int_equal(fx_answer(a_ct, wrong_contest, 1, true, NULL), 404);
    json_decref(other), json_decref(wrong_contest), json_decref(paper);
    /* the player's key is not a key of another contest's players... it is the same person kind,
     * but a player registered for the city cannot start A's contest (not registered there) */
    expect_error(fx_start(a_ct, key, "player", &j), j, 403, "invalid_key", "person_key");
    json_decref(j);
    free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads),
        cmocka_unit_test(test_writes),
        cmocka_unit_test(test_public_side),
    };
    return run_api_tests(tests, setup, teardown);
}
