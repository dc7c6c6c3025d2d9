/* test_scope_notices.c - the data-scope matrix of notices (issue 16 A, src/notices/) for the
 * city, a district's admin and staff, another district, two points' staff, a teacher and a
 * volunteer. A notice is read by its sender's scope and, once published, by the scope of its
 * recipient units; the receipt board, the chase and the replies Excel are the sender side's
 * (404 for a recipient, as for a missing notice); a reply is the recipient unit's own (another
 * district, the unit above or below: 404). Teachers and volunteers are below the routes' rank.
 *
 *   root(city) ─┬─ A(district) ─┬─ P(point)
 *               │               └─ Q(point)
 *               └─ B(district) ─── B's point */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "calls_scope_world.h"

static int64_t city_notice, a_notice, city_draft, a_receipt;

static int64_t published(const char *token, json_t *body)
{
    int64_t id = post_id(token, "/notices", body);
    post_id(token, P("/notices/%lld/publish", (long long)id), NULL);
    return id;
}

static int setup(void **state)
{
    if (world_start(state) != 0) return -1;
    city_notice = published(tok[U_ADMIN], jpack("{s:s, s:b, s:s, s:{s:[s]}}", "title", "致各区", "reply_required", 1,
                                                "reply_deadline", "2099-12-31", "target", "org_types", "district"));
    a_notice = published(tok[U_A_ADMIN], jpack("{s:s, s:b, s:s, s:{s:[s]}}", "title", "致甲区各点", "reply_required", 1,
                                              "reply_deadline", "2099-12-31", "target", "org_types", "point"));
    city_draft = post_id(tok[U_ADMIN], "/notices", jpack("{s:s, s:{s:[s]}}", "title", "草稿", "target", "org_types", "district"));
    json_t *j = NULL, *it;
    size_t i;
    expect_status(api("GET", P("/notices/%lld/receipts", (long long)city_notice), tok[U_ADMIN], NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), i, it) if (jint(it, "org_id") == dist_a) a_receipt = jint(it, "id");
    json_decref(j);
    assert_true(a_receipt > 0);
    return 0;
}

static void test_city_notice(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int see[USERS] =        {200,  200,  200,  200,  404,  404,  403,  403};
    static const int board[USERS] =      {200,  404,  404,  404,  404,  404,  403,  403};
    static const int reply[USERS] =      {404,  200,  200,  200,  404,  404,  403,  403};
    static const int chase[USERS] =      {200,  404,  403,  404,  403,  403,  403,  403};
    static const int files[USERS] =      {200,  200,  200,  200,  404,  404,  404,  404};
    static const int receipt[USERS] =    {200,  200,  200,  404,  404,  404,  404,  404};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/notices/%lld", city_notice, NULL, see[u]);
        row(u, "GET", "/notices/%lld/receipts", city_notice, NULL, board[u]);
        row(u, "GET", "/notices/%lld/replies.xlsx", city_notice, NULL, board[u]);
        row(u, "PUT", "/notices/%lld/reply", city_notice, "{\"text\": \"收到\"}", reply[u]);
        row(u, "POST", "/notices/%lld/chase", city_notice, "{\"who\": \"unread\"}", chase[u]);
        row(u, "GET", "/notices/%lld/files", city_notice, NULL, files[u]);
        row(u, "GET", "/notice-receipts/%lld/files", a_receipt, NULL, receipt[u]);
    }
    row(-1, "GET", "/notices/%lld", city_notice, NULL, 401);
    assert_int_equal(failures, 0);
}

static void test_district_notice(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int see[USERS] =        {200,  200,  200,  404,  200,  200,  403,  403};
    static const int board[USERS] =      {200,  200,  200,  404,  404,  404,  403,  403};
    static const int reply[USERS] =      {404,  404,  404,  404,  200,  200,  403,  403};
    static const int reopen[USERS] =     {200,  200,  403,  404,  403,  403,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/notices/%lld", a_notice, NULL, see[u]);
        row(u, "GET", "/notices/%lld/receipts", a_notice, NULL, board[u]);
        row(u, "PUT", "/notices/%lld/reply", a_notice, "{\"text\": \"收到\"}", reply[u]);
        row(u, "POST", "/notices/%lld/reopen", a_notice, "{\"reply_deadline\": \"2099-12-30\"}", reopen[u]);
    }
    /* the lists: B's inbox and sent hold nothing of A's */
    json_t *j = NULL;
    expect_status(api("GET", "/notices?box=inbox", tok[U_B_ADMIN], NULL, &j), j, 200);
    assert_false(items_have_id(jget(j, "items"), a_notice));
    assert_true(items_have_id(jget(j, "items"), city_notice));
    json_decref(j);
    expect_status(api("GET", "/notices?box=sent", tok[U_B_ADMIN], NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 0);
    json_decref(j);
    expect_status(api("GET", "/notices?box=inbox", tok[U_P_STAFF], NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), a_notice));
    assert_false(items_have_id(jget(j, "items"), city_notice));
    json_decref(j);
    assert_int_equal(failures, 0);
}

static void test_draft_and_writes(void **state)
{
    (void)state;
    /* a draft is its sender's alone; writes need an admin over the sender */
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int see[USERS] =        {200,  404,  404,  404,  404,  404,  403,  403};
    static const int write[USERS] =      {200,  404,  403,  404,  403,  403,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/notices/%lld", city_draft, NULL, see[u]);
        row(u, "PATCH", "/notices/%lld", city_draft, "{\"title\": \"改过的草稿\"}", write[u]);
    }
    for (int u = USERS - 1; u >= 0; u--) {   /* the city admin last: it publishes */
        row(u, "POST", "/notices/%lld/withdraw", city_draft, "{\"reason\": \"x\"}", write[u] == 200 ? 409 : write[u]);
        row(u, "POST", "/notices/%lld/correction", city_draft, "{}", write[u] == 200 ? 409 : write[u]);
        row(u, "POST", "/notices/%lld/publish", city_draft, NULL, write[u]);
    }
    /* the district admin cannot send into the sibling district */
    int64_t d = post_id(tok[U_A_ADMIN], "/notices", jpack("{s:s, s:{s:[I]}}", "title", "越界", "target", "org_ids", (json_int_t)point_b));
    expect_api_error("POST", P("/notices/%lld/publish", (long long)d), tok[U_A_ADMIN], NULL, 422, "invalid_field", "target");
    expect_api_error("POST", "/notices", tok[U_A_ADMIN], jpack("{s:s, s:I}", "title", "冒名", "org_id", (json_int_t)dist_b), 404,
                     "not_found", "org_id");
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_city_notice),
        cmocka_unit_test(test_district_notice),
        cmocka_unit_test(test_draft_and_writes),
    };
    return run_api_tests(tests, setup, teardown);
}
