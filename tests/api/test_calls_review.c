/* test_calls_review.c - review and ranking of a call over HTTP (issue 15, package B): a city's
 * call (blind, two weighted criteria, trimmed mean) closes to review; reviewers from three
 * districts are named; automatic assignment gives each entry two reviewers, none of the entry's
 * own district, loads differing by at most one, idempotent; a reviewer sees only its sheets, the
 * entry without unit or names, no other score until the round closes; a draft, a submit (locked),
 * a reopen with a reason (audited); the trimmed mean and the outlier flag; the ranking with its
 * tie rules (并列, then the tie criterion), paged; the award proposal by count and share with a
 * boundary tie; closing the round stores the ranks. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

enum { RA, RB, RC, RCITY, RD, NREV };
static char *admin, *a_admin, *ent[5], *rev[NREV];
static int64_t root, dist[4], rev_user[NREV], call_id, entry[5];
enum { A1, A2, B1, B2, C1 };
static const int entry_dist[5] = {0, 0, 1, 1, 2};   /* districts A, B, C */
static const int rev_dist[NREV] = {0, 1, 2, -1, 3};  /* RCITY: the city itself; RD: district D (no entries) */

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    const char *dn[] = {"评审甲区", "评审乙区", "评审丙区", "评审丁区"};
    for (int i = 0; i < 4; i++) dist[i] = create_org(admin, root, "district", dn[i]);
    const char *pn[] = {"甲一点", "甲二点", "乙一点", "乙二点", "丙一点"};
    for (int i = 0; i < 5; i++) {
        int64_t point = create_org(admin, dist[entry_dist[i]], "point", pn[i]);
        create_user(admin, P("cr_e%d", i), point, "staff", "org", 0);
        ent[i] = login(P("cr_e%d", i), USER_PASSWORD);
    }
    for (int i = 0; i < NREV; i++) {
        rev_user[i] = create_user(admin, P("cr_r%d", i), rev_dist[i] < 0 ? root : dist[rev_dist[i]], "staff", "org", 0);
        rev[i] = login(P("cr_r%d", i), USER_PASSWORD);
    }
    create_user(admin, "cr_a_admin", dist[0], "org_admin", "subtree", 0);
    a_admin = login("cr_a_admin", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin);
    for (int i = 0; i < 5; i++) free(ent[i]);
    for (int i = 0; i < NREV; i++) free(rev[i]);
    return server_stop(state);
}

static const char FORM[] = "[{\"key\":\"name\",\"label\":\"作品名称\",\"type\":\"text\",\"required\":true},"
                           "{\"key\":\"tutor\",\"label\":\"指导教师\",\"type\":\"person\",\"person_kind\":\"any\"}]";
static const char REVIEW[] =
    "{\"per_entry\":2,\"blind\":true,\"aggregate\":\"trimmed_mean\",\"trim\":1,\"outlier_points\":30,\"tie\":\"innov\","
    "\"criteria\":[{\"key\":\"innov\",\"label\":\"创新\",\"max\":10,\"weight\":3},"
    "{\"key\":\"feas\",\"label\":\"可行\",\"max\":10,\"weight\":1}]}";
static const char AWARDS[] = "[{\"level\":\"一等奖\",\"count\":1},{\"level\":\"二等奖\",\"count\":2},{\"level\":\"三等奖\",\"share\":20}]";

static const char *C(const char *fmt) { return P(fmt, (long long)call_id); }

static int who(int64_t user_id)
{
    for (int i = 0; i < NREV; i++) if (rev_user[i] == user_id) return i;
    return -1;
}

/* The sheet of entry e assigned to reviewer i (0: none). */
static int64_t sheet_of(int e, int i)
{
    json_t *j = NULL, *it;
    size_t k;
    int64_t id = 0;
    expect_status(api("GET", P("/calls/%lld/assignments?entry_id=%lld", (long long)call_id, (long long)entry[e]), admin,
                      NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), k, it) if (jint(it, "user_id") == rev_user[i]) id = jint(it, "id");
    json_decref(j);
    return id;
}

static json_t *scores(int innov, int feas)
{
    return jpack("{s:{s:{s:i, s:s}, s:{s:i}}, s:s}", "scores", "innov", "score", innov, "comment", "有新意", "feas",
                 "score", feas, "comment", "总体可行");
}

