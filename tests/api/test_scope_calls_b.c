/* test_scope_calls_b.c - the data-scope matrix of review and ranking (issue 15, package B):
 * every endpoint of a call's reviewers, assignments, rounds, ranking and award proposal (the
 * call's managers only: a district below the city's call answers as for a missing call), and of
 * the reviewer's own sheets (/reviews: its own only, whatever its unit or rank; no manager reads
 * a sheet through them). A record outside the scope answers exactly like a missing id (status,
 * code and field); the role check comes first (403).
 *
 *   root(city) ─┬─ A(district) ─── Ap(point)      reviewers: A's staff, B's staff
 *               └─ B(district) ─── Bp(point) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

enum { U_ADMIN, U_A_ADMIN, U_A_STAFF, U_B_ADMIN, U_B_STAFF, U_P_STAFF, U_P_TEACHER, USERS };
static const char *const user_name[USERS] = {"admin", "sb_a_admin", "sb_a_staff", "sb_b_admin", "sb_b_staff",
                                             "sb_p_staff", "sb_p_teacher"};
static char *tok[USERS];
static int64_t user_id[USERS], root, dist_a, dist_b, point_p, point_b, call_c, entry_p, sheet_p;
static int failures;

#define MISSING MATRIX_MISSING

static int64_t post_id(const char *token, const char *path, json_t *body)
{
    json_t *j = NULL;
    int st = api("POST", path, token, body, &j);
    if (st != 201 && st != 200) fprintf(stderr, "POST %s: %d\n", path, st);
    assert_true(st == 201 || st == 200);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    tok[U_ADMIN] = login("admin", ADMIN_PASSWORD);
    user_id[U_ADMIN] = me_id(tok[U_ADMIN]);
    root = root_org_id(tok[U_ADMIN]);
    dist_a = create_org(tok[U_ADMIN], root, "district", "评审范围甲区");
    dist_b = create_org(tok[U_ADMIN], root, "district", "评审范围乙区");
    point_p = create_org(tok[U_ADMIN], dist_a, "point", "甲区评审点");
    point_b = create_org(tok[U_ADMIN], dist_b, "point", "乙区评审点");
    const struct { int64_t org; const char *role, *scope; } u[USERS] = {
        {0, NULL, NULL}, {dist_a, "org_admin", "subtree"}, {dist_a, "staff", "subtree"}, {dist_b, "org_admin", "subtree"},
        {dist_b, "staff", "subtree"}, {point_p, "staff", "org"}, {point_p, "teacher", "org"},
    };
    for (int i = 1; i < USERS; i++) {
        user_id[i] = create_user(tok[U_ADMIN], user_name[i], u[i].org, u[i].role, u[i].scope, 0);
        tok[i] = login(user_name[i], USER_PASSWORD);
    }
    int64_t tpl = post_id(tok[U_ADMIN], "/call-templates",
                          jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s}], s:[], s:s, s:[s], s:{s:i, s:[{s:s, s:s, s:i}]}}}",
                                "code", "sb_review", "name", "评审范围模板", "kind", "contest", "config", "form", "key",
                                "name", "label", "名称", "type", "text", "stages", "eligible", "types", "eligible_types",
                                "point", "review", "per_entry", 1, "criteria", "key", "q", "label", "质量", "max", 10));
    call_c = post_id(tok[U_ADMIN], "/calls", jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id",
                                                   (json_int_t)root, "year", 2026, "title", "评审范围征集", "deadline",
                                                   "2099-12-31"));
    post_id(tok[U_ADMIN], P("/calls/%lld/open", (long long)call_c), NULL);
    entry_p = post_id(tok[U_P_STAFF], P("/calls/%lld/entries", (long long)call_c),
                      jpack("{s:s, s:{s:s}}", "title", "甲区作品", "values", "name", "甲"));
    post_id(tok[U_P_STAFF], P("/entries/%lld/submit", (long long)entry_p), NULL);
    int64_t entry_b = post_id(tok[U_ADMIN], P("/calls/%lld/entries", (long long)call_c),
                              jpack("{s:I, s:s, s:{s:s}}", "org_id", (json_int_t)point_b, "title", "乙区作品", "values",
                                    "name", "乙"));
    post_id(tok[U_ADMIN], P("/entries/%lld/submit", (long long)entry_b), NULL);
    post_id(tok[U_ADMIN], P("/calls/%lld/close", (long long)call_c), NULL);
    for (int i = U_A_STAFF; i <= U_B_STAFF; i += U_B_STAFF - U_A_STAFF)
        post_id(tok[U_ADMIN], P("/calls/%lld/reviewers", (long long)call_c), jpack("{s:I}", "user_id", (json_int_t)user_id[i]));
    post_id(tok[U_ADMIN], P("/calls/%lld/assignments", (long long)call_c), jpack("{s:b}", "auto", 1));
    /* Ap's entry goes to B's staff (A's would conflict) */
    json_t *j = NULL;
    expect_status(api("GET", P("/calls/%lld/assignments?entry_id=%lld", (long long)call_c, (long long)entry_p), tok[U_ADMIN],
                      NULL, &j), j, 200);
    assert_int_equal(jint(j, "items.0.user_id"), user_id[U_B_STAFF]);
    sheet_p = jint(j, "items.0.id");
    json_decref(j);
    return 0;
}

