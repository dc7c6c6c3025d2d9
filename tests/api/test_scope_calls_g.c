/* test_scope_calls_g.c - the data-scope matrix of re-certification (issue 15, package G;
 * src/calls/recert.c) for the city, a district's admin and staff, another district, two points'
 * staff, a teacher and a volunteer. The proposal, the settings and applying them are the call's
 * managers' (ORG_ADMIN over the owner: a district sees the city's call but manages only its own,
 * 404 as for a missing call; lower ranks 403 first); a holder's entry is edited by its own unit
 * alone (another point 404, the district above 403: not the entrant).
 *
 *   root(city) ─┬─ A(district) ─┬─ P(point, 示范教学点)
 *               │               └─ Q(point)
 *               └─ B(district) ─── B's point (示范教学点) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "calls_scope_world.h"

static int64_t city_call, a_call, entry_p;

/* A re-certification call of owner, from the builtin template, opened. */
static int64_t recert_call(int64_t owner, const char *title)
{
    json_t *j = NULL, *it;
    size_t i;
    int64_t tpl = 0;
    expect_status(api("GET", "/call-templates?page_size=100", tok[U_ADMIN], NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), i, it) if (!strcmp(jstr(it, "code"), "recertification")) tpl = jint(it, "id");
    json_decref(j);
    int64_t id = post_id(tok[U_ADMIN], "/calls", jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id",
                                                      (json_int_t)owner, "year", 2026, "title", title, "deadline", "2099-12-31"));
    post_id(tok[U_ADMIN], P("/calls/%lld/open", (long long)id), NULL);
    return id;
}

static int setup(void **state)
{
    if (world_start(state) != 0) return -1;
    post_id(tok[U_ADMIN], "/designations", jpack("{s:s, s:I}", "kind", "demo_point", "org_id", (json_int_t)point_p));
    post_id(tok[U_ADMIN], "/designations", jpack("{s:s, s:I}", "kind", "demo_point", "org_id", (json_int_t)point_b));
    city_call = recert_call(root, "全市复核");
    a_call = recert_call(dist_a, "甲区复核");
    json_t *j = NULL;
    expect_status(api("GET", P("/calls/%lld/entries?org_id=%lld", (long long)city_call, (long long)point_p), tok[U_ADMIN], NULL, &j),
                  j, 200);
    assert_int_equal(jint(j, "total"), 1);
    entry_p = jint(j, "items.0.id");
    json_decref(j);
    return 0;
}

static void test_recert_routes(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int city[USERS] =       {200,  404,  403,  404,  403,  403,  403,  403};
    static const int dist[USERS] =       {200,  200,  403,  404,  403,  403,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/calls/%lld/recert", city_call, NULL, city[u]);
        row(u, "GET", "/calls/%lld/recert", a_call, NULL, dist[u]);
        row(u, "PUT", "/calls/%lld/recert", city_call, "{\"revoke_last\": 1}", city[u]);
        row(u, "PUT", "/calls/%lld/recert", a_call, "{\"revoke_last\": 1}", dist[u]);
    }
    /* the district's call holds its own holder only */
    json_t *j = NULL;
    expect_status(api("GET", P("/calls/%lld/recert", (long long)a_call), tok[U_A_ADMIN], NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_int_equal(jint(j, "items.0.org_id"), point_p);
    json_decref(j);
    assert_int_equal(failures, 0);
}

static void test_holder_entry(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int see[USERS] =        {200,  200,  200,  404,  200,  404,  403,  403};
    static const int edit[USERS] =       {403,  403,  403,  404,  200,  404,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/entries/%lld", entry_p, NULL, see[u]);
        row(u, "PATCH", "/entries/%lld", entry_p, "{\"values\": {\"report\": \"两年工作总结\"}}", edit[u]);
    }
    assert_int_equal(failures, 0);
}

static void test_apply(void **state)
{
    (void)state;
    post_id(tok[U_ADMIN], P("/calls/%lld/close", (long long)city_call), NULL);
    post_id(tok[U_ADMIN], P("/calls/%lld/close", (long long)a_call), NULL);
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int city[USERS] =       {200,  404,  403,  404,  403,  403,  403,  403};
    static const int dist[USERS] =       {200,  200,  403,  404,  403,  403,  403,  403};
    for (int u = USERS - 1; u >= 0; u--) {   /* the managers last: a refused row changes nothing */
        row(u, "POST", "/calls/%lld/recert/apply", city_call, NULL, city[u]);
        row(u, "POST", "/calls/%lld/recert/apply", a_call, NULL, dist[u]);
    }
    /* a district overrides no decision of the city's call (it does not own it) */
    row(U_A_ADMIN, "POST", "/entries/%lld/decide", entry_p, "{\"outcome\": \"keep\", \"reason\": \"x\"}", 403);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recert_routes),
        cmocka_unit_test(test_holder_entry),
        cmocka_unit_test(test_apply),
    };
    return run_api_tests(tests, setup, teardown);
}
