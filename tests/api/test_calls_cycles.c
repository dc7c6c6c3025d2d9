/* test_calls_cycles.c - the whole cycle of each builtin template that test_calls_templates.c
 * does not run (issue 15: "all eight templates run their cycle in tests"), over HTTP on the
 * template as shipped (copied into a call, never adjusted):
 * - 重点科普项目 key_project: five blind reviewers with a trimmed mean, funding by merit within
 *   the budget (a third award over it refused), certificates, a disbursement; the awards and the
 *   payment counted under the metrics funds_awarded and funds_disbursed (a changed decision moves
 *   its amount);
 * - 科普教育基地 base: recommended by the district, three reviewers, level A by count, the base
 *   title for the kind's three years;
 * - 青少年科技创新大赛 youth_contest: awards by share (10/20/40 %) over five works, certificates
 *   with their levels, the public results;
 * - 优秀教师 excellent_teacher: teachers of the pool nominated by their units, recommended by
 *   their districts, three reviewers, the teachers' titles, and the city pool;
 * - 十强农技协 rural_top10: two rural societies of two districts, the top ten by count, titles;
 * - 优秀科普作品 excellent_work: blind sheets (the reviewer sees a code, not the unit), awards by
 *   count, the title.
 * The world (calls_cycle_world.h): seven districts, entrants in A and B, reviewers in C to G. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "calls_cycle_world.h"

static void post_ok(const char *path, json_t *body)
{
    json_t *j = NULL;
    int st = api("POST", path, admin, body, &j);
    if (st != 200 && st != 201) fail_msg("POST %s: %d %s", path, st, j ? json_dumps(j, 0) : "");
    json_decref(j);
}

/* Closes call for entries, names the first n reviewers and assigns each entry automatically. */
static void into_review(int64_t call, int n)
{
    post_ok(P("/calls/%lld/close", (long long)call), NULL);
    for (int r = 0; r < n; r++)
        post_ok(P("/calls/%lld/reviewers", (long long)call), jpack("{s:I}", "user_id", (json_int_t)rev_user[r]));
    post_ok(P("/calls/%lld/assignments", (long long)call), jpack("{s:b}", "auto", 1));
}

/* Every one of the first n reviewers scores entry at pct percent (the per-entry count of the
 * template is n: auto-assignment gave each of them the entry). */
static void scored(int64_t call, int64_t entry, int n, int pct)
{
    for (int r = 0; r < n; r++) score_pct(call, entry, r, pct + r % 2);   /* a little spread */
}

/* Closes the round; the ranking's entry ids in order, into ids (at most max), each scored by
 * sheets reviewers; how many. */
static int ranking(int64_t call, int64_t *ids, int max, int sheets)
{
    json_t *j = NULL, *it;
    size_t i;
    int n = 0;
    post_ok(P("/calls/%lld/rounds/1/close", (long long)call), NULL);
    expect_status(api("GET", P("/calls/%lld/ranking", (long long)call), admin, NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), i, it) {
        assert_int_equal(jint(it, "n_reviews"), sheets);
        if (n < max) ids[n++] = jint(it, "id");
    }
    json_decref(j);
    return n;
}

/* The proposal's level of entry ("" when none). */
static const char *proposed_level(json_t *proposal, int64_t entry)
{
    json_t *it;
    size_t i;
    json_array_foreach(jget(proposal, "items"), i, it)
        if (jint(it, "entry_id") == entry) return json_is_string(jget(it, "level")) ? jstr(it, "level") : "";
    return "";
}

static json_t *propose(int64_t call)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/calls/%lld/awards/propose", (long long)call), admin, NULL, &j), j, 200);
    return j;
}

/* The active titles of kind held by org (counted). */
static int64_t titles(const char *kind, int64_t org)
{
    return list_total(admin, P("/designations?kind=%s&org_id=%lld&status=active", kind, (long long)org));
}

static json_t *certificates(int64_t call)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/calls/%lld/certificates", (long long)call), admin, NULL, &j), j, 200);
    return j;
}

