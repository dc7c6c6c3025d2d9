/* vp_fixture.h - the fixture shared by the volunteer project API tests (test_volunteer_projects.c,
 * test_volunteer_stats.c): two districts with their staff and teams, volunteers registered from
 * the phone, projects, times relative to now. Each test program includes it once; the helpers are
 * static inline so a program that uses only some of them compiles without warnings. */
#ifndef KEPU_TEST_VP_FIXTURE_H
#define KEPU_TEST_VP_FIXTURE_H
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <cmocka.h>

static char *admin, *a_staff, *b_staff, *a_teacher;
static int64_t root, dist_a, dist_b, team_a, team_b;
static int serial = 300;

static inline const char *id_number(void)
{
    static const int w[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    char body[24];
    int n = serial++;   /* a year of birth per thousand: more than 1,000 distinct numbers */
    snprintf(body, sizeof body, "500103199%d0101%03d", n / 1000 % 10, n % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (body[i] - '0') * w[i];
    return P("%s%c", body, check[sum % 11]);
}

/* An RFC 3339 +08:00 time, minutes from now. */
static inline const char *at(int minutes)
{
    time_t t = time(NULL) + (time_t)minutes * 60 + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[40];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    return P("%s", buf);
}

/* The current quarter, e.g. 2026Q4 (Asia/Shanghai). */
static inline const char *quarter(void)
{
    time_t t = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    return P("%dQ%d", tm.tm_year + 1900, tm.tm_mon / 3 + 1);
}

/* A request of the volunteer's phone: key in X-Volunteer-Key (NULL: none). */
static inline int pub(const char *method, const char *path, const char *key, json_t *body, json_t **out)
{
    char hk[128];
    snprintf(hk, sizeof hk, "X-Volunteer-Key: %s", key ? key : "");
    const char *headers[] = {"Content-Type: application/json", key ? hk : NULL, NULL};
    char *text = body ? json_dumps(body, 0) : NULL;
    json_decref(body);
    http_resp resp;
    int st = http(method, P("/api/v1%s", path), headers, text, text ? strlen(text) : 0, &resp);
    free(text);
    if (out) *out = resp.json ? json_incref(resp.json) : NULL;
    http_resp_free(&resp);
    return st;
}

static inline int setup(void **state)
{
    setenv("KEPU_CHECKIN_STEP", "30", 1);
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "项目甲区");
    dist_b = create_org(admin, root, "district", "项目乙区");
    create_user(admin, "vp_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "vp_b_staff", dist_b, "staff", "subtree", 0);
    create_user(admin, "vp_a_teacher", dist_a, "teacher", "subtree", 0);
    a_staff = login("vp_a_staff", USER_PASSWORD);
    b_staff = login("vp_b_staff", USER_PASSWORD);
    a_teacher = login("vp_a_teacher", USER_PASSWORD);
    json_t *j = NULL;
    expect_status(api("POST", "/volunteer-teams", a_staff, jpack("{s:I, s:s}", "org_id", (json_int_t)dist_a, "category",
                                                                 "district"), &j), j, 201);
    team_a = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/volunteer-teams", admin, jpack("{s:I, s:s}", "org_id", (json_int_t)dist_b, "category",
                                                               "district"), &j), j, 201);
    team_b = jint(j, "id");
    json_decref(j);
    return 0;
}

static inline int teardown(void **state)
{
    free(admin), free(a_staff), free(b_staff), free(a_teacher);
    return server_stop(state);
}

/* A volunteer registered on the public page at dist_a: its id and the phone's key. */
static inline int64_t register_volunteer(char *key, char *phone_out, char *idn_out)
{
    char idn[24], ph[16];
    snprintf(idn, sizeof idn, "%s", id_number());
    snprintf(ph, sizeof ph, "138%08d", serial++);
    json_t *j = NULL;
    expect_status(pub("POST", "/public/volunteers", NULL,
                      jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)dist_a, "name", "李志愿", "id_number", idn,
                            "phone", ph), &j), j, 201);
    assert_true(strlen(jstr(j, "volunteer_key")) >= 40);
    strcpy(key, jstr(j, "volunteer_key"));
    char no[32];
    snprintf(no, sizeof no, "%s", jstr(j, "volunteer_no"));
    json_decref(j);
    if (phone_out) strcpy(phone_out, ph);
    if (idn_out) strcpy(idn_out, idn);
    int64_t id = 0;
    assert_int_equal(api("GET", P("/volunteers?phone=%s", ph), a_staff, NULL, &j), 200);
    id = jint(j, "items.0.id");
    assert_string_equal(jstr(j, "items.0.volunteer_no"), no);
    json_decref(j);
    return id;
}

static inline int64_t project(const char *token, int64_t team, int from, int to, const char *audience, int headcount,
                       int64_t *position)
{
    json_t *j = NULL;
    expect_status(api("POST", "/volunteer-projects", token,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:f, s:f, s:s, s:s, s:[{s:s, s:i}]}", "team_id",
                            (json_int_t)team, "title", "社区科普讲解", "content", "为居民讲解防灾知识", "starts_at",
                            at(from), "ends_at", at(to), "place", "社区活动中心", "lat", 29.56, "lng", 106.55,
                            "audience", audience, "status", "published", "positions", "name", "讲解员", "headcount",
                            headcount), &j),
                  j, 201);
    int64_t id = jint(j, "id");
    if (position) *position = jint(j, "positions.0.id");
    assert_int_equal(jint(j, "credit_share"), 60);
    json_decref(j);
    return id;
}


static inline int64_t signup_of_as(const char *tok, int64_t project_id, int64_t volunteer, json_t **row)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/volunteer-projects/%lld/signups", (long long)project_id), tok, NULL, &j), j, 200);
    size_t i;
    json_t *e;
    int64_t id = 0;
    json_array_foreach(jget(j, "items"), i, e)
        if (jint(e, "volunteer_id") == volunteer) id = jint(e, "id"), *row = json_incref(e);
    json_decref(j);
    return id;
}


#endif
