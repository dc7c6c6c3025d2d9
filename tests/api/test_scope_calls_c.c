/* test_scope_calls_c.c - the data-scope matrix of the calls engine's results and titles (issue
 * 15, package C): decisions, the 公示 and its objections, finalize, award certificates and titles,
 * for the city, a district's admin and staff, another district, two points' staff, a teacher and
 * a volunteer. A record outside the caller's scope answers exactly like a missing id; the role
 * check comes first (403); a district that sees an entry of the city's call does not decide it
 * (403), and does not manage the call (404, as for a missing call).
 *
 *   root(city) ─┬─ A(district) ─┬─ Ap(point)
 *               │               └─ Aq(point)
 *               └─ B(district) ─── Bp(point) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "calls_scope_world.h"

static int64_t call_c, entry_p, entry_b, objection;

static int64_t entry_of(const char *token, int64_t org)
{
    int64_t id = post_id(token, P("/calls/%lld/entries", (long long)call_c),
                         jpack("{s:I, s:s, s:{s:s}}", "org_id", (json_int_t)org, "title", "范围测试申报", "values", "name", "甲"));
    post_id(token, P("/entries/%lld/submit", (long long)id), NULL);
    return id;
}

static int setup(void **state)
{
    if (world_start(state) != 0) return -1;
    /* a city call without stages: entries reach the city at once; titles "base" */
    int64_t tpl = post_id(tok[U_ADMIN], "/call-templates",
                          jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s}], s:[], s:s, s:[s], s:{s:s}}}", "code", "sr_base", "name",
                                "范围测试", "kind", "selection", "config", "form", "key", "name", "label", "名称", "type", "text",
                                "stages", "eligible", "types", "eligible_types", "point", "designation", "kind", "base"));
    call_c = post_id(tok[U_ADMIN], "/calls", jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id",
                                                  (json_int_t)root, "year", 2026, "title", "范围测试认定", "deadline", "2099-12-31"));
    post_id(tok[U_ADMIN], P("/calls/%lld/open", (long long)call_c), NULL);
    entry_p = entry_of(tok[U_P_STAFF], point_p);
    entry_b = entry_of(tok[U_ADMIN], point_b);
    post_id(tok[U_ADMIN], P("/calls/%lld/close", (long long)call_c), NULL);
    return 0;
}

static const char DECIDE[] = "{\"outcome\":\"selected\",\"award_level\":\"一等\",\"reason\":\"x\"}";

static void test_decisions(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int decide_p[USERS] =   {200,  403,  403,  404,  403,  403,  403,  403};
    static const int decide_b[USERS] =   {200,  404,  403,  403,  403,  403,  403,  403};
    static const int manage[USERS] =     {200,  404,  403,  404,  403,  403,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "POST", "/entries/%lld/decide", entry_p, DECIDE, decide_p[u]);
        row(u, "POST", "/entries/%lld/decide", entry_b, DECIDE, decide_b[u]);
        row(u, "GET", "/calls/%lld/decisions", call_c, NULL, manage[u]);
        row(u, "GET", "/calls/%lld/objections", call_c, NULL, manage[u]);
        row(u, "GET", "/calls/%lld/certificates", call_c, NULL, manage[u]);
        if (u != U_ADMIN) {
            row(u, "POST", "/calls/%lld/publicity", call_c, "{\"ends_at\":\"2099-12-31\"}", manage[u]);
            row(u, "POST", "/calls/%lld/finalize", call_c, NULL, manage[u]);
        }
    }
    row(U_ADMIN, "POST", "/calls/%lld/publicity", call_c, "{\"ends_at\":\"2099-12-31\"}", 200);
    assert_int_equal(failures, 0);
}

