/* test_contests_public.c - the phone side of contests (issue 17 B) beyond the player's paper: a
 * student's key (from checking in at a course) and a volunteer's key (from registering) start
 * attempts where the audience takes them and are refused where it does not; the student counts
 * for the district above the teaching point; the open list shows published contests only; the
 * contest page tells a key holder the attempts left; the total limit; the per-question time; an
 * answer of the wrong shape is 422 and saves nothing; registration limits per phone (429) and
 * the registration answer for a known phone never repeats the phone.
 *
 *   root(city) ─┬─ A(district) ─── P(point)
 *               └─ B(district) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "contest_fixture.h"

static char *admin, *city, *a_staff;
static int64_t root, dist_a, dist_b, point_p;
static char sms_log[128];

static int setup(void **state)
{
    snprintf(sms_log, sizeof sms_log, "/tmp/kepu-contest-sms-%d.log", (int)getpid());
    unlink(sms_log);
    setenv("KEPU_SMS_LOG", sms_log, 1);   /* the logging SMS sender: the test reads the codes */
    setenv("KEPU_CONTEST_ANSWER_ATTEMPT_LIMIT", "30", 1);   /* test_attempt_limit: a small one */
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "公开甲区");
    dist_b = create_org(admin, root, "district", "公开乙区");
    point_p = create_org(admin, dist_a, "point", "公开甲区教学点");
    create_user(admin, "cp_city", root, "staff", "subtree", 0);
    create_user(admin, "cp_a", dist_a, "staff", "subtree", 0);
    city = login("cp_city", USER_PASSWORD);
    a_staff = login("cp_a", USER_PASSWORD);
    for (int i = 1; i <= 6; i++) fx_question(admin, root, "lit_knowledge", i);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(city), free(a_staff);
    unlink(sms_log);
    return server_stop(state);
}

/* A student's key: a newcomer checks in at a course of the point (the phone keeps the key). */
static char *student_key(void)
{
    json_t *j = NULL;
    expect_status(api("POST", "/courses", a_staff,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)point_p, "title", "竞赛前的讲座",
                            "category", "anti_fraud", "starts_at", shanghai_at(-600), "ends_at", shanghai_at(3600), "place",
                            "社区活动室"), &j), j, 201);
    int64_t course = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/checkin/sessions", a_staff, jpack("{s:s, s:I}", "kind", "course", "owner_id", (json_int_t)course),
                      &j), j, 200);
    int64_t session = jint(j, "id");
    json_decref(j);
    expect_status(api("GET", P("/checkin/sessions/%lld/token", (long long)session), a_staff, NULL, &j), j, 200);
    char *token = strdup(jstr(j, "token"));
    json_decref(j);
    expect_status(api("POST", P("/public/checkin/%lld", (long long)session), NULL,
                      jpack("{s:s, s:s, s:s}", "token", token, "name", "学员周", "phone", "13512345678"), &j), j, 201);
    char *key = strdup(jstr(j, "student_key"));
    json_decref(j);
    free(token);
    return key;
}

static char *volunteer_key(void)
{
    json_t *j = NULL;
    expect_status(api("POST", "/public/volunteers", NULL,
                      jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)dist_b, "name", "志愿者吴", "id_number",
                            test_id_number(9000, 71), "phone", "13512345679"), &j), j, 201);
    char *key = strdup(jstr(j, "volunteer_key"));
    json_decref(j);
    return key;
}

static void test_keys_and_audience(void **state)
{
    (void)state;
    char *skey = student_key(), *vkey = volunteer_key();
    int64_t students_only = fx_contest(city, root, "学员专场", jpack("{s:[s]}", "audience", "student"));
    json_t *paper = NULL, *j = NULL;
    expect_status(fx_start(students_only, skey, "student", &paper), paper, 201);
    expect_error(fx_start(students_only, vkey, "volunteer", &j), j, 403, "not_in_audience", "person_kind");
    json_decref(j);
    /* a volunteer's key is not a student's */
    expect_error(fx_start(students_only, vkey, "student", &j), j, 403, "invalid_key", "person_key");
    json_decref(j);
    for (int q = 1; q <= 4; q++) assert_int_equal(fx_answer(students_only, paper, q, true, NULL), 200);
    expect_status(fx_submit(students_only, paper, &j), j, 200);
    json_decref(j), json_decref(paper);
    /* the student counts for district A (the point is below it) */
    expect_status(api("GET", P("/contests/%lld/ranking/districts", (long long)students_only), city, NULL, &j), j, 200);
    json_t *items = jget(j, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i);
        assert_int_equal(jint(it, "participants"), jint(it, "org_id") == dist_a ? 1 : 0);
    }
    json_decref(j);
    int64_t everyone = fx_contest(city, root, "志愿者也来", NULL);
    expect_status(fx_start(everyone, vkey, "volunteer", &paper), paper, 201);
    json_decref(paper);
    free(skey), free(vkey);
}

