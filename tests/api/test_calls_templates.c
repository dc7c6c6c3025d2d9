/* test_calls_templates.c - the builtin call templates (issue 15, package E; migration 024) over
 * HTTP: all ten are listed to staff as builtin (never changed in place); each one's config passes
 * the template input's checks (call_form_check_def, stages, members) when saved as a copy; each
 * copies into a call that opens, and a unit of its eligible type enters a valid entry and submits
 * it. Two whole cycles: the lecture collection without review (3 lectures of a society, counted
 * under call_entries.lecture_collection, decided, 公示, final) and the demo point (points of two
 * districts, recommended by the district, two reviewers of other districts, ranking, decision,
 * 公示, finalize -> a demo_point title on the point for 2 years). */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "calls_cycle_world.h"

static void test_builtin_listed(void **state)
{
    (void)state;
    json_t *j = NULL, *it;
    size_t i;
    int seen = 0;
    expect_status(api("GET", "/call-templates?page_size=100", unit_tok[U_SOCIETY], NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), i, it) {
        for (int k = 0; codes[k]; k++) if (!strcmp(jstr(it, "code"), codes[k])) seen |= 1 << k;
        assert_true(json_is_true(jget(it, "builtin")));
        assert_true(json_is_null(jget(it, "org_id")));
    }
    assert_int_equal(seen, (1 << NCODES) - 1);
    assert_int_equal(jint(j, "total"), NCODES);
    json_decref(j);
    /* never changed in place: an admin copies it */
    json_t *t = builtin("demo_point");
    expect_api_error("PATCH", P("/call-templates/%lld", (long long)jint(t, "id")), admin, jpack("{s:s}", "name", "改名"), 409,
                     "call_state", NULL);
    json_decref(t);
}

/* Each config saved as a template of its own passes the input's checks, unchanged. */
static void test_configs_pass_checks(void **state)
{
    (void)state;
    for (int k = 0; codes[k]; k++) {
        json_t *t = builtin(codes[k]), *j = NULL;
        expect_status(api("POST", "/call-templates", admin,
                          jpack("{s:s, s:s, s:s, s:O}", "code", P("copy_%s", codes[k]), "name", jstr(t, "name"), "kind",
                                jstr(t, "kind"), "config", jget(t, "config")), &j), j, 201);
        assert_true(json_equal(jget(j, "config"), jget(t, "config")));
        assert_false(json_is_true(jget(j, "builtin")));
        json_decref(j), json_decref(t);
    }
}

/* The re-certification template reviews the holders of 示范教学点 (issue 15, package G; migration
 * 025 made it eligible = holders): opening it gives the holder its entry, submitted with its
 * figures; a point without the title may not enter. */
static void holders_take_their_entries(void)
{
    json_t *j = NULL;
    int64_t holder = create_org(admin, dist[2], "point", "丙区示范教学点");
    expect_status(api("POST", "/designations", admin, jpack("{s:s, s:I}", "kind", "demo_point", "org_id", (json_int_t)holder), &j),
                  j, 201);
    json_decref(j);
    int64_t call = opened_call("recertification", "2099-12-31");
    expect_status(api("GET", P("/calls/%lld/entries", (long long)call), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_int_equal(jint(j, "items.0.org_id"), holder);
    assert_string_equal(jstr(j, "items.0.status"), "submitted");
    assert_non_null(jget(j, "items.0.figures.as_of"));
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), unit_tok[U_POINT_B],
                     jpack("{s:s, s:{}}", "title", "未命名的点", "values"), 403, "not_eligible", "org_id");
}

/* Every template copies into a call that opens and takes a valid entry of an eligible unit (the
 * holders' call: theirs, made on opening). */