static void test_objections(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", P("/public/calls/%lld/objections", (long long)call_c), NULL,
                      jpack("{s:s, s:s, s:s}", "name", "李某", "phone", "13912345678", "body", "有异议"), &j), j, 201);
    objection = jint(j, "id");
    json_decref(j);
    /* a call not in 公示 answers as a missing one to the public */
    row(-1, "POST", "/public/calls/%lld/objections", call_c + 1000, "{\"name\":\"李某\",\"phone\":\"13912345678\",\"body\":\"x\"}", 404);
    row(-1, "GET", "/public/calls/%lld/publicity", call_c, NULL, 200);
    static const int respond[USERS] =    {200,  404,  403,  404,  403,  403,  403,  403};
    for (int u = USERS - 1; u >= 0; u--)   /* the city last: it answers it */
        row(u, "POST", "/objections/%lld/respond", objection, "{\"decision\":\"dismissed\",\"response\":\"已核实\"}", respond[u]);
    expect_status(api("GET", P("/public/calls/%lld/publicity", (long long)call_c), NULL, NULL, &j), j, 200);
    char starts[40];
    snprintf(starts, sizeof starts, "%s", jstr(j, "publicity.starts_at"));
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/publicity", (long long)call_c), tok[U_ADMIN],
                      jpack("{s:s, s:s}", "ends_at", starts, "reason", "结束"), &j), j, 200);
    json_decref(j);
    row(U_ADMIN, "POST", "/calls/%lld/finalize", call_c, NULL, 200);
    assert_int_equal(failures, 0);
}

static int64_t first_id(const char *token, const char *path)
{
    json_t *j = NULL;
    expect_status(api("GET", path, token, NULL, &j), j, 200);
    int64_t id = jint(j, "items.0.id");
    json_decref(j);
    return id;
}

static void test_titles_and_certificates(void **state)
{
    (void)state;
    int64_t des_p = first_id(tok[U_ADMIN], P("/designations?org_id=%lld", (long long)point_p));
    int64_t des_b = first_id(tok[U_ADMIN], P("/designations?org_id=%lld", (long long)point_b));
    int64_t cert_p = first_id(tok[U_ADMIN], P("/calls/%lld/certificates", (long long)call_c));
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int get_p[USERS] =      {200,  200,  200,  404,  200,  404,  200,  200};
    static const int get_b[USERS] =      {200,  404,  404,  200,  404,  404,  404,  404};
    static const int list[USERS] =       {2,    1,    1,    1,    1,    0,    1,    1};
    static const int pdf_p[USERS] =      {200,  200,  200,  404,  200,  404,  200,  200};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/designations/%lld", des_p, NULL, get_p[u]);
        row(u, "GET", "/designations/%lld", des_b, NULL, get_b[u]);
        row(u, "GET", "/orgs/%lld/titles", point_p, NULL, get_p[u]);
        row(u, "GET", "/orgs/%lld/titles", point_b, NULL, get_b[u]);
        row(u, "GET", "/award-certificates/%lld/certificate.pdf", cert_p, NULL, pdf_p[u]);
        json_t *j = NULL;
        int st = api("GET", "/designations", tok[u], NULL, &j);
        if (st != 200 || jint(j, "total") != list[u])
            fprintf(stderr, "FAIL %s designations: %d %lld\n", user_name[u], st, (long long)jint(j, "total")), failures++;
        json_decref(j);
    }
    /* grants and revocations: a level above the holder within the scope; staff have no rank */
    row(U_B_ADMIN, "POST", "/designations/%lld/revoke", des_p, "{\"reason\":\"x\"}", 404);
    row(U_A_STAFF, "POST", "/designations/%lld/revoke", des_p, "{\"reason\":\"x\"}", 403);
    row(U_P_STAFF, "POST", "/designations/%lld/revoke", des_p, "{\"reason\":\"x\"}", 403);
    expect_api_error("POST", "/designations", tok[U_A_ADMIN], jpack("{s:s, s:I}", "kind", "demo_point", "org_id", (json_int_t)point_b),
                     404, "not_found", "org_id");
    expect_api_error("POST", "/designations", tok[U_A_ADMIN], jpack("{s:s, s:I}", "kind", "demo_point", "org_id", (json_int_t)MISSING),
                     404, "not_found", "org_id");
    expect_api_error("POST", "/designations", tok[U_P_STAFF], jpack("{s:s, s:I}", "kind", "demo_point", "org_id", (json_int_t)point_p),
                     403, "forbidden", NULL);
    row(U_A_ADMIN, "POST", "/designations/%lld/revoke", des_p, "{\"reason\":\"复核\"}", 200);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decisions),
        cmocka_unit_test(test_objections),
        cmocka_unit_test(test_titles_and_certificates),
    };
    return run_api_tests(tests, setup, teardown);
}
