/* test_checkin.c - check-in by rotating QR code over HTTP: the teacher's session, token and QR
 * code; the public page refuses forged, expired and other sessions' tokens and closed windows;
 * a newcomer is enrolled and checked in, a remembered student checks in with one tap, a second
 * scan counts once; the teacher marks attendance in bulk; the course's, district's and city's
 * attendance rise by exactly the check-ins; scope (404), roles (403), masking (no full phone in
 * answers or the server log), audit, and `kepu stats verify` at 0 differences. The abuse of the
 * public side (wrong codes, known phones, invented newcomers) is tested in test_checkin_abuse.c.
 * A page opened with a valid token gets a grant that outlives the token's rotation (slow typists),
 * for its session only, until it expires.
 * The server runs with KEPU_CHECKIN_STEP=2 so that a token expires within seconds, and
 * KEPU_CHECKIN_GRANT=8 so that a grant does too. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

static char *admin, *a_staff, *b_staff, *teacher;
static int64_t root, dist_a, dist_b, point_a, point_b, course_now, course_later, course_b, session;
static char year[8];

static const char *at(long seconds) { return shanghai_at(seconds); }

static int64_t add_course(const char *token, int64_t org, long from, long to)
{
    json_t *j = NULL;
    expect_status(api("POST", "/courses", token,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)org, "title", "老年人防诈骗讲座",
                            "category", "anti_fraud", "starts_at", at(from), "ends_at", at(to), "place", "社区活动室"), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int setup(void **state)
{
    setenv("KEPU_CHECKIN_STEP", "2", 1);
    setenv("KEPU_CHECKIN_GRANT", "8", 1);
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "签到甲区");
    dist_b = create_org(admin, root, "district", "签到乙区");
    point_a = create_org(admin, dist_a, "point", "甲区和平社区教学点");
    point_b = create_org(admin, dist_b, "point", "乙区幸福社区教学点");
    create_user(admin, "chk_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "chk_b_staff", dist_b, "staff", "subtree", 0);
    create_user(admin, "chk_teacher", point_a, "teacher", "org", 0);
    a_staff = login("chk_a_staff", USER_PASSWORD);
    b_staff = login("chk_b_staff", USER_PASSWORD);
    teacher = login("chk_teacher", USER_PASSWORD);
    course_now = add_course(a_staff, point_a, -600, 3600);
    course_later = add_course(a_staff, point_a, 86400 * 3, 86400 * 3 + 3600);
    course_b = add_course(b_staff, point_b, -600, 3600);
    snprintf(year, sizeof year, "%.4s", at(0));
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_staff), free(b_staff), free(teacher);
    return server_stop(state);
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

static int64_t open_session(const char *token, int64_t course)
{
    json_t *j = NULL;
    expect_status(api("POST", "/checkin/sessions", token, jpack("{s:s, s:I}", "kind", "course", "owner_id",
                                                                (json_int_t)course), &j), j, 200);
    int64_t id = jint(j, "id");
    assert_int_equal(strlen(jstr(j, "code")), 6);
    json_decref(j);
    return id;
}

/* The current token of a session (malloc'd), fetched as the teacher's screen does. */
static char *token_of(int64_t id)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/checkin/sessions/%lld/token", (long long)id), a_staff, NULL, &j), j, 200);
    char *t = strdup(jstr(j, "token"));
    json_decref(j);
    return t;
}

static char *code_of(int64_t id)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/checkin/sessions/%lld", (long long)id), a_staff, NULL, &j), j, 200);
    char *t = strdup(jstr(j, "code"));
    json_decref(j);
    return t;
}

static int64_t course_attendance(int64_t id)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/courses/%lld", (long long)id), a_staff, NULL, &j), j, 200);
    int64_t v = jint(j, "attendance");
    json_decref(j);
    return v;
}

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

