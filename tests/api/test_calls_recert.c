/* test_calls_recert.c - re-certification of title holders over HTTP (issue 15 item 6, package G;
 * src/calls/recert.c): a call copied from the builtin recertification template reviews the
 * holders of 示范教学点 below the city. Opening it gives each active holder one submitted entry
 * with its figures (courses held this year), and none to an untitled point; a holder's unit
 * edits it until the deadline (a new snapshot each save). Two reviewers of a district without
 * points score; the proposal: the holder below min_figures is to be revoked naming the figure,
 * the others ranked by score and the last one (revoke_last 1) to be revoked; applied as
 * decisions; the admin overrides one with a reason; 公示; finalize revokes the three titles
 * (status, reason, revoke_call_id), extends the two kept by the kind's 2 years, counts
 * titles_revoked.demo_point, and the revoked point no longer owes 24 courses. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define NP 5
static char *admin, *holder_tok, *rev_tok[2];
static int64_t root, dist[3], point[NP], untitled, rev_user[2];
static const int courses_at_open[NP] = {0, 2, 2, 2, 1};   /* point 0: below the minimum of 1 */
static const int scores[NP] = {9, 9, 8, 7, 5};             /* of 10 on every criterion */

static void hold_course(int64_t org, const char *title)
{
    json_t *j = NULL;
    expect_status(api("POST", "/courses", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)org, "title", title, "category", "digital",
                            "starts_at", shanghai_at(-7200), "ends_at", shanghai_at(-3600)), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/courses/%lld/hold", (long long)id), admin,
                      jpack("{s:s, s:i}", "record", "讲解结合案例。", "attendance", 10), &j), j, 200);
    json_decref(j);
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    const char *dn[] = {"复核甲区", "复核乙区", "复核评审区"};
    for (int i = 0; i < 3; i++) dist[i] = create_org(admin, root, "district", dn[i]);
    for (int i = 0; i < NP; i++) {
        point[i] = create_org(admin, dist[i < 2 ? 0 : 1], "point", P("复核教学点%d", i));
        expect_status(api("POST", "/designations", admin, jpack("{s:s, s:I}", "kind", "demo_point", "org_id", (json_int_t)point[i]),
                          NULL), NULL, 201);
        for (int k = 0; k < courses_at_open[i]; k++) hold_course(point[i], "开放日课程");
    }
    untitled = create_org(admin, dist[0], "point", "未命名教学点");
    hold_course(untitled, "开放日课程");
    create_user(admin, "recert_p1", point[1], "staff", "org", 0);
    holder_tok = login("recert_p1", USER_PASSWORD);
    for (int r = 0; r < 2; r++) {
        rev_user[r] = create_user(admin, P("recert_r%d", r), dist[2], "staff", "org", 0);
        rev_tok[r] = login(P("recert_r%d", r), USER_PASSWORD);
    }
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(holder_tok), free(rev_tok[0]), free(rev_tok[1]);
    return server_stop(state);
}

static json_t *template_of(const char *code)
{
    json_t *j = NULL, *it, *out = NULL;
    size_t i;
    expect_status(api("GET", "/call-templates?page_size=100", admin, NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), i, it) if (!strcmp(jstr(it, "code"), code)) out = json_incref(it);
    json_decref(j);
    assert_non_null(out);
    return out;
}

/* The entry of point i in call (from the call's list). */
static int64_t entry_of(json_t *list, int i)
{
    json_t *it;
    size_t k;
    json_array_foreach(jget(list, "items"), k, it) if (jint(it, "org_id") == point[i]) return jint(it, "id");
    fail_msg("no entry of point %d", i);
    return 0;
}

/* The proposal's row of entry e. */
static json_t *row_of(json_t *proposal, int64_t e)
{
    json_t *it;
    size_t k;
    json_array_foreach(jget(proposal, "items"), k, it) if (jint(it, "id") == e) return it;
    fail_msg("no row of entry %lld", (long long)e);
    return NULL;
}

static int64_t sheet_of(int64_t call, int64_t entry, int r) { return review_sheet_of(admin, call, entry, rev_user[r]); }

static void score(int64_t call, int64_t entry, int r, int s, json_t *criteria)
{
    json_t *c, *sheet = json_object(), *j = NULL;
    size_t i;
    json_array_foreach(criteria, i, c)
        json_object_set_new(sheet, json_string_value(json_object_get(c, "key")), json_pack("{s:i}", "score", s));
    expect_status(api("POST", P("/reviews/%lld/submit", (long long)sheet_of(call, entry, r)), rev_tok[r],
                      jpack("{s:o}", "scores", sheet), &j), j, 200);
    json_decref(j);
}

