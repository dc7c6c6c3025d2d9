/* test_calls_progress.c - a call's board, reminders and the collected table (issue 15, package D):
 * a lecture collection for societies (3 to 10 each); the board shows both societies behind and
 * not started, one society submits three lectures and turns from behind to done (totals and the
 * ?state= filters follow), a district sees only its own subtree's society, a unit cannot read
 * the board; reminders go to the unit behind once a day (a second click sends none) and are
 * audited, and with channel "sms" also texted to the unit's staff who have a phone (masked in the
 * sender's log, never in clear); the export has one row per entry with the form's fields in the form's column order,
 * rendered readably (a checklist as item：是/否, rows one per line, a date as a date cell). */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

static char *admin, *a_admin, *s1, *pt;
static char sms_dir[64], sms_log[96];
static int64_t root, dist_a, soc1, soc2, point_a, call_id, lectures[3];

static int setup(void **state)
{
    snprintf(sms_dir, sizeof sms_dir, "/tmp/kepu-sms-XXXXXX");
    if (!mkdtemp(sms_dir)) return -1;
    snprintf(sms_log, sizeof sms_log, "%s/sms.log", sms_dir);
    setenv("KEPU_SMS_LOG", sms_log, 1);
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "进度甲区");
    soc1 = create_org(admin, root, "society", "市科普学会一");
    soc2 = create_org(admin, dist_a, "society", "甲区科普学会");
    point_a = create_org(admin, dist_a, "point", "甲区教学点");
    create_user(admin, "pg_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "pg_s1", soc1, "staff", "org", 0);
    create_user(admin, "pg_pt", point_a, "org_admin", "org", 0);
    /* the secretary of the district's society, who gets the text reminders */
    create_user_body(admin, jpack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "username", "pg_soc2", "name", "学会秘书",
                                  "password", USER_PASSWORD, "org_id", (json_int_t)soc2, "role", "staff",
                                  "data_scope", "org", "phone", "13900000001"));
    a_admin = login("pg_a_admin", USER_PASSWORD);
    s1 = login("pg_s1", USER_PASSWORD);
    pt = login("pg_pt", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(s1), free(pt);
    int rc = server_stop(state);
    unlink(sms_log);
    rmdir(sms_dir);
    return rc;
}

/* The form in its column order: title, speaker, day, hours, preparation checklist, sessions. */
static const char FORM[] =
    "[{\"key\":\"topic\",\"label\":\"讲座题目\",\"type\":\"text\",\"required\":true},"
    "{\"key\":\"speaker\",\"label\":\"主讲人\",\"type\":\"text\"},"
    "{\"key\":\"held_on\",\"label\":\"讲座日期\",\"type\":\"date\"},"
    "{\"key\":\"hours\",\"label\":\"学时\",\"type\":\"number\",\"min\":0,\"max\":100},"
    "{\"key\":\"prep\",\"label\":\"准备情况\",\"type\":\"checklist\",\"items\":[{\"key\":\"ppt\",\"label\":\"课件\"},"
    "{\"key\":\"venue\",\"label\":\"场地\"}]},"
    "{\"key\":\"sessions\",\"label\":\"场次\",\"type\":\"rows\",\"columns\":[{\"key\":\"place\",\"label\":\"地点\",\"type\":\"text\"},"
    "{\"key\":\"people\",\"label\":\"人数\",\"type\":\"number\"}]}]";

static void test_call(void **state)
{
    (void)state;
    json_t *j = NULL, *f = json_loads(FORM, 0, NULL);
    assert_non_null(f);
    expect_status(api("POST", "/call-templates", admin,
                      jpack("{s:s, s:s, s:s, s:{s:o, s:[], s:s, s:[s], s:i, s:i, s:s}}", "code", "t_lectures_pg", "name",
                            "科普大讲堂讲座征集", "kind", "collection", "config", "form", f, "stages", "eligible", "types",
                            "eligible_types", "society", "min_per_unit", 3, "max_per_unit", 10, "late_policy", "flag"), &j),
                  j, 201);
    int64_t tpl = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id", (json_int_t)root, "year", 2026,
                            "title", "2026年科普大讲堂讲座征集", "deadline", "2099-02-28"), &j), j, 201);
    call_id = jint(j, "id");
    json_decref(j);
    /* a draft call: no reminders */
    expect_api_error("POST", P("/calls/%lld/reminders", (long long)call_id), admin, NULL, 409, "call_state", "status");
    expect_status(api("POST", P("/calls/%lld/open", (long long)call_id), admin, NULL, &j), j, 200);
    json_decref(j);
}

