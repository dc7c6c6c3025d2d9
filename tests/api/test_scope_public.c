/* test_scope_public.c - the public endpoints (no login) against the scope tree of
 * test_scope_modules.c: what each answers to an anonymous caller must not reveal or change the
 * records of other orgs or people. The registration page of a node lists the teams of its subtree
 * only; a volunteer key reads and cancels its own sign-ups only (another's answers 404 exactly
 * like a missing one, and stays), and sees its own service record; no key, a made-up key or a
 * staff login get 401; team-only projects of other teams are neither offered nor joinable; the
 * phone's check-in page and a letter's page carry no personal data and a check-in token opens
 * only its own session; a student key rates only what its holder checked in to. No answer
 * carries a full phone number.
 *   root(city) ─┬─ A(district) ─┬─ A1(street) ─┬─ A1p(point)
 *               │               │              └─ A1q(point)
 *               │               └─ A2(street)
 *               └─ B(district) ─── Bp(point) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

enum { ROOT, A, A1, A1P, A1Q, A2, B, BP, NODES };
static const char *node_label[NODES] = {"root", "A", "A1", "A1p", "A1q", "A2", "B", "Bp"};
static const char *node_name[NODES] = {NULL, "渝北区", "龙溪街道", "松牌路教学点", "金紫山教学点", "双龙湖街道", "南岸区",
                                       "弹子石教学点"};
static const char *node_type[NODES] = {"city", "district", "street", "point", "point", "street", "district", "point"};
static const int node_parent[NODES] = {-1, ROOT, A, A1, A1, A, ROOT, B};
static int64_t node[NODES], team[NODES], project[NODES], position[NODES], teacher;
static char *admin, *prep;
static int serial = 7000;
#define MISSING 99999999LL

static bool under(int n, int top)
{
    for (; n >= 0; n = node_parent[n])
        if (n == top) return true;
    return false;
}

static const char *id_number(void) { return test_id_number(serial++, 300); }
static const char *phone(void) { return P("136%08d", serial++); }

static const char *at(long seconds) { return shanghai_at(seconds); }

static int64_t post_id(const char *tok, const char *path, json_t *body, int want)
{
    json_t *j = NULL;
    expect_status(api("POST", path, tok, body, &j), j, want);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

/* A published project of the node's team (audience public or team); *pos its position. */
static int64_t new_project(int n, long from, long to, const char *audience, int64_t *pos)
{
    json_t *j = NULL;
    expect_status(api("POST", "/volunteer-projects", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:i}]}", "team_id", (json_int_t)team[n], "title",
                            P("公开志愿项目%s", node_name[n]), "starts_at", at(from), "ends_at", at(to), "audience",
                            audience, "status", "published", "positions", "name", "讲解员", "headcount", 100), &j),
                  j, 201);
    int64_t id = jint(j, "id");
    *pos = jint(j, "positions.0.id");
    json_decref(j);
    return id;
}

/* A volunteer registered on the public page at the node: its id, the phone's key in key. */
static int64_t public_volunteer(int n, char key[128], char phone_out[16])
{
    json_t *j = NULL;
    snprintf(phone_out, 16, "%s", phone());
    expect_status(api("POST", "/public/volunteers", NULL,
                      jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)node[n], "name", "公开志愿者", "id_number",
                            id_number(), "phone", phone_out), &j), j, 201);
    snprintf(key, 128, "%s", jstr(j, "volunteer_key"));
    json_decref(j);
    expect_status(api("GET", P("/volunteers?phone=%s", phone_out), admin, NULL, &j), j, 200);
    int64_t id = jint(j, "items.0.id");
    json_decref(j);
    assert_true(id > 0);
    return id;
}

/* A request of a volunteer's phone (key NULL: none). */
static int pub(const char *method, const char *path, const char *key, json_t *body, json_t **out)
{
    char hk[200];
    snprintf(hk, sizeof hk, "X-Volunteer-Key: %s", key ? key : "");
    const char *headers[] = {"Content-Type: application/json", key ? hk : NULL, NULL};
    char *text = body ? json_dumps(body, 0) : NULL;
    json_decref(body);
    http_resp resp;
    int st = http(method, P(API_BASE "%s", path), headers, text, text ? strlen(text) : 0, &resp);
    free(text);
    if (out) *out = resp.json ? json_incref(resp.json) : NULL;
    http_resp_free(&resp);
    return st;
}

