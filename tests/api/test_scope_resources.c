/* test_scope_resources.c - the data-scope matrix of the resource library (issue 18 A,
 * src/resources/) for the city, a district's admin and staff, another district, two points'
 * staff, a teacher and a volunteer. A resource is read and written by its uploader's side (its
 * node and the nodes above); once the level above approves it, every node under the approving
 * node reads it too, read-only (a write: 403). Review is for a node strictly above the uploader's
 * (the uploader's own node: 403), the top node approving its own. Teachers and volunteers read
 * but are below the write routes' rank.
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

static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                    0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};

/* POST a PNG as a new version; the status and (for 201) the version's id. */
static int upload_png(const char *token, int64_t id, int64_t *vid)
{
    char auth[512];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *headers[] = {auth, "X-File-Name: 图集.png", "Content-Type: application/octet-stream", NULL};
    http_resp resp;
    int st = http("POST", P(API_BASE "/resources/%lld/versions", (long long)id), headers, (const char *)png, sizeof png, &resp);
    if (vid) *vid = jint(resp.json, "id");
    http_resp_free(&resp);
    return st;
}

/* A resource of token's node with one version, submitted. */
static int64_t submitted(const char *token, const char *title)
{
    int64_t id = post_id(token, "/resources", jpack("{s:s, s:s}", "title", title, "kind", "images"));
    assert_int_equal(upload_png(token, id, NULL), 201);
    post_id(token, P("/resources/%lld/submit", (long long)id), NULL);
    return id;
}

static void test_point_resource_shared_by_district(void **state)
{
    (void)state;
    int64_t id = submitted(tok[U_P_STAFF], "P点的图集"), vid = 0;
    /* pending: the uploader's side only */
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int see[USERS] =        {200,  200,  200,  404,  200,  404,  200,  200};
    static const int add[USERS] =        {409,  409,  409,  404,  409,  404,  403,  403};
    static const int review[USERS] =     {0,    0,    0,    404,  403,  404,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/resources/%lld", id, NULL, see[u]);
        row(u, "GET", "/resources/%lld/versions", id, NULL, see[u]);
        if (review[u]) row(u, "POST", "/resources/%lld/review", id, "{\"decision\": \"approve\"}", review[u]);
        /* a pending resource takes no new version: 409 for those who may write it */
        if (upload_png(tok[u], id, NULL) != add[u]) fprintf(stderr, "FAIL %s upload\n", user_name[u]), failures++;
    }
    row(-1, "GET", "/resources/%lld", id, NULL, 401);
    /* the district's staff approves: shared from A down */
    row(U_A_STAFF, "POST", "/resources/%lld/review", id, "{\"decision\": \"approve\", \"comments\": \"好\"}", 200);
    assert_int_equal(upload_png(tok[U_P_STAFF], id, &vid), 201);
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int seen[USERS] =       {200,  200,  200,  404,  200,  200,  200,  200};
    static const int write[USERS] =      {200,  200,  200,  404,  200,  403,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/resources/%lld", id, NULL, seen[u]);
        row(u, "GET", "/resources/%lld/versions", id, NULL, seen[u]);
        row(u, "GET", P("/resources/%%lld/versions/%lld/file", (long long)vid), id, NULL, seen[u]);
        /* a PNG has no poster: the same 404 whether or not the caller reads the resource (a video's
         * poster read and refused by scope: test_resource_media.c) */
        row(u, "GET", P("/resources/%%lld/versions/%lld/poster", (long long)vid), id, NULL, 404);
        row(u, "PATCH", "/resources/%lld", id, "{\"audience\": \"社区居民\"}", write[u]);
        row(u, "POST", "/resources/%lld/review", id, "{\"decision\": \"reject\"}",
            u == U_ADMIN || u == U_A_ADMIN || u == U_A_STAFF ? 409 : write[u] == 200 ? 403 : write[u]);
    }
    assert_int_equal(failures, 0);
}

static void test_district_and_city_resources(void **state)
{
    (void)state;
    int64_t a = submitted(tok[U_A_STAFF], "甲区的课件"), city = submitted(tok[U_ADMIN], "全市的课件");
    /* the district cannot approve its own; the city approves it and its own (the top node) */
    row(U_A_ADMIN, "POST", "/resources/%lld/review", a, "{\"decision\": \"approve\"}", 403);
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int before[USERS] =     {200,  200,  200,  404,  404,  404,  404,  404};
    for (int u = 0; u < USERS; u++) row(u, "GET", "/resources/%lld", a, NULL, before[u]);
    row(U_ADMIN, "POST", "/resources/%lld/review", a, "{\"decision\": \"approve\"}", 200);
    row(U_ADMIN, "POST", "/resources/%lld/review", city, "{\"decision\": \"approve\"}", 200);
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/resources/%lld", a, NULL, 200);
        row(u, "GET", "/resources/%lld", city, NULL, 200);
    }
    /* shared to B by the city, still the uploader's to write */
    row(U_B_ADMIN, "PATCH", "/resources/%lld", a, "{\"audience\": \"x\"}", 403);
    row(U_B_ADMIN, "POST", "/resources/%lld/withdraw", a, NULL, 403);
    row(U_A_STAFF, "POST", "/resources/%lld/withdraw", a, NULL, 200);
    row(U_B_ADMIN, "GET", "/resources/%lld", a, NULL, 404);   /* withdrawn: shared no more */
    assert_int_equal(failures, 0);
}