static void test_open_list_and_attempts_left(void **state)
{
    (void)state;
    int64_t ct = fx_contest(city, root, "两次机会", jpack("{s:i}", "attempts_total", 2));
    json_t *j = NULL;
    expect_status(api("POST", "/contests", city,
                      jpack("{s:s, s:s, s:s, s:s, s:[s], s:[{s:s, s:i, s:i}], s:i}", "title", "列表外草稿", "kind", "contest",
                            "opens_at", shanghai_at(-60), "closes_at", shanghai_at(3600), "audience", "public", "rules",
                            "category", "lit_knowledge", "count", 2, "points", 5, "time_limit_s", 60), &j), j, 201);
    int64_t draft = jint(j, "id");
    json_decref(j);
    expect_status(api("GET", "/public/contests", NULL, NULL, &j), j, 200);
    bool seen = false;
    for (size_t i = 0; i < json_array_size(jget(j, "items")); i++) {
        int64_t id = jint(json_array_get(jget(j, "items"), i), "id");
        seen |= id == ct;
        assert_true(id != draft);
    }
    assert_true(seen);
    json_decref(j);
    char *key = fx_player(ct, "两次", "13512340001", dist_a);
    char header[120];
    snprintf(header, sizeof header, "X-Person-Key: %s", key);
    const char *headers[] = {header, NULL};
    http_resp r;
    assert_int_equal(http("GET", P("/api/v1/public/contests/%lld?person_kind=player", (long long)ct), headers, NULL, 0, &r), 200);
    assert_int_equal(jint(r.json, "attempts_left"), 2);
    assert_true(json_is_null(jget(r.json, "attempts_left_today")));
    assert_int_equal(json_array_size(jget(r.json, "districts")), 2);
    http_resp_free(&r);
    for (int i = 0; i < 2; i++) {
        json_t *paper = NULL;
        expect_status(fx_start(ct, key, "player", &paper), paper, 201);
        expect_status(fx_submit(ct, paper, &j), j, 200);
        assert_int_equal(jint(j, "score"), 0);   /* nothing answered */
        json_decref(j), json_decref(paper);
    }
    assert_int_equal(http("GET", P("/api/v1/public/contests/%lld?person_kind=player", (long long)ct), headers, NULL, 0, &r), 200);
    assert_int_equal(jint(r.json, "attempts_left"), 0);
    http_resp_free(&r);
    expect_error(fx_start(ct, key, "player", &j), j, 409, "attempts_exhausted", NULL);
    json_decref(j);
    free(key);
}

static void test_answer_shape_and_question_time(void **state)
{
    (void)state;
    int64_t ct = fx_contest(city, root, "每题限时", jpack("{s:i}", "question_time_s", 1));
    char *key = fx_player(ct, "限时", "13512340002", dist_b);
    json_t *paper = NULL, *j = NULL;
    expect_status(fx_start(ct, key, "player", &paper), paper, 201);
    assert_int_equal(jint(json_array_get(jget(paper, "questions"), 0), "time_s"), 1);
    /* the wrong shape: an object */
    char header[160];
    snprintf(header, sizeof header, "X-Attempt-Token: %s", jstr(paper, "attempt_token"));
    const char *headers[] = {header, "Content-Type: application/json", NULL};
    http_resp r;
    const char *bad = "{\"answer\": {\"x\": 1}}";
    assert_int_equal(http("PUT", P("/api/v1/public/contests/%lld/attempts/%lld/answers/1", (long long)ct,
                                   (long long)jint(paper, "attempt_id")), headers, bad, strlen(bad), &r), 422);
    http_resp_free(&r);
    /* question 1 in time; question 2 is put when 1 is answered, and 4 s later it is over */
    assert_int_equal(fx_answer(ct, paper, 1, true, NULL), 200);
    sleep(4);
    assert_int_equal(fx_answer(ct, paper, 2, true, NULL), 409);
    expect_status(fx_submit(ct, paper, &j), j, 200);
    assert_int_equal(jint(j, "score"), 5);
    json_decref(j), json_decref(paper);
    free(key);
}

static void test_registration_limits(void **state)
{
    (void)state;
    int64_t ct = fx_contest(city, root, "登记限制", NULL);
    char *key = fx_player(ct, "张三", "13512340003", dist_a);
    free(key);
    json_t *j = NULL;
    /* the same phone: refused (409) twice more, then 429 whatever the answer would be */
    for (int i = 0; i < 2; i++) {
        expect_error(api("POST", P("/public/contests/%lld/players", (long long)ct), NULL,
                         jpack("{s:s, s:s, s:I}", "name", "张三", "phone", "13512340003", "district_id", (json_int_t)dist_a),
                         &j), j, 409, "cannot_register", "phone");
        json_decref(j);
    }
    expect_error(api("POST", P("/public/contests/%lld/players", (long long)ct), NULL,
                     jpack("{s:s, s:s, s:I}", "name", "张三", "phone", "13512340003", "district_id", (json_int_t)dist_a), &j),
                 j, 429, "too_many_attempts", NULL);
    json_decref(j);
    expect_api_error("POST", P("/public/contests/%lld/players", (long long)ct), NULL,
                     jpack("{s:s, s:s, s:I}", "name", "坏号", "phone", "1234", "district_id", (json_int_t)dist_a), 422,
                     "invalid_field", "phone");
}

