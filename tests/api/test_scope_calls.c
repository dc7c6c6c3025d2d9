/* test_scope_calls.c - the data-scope matrix of the calls engine (issue 15, package A): every
 * endpoint of call templates, calls and entries (with an entry's files), for the caller's own
 * unit, its district, another district, the city, staff, teacher and volunteer roles. The rule
 * (docs/domain.md §3): a record outside the caller's scope answers exactly like a missing id (the
 * same status, code and field) and is absent from lists; the role check comes first (403).
 * Calls add: units below the owner see an open call (not a draft) without managing it (404 on
 * writes); a draft entry is its unit's alone, not its district's nor the city's.
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

static int64_t tpl_root, tpl_b, call_c, call_d, call_e, entry_p, entry_q, entry_b, file_p;

static const unsigned char png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0,
    0, 0x90, 0x77, 0x53, 0xDE, 0, 0, 0, 12, 'I', 'D', 'A', 'T', 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0, 0, 3, 1, 1, 0,
    0xC9, 0xFE, 0x92, 0xEF, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};

static int64_t template_at(const char *token, int64_t org, const char *code)
{
    return post_id(token, "/call-templates",
                   jpack("{s:s, s:s, s:s, s:I, s:{s:[{s:s, s:s, s:s}], s:[{s:s, s:i}], s:s, s:[s], s:i}}", "code", code,
                         "name", "范围测试模板", "kind", "nomination", "org_id", (json_int_t)org, "config", "form", "key",
                         "name", "label", "名称", "type", "text", "stages", "org_type", "district", "max_recommend", 5,
                         "eligible", "types", "eligible_types", "point", "max_per_unit", 5));
}

static int64_t call_at(const char *token, int64_t tpl, int64_t org, bool open)
{
    int64_t id = post_id(token, "/calls", jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id",
                                                (json_int_t)org, "year", 2026, "title", "范围测试征集", "deadline", "2099-12-31"));
    if (open) post_id(token, P("/calls/%lld/open", (long long)id), NULL);
    return id;
}

static int64_t entry_of(const char *token, int64_t call, int64_t org, bool submit)
{
    int64_t id = post_id(token, P("/calls/%lld/entries", (long long)call),
                         jpack("{s:I, s:s, s:{s:s}}", "org_id", (json_int_t)org, "title", "范围测试申报", "values", "name", "甲"));
    if (submit) post_id(token, P("/entries/%lld/submit", (long long)id), NULL);
    return id;
}

/* Uploads the png to path (an entry's or a call's files); the status, the answer into *out. */
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

static int upload(const char *token, int64_t entry, json_t **out)
{
    return upload_to(token, P("/entries/%lld/files", (long long)entry), out);
}

static int setup(void **state)
{
    if (world_start(state) != 0) return -1;
    tpl_root = template_at(tok[U_ADMIN], root, "sc_root");
    tpl_b = template_at(tok[U_B_ADMIN], dist_b, "sc_b");
    call_c = call_at(tok[U_ADMIN], tpl_root, root, true);       /* the city's, open */
    call_d = call_at(tok[U_A_ADMIN], tpl_root, dist_a, false);  /* district A's, draft */
    call_e = call_at(tok[U_B_ADMIN], tpl_b, dist_b, true);      /* district B's, open */
    entry_p = entry_of(tok[U_P_STAFF], call_c, point_p, false);
    json_t *j = NULL;
    assert_int_equal(upload(tok[U_P_STAFF], entry_p, &j), 201);
    file_p = jint(j, "id");
    json_decref(j);
    post_id(tok[U_P_STAFF], P("/entries/%lld/submit", (long long)entry_p), NULL);
    entry_q = entry_of(tok[U_Q_STAFF], call_c, point_q, false);  /* a draft */
    entry_b = entry_of(tok[U_ADMIN], call_c, point_b, true);
    return 0;
}

