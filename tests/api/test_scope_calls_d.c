/* test_scope_calls_d.c - the data-scope matrix of the calls engine's board, reminders and exports
 * (issue 15, package D) for the city, a district's admin and staff, another district, two points'
 * staff, a teacher and a volunteer. The board's rows are the eligible units within the caller's
 * scope (a district its own points); staff, teachers and volunteers have no rank (403 first); the
 * collected table is the call's managers' (a district: 404, as for a missing call); a draft call
 * is its owner's alone; reminders reach the units behind within the caller's scope only.
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

static int64_t call_c, draft_c, entry_p, entry_b;

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
    /* a city call without stages, at least 2 entries a point: each point is behind */
    int64_t tpl = post_id(tok[U_ADMIN], "/call-templates",
                          jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s}], s:[], s:s, s:[s], s:i}}", "code", "sd_base", "name",
                                "范围测试", "kind", "selection", "config", "form", "key", "name", "label", "名称", "type", "text",
                                "stages", "eligible", "types", "eligible_types", "point", "min_per_unit", 2));
    call_c = post_id(tok[U_ADMIN], "/calls", jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id",
                                                  (json_int_t)root, "year", 2026, "title", "范围测试认定", "deadline", "2099-12-31"));
    post_id(tok[U_ADMIN], P("/calls/%lld/open", (long long)call_c), NULL);
    entry_p = entry_of(tok[U_P_STAFF], point_p);
    entry_b = entry_of(tok[U_ADMIN], point_b);
    draft_c = post_id(tok[U_ADMIN], "/calls", jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id",
                                                   (json_int_t)root, "year", 2027, "title", "范围测试草稿", "deadline", "2099-12-31"));
    return 0;
}

static void test_board(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int board[USERS] =      {200,  200,  403,  200,  403,  403,  403,  403};
    static const int units[USERS] =      {3,    2,    0,    1,    0,    0,    0,    0};
    static const int draft[USERS] =      {200,  404,  403,  404,  403,  403,  403,  403};
    static const int manage[USERS] =     {200,  404,  403,  404,  403,  403,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/calls/%lld/progress", call_c, NULL, board[u]);
        row(u, "GET", "/calls/%lld/progress/export.xlsx", call_c, NULL, board[u]);
        row(u, "GET", "/calls/%lld/progress", draft_c, NULL, draft[u]);
        row(u, "GET", "/calls/%lld/export.xlsx", call_c, NULL, manage[u]);
        if (board[u] != 200) continue;
        json_t *j = NULL;
        int st = api("GET", P("/calls/%lld/progress", (long long)call_c), tok[u], NULL, &j);
        if (st != 200 || jint(j, "total") != units[u] || jint(j, "totals.units") != units[u])
            fprintf(stderr, "FAIL %s board units: %d %lld\n", user_name[u], st, (long long)jint(j, "total")), failures++;
        json_decref(j);
    }
    assert_int_equal(failures, 0);
}

static void test_reminders(void **state)
{
    (void)state;
    /* in this order: district B reminds Bp, district A its two points, the city nobody left */
    const struct { int u, status, sent; } order[] = {
        {U_A_STAFF, 403, 0}, {U_P_STAFF, 403, 0}, {U_P_TEACHER, 403, 0}, {U_P_VOLUNTEER, 403, 0},
        {U_B_ADMIN, 200, 1}, {U_A_ADMIN, 200, 2}, {U_ADMIN, 200, 0}, {U_A_ADMIN, 200, 0},
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        json_t *j = NULL;
        int st = api("POST", P("/calls/%lld/reminders", (long long)call_c), tok[order[i].u], NULL, &j);
        if (st != order[i].status || (st == 200 && jint(j, "sent") != order[i].sent))
            fprintf(stderr, "FAIL %s reminders: %d\n", user_name[order[i].u], st), failures++;
        json_decref(j);
    }
    row(U_A_ADMIN, "POST", "/calls/%lld/reminders", draft_c, NULL, 404);
    /* each district sees its own reminders in the audit; the city all three */
    assert_int_equal(list_total(tok[U_ADMIN], "/audit?entity=call_reminder"), 3);
    assert_int_equal(list_total(tok[U_A_ADMIN], "/audit?entity=call_reminder"), 2);
    assert_int_equal(list_total(tok[U_B_ADMIN], "/audit?entity=call_reminder"), 1);
    assert_int_equal(failures, 0);
}

/* Funds: the entries' payments are seen along the entrant's path; paying and the call's funds
 * are its managers'. */
static void test_funds(void **state)
{
    (void)state;
    post_id(tok[U_ADMIN], P("/calls/%lld/close", (long long)call_c), NULL);
    post_id(tok[U_ADMIN], P("/entries/%lld/decide", (long long)entry_p),
            jpack("{s:s, s:s, s:i, s:s}", "outcome", "selected", "award_level", "资助", "award_amount", 1000, "reason", "x"));
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int see_p[USERS] =      {200,  200,  200,  404,  200,  404,  403,  403};
    static const int pay_p[USERS] =      {201,  403,  403,  404,  403,  403,  403,  403};
    static const int manage[USERS] =     {200,  404,  403,  404,  403,  403,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/entries/%lld/disbursements", entry_p, NULL, see_p[u]);
        row(u, "GET", "/calls/%lld/funds", call_c, NULL, manage[u]);
        row(u, "POST", "/entries/%lld/disbursements", entry_p, "{\"amount\": 10, \"day\": \"2026-06-01\"}", pay_p[u]);
    }
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_board),
        cmocka_unit_test(test_reminders),
        cmocka_unit_test(test_funds),
    };
    return run_api_tests(tests, setup, teardown);
}
