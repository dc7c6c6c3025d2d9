/* test_checkin_abuse.c - the public check-in against abuse (security review, issue 12 item 4),
 * each attack reproduced over HTTP and shown to do no harm:
 *  - the 6-digit code with a known student's phone under another name checks nobody in and gives
 *    no key; under the right name it checks in without a key; the key (and so the rating) needs
 *    the QR token and the name on record;
 *  - 300 invented newcomers from one address: 60 admitted (per address and session), the session
 *    takes 300 at most, the figures count the admitted ones only (`kepu stats verify` clean);
 *  - 30 wrong codes from one address lock that address only: another checks in with the code,
 *    a session that opens next year answers its right code with window_closed, not a lock-out;
 *  - no such session, another session's token, a closed session's wrong code and a key nobody
 *    holds are answered alike: which session ids exist is not told.
 * The server trusts X-Real-IP here (KEPU_TRUST_PROXY=1) so that a test speaks from several
 * addresses; every limit is at its documented default. */
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

static char *admin, *staff;
static int64_t root, dist, point;
static char year[8];

static const char *at(long seconds) { return shanghai_at(seconds); }

static int64_t add_course(long from, long to)
{
    json_t *j = NULL;
    expect_status(api("POST", "/courses", staff,
                      jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)point, "title", "智能手机防骗课",
                            "category", "anti_fraud", "starts_at", at(from), "ends_at", at(to)), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int setup(void **state)
{
    setenv("KEPU_CHECKIN_STEP", "60", 1);
    setenv("KEPU_TRUST_PROXY", "1", 1);
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist = create_org(admin, root, "district", "防刷区");
    point = create_org(admin, dist, "point", "防刷社区教学点");
    create_user(admin, "abuse_staff", dist, "staff", "subtree", 0);
    staff = login("abuse_staff", USER_PASSWORD);
    snprintf(year, sizeof year, "%.4s", at(0));
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(staff);
    return server_stop(state);
}

/* The session of a course (opened) and its code. */
static int64_t open_session(int64_t course, char code[8])
{
    json_t *j = NULL;
    expect_status(api("POST", "/checkin/sessions", staff, jpack("{s:s, s:I}", "kind", "course", "owner_id",
                                                                 (json_int_t)course), &j), j, 200);
    int64_t id = jint(j, "id");
    if (code) snprintf(code, 8, "%s", jstr(j, "code"));
    json_decref(j);
    return id;
}

static char *token_of(int64_t session)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/checkin/sessions/%lld/token", (long long)session), staff, NULL, &j), j, 200);
    char *t = strdup(jstr(j, "token"));
    json_decref(j);
    return t;
}

/* POST path from address ip (body taken); the whole answer kept in *resp (free it). */
/* The members of an answer in order, "a,b,c": the UI reads them by name, the documents in order. */
static const char *members(json_t *j)
{
    static char got[512];
    const char *k;
    json_t *v;
    got[0] = 0;
    json_object_foreach(j, k, v) {
        (void)v;
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", got[0] ? "," : "", k);
    }
    return got;
}

static int post_from(const char *ip, const char *path, json_t *body, http_resp *resp)
{
    char hdr[64], *text = json_dumps(body, JSON_COMPACT);
    snprintf(hdr, sizeof hdr, "X-Real-IP: %s", ip);
    const char *const headers[] = {"Content-Type: application/json", hdr, NULL};
    int st = http("POST", P("%s%s", API_BASE, path), headers, text, strlen(text), resp);
    free(text);
    json_decref(body);
    return st;
}

/* A public check-in from ip; *out (may be NULL) gets the answer. */
static int checkin_from(const char *ip, int64_t session, json_t *body, json_t **out)
{
    http_resp r;
    int st = post_from(ip, P("/public/checkin/%lld", (long long)session), body, &r);
    if (out) *out = json_incref(r.json);
    http_resp_free(&r);
    return st;
}