static void test_each_takes_an_entry(void **state)
{
    (void)state;
    for (int k = 0; codes[k]; k++) {
        if (!strcmp(codes[k], "recertification")) { holders_take_their_entries(); continue; }
        int64_t call = opened_call(codes[k], "2099-12-31");
        int u = entrant_of(codes[k]);
        /* a call for teachers is entered for a teacher of the pool, by the teacher's unit */
        if (!strcmp(codes[k], "excellent_teacher")) u = U_POINT_A, person_value = pool_teacher(u, "赵老师");
        /* the premium selection is entered for an approved resource, by its uploader's unit */
        if (!strcmp(codes[k], "premium_resource")) u = U_POINT_A, person_value = pool_resource(u, "安全用电图集");
        int64_t e = submitted(call, u, P("%s 申报", codes[k]));
        person_value = 0;
        json_t *j = NULL;
        expect_status(api("GET", P("/entries/%lld", (long long)e), admin, NULL, &j), j, 200);
        assert_int_equal(jint(j, "org_id"), unit_org[u]);
        assert_int_equal(jint(j, "call_id"), call);
        /* the figures snapshotted on submit: the nominated teacher has held no course */
        if (!strcmp(codes[k], "excellent_teacher")) assert_int_equal(jint(j, "figures.courses"), 0);
        if (!strcmp(codes[k], "demo_point")) assert_non_null(jget(j, "figures.as_of"));
        json_decref(j);
    }
}