static void test_session_token_and_qr(void **state)
{
    (void)state;
    session = open_session(a_staff, course_now);
    assert_int_equal(open_session(a_staff, course_now), session);   /* one session per course */
    json_t *j = NULL;
    expect_status(api("GET", P("/checkin/sessions/%lld/token", (long long)session), a_staff, NULL, &j), j, 200);
    assert_non_null(strstr(jstr(j, "url"), P("/c/%lld/%s", (long long)session, jstr(j, "token"))));
    assert_true(jint(j, "expires_in") >= 1 && jint(j, "expires_in") <= 2);
    assert_int_equal(strlen(jstr(j, "code")), 6);
    assert_string_equal(members(j), "token,url,expires_in,step,code,checked_in,status,window_open");
    assert_string_equal(jstr(j, "status"), "open");
    assert_true(json_is_boolean(json_object_get(j, "window_open")));
    http_resp r;
    api_full("GET", P("/checkin/sessions/%lld/qr.svg?token=%s", (long long)session, jstr(j, "token")), a_staff, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<svg"));
    http_resp_free(&r);
    json_decref(j);
    expect_api_error("GET", P("/checkin/sessions/%lld/qr.svg?token=abc", (long long)session), a_staff, NULL, 422,
                     "invalid_field", "token");
    /* scope and roles */
    expect_api_error("GET", P("/checkin/sessions/%lld/token", (long long)session), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("GET", P("/checkin/sessions/%lld/token", (long long)session), teacher, NULL, 403, "forbidden", "*");
    expect_api_error("POST", "/checkin/sessions", b_staff, jpack("{s:s, s:I}", "kind", "course", "owner_id",
                     (json_int_t)course_now), 404, "not_found", "*");
    expect_api_error("POST", "/checkin/sessions", a_staff, jpack("{s:s, s:I}", "kind", "party", "owner_id", (json_int_t)1),
                     422, "invalid_field", "kind");
    expect_api_error("POST", "/checkin/sessions", a_staff, jpack("{s:s}", "kind", "course"), 422, "required", "owner_id");
    assert_true(list_total(admin, P("/audit?entity=checkin_session&entity_id=%lld", (long long)session)) >= 1);
}

static void test_public_view_refuses_bad_tokens(void **state)
{
    (void)state;
    char *t = token_of(session);
    json_t *j = NULL;
    expect_status(api("GET", P("/public/checkin/%lld/%s", (long long)session, t), NULL, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "title"), "老年人防诈骗讲座");
    assert_string_equal(jstr(j, "place"), "社区活动室");
    assert_string_equal(members(j), "session_id,kind,title,place,starts_at,ends_at,checked_in,grant,grant_expires_in");
    assert_int_equal(jint(j, "session_id"), session);
    assert_string_equal(jstr(j, "kind"), "course");
    json_decref(j);
    /* forged: one character changed */
    char *f = strdup(t);
    f[strlen(f) - 3] = f[strlen(f) - 3] == 'A' ? 'B' : 'A';
    expect_api_error("GET", P("/public/checkin/%lld/%s", (long long)session, f), NULL, NULL, 403, "token_invalid", "token");
    expect_api_error("GET", P("/public/checkin/%lld/%s", (long long)session, "not-a-token"), NULL, NULL, 403,
                     "token_invalid", "token");
    /* another session's token */
    int64_t other = open_session(b_staff, course_b);
    json_t *o = NULL;
    expect_status(api("GET", P("/checkin/sessions/%lld/token", (long long)other), b_staff, NULL, &o), o, 200);
    expect_api_error("GET", P("/public/checkin/%lld/%s", (long long)session, jstr(o, "token")), NULL, NULL, 403,
                     "token_invalid", "token");
    expect_api_error("POST", P("/public/checkin/%lld", (long long)session), NULL,
                     jpack("{s:s, s:s, s:s}", "token", jstr(o, "token"), "name", "钱多多", "phone", "13700001111"), 403,
                     "token_invalid", "token");
    json_decref(o);
    /* no such session: the same refusal as another session's token (ids are not revealed) */
    expect_api_error("GET", P("/public/checkin/%lld/%s", (long long)999999, t), NULL, NULL, 403, "token_invalid", "token");
    free(t), free(f);
}

static void test_newcomer_known_and_second_scan(void **state)
{
    (void)state;
    int64_t d0 = attendance_of(dist_a), r0 = attendance_of(root), b0 = attendance_of(dist_b);
    char *t = token_of(session);
    json_t *j = NULL;
    http_resp r;
    api_full("POST", P("/public/checkin/%lld", (long long)session), NULL,
             jpack("{s:s, s:s, s:s}", "token", t, "name", "李秀英", "phone", "13912345678"), &r);
    assert_int_equal(r.status, 201);
    assert_null(strstr(r.body, "13912345678"));
    j = json_loads(r.body, 0, NULL);
    assert_string_equal(jstr(j, "status"), "checked_in");
    char *key = strdup(jstr(j, "student_key"));
    assert_true(strlen(key) >= 40);
    json_decref(j);
    http_resp_free(&r);
    /* the course is held by its first check-in and counts at every level */
    assert_int_equal(course_attendance(course_now), 1);
    assert_int_equal(attendance_of(dist_a), d0 + 1);
    assert_int_equal(attendance_of(root), r0 + 1);
    assert_int_equal(attendance_of(dist_b), b0);
    /* enrolled at the course's point, masked, found by the exact phone */
    expect_status(api("GET", "/students?phone=13912345678", a_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.phone"), "139****5678");
    assert_string_equal(jstr(j, "items.0.source"), "checkin");
    assert_int_equal(jint(j, "items.0.org_id"), point_a);
    assert_int_equal(jint(j, "items.0.attendance"), 1);
    json_decref(j);
    /* one tap with the remembered key: already checked in, counted once */
    free(t);
    t = token_of(session);
    expect_status(api("POST", P("/public/checkin/%lld", (long long)session), NULL,
                      jpack("{s:s, s:s}", "token", t, "student_key", key), &j), j, 200);
    assert_true(json_is_true(jget(j, "already")));
    assert_string_equal(jstr(j, "student_key"), key);
    json_decref(j);
    /* the same phone typed again: matched by the blind index, not enrolled twice */
    expect_status(api("POST", P("/public/checkin/%lld", (long long)session), NULL,
                      jpack("{s:s, s:s, s:s}", "token", t, "name", "李秀英", "phone", "13912345678"), &j), j, 200);
    assert_true(json_is_true(jget(j, "already")));
    json_decref(j);
    assert_int_equal(list_total(a_staff, "/students?phone=13912345678"), 1);
    assert_int_equal(course_attendance(course_now), 1);
    assert_int_equal(attendance_of(dist_a), d0 + 1);
    /* the 6-digit code for a late arrival */
    char *code = code_of(session);
    expect_status(api("POST", P("/public/checkin/%lld", (long long)session), NULL,
                      jpack("{s:s, s:s, s:s}", "code", code, "name", "王建国", "phone", "13587654321"), &j), j, 201);
    json_decref(j);
    char wrong[16];
    snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
    expect_api_error("POST", P("/public/checkin/%lld", (long long)session), NULL,
                     jpack("{s:s, s:s, s:s}", "code", wrong, "name", "赵六", "phone", "13587654000"), 403, "token_invalid",
                     "code");
    assert_int_equal(course_attendance(course_now), 2);
    assert_int_equal(attendance_of(dist_a), d0 + 2);
    assert_int_equal(attendance_of(root), r0 + 2);
    /* a student of the point checks in at another course of it with one tap */
    assert_true(list_total(admin, P("/audit?entity=student")) >= 2);
    /* each new check-in is audited once, under its own row's id, naming the session (the two
     * second scans are not) */
    expect_status(api("GET", "/audit?entity=checkin&action=checkin&page_size=100", admin, NULL, &j), j, 200);
    size_t i;
    json_t *it;
    int mine = 0;
    json_int_t ids[2] = {0, 0};
    json_array_foreach(jget(j, "items"), i, it) {
        json_t *changes = json_object_get(it, "changes");
        if (json_integer_value(json_object_get(json_object_get(changes, "session_id"), "after")) != session) continue;
        assert_string_equal(json_string_value(json_object_get(json_object_get(changes, "method"), "after")),
                            mine == 0 ? "code" : "qr");   /* newest first */
        if (mine < 2) ids[mine] = json_integer_value(json_object_get(it, "entity_id"));
        mine++;
    }
    json_decref(j);
    assert_int_equal(mine, 2);
    assert_true(ids[1] > 0 && ids[0] > ids[1]);
    free(t), free(key), free(code);
}

static void test_bad_input_names_the_field(void **state)
{
    (void)state;
    char *t = token_of(session);
    const char *path = P("/public/checkin/%lld", (long long)session);
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s}", "name", "甲", "phone", "13900000001"), 422, "required", "token");
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s, s:s, s:s}", "token", t, "code", "123456", "name", "甲", "phone",
                     "13900000001"), 422, "invalid_field", "token");
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s, s:s}", "token", t, "name", "甲", "phone", "12345"), 422,
                     "invalid_field", "phone");
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s}", "token", t, "phone", "13900000001"), 422, "required", "name");
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s}", "token", t, "name", "甲"), 422, "required", "phone");
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s, s:s}", "code", "12ab56", "name", "甲", "phone", "13900000001"),
                     422, "invalid_field", "code");
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s}", "token", t, "student_key", "x"), 422, "invalid_field",
                     "student_key");
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s}", "token", t, "student_key",
                     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), 422, "invalid_field", "student_key");
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s}", "token", t, "age", "3"), 422, "unknown_field", "age");
    free(t);
}