static json_t *by_code(const char *code, const char *name, const char *phone)
{
    return jpack("{s:s, s:s, s:s}", "code", code, "name", name, "phone", phone);
}

static int64_t course_field(int64_t course, const char *field)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/courses/%lld", (long long)course), staff, NULL, &j), j, 200);
    int64_t v = jint(j, field);
    json_decref(j);
    return v;
}

static int64_t attendance_of(int64_t org)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=attendance", (long long)org, year), admin, NULL, &j),
                  j, 200);
    int64_t v = json_integer_value(json_object_get(jget(j, "values"), "attendance"));
    json_decref(j);
    return v;
}

static int64_t add_student(const char *name, const char *phone)
{
    json_t *j = NULL;
    expect_status(api("POST", "/students", staff, jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)point, "name", name,
                                                       "phone", phone), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int64_t student_attendance(int64_t id)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/students/%lld/attendance", (long long)id), staff, NULL, &j), j, 200);
    int64_t n = (int64_t)json_array_size(jget(j, "items"));
    json_decref(j);
    return n;
}

/* Item 4a: a known student's phone with the code under another name: refused, nothing recorded,
 * no key; under the right name: checked in without a key; the key only by the QR token with the
 * name on record; without a key nobody rates as the student. */
static void test_known_phone_needs_qr_and_name_for_its_key(void **state)
{
    (void)state;
    char code[8];
    int64_t course = add_course(-600, 3600), ses = open_session(course, code);
    int64_t stu = add_student("张桂兰", "13900000101");
    json_t *j = NULL;
    /* the attack: the code (passed around a chat group), the victim's phone, any name */
    expect_error(checkin_from("10.9.0.1", ses, by_code(code, "冒名者", "13900000101"), &j), j, 409, "name_mismatch",
                 "name");
    assert_null(jget(j, "student_key"));
    json_decref(j);
    assert_int_equal(course_field(course, "attendance"), 0);
    assert_int_equal(student_attendance(stu), 0);
    /* with the code under the name on record (spaces aside): checked in, but no key */
    expect_status(checkin_from("10.9.0.1", ses, by_code(code, "张 桂兰", "13900000101"), &j), j, 201);
    assert_string_equal(jstr(j, "status"), "checked_in");
    assert_true(json_is_null(jget(j, "student_key")));
    assert_true(json_is_null(jget(j, "person_key")));
    json_decref(j);
    assert_int_equal(course_field(course, "attendance"), 1);
    assert_int_equal(student_attendance(stu), 1);
    /* a second time by the code: already, still no key */
    expect_status(checkin_from("10.9.0.1", ses, by_code(code, "张桂兰", "13900000101"), &j), j, 200);
    assert_true(json_is_true(jget(j, "already")));
    assert_true(json_is_null(jget(j, "student_key")));
    json_decref(j);
    /* the QR token under another name: refused, no key */
    char *t = token_of(ses);
    expect_error(checkin_from("10.9.0.2", ses, jpack("{s:s, s:s, s:s}", "token", t, "name", "李四", "phone",
                                                     "13900000101"), &j), j, 409, "name_mismatch", "name");
    assert_null(jget(j, "student_key"));
    json_decref(j);
    /* nothing to rate with: no key was ever answered to the attacker */
    assert_int_equal(course_field(course, "rating_count"), 0);
    /* the student in the room: the QR token and the name on record (a full-width space) give the key */
    expect_status(checkin_from("10.9.0.2", ses, jpack("{s:s, s:s, s:s}", "token", t, "name", "张　桂兰", "phone",
                                                      "13900000101"), &j), j, 200);
    const char *key = jstr(j, "student_key");
    assert_non_null(key);
    assert_true(strlen(key) >= 40);
    assert_string_equal(members(j), "status,already,student_key,person_key,title,checked_in,message");
    assert_string_equal(jstr(j, "person_key"), key);
    http_resp r;
    post_from("10.9.0.2", P("/public/checkin/%lld/rating", (long long)ses),
              jpack("{s:s, s:i}", "student_key", key, "stars", 5), &r);
    expect_status(r.status, r.json, 201);
    assert_string_equal(members(r.json), "status,replaced,title,stars,comment,message");
    assert_string_equal(jstr(r.json, "status"), "rated");
    assert_true(json_is_null(json_object_get(r.json, "comment")));
    assert_int_equal(jint(r.json, "stars"), 5);
    http_resp_free(&r);
    json_decref(j);
    assert_int_equal(course_field(course, "rating_count"), 1);
    assert_int_equal(course_field(course, "attendance"), 1);
    free(t);
    /* a wrong name counts per address and session: 20 of them refuse that address's names there */
    for (int i = 0; i < 20; i++) {
        expect_error(checkin_from("10.9.0.3", ses, by_code(code, P("猜名%d", i), "13900000101"), &j), j, 409,
                     "name_mismatch", "name");
        json_decref(j);
    }
    expect_error(checkin_from("10.9.0.3", ses, by_code(code, "张桂兰", "13900000101"), &j), j, 429, "too_many_attempts",
                 "code");
    json_decref(j);
    expect_status(checkin_from("10.9.0.4", ses, by_code(code, "张桂兰", "13900000101"), &j), j, 200);
    json_decref(j);
}