static void test_templates(void **state)
{
    (void)state;
    static const int get_root[USERS] = {200, 200, 200, 200, 200, 200, 403, 403};
    static const int get_b[USERS] = {200, 404, 404, 200, 404, 404, 403, 403};
    static const int patch_b[USERS] = {200, 404, 403, 200, 403, 403, 403, 403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/call-templates/%lld", tpl_root, NULL, get_root[u]);
        row(u, "GET", "/call-templates/%lld", tpl_b, NULL, get_b[u]);
        row(u, "PATCH", "/call-templates/%lld", tpl_b, "{\"name\":\"改名\"}", patch_b[u]);
    }
    /* seen from below (to copy), not managed */
    row(U_A_ADMIN, "PATCH", "/call-templates/%lld", tpl_root, "{\"name\":\"改名\"}", 404);
    json_t *j = NULL;
    expect_status(api("GET", "/call-templates", tok[U_A_ADMIN], NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), tpl_root));
    assert_false(items_have_id(jget(j, "items"), tpl_b));
    json_decref(j);
    /* a call cannot be made from a template out of scope: 404 on template_id */
    expect_api_error("POST", "/calls", tok[U_A_ADMIN],
                     jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl_b, "org_id", (json_int_t)dist_a,
                           "year", 2026, "title", "x", "deadline", "2099-12-31"), 404, "not_found", "template_id");
    /* nor placed at a unit out of scope */
    expect_api_error("POST", "/calls", tok[U_A_ADMIN],
                     jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl_root, "org_id", (json_int_t)dist_b,
                           "year", 2026, "title", "x", "deadline", "2099-12-31"), 404, "not_found", "org_id");
    assert_int_equal(failures, 0);
}