static void test_expired_token_refused(void **state)
{
    (void)state;
    char *t = token_of(session);
    sleep(5);   /* steps of 2 s: this step and the one before are gone */
    expect_api_error("GET", P("/public/checkin/%lld/%s", (long long)session, t), NULL, NULL, 410, "token_expired", "token");
    expect_api_error("POST", P("/public/checkin/%lld", (long long)session), NULL,
                     jpack("{s:s, s:s, s:s}", "token", t, "name", "孙七", "phone", "13600006666"), 410, "token_expired",
                     "token");
    free(t);
}

/* The page opened with a fresh token; the newcomer types for longer than the token lives: the
 * grant the page got is still taken, the token is not; the grant is no other session's, cannot
 * be forged, does not open the page itself, and ends. */
static void test_grant_outlives_the_token(void **state)
{
    (void)state;
    char *t = token_of(session);
    json_t *j = NULL;
    expect_status(api("GET", P("/public/checkin/%lld/%s", (long long)session, t), NULL, NULL, &j), j, 200);
    char *g = strdup(jstr(j, "grant"));
    int64_t lasts = jint(j, "grant_expires_in");
    assert_true(lasts >= 7 && lasts <= 8);
    json_decref(j);
    sleep(5);   /* steps of 2 s: the token is gone, the grant (8 s) is not */
    const char *path = P("/public/checkin/%lld", (long long)session);
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s, s:s}", "token", t, "name", "慢慢填", "phone", "13600008881"),
                     410, "token_expired", "token");
    /* another session's grant, a forged one, a grant in place of the scanned token */
    int64_t other = open_session(b_staff, course_b);
    json_t *o = NULL;
    expect_status(api("GET", P("/checkin/sessions/%lld/token", (long long)other), b_staff, NULL, &o), o, 200);
    expect_status(api("GET", P("/public/checkin/%lld/%s", (long long)other, jstr(o, "token")), NULL, NULL, &j), j, 200);
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s, s:s}", "token", jstr(j, "grant"), "name", "慢慢填", "phone",
                     "13600008881"), 403, "token_invalid", "token");
    json_decref(j), json_decref(o);
    char *f = strdup(g);
    f[strlen(f) - 3] = f[strlen(f) - 3] == 'A' ? 'B' : 'A';
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s, s:s}", "token", f, "name", "慢慢填", "phone", "13600008881"), 403,
                     "token_invalid", "token");
    expect_api_error("GET", P("/public/checkin/%lld/%s", (long long)session, g), NULL, NULL, 403, "token_invalid", "token");
    int64_t before = course_attendance(course_now);
    expect_status(api("POST", path, NULL, jpack("{s:s, s:s, s:s}", "token", g, "name", "慢慢填", "phone", "13600008881"), &j),
                  j, 201);
    assert_string_equal(jstr(j, "status"), "checked_in");
    assert_non_null(jstr(j, "student_key"));   /* a grant is as good as the scanned QR */
    json_decref(j);
    assert_int_equal(course_attendance(course_now), before + 1);
    sleep(4);   /* past the grant's 8 s */
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s, s:s}", "token", g, "name", "迟到者", "phone", "13600008882"),
                     410, "token_expired", "token");
    assert_int_equal(course_attendance(course_now), before + 1);
    free(t), free(g), free(f);
}

