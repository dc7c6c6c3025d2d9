/* test_assessments.c - the district assessment (issue 16 E) over HTTP: a scheme of 2025 with a
 * targets indicator (each district: 4 activities in 2025), a reports indicator (a yearly form the
 * districts fill) and a manual one; the ranking from the real figures (2 of 4 activities and the
 * report in for district A, 1 and none for B), then three more activities for B: its score and
 * rank change; manual scores and their bounds; a district reads its own row only; finalize
 * freezes (more activities change nothing, scoring is refused); the exports open; bad input is a
 * 422 that changes nothing.
 *
 *   root(city) ─┬─ A(district) ── Ap(point)
 *               └─ B(district) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *a_admin, *b_admin;
static int64_t root, dist_a, dist_b, point_a, scheme, form_id, ind_targets, ind_reports, ind_manual;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "考核甲区");
    dist_b = create_org(admin, root, "district", "考核乙区");
    point_a = create_org(admin, dist_a, "point", "考核甲区教学点");
    create_user(admin, "asm_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "asm_b_admin", dist_b, "org_admin", "subtree", 0);
    a_admin = login("asm_a_admin", USER_PASSWORD);
    b_admin = login("asm_b_admin", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(b_admin);
    return server_stop(state);
}

static void activity(int64_t org, const char *day)
{
    json_t *j = NULL;
    expect_status(api("POST", "/activities", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)org, "kind", "lecture", "title",
                            "考核测试活动", "start_date", day, "end_date", day, "audience", "youth", "participants", 20),
                      &j), j, 201);
    json_decref(j);
}

/* The unit's row of a scores answer (NULL when absent). */
static json_t *unit_row(json_t *scores, int64_t org)
{
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(scores, "units"), i, u)
        if (jint(u, "org_id") == org) return u;
    return NULL;
}

static double num(json_t *j, const char *path)
{
    return json_number_value(jget(j, path));
}

static json_t *scores(const char *token)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/assessments/%lld/scores", (long long)scheme), token, NULL, &j), j, 200);
    return j;
}

/* The sources an indicator may name: every module's (the tasks' tasks_on_time among them), each
 * with a label that is no raw key, and the hand-scored item last. */
static void test_sources(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", "/assessment-sources", admin, NULL, &j), j, 200);
    json_t *items = json_object_get(j, "items");
    const char *want[] = {"targets_met", "reports_complete", "reports_on_time", "designations", "call_results",
                          "volunteer_hours", "tasks_on_time", NULL};
    for (int k = 0; want[k]; k++) {
        bool found = false;
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it) {
            if (strcmp(json_string_value(json_object_get(it, "key")), want[k])) continue;
            found = true;
            const char *label = json_string_value(json_object_get(it, "label"));
            assert_non_null(label);
            assert_null(strstr(label, want[k]));
        }
        if (!found) fail_msg("source %s missing", want[k]);
    }
    json_t *last = json_array_get(items, json_array_size(items) - 1);
    assert_string_equal(json_string_value(json_object_get(last, "key")), "manual");
    json_decref(j);
}

