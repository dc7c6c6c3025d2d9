/* test_scope_screens.c - the data-scope matrix of 科普e站 screens (issue 18 D, src/screens/):
 * screens, playlists and screen administrators are their node's: the node's staff and the nodes
 * above read and write them, another point or district gets 404 (as for a missing id), teachers
 * and volunteers are below the routes' rank (403), the anonymous 401. Registering a code, creating
 * a playlist or an administrator for a node outside the caller's scope: 404 on org_id.
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

enum { PAIR_LIMIT = 3 };   /* KEPU_SCREEN_PAIR_LIMIT here: codes per address per 10 minutes */
static int codes_issued;

/* A pairing code from the kiosk side (caller frees). */
static char *new_code(void)
{
    http_resp resp;
    codes_issued++;
    assert_int_equal(http("POST", API_BASE "/kiosk/pairings", NULL, NULL, 0, &resp), 201);
    char *code = strdup(jstr(resp.json, "code"));
    http_resp_free(&resp);
    return code;
}

static int64_t screen_p;

static int setup(void **state)
{
    setenv("KEPU_SCREEN_PAIR_LIMIT", "3", 1);
    if (world_start(state) != 0) return -1;
    char *code = new_code();
    screen_p = post_id(tok[U_P_STAFF], "/screens/pair", jpack("{s:s, s:s}", "code", code, "name", "P点屏幕"));
    free(code);
    return 0;
}

/*                                        admin a_adm a_stf b_adm p_stf q_stf teach volun */
static const int node_p[USERS] =         {200,  200,  200,  404,  200,  404,  403,  403};

static void test_screens(void **state)
{
    (void)state;
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/screens/%lld", screen_p, NULL, node_p[u]);
        row(u, "PATCH", "/screens/%lld", screen_p, "{\"place\": \"大厅\"}", node_p[u]);
        row(u, "GET", "/screens?org_id=%lld", point_p, NULL, node_p[u]);
        row(u, "GET", "/screens?online=false&org_id=%lld", point_p, NULL, node_p[u]);
        row(u, "GET", "/screens?format=xlsx&org_id=%lld", point_p, NULL, node_p[u]);
    }
    row(-1, "GET", "/screens/%lld", screen_p, NULL, 401);
    row(-1, "GET", "/screens", 0, NULL, 401);
    /* B's admin lists no screen of A's */
    json_t *j = NULL;
    expect_status(api("GET", "/screens", tok[U_B_ADMIN], NULL, &j), j, 200);
    assert_false(items_have_id(jget(j, "items"), screen_p));
    json_decref(j);
    /* registering a code to a node outside the scope: 404 on org_id, the code stays usable */
    char *code = new_code();
    expect_api_error("POST", "/screens/pair", tok[U_B_ADMIN], jpack("{s:s, s:s, s:I}", "code", code, "name", "x", "org_id", (json_int_t)point_p),
                     404, "not_found", "org_id");
    expect_api_error("POST", "/screens/pair", tok[U_Q_STAFF], jpack("{s:s, s:s, s:I}", "code", code, "name", "x", "org_id", (json_int_t)point_p),
                     404, "not_found", "org_id");
    expect_api_error("POST", "/screens/pair", tok[U_P_TEACHER], jpack("{s:s, s:s}", "code", code, "name", "x"), 403, "forbidden", NULL);
    int64_t second = post_id(tok[U_A_STAFF], "/screens/pair", jpack("{s:s, s:s, s:I}", "code", code, "name", "P点二号屏", "org_id",
                                                                  (json_int_t)point_p));
    free(code);
    /* revocation last: it changes the screen (again: the same answer) */
    for (int u = 0; u < USERS; u++) row(u, "POST", "/screens/%lld/revoke", second, NULL, node_p[u]);
    assert_int_equal(failures, 0);
}