static void test_drafts_and_delete(void **state)
{
    (void)state;
    int64_t d = post_id(tok[U_P_STAFF], "/resources", jpack("{s:s, s:s}", "title", "草稿", "kind", "document"));
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int see[USERS] =        {200,  200,  200,  404,  200,  404,  200,  200};
    static const int del[USERS] =        {0,    0,    0,    404,  0,    404,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/resources/%lld", d, NULL, see[u]);
        if (del[u]) row(u, "DELETE", "/resources/%lld", d, NULL, del[u]);
    }
    /* submit without a file: 409; another district cannot submit it */
    row(U_B_ADMIN, "POST", "/resources/%lld/submit", d, NULL, 404);
    row(U_P_STAFF, "POST", "/resources/%lld/submit", d, NULL, 409);
    row(U_P_STAFF, "DELETE", "/resources/%lld", d, NULL, 204);
    row(U_P_STAFF, "GET", "/resources/%lld", d, NULL, 404);
    /* the list: B's admin sees none of A's */
    json_t *j = NULL;
    expect_status(api("GET", "/resources", tok[U_B_ADMIN], NULL, &j), j, 200);
    json_t *it;
    size_t i;
    json_array_foreach(jget(j, "items"), i, it) assert_true(jint(it, "id") > 0 && strcmp(jstr(it, "title"), "P点的图集"));
    json_decref(j);
    /* the list and its export narrowed to P's subtree: P's side only (404 as for a missing org) */
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int under_p[USERS] =    {200,  200,  200,  404,  200,  404,  200,  200};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/resources?org_id=%lld", point_p, NULL, under_p[u]);
        row(u, "GET", "/resources?format=xlsx&org_id=%lld", point_p, NULL, under_p[u]);
    }
    assert_int_equal(failures, 0);
}

/* Uses, ratings and views: a course of P links the district's shared resource; each user rates
 * and views what it reads; the uses list shows the courses in the caller's scope. */
static void test_uses_ratings_views(void **state)
{
    (void)state;
    int64_t id = submitted(tok[U_A_STAFF], "甲区共享课件");
    row(U_ADMIN, "POST", "/resources/%lld/review", id, "{\"decision\": \"approve\"}", 200);   /* shared from the city */
    json_t *j = NULL;
    expect_status(api("POST", "/courses", tok[U_P_STAFF],
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:[{s:s}]}", "org_id", (json_int_t)point_p, "title", "P点课程",
                            "category", "health", "starts_at", "2026-05-01T09:00:00+08:00", "ends_at",
                            "2026-05-01T10:00:00+08:00", "place", "活动室", "capacity", 30, "teachers", "name", "李老师"),
                      &j), j, 201);
    int64_t course = jint(j, "id");
    json_decref(j);
    char link_fmt[96];   /* the course fixed, the resource's id in the matrix's place */
    snprintf(link_fmt, sizeof link_fmt, "/courses/%lld/resources/%%lld", (long long)course);
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int add[USERS] =        {204,  204,  204,  404,  204,  404,  403,  403};
    static const int see[USERS] =        {200,  200,  200,  200,  200,  200,  200,  200};
    static const int uses[USERS] =       {1,    1,    1,    0,    1,    0,    1,    1};
    for (int u = 0; u < USERS; u++) {
        row(u, "POST", link_fmt, id, NULL, add[u]);
        row(u, "GET", "/resources/%lld/rating", id, NULL, see[u]);
        row(u, "PUT", "/resources/%lld/rating", id, "{\"stars\": 4}", see[u]);
        row(u, "POST", "/resources/%lld/views", id, NULL, see[u]);
        row(u, "GET", "/resources/%lld/uses", id, NULL, see[u]);
        expect_status(api("GET", P("/resources/%lld/uses", (long long)id), tok[u], NULL, &j), j, 200);
        if ((int)json_array_size(jget(j, "items")) != uses[u]) fprintf(stderr, "FAIL %s uses\n", user_name[u]), failures++;
        json_decref(j);
    }
    /* another point's course cannot be reached; the unlink follows the course's scope */
    static const int unlink[USERS] =     {0,    0,    0,    404,  0,    404,  403,  403};
    for (int u = 0; u < USERS; u++)
        if (unlink[u]) row(u, "DELETE", link_fmt, id, NULL, unlink[u]);
    row(U_P_STAFF, "DELETE", link_fmt, id, NULL, 204);
    /* a resource not shared (a draft of Q) cannot be linked by P, rated or viewed outside Q's side */
    int64_t d = post_id(tok[U_Q_STAFF], "/resources", jpack("{s:s, s:s}", "title", "Q点草稿", "kind", "audio"));
    row(U_P_STAFF, "POST", link_fmt, d, NULL, 404);
    row(U_P_STAFF, "GET", "/resources/%lld/rating", d, NULL, 404);
    row(U_P_STAFF, "PUT", "/resources/%lld/rating", d, "{\"stars\": 4}", 404);
    row(U_P_STAFF, "POST", "/resources/%lld/views", d, NULL, 404);
    row(U_B_ADMIN, "GET", "/resources/%lld/uses", d, NULL, 404);
    row(-1, "POST", "/resources/%lld/views", id, NULL, 401);
    row(-1, "GET", "/resources/%lld/rating", id, NULL, 401);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_point_resource_shared_by_district),
        cmocka_unit_test(test_district_and_city_resources),
        cmocka_unit_test(test_drafts_and_delete),
        cmocka_unit_test(test_uses_ratings_views),
    };
    return run_api_tests(tests, world_start, teardown);
}
