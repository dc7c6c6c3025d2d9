/* test_calls_reports.c - follow-up reports and the performance evaluation (issue 15, package H):
 * an unfunded entry gets no report (409); a funded one gets one mid-term and one final report
 * (a second of a kind: 409), filled by the default report form (a 422 names the missing field),
 * submitted through the entries' routes, late past its due day; seen by its unit and the call's
 * owner, not by another district; a performance round over the submitted reports, reviewers
 * from other districts (the conflict rule), sheets of 完成度 40 / 经费 30 / 效果 30, the round
 * closed; each report's score and grade equal the values this test computes from the sheets,
 * and the parent entry and GET /calls/:id/funds show the grade. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *ent1, *ent2, *b_admin, *rv[3];
static int64_t root, dist[3], u_rv[3], call_id, funded, unfunded, midterm, final_report;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    const char *dn[] = {"报告甲区", "报告乙区", "报告丙区"};
    for (int i = 0; i < 3; i++) dist[i] = create_org(admin, root, "district", dn[i]);
    int64_t p1 = create_org(admin, dist[0], "point", "报告甲一点"), p2 = create_org(admin, dist[0], "point", "报告甲二点");
    create_user(admin, "rp_ent1", p1, "staff", "org", 0);
    create_user(admin, "rp_ent2", p2, "staff", "org", 0);
    create_user(admin, "rp_b_admin", dist[1], "org_admin", "subtree", 0);
    ent1 = login("rp_ent1", USER_PASSWORD), ent2 = login("rp_ent2", USER_PASSWORD), b_admin = login("rp_b_admin", USER_PASSWORD);
    for (int i = 0; i < 3; i++) {
        u_rv[i] = create_user(admin, P("rp_rv%d", i), dist[i], "reviewer", "self", 0);
        rv[i] = login(P("rp_rv%d", i), USER_PASSWORD);
    }
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(ent1), free(ent2), free(b_admin);
    for (int i = 0; i < 3; i++) free(rv[i]);
    return server_stop(state);
}

static int64_t enter(const char *token, const char *title)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/calls/%lld/entries", (long long)call_id), token,
                      jpack("{s:s, s:{s:s}}", "title", title, "values", "theme", title), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/entries/%lld/submit", (long long)id), token, NULL, NULL), NULL, 200);
    return id;
}

/* A call without a selection review (decided directly), one entry funded and one rejected. */
static void test_funded_and_unfunded(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/call-templates", admin,
                      jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s, s:b}], s:[], s:s, s:[s]}}", "code", "t_reports", "name",
                            "资助模板", "kind", "application", "config", "form", "key", "theme", "label", "项目名称", "type",
                            "text", "required", 1, "stages", "eligible", "types", "eligible_types", "point"), &j), j, 201);
    int64_t template_id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)template_id, "org_id", (json_int_t)root,
                            "year", 2025, "title", "2025年重点科普项目", "deadline", "2099-10-31"), &j), j, 201);
    call_id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)call_id), admin, NULL, NULL), NULL, 200);
    funded = enter(ent1, "社区科普大篷车");
    unfunded = enter(ent2, "科普剧场");
    expect_status(api("POST", P("/entries/%lld/decide", (long long)funded), admin,
                      jpack("{s:s, s:s, s:i, s:s}", "outcome", "selected", "award_level", "资助", "award_amount", 50000, "reason",
                            "择优资助"), NULL), NULL, 200);
    expect_status(api("POST", P("/entries/%lld/decide", (long long)unfunded), admin,
                      jpack("{s:s, s:s}", "outcome", "rejected", "reason", "不予资助"), NULL), NULL, 200);
    /* no round to evaluate yet: nothing submitted */
    expect_status(api("POST", P("/calls/%lld/close", (long long)call_id), admin, NULL, NULL), NULL, 200);
    expect_api_error("POST", P("/calls/%lld/rounds", (long long)call_id), admin, jpack("{s:s}", "purpose", "performance"), 409,
                     "no_reports", NULL);
    expect_api_error("POST", P("/entries/%lld/reports", (long long)unfunded), ent2, jpack("{s:s}", "kind", "midterm"), 409,
                     "not_funded", NULL);
    expect_api_error("POST", P("/entries/%lld/reports", (long long)unfunded), admin, jpack("{s:s}", "kind", "final"), 409,
                     "not_funded", NULL);
}