static void test_calls(void **state)
{
    (void)state;
    /*                                     admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int get_c[USERS] =       {200,  200,  200,  200,  200,  200,  200,  200};
    static const int get_d[USERS] =       {200,  200,  200,  404,  404,  404,  404,  404};
    static const int get_e[USERS] =       {200,  404,  404,  200,  404,  404,  404,  404};
    static const int manage_d[USERS] =    {200,  200,  403,  404,  403,  403,  403,  403};
    static const int manage_c[USERS] =    {200,  404,  403,  404,  403,  403,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/calls/%lld", call_c, NULL, get_c[u]);
        row(u, "GET", "/calls/%lld", call_d, NULL, get_d[u]);
        row(u, "GET", "/calls/%lld", call_e, NULL, get_e[u]);
        row(u, "PATCH", "/calls/%lld", call_d, "{\"title\":\"改\"}", manage_d[u]);
        row(u, "PATCH", "/calls/%lld", call_c, "{\"title\":\"改\"}", manage_c[u]);
        /* open/close/cancel of a call one does not manage: refused like a missing one */
        if (manage_c[u] != 200) {
            row(u, "POST", "/calls/%lld/close", call_c, NULL, manage_c[u]);
            row(u, "POST", "/calls/%lld/cancel", call_c, NULL, manage_c[u]);
        }
        if (manage_d[u] != 200) row(u, "POST", "/calls/%lld/open", call_d, NULL, manage_d[u]);
        /* quotas: read where the call is seen (staff), replaced by its managers */
        row(u, "GET", "/calls/%lld/quotas", call_c, NULL, u >= U_P_TEACHER ? 403 : 200);
        row(u, "GET", "/calls/%lld/quotas", call_e, NULL, u >= U_P_TEACHER ? 403 : get_e[u]);
        row(u, "PUT", "/calls/%lld/quotas", call_c, "{\"units\":[]}", manage_c[u]);
        row(u, "PUT", "/calls/%lld/quotas", call_d, "{\"units\":[]}", manage_d[u]);
    }
    /* lists: the calls in scope; ?mine=1 the open ones the unit may enter */
    static const int total[USERS] = {3, 2, 2, 2, 1, 1, 1, 1};
    for (int u = 0; u < USERS; u++) {
        json_t *j = NULL;
        expect_status(api("GET", "/calls", tok[u], NULL, &j), j, 200);
        if (jint(j, "total") != total[u]) fprintf(stderr, "FAIL %s GET /calls: %lld\n", user_name[u], (long long)jint(j, "total")), failures++;
        json_decref(j);
    }
    json_t *j = NULL;
    expect_status(api("GET", "/calls?mine=1", tok[U_P_STAFF], NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_true(items_have_id(jget(j, "items"), call_c));
    json_decref(j);
    assert_int_equal(failures, 0);
}

static void test_entries(void **state)
{
    (void)state;
    /*                                      admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int get_p[USERS] =        {200,  200,  200,  404,  200,  404,  403,  403};
    static const int get_q_draft[USERS] =  {404,  404,  404,  404,  404,  200,  403,  403};
    static const int get_b[USERS] =        {200,  404,  404,  200,  404,  404,  403,  403};
    static const int files_p[USERS] =      {200,  200,  200,  404,  200,  404,  200,  200};   /* a member route */
    static const int list_c[USERS] =       {2,    1,    1,    1,    1,    1,    -1,   -1};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/entries/%lld", entry_p, NULL, get_p[u]);
        row(u, "GET", "/entries/%lld/history", entry_p, NULL, get_p[u]);
        row(u, "GET", "/entries/%lld/files", entry_p, NULL, files_p[u]);
        row(u, "GET", "/entries/%lld", entry_q, NULL, get_q_draft[u]);
        row(u, "GET", "/entries/%lld", entry_b, NULL, get_b[u]);
        json_t *j = NULL;
        int st = api("GET", P("/calls/%lld/entries", (long long)call_c), tok[u], NULL, &j);
        if (list_c[u] < 0 ? st != 403 : st != 200 || jint(j, "total") != list_c[u])
            fprintf(stderr, "FAIL %s entries of C: %d %lld\n", user_name[u], st, (long long)jint(j, "total")), failures++;
        json_decref(j);
    }
    /* an entry out of scope answers as a missing one to every action */
    static const char *const actions[] = {"submit", "withdraw", "return", "recommend", "not-recommend"};
    for (size_t i = 0; i < 5; i++) {
        const char *body = !strcmp(actions[i], "return") ? "{\"reason\":\"x\"}" : NULL;
        char fmt[64];
        snprintf(fmt, sizeof fmt, "/entries/%%lld/%s", actions[i]);
        row(U_B_ADMIN, "POST", fmt, entry_p, body, 404);
        row(U_A_ADMIN, "POST", fmt, entry_b, body, 404);
        row(U_A_ADMIN, "POST", fmt, entry_q, body, 404);     /* a draft below: not the district's */
        row(U_P_TEACHER, "POST", fmt, entry_p, body, 403);
        row(U_P_VOLUNTEER, "POST", fmt, entry_p, body, 403);
    }
    row(U_Q_STAFF, "PATCH", "/entries/%lld", entry_p, "{\"title\":\"改\"}", 404);
    row(U_B_ADMIN, "PATCH", "/entries/%lld", entry_q, "{\"title\":\"改\"}", 404);
    row(U_Q_STAFF, "PATCH", "/entries/%lld", entry_q, "{\"title\":\"改\"}", 200);
    row(U_P_TEACHER, "PATCH", "/entries/%lld", entry_q, "{\"title\":\"改\"}", 403);
    /* staff return and recommend nothing: the role comes first */
    row(U_P_STAFF, "POST", "/entries/%lld/return", entry_p, "{\"reason\":\"x\"}", 403);
    row(U_A_STAFF, "POST", "/entries/%lld/recommend", entry_p, NULL, 403);
    /* files: another district neither reads, downloads, adds nor deletes */
    char fmt[64];
    snprintf(fmt, sizeof fmt, "/entries/%%lld/files/%lld", (long long)file_p);
    row(U_B_ADMIN, "GET", fmt, entry_p, NULL, 404);
    row(U_B_ADMIN, "DELETE", fmt, entry_p, NULL, 404);
    row(U_A_ADMIN, "GET", fmt, entry_p, NULL, 200);
    assert_int_equal(upload(tok[U_B_ADMIN], entry_p, NULL), 404);
    assert_int_equal(upload(tok[U_P_TEACHER], entry_p, NULL), 403);
    /* creating an entry: only for a unit in the caller's scope, eligible, below an open call */
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call_c), tok[U_Q_STAFF],
                     jpack("{s:I, s:s}", "org_id", (json_int_t)point_p, "title", "x"), 404, "not_found", "org_id");
    row(U_P_STAFF, "POST", "/calls/%lld/entries", call_e, "{\"title\":\"x\"}", 404);   /* B's call: not seen */
    row(U_P_STAFF, "POST", "/calls/%lld/entries", call_d, "{\"title\":\"x\"}", 404);   /* a draft call: not seen */
    row(U_P_TEACHER, "POST", "/calls/%lld/entries", call_c, "{\"title\":\"x\"}", 403);
    assert_int_equal(failures, 0);
}