static json_t *designation_of(int i)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/designations?kind=demo_point&org_id=%lld", (long long)point[i]), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    return j;
}

static void test_whole_cycle(void **state)
{
    (void)state;
    json_t *t = template_of("recertification"), *j = NULL;
    assert_string_equal(jstr(t, "config.eligible"), "holders");
    assert_string_equal(jstr(t, "config.holder_kind"), "demo_point");
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)jint(t, "id"), "org_id", (json_int_t)root,
                            "year", atoi(shanghai_at(0)), "title", "示范教学点两年复核", "deadline", "2099-12-31"), &j), j, 201);
    int64_t call = jint(j, "id");
    json_t *criteria = json_incref(jget(t, "config.review.criteria"));
    json_decref(j), json_decref(t);
    /* the settings: the template's until set; min_figures names a figure field of the form */
    expect_status(api("GET", P("/calls/%lld/recert", (long long)call), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "settings.holder_kind"), "demo_point");
    assert_int_equal(jint(j, "settings.min_figures.courses"), 24);
    assert_int_equal(jint(j, "settings.revoke_share"), 10);
    json_decref(j);
    expect_api_error("PUT", P("/calls/%lld/recert", (long long)call), admin, jpack("{s:{s:i}}", "min_figures", "report", 1), 422,
                     "invalid_field", "min_figures");
    expect_api_error("PUT", P("/calls/%lld/recert", (long long)call), admin, jpack("{s:s}", "holder_kind", "nope"), 422,
                     "invalid_field", "holder_kind");
    expect_status(api("PUT", P("/calls/%lld/recert", (long long)call), admin,
                      jpack("{s:{s:i}, s:i}", "min_figures", "courses", 1, "revoke_last", 1), &j), j, 200);
    assert_int_equal(jint(j, "min_figures.courses"), 1);
    assert_int_equal(jint(j, "revoke_last"), 1);
    json_decref(j);

    /* opening: one submitted entry per holder, its courses snapshotted; none for the untitled */
    expect_status(api("POST", P("/calls/%lld/open", (long long)call), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "entries_total"), NP);
    json_decref(j);
    json_t *list = NULL;
    expect_status(api("GET", P("/calls/%lld/entries?page_size=100", (long long)call), admin, NULL, &list), list, 200);
    assert_int_equal(jint(list, "total"), NP);
    int64_t e[NP];
    for (int i = 0; i < NP; i++) {
        e[i] = entry_of(list, i);
        expect_status(api("GET", P("/entries/%lld", (long long)e[i]), admin, NULL, &j), j, 200);
        assert_string_equal(jstr(j, "status"), "submitted");
        assert_int_equal(jint(j, "figures.courses"), courses_at_open[i]);
        assert_int_equal(jint(j, "stage_org_id"), root);
        json_decref(j);
    }
    json_decref(list);
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), admin,
                     jpack("{s:I, s:s, s:{}}", "org_id", (json_int_t)untitled, "title", "未命名", "values"), 403, "not_eligible",
                     "org_id");
    /* a holder has its one entry */
    expect_api_error("POST", P("/calls/%lld/entries", (long long)call), admin,
                     jpack("{s:I, s:s, s:{}}", "org_id", (json_int_t)point[1], "title", "再报", "values"), 403, "not_eligible",
                     "org_id");
    /* the holder's unit adds its report until the deadline; the save takes a new snapshot */
    hold_course(point[1], "复核期间课程");
    expect_status(api("PATCH", P("/entries/%lld", (long long)e[1]), holder_tok,
                      jpack("{s:{s:s}}", "values", "report", "两年来坚持每月开课。"), &j), j, 200);
    assert_string_equal(jstr(j, "values.report"), "两年来坚持每月开课。");
    assert_int_equal(jint(j, "figures.courses"), 3);
    json_decref(j);
    expect_api_error("PATCH", P("/entries/%lld", (long long)e[2]), holder_tok, jpack("{s:{s:s}}", "values", "report", "x"), 404,
                     "not_found", NULL);

    /* review: two reviewers of a district without points, every entry scored */
    expect_status(api("POST", P("/calls/%lld/close", (long long)call), admin, NULL, &j), j, 200);
    json_decref(j);
    for (int r = 0; r < 2; r++)
        expect_status(api("POST", P("/calls/%lld/reviewers", (long long)call), admin, jpack("{s:I}", "user_id", (json_int_t)rev_user[r]),
                          NULL), NULL, 201);
    expect_status(api("POST", P("/calls/%lld/assignments", (long long)call), admin, jpack("{s:b}", "auto", 1), &j), j, 200);
    json_decref(j);
    for (int i = 0; i < NP; i++)
        for (int r = 0; r < 2; r++) score(call, e[i], r, scores[i], criteria);
    json_decref(criteria);
    expect_status(api("POST", P("/calls/%lld/rounds/1/close", (long long)call), admin, NULL, &j), j, 200);
    json_decref(j);

    /* the proposal: point 0 below the minimum, point 4 last of the four ranked */
    json_t *p = NULL;
    expect_status(api("GET", P("/calls/%lld/recert", (long long)call), admin, NULL, &p), p, 200);
    assert_int_equal(jint(p, "ranked"), 4);
    assert_int_equal(jint(p, "last_place"), 1);
    assert_int_equal(jint(p, "proposed_revoke"), 2);
    json_t *x = row_of(p, e[0]);
    assert_true(json_is_true(jget(x, "below_min")));
    assert_string_equal(jstr(x, "proposal"), "revoke");
    assert_string_equal(jstr(x, "reason"), "未达条件：courses 0 < 1 / below minimum");
    x = row_of(p, e[4]);
    assert_int_equal(jint(x, "rank"), 4);
    assert_string_equal(jstr(x, "proposal"), "revoke");
    assert_non_null(strstr(jstr(x, "reason"), "末位淘汰"));
    for (int i = 1; i <= 3; i++) {
        x = row_of(p, e[i]);
        assert_int_equal(jint(x, "rank"), i);
        assert_string_equal(jstr(x, "proposal"), "keep");
        assert_true(jint(x, "designation_id") > 0);
    }
    json_decref(p);

    /* applied as decisions; the admin overrides point 3 with a reason */
    expect_status(api("POST", P("/calls/%lld/recert/apply", (long long)call), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "applied"), NP);
    assert_string_equal(jstr(row_of(jget(j, "proposal"), e[0]), "outcome"), "revoke");
    assert_string_equal(jstr(row_of(jget(j, "proposal"), e[1]), "outcome"), "keep");
    json_decref(j);
    expect_api_error("POST", P("/entries/%lld/decide", (long long)e[3]), admin, jpack("{s:s, s:s}", "outcome", "selected",
                     "reason", "x"), 422, "invalid_field", "outcome");
    expect_api_error("POST", P("/entries/%lld/decide", (long long)e[3]), admin, jpack("{s:s}", "outcome", "revoke"), 422,
                     "required", "reason");
    expect_status(api("POST", P("/entries/%lld/decide", (long long)e[3]), admin,
                      jpack("{s:s, s:s}", "outcome", "revoke", "reason", "抽查发现台账不实 / records found untrue"), &j), j, 200);
    assert_string_equal(jstr(j, "outcome"), "revoke");
    json_decref(j);
    /* applying again keeps every decision */
    expect_status(api("POST", P("/calls/%lld/recert/apply", (long long)call), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "applied"), 0);
    assert_string_equal(jstr(row_of(jget(j, "proposal"), e[3]), "outcome"), "revoke");
    json_decref(j);

    /* 公示, ended now with a reason, then finalize */
    char valid_to[4][16];
    for (int i = 1; i <= 2; i++) {
        json_t *d = designation_of(i);
        snprintf(valid_to[i], sizeof valid_to[i], "%s", jstr(d, "items.0.valid_to"));
        json_decref(d);
    }
    expect_status(api("POST", P("/calls/%lld/publicity", (long long)call), admin, jpack("{s:s}", "ends_at", "2099-12-31"), &j), j, 200);
    char starts[40];
    snprintf(starts, sizeof starts, "%s", jstr(j, "starts_at"));
    json_decref(j);
    /* the public 公示 page: every holder with its outcome */
    expect_status(api("GET", P("/public/calls/%lld/publicity", (long long)call), NULL, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), NP);
    int revokes = 0;
    json_t *it;
    size_t n;
    json_array_foreach(jget(j, "items"), n, it) revokes += !strcmp(jstr(it, "outcome"), "revoke");
    assert_int_equal(revokes, 3);
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/publicity", (long long)call), admin, jpack("{s:s, s:s}", "ends_at", starts, "reason",
                      "按期结束"), &j), j, 200);
    json_decref(j);
    char year[5];
    snprintf(year, sizeof year, "%.4s", shanghai_at(0));
    int64_t revoked_before = 0;
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=titles_revoked.demo_point", (long long)root, year), admin,
                      NULL, &j), j, 200);
    revoked_before = json_integer_value(json_object_get(jget(j, "values"), "titles_revoked.demo_point"));
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/finalize", (long long)call), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "final");
    json_decref(j);

    /* revoked: points 0 (figure), 4 (last place), 3 (the override), each with its reason */
    const struct { int i; const char *reason; } gone[] = {
        {0, "未达条件：courses 0 < 1 / below minimum"}, {4, NULL}, {3, "抽查发现台账不实 / records found untrue"}};
    for (int k = 0; k < 3; k++) {
        json_t *d = designation_of(gone[k].i);
        assert_string_equal(jstr(d, "items.0.status"), "revoked");
        assert_int_equal(jint(d, "items.0.revoke_call_id"), call);
        if (gone[k].reason) assert_string_equal(jstr(d, "items.0.revoke_reason"), gone[k].reason);
        else assert_non_null(strstr(jstr(d, "items.0.revoke_reason"), "末位淘汰"));
        json_decref(d);
    }
    /* kept: the term runs on by the kind's 2 years */
    for (int i = 1; i <= 2; i++) {
        json_t *d = designation_of(i);
        assert_string_equal(jstr(d, "items.0.status"), "active");
        assert_int_equal(atoi(jstr(d, "items.0.valid_to")), atoi(valid_to[i]) + 2);
        assert_string_equal(jstr(d, "items.0.valid_to") + 4, valid_to[i] + 4);
        json_decref(d);
    }
    /* counted under titles_revoked.demo_point */
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=titles_revoked.demo_point", (long long)root, year), admin,
                      NULL, &j), j, 200);
    assert_int_equal(json_integer_value(json_object_get(jget(j, "values"), "titles_revoked.demo_point")), revoked_before + 3);
    json_decref(j);
    /* the revoked point owes no 24 courses any more; a kept one does */
    expect_status(api("GET", P("/teaching/home?org_id=%lld", (long long)point[0]), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "courses.goal"), 0);
    json_decref(j);
    expect_status(api("GET", P("/teaching/home?org_id=%lld", (long long)point[1]), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "courses.goal"), 24);
    json_decref(j);
}