static void test_window_closed_refused(void **state)
{
    (void)state;
    int64_t later = open_session(a_staff, course_later);
    char *t = token_of(later);
    expect_api_error("GET", P("/public/checkin/%lld/%s", (long long)later, t), NULL, NULL, 409, "window_closed", NULL);
    expect_api_error("POST", P("/public/checkin/%lld", (long long)later), NULL,
                     jpack("{s:s, s:s, s:s}", "token", t, "name", "周八", "phone", "13600007777"), 409, "window_closed", NULL);
    free(t);
    /* a closed session refuses too, and opens again */
    expect_status(api("POST", P("/checkin/sessions/%lld/close", (long long)session), a_staff, NULL, NULL), NULL, 200);
    t = token_of(session);
    expect_api_error("POST", P("/public/checkin/%lld", (long long)session), NULL,
                     jpack("{s:s, s:s, s:s}", "token", t, "name", "周八", "phone", "13600007777"), 409, "window_closed", NULL);
    free(t);
    assert_int_equal(open_session(a_staff, course_now), session);
    t = token_of(session);
    expect_status(api("POST", P("/public/checkin/%lld", (long long)session), NULL,
                      jpack("{s:s, s:s, s:s}", "token", t, "name", "周八", "phone", "13600007777"), NULL), NULL, 201);
    free(t);
}

