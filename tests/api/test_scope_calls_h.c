/* test_scope_calls_h.c - the data-scope matrix of package H (issue 15): the expert pool, an
 * entry's follow-up reports and the performance round, for the city, a district's admin and
 * staff, another district, two points' staff, a teacher, a volunteer and a reviewer-role account.
 * The pool is its keeping unit's managers' (org_admin; a district sees its own entries, not the
 * city's: 404 as for a missing id); reports follow their entry (the unit, the levels above; the
 * other district and the sibling point: 404); starting one is the entrant's or the call's
 * managers'; opening a round is the managers'; the reviewer role is refused everywhere (403).
 *
 *   root(city) ─┬─ A(district) ─┬─ P(point)
 *               │               └─ Q(point)
 *               └─ B(district) ─── B's point */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "calls_scope_world.h"

static char *reviewer;
static int64_t call_c, entry_p, report_p, evidence, ex_city, ex_a, u_reviewer, u_reviewer2;

static int setup(void **state)
{
    if (world_start(state) != 0) return -1;
    u_reviewer = create_user(tok[U_ADMIN], "h_reviewer", dist_b, "reviewer", "self", 0);
    u_reviewer2 = create_user(tok[U_ADMIN], "h_reviewer2", point_b, "reviewer", "self", 0);
    reviewer = login("h_reviewer", USER_PASSWORD);
    int64_t tpl = post_id(tok[U_ADMIN], "/call-templates",
                          jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s}], s:[], s:s, s:[s]}}", "code", "sh_fund", "name",
                                "范围资助", "kind", "application", "config", "form", "key", "name", "label", "名称", "type", "text",
                                "stages", "eligible", "types", "eligible_types", "point"));
    call_c = post_id(tok[U_ADMIN], "/calls", jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id",
                                                  (json_int_t)root, "year", 2025, "title", "范围资助项目", "deadline", "2099-12-31"));
    post_id(tok[U_ADMIN], P("/calls/%lld/open", (long long)call_c), NULL);
    entry_p = post_id(tok[U_P_STAFF], P("/calls/%lld/entries", (long long)call_c),
                      jpack("{s:s, s:{s:s}}", "title", "P点项目", "values", "name", "P点项目"));
    post_id(tok[U_P_STAFF], P("/entries/%lld/submit", (long long)entry_p), NULL);
    post_id(tok[U_ADMIN], P("/entries/%lld/decide", (long long)entry_p),
            jpack("{s:s, s:s, s:i, s:s}", "outcome", "selected", "award_level", "资助", "award_amount", 10000, "reason", "资助"));
    report_p = post_id(tok[U_P_STAFF], P("/entries/%lld/reports", (long long)entry_p), jpack("{s:s}", "kind", "midterm"));
    assert_int_equal(api("PATCH", P("/entries/%lld", (long long)report_p), tok[U_P_STAFF],
                         jpack("{s:{s:s, s:s, s:s}}", "values", "progress", "进展", "spending", "支出", "effect", "成效"), NULL),
                     200);
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok[U_P_STAFF]);
    const char *headers[] = {auth, "Content-Type: application/octet-stream", "X-File-Name: report.pdf", NULL};
    http_resp resp;
    assert_int_equal(http("POST", P(API_BASE "/entries/%lld/files", (long long)report_p), headers, "%PDF-1.4 h", 10, &resp), 201);
    evidence = jint(resp.json, "id");
    http_resp_free(&resp);
    post_id(tok[U_P_STAFF], P("/entries/%lld/submit", (long long)report_p), NULL);
    post_id(tok[U_ADMIN], P("/calls/%lld/close", (long long)call_c), NULL);
    ex_city = post_id(tok[U_ADMIN], "/experts", jpack("{s:I, s:s}", "user_id", (json_int_t)u_reviewer, "name", "市级专家"));
    ex_a = post_id(tok[U_A_ADMIN], "/experts", jpack("{s:I, s:s}", "user_id", (json_int_t)u_reviewer, "name", "甲区专家"));
    return 0;
}

static int teardown_h(void **state)
{
    free(reviewer);
    return teardown(state);
}

static void reviewer_row(const char *method, const char *fmt, int64_t id, const char *body)
{
    if (!scope_row("reviewer", reviewer, method, fmt, id, body, 403)) failures++;
}