static void test_figures_and_scheme(void **state)
{
    (void)state;
    json_t *j = NULL;
    /* each district: 4 activities in 2025 */
    expect_status(api("POST", "/targets", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:i, s:s, s:s}", "org_id", (json_int_t)root, "title", "每区四场活动", "metric",
                            "activities", "period", "2025", "goal", 4, "applies", "each", "each_type", "district"), &j), j, 201);
    json_decref(j);
    activity(point_a, "2025-03-01");   /* counted in A's subtree */
    activity(dist_a, "2025-04-01");
    activity(dist_b, "2025-05-01");
    activity(dist_b, "2024-05-01");    /* another year: not counted */
    expect_status(api("POST", "/forms", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:i, s:[{s:s, s:s, s:s}]}", "org_id", (json_int_t)root, "title", "区县年度报表",
                            "period_type", "year", "filler_type", "district", "deadline_days", 30, "fields", "key", "people",
                            "label", "参与人次", "metric", "participants"), &j), j, 201);
    form_id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/forms/%lld/reports", (long long)form_id), a_admin,
                      jpack("{s:I, s:s, s:{s:i}, s:b}", "org_id", (json_int_t)dist_a, "period", "2025", "values", "people", 50,
                            "submit", 1), &j), j, 200);
    json_decref(j);

    expect_status(api("POST", "/assessments", admin,
                      jpack("{s:I, s:i, s:s, s:[{s:s, s:s, s:s, s:i}, {s:s, s:s, s:i}, {s:s, s:s, s:i, s:i}]}", "org_id",
                            (json_int_t)root, "year", 2025, "title", "2025年度区县科普目标管理考核", "indicators",
                            "name", "活动目标完成", "source", "targets_met", "param", "activities", "weight", 40,
                            "name", "报表报送", "source", "reports_complete", "weight", 10,
                            "name", "特色工作", "source", "manual", "weight", 10, "max_points", 10), &j), j, 201);
    scheme = jint(j, "id");
    assert_string_equal(jstr(j, "status"), "draft");
    assert_string_equal(jstr(j, "unit_type"), "district");
    assert_int_equal(jint(j, "weight_sum"), 60);
    assert_non_null(jstr(j, "weight_warning"));   /* not 100: shown, not forced */
    assert_int_equal(json_array_size(json_object_get(j, "indicators")), 3);
    ind_targets = jint(j, "indicators.0.id"), ind_reports = jint(j, "indicators.1.id"), ind_manual = jint(j, "indicators.2.id");
    assert_string_equal(jstr(j, "indicators.0.source_label"), "目标任务完成率 / Targets met");
    json_decref(j);
    /* a draft is the city's alone */
    expect_api_error("GET", P("/assessments/%lld", (long long)scheme), a_admin, NULL, 404, "not_found", NULL);
    expect_status(api("POST", P("/assessments/%lld/open", (long long)scheme), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "open");
    json_decref(j);
    expect_api_error("POST", P("/assessments/%lld/open", (long long)scheme), admin, NULL, 409, "assessment_state", NULL);
}

static void test_live_ranking(void **state)
{
    (void)state;
    json_t *j = NULL;
    /* manual scores: A 2, B 10 (within 0..10) */
    expect_status(api("PUT", P("/assessments/%lld/manual-scores", (long long)scheme), admin,
                      jpack("{s:I, s:I, s:f, s:s}", "indicator_id", (json_int_t)ind_manual, "org_id", (json_int_t)dist_a,
                            "score", 2.0, "note", "特色不突出"), &j), j, 200);
    assert_int_equal(jint(j, "score_e2"), 200);
    json_decref(j);
    expect_status(api("PUT", P("/assessments/%lld/manual-scores", (long long)scheme), admin,
                      jpack("{s:I, s:I, s:i}", "indicator_id", (json_int_t)ind_manual, "org_id", (json_int_t)dist_b, "score", 10),
                      &j), j, 200);
    json_decref(j);

    j = scores(admin);
    assert_int_equal(jint(j, "unit_count"), 2);
    json_t *a = unit_row(j, dist_a), *b = unit_row(j, dist_b);
    assert_non_null(a), assert_non_null(b);
    /* A: 40 x 2/4 + 10 x 1 + 2 = 32; B: 40 x 1/4 + 10 x 0 + 10 = 20 */
    assert_true(num(a, "items.0.value") == 0.5 && num(a, "items.0.score") == 20.0);
    assert_true(num(a, "items.1.score") == 10.0 && num(a, "items.2.score") == 2.0);
    assert_true(num(a, "total") == 32.0), assert_int_equal(jint(a, "rank"), 1);
    assert_true(num(b, "items.0.score") == 10.0 && num(b, "items.1.score") == 0.0);
    assert_true(num(b, "total") == 20.0), assert_int_equal(jint(b, "rank"), 2);
    /* where points were lost */
    assert_true(num(b, "items.1.lost") == 10.0);
    assert_non_null(strstr(jstr(b, "items.1.detail"), "1 of 1 reports missing"));
    assert_non_null(strstr(jstr(b, "items.0.detail"), "1 of 1 targets not met"));
    assert_string_equal(jstr(a, "items.2.detail"), "特色不突出");
    json_decref(j);

    /* district B's figures change: three more activities meet its target */
    activity(dist_b, "2025-06-01"), activity(dist_b, "2025-07-01"), activity(dist_b, "2025-08-01");
    j = scores(admin);
    a = unit_row(j, dist_a), b = unit_row(j, dist_b);
    assert_true(num(b, "items.0.value") == 1.0 && num(b, "items.0.score") == 40.0);
    assert_true(num(b, "total") == 50.0), assert_int_equal(jint(b, "rank"), 1);
    assert_true(num(a, "total") == 32.0), assert_int_equal(jint(a, "rank"), 2);
    assert_null(jget(b, "items.0.detail") ? jstr(b, "items.0.detail") : NULL);
    json_decref(j);
}