static int teardown(void **state)
{
    for (int i = 0; i < USERS; i++) free(tok[i]);
    return server_stop(state);
}

/* A matrix row for user u (-1: anonymous), as harness.c's scope_row() checks it. */
static void row(int u, const char *method, const char *fmt, int64_t id, const char *body, int want)
{
    if (!scope_row(u < 0 ? "public" : user_name[u], u < 0 ? NULL : tok[u], method, fmt, id, body, want)) failures++;
}

static void test_call_management(void **state)
{
    (void)state;
    char add[64];
    snprintf(add, sizeof add, "{\"user_id\":%lld}", (long long)user_id[U_B_STAFF]);
    /*                                      admin a_adm a_stf b_adm b_stf p_stf teach */
    static const int read[USERS] =         {200,  404,  403,  404,  403,  403,  403};
    static const int add_dup[USERS] =      {409,  404,  403,  404,  403,  403,  403};
    static const int close_pend[USERS] =   {409,  404,  403,  404,  403,  403,  403};
    static const int propose[USERS] =      {409,  404,  403,  404,  403,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/calls/%lld/reviewers", call_c, NULL, read[u]);
        row(u, "POST", "/calls/%lld/reviewers", call_c, add, add_dup[u]);
        row(u, "GET", "/calls/%lld/assignments", call_c, NULL, read[u]);
        row(u, "POST", "/calls/%lld/assignments", call_c, "{\"auto\":true}", read[u]);
        row(u, "POST", "/calls/%lld/rounds/1/close", call_c, NULL, close_pend[u]);
        row(u, "GET", "/calls/%lld/ranking", call_c, NULL, read[u]);
        row(u, "POST", "/calls/%lld/awards/propose", call_c, NULL, propose[u]);
    }
    assert_int_equal(failures, 0);
}

static void test_sheets(void **state)
{
    (void)state;
    /* the sheet is its reviewer's alone: not its call's owner, nor the entrant's district */
    /*                                      admin a_adm a_stf b_adm b_stf p_stf teach */
    static const int own[USERS] =          {404,  404,  404,  404,  200,  404,  404};
    static const int reopen[USERS] =       {409,  404,  403,  404,  403,  403,  403};
    static const int mine[USERS] =         {0,    0,    1,    0,    1,    0,    0};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/reviews/%lld", sheet_p, NULL, own[u]);
        row(u, "PUT", "/reviews/%lld", sheet_p, "{\"comment\":\"草稿\"}", own[u]);
        row(u, "POST", "/reviews/%lld/reopen", sheet_p, "{\"reason\":\"重评\"}", reopen[u]);
        if (list_total(tok[u], "/reviews") != mine[u]) fprintf(stderr, "FAIL %s GET /reviews\n", user_name[u]), failures++;
    }
    /* submitting another's sheet: as missing */
    row(U_A_STAFF, "POST", "/reviews/%lld/submit", sheet_p, "{\"scores\":{\"q\":{\"score\":50}}}", 404);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call_management),
        cmocka_unit_test(test_sheets),
    };
    return run_api_tests(tests, setup, teardown);
}