/* Last place by share: 10 % of 3 ranked is floor 0, at least 1; a tie across the line keeps
 * the whole tie group. No review: ranked by the figures alone. A call of another kind has no
 * proposal (409). */
static void test_share_and_ties(void **state)
{
    (void)state;
    json_t *t = template_of("recertification"), *j = NULL;
    int64_t holders[3];
    for (int i = 0; i < 3; i++) {
        holders[i] = create_org(admin, dist[1], "point", P("份额教学点%d", i));
        expect_status(api("POST", "/designations", admin, jpack("{s:s, s:I}", "kind", "demo_point", "org_id", (json_int_t)holders[i]),
                          NULL), NULL, 201);
    }
    /* courses: 2, 1, 1 (two tied last) */
    hold_course(holders[0], "课"), hold_course(holders[0], "课"), hold_course(holders[1], "课"), hold_course(holders[2], "课");
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)jint(t, "id"), "org_id", (json_int_t)dist[1],
                            "year", atoi(shanghai_at(0)), "title", "乙区复核", "deadline", "2099-12-31"), &j), j, 201);
    int64_t call = jint(j, "id");
    json_decref(j), json_decref(t);
    expect_status(api("PUT", P("/calls/%lld/recert", (long long)call), admin, jpack("{s:{s:i}}", "min_figures", "courses", 1), &j), j,
                  200);
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)call), admin, NULL, &j), j, 200);
    /* the district's call: its own holders (points 2..4 of the first test are revoked or below B too) */
    int64_t total = jint(j, "entries_total");
    json_decref(j);
    json_t *p = NULL;
    expect_status(api("GET", P("/calls/%lld/recert", (long long)call), admin, NULL, &p), p, 200);
    assert_int_equal(jint(p, "ranked"), total);
    assert_int_equal(jint(p, "last_place"), 1);   /* floor(10 % of n) is 0: at least 1 */
    json_t *it;
    size_t k;
    int tied_last = 0;
    json_array_foreach(jget(p, "items"), k, it) {
        if (jint(it, "org_id") == holders[1] || jint(it, "org_id") == holders[2]) {
            /* the two tied at the bottom share a place and are both kept */
            assert_true(json_is_true(jget(it, "tied")));
            assert_string_equal(jstr(it, "proposal"), "keep");
            tied_last++;
        }
    }
    assert_int_equal(tied_last, 2);
    json_decref(p);
    /* another kind of call: no re-certification here */
    t = template_of("lecture_collection");
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)jint(t, "id"), "org_id", (json_int_t)root,
                            "year", atoi(shanghai_at(0)), "title", "讲座征集", "deadline", "2099-12-31"), &j), j, 201);
    int64_t other = jint(j, "id");
    json_decref(j), json_decref(t);
    expect_api_error("GET", P("/calls/%lld/recert", (long long)other), admin, NULL, 409, "call_state", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_cycle),
        cmocka_unit_test(test_share_and_ties),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
