/* test_portal_enrol.c - enrolment from the portal (issue 18 C): a code by SMS for any phone (the
 * same 202), then name + phone + code enrol once (the phone becomes a student of the point, source
 * of the enrolment "portal", audited); a wrong code, a second enrolment, a full course and an
 * unknown or closed course are refused and change nothing; the limits per phone, per course and
 * per address; the point's staff list the enrolments (phones masked). The staff route's scope
 * matrix is test_scope_portal.c. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <cmocka.h>

static char *admin, *p1;
static int64_t root, dist_a, point_1;
static char sms_log[128];

static int setup(void **state)
{
    snprintf(sms_log, sizeof sms_log, "/tmp/kepu-portal-sms-%d.log", (int)getpid());
    unlink(sms_log);
    setenv("KEPU_SMS_LOG", sms_log, 1);   /* the logging SMS sender: the test reads the codes */
    setenv("KEPU_PORTAL_CODE_COURSE_LIMIT", "8", 1);   /* test_limits: a small one */
    setenv("KEPU_PORTAL_CODE_LIMIT", "200", 1);          /* every request comes from one address */
    setenv("KEPU_PORTAL_ENROL_LIMIT", "200", 1);
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "报名甲区");
    point_1 = create_org(admin, dist_a, "point", "报名一号点");
    create_user(admin, "pe_p1", point_1, "staff", "org", 0);
    p1 = login("pe_p1", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(p1);
    unlink(sms_log);
    return server_stop(state);
}

static int64_t add_course(const char *title, long in_seconds, int capacity)
{
    json_t *j = NULL;
    char starts[40], ends[40];
    snprintf(starts, sizeof starts, "%s", shanghai_at(in_seconds));
    snprintf(ends, sizeof ends, "%s", shanghai_at(in_seconds + 3600));
    expect_status(api("POST", "/courses", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:[{s:s}]}", "org_id", (json_int_t)point_1, "title", title,
                            "category", "health", "starts_at", starts, "ends_at", ends, "place", "活动室", "capacity",
                            capacity, "teachers", "name", "钱老师"),
                      &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
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

static int send_code(int64_t course, const char *phone, json_t **out)
{
    return api("POST", P("/public/courses/%lld/enrolments/code", (long long)course), NULL, jpack("{s:s}", "phone", phone), out);
}

static int enrol(int64_t course, const char *name, const char *phone, const char *code, json_t **out)
{
    return api("POST", P("/public/courses/%lld/enrolments", (long long)course), NULL,
               jpack("{s:s, s:s, s:s}", "name", name, "phone", phone, "code", code), out);
}

/* A code, then the enrolment: 201; returns nothing, fails the test otherwise. */
static void enrol_ok(int64_t course, const char *name, const char *phone)
{
    char code[7];
    json_t *j = NULL;
    expect_status(send_code(course, phone, &j), j, 202);
    json_decref(j);
    last_code(phone, code);
    assert_int_equal(strlen(code), 6);
    expect_status(enrol(course, name, phone, code, &j), j, 201);
    json_decref(j);
}

static int64_t enrolled_count(int64_t course)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/public/courses/%lld", (long long)course), NULL, NULL, &j), j, 200);
    int64_t n = jint(j, "enrolled");
    json_decref(j);
    return n;
}