/* A call's documents: read and downloaded by whoever sees the call (the units below), added and
 * deleted by the staff of its owner's scope only; a unit below that sees the call is answered as
 * for a missing one. */
static void test_call_files(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(upload_to(tok[U_ADMIN], P("/calls/%lld/files", (long long)call_c), &j), 201);
    int64_t doc = jint(j, "id");
    json_decref(j);
    assert_int_equal(upload_to(tok[U_A_ADMIN], P("/calls/%lld/files", (long long)call_d), &j), 201);
    int64_t doc_d = jint(j, "id");
    json_decref(j);
    char one_c[64], one_d[64];
    snprintf(one_c, sizeof one_c, "/calls/%%lld/files/%lld", (long long)doc);
    snprintf(one_d, sizeof one_d, "/calls/%%lld/files/%lld", (long long)doc_d);
    /*                                     admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int read_c[USERS] =      {200,  200,  200,  200,  200,  200,  200,  200};
    static const int read_d[USERS] =      {200,  200,  200,  404,  404,  404,  404,  404};
    static const int write_c[USERS] =     {201,  404,  404,  404,  404,  404,  403,  403};
    static const int write_d[USERS] =     {201,  201,  201,  404,  404,  404,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/calls/%lld/files", call_c, NULL, read_c[u]);
        row(u, "GET", one_c, call_c, NULL, read_c[u]);
        row(u, "GET", "/calls/%lld/files", call_d, NULL, read_d[u]);
        row(u, "GET", one_d, call_d, NULL, read_d[u]);
        int st = upload_to(tok[u], P("/calls/%lld/files", (long long)call_c), NULL);
        if (st != write_c[u]) fprintf(stderr, "FAIL %s upload to C: %d\n", user_name[u], st), failures++;
        st = upload_to(tok[u], P("/calls/%lld/files", (long long)call_d), NULL);
        if (st != write_d[u]) fprintf(stderr, "FAIL %s upload to D: %d\n", user_name[u], st), failures++;
        if (u != U_ADMIN) row(u, "DELETE", one_c, call_c, NULL, write_c[u] == 201 ? 204 : write_c[u]);
    }
    /* the city's own document stays until its manager deletes it */
    row(U_ADMIN, "GET", one_c, call_c, NULL, 200);
    row(U_ADMIN, "DELETE", one_c, call_c, NULL, 204);
    row(U_ADMIN, "GET", one_c, call_c, NULL, 404);
    assert_true(list_total(tok[U_ADMIN], "/audit?entity=call_file&action=create") >= 5);
    assert_int_equal(list_total(tok[U_ADMIN], "/audit?entity=call_file&action=delete"), 1);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_calls),
        cmocka_unit_test(test_entries),
        cmocka_unit_test(test_call_files),
    };
    return run_api_tests(tests, setup, teardown);
}