/* 科普大讲堂: a society's 3 lectures, late ones flagged not refused, counted, adopted, final. */
static void test_lecture_collection_cycle(void **state)
{
    (void)state;
    int64_t before = metric(unit_org[U_SOCIETY], "call_entries.lecture_collection");
    int64_t call = opened_call("lecture_collection", "2099-02-28");
    int64_t e[4];
    for (int i = 0; i < 3; i++) e[i] = submitted(call, U_SOCIETY, P("讲座%d", i));
    assert_int_equal(metric(unit_org[U_SOCIETY], "call_entries.lecture_collection"), before + 3);
    /* after the deadline a fourth is taken, flagged late (late_policy flag) */
    json_t *j = NULL;
    expect_status(api("PATCH", P("/calls/%lld", (long long)call), admin, jpack("{s:s}", "deadline", "2020-02-28"), &j), j, 200);
    json_decref(j);
    e[3] = submitted(call, U_SOCIETY, "讲座3");
    expect_status(api("GET", P("/entries/%lld", (long long)e[3]), admin, NULL, &j), j, 200);
    assert_true(json_is_true(jget(j, "late")));
    json_decref(j);
    /* no review: the city adopts entries while closing, then the 公示 and final */
    expect_status(api("POST", P("/calls/%lld/close", (long long)call), admin, NULL, &j), j, 200);
    json_decref(j);
    for (int i = 0; i < 3; i++) decide(e[i], "selected", NULL);
    decide(e[3], "rejected", NULL);
    publicize_and_finalize(call);
    expect_status(api("GET", P("/public/calls/%lld/results", (long long)call), NULL, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 3);
    json_decref(j);
}

/* 示范教学点: a point of each of two districts enters, its district recommends it (at most 3),
 * the deadline refuses late entries; two reviewers of other districts score; the ranking; the
 * decision; the 公示; finalize names the point demo_point for 2 years. */
static void test_demo_point_cycle(void **state)
{
    (void)state;
    json_t *j = NULL;
    int64_t call = opened_call("demo_point", "2099-10-31");
    int64_t ea = submitted(call, U_POINT_A, "甲区教学点申报"), eb = submitted(call, U_POINT_B, "乙区教学点申报");
    /* one entry per point */
    expect_api_error("POST", P("/entries/%lld/submit", (long long)draft(call, U_POINT_A, "再报")), unit_tok[U_POINT_A], NULL, 409,
                     "quota_full", NULL);
    for (int i = 0; i < 2; i++) {
        int64_t e = i ? eb : ea;
        expect_status(api("GET", P("/entries/%lld", (long long)e), admin, NULL, &j), j, 200);
        assert_int_equal(jint(j, "stage_org_id"), dist[i]);   /* held by its district */
        json_decref(j);
        expect_status(api("POST", P("/entries/%lld/recommend", (long long)e), admin, NULL, &j), j, 200);
        assert_int_equal(jint(j, "stage_org_id"), root);
        json_decref(j);
    }
    expect_status(api("POST", P("/calls/%lld/close", (long long)call), admin, NULL, &j), j, 200);
    json_decref(j);
    for (int r = 0; r < 2; r++)
        expect_status(api("POST", P("/calls/%lld/reviewers", (long long)call), admin, jpack("{s:I}", "user_id", (json_int_t)rev_user[r]),
                          NULL), NULL, 201);
    expect_status(api("POST", P("/calls/%lld/assignments", (long long)call), admin, jpack("{s:b}", "auto", 1), &j), j, 200);
    json_decref(j);
    score_pct(call, ea, 0, 90), score_pct(call, ea, 1, 80);
    score_pct(call, eb, 0, 60), score_pct(call, eb, 1, 70);
    expect_status(api("POST", P("/calls/%lld/rounds/1/close", (long long)call), admin, NULL, &j), j, 200);
    json_decref(j);
    expect_status(api("GET", P("/calls/%lld/ranking", (long long)call), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "items.0.id"), ea);
    assert_int_equal(jint(j, "items.1.id"), eb);
    json_decref(j);
    decide(ea, "selected", "示范教学点");
    decide(eb, "rejected", NULL);
    publicize_and_finalize(call);
    expect_status(api("GET", P("/designations?kind=demo_point&org_id=%lld", (long long)unit_org[U_POINT_A]), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_int_equal(jint(j, "items.0.entry_id"), ea);
    assert_string_equal(jstr(j, "items.0.status"), "active");
    assert_int_equal(atoi(jstr(j, "items.0.valid_to")), atoi(jstr(j, "items.0.valid_from")) + 2);
    json_decref(j);
    assert_int_equal(list_total(admin, P("/designations?kind=demo_point&org_id=%lld", (long long)unit_org[U_POINT_B])), 0);
    /* the deadline refuses (late_policy refuse) */
    int64_t late = opened_call("demo_point", "2099-10-31");
    expect_status(api("PATCH", P("/calls/%lld", (long long)late), admin, jpack("{s:s}", "deadline", "2020-10-31"), &j), j, 200);
    json_decref(j);
    expect_api_error("POST", P("/calls/%lld/entries", (long long)late), unit_tok[U_POINT_B], jpack("{s:s, s:{}}", "title", "迟报",
                     "values"), 409, "deadline_passed", NULL);
}

/* The seed dates: a 示范教学点 call created without a deadline closes at the end of 31 October of
 * its year, a lecture collection at the end of 28 February; a template without a usual day
 * needs one given; a template's day must be one every year has. */
static void test_deadline_from_template(void **state)
{
    (void)state;
    static const struct { const char *code, *md, *want; } cases[] = {
        {"demo_point", "10-31", "2027-10-31T23:59:59+08:00"}, {"lecture_collection", "02-28", "2027-02-28T23:59:59+08:00"}};
    json_t *j = NULL;
    for (size_t i = 0; i < 2; i++) {
        json_t *t = builtin(cases[i].code);
        assert_string_equal(jstr(t, "config.deadline_md"), cases[i].md);
        expect_status(api("POST", "/calls", admin,
                          jpack("{s:I, s:I, s:i, s:s}", "template_id", (json_int_t)jint(t, "id"), "org_id", (json_int_t)root,
                                "year", 2027, "title", "按模板截止"), &j), j, 201);
        assert_string_equal(jstr(j, "deadline"), cases[i].want);
        json_decref(j), json_decref(t);
    }
    json_t *t = builtin("key_project");
    expect_api_error("POST", "/calls", admin,
                     jpack("{s:I, s:I, s:i, s:s}", "template_id", (json_int_t)jint(t, "id"), "org_id", (json_int_t)root, "year",
                           2027, "title", "无截止"), 422, "required", "deadline");
    json_decref(t);
    expect_api_error("POST", "/call-templates", admin,
                     jpack("{s:s, s:s, s:s, s:{s:s, s:[], s:s}}", "code", "bad_md", "name", "坏日期", "kind", "collection", "config",
                           "deadline_md", "02-30", "stages", "eligible", "types"), 422, "invalid_field", "config.deadline_md");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_listed),
        cmocka_unit_test(test_configs_pass_checks),
        cmocka_unit_test(test_each_takes_an_entry),
        cmocka_unit_test(test_lecture_collection_cycle),
        cmocka_unit_test(test_demo_point_cycle),
        cmocka_unit_test(test_deadline_from_template),
    };
    return run_api_tests(tests, setup, teardown);
}