/* The code in the last SMS to the phone (masked 135****0004 in the log), or "" when none. */
static void last_code(const char *phone, char code[7])
{
    char masked[16], line[512];
    snprintf(masked, sizeof masked, "%.3s****%.4s", phone, phone + 7);
    code[0] = 0;
    FILE *f = fopen(sms_log, "r");
    while (f && fgets(line, sizeof line, f)) {
        char *at = strstr(line, masked), *c = at ? strstr(at, "验证码 ") : NULL;
        if (c) memcpy(code, c + strlen("验证码 "), 6), code[6] = 0;
    }
    if (f) fclose(f);
}

/* A registered phone on a new device: an SMS code gives the key again; the same 202 for a phone
 * that never registered (and no SMS to it); a wrong code finds nobody. */
static void test_find_me(void **state)
{
    (void)state;
    int64_t ct = fx_contest(city, root, "找回", NULL);
    char *key = fx_player(ct, "林找回", "13512340004", dist_a);
    json_t *j = NULL, *k = NULL;
    expect_status(api("POST", P("/public/contests/%lld/players/code", (long long)ct), NULL, jpack("{s:s}", "phone", "13512340004"), &j),
                  j, 202);
    expect_status(api("POST", P("/public/contests/%lld/players/code", (long long)ct), NULL, jpack("{s:s}", "phone", "13512340005"), &k),
                  k, 202);
    assert_true(json_equal(j, k));   /* nothing tells a registered phone */
    json_decref(j), json_decref(k);
    char code[7], none[7];
    last_code("13512340004", code);
    last_code("13512340005", none);
    assert_int_equal(strlen(code), 6);
    assert_int_equal(strlen(none), 0);   /* no SMS to a phone that never registered */
    char wrong[16];
    snprintf(wrong, sizeof wrong, "%06u", (unsigned)(atoi(code) + 1) % 1000000u);
    expect_api_error("POST", P("/public/contests/%lld/players/find", (long long)ct), NULL,
                     jpack("{s:s, s:s}", "phone", "13512340004", "code", wrong), 404, "not_found", "code");
    expect_status(api("POST", P("/public/contests/%lld/players/find", (long long)ct), NULL,
                      jpack("{s:s, s:s}", "phone", "13512340004", "code", code), &j), j, 200);
    assert_string_equal(jstr(j, "district"), "公开甲区");
    char *again = strdup(jstr(j, "person_key"));
    json_decref(j);
    /* single use */
    expect_api_error("POST", P("/public/contests/%lld/players/find", (long long)ct), NULL,
                     jpack("{s:s, s:s}", "phone", "13512340004", "code", code), 404, "not_found", "code");
    /* the new key is the same player: its paper is the one active attempt of the old key's */
    json_t *paper = NULL;
    expect_status(fx_start(ct, key, "player", &paper), paper, 201);
    expect_error(fx_start(ct, again, "player", &j), j, 409, "attempt_active", "attempt_id");
    json_decref(j), json_decref(paper);
    free(key), free(again);
}

/* An attempt's own limit: forged tokens do not use up the holder's; the holder's 31st request in
 * the window is refused. */
static void test_attempt_limit(void **state)
{
    (void)state;
    int64_t ct = fx_contest(city, root, "单卷限流", NULL);
    char *key = fx_player(ct, "限流", "13512340006", dist_b);
    json_t *paper = NULL;
    expect_status(fx_start(ct, key, "player", &paper), paper, 201);
    json_t *forged = json_deep_copy(paper);
    json_object_set_new(forged, "attempt_token", json_string("forged"));
    for (int i = 0; i < 40; i++) assert_int_equal(fx_answer(ct, forged, 1, true, NULL), i < 30 ? 404 : 429);
    for (int i = 0; i < 30; i++) assert_int_equal(fx_answer(ct, paper, 1 + i % 4, true, NULL), 200);
    assert_int_equal(fx_answer(ct, paper, 1, true, NULL), 429);
    json_decref(forged), json_decref(paper);
    free(key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_and_audience),
        cmocka_unit_test(test_open_list_and_attempts_left),
        cmocka_unit_test(test_answer_shape_and_question_time),
        cmocka_unit_test(test_registration_limits),
        cmocka_unit_test(test_find_me),
        cmocka_unit_test(test_attempt_limit),
    };
    return run_api_tests(tests, setup, teardown);
}
