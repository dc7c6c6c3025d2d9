/* test_scope_assessments.c - the data-scope matrix of the district assessment (issue 16 E) for
 * the city, a district's admin and staff, another district, two points' staff, a teacher and a
 * volunteer. An open scheme is read by the units below the city (staff and up; a district's scores
 * answer its own row, a point's none); a draft is the city's alone (404 for the others); only the
 * city edits, scores by hand, opens, finalizes and adds evidence (403 for a unit that sees the
 * scheme, 404 for one that does not); a manual score's evidence is read by the city and the scored
 * district, never by another district.
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

static const unsigned char png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0,
    0, 0x90, 0x77, 0x53, 0xDE, 0, 0, 0, 12, 'I', 'D', 'A', 'T', 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0, 0, 3, 1, 1, 0,
    0xC9, 0xFE, 0x92, 0xEF, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};

static int64_t open_s, draft_s, manual_ind, score_a, file_a;

static int upload_to(const char *token, const char *path, json_t **out)
{
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *headers[] = {auth, "Content-Type: application/octet-stream", "X-File-Name: e.png", NULL};
    http_resp resp;
    int st = http("POST", P(API_BASE "%s", path), headers, (const char *)png, sizeof png, &resp);
    if (out) *out = json_incref(resp.json);
    http_resp_free(&resp);
    return st;
}

static int64_t scheme(const char *title)
{
    json_t *j = NULL;
    expect_status(api("POST", "/assessments", tok[U_ADMIN],
                      jpack("{s:I, s:i, s:s, s:[{s:s, s:s, s:i}, {s:s, s:s, s:i}]}", "org_id", (json_int_t)root, "year", 2026,
                            "title", title, "indicators", "name", "志愿服务", "source", "volunteer_hours", "weight", 50, "name",
                            "特色工作", "source", "manual", "weight", 50), &j), j, 201);
    int64_t id = jint(j, "id");
    manual_ind = jint(j, "indicators.1.id");
    json_decref(j);
    return id;
}

static int setup(void **state)
{
    if (world_start(state) != 0) return -1;
    draft_s = scheme("范围草稿方案");
    open_s = scheme("范围考核方案");
    post_id(tok[U_ADMIN], P("/assessments/%lld/open", (long long)open_s), NULL);
    json_t *j = NULL;
    expect_status(api("PUT", P("/assessments/%lld/manual-scores", (long long)open_s), tok[U_ADMIN],
                      jpack("{s:I, s:I, s:i}", "indicator_id", (json_int_t)manual_ind, "org_id", (json_int_t)dist_a, "score", 30),
                      &j), j, 200);
    score_a = jint(j, "id");
    json_decref(j);
    assert_int_equal(upload_to(tok[U_ADMIN], P("/assessment-scores/%lld/evidence", (long long)score_a), &j), 201);
    file_a = jint(j, "id");
    json_decref(j);
    return 0;
}

static void test_read(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int open_r[USERS] =     {200,  200,  200,  200,  200,  200,  403,  403};
    static const int draft_r[USERS] =    {200,  404,  404,  404,  404,  404,  403,  403};
    static const int units[USERS] =      {2,    1,    1,    1,    0,    0,    0,    0};
    static const int64_t *const own[USERS] = {NULL, &dist_a, &dist_a, &dist_b, NULL, NULL, NULL, NULL};
    for (int u = 0; u < USERS; u++) {
        /* the sources' list holds no unit's data: staff and up, like the schemes it serves */
        row(u, "GET", "/assessment-sources%.0lld", 0, NULL, open_r[u]);
        row(u, "GET", "/assessments/%lld", open_s, NULL, open_r[u]);
        row(u, "GET", "/assessments/%lld/scores", open_s, NULL, open_r[u]);
        row(u, "GET", "/assessments/%lld/report.xlsx", open_s, NULL, open_r[u]);
        row(u, "GET", "/assessments/%lld/report.pdf", open_s, NULL, open_r[u]);
        row(u, "GET", "/assessments/%lld", draft_s, NULL, draft_r[u]);
        row(u, "GET", "/assessments/%lld/scores", draft_s, NULL, draft_r[u]);
        row(u, "GET", "/assessments/%lld/report.xlsx", draft_s, NULL, draft_r[u]);
        if (open_r[u] != 200) continue;
        json_t *j = NULL;
        int st = api("GET", P("/assessments/%lld/scores", (long long)open_s), tok[u], NULL, &j);
        size_t n = json_array_size(json_object_get(j, "units"));
        if (st != 200 || n != (size_t)units[u] || jint(j, "unit_count") != 2 || (own[u] && jint(j, "units.0.org_id") != *own[u]))
            fprintf(stderr, "FAIL %s scores: %d, %zu units\n", user_name[u], st, n), failures++;
        json_decref(j);
        /* the list: the open scheme for everyone who reads it, the draft for the city only */
        int64_t total = list_total(tok[u], "/assessments");
        if (total != (u == U_ADMIN ? 2 : 1)) fprintf(stderr, "FAIL %s list: %lld\n", user_name[u], (long long)total), failures++;
    }
    assert_int_equal(failures, 0);
}