/* Item 4b: 300 invented newcomers from one address within a second: 60 enrolled, the rest 429
 * with Retry-After; other addresses fill the session up to 300; known students still check in. */
static void test_newcomers_limited_per_address_and_session(void **state)
{
    (void)state;
    char code[8];
    int64_t course = add_course(-600, 3600), ses = open_session(course, code);
    int64_t stu = add_student("钱阿婆", "13900000201");
    int64_t d0 = attendance_of(dist), students0 = list_total(staff, P("/students?org_id=%lld", (long long)point));
    int admitted = 0, refused = 0;
    for (int i = 0; i < 300; i++) {
        http_resp r;
        int st = post_from("10.8.0.1", P("/public/checkin/%lld", (long long)ses),
                           by_code(code, P("虚构%d", i), P("137%08d", i)), &r);
        if (st == 201) admitted++;
        else {
            expect_error(st, r.json, 429, "too_many_newcomers", "phone");
            char *ra = resp_header(&r, "Retry-After");
            assert_non_null(ra);
            assert_true(atoi(ra) > 0);
            free(ra);
            refused++;
        }
        http_resp_free(&r);
    }
    assert_int_equal(admitted, 60);
    assert_int_equal(refused, 240);
    assert_int_equal(course_field(course, "attendance"), 60);
    assert_int_equal(attendance_of(dist), d0 + 60);
    assert_int_equal(list_total(staff, P("/students?org_id=%lld", (long long)point)), students0 + 60);
    /* a known student is no newcomer: still checks in from the same address */
    json_t *j = NULL;
    expect_status(checkin_from("10.8.0.1", ses, by_code(code, "钱阿婆", "13900000201"), &j), j, 201);
    json_decref(j);
    assert_int_equal(student_attendance(stu), 1);
    /* four more addresses fill the session to 300 newcomers; the next one is refused */
    for (int a = 2; a <= 5; a++)
        for (int i = 0; i < 60; i++) {
            expect_status(checkin_from(P("10.8.0.%d", a), ses, by_code(code, P("学员%d-%d", a, i), P("136%02d%06d", a, i)),
                                       &j), j, 201);
            json_decref(j);
        }
    expect_error(checkin_from("10.8.0.6", ses, by_code(code, "第301位", "13500000301"), &j), j, 429, "too_many_newcomers",
                 "phone");
    json_decref(j);
    assert_int_equal(course_field(course, "attendance"), 301);
    assert_int_equal(attendance_of(dist), d0 + 301);
    assert_int_equal(list_total(staff, P("/students?org_id=%lld", (long long)point)), students0 + 300);
    /* another session is not affected */
    char code2[8];
    int64_t ses2 = open_session(add_course(-600, 3600), code2);
    expect_status(checkin_from("10.8.0.6", ses2, by_code(code2, "别的课", "13500000302"), &j), j, 201);
    json_decref(j);
}