static void test_enrol_makes_a_student(void **state)
{
    (void)state;
    int64_t course = add_course("家庭急救课", 86400 * 3, 0);
    int64_t students_before = list_total(p1, "/students");
    char code[7];
    json_t *j = NULL;
    /* the same answer for any phone */
    json_t *k = NULL;
    expect_status(send_code(course, "13600000001", &j), j, 202);
    expect_status(send_code(course, "13600000002", &k), k, 202);
    assert_string_equal(jstr(j, "message"), jstr(k, "message"));
    json_decref(j), json_decref(k);
    last_code("13600000001", code);
    assert_int_equal(strlen(code), 6);
    /* a wrong code changes nothing */
    char wrong[16];
    snprintf(wrong, sizeof wrong, "%06d", (atoi(code) + 1) % 1000000);
    expect_api_error("POST", P("/public/courses/%lld/enrolments", (long long)course), NULL,
                     jpack("{s:s, s:s, s:s}", "name", "孙大妈", "phone", "13600000001", "code", wrong), 422, "invalid_code", "code");
    assert_int_equal(enrolled_count(course), 0);
    expect_status(enrol(course, "孙大妈", "13600000001", code, &j), j, 201);
    assert_string_equal(jstr(j, "title"), "家庭急救课");
    assert_string_equal(jstr(j, "name"), "孙大妈");
    json_decref(j);
    assert_int_equal(enrolled_count(course), 1);
    assert_int_equal(list_total(p1, "/students"), students_before + 1);
    /* the point's staff see it, the phone masked */
    expect_status(api("GET", P("/courses/%lld/enrolments", (long long)course), p1, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_string_equal(jstr(j, "items.0.name"), "孙大妈");
    assert_string_equal(jstr(j, "items.0.phone"), "136****0001");
    assert_string_equal(jstr(j, "items.0.source"), "portal");
    int64_t student = jint(j, "items.0.student_id");
    json_decref(j);
    expect_status(api("GET", P("/students/%lld", (long long)student), p1, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "source"), "portal");   /* the student too says where it came from */
    json_decref(j);
    /* the export: the same people, phones masked */
    http_resp resp;
    assert_int_equal(api_full("GET", P("/courses/%lld/enrolments?format=xlsx", (long long)course), p1, NULL, &resp), 200);
    char *sheet = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(sheet, "孙大妈"));
    assert_non_null(strstr(sheet, "136****0001"));
    assert_null(strstr(sheet, "13600000001"));
    free(sheet);
    http_resp_free(&resp);
    /* a second enrolment of the phone: refused, nothing added */
    expect_status(send_code(course, "13600000001", &j), j, 202);
    json_decref(j);
    last_code("13600000001", code);
    expect_api_error("POST", P("/public/courses/%lld/enrolments", (long long)course), NULL,
                     jpack("{s:s, s:s, s:s}", "name", "孙大妈", "phone", "13600000001", "code", code), 409, "duplicate", "phone");
    assert_int_equal(enrolled_count(course), 1);
    assert_int_equal(list_total(p1, "/students"), students_before + 1);
    /* the same phone in another course of the point: the same student, no second one */
    int64_t other = add_course("急救进阶课", 86400 * 4, 0);
    enrol_ok(other, "孙阿姨", "13600000001");
    assert_int_equal(list_total(p1, "/students"), students_before + 1);
    /* the audit has the enrolment */
    expect_status(api("GET", "/audit?entity=course_enrolment", admin, NULL, &j), j, 200);
    assert_true(jint(j, "total") >= 2);
    json_decref(j);
}

static void test_capacity_and_closed_courses(void **state)
{
    (void)state;
    int64_t small = add_course("只收一人的课", 86400 * 3, 1);
    enrol_ok(small, "周先生", "13600000011");
    char code[7];
    json_t *j = NULL;
    expect_status(send_code(small, "13600000012", &j), j, 202);
    json_decref(j);
    last_code("13600000012", code);
    expect_api_error("POST", P("/public/courses/%lld/enrolments", (long long)small), NULL,
                     jpack("{s:s, s:s, s:s}", "name", "吴女士", "phone", "13600000012", "code", code), 409, "course_full", NULL);
    assert_int_equal(enrolled_count(small), 1);
    /* an unknown course and one that started: the same 404 */
    int64_t started = add_course("已经开始的课", -600, 0);
    json_t *a = NULL, *b = NULL;
    expect_error(send_code(started, "13600000013", &a), a, 404, "not_found", NULL);
    expect_error(send_code(99999999, "13600000013", &b), b, 404, "not_found", NULL);
    assert_string_equal(jstr(a, "error.message"), jstr(b, "error.message"));
    json_decref(a), json_decref(b);
    /* malformed input */
    expect_api_error("POST", P("/public/courses/%lld/enrolments/code", (long long)small), NULL, jpack("{s:s}", "phone", "123"),
                     422, "invalid_field", "phone");
    expect_api_error("POST", P("/public/courses/%lld/enrolments", (long long)small), NULL,
                     jpack("{s:s, s:s, s:s}", "name", "吴女士", "phone", "13600000012", "code", "12ab56"), 422, "invalid_field", "code");
}

struct racer {
    int64_t course;
    char phone[16], code[8];
    int status;
};

static void *race(void *cls)
{
    struct racer *r = cls;
    char path[96], body[200];
    snprintf(path, sizeof path, "/api/v1/public/courses/%lld/enrolments", (long long)r->course);
    snprintf(body, sizeof body, "{\"name\": \"抢名额\", \"phone\": \"%s\", \"code\": \"%s\"}", r->phone, r->code);
    const char *headers[] = {"Content-Type: application/json", NULL};
    http_resp resp;
    r->status = http("POST", path, headers, body, strlen(body), &resp);
    http_resp_free(&resp);
    return NULL;
}

/* Six phones race for a course of two places: two enrolled, four refused as full. */
static void test_capacity_under_concurrency(void **state)
{
    (void)state;
    int64_t course = add_course("两个名额的课", 86400 * 3, 2);
    struct racer r[6];
    pthread_t t[6];
    for (int i = 0; i < 6; i++) {
        json_t *j = NULL;
        r[i] = (struct racer){.course = course};
        snprintf(r[i].phone, sizeof r[i].phone, "137000000%02d", i);
        expect_status(send_code(course, r[i].phone, &j), j, 202);
        json_decref(j);
        last_code(r[i].phone, r[i].code);
        assert_int_equal(strlen(r[i].code), 6);
    }
    for (int i = 0; i < 6; i++) pthread_create(&t[i], NULL, race, &r[i]);
    int created = 0, full = 0;
    for (int i = 0; i < 6; i++) {
        pthread_join(t[i], NULL);
        created += r[i].status == 201, full += r[i].status == 409;
    }
    assert_int_equal(created, 2);
    assert_int_equal(full, 4);
    assert_int_equal(enrolled_count(course), 2);
}

/* Per phone: the 4th code in 10 minutes is refused; per course (8 in this test's server). */
static void test_limits(void **state)
{
    (void)state;
    int64_t course = add_course("限流的课", 86400 * 3, 0);
    json_t *j = NULL;
    for (int i = 0; i < 3; i++) {
        expect_status(send_code(course, "13600000021", &j), j, 202);
        json_decref(j);
    }
    expect_error(send_code(course, "13600000021", &j), j, 429, "*", "*");
    json_decref(j);
    /* the course's limit counts every phone: 4 above, 4 more reach 8 */
    for (int i = 0; i < 4; i++) {
        expect_status(send_code(course, P("136000001%02d", i), &j), j, 202);
        json_decref(j);
    }
    expect_error(send_code(course, "13600000199", &j), j, 429, "*", "*");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_enrol_makes_a_student),
        cmocka_unit_test(test_capacity_and_closed_courses),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_capacity_under_concurrency),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