static void test_district_sees_its_own(void **state)
{
    (void)state;
    json_t *j = scores(a_admin);
    assert_int_equal(json_array_size(json_object_get(j, "units")), 1);
    assert_int_equal(jint(j, "units.0.org_id"), dist_a);
    assert_int_equal(jint(j, "units.0.rank"), 2);      /* its own rank, of unit_count */
    assert_int_equal(jint(j, "unit_count"), 2);
    json_decref(j);
    /* the district neither scores, edits nor finalizes */
    expect_api_error("PUT", P("/assessments/%lld/manual-scores", (long long)scheme), a_admin,
                     jpack("{s:I, s:I, s:i}", "indicator_id", (json_int_t)ind_manual, "org_id", (json_int_t)dist_a, "score", 10),
                     403, "forbidden", NULL);
    expect_api_error("POST", P("/assessments/%lld/finalize", (long long)scheme), a_admin, NULL, 403, "forbidden", NULL);
    expect_api_error("PATCH", P("/assessments/%lld", (long long)scheme), b_admin, jpack("{s:s}", "title", "改"), 403,
                     "forbidden", NULL);
}

static void test_bad_input_changes_nothing(void **state)
{
    (void)state;
    int64_t before = list_total(admin, "/assessments");
    expect_api_error("POST", "/assessments", admin,
                     jpack("{s:I, s:i, s:s, s:[{s:s, s:s, s:i}]}", "org_id", (json_int_t)root, "year", 2025, "title", "坏方案",
                           "indicators", "name", "未知", "source", "no_such_source", "weight", 10),
                     422, "invalid_field", "indicators");
    expect_api_error("POST", "/assessments", admin,
                     jpack("{s:I, s:i, s:s, s:[{s:s, s:s, s:s, s:i}]}", "org_id", (json_int_t)root, "year", 2025, "title",
                           "坏参数", "indicators", "name", "目标", "source", "targets_met", "param", "happiness", "weight", 10),
                     422, "invalid_field", "indicators");
    expect_api_error("POST", "/assessments", admin, jpack("{s:I, s:s}", "org_id", (json_int_t)root, "title", "无年度"), 422,
                     "required", "year");
    assert_int_equal(list_total(admin, "/assessments"), before);
    /* a negative weight: the scheme keeps its indicators */
    expect_api_error("PATCH", P("/assessments/%lld", (long long)scheme), admin,
                     jpack("{s:[{s:s, s:s, s:i}]}", "indicators", "name", "x", "source", "manual", "weight", -1), 422,
                     "invalid_field", "indicators");
    /* a score above the item's max, a unit that is not assessed (a point), an indicator not manual */
    expect_api_error("PUT", P("/assessments/%lld/manual-scores", (long long)scheme), admin,
                     jpack("{s:I, s:I, s:f}", "indicator_id", (json_int_t)ind_manual, "org_id", (json_int_t)dist_a, "score", 10.5),
                     422, "invalid_field", "score");
    expect_api_error("PUT", P("/assessments/%lld/manual-scores", (long long)scheme), admin,
                     jpack("{s:I, s:I, s:i}", "indicator_id", (json_int_t)ind_manual, "org_id", (json_int_t)point_a, "score", 1),
                     422, "invalid_field", "org_id");
    expect_api_error("PUT", P("/assessments/%lld/manual-scores", (long long)scheme), admin,
                     jpack("{s:I, s:I, s:i}", "indicator_id", (json_int_t)ind_targets, "org_id", (json_int_t)dist_a, "score", 1),
                     422, "invalid_field", "indicator_id");
    json_t *j = NULL;
    expect_status(api("GET", P("/assessments/%lld", (long long)scheme), admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(json_object_get(j, "indicators")), 3);
    json_decref(j);
    j = scores(admin);
    assert_true(num(unit_row(j, dist_a), "items.2.score") == 2.0);
    assert_true(num(unit_row(j, dist_a), "total") == 32.0);
    json_decref(j);
}

static void test_exports(void **state)
{
    (void)state;
    http_resp r = {0};
    expect_status(api_full("GET", P("/assessments/%lld/report.xlsx", (long long)scheme), admin, NULL, &r), r.json, 200);
    char *xml = xlsx_sheet_xml(&r);
    assert_non_null(strstr(xml, "考核甲区"));
    assert_non_null(strstr(xml, "考核乙区"));
    free(xml);
    http_resp_free(&r);
    /* the district's workbook holds its own row only */
    expect_status(api_full("GET", P("/assessments/%lld/report.xlsx", (long long)scheme), a_admin, NULL, &r), r.json, 200);
    xml = xlsx_sheet_xml(&r);
    assert_non_null(strstr(xml, "考核甲区"));
    assert_null(strstr(xml, "考核乙区"));
    free(xml);
    http_resp_free(&r);
    expect_status(api_full("GET", P("/assessments/%lld/report.pdf", (long long)scheme), admin, NULL, &r), r.json, 200);
    assert_true(r.body_len > 1000 && !memcmp(r.body, "%PDF", 4));
    http_resp_free(&r);
}

static void test_finalize_freezes(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", P("/assessments/%lld/finalize", (long long)scheme), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "final");
    assert_non_null(jstr(j, "frozen_at"));
    json_decref(j);
    /* more figures after the freeze change nothing */
    activity(dist_a, "2025-09-01"), activity(dist_a, "2025-10-01");
    j = scores(admin);
    assert_true(json_is_true(json_object_get(j, "frozen")));
    json_t *a = unit_row(j, dist_a), *b = unit_row(j, dist_b);
    assert_true(num(a, "items.0.score") == 20.0 && num(a, "total") == 32.0), assert_int_equal(jint(a, "rank"), 2);
    assert_true(num(b, "total") == 50.0), assert_int_equal(jint(b, "rank"), 1);
    assert_non_null(strstr(jstr(a, "items.0.detail"), "1 of 1 targets not met"));
    json_decref(j);
    j = scores(b_admin);
    assert_int_equal(json_array_size(json_object_get(j, "units")), 1);
    assert_int_equal(jint(j, "units.0.org_id"), dist_b);
    json_decref(j);
    expect_api_error("PUT", P("/assessments/%lld/manual-scores", (long long)scheme), admin,
                     jpack("{s:I, s:I, s:i}", "indicator_id", (json_int_t)ind_manual, "org_id", (json_int_t)dist_a, "score", 9),
                     409, "assessment_state", NULL);
    expect_api_error("POST", P("/assessments/%lld/finalize", (long long)scheme), admin, NULL, 409, "assessment_state", NULL);
    expect_api_error("PATCH", P("/assessments/%lld", (long long)scheme), admin, jpack("{s:s}", "title", "改"), 409,
                     "assessment_state", NULL);
    /* audited */
    expect_status(api("GET", P("/audit?entity=assessment&entity_id=%lld", (long long)scheme), admin, NULL, &j), j, 200);
    bool finalized = false;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "items"), i, it) finalized |= !strcmp(jstr(it, "action"), "finalize");
    assert_true(finalized);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sources),
        cmocka_unit_test(test_figures_and_scheme),
        cmocka_unit_test(test_live_ranking),
        cmocka_unit_test(test_district_sees_its_own),
        cmocka_unit_test(test_bad_input_changes_nothing),
        cmocka_unit_test(test_exports),
        cmocka_unit_test(test_finalize_freezes),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