/* Item 4c: wrong codes count per address: one address's 30 wrong tries lock that address only;
 * another checks in with the code; a session that opens next year is not locked either. */
static void test_wrong_codes_count_per_address(void **state)
{
    (void)state;
    char code[8], wrong[8];
    int64_t course = add_course(-600, 3600), ses = open_session(course, code);
    json_t *j = NULL;
    for (int i = 0; i < 30; i++) {
        snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1 + i) % 1000000);
        http_resp r;
        int st = post_from("10.7.0.1", P("/public/checkin/%lld", (long long)ses), by_code(wrong, "猜码者", "13400000001"),
                           &r);
        if (i < 20) expect_error(st, r.json, 403, "token_invalid", "code");
        else {
            expect_error(st, r.json, 429, "too_many_attempts", "code");
            char *ra = resp_header(&r, "Retry-After");
            assert_non_null(ra);
            free(ra);
        }
        http_resp_free(&r);
    }
    /* that address: even the right code is refused for a while; the QR token still works */
    expect_error(checkin_from("10.7.0.1", ses, by_code(code, "迟到者", "13400000002"), &j), j, 429, "too_many_attempts",
                 "code");
    json_decref(j);
    char *t = token_of(ses);
    expect_status(checkin_from("10.7.0.1", ses, jpack("{s:s, s:s, s:s}", "token", t, "name", "扫码者", "phone",
                                                      "13400000003"), &j), j, 201);
    json_decref(j);
    free(t);
    /* another address (the rest of the class) checks in with the code */
    expect_status(checkin_from("10.7.0.2", ses, by_code(code, "迟到者", "13400000002"), &j), j, 201);
    json_decref(j);
    /* a session that opens next year: 30 wrong codes now do not lock it for anyone */
    char later_code[8];
    int64_t later = open_session(add_course(86400L * 300, 86400L * 300 + 3600), later_code);
    for (int i = 0; i < 30; i++) {
        snprintf(wrong, sizeof wrong, "%06d", (atoi(later_code) + 1 + i) % 1000000);
        int st = checkin_from("10.7.0.3", later, by_code(wrong, "猜码者", "13400000001"), &j);
        assert_true(st == 403 || st == 429);
        json_decref(j);
    }
    expect_error(checkin_from("10.7.0.4", later, by_code(later_code, "下一年", "13400000004"), &j), j, 409,
                 "window_closed", NULL);
    json_decref(j);
    /* closed and opened again: a new code that works */
    json_t *o = NULL;
    expect_status(api("POST", P("/checkin/sessions/%lld/close", (long long)ses), staff, jpack("{}"), &o), o, 200);
    json_decref(o);
    char code2[8];
    assert_int_equal(open_session(course, code2), ses);
    assert_string_not_equal(code2, code);
    expect_status(checkin_from("10.7.0.5", ses, by_code(code2, "迟到者", "13400000002"), &j), j, 200);
    json_decref(j);
}

/* Item 4d: an anonymous caller cannot tell which sessions exist: no such session answers like a
 * wrong code, a wrong token, or a key nobody holds; window_closed only after the right code. */