/* 重点科普项目: four applications of three units, five blind sheets each with a trimmed mean, the
 * best two funded within a budget of 100,000 (a third award beyond it refused), a payment. */
static void test_key_project_cycle(void **state)
{
    (void)state;
    int64_t call = opened_call("key_project", "2099-06-30");
    int64_t e[4] = {submitted(call, U_UNIT, "社区科普长廊"), submitted(call, U_UNIT, "校园气象站"),
                    submitted(call, U_SOCIETY, "科普剧进社区"), submitted(call, U_BASE, "基地研学课程")};
    expect_api_error("POST", P("/entries/%lld/submit", (long long)draft(call, U_UNIT, "第三项")), unit_tok[U_UNIT], NULL, 409,
                     "quota_full", NULL);   /* at most 2 per unit */
    into_review(call, 5);
    int pct[4] = {70, 92, 55, 81};
    for (int i = 0; i < 4; i++) scored(call, e[i], 5, pct[i]);
    int64_t order[4];
    assert_int_equal(ranking(call, order, 4, 5), 4);
    assert_int_equal(order[0], e[1]), assert_int_equal(order[1], e[3]), assert_int_equal(order[3], e[2]);
    json_t *j = NULL;
    expect_status(api("PUT", P("/calls/%lld/budget", (long long)call), admin, jpack("{s:i}", "budget", 100000), &j), j, 200);
    json_decref(j);
    int64_t awarded_unit = metric(unit_org[U_UNIT], "funds_awarded"), awarded_dist = metric(dist[0], "funds_awarded");
    int64_t paid_unit = metric(unit_org[U_UNIT], "funds_disbursed");
    post_ok(P("/entries/%lld/decide", (long long)e[1]),
            jpack("{s:s, s:s, s:i, s:s}", "outcome", "selected", "award_level", "资助", "award_amount", 60000, "reason", "择优资助"));
    post_ok(P("/entries/%lld/decide", (long long)e[3]),
            jpack("{s:s, s:s, s:i, s:s}", "outcome", "selected", "award_level", "资助", "award_amount", 40000, "reason", "择优资助"));
    expect_api_error("POST", P("/entries/%lld/decide", (long long)e[0]), admin,
                     jpack("{s:s, s:s, s:i, s:s}", "outcome", "selected", "award_level", "资助", "award_amount", 10000, "reason", "超出"),
                     409, "over_budget", "award_amount");
    /* changed before the 公示: the statistic follows the decision, not its history */
    post_ok(P("/entries/%lld/decide", (long long)e[1]),
            jpack("{s:s, s:s, s:i, s:s}", "outcome", "selected", "award_level", "资助", "award_amount", 50000, "reason", "核减"));
    assert_int_equal(metric(unit_org[U_UNIT], "funds_awarded"), awarded_unit + 50000);
    assert_int_equal(metric(dist[0], "funds_awarded"), awarded_dist + 90000);
    decide(e[0], "rejected", NULL), decide(e[2], "rejected", NULL);
    publicize_and_finalize(call);
    j = certificates(call);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    json_decref(j);
    char today[11];
    snprintf(today, sizeof today, "%.10s", shanghai_at(0));
    post_ok(P("/entries/%lld/disbursements", (long long)e[1]), jpack("{s:i, s:s}", "amount", 30000, "day", today));
    assert_int_equal(metric(unit_org[U_UNIT], "funds_disbursed"), paid_unit + 30000);
    expect_status(api("GET", P("/calls/%lld/funds", (long long)call), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "awarded"), 90000);
    assert_int_equal(jint(j, "awards"), 2);
    assert_int_equal(jint(j, "paid"), 30000);
    assert_int_equal(jint(j, "unpaid"), 60000);
    json_decref(j);
}

/* 科普教育基地认定: a base and a school of district A, recommended by it; three reviewers; the
 * proposal gives both level A (count 5); finalize names both bases for three years. */