static void submit(int e, int i, int innov, int feas)
{
    json_t *j = NULL;
    int64_t id = sheet_of(e, i);
    assert_true(id > 0);
    expect_status(api("POST", P("/reviews/%lld/submit", (long long)id), rev[i], scores(innov, feas), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "submitted");
    json_decref(j);
}

static void test_assign_conflicts_and_balance(void **state)
{
    (void)state;
    json_t *j = NULL, *f = json_loads(FORM, 0, NULL), *rv = json_loads(REVIEW, 0, NULL), *aw = json_loads(AWARDS, 0, NULL);
    expect_status(api("POST", "/call-templates", admin,
                      jpack("{s:s, s:s, s:s, s:{s:o, s:[], s:s, s:[s], s:o, s:o}}", "code", "t_review", "name", "评审模板",
                            "kind", "contest", "config", "form", f, "stages", "eligible", "types", "eligible_types",
                            "point", "review", rv, "awards", aw), &j), j, 201);
    int64_t template_id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)template_id, "org_id", (json_int_t)root,
                            "year", 2026, "title", "2026年科技创新作品评选", "deadline", "2099-10-31"), &j), j, 201);
    call_id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", C("/calls/%lld/open"), admin, NULL, NULL), NULL, 200);
    for (int i = 0; i < 5; i++) {
        expect_status(api("POST", C("/calls/%lld/entries"), ent[i],
                          jpack("{s:s, s:{s:s, s:{s:s}}}", "title", P("作品%d", i), "values", "name", P("作品%d", i), "tutor",
                                "name", "张老师"), &j), j, 201);
        entry[i] = jint(j, "id");
        json_decref(j);
        expect_status(api("POST", P("/entries/%lld/submit", (long long)entry[i]), ent[i], NULL, NULL), NULL, 200);
    }
    /* an open call is not yet in review */
    expect_api_error("POST", C("/calls/%lld/assignments"), admin, jpack("{s:b}", "auto", 1), 409, "call_state", "status");
    expect_status(api("POST", C("/calls/%lld/close"), admin, NULL, NULL), NULL, 200);
    expect_api_error("POST", C("/calls/%lld/assignments"), admin, jpack("{s:b}", "auto", 1), 409, "not_enough_reviewers",
                     "per_entry");
    for (int i = RA; i <= RC; i++)
        expect_status(api("POST", C("/calls/%lld/reviewers"), admin, jpack("{s:I}", "user_id", (json_int_t)rev_user[i]), NULL),
                      NULL, 201);
    expect_api_error("POST", C("/calls/%lld/reviewers"), admin, jpack("{s:I}", "user_id", (json_int_t)rev_user[RA]), 409,
                     "duplicate", "user_id");
    expect_api_error("POST", C("/calls/%lld/reviewers"), a_admin, jpack("{s:I}", "user_id", (json_int_t)rev_user[RD]), 404,
                     "not_found", NULL);
    expect_api_error("POST", C("/calls/%lld/reviewers"), admin, jpack("{s:I}", "user_id", (json_int_t)999999), 404,
                     "not_found", "user_id");
    /* by hand: never a reviewer of the entry's own district */
    expect_api_error("POST", C("/calls/%lld/assignments"), admin,
                     jpack("{s:I, s:I}", "entry_id", (json_int_t)entry[A1], "user_id", (json_int_t)rev_user[RA]), 409,
                     "reviewer_conflict", "user_id");
    /* automatic: two an entry, 10 sheets over 3 reviewers, loads 3/3/4; a second run adds none */
    expect_status(api("POST", C("/calls/%lld/assignments"), admin, jpack("{s:b}", "auto", 1), &j), j, 200);
    assert_int_equal(jint(j, "assigned"), 10);
    json_decref(j);
    expect_status(api("POST", C("/calls/%lld/assignments"), admin, jpack("{s:b}", "auto", 1), &j), j, 200);
    assert_int_equal(jint(j, "assigned"), 0);
    json_decref(j);
    json_t *it;
    size_t k;
    int per_entry[5] = {0};
    expect_status(api("GET", C("/calls/%lld/assignments?page_size=100"), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 10);
    json_array_foreach(jget(j, "items"), k, it) {
        int r = who(jint(it, "user_id")), e = -1;
        for (int i = 0; i < 5; i++) if (entry[i] == jint(it, "entry_id")) e = i;
        assert_true(r >= 0 && e >= 0);
        assert_int_not_equal(rev_dist[r], entry_dist[e]);
        per_entry[e]++;
    }
    json_decref(j);
    for (int i = 0; i < 5; i++) assert_int_equal(per_entry[i], 2);
    int64_t lo = 99, hi = 0;
    expect_status(api("GET", C("/calls/%lld/reviewers"), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 3);
    json_array_foreach(jget(j, "items"), k, it) {
        lo = jint(it, "assigned") < lo ? jint(it, "assigned") : lo, hi = jint(it, "assigned") > hi ? jint(it, "assigned") : hi;
    }
    json_decref(j);
    assert_true(hi - lo <= 1 && lo == 3);
    /* under review: the entrant can no longer withdraw it */
    expect_status(api("GET", P("/entries/%lld", (long long)entry[A1]), ent[A1], NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "under_review");
    json_decref(j);
    expect_api_error("POST", P("/entries/%lld/withdraw", (long long)entry[A1]), ent[A1], NULL, 409, "entry_state", NULL);
    /* a district sees no assignment of the city's call */
    expect_api_error("GET", C("/calls/%lld/assignments"), a_admin, NULL, 404, "not_found", NULL);
}

static void test_sheet_blind_submit_reopen(void **state)
{
    (void)state;
    json_t *j = NULL;
    int64_t id = sheet_of(C1, RA);
    assert_true(id > 0);
    /* RA's own sheets only; another reviewer's sheet is not found */
    assert_int_equal(list_total(rev[RA], "/reviews"), 3);
    expect_api_error("GET", P("/reviews/%lld", (long long)id), rev[RB], NULL, 404, "not_found", NULL);
    expect_api_error("PUT", P("/reviews/%lld", (long long)id), rev[RB], scores(10, 10), 404, "not_found", NULL);
    /* blind: no unit, no subject, no person value; the criteria with their maxima in tenths */
    expect_status(api("GET", P("/reviews/%lld", (long long)id), rev[RA], NULL, &j), j, 200);
    assert_true(json_is_true(jget(j, "entry.blind")));
    assert_null(jget(j, "entry.org_name"));
    assert_null(jget(j, "entry.values.tutor"));
    assert_string_equal(jstr(j, "entry.values.name"), "作品4");
    assert_non_null(jstr(j, "blind_code"));
    assert_string_equal(jstr(j, "scores.0.key"), "innov");
    assert_int_equal(jint(j, "scores.0.max"), 100);
    assert_true(json_is_null(jget(j, "scores.0.score")));
    assert_true(json_is_null(jget(j, "others")));
    json_decref(j);
    /* a draft keeps what is given; submitting asks every criterion within its range */
    expect_status(api("PUT", P("/reviews/%lld", (long long)id), rev[RA], jpack("{s:{s:{s:i}}}", "scores", "innov", "score", 50),
                      &j), j, 200);
    assert_string_equal(jstr(j, "status"), "assigned");
    assert_int_equal(jint(j, "scores.0.score"), 50);
    assert_true(json_is_null(jget(j, "scores.1.score")));
    json_decref(j);
    expect_api_error("POST", P("/reviews/%lld/submit", (long long)id), rev[RA], NULL, 422, "invalid_field", "scores");
    expect_api_error("POST", P("/reviews/%lld/submit", (long long)id), rev[RA], scores(101, 50), 422, "invalid_field", "scores");
    expect_api_error("PUT", P("/reviews/%lld", (long long)id), rev[RA], jpack("{s:{s:{s:i}}}", "scores", "x", "score", 5), 422,
                     "invalid_field", "scores");
    expect_status(api("POST", P("/reviews/%lld/submit", (long long)id), rev[RA], scores(60, 60), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "submitted");
    assert_int_equal(jint(j, "total"), 6000);
    json_decref(j);
    /* locked: only a manager reopens it, with a reason, audited */
    expect_api_error("PUT", P("/reviews/%lld", (long long)id), rev[RA], scores(80, 80), 409, "review_state", "status");
    expect_api_error("POST", P("/reviews/%lld/reopen", (long long)id), rev[RA], jpack("{s:s}", "reason", "x"), 403, "forbidden", NULL);
    expect_api_error("POST", P("/reviews/%lld/reopen", (long long)id), admin, jpack("{}"), 422, "required", "reason");
    expect_status(api("POST", P("/reviews/%lld/reopen", (long long)id), admin, jpack("{s:s}", "reason", "评分录入有误"), &j), j,
                  200);
    assert_string_equal(jstr(j, "status"), "reopened");
    assert_string_equal(jstr(j, "reopened_reason"), "评分录入有误");
    json_decref(j);
    expect_api_error("POST", P("/reviews/%lld/reopen", (long long)id), admin, jpack("{s:s}", "reason", "再次"), 409,
                     "review_state", "status");
    assert_int_equal(list_total(admin, P("/audit?entity=call_review_assignment&entity_id=%lld&action=reopen", (long long)id)), 1);
    assert_int_equal(list_total(admin, P("/audit?entity=call_review_assignment&entity_id=%lld&action=score_submit",
                                         (long long)id)), 1);
    submit(C1, RA, 80, 80);
}

static void expect_rank(json_t *item, int e, int rank, bool tied, int agg, int mean)
{
    assert_int_equal(jint(item, "id"), entry[e]);
    assert_int_equal(jint(item, "rank"), rank);
    assert_int_equal(json_is_true(jget(item, "tied")), tied);
    assert_int_equal(jint(item, "score_agg"), agg);
    assert_int_equal(jint(item, "score_mean"), mean);
}

static void test_aggregate_rank_propose_close(void **state)
{
    (void)state;
    json_t *j = NULL;
    /* C1 gets two more reviewers by hand: the city's own and district D's */
    for (int i = RCITY; i <= RD; i++) {
        expect_status(api("POST", C("/calls/%lld/reviewers"), admin, jpack("{s:I}", "user_id", (json_int_t)rev_user[i]), NULL),
                      NULL, 201);
        expect_status(api("POST", C("/calls/%lld/assignments"), admin,
                          jpack("{s:I, s:I}", "entry_id", (json_int_t)entry[C1], "user_id", (json_int_t)rev_user[i]), &j), j,
                      201);
        assert_string_equal(jstr(j, "status"), "assigned");
        json_decref(j);
    }
    expect_api_error("POST", C("/calls/%lld/assignments"), admin,
                     jpack("{s:I, s:I}", "entry_id", (json_int_t)entry[C1], "user_id", (json_int_t)rev_user[RD]), 409,
                     "duplicate", "user_id");
    /* the other reviewer of C1 sees no other score while the round is open */
    int other = sheet_of(C1, RB) ? RB : -1;
    assert_int_equal(other, RB);
    submit(C1, RB, 80, 80), submit(C1, RCITY, 70, 70);
    expect_api_error("POST", C("/calls/%lld/rounds/1/close"), admin, NULL, 409, "reviews_pending", NULL);
    submit(C1, RD, 20, 20);
    /* B1 7500 by mean; C1 8000/8000/7000/2000: mean 6250, trimmed 7500; A1 and A2 equal (并列);
     * B2 equal to them on the totals but lower on the tie criterion */
    for (int r = 0; r < NREV; r++) {
        if (sheet_of(B1, r)) submit(B1, r, r == RA ? 80 : 70, r == RA ? 80 : 70);
        if (sheet_of(A1, r)) submit(A1, r, 60, 60);
        if (sheet_of(A2, r)) submit(A2, r, 60, 60);
        if (sheet_of(B2, r)) submit(B2, r, 50, 90);
    }
    expect_status(api("GET", C("/calls/%lld/ranking"), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 5);
    json_t *items = jget(j, "items");
    expect_rank(json_array_get(items, 0), B1, 1, false, 7500, 7500);
    expect_rank(json_array_get(items, 1), C1, 2, false, 7500, 6250);
    expect_rank(json_array_get(items, 2), A1, 3, true, 6000, 6000);
    expect_rank(json_array_get(items, 3), A2, 3, true, 6000, 6000);
    expect_rank(json_array_get(items, 4), B2, 5, false, 6000, 6000);
    assert_int_equal(jint(json_array_get(items, 1), "score_spread"), 6000);
    assert_int_equal(jint(json_array_get(items, 1), "n_reviews"), 4);
    json_decref(j);
    /* paged: the third page of two holds B2 alone, still fifth */
    expect_status(api("GET", C("/calls/%lld/ranking?page=3&page_size=2"), admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    expect_rank(json_array_get(jget(j, "items"), 0), B2, 5, false, 6000, 6000);
    json_decref(j);
    /* a tie across a page's start: A2 opens page 2 of three, still third and tied with A1 */
    expect_status(api("GET", C("/calls/%lld/ranking?page=2&page_size=3"), admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    expect_rank(json_array_get(jget(j, "items"), 0), A2, 3, true, 6000, 6000);
    expect_rank(json_array_get(jget(j, "items"), 1), B2, 5, false, 6000, 6000);
    json_decref(j);
    /* and across its end: A1 closes page 1 of three, tied with A2 on the next */
    expect_status(api("GET", C("/calls/%lld/ranking?page=1&page_size=3"), admin, NULL, &j), j, 200);
    expect_rank(json_array_get(jget(j, "items"), 2), A1, 3, true, 6000, 6000);
    json_decref(j);
    expect_api_error("GET", C("/calls/%lld/ranking"), a_admin, NULL, 404, "not_found", NULL);
    /* the outlier: D's sheet of C1 is far from the others; D is flagged */
    expect_status(api("GET", C("/calls/%lld/reviewers"), admin, NULL, &j), j, 200);
    json_t *it;
    size_t k;
    json_array_foreach(jget(j, "items"), k, it) {
        int r = who(jint(it, "user_id"));
        assert_int_equal(jint(it, "outliers"), r == RD);
        assert_int_equal(json_is_true(jget(it, "flagged")), r == RD);
    }
    json_decref(j);
    /* awards: 1 first, 2 second, 20% third (1): A1 and A2 tie at the second's boundary, both
     * take it and the third level has no place left for B2 */
    expect_status(api("POST", C("/calls/%lld/awards/propose"), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "ranked"), 5);
    assert_int_equal(json_array_size(jget(j, "items")), 4);
    const char *want[] = {"一等奖", "二等奖", "二等奖", "二等奖"};
    for (int i = 0; i < 4; i++) assert_string_equal(jstr(json_array_get(jget(j, "items"), (size_t)i), "level"), want[i]);
    json_decref(j);
    /* while open, RB sees no other total of C1; after the round closes, the three others */
    int64_t rb_sheet = sheet_of(C1, RB);
    expect_status(api("GET", P("/reviews/%lld", (long long)rb_sheet), rev[RB], NULL, &j), j, 200);
    assert_true(json_is_null(jget(j, "others")));
    json_decref(j);
    expect_api_error("POST", C("/calls/%lld/rounds/2/close"), admin, NULL, 404, "not_found", NULL);
    expect_status(api("POST", C("/calls/%lld/rounds/1/close"), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "deciding");
    json_decref(j);
    expect_api_error("POST", C("/calls/%lld/rounds/1/close"), admin, NULL, 409, "call_state", "status");
    expect_status(api("GET", P("/reviews/%lld", (long long)rb_sheet), rev[RB], NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "others")), 3);
    assert_int_equal(jint(j, "others.0"), 8000);
    assert_int_equal(jint(j, "others.2"), 2000);
    json_decref(j);
    /* closed: no more scoring nor reopening */
    expect_api_error("PUT", P("/reviews/%lld", (long long)rb_sheet), rev[RB], scores(10, 10), 409, "call_state", "status");
    expect_api_error("POST", P("/reviews/%lld/reopen", (long long)rb_sheet), admin, jpack("{s:s}", "reason", "晚了"), 409,
                     "call_state", "status");
    assert_int_equal(list_total(admin, P("/audit?entity=call&entity_id=%lld&action=close_round", (long long)call_id)), 1);
    assert_int_equal(list_total(admin, P("/audit?entity=call&entity_id=%lld&action=auto_assign", (long long)call_id)), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_assign_conflicts_and_balance),
        cmocka_unit_test(test_sheet_blind_submit_reopen),
        cmocka_unit_test(test_aggregate_rank_propose_close),
    };
    return run_api_tests(tests, setup, teardown);
}