static void test_experts(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int list[USERS] =       {200,  200,  403,  200,  403,  403,  403,  403};
    static const int city[USERS] =       {200,  404,  403,  404,  403,  403,  403,  403};
    static const int of_a[USERS] =       {200,  200,  403,  404,  403,  403,  403,  403};
    static const int add[USERS] =        {201,  201,  403,  201,  403,  403,  403,  403};
    char body[80];
    snprintf(body, sizeof body, "{\"user_id\":%lld,\"name\":\"新专家\"}", (long long)u_reviewer2);
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/experts", 0, NULL, list[u]);
        row(u, "GET", "/experts/%lld", ex_city, NULL, city[u]);
        row(u, "PATCH", "/experts/%lld", ex_city, "{\"name\":\"市级专家\"}", city[u]);
        row(u, "GET", "/experts/%lld", ex_a, NULL, of_a[u]);
        row(u, "PATCH", "/experts/%lld", ex_a, "{\"name\":\"甲区专家\"}", of_a[u]);
        row(u, "POST", "/experts", 0, body, add[u]);
    }
    reviewer_row("GET", "/experts", 0, NULL);
    reviewer_row("GET", "/experts/%lld", ex_city, NULL);
    reviewer_row("POST", "/experts", 0, body);
    /* each keeping unit's list: the city's three, A's two, B's one */
    assert_int_equal(list_total(tok[U_ADMIN], "/experts"), 5);
    assert_int_equal(list_total(tok[U_A_ADMIN], "/experts"), 2);
    assert_int_equal(list_total(tok[U_B_ADMIN], "/experts"), 1);
    assert_int_equal(failures, 0);
}

static void test_reports(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int list[USERS] =       {200,  200,  200,  404,  200,  404,  403,  403};
    /* starting a report: the entrant or the call's managers; A's admin and staff are neither */
    static const int start[USERS] =      {409,  403,  403,  404,  201,  404,  403,  403};
    static const int order[USERS] = {U_A_ADMIN, U_A_STAFF, U_B_ADMIN, U_Q_STAFF, U_P_TEACHER, U_P_VOLUNTEER, U_P_STAFF, U_ADMIN};
    for (int u = 0; u < USERS; u++) row(u, "GET", "/entries/%lld/reports", entry_p, NULL, list[u]);
    for (int k = 0; k < USERS; k++) row(order[k], "POST", "/entries/%lld/reports", entry_p, "{\"kind\":\"final\"}", start[order[k]]);
    reviewer_row("GET", "/entries/%lld/reports", entry_p, NULL);
    reviewer_row("POST", "/entries/%lld/reports", entry_p, "{\"kind\":\"final\"}");
    assert_int_equal(failures, 0);
}

static void test_rounds(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int open[USERS] =       {201,  404,  403,  404,  403,  403,  403,  403};
    for (int u = USERS - 1; u >= 0; u--)   /* the city last: it opens the round */
        row(u, "POST", "/calls/%lld/rounds", call_c, "{\"purpose\":\"performance\"}", open[u]);
    reviewer_row("POST", "/calls/%lld/rounds", call_c, "{\"purpose\":\"performance\"}");
    row(U_ADMIN, "POST", "/calls/%lld/rounds", call_c, "{\"purpose\":\"performance\"}", 409);
    /* a sheet of the round and its evidence: its reviewer's alone (everyone else: 404 as missing) */
    char body[96];
    snprintf(body, sizeof body, "{\"user_id\":%lld}", (long long)u_reviewer);
    post_id(tok[U_ADMIN], P("/calls/%lld/reviewers", (long long)call_c), json_loads(body, 0, NULL));
    snprintf(body, sizeof body, "{\"entry_id\":%lld,\"user_id\":%lld}", (long long)report_p, (long long)u_reviewer);
    int64_t sheet = post_id(tok[U_ADMIN], P("/calls/%lld/assignments", (long long)call_c), json_loads(body, 0, NULL));
    char path[96];
    snprintf(path, sizeof path, "/reviews/%%lld/files/%lld", (long long)evidence);
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/reviews/%lld", sheet, NULL, 404);
        row(u, "GET", path, sheet, NULL, 404);
    }
    if (!scope_row("reviewer", reviewer, "GET", path, sheet, NULL, 200)) failures++;
    if (!scope_row("reviewer", reviewer, "GET", "/reviews/%lld", sheet, NULL, 200)) failures++;
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_experts),
        cmocka_unit_test(test_reports),
        cmocka_unit_test(test_rounds),
    };
    return run_api_tests(tests, setup, teardown_h);
}