static json_t *board(const char *token, const char *query)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/calls/%lld/progress%s", (long long)call_id, query), token, NULL, &j), j, 200);
    return j;
}

/* The board row of org (fails when absent). */
static json_t *row_of(json_t *b, int64_t org)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(b, "items"), i, it) if (jint(it, "org_id") == org) return it;
    fail_msg("org %lld not on the board", (long long)org);
    return NULL;
}

static void lecture(int n)
{
    json_t *j = NULL;
    char topic[64];
    snprintf(topic, sizeof topic, "讲座%d：家庭急救", n);
    expect_status(api("POST", P("/calls/%lld/entries", (long long)call_id), s1,
                      jpack("{s:I, s:s, s:{s:s, s:s, s:s, s:i, s:{s:{s:b}, s:{s:b}}, s:[{s:s, s:i}, {s:s, s:i}]}}", "org_id",
                            (json_int_t)soc1, "title", topic, "values", "topic", topic, "speaker", "王医生", "held_on",
                            "2026-03-15", "hours", 2, "prep", "ppt", "ok", 1, "venue", "ok", 0, "sessions", "place", "社区礼堂", "people",
                            80, "place", "图书馆", "people", 45), &j), j, 201);
    int64_t id = jint(j, "id");
    lectures[n - 1] = id;
    json_decref(j);
    expect_status(api("POST", P("/entries/%lld/submit", (long long)id), s1, NULL, &j), j, 200);
    json_decref(j);
}

static void test_behind_to_done(void **state)
{
    (void)state;
    json_t *b = board(admin, "");
    assert_int_equal(jint(b, "total"), 2);           /* the two societies; the district and the point are not eligible */
    assert_int_equal(jint(b, "totals.units"), 2);
    assert_int_equal(jint(b, "totals.behind"), 2);
    assert_int_equal(jint(b, "totals.not_started"), 2);
    assert_int_equal(jint(b, "totals.done"), 0);
    json_t *r = row_of(b, soc1);
    assert_string_equal(jstr(r, "state"), "not_started");
    assert_true(json_is_true(jget(r, "behind")));
    assert_int_equal(jint(r, "min"), 3);
    assert_int_equal(jint(r, "max"), 10);
    json_decref(b);

    lecture(1), lecture(2);
    b = board(admin, "");
    r = row_of(b, soc1);
    assert_string_equal(jstr(r, "state"), "behind");
    assert_int_equal(jint(r, "submitted"), 2);
    assert_int_equal(jint(b, "totals.behind"), 2);
    assert_int_equal(jint(b, "totals.not_started"), 1);
    json_decref(b);

    lecture(3);
    b = board(admin, "");
    r = row_of(b, soc1);
    assert_string_equal(jstr(r, "state"), "done");
    assert_false(json_is_true(jget(r, "behind")));
    assert_int_equal(jint(r, "submitted"), 3);
    assert_int_equal(jint(b, "totals.done"), 1);
    assert_int_equal(jint(b, "totals.behind"), 1);
    assert_int_equal(jint(b, "totals.submitted"), 3);
    /* behind first */
    assert_int_equal(jint(b, "items.0.org_id"), soc2);
    json_decref(b);

    b = board(admin, "?state=done");
    assert_int_equal(jint(b, "total"), 1);
    assert_int_equal(jint(b, "items.0.org_id"), soc1);
    assert_int_equal(jint(b, "totals.units"), 2);    /* totals stay those of the whole board */
    json_decref(b);
    b = board(admin, "?state=behind");
    assert_int_equal(jint(b, "total"), 1);
    assert_int_equal(jint(b, "items.0.org_id"), soc2);
    json_decref(b);
    b = board(admin, "?state=not_started&page_size=1");
    assert_int_equal(jint(b, "total"), 1);
    assert_int_equal(jint(b, "page_size"), 1);
    json_decref(b);
    expect_api_error("GET", P("/calls/%lld/progress?state=lost", (long long)call_id), admin, NULL, 422, "invalid_field", "state");

    /* a district sees its own subtree's units only; a point's admin is a unit: not the board's */
    b = board(a_admin, "");
    assert_int_equal(jint(b, "total"), 1);
    assert_int_equal(jint(b, "items.0.org_id"), soc2);
    assert_int_equal(jint(b, "totals.units"), 1);
    json_decref(b);
    expect_api_error("GET", P("/calls/%lld/progress", (long long)call_id), s1, NULL, 403, "forbidden", NULL);
    expect_api_error("GET", "/calls/999999/progress", admin, NULL, 404, "not_found", NULL);

    /* the board as a sheet */
    http_resp resp;
    assert_int_equal(api_full("GET", P("/calls/%lld/progress/export.xlsx", (long long)call_id), admin, NULL, &resp), 200);
    char *xml = xlsx_sheet_xml(&resp);
    http_resp_free(&resp);
    assert_non_null(strstr(xml, "市科普学会一"));
    assert_non_null(strstr(xml, "已完成"));
    assert_non_null(strstr(xml, "未开始"));
    free(xml);
}