/* A course of the point that started ten minutes ago, its check-in session and token. */
static int64_t started_session(int n, char **tok)
{
    int64_t course = post_id(admin, "/courses",
                             jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)node[n], "title", "公开课程", "category",
                                   "health", "starts_at", at(-600), "ends_at", at(3000)), 201);
    json_t *j = NULL;
    expect_status(api("POST", "/checkin/sessions", admin,
                      jpack("{s:s, s:I}", "kind", "course", "owner_id", (json_int_t)course), &j), j, 200);
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("GET", P("/checkin/sessions/%lld/token", (long long)id), admin, NULL, &j), j, 200);
    *tok = strdup(jstr(j, "token"));
    json_decref(j);
    return id;
}

static bool only_keys(json_t *j, const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
        bool known = false;
        for (const char *const *w = keys; *w; w++) known |= !strcmp(*w, k);
        if (!known) {
            fprintf(stderr, "unexpected key \"%s\" in a public answer\n", k);
            return false;
        }
    }
    return true;
}

/* The registration page of each node lists the teams of its subtree and no other. */
static void test_public_registration_page_lists_the_subtree_only(void **state)
{
    (void)state;
    for (int n = 0; n < NODES; n++) {
        json_t *j = NULL;
        expect_status(api("GET", P("/public/volunteer-register/%lld", (long long)node[n]), NULL, NULL, &j), j, 200);
        for (int m = 0; m < NODES; m++)
            if (items_have_id(jget(j, "teams"), team[m]) != under(m, n))
                fail_msg("the page of %s %s the team of %s", node_label[n], under(m, n) ? "misses" : "lists",
                         node_label[m]);
        json_decref(j);
    }
    expect_api_error("GET", P("/public/volunteer-register/%lld", MISSING), NULL, NULL, 404, "not_found", "*");
}

/* Registering at a node may apply only to a team the page offers (at or below that node): a
 * team_id of another district, or of a node above, is answered as a missing team and registers
 * nobody (the application and the volunteer go together). */
static void test_public_registration_applies_to_offered_teams_only(void **state)
{
    (void)state;
    const int offside[][2] = {{A1, BP}, {A1P, A}};
    for (size_t i = 0; i < sizeof offside / sizeof *offside; i++) {
        int at = offside[i][0], of = offside[i][1];
        assert_false(under(of, at));
        char ph[16];
        snprintf(ph, sizeof ph, "%s", phone());
        expect_api_error("POST", "/public/volunteers", NULL,
                         jpack("{s:I, s:I, s:s, s:s, s:s}", "org_id", (json_int_t)node[at], "team_id",
                               (json_int_t)team[of], "name", "越界申请者", "id_number", id_number(), "phone", ph),
                         404, "not_found", "team_id");
        json_t *j = NULL;
        expect_status(api("GET", P("/volunteers?phone=%s", ph), admin, NULL, &j), j, 200);
        assert_int_equal(json_array_size(jget(j, "items")), 0);
        json_decref(j);
    }
    /* the team of a node below is offered, and the application is made */
    json_t *j = NULL;
    expect_status(api("POST", "/public/volunteers", NULL,
                      jpack("{s:I, s:I, s:s, s:s, s:s}", "org_id", (json_int_t)node[A1], "team_id",
                            (json_int_t)team[A1P], "name", "本区申请者", "id_number", id_number(), "phone", phone()),
                      &j), j, 201);
    assert_string_equal(jstr(j, "application"), "pending");
    json_decref(j);
}

/* A volunteer key reads and cancels its own sign-ups only; without a key (a staff login is not
 * one) nothing is answered; team-only projects of other teams are neither offered nor joinable;
 * no public answer carries a full phone number. */