static void test_base_cycle(void **state)
{
    (void)state;
    int64_t call = opened_call("base", "2099-09-30");
    int64_t e[2] = {submitted(call, U_BASE, "甲区科普基地认定"), submitted(call, U_UNIT_B, "乙区二中科普馆")};
    for (int i = 0; i < 2; i++) post_ok(P("/entries/%lld/recommend", (long long)e[i]), NULL);
    into_review(call, 3);
    scored(call, e[0], 3, 88), scored(call, e[1], 3, 76);
    int64_t order[2];
    assert_int_equal(ranking(call, order, 2, 3), 2);
    assert_int_equal(order[0], e[0]);
    json_t *p = propose(call);
    assert_string_equal(proposed_level(p, e[0]), "A");
    assert_string_equal(proposed_level(p, e[1]), "A");
    json_decref(p);
    for (int i = 0; i < 2; i++) decide(e[i], "selected", "A");
    int64_t before = titles("base", unit_org[U_BASE]);
    publicize_and_finalize(call);
    assert_int_equal(titles("base", unit_org[U_BASE]), before + 1);
    assert_int_equal(titles("base", unit_org[U_UNIT_B]), 1);
    json_t *j = NULL;
    expect_status(api("GET", P("/orgs/%lld/titles", (long long)unit_org[U_BASE]), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "items.0.kind"), "base");
    assert_string_equal(jstr(j, "items.0.level"), "A");
    assert_int_equal(atoi(jstr(j, "items.0.valid_to")), atoi(jstr(j, "items.0.valid_from")) + 3);
    json_decref(j);
}

/* 青少年科技创新大赛: five works, recommended by their districts, five blind sheets each; awards
 * by share over five ranked: 一等奖 1 (10 %, at least one), 二等奖 1, 三等奖 2, the last none;
 * certificates carry the levels; the public results list the four awarded. */