static void test_playlists(void **state)
{
    (void)state;
    int64_t pl = post_id(tok[U_P_STAFF], "/playlists", jpack("{s:s, s:[{s:s, s:i}]}", "name", "P点列表", "items", "kind", "courses", "seconds", 20));
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/playlists/%lld", pl, NULL, node_p[u]);
        row(u, "PATCH", "/playlists/%lld", pl, "{\"name\": \"P点轮播\"}", node_p[u]);
        row(u, "GET", "/playlists?org_id=%lld", point_p, NULL, node_p[u]);
        if (node_p[u] != 200) row(u, "DELETE", "/playlists/%lld", pl, NULL, node_p[u]);
    }
    row(-1, "GET", "/playlists", 0, NULL, 401);
    expect_api_error("POST", "/playlists", tok[U_B_ADMIN], jpack("{s:s, s:I}", "name", "x", "org_id", (json_int_t)point_p), 404, "not_found",
                     "org_id");
    expect_api_error("POST", "/playlists", tok[U_P_VOLUNTEER], jpack("{s:s}", "name", "x"), 403, "forbidden", NULL);
    /* A's playlist for P's screen: fits (a node above); Q's does not (not above P) */
    int64_t a_pl = post_id(tok[U_A_STAFF], "/playlists", jpack("{s:s}", "name", "甲区列表"));
    int64_t q_pl = post_id(tok[U_Q_STAFF], "/playlists", jpack("{s:s}", "name", "Q点列表"));
    expect_api_error("PATCH", P("/screens/%lld", (long long)screen_p), tok[U_A_STAFF], jpack("{s:I}", "playlist_id", (json_int_t)q_pl),
                     404, "not_found", "playlist_id");
    expect_api_error("PATCH", P("/screens/%lld", (long long)screen_p), tok[U_P_STAFF], jpack("{s:I}", "playlist_id", (json_int_t)a_pl),
                     404, "not_found", "playlist_id");   /* P cannot see A's */
    row(U_A_STAFF, "PATCH", "/screens/%lld", screen_p, P("{\"playlist_id\": %lld}", (long long)a_pl), 200);
    row(U_P_STAFF, "PATCH", "/screens/%lld", screen_p, "{\"name\": \"P点屏幕甲\"}", 200);   /* unchanged playlist stays */
    row(U_P_STAFF, "DELETE", "/playlists/%lld", pl, NULL, 204);
    assert_int_equal(failures, 0);
}

static void test_admins(void **state)
{
    (void)state;
    int64_t m = post_id(tok[U_P_STAFF], "/screen-admins", jpack("{s:s, s:s}", "name", "李明", "phone", "13912345678"));
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/screen-admins/%lld", m, NULL, node_p[u]);
        row(u, "PATCH", "/screen-admins/%lld", m, "{\"awards\": [{\"date\": \"2026-05-01\", \"title\": \"优秀\"}]}", node_p[u]);
        row(u, "GET", "/screen-admins?org_id=%lld", point_p, NULL, node_p[u]);
        if (node_p[u] != 200) row(u, "DELETE", "/screen-admins/%lld", m, NULL, node_p[u]);
    }
    row(-1, "GET", "/screen-admins", 0, NULL, 401);
    expect_api_error("POST", "/screen-admins", tok[U_B_ADMIN], jpack("{s:s, s:I}", "name", "x", "org_id", (json_int_t)point_p), 404,
                     "not_found", "org_id");
    row(U_A_ADMIN, "DELETE", "/screen-admins/%lld", m, NULL, 204);
    assert_int_equal(failures, 0);
}

/* The public pairing call is limited per address: past the limit 429 with Retry-After, and the
 * claim of a code that does not exist is the same 404 as a wrong secret. */
static void test_pairing_limit(void **state)
{
    (void)state;
    while (codes_issued < PAIR_LIMIT) free(new_code());
    http_resp resp;
    assert_int_equal(http("POST", API_BASE "/kiosk/pairings", NULL, NULL, 0, &resp), 429);
    assert_string_equal(jstr(resp.json, "error.code"), "too_many_attempts");
    char *retry = resp_header(&resp, "Retry-After");
    assert_non_null(retry);
    free(retry);
    http_resp_free(&resp);
    const char *hdr[] = {"Content-Type: application/json", NULL};
    const char *body = "{\"code\": \"999999\", \"secret\": \"x\"}";
    assert_int_equal(http("POST", API_BASE "/kiosk/pairings/claim", hdr, body, strlen(body), &resp), 404);
    http_resp_free(&resp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screens),
        cmocka_unit_test(test_playlists),
        cmocka_unit_test(test_admins),
        cmocka_unit_test(test_pairing_limit),
    };
    return run_api_tests(tests, setup, teardown);
}