static void test_public_volunteer_key_reaches_its_own_only(void **state)
{
    (void)state;
    char kx[128], ky[128], phx[16], phy[16];
    int64_t x = public_volunteer(A1P, kx, phx), y = public_volunteer(BP, ky, phy);
    json_t *j = NULL;
    int64_t s[2];
    const char *keys[2] = {kx, ky};
    for (int i = 0; i < 2; i++) {
        expect_status(pub("POST", "/public/volunteer/signups", keys[i],
                          jpack("{s:I, s:I}", "project_id", (json_int_t)project[A1P], "position_id",
                                (json_int_t)position[A1P]), &j), j, 201);
        s[i] = jint(j, "id");
        json_decref(j);
    }
    for (int i = 0; i < 2; i++) {
        expect_status(pub("GET", "/public/volunteer/signups", keys[i], NULL, &j), j, 200);
        assert_int_equal(json_array_size(jget(j, "items")), 1);
        assert_int_equal(jint(j, "items.0.id"), s[i]);
        char *text = json_dumps(j, 0);
        assert_null(strstr(text, phx));
        assert_null(strstr(text, phy));
        free(text);
        json_decref(j);
    }
    /* x cannot cancel y's sign-up: answered as a missing one, and it stays */
    json_t *m = NULL;
    expect_status(pub("POST", P("/public/volunteer/signups/%lld/cancel", (long long)s[1]), kx, NULL, &j), j, 404);
    expect_status(pub("POST", P("/public/volunteer/signups/%lld/cancel", MISSING), kx, NULL, &m), m, 404);
    assert_string_equal(err_code(j), err_code(m));
    assert_string_equal(err_field(j), err_field(m));
    json_decref(j), json_decref(m);
    expect_status(pub("GET", "/public/volunteer/signups", ky, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "items.0.status"), "pending");
    json_decref(j);
    expect_status(pub("POST", P("/public/volunteer/signups/%lld/cancel", (long long)s[1]), ky, NULL, &j), j, 200);
    json_decref(j);
    /* the service record is the key's volunteer's */
    expect_status(pub("GET", "/public/volunteer/service", kx, NULL, &j), j, 200);
    assert_int_equal(jint(j, "volunteer_id"), x);
    json_decref(j);
    expect_status(pub("GET", "/public/volunteer/service", ky, NULL, &j), j, 200);
    assert_int_equal(jint(j, "volunteer_id"), y);
    json_decref(j);
    /* no key, a made-up key, a staff login: 401 */
    const char *paths[] = {"/public/volunteer/signups", "/public/volunteer/projects", "/public/volunteer/service",
                           "/public/volunteer/reminders"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        expect_status(pub("GET", paths[i], NULL, NULL, &j), j, 401);
        json_decref(j);
        expect_status(pub("GET", paths[i], "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, &j), j, 401);
        json_decref(j);
        expect_status(api("GET", paths[i], admin, NULL, &j), j, 401);
        json_decref(j);
    }
    expect_status(pub("POST", P("/public/volunteer/signups/%lld/cancel", (long long)s[0]), NULL, NULL, &j), j, 401);
    json_decref(j);
    /* a team-only project of Bp's team: not offered to x, and refused */
    int64_t tpos, tp = new_project(BP, 86400 * 3, 86400 * 3 + 3600, "team", &tpos);
    expect_status(pub("GET", "/public/volunteer/projects", kx, NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), project[A1P]));
    assert_false(items_have_id(jget(j, "items"), tp));
    json_decref(j);
    expect_status(pub("POST", "/public/volunteer/signups", kx,
                      jpack("{s:I, s:I}", "project_id", (json_int_t)tp, "position_id", (json_int_t)tpos), &j), j, 409);
    assert_string_equal(err_code(j), "team_only");
    json_decref(j);
}

/* The phone's check-in page shows the course, never a person; a student key rates only what
 * its holder checked in to; a letter's page names the teacher without numbers. */
static void test_public_checkin_rating_and_letter_pages(void **state)
{
    (void)state;
    char *ta, *tb;
    int64_t sa = started_session(A1P, &ta), sb = started_session(BP, &tb);
    json_t *j = NULL;
    expect_status(api("GET", P("/public/checkin/%lld/%s", (long long)sa, ta), NULL, NULL, &j), j, 200);
    /* grant: the page's signed permission to submit for a few minutes (issue 14), no person */
    static const char *const view[] = {"session_id", "kind", "title", "place", "starts_at", "ends_at", "checked_in",
                                       "grant", "grant_expires_in", NULL};
    assert_true(only_keys(j, view));
    json_decref(j);
    /* the token of one session does not open another */
    expect_status(api("GET", P("/public/checkin/%lld/%s", (long long)sb, ta), NULL, NULL, &j), j, 403);
    json_decref(j);
    expect_status(api("POST", P("/public/checkin/%lld", (long long)sa), NULL,
                      jpack("{s:s, s:s, s:s}", "token", ta, "name", "扫码学员", "phone", phone()), &j), j, 201);
    char key[128];
    snprintf(key, sizeof key, "%s", jstr(j, "student_key"));
    json_decref(j);
    expect_status(api("POST", P("/public/checkin/%lld/rating", (long long)sb), NULL,
                      jpack("{s:s, s:i}", "student_key", key, "stars", 1), &j), j, 403);
    assert_string_equal(err_code(j), "not_checked_in");
    json_decref(j);
    expect_status(api("POST", P("/public/checkin/%lld/rating", (long long)sa), NULL,
                      jpack("{s:s, s:i}", "student_key", key, "stars", 5), &j), j, 201);
    json_decref(j);
    free(ta), free(tb);
    /* the letter of A1p's certified teacher */
    expect_status(api("GET", P("/teachers/%lld/profile", (long long)teacher), admin, NULL, &j), j,
                  200);
    char code[80];
    snprintf(code, sizeof code, "%s", jstr(j, "letters.0.code"));
    json_decref(j);
    expect_status(api("GET", P("/public/letters/%s", code), NULL, NULL, &j), j, 200);
    static const char *const letter[] = {"genuine", "serial", "teacher_name", "issuer", "issued_at", "status",
                                         "term_from", "term_to", NULL};
    assert_true(only_keys(j, letter));
    assert_string_equal(jstr(j, "teacher_name"), "公开教师");
    json_decref(j);
}


/* Calls' public pages (issue 15, package C): the titles list shows names and terms only (no
 * path, no subject ids, nobody who granted or revoked); calls in no 公示 and unknown codes answer
 * 404 to the public like a missing one; a page larger than 100 is refused. */
static void test_public_titles_and_call_pages(void **state)
{
    (void)state;
    json_t *j = NULL;
    post_id(admin, "/designations", jpack("{s:s, s:I, s:s}", "kind", "base", "org_id", (json_int_t)node[A1P], "level", "A"), 201);
    expect_status(api("GET", "/public/designations?kind=base", NULL, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    static const char *const title[] = {"id", "kind", "kind_name", "level", "name", "org_name", "valid_from", "valid_to", NULL};
    assert_true(only_keys(jget(j, "items.0"), title));
    assert_string_equal(jstr(j, "items.0.org_name"), "松牌路教学点");
    json_decref(j);
    expect_api_error("GET", "/public/designations?page_size=101", NULL, NULL, 422, "invalid_field", "page_size");
    expect_api_error("GET", "/public/calls/99999999/publicity", NULL, NULL, 404, "not_found", NULL);
    expect_api_error("GET", "/public/calls/99999999/results", NULL, NULL, 404, "not_found", NULL);
    expect_api_error("GET", "/public/award-certificates/0123456789abcdef0123456789abcdef", NULL, NULL, 404, "not_found", NULL);
    /* the signed-in routes stay closed to the public */
    expect_api_error("GET", "/designations", NULL, NULL, 401, "unauthorized", NULL);
    expect_api_error("GET", P("/orgs/%lld/titles", (long long)node[A1P]), NULL, NULL, 401, "unauthorized", NULL);
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    node[ROOT] = root_org_id(admin);
    for (int n = 1; n < NODES; n++) node[n] = create_org(admin, node[node_parent[n]], node_type[n], node_name[n]);
    create_user(admin, "pub_prep", node[A2], "staff", "all", 0);
    prep = login("pub_prep", USER_PASSWORD);
    for (int n = 0; n < NODES; n++)
        team[n] = post_id(admin, "/volunteer-teams",
                          jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)node[n], "category", "district", "name",
                                P("公开服务队%s", node_name[n])), 201);
    for (int n = 0; n < NODES; n++) project[n] = new_project(n, 86400 * 2, 86400 * 2 + 7200, "public", &position[n]);
    /* a certified teacher of A1p: its appointment letter has a public page */
    teacher = post_id(admin, "/teachers",
                      jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)node[A1P], "name", "公开教师", "id_number",
                            id_number()), 201);
    expect_status(api("POST", P("/teachers/%lld/propose", (long long)teacher), prep, NULL, NULL), NULL, 200);
    expect_status(api("POST", P("/teachers/%lld/certify", (long long)teacher), admin, NULL, NULL), NULL, 200);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(prep);
    return server_stop(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_public_registration_page_lists_the_subtree_only),
        cmocka_unit_test(test_public_registration_applies_to_offered_teams_only),
        cmocka_unit_test(test_public_volunteer_key_reaches_its_own_only),
        cmocka_unit_test(test_public_checkin_rating_and_letter_pages),
        cmocka_unit_test(test_public_titles_and_call_pages),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