static void test_answers_do_not_reveal_sessions(void **state)
{
    (void)state;
    char code[8], closed_code[8], wrong[8];
    int64_t ses = open_session(add_course(-600, 3600), code);
    int64_t closed_course = add_course(-600, 3600), closed = open_session(closed_course, closed_code);
    json_t *o = NULL;
    expect_status(api("POST", P("/checkin/sessions/%lld/close", (long long)closed), staff, jpack("{}"), &o), o, 200);
    json_decref(o);
    snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
    if (!strcmp(wrong, closed_code)) snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 2) % 1000000);
    /* a code: no such session, a wrong code, a closed session's wrong code: the same answer */
    json_t *a = NULL, *b = NULL, *c = NULL;
    int sa = checkin_from("10.6.0.1", 987654, by_code(wrong, "甲", "13600000001"), &a);
    int sb = checkin_from("10.6.0.1", ses, by_code(wrong, "甲", "13600000001"), &b);
    int sc = checkin_from("10.6.0.1", closed, by_code(wrong, "甲", "13600000001"), &c);
    expect_error(sa, a, 403, "token_invalid", "code");
    assert_int_equal(sb, sa);
    assert_int_equal(sc, sa);
    assert_true(json_equal(a, b));
    assert_true(json_equal(a, c));
    json_decref(a), json_decref(b), json_decref(c);
    /* the closed session's right code: now it may say why */
    expect_error(checkin_from("10.6.0.2", closed, by_code(closed_code, "甲", "13600000001"), &a), a, 409, "window_closed",
                 NULL);
    json_decref(a);
    /* a token: no such session and another session's token, on the page and the check-in */
    char *t = token_of(ses);
    http_resp r1, r2;
    http("GET", P("%s/public/checkin/%lld/%s", API_BASE, 987654LL, t), NULL, NULL, 0, &r1);
    http("GET", P("%s/public/checkin/%lld/%s", API_BASE, (long long)closed, t), NULL, NULL, 0, &r2);
    expect_error(r1.status, r1.json, 403, "token_invalid", "token");
    assert_int_equal(r2.status, r1.status);
    assert_true(json_equal(r1.json, r2.json));
    http_resp_free(&r1), http_resp_free(&r2);
    sa = checkin_from("10.6.0.3", 987654, jpack("{s:s, s:s, s:s}", "token", t, "name", "乙", "phone", "13600000002"), &a);
    sb = checkin_from("10.6.0.3", closed, jpack("{s:s, s:s, s:s}", "token", t, "name", "乙", "phone", "13600000002"), &b);
    expect_error(sa, a, 403, "token_invalid", "token");
    assert_int_equal(sb, sa);
    assert_true(json_equal(a, b));
    json_decref(a), json_decref(b);
    free(t);
    /* a rating: no such session and a key nobody holds at a real session */
    const char *nobody = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    post_from("10.6.0.4", P("/public/checkin/%lld/rating", 987654LL), jpack("{s:s, s:i}", "student_key", nobody, "stars",
              4), &r1);
    post_from("10.6.0.4", P("/public/checkin/%lld/rating", (long long)ses), jpack("{s:s, s:i}", "student_key", nobody,
              "stars", 4), &r2);
    expect_error(r1.status, r1.json, 422, "invalid_field", "student_key");
    assert_int_equal(r2.status, r1.status);
    assert_true(json_equal(r1.json, r2.json));
    http_resp_free(&r1), http_resp_free(&r2);
}

static void test_stats_verify_finds_no_difference(void **state)
{
    (void)state;
    char cmd[1024];
    const char *url = strcmp(test_db_kind(), "sqlite") ? test_db_url() : P("%s/kepu.db", server_dir());
    snprintf(cmd, sizeof cmd, "'%s' stats verify --db '%s' 2>&1", getenv("KEPU_BIN"), url);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char out[4096] = "";
    size_t n = fread(out, 1, sizeof out - 1, f);
    out[n] = 0;
    int st = pclose(f);
    if (!strstr(out, "stats verify: 0 differences")) fprintf(stderr, "%s", out);
    assert_non_null(strstr(out, "stats verify: 0 differences"));
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_phone_needs_qr_and_name_for_its_key),
        cmocka_unit_test(test_newcomers_limited_per_address_and_session),
        cmocka_unit_test(test_wrong_codes_count_per_address),
        cmocka_unit_test(test_answers_do_not_reveal_sessions),
        cmocka_unit_test(test_stats_verify_finds_no_difference),
    };
    return run_api_tests(tests, setup, teardown);
}
