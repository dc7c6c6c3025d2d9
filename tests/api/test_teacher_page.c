/* test_teacher_page.c - the teacher's page over HTTP (issue 5): students rate a course from the
 * phone after checking in (only those who checked in, with their remembered key; once per
 * student, a second rating replacing the first; bad stars or comments refused naming the field
 * with nothing written; audited as the public check-in), courses show their average and count,
 * and the teacher profile's section "teaching" counts exactly the courses the test gave the
 * teacher (held, scheduled, cancelled, hours, attendance, ratings, recent and upcoming) within
 * the caller's scope; course edits keep a teacher's courses in step; another district gets 404.
 * The server runs with KEPU_CHECKIN_STEP=30 so that tokens live through a test. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

static char *admin, *a_staff, *b_staff, *a_member;
static int64_t root, dist_a, dist_b, point_a, point_b, teacher_id, other_teacher;
static int64_t c_now, c_past, c_future, c_b, c_cancelled, c_other, c_closing;
static int64_t s_now, s_b;
static char *key1, *key2, *key_b;

/* Shanghai time t seconds from now, RFC 3339. */
static const char *at(long seconds)
{
    time_t t = time(NULL) + seconds + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[40];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
    return P("%s", buf);
}

/* A course at org from..to seconds from now, taught by teacher (0: an unlinked name). */
static int64_t add_course(const char *token, int64_t org, const char *title, long from, long to, int64_t teacher)
{
    json_t *j = NULL, *teachers = teacher ? jpack("[{s:s, s:I}]", "name", "周老师", "id", (json_int_t)teacher)
                                          : jpack("[{s:s}]", "name", "外请专家");
    expect_status(api("POST", "/courses", token,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "org_id", (json_int_t)org, "title", title, "category",
                            "health", "starts_at", at(from), "ends_at", at(to), "place", "社区活动室", "teachers", teachers),
                      &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static void make_id(char out[19], const char *area, const char *birth, int seq)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    snprintf(out, 19, "%s%s%03d", area, birth, seq % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (out[i] - '0') * weights[i];
    out[17] = "10X98765432"[sum % 11];
    out[18] = 0;
}

static int64_t add_teacher(int64_t org, const char *name, int seq)
{
    char idn[19];
    make_id(idn, "500103", "19780615", seq);
    json_t *j = NULL;
    expect_status(api("POST", "/teachers", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:[s], s:[s]}", "org_id", (json_int_t)org, "name", name, "unit",
                            "重庆医科大学", "title", "副教授", "id_number", idn, "specialties", "慢病管理", "topics", "健康"),
                      &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int64_t open_session(const char *token, int64_t course)
{
    json_t *j = NULL;
    expect_status(api("POST", "/checkin/sessions", token, jpack("{s:s, s:I}", "kind", "course", "owner_id",
                                                                (json_int_t)course), &j), j, 200);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

/* A phone checks in to a session as a newcomer (key NULL) or with its key; returns the key. */
static char *phone_checkin(const char *staff, int64_t session, const char *name, const char *phone, const char *key)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/checkin/sessions/%lld/token", (long long)session), staff, NULL, &j), j, 200);
    json_t *body = key ? jpack("{s:s, s:s}", "token", jstr(j, "token"), "student_key", key)
                       : jpack("{s:s, s:s, s:s}", "token", jstr(j, "token"), "name", name, "phone", phone);
    json_decref(j);
    int st = api("POST", P("/public/checkin/%lld", (long long)session), NULL, body, &j);
    if (st != 200) expect_status(st, j, 201);
    char *k = strdup(jstr(j, "student_key"));
    json_decref(j);
    return k;
}

static int setup(void **state)
{
    setenv("KEPU_CHECKIN_STEP", "30", 1);
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "评价甲区");
    dist_b = create_org(admin, root, "district", "评价乙区");
    point_a = create_org(admin, dist_a, "point", "甲区春晖社区教学点");
    point_b = create_org(admin, dist_b, "point", "乙区南山社区教学点");
    create_user(admin, "tp_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "tp_b_staff", dist_b, "staff", "subtree", 0);
    create_user(admin, "tp_a_member", point_a, "teacher", "org", 0);
    a_staff = login("tp_a_staff", USER_PASSWORD);
    b_staff = login("tp_b_staff", USER_PASSWORD);
    a_member = login("tp_a_member", USER_PASSWORD);
    teacher_id = add_teacher(point_a, "周慧", 11);
    other_teacher = add_teacher(point_a, "郑强", 12);
    /* the teacher's courses: one under way (1 hour counted), one held 3 days ago (2 hours), one
     * next week, one cancelled, one in the other district (90 minutes: 2 hours) */
    c_now = add_course(a_staff, point_a, "高血压的日常管理", -600, 3600, teacher_id);
    c_past = add_course(a_staff, point_a, "糖尿病饮食指导", -3 * 86400, -3 * 86400 + 7200, teacher_id);
    c_future = add_course(a_staff, point_a, "防跌倒与居家适老化", 7 * 86400, 7 * 86400 + 3600, teacher_id);
    c_cancelled = add_course(a_staff, point_a, "常见慢病用药常识", -2 * 86400, -2 * 86400 + 3600, teacher_id);
    /* issue 14: course teachers come from the caller's pool, so district B's course naming A's
     * teacher is written by the city admin, who sees both */
    c_b = add_course(admin, point_b, "心肺复苏与AED使用", -600, 4800, teacher_id);
    c_other = add_course(a_staff, point_a, "智能手机使用入门", -86400, -86400 + 3600, other_teacher);
    c_closing = add_course(a_staff, point_a, "家庭用电安全", -600, 3600, 0);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_staff), free(b_staff), free(a_member), free(key1), free(key2), free(key_b);
    return server_stop(state);
}

static json_t *course_of(int64_t id)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/courses/%lld", (long long)id), admin, NULL, &j), j, 200);
    return j;
}

static json_t *rate_body(const char *key, int stars, const char *comment)
{
    return jpack("{s:s, s:i, s:s?}", "student_key", key, "stars", stars, "comment", comment);
}

static void test_attendees_rate_once(void **state)
{
    (void)state;
    s_now = open_session(a_staff, c_now);
    key1 = phone_checkin(a_staff, s_now, "何丽", "13912340001", NULL);
    key2 = phone_checkin(a_staff, s_now, "吕平", "13912340002", NULL);
    s_b = open_session(b_staff, c_b);
    key_b = phone_checkin(b_staff, s_b, "孔明", "13912340003", NULL);
    const char *path = P("/public/checkin/%lld/rating", (long long)s_now);
    json_t *j = course_of(c_now);
    assert_int_equal(jint(j, "rating_count"), 0);
    assert_true(json_is_null(jget(j, "rating_avg")));
    json_decref(j);
    expect_status(api("POST", path, NULL, rate_body(key1, 5, "讲得通俗易懂"), &j), j, 201);
    assert_string_equal(jstr(j, "status"), "rated");
    assert_false(json_is_true(jget(j, "replaced")));
    assert_string_equal(jstr(j, "title"), "高血压的日常管理");
    json_decref(j);
    /* a second rating replaces the first: still one rating, of 3 stars */
    expect_status(api("POST", path, NULL, rate_body(key1, 3, NULL), &j), j, 200);
    assert_true(json_is_true(jget(j, "replaced")));
    json_decref(j);
    j = course_of(c_now);
    assert_int_equal(jint(j, "rating_count"), 1);
    assert_true(json_real_value(jget(j, "rating_avg")) == 3.0);
    json_decref(j);
    expect_status(api("POST", path, NULL, rate_body(key2, 4, "希望多开几次"), &j), j, 201);
    json_decref(j);
    j = course_of(c_now);
    assert_int_equal(jint(j, "rating_count"), 2);
    assert_true(json_real_value(jget(j, "rating_avg")) == 3.5);
    json_decref(j);
    expect_status(api("POST", P("/public/checkin/%lld/rating", (long long)s_b), NULL, rate_body(key_b, 5, NULL), &j), j,
                  201);
    json_decref(j);
    /* the register shows them too, and the teacher (member) reads them */
    expect_status(api("GET", P("/courses/%lld", (long long)c_now), a_member, NULL, &j), j, 200);
    assert_int_equal(jint(j, "rating_count"), 2);
    json_decref(j);
}

static void test_only_attendees_may_rate(void **state)
{
    (void)state;
    const char *path = P("/public/checkin/%lld/rating", (long long)s_now);
    /* a key of a student who checked in elsewhere: refused, and nothing written */
    expect_api_error("POST", path, NULL, rate_body(key_b, 1, NULL), 403, "not_checked_in", "student_key");
    /* a key nobody holds */
    expect_api_error("POST", path, NULL, rate_body("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 1, NULL), 422,
                     "invalid_field", "student_key");
    /* no such session: answered as a key nobody holds (session ids are not revealed) */
    expect_api_error("POST", P("/public/checkin/%lld/rating", 999999LL), NULL, rate_body(key1, 4, NULL), 422,
                     "invalid_field", "student_key");
    json_t *j = course_of(c_now);
    assert_int_equal(jint(j, "rating_count"), 2);
    json_decref(j);
    /* a cancelled course takes no more ratings */
    int64_t s = open_session(a_staff, c_closing);
    char *k = phone_checkin(a_staff, s, NULL, NULL, key1);
    expect_status(api("POST", P("/courses/%lld/cancel", (long long)c_closing), a_staff, jpack("{s:s}", "reason", "停电"),
                      NULL), NULL, 200);
    expect_api_error("POST", P("/public/checkin/%lld/rating", (long long)s), NULL, rate_body(key1, 2, NULL), 409,
                     "rating_closed", NULL);
    free(k);
}

static void test_bad_ratings_name_the_field(void **state)
{
    (void)state;
    const char *path = P("/public/checkin/%lld/rating", (long long)s_now);
    expect_api_error("POST", path, NULL, rate_body(key1, 0, NULL), 422, "invalid_field", "stars");
    expect_api_error("POST", path, NULL, rate_body(key1, 6, NULL), 422, "invalid_field", "stars");
    expect_api_error("POST", path, NULL, jpack("{s:s, s:s}", "student_key", key1, "stars", "5"), 422, "invalid_field",
                     "stars");
    expect_api_error("POST", path, NULL, jpack("{s:s}", "student_key", key1), 422, "required", "stars");
    expect_api_error("POST", path, NULL, jpack("{s:i}", "stars", 5), 422, "required", "student_key");
    expect_api_error("POST", path, NULL, rate_body("short", 5, NULL), 422, "invalid_field", "student_key");
    expect_api_error("POST", path, NULL, rate_body(key1, 5, "第一行\n第二行"), 422, "invalid_field", "comment");
    char long_comment[700] = "";
    for (int i = 0; i < 201; i++) strcat(long_comment, "好");
    expect_api_error("POST", path, NULL, rate_body(key1, 5, long_comment), 422, "invalid_field", "comment");
    expect_api_error("POST", path, NULL, jpack("{s:s, s:i, s:s}", "student_key", key1, "stars", 5, "phone", "13900000000"),
                     422, "unknown_field", "phone");
    /* 200 characters are fine; nothing of the refusals was kept */
    long_comment[strlen(long_comment) - strlen("好")] = 0;
    json_t *j = NULL;
    expect_status(api("POST", path, NULL, rate_body(key2, 4, long_comment), &j), j, 200);
    json_decref(j);
    j = course_of(c_now);
    assert_int_equal(jint(j, "rating_count"), 2);
    assert_true(json_real_value(jget(j, "rating_avg")) == 3.5);
    json_decref(j);
}

static void test_ratings_are_audited(void **state)
{
    (void)state;
    json_t *j = NULL;
    /* key1 rated then re-rated, key2 rated and re-rated, key_b rated: 5 entries */
    expect_status(api("GET", "/audit?entity=course_rating", admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 5);
    json_t *items = jget(j, "items"), *e;
    size_t i;
    int updates = 0;
    json_array_foreach(items, i, e) {
        assert_string_equal(jstr(e, "username"), "public_checkin");
        updates += !strcmp(jstr(e, "action"), "update");
    }
    assert_int_equal(updates, 2);
    json_decref(j);
    /* the other district's staff sees only its own course's rating */
    assert_int_equal(list_total(b_staff, "/audit?entity=course_rating"), 1);
}

static json_t *section(const char *token, int64_t id)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/teachers/%lld/profile", (long long)id), token, NULL, &j), j, 200);
    json_t *s = json_incref(jget(j, "sections.teaching"));
    json_decref(j);
    assert_non_null(s);
    return s;
}

static void test_teacher_section_counts_what_was_given(void **state)
{
    (void)state;
    json_t *j = NULL;
    /* c_past is held by hand with 30 attendants; c_cancelled is cancelled */
    expect_status(api("POST", P("/courses/%lld/hold", (long long)c_past), a_staff, jpack("{s:I}", "attendance", 30), &j), j,
                  200);
    json_decref(j);
    expect_status(api("POST", P("/courses/%lld/cancel", (long long)c_cancelled), a_staff, NULL, NULL), NULL, 200);
    /* the admin sees both districts: c_now (1 h, 2 attendants), c_past (2 h, 30), c_b (2 h, 1) */
    json_t *s = section(admin, teacher_id);
    assert_int_equal(jint(s, "courses_held"), 3);
    assert_int_equal(jint(s, "courses_scheduled"), 1);
    assert_int_equal(jint(s, "courses_cancelled"), 1);
    assert_int_equal(jint(s, "teaching_hours"), 5);
    assert_int_equal(jint(s, "attendance"), 33);
    assert_int_equal(jint(s, "rating_count"), 3);            /* 3 and 4 at c_now, 5 at c_b */
    assert_true(json_real_value(jget(s, "rating_avg")) == 4.0);
    assert_int_equal(json_array_size(jget(s, "recent")), 4);   /* c_now, c_b, c_cancelled, c_past */
    assert_int_equal(json_array_size(jget(s, "upcoming")), 1);
    assert_int_equal(jint(s, "upcoming.0.id"), c_future);
    json_decref(s);
    /* the district sees its own courses only */
    s = section(a_staff, teacher_id);
    assert_int_equal(jint(s, "courses_held"), 2);
    assert_int_equal(jint(s, "teaching_hours"), 3);
    assert_int_equal(jint(s, "attendance"), 32);
    assert_int_equal(jint(s, "rating_count"), 2);
    assert_true(json_real_value(jget(s, "rating_avg")) == 3.5);
    json_t *recent = jget(s, "recent");
    assert_int_equal(json_array_size(recent), 3);
    assert_int_equal(jint(s, "recent.0.id"), c_now);          /* newest first */
    assert_string_equal(jstr(s, "recent.0.org_name"), "甲区春晖社区教学点");
    assert_string_equal(jstr(s, "recent.0.status"), "held");
    assert_int_equal(jint(s, "recent.0.attendance"), 2);
    assert_int_equal(jint(s, "recent.0.rating_count"), 2);
    assert_int_equal(jint(s, "recent.1.id"), c_cancelled);
    assert_int_equal(jint(s, "recent.2.id"), c_past);
    assert_int_equal(jint(s, "recent.2.teaching_hours"), 2);
    assert_false(items_have_id(recent, c_b));
    assert_false(items_have_id(recent, c_other));
    json_decref(s);
    /* the other teacher has only its own course */
    s = section(a_staff, other_teacher);
    assert_int_equal(jint(s, "courses_scheduled") + jint(s, "courses_held"), 1);
    assert_true(json_is_null(jget(s, "rating_avg")));
    json_decref(s);
}

static void test_course_edits_keep_teachers_in_step(void **state)
{
    (void)state;
    /* an id the pool does not know is refused (issue 14: teachers come from the pool) */
    expect_api_error("PATCH", P("/courses/%lld", (long long)c_other), a_staff,
                     jpack("{s:[{s:s, s:I}, {s:s, s:I}]}", "teachers", "name", "周慧", "id", (json_int_t)teacher_id,
                           "name", "无名", "id", (json_int_t)987654), 422, "invalid_field", "teachers");
    /* the other teacher's course handed to the teacher, with a guest speaker beside */
    expect_status(api("PATCH", P("/courses/%lld", (long long)c_other), a_staff,
                      jpack("{s:[{s:s, s:I}, {s:s}]}", "teachers", "name", "周慧", "id", (json_int_t)teacher_id,
                            "name", "无名"), NULL), NULL, 200);
    json_t *s = section(a_staff, teacher_id);
    assert_int_equal(json_array_size(jget(s, "recent")), 4);
    json_decref(s);
    s = section(a_staff, other_teacher);
    assert_int_equal(json_array_size(jget(s, "recent")), 0);
    json_decref(s);
    /* teachers cleared: gone from the page; deleting a course takes its links along */
    expect_status(api("PATCH", P("/courses/%lld", (long long)c_other), a_staff, jpack("{s:[]}", "teachers"), NULL), NULL,
                  200);
    expect_status(api("DELETE", P("/courses/%lld", (long long)c_future), a_staff, NULL, NULL), NULL, 204);
    s = section(a_staff, teacher_id);
    assert_int_equal(json_array_size(jget(s, "recent")), 3);
    assert_int_equal(jint(s, "courses_scheduled"), 0);
    assert_int_equal(json_array_size(jget(s, "upcoming")), 0);
    json_decref(s);
}

static void test_profile_scope_and_roles(void **state)
{
    (void)state;
    expect_api_error("GET", P("/teachers/%lld/profile", (long long)teacher_id), b_staff, NULL, 404, "not_found", "*");
    /* a teacher (member) of the point reads the page too */
    json_t *s = section(a_member, teacher_id);
    assert_int_equal(jint(s, "courses_held"), 2);
    json_decref(s);
    /* staff routes stay closed to the member: it cannot open a check-in to make a rating possible */
    expect_api_error("POST", "/checkin/sessions", a_member, jpack("{s:s, s:I}", "kind", "course", "owner_id",
                     (json_int_t)c_now), 403, "forbidden", "*");
    expect_api_error("GET", P("/teachers/%lld/profile", 999999LL), admin, NULL, 404, "not_found", "*");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attendees_rate_once),
        cmocka_unit_test(test_only_attendees_may_rate),
        cmocka_unit_test(test_bad_ratings_name_the_field),
        cmocka_unit_test(test_ratings_are_audited),
        cmocka_unit_test(test_teacher_section_counts_what_was_given),
        cmocka_unit_test(test_course_edits_keep_teachers_in_step),
        cmocka_unit_test(test_profile_scope_and_roles),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