static int64_t start_report(const char *kind, const char *due)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/entries/%lld/reports", (long long)funded), ent1,
                      jpack("{s:s, s:s}", "kind", kind, "report_due", due), &j), j, 201);
    assert_string_equal(jstr(j, "kind"), kind);
    assert_int_equal(jint(j, "parent_id"), funded);
    assert_string_equal(jstr(j, "status"), "draft");
    assert_string_equal(jstr(j, "report_due"), due);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static void test_reports_submitted(void **state)
{
    (void)state;
    json_t *j = NULL;
    midterm = start_report("midterm", "2099-06-30");
    final_report = start_report("final", "2020-12-31");
    expect_api_error("POST", P("/entries/%lld/reports", (long long)funded), ent1, jpack("{s:s}", "kind", "midterm"), 409,
                     "duplicate", "kind");
    expect_api_error("POST", P("/entries/%lld/reports", (long long)funded), ent1, jpack("{s:s}", "kind", "annual"), 422, "*",
                     "kind");
    expect_api_error("POST", P("/entries/%lld/reports", (long long)funded), b_admin, jpack("{s:s}", "kind", "final"), 404,
                     "not_found", NULL);
    /* the report form: its own fields, not the call's */
    expect_api_error("PATCH", P("/entries/%lld", (long long)midterm), ent1, jpack("{s:{s:s}}", "values", "theme", "x"), 422, "*",
                     "values.theme");
    expect_status(api("PATCH", P("/entries/%lld", (long long)midterm), ent1,
                      jpack("{s:{s:s, s:s, s:s}}", "values", "progress", "完成全部12场巡展", "spending", "支出4.8万元",
                            "effect", "覆盖3万人次"), &j), j, 200);
    json_decref(j);
    expect_status(api("POST", P("/entries/%lld/submit", (long long)midterm), ent1, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "submitted");
    assert_false(json_is_true(jget(j, "late")));
    json_decref(j);
    expect_status(api("PATCH", P("/entries/%lld", (long long)final_report), ent1,
                      jpack("{s:{s:s, s:s}}", "values", "progress", "结题", "spending", "支出5万元"), &j), j, 200);
    json_decref(j);
    expect_api_error("POST", P("/entries/%lld/submit", (long long)final_report), ent1, NULL, 422, "*", "values.effect");
    expect_status(api("PATCH", P("/entries/%lld", (long long)final_report), ent1,
                      jpack("{s:{s:s, s:s, s:s}}", "values", "progress", "结题", "spending", "支出5万元", "effect", "成效显著"), &j),
                  j, 200);
    json_decref(j);
    expect_status(api("POST", P("/entries/%lld/submit", (long long)final_report), ent1, NULL, &j), j, 200);
    assert_true(json_is_true(jget(j, "late")));   /* past its due day */
    json_decref(j);
    /* a report is only submitted: no withdrawal nor recommendation */
    expect_api_error("POST", P("/entries/%lld/withdraw", (long long)final_report), ent1, NULL, 409, "entry_state", "*");
    /* seen by its unit and the owner; another district sees neither it nor its parent */
    expect_status(api("GET", P("/entries/%lld/reports", (long long)funded), ent1, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    json_decref(j);
    assert_int_equal(list_total(admin, P("/calls/%lld/entries?status=submitted", (long long)call_id)), 2);
    expect_api_error("GET", P("/entries/%lld/reports", (long long)funded), b_admin, NULL, 404, "not_found", NULL);
    expect_api_error("GET", P("/entries/%lld", (long long)midterm), b_admin, NULL, 404, "not_found", NULL);
    expect_api_error("GET", P("/entries/%lld/reports", (long long)funded), rv[1], NULL, 403, "forbidden", NULL);
}

/* The sheet of report id assigned to reviewer i. */
static int64_t sheet_of(int64_t id, int i)
{
    json_t *j = NULL, *it;
    size_t k;
    int64_t sheet = 0;
    expect_status(api("GET", P("/calls/%lld/assignments?entry_id=%lld", (long long)call_id, (long long)id), admin, NULL, &j), j,
                  200);
    json_array_foreach(jget(j, "items"), k, it) if (jint(it, "user_id") == u_rv[i]) sheet = jint(it, "id");
    json_decref(j);
    return sheet;
}

/* Scores in tenths of a point (maxima 400, 300, 300); returns the sheet's total as the server
 * must compute it: round(10000 * sum / 1000). */
static int64_t score(int64_t report, int i, int completion, int funds, int effect)
{
    json_t *j = NULL;
    int64_t sheet = sheet_of(report, i);
    assert_true(sheet > 0);
    expect_status(api("GET", P("/reviews/%lld", (long long)sheet), rv[i], NULL, &j), j, 200);
    assert_string_equal(jstr(j, "scores.0.label"), "完成度");
    assert_int_equal(jint(j, "scores.0.max"), 400);
    assert_int_equal(jint(j, "scores.2.max"), 300);
    json_decref(j);
    expect_status(api("POST", P("/reviews/%lld/submit", (long long)sheet), rv[i],
                      jpack("{s:{s:{s:i}, s:{s:i}, s:{s:i}}}", "scores", "completion", "score", completion, "funds", "score", funds,
                            "effect", "score", effect), &j), j, 200);
    int64_t want = (10000LL * (completion + funds + effect) * 2 + 1000) / 2000;
    assert_int_equal(jint(j, "total"), want);
    json_decref(j);
    return want;
}

static const char *grade_of(int64_t s) { return s >= 9000 ? "优秀" : s >= 7500 ? "良好" : s >= 6000 ? "合格" : "不合格"; }

static void test_performance_round(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", P("/calls/%lld/rounds", (long long)call_id), admin,
                      jpack("{s:s, s:i}", "purpose", "performance", "per_entry", 2), &j), j, 201);
    int64_t round_no = jint(j, "round_no");
    assert_true(round_no >= 2);
    assert_int_equal(jint(j, "reports"), 2);
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/rounds", (long long)call_id), admin, jpack("{s:s}", "purpose", "performance"), 409,
                     "round_open", NULL);
    expect_api_error("POST", P("/calls/%lld/rounds", (long long)call_id), admin, jpack("{s:s}", "purpose", "selection"), 422,
                     "invalid_field", "purpose");
    expect_api_error("POST", P("/calls/%lld/rounds", (long long)call_id), b_admin, jpack("{s:s}", "purpose", "performance"), 404,
                     "not_found", NULL);
    for (int i = 0; i < 3; i++)
        expect_status(api("POST", P("/calls/%lld/reviewers", (long long)call_id), admin, jpack("{s:I}", "user_id", (json_int_t)u_rv[i]),
                          NULL), NULL, 201);
    /* the same conflict rule: the reports' unit is in district 0 */
    expect_api_error("POST", P("/calls/%lld/assignments", (long long)call_id), admin,
                     jpack("{s:I, s:I}", "entry_id", (json_int_t)midterm, "user_id", (json_int_t)u_rv[0]), 409,
                     "reviewer_conflict", "user_id");
    expect_status(api("POST", P("/calls/%lld/assignments", (long long)call_id), admin, jpack("{s:b}", "auto", 1), &j), j, 200);
    assert_int_equal(jint(j, "assigned"), 4);
    json_decref(j);
    assert_int_equal(list_total(rv[0], "/reviews"), 0);
    assert_int_equal(list_total(rv[1], "/reviews"), 2);
    int64_t m1 = score(midterm, 1, 380, 270, 240), m2 = score(midterm, 2, 360, 280, 270);
    int64_t f1 = score(final_report, 1, 300, 200, 200);
    expect_api_error("POST", P("/calls/%lld/rounds/%lld/close", (long long)call_id, (long long)round_no), admin, NULL, 409,
                     "reviews_pending", NULL);
    int64_t f2 = score(final_report, 2, 320, 220, 210);
    expect_status(api("POST", P("/calls/%lld/rounds/%lld/close", (long long)call_id, (long long)round_no), admin, NULL, &j), j, 200);
    json_decref(j);
    int64_t m = (m1 + m2 + 1) / 2, f = (f1 + f2 + 1) / 2;   /* the mean of two sheets, rounded half up */
    assert_string_equal(grade_of(m), "优秀");
    assert_string_equal(grade_of(f), "合格");
    expect_status(api("GET", P("/entries/%lld/reports", (long long)funded), ent1, NULL, &j), j, 200);
    assert_int_equal(jint(j, "items.0.id"), midterm);
    assert_int_equal(jint(j, "items.0.score_agg"), m);
    assert_int_equal(jint(j, "items.0.n_reviews"), 2);
    assert_string_equal(jstr(j, "items.0.grade"), grade_of(m));
    assert_int_equal(jint(j, "items.1.score_agg"), f);
    assert_string_equal(jstr(j, "items.1.grade"), grade_of(f));
    assert_string_equal(jstr(j, "grade"), grade_of(f));   /* the parent: its latest graded report's */
    json_decref(j);
    expect_status(api("GET", P("/entries/%lld", (long long)funded), ent1, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "grade"), grade_of(f));
    json_decref(j);
    expect_status(api("GET", P("/calls/%lld/funds", (long long)call_id), admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "entries")), 1);
    assert_int_equal(jint(j, "entries.0.entry_id"), funded);
    assert_int_equal(jint(j, "entries.0.award_amount"), 50000);
    assert_string_equal(jstr(j, "entries.0.grade"), grade_of(f));
    json_decref(j);
    /* the round is closed: no sheet changes, no second close */
    expect_api_error("POST", P("/calls/%lld/rounds/%lld/close", (long long)call_id, (long long)round_no), admin, NULL, 409,
                     "round_closed", NULL);
    expect_status(api("GET", "/reviews", rv[1], NULL, &j), j, 200);
    int64_t sheet = jint(j, "items.0.id");
    json_decref(j);
    expect_api_error("PUT", P("/reviews/%lld", (long long)sheet), rv[1], jpack("{s:{}}", "scores"), 409, "*", "*");
    assert_true(list_total(admin, P("/audit?entity=call&entity_id=%lld", (long long)call_id)) >= 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_funded_and_unfunded),
        cmocka_unit_test(test_reports_submitted),
        cmocka_unit_test(test_performance_round),
    };
    return run_api_tests(tests, setup, teardown);
}