static int64_t add_student(const char *token, int64_t org, const char *name, const char *phone)
{
    json_t *j = NULL;
    expect_status(api("POST", "/students", token, jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)org, "name", name,
                                                        "phone", phone, "age_group", "60_69"), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static void test_bulk_marking(void **state)
{
    (void)state;
    int64_t s1 = add_student(a_staff, point_a, "陈阿姨", "13811110001"), s2 = add_student(a_staff, point_a, "刘大爷", "13811110002");
    int64_t sb = add_student(b_staff, point_b, "乙区学员", "13811110003");
    int64_t before = course_attendance(course_now), d0 = attendance_of(dist_a);
    json_t *j = NULL;
    expect_status(api("POST", P("/courses/%lld/attendance", (long long)course_now), a_staff,
                      jpack("{s:[I, I, I]}", "student_ids", (json_int_t)s1, (json_int_t)s2, (json_int_t)s1), &j), j, 200);
    assert_int_equal(jint(j, "attendance"), before + 2);
    char *dump = json_dumps(j, 0);
    assert_non_null(strstr(dump, "138****0001"));
    assert_null(strstr(dump, "13811110001"));
    free(dump);
    json_decref(j);
    assert_int_equal(attendance_of(dist_a), d0 + 2);
    /* marked again: counted once */
    expect_status(api("POST", P("/courses/%lld/attendance", (long long)course_now), a_staff,
                      jpack("{s:[I]}", "student_ids", (json_int_t)s1), NULL), NULL, 200);
    assert_int_equal(course_attendance(course_now), before + 2);
    /* a student outside scope, bad input, roles, scope */
    expect_api_error("POST", P("/courses/%lld/attendance", (long long)course_now), a_staff,
                     jpack("{s:[I]}", "student_ids", (json_int_t)sb), 404, "not_found", "student_ids");
    expect_api_error("POST", P("/courses/%lld/attendance", (long long)course_now), a_staff,
                     jpack("{s:[s]}", "student_ids", "x"), 422, "invalid_field", "student_ids");
    expect_api_error("POST", P("/courses/%lld/attendance", (long long)course_now), a_staff, jpack("{}"), 422, "required",
                     "student_ids");
    expect_api_error("POST", P("/courses/%lld/attendance", (long long)course_now), teacher,
                     jpack("{s:[I]}", "student_ids", (json_int_t)s1), 403, "forbidden", "*");
    expect_api_error("POST", P("/courses/%lld/attendance", (long long)course_now), b_staff,
                     jpack("{s:[I]}", "student_ids", (json_int_t)sb), 404, "not_found", "*");
    expect_api_error("GET", P("/courses/%lld/attendance", (long long)course_now), b_staff, NULL, 404, "not_found", "*");
    /* the teacher (member) may see who attended */
    expect_status(api("GET", P("/courses/%lld/attendance", (long long)course_now), teacher, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), (size_t)(before + 2));
    json_decref(j);
    /* one removed: the figures follow */
    expect_status(api("DELETE", P("/courses/%lld/attendance/%lld", (long long)course_now, (long long)s2), a_staff, NULL,
                      NULL), NULL, 204);
    expect_api_error("DELETE", P("/courses/%lld/attendance/%lld", (long long)course_now, (long long)s2), a_staff, NULL, 404,
                     "not_found", "*");
    assert_int_equal(course_attendance(course_now), before + 1);
    assert_int_equal(attendance_of(dist_a), d0 + 1);
    /* the student's history */
    expect_status(api("GET", P("/students/%lld/attendance", (long long)s1), a_staff, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_int_equal(jint(j, "items.0.course_id"), course_now);
    assert_string_equal(jstr(j, "items.0.method"), "staff");
    json_decref(j);
}

/* No full phone number in the server's log (access log and errors alike). */
/* A cancelled course takes no attendance, from phones nor from the teacher's marking: nothing is
 * recorded. */
static void test_cancelled_course_takes_no_attendance(void **state)
{
    (void)state;
    int64_t course = add_course(a_staff, point_a, -300, 3600), ses = open_session(a_staff, course);
    int64_t st = add_student(a_staff, point_a, "取消课学员", "13811110009"), d0 = attendance_of(dist_a);
    expect_status(api("POST", P("/courses/%lld/cancel", (long long)course), a_staff, jpack("{s:s}", "reason", "停电"),
                      NULL), NULL, 200);
    char *t = token_of(ses);
    expect_api_error("POST", P("/public/checkin/%lld", (long long)ses), NULL,
                     jpack("{s:s, s:s, s:s}", "token", t, "name", "周九", "phone", "13600008888"), 409, "window_closed", NULL);
    free(t);
    expect_api_error("POST", P("/courses/%lld/attendance", (long long)course), a_staff,
                     jpack("{s:[I]}", "student_ids", (json_int_t)st), 409, "invalid_state", "status");
    json_t *j = NULL;
    expect_status(api("GET", P("/courses/%lld/attendance", (long long)course), a_staff, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 0);
    assert_int_equal(jint(j, "session.checked_in"), 0);
    json_decref(j);
    assert_int_equal(course_attendance(course), 0);
    assert_int_equal(attendance_of(dist_a), d0);
}

static void test_no_phone_in_server_log(void **state)
{
    (void)state;
    FILE *f = fopen(P("%s/server.log", server_dir()), "r");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    const char *phones[] = {"13912345678", "13587654321", "13811110001", "13600007777"};
    for (int i = 0; i < 4; i++) assert_null(strstr(buf, phones[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_token_and_qr),
        cmocka_unit_test(test_public_view_refuses_bad_tokens),
        cmocka_unit_test(test_newcomer_known_and_second_scan),
        cmocka_unit_test(test_bad_input_names_the_field),
        cmocka_unit_test(test_expired_token_refused),
        cmocka_unit_test(test_grant_outlives_the_token),
        cmocka_unit_test(test_window_closed_refused),
        cmocka_unit_test(test_bulk_marking),
        cmocka_unit_test(test_cancelled_course_takes_no_attendance),
        cmocka_unit_test(test_no_phone_in_server_log),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