static void test_reminders(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_api_error("POST", P("/calls/%lld/reminders", (long long)call_id), a_admin, jpack("{s:s}", "channel", "fax"),
                     422, "invalid_field", "channel");
    /* the district reminds its own unit behind, by text as well; the city then has nobody left to
     * remind today */
    expect_status(api("POST", P("/calls/%lld/reminders", (long long)call_id), a_admin, jpack("{s:s}", "channel", "sms"),
                      &j), j, 200);
    assert_int_equal(jint(j, "sent"), 1);
    assert_int_equal(jint(j, "texts"), 1);
    json_decref(j);
    /* the logging sender writes the message with the phone masked, never in clear */
    char text[4096] = "";
    for (int tries = 0; tries < 50 && !strstr(text, "139****0001"); tries++) {
        FILE *f = fopen(sms_log, "r");
        if (f) text[fread(text, 1, sizeof text - 1, f)] = 0, fclose(f);
        if (!strstr(text, "139****0001")) nanosleep(&(struct timespec){0, 20000000L}, NULL);
    }
    assert_non_null(strstr(text, "139****0001"));
    assert_non_null(strstr(text, "甲区科普学会"));
    assert_non_null(strstr(text, "已报0件，至少应报3件"));
    assert_null(strstr(text, "13900000001"));
    expect_status(api("POST", P("/calls/%lld/reminders", (long long)call_id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "sent"), 0);
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/reminders", (long long)call_id), a_admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "sent"), 0);
    json_decref(j);
    assert_int_equal(list_total(admin, "/audit?entity=call_reminder&action=remind"), 1);
    expect_api_error("POST", P("/calls/%lld/reminders", (long long)call_id), s1, NULL, 403, "forbidden", NULL);
}

/* The position of needle in hay (fails when absent). */
static size_t at(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    if (!p) fail_msg("missing in the sheet: %s", needle);
    return (size_t)(p - hay);
}

static void test_export(void **state)
{
    (void)state;
    http_resp resp;
    assert_int_equal(api_full("GET", P("/calls/%lld/export.xlsx", (long long)call_id), admin, NULL, &resp), 200);
    char *xml = xlsx_sheet_xml(&resp);
    http_resp_free(&resp);
    /* the headers in the form's column order after the unit, title, status and time */
    size_t h0 = at(xml, "报送时间");
    size_t h1 = at(xml, "讲座题目"), h2 = at(xml, "主讲人"), h3 = at(xml, "讲座日期"), h4 = at(xml, "学时"),
           h5 = at(xml, "准备情况"), h6 = at(xml, "场次");
    assert_true(h0 < h1 && h1 < h2 && h2 < h3 && h3 < h4 && h4 < h5 && h5 < h6);
    /* one row per entry, each rendered readably */
    int rows = 0;
    for (const char *p = xml; (p = strstr(p, "王医生")); p++) rows++;
    assert_int_equal(rows, 3);
    assert_non_null(strstr(xml, "讲座1：家庭急救"));
    assert_non_null(strstr(xml, "讲座3：家庭急救"));
    assert_non_null(strstr(xml, "课件：是；场地：否"));
    assert_non_null(strstr(xml, "地点：社区礼堂，人数：80"));
    assert_non_null(strstr(xml, "地点：图书馆，人数：45"));
    assert_non_null(strstr(xml, "已报送"));
    /* in each row the topic comes before the speaker, the checklist before the sessions */
    size_t t = at(xml, "讲座1：家庭急救"), s = at(xml + t, "王医生") + t, c = at(xml + t, "课件：是") + t;
    assert_true(t < s && s < c && c < at(xml + t, "地点：社区礼堂") + t);
    free(xml);
    /* the export is the managers': a district below the owner does not manage the city's call */
    expect_api_error("GET", P("/calls/%lld/export.xlsx", (long long)call_id), a_admin, NULL, 404, "not_found", NULL);
}

static json_t *pay(const char *token, int64_t entry, int amount, int want)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/entries/%lld/disbursements", (long long)entry), token,
                      jpack("{s:i, s:s, s:s}", "amount", amount, "day", "2026-06-01", "note", "首笔"), &j), j, want);
    return j;
}