static void test_write(void **state)
{
    (void)state;
    char manual[160];
    snprintf(manual, sizeof manual, "{\"indicator_id\": %lld, \"org_id\": %lld, \"score\": 40}", (long long)manual_ind,
             (long long)dist_a);
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int edit_open[USERS] =  {200,  403,  403,  403,  403,  403,  403,  403};
    static const int edit_draft[USERS] = {200,  404,  403,  404,  403,  403,  403,  403};
    for (int u = U_ADMIN + 1; u < USERS; u++) {
        row(u, "PATCH", "/assessments/%lld", open_s, "{\"title\": \"改名\"}", edit_open[u]);
        row(u, "PUT", "/assessments/%lld/manual-scores", open_s, manual, edit_open[u]);
        row(u, "POST", "/assessments/%lld/finalize", open_s, NULL, edit_open[u]);
        row(u, "PATCH", "/assessments/%lld", draft_s, "{\"title\": \"改名\"}", edit_draft[u]);
        row(u, "POST", "/assessments/%lld/open", draft_s, NULL, edit_draft[u]);
        row(u, "DELETE", "/assessments/%lld", draft_s, NULL, edit_draft[u]);
        row(u, "PUT", "/assessments/%lld/manual-scores", draft_s, manual, edit_draft[u]);
    }
    /* nothing changed: the city's score of A is still 30, the draft still a draft */
    json_t *j = NULL;
    expect_status(api("GET", P("/assessments/%lld/scores", (long long)open_s), tok[U_ADMIN], NULL, &j), j, 200);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "units"), i, it)
        if (jint(it, "org_id") == dist_a) assert_true(json_number_value(jget(it, "items.1.score")) == 30.0);
    json_decref(j);
    expect_status(api("GET", P("/assessments/%lld", (long long)draft_s), tok[U_ADMIN], NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "draft");
    json_decref(j);
    row(U_ADMIN, "PATCH", "/assessments/%lld", open_s, "{\"title\": \"改名\"}", 200);
    row(U_ADMIN, "PUT", "/assessments/%lld/manual-scores", open_s, manual, 200);
    /* the routes answer a missing scheme as one out of scope */
    row(U_ADMIN, "GET", "/assessments/%lld/scores", MISSING, NULL, 404);
    assert_int_equal(failures, 0);
}

static void test_evidence(void **state)
{
    (void)state;
    char one[96];
    snprintf(one, sizeof one, "/assessment-scores/%%lld/evidence/%lld", (long long)file_a);
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int read[USERS] =       {200,  200,  200,  404,  404,  404,  404,  404};
    static const int write[USERS] =      {201,  404,  404,  404,  404,  404,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/assessment-scores/%lld/evidence", score_a, NULL, read[u]);
        row(u, "GET", one, score_a, NULL, read[u]);
        int st = upload_to(tok[u], P("/assessment-scores/%lld/evidence", (long long)score_a), NULL);
        if (st != write[u]) fprintf(stderr, "FAIL %s evidence upload: %d\n", user_name[u], st), failures++;
        if (u != U_ADMIN) row(u, "DELETE", one, score_a, NULL, write[u] == 201 ? 204 : write[u]);
    }
    row(U_ADMIN, "DELETE", one, score_a, NULL, 204);
    row(U_ADMIN, "GET", one, score_a, NULL, 404);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read),
        cmocka_unit_test(test_write),
        cmocka_unit_test(test_evidence),
    };
    return run_api_tests(tests, setup, teardown);
}