static void test_youth_contest_cycle(void **state)
{
    (void)state;
    int64_t call = opened_call("youth_contest", "2099-04-30");
    int who[5] = {U_UNIT, U_UNIT, U_POINT_A, U_SOCIETY, U_UNIT_B};
    int pct[5] = {95, 62, 84, 71, 40};
    int64_t e[5];
    for (int i = 0; i < 5; i++) e[i] = submitted(call, who[i], P("作品%d", i));
    for (int i = 0; i < 5; i++) post_ok(P("/entries/%lld/recommend", (long long)e[i]), NULL);
    into_review(call, 5);
    for (int i = 0; i < 5; i++) scored(call, e[i], 5, pct[i]);
    int64_t order[5];
    assert_int_equal(ranking(call, order, 5, 5), 5);
    int64_t want[5] = {e[0], e[2], e[3], e[1], e[4]};
    for (int i = 0; i < 5; i++) assert_int_equal(order[i], want[i]);
    json_t *p = propose(call);
    const char *levels[5] = {"一等奖", "二等奖", "三等奖", "三等奖", ""};
    for (int i = 0; i < 5; i++) assert_string_equal(proposed_level(p, want[i]), levels[i]);
    for (int i = 0; i < 4; i++) decide(want[i], "selected", levels[i]);
    json_decref(p);
    decide(want[4], "rejected", NULL);
    publicize_and_finalize(call);
    json_t *c = certificates(call), *it;
    size_t k;
    int firsts = 0, thirds = 0;
    assert_int_equal(json_array_size(jget(c, "items")), 4);
    json_array_foreach(jget(c, "items"), k, it) {
        firsts += !strcmp(jstr(it, "level"), "一等奖");
        thirds += !strcmp(jstr(it, "level"), "三等奖");
        assert_string_equal(jstr(it, "status"), "valid");
    }
    assert_int_equal(firsts, 1), assert_int_equal(thirds, 2);
    json_decref(c);
    json_t *j = NULL;
    expect_status(api("GET", P("/public/calls/%lld/results", (long long)call), NULL, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 4);
    json_decref(j);
}

/* 优秀教师评选: teachers of the pool nominated by their units (two in district A, one in B), the
 * same teacher not twice; each district recommends its own upward (at most two); three
 * reviewers; each title is the teacher's, and a filed teacher named by the city enters the city
 * pool (the title hook). */
static void test_excellent_teacher_cycle(void **state)
{
    (void)state;
    int64_t call = opened_call("excellent_teacher", "2099-08-31");
    int who[3] = {U_POINT_A, U_UNIT, U_POINT_B};
    int64_t t[3] = {pool_teacher(U_POINT_A, "王老师"), pool_teacher(U_UNIT, "李老师"), pool_teacher(U_POINT_B, "周老师")}, e[3];
    for (int i = 0; i < 3; i++) {
        person_value = t[i];
        e[i] = submitted(call, who[i], P("推荐教师%d", i));
    }
    person_value = 0;
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), unit_tok[U_POINT_A],
                     jpack("{s:s, s:{s:{s:I}, s:s}}", "title", "再次推荐", "values", "teacher", "id", (json_int_t)t[0], "deeds", "同一人"),
                     409, "person_entered", "values");
    json_t *j = NULL;
    for (int i = 0; i < 3; i++) {
        expect_status(api("GET", P("/entries/%lld", (long long)e[i]), admin, NULL, &j), j, 200);
        assert_string_equal(jstr(j, "subject_kind"), "teacher");
        assert_int_equal(jint(j, "subject_id"), t[i]);
        assert_int_equal(jint(j, "stage_org_id"), dist[i == 2]);   /* held by the teacher's district */
        json_decref(j);
        post_ok(P("/entries/%lld/recommend", (long long)e[i]), NULL);
    }
    into_review(call, 3);
    scored(call, e[0], 3, 90), scored(call, e[1], 3, 85), scored(call, e[2], 3, 70);
    int64_t order[3];
    assert_int_equal(ranking(call, order, 3, 3), 3);
    assert_int_equal(order[0], e[0]), assert_int_equal(order[2], e[2]);
    for (int i = 0; i < 3; i++) decide(e[i], "selected", "优秀教师");
    publicize_and_finalize(call);
    for (int i = 0; i < 3; i++) {
        expect_status(api("GET", P("/designations?kind=excellent_teacher&org_id=%lld", (long long)unit_org[who[i]]), admin, NULL, &j),
                      j, 200);
        json_t *it;
        size_t k;
        int found = 0;
        json_array_foreach(jget(j, "items"), k, it) found += jint(it, "subject_id") == t[i] && !strcmp(jstr(it, "subject_kind"), "teacher");
        assert_int_equal(found, 1);
        json_decref(j);
        expect_status(api("GET", P("/teachers/%lld", (long long)t[i]), admin, NULL, &j), j, 200);
        assert_string_equal(jstr(j, "status"), "city_pool");
        json_decref(j);
    }
    json_t *c = certificates(call);
    assert_int_equal(json_array_size(jget(c, "items")), 3);
    json_decref(c);
}

/* 十强农技协: the rural societies of districts A and B, each recommended by its district (at most
 * two), three reviewers; the top ten by count takes both; titles and the public list. */
static void test_rural_top10_cycle(void **state)
{
    (void)state;
    int64_t call = opened_call("rural_top10", "2099-11-30");
    int64_t e[2] = {submitted(call, U_SOCIETY, "甲区学会"), submitted(call, U_SOCIETY_B, "乙区农技协")};
    for (int i = 0; i < 2; i++) post_ok(P("/entries/%lld/recommend", (long long)e[i]), NULL);
    into_review(call, 3);
    scored(call, e[0], 3, 66), scored(call, e[1], 3, 91);
    int64_t order[2];
    assert_int_equal(ranking(call, order, 2, 3), 2);
    assert_int_equal(order[0], e[1]);
    json_t *p = propose(call);
    assert_string_equal(proposed_level(p, e[0]), "十强");
    assert_string_equal(proposed_level(p, e[1]), "十强");
    json_decref(p);
    for (int i = 0; i < 2; i++) decide(e[i], "selected", "十强");
    publicize_and_finalize(call);
    assert_int_equal(titles("rural_top10", unit_org[U_SOCIETY_B]), 1);
    assert_int_equal(titles("rural_top10", unit_org[U_SOCIETY]), 1);
    json_t *j = NULL;
    expect_status(api("GET", "/public/designations?kind=rural_top10", NULL, NULL, &j), j, 200);
    assert_true(jint(j, "total") >= 2);
    json_decref(j);
}