/* Funds: an award decided within the budget is paid in parts, never beyond the award; a unit
 * sees what it was paid; only the call's managers pay. */
static void test_funds(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", P("/calls/%lld/close", (long long)call_id), admin, NULL, &j), j, 200);
    json_decref(j);
    expect_api_error("PUT", P("/calls/%lld/budget", (long long)call_id), a_admin, jpack("{s:i}", "budget", 1), 404, "not_found", NULL);
    expect_status(api("PUT", P("/calls/%lld/budget", (long long)call_id), admin, jpack("{s:i}", "budget", 20000), &j), j, 200);
    assert_int_equal(jint(j, "budget"), 20000);
    json_decref(j);
    expect_status(api("POST", P("/entries/%lld/decide", (long long)lectures[0]), admin,
                      jpack("{s:s, s:s, s:i, s:s}", "outcome", "selected", "award_level", "资助", "award_amount", 8000, "reason",
                            "择优资助"), &j), j, 200);
    json_decref(j);
    /* decide keeps the awards within the budget: 8,000 + 12,001 is over 20,000; 12,000 is not */
    expect_api_error("POST", P("/entries/%lld/decide", (long long)lectures[1]), admin,
                     jpack("{s:s, s:s, s:i, s:s}", "outcome", "selected", "award_level", "资助", "award_amount", 12001,
                           "reason", "择优资助"), 409, "over_budget", "award_amount");
    expect_status(api("GET", P("/calls/%lld", (long long)call_id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "budget"), 20000);
    json_decref(j);
    /* an entry without an award has nothing to pay */
    expect_api_error("POST", P("/entries/%lld/disbursements", (long long)lectures[1]), admin,
                     jpack("{s:i, s:s}", "amount", 100, "day", "2026-06-01"), 409, "not_awarded", "entry_id");
    j = pay(admin, lectures[0], 5000, 201);
    assert_int_equal(jint(j, "amount"), 5000);
    assert_string_equal(jstr(j, "day"), "2026-06-01");
    json_decref(j);
    expect_api_error("POST", P("/entries/%lld/disbursements", (long long)lectures[0]), admin,
                     jpack("{s:i, s:s}", "amount", 3001, "day", "2026-07-01"), 409, "over_award", "amount");
    expect_api_error("POST", P("/entries/%lld/disbursements", (long long)lectures[0]), admin,
                     jpack("{s:i, s:s}", "amount", 0, "day", "2026-07-01"), 422, "invalid_field", "amount");
    json_decref(pay(admin, lectures[0], 3000, 201));
    /* the unit sees its payments; a district outside its path does not see the entry at all */
    expect_status(api("GET", P("/entries/%lld/disbursements", (long long)lectures[0]), s1, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    assert_int_equal(jint(j, "award"), 8000);
    assert_int_equal(jint(j, "paid"), 8000);
    json_decref(j);
    expect_api_error("GET", P("/entries/%lld/disbursements", (long long)lectures[0]), a_admin, NULL, 404, "not_found", NULL);
    expect_api_error("POST", P("/entries/%lld/disbursements", (long long)lectures[0]), s1,
                     jpack("{s:i, s:s}", "amount", 1, "day", "2026-07-01"), 403, "forbidden", NULL);
    expect_status(api("GET", P("/calls/%lld/funds", (long long)call_id), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "budget"), 20000);
    assert_int_equal(jint(j, "awarded"), 8000);
    assert_int_equal(jint(j, "awards"), 1);
    assert_int_equal(jint(j, "paid"), 8000);
    assert_int_equal(jint(j, "unpaid"), 0);
    json_decref(j);
    expect_api_error("GET", P("/calls/%lld/funds", (long long)call_id), a_admin, NULL, 404, "not_found", NULL);
    expect_api_error("PUT", P("/calls/%lld/budget", (long long)call_id), admin, jpack("{s:i}", "budget", 7999), 409, "below_awards",
                     "budget");
    assert_int_equal(list_total(admin, "/audit?entity=fund_disbursement&action=disburse"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_call),
        cmocka_unit_test(test_behind_to_done),
        cmocka_unit_test(test_reminders),
        cmocka_unit_test(test_export),
        cmocka_unit_test(test_funds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