/* 优秀科普作品: any unit enters; blind sheets show a code instead of the unit; awards by count
 * (一等奖 5 first): all three works take 一等奖; the excellent_work title. */
static void test_excellent_work_cycle(void **state)
{
    (void)state;
    int64_t call = opened_call("excellent_work", "2099-10-15");
    int64_t e[3] = {submitted(call, U_UNIT, "科普短视频"), submitted(call, U_SOCIETY, "科普图书"),
                    submitted(call, U_BASE, "科普展板")};
    into_review(call, 3);
    json_t *j = NULL;
    expect_status(api("GET", P("/reviews/%lld", (long long)sheet_of(call, e[1], 0)), rev_tok[0], NULL, &j), j, 200);
    char *text = json_dumps(j, 0);
    assert_null(strstr(text, "甲区科普学会"));   /* blind: not the unit's name */
    assert_true(json_is_true(jget(j, "entry.blind")));
    assert_int_equal(strlen(jstr(j, "blind_code")), 6);
    free(text);
    json_decref(j);
    scored(call, e[0], 3, 75), scored(call, e[1], 3, 88), scored(call, e[2], 3, 64);
    int64_t order[3];
    assert_int_equal(ranking(call, order, 3, 3), 3);
    assert_int_equal(order[0], e[1]), assert_int_equal(order[2], e[2]);
    json_t *p = propose(call);
    for (int i = 0; i < 3; i++) assert_string_equal(proposed_level(p, e[i]), "一等奖");
    json_decref(p);
    for (int i = 0; i < 3; i++) decide(e[i], "selected", "一等奖");
    publicize_and_finalize(call);
    assert_int_equal(titles("excellent_work", unit_org[U_SOCIETY]), 1);
}

/* A call's eligible unit types set on create and changed by PATCH decide who may enter. */
static void test_eligible_types_decide_who_enters(void **state)
{
    (void)state;
    json_t *t = builtin("excellent_work"), *j = NULL;
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s, s:[s, s]}", "template_id", (json_int_t)jint(t, "id"), "org_id",
                            (json_int_t)root, "year", 2026, "title", "限定类型的作品征集", "deadline", "2099-10-15",
                            "eligible_types", "society", "base"), &j), j, 201);
    int64_t call = jint(j, "id");
    assert_int_equal(json_array_size(jget(j, "eligible_types")), 2);
    json_decref(j), json_decref(t);
    post_ok(P("/calls/%lld/open", (long long)call), NULL);
    submitted(call, U_SOCIETY, "学会作品");
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), unit_tok[U_UNIT],
                     jpack("{s:s, s:{}}", "title", "学校作品", "values"), 403, "not_eligible", "org_id");
    expect_status(api("PATCH", P("/calls/%lld", (long long)call), admin, jpack("{s:[s]}", "eligible_types", "unit"), &j), j, 200);
    assert_string_equal(jstr(j, "eligible_types.0"), "unit");
    json_decref(j);
    submitted(call, U_UNIT, "学校作品");
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), unit_tok[U_BASE],
                     jpack("{s:s, s:{}}", "title", "基地作品", "values"), 403, "not_eligible", "org_id");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_project_cycle),
        cmocka_unit_test(test_base_cycle),
        cmocka_unit_test(test_youth_contest_cycle),
        cmocka_unit_test(test_excellent_teacher_cycle),
        cmocka_unit_test(test_rural_top10_cycle),
        cmocka_unit_test(test_excellent_work_cycle),
        cmocka_unit_test(test_eligible_types_decide_who_enters),
    };
    return run_api_tests(tests, setup, teardown);
}
