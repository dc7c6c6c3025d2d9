/* test_notices.c - notices (issue 16 A, src/notices/): compose and publish to units chosen by
 * type, subtree or name (resolved into one recipient row per unit); a recipient unit opening the
 * notice marks its receipt read; a reply with names (phones masked) before the deadline and not
 * after it unless reopened; the receipt board's counts; chase at most once a day; the replies
 * Excel; a correction sent to the same units; withdraw; scheduled notices unseen until due; the
 * public pages; bad input answered 422 with nothing changed; the body's HTML sanitized.
 *
 *   root(city) ─┬─ A(district) ─┬─ A1(point)
 *               │               └─ A2(point)
 *               ├─ B(district) ─── B1(point)
 *               └─ C(district) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *a_admin, *b_admin, *a1_staff;
static int64_t root, dist_a, dist_b, dist_c, point_a1, point_a2, point_b1;

static int setup(void **state)
{
    setenv("KEPU_PUBLIC_NOTICES_LIMIT", "12", 1);   /* the public routes' limit per address, reached below */
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "通知甲区");
    dist_b = create_org(admin, root, "district", "通知乙区");
    dist_c = create_org(admin, root, "district", "通知丙区");
    point_a1 = create_org(admin, dist_a, "point", "甲区一点");
    point_a2 = create_org(admin, dist_a, "point", "甲区二点");
    point_b1 = create_org(admin, dist_b, "point", "乙区一点");
    create_user(admin, "n_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "n_b_admin", dist_b, "org_admin", "subtree", 0);
    create_user(admin, "n_a1_staff", point_a1, "staff", "org", 0);
    a_admin = login("n_a_admin", USER_PASSWORD);
    b_admin = login("n_b_admin", USER_PASSWORD);
    a1_staff = login("n_a1_staff", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(b_admin), free(a1_staff);
    return server_stop(state);
}

/* A draft by token with the given members (body taken); its id. */
static int64_t draft(const char *token, json_t *body)
{
    json_t *j = NULL;
    expect_status(api("POST", "/notices", token, body, &j), j, 201);
    assert_string_equal(jstr(j, "state"), "draft");
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

/* Publishes id now; the number of recipient units. */
static int64_t publish(const char *token, int64_t id)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/notices/%lld/publish", (long long)id), token, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "state"), "published");
    int64_t n = jint(j, "recipients_total");
    json_decref(j);
    return n;
}

/* The counts of the receipt board of id as token sees it. */
static json_t *board(const char *token, int64_t id, const char *state)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/notices/%lld/receipts%s%s", (long long)id, state ? "?state=" : "", state ? state : ""), token, NULL, &j),
                  j, 200);
    return j;
}

static int64_t reply_notice(const char *title, const char *deadline, bool names)
{
    return draft(admin, jpack("{s:s, s:s, s:s, s:b, s:s, s:b, s:{s:[s]}, s:s, s:s}", "title", title, "doc_no", "渝科协发〔2026〕1号",
                              "body", "<p>请各区于截止前报送</p>", "reply_required", 1, "reply_deadline", deadline, "reply_names", names,
                              "target", "org_types", "district", "contact_name", "王老师", "contact_phone", "023-63001234"));
}

static void test_publish_targeting(void **state)
{
    (void)state;
    int64_t all = draft(admin, jpack("{s:s, s:{s:[s]}}", "title", "致各区", "target", "org_types", "district"));
    assert_int_equal(publish(admin, all), 3);
    int64_t sub = draft(admin, jpack("{s:s, s:{s:[s], s:I}}", "title", "致甲区各点", "target", "org_types", "point", "under",
                                     (json_int_t)dist_a));
    assert_int_equal(publish(admin, sub), 2);
    int64_t named = draft(admin, jpack("{s:s, s:{s:[I, I]}}", "title", "致两个单位", "target", "org_ids", (json_int_t)point_b1,
                                       (json_int_t)dist_c));
    assert_int_equal(publish(admin, named), 2);
    /* the district's own notice reaches its points only; a sibling's point is refused, nothing sent */
    int64_t own = draft(a_admin, jpack("{s:s, s:{s:[I]}}", "title", "甲区通知", "target", "org_ids", (json_int_t)point_b1));
    expect_api_error("POST", P("/notices/%lld/publish", (long long)own), a_admin, NULL, 422, "invalid_field", "target");
    json_t *j = NULL;
    expect_status(api("GET", P("/notices/%lld", (long long)own), a_admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "state"), "draft");
    assert_int_equal(jint(j, "recipients_total"), 0);
    json_decref(j);
    expect_status(api("PATCH", P("/notices/%lld", (long long)own), a_admin,
                      jpack("{s:{s:[s]}}", "target", "org_types", "point"), &j), j, 200);
    json_decref(j);
    assert_int_equal(publish(a_admin, own), 2);
    /* an empty target: 422, still a draft; a published one is not changed by PATCH */
    int64_t none = draft(admin, jpack("{s:s}", "title", "无对象"));
    expect_api_error("POST", P("/notices/%lld/publish", (long long)none), admin, NULL, 422, "no_recipients", "target");
    expect_api_error("PATCH", P("/notices/%lld", (long long)all), admin, jpack("{s:s}", "title", "改"), 409, "notice_state", NULL);
    expect_api_error("POST", P("/notices/%lld/publish", (long long)all), admin, NULL, 409, "notice_state", NULL);
    /* the inbox of a point of A holds the subtree notice and A's own, not the districts' one */
    expect_status(api("GET", "/notices?box=inbox", a1_staff, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 2);
    assert_true(items_have_id(jget(j, "items"), sub) && items_have_id(jget(j, "items"), own));
    json_decref(j);
    expect_status(api("GET", "/notices?box=sent", a_admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    json_decref(j);
}

static void test_read_reply_board_export(void **state)
{
    (void)state;
    int64_t id = reply_notice("关于报送科普日联络员的通知", "2099-12-31", true);
    assert_int_equal(publish(admin, id), 3);
    json_t *j = board(admin, id, NULL);
    assert_int_equal(jint(j, "counts.total"), 3);
    assert_int_equal(jint(j, "counts.unread"), 3);
    assert_int_equal(jint(j, "counts.not_replied"), 3);
    json_decref(j);
    /* the inbox shows it unread; opening it marks A read (first reader kept) */
    expect_status(api("GET", "/notices?box=inbox&unread=1", a_admin, NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), id));
    json_decref(j);
    expect_status(api("GET", P("/notices/%lld", (long long)id), a_admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "contact_phone"), "023-63001234");
    assert_false(json_is_true(jget(j, "manages")));
    json_decref(j);
    expect_status(api("GET", "/notices?box=inbox&unread=1", a_admin, NULL, &j), j, 200);
    assert_false(items_have_id(jget(j, "items"), id));
    json_decref(j);
    j = board(admin, id, "read");
    assert_int_equal(jint(j, "counts.read"), 1);
    assert_int_equal(jint(j, "total"), 1);
    assert_int_equal(jint(j, "items.0.org_id"), dist_a);
    assert_string_equal(jstr(j, "items.0.read_by_name"), "n_a_admin");
    json_decref(j);
    /* names are required; then two names, the phones forgiving and masked in answers */
    expect_api_error("PUT", P("/notices/%lld/reply", (long long)id), a_admin, jpack("{s:s}", "text", "已收到"), 422, "required", "names");
    expect_api_error("PUT", P("/notices/%lld/reply", (long long)id), a_admin,
                     jpack("{s:s, s:[{s:s, s:s}]}", "text", "x", "names", "name", "张三", "phone", "12345"), 422, "invalid_field",
                     "names.0.phone");
    expect_status(api("PUT", P("/notices/%lld/reply", (long long)id), a_admin,
                      jpack("{s:s, s:[{s:s, s:s, s:s}, {s:s, s:s, s:s}]}", "text", "甲区报送两人", "names", "name", "张三", "unit",
                            "甲区科协 科员", "phone", "138 0013 8000", "name", "李四", "unit", "甲区一点 负责人", "phone", "139-0013-9000"),
                      &j),
                  j, 200);
    json_decref(j);
    expect_status(api("GET", P("/notices/%lld", (long long)id), a_admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "my_receipt.names")), 2);
    assert_string_equal(jstr(j, "my_receipt.names.0.name"), "张三");
    char *text = json_dumps(j, 0);
    bool clear = strstr(text, "13800138000") != NULL;
    free(text);
    assert_false(clear);
    assert_non_null(strstr(jstr(j, "my_receipt.names.0.phone"), "*"));
    json_decref(j);
    /* another district cannot reply for A nor read the board */
    expect_api_error("GET", P("/notices/%lld/receipts", (long long)id), a_admin, NULL, 404, "not_found", NULL);
    j = board(admin, id, "replied");
    assert_int_equal(jint(j, "counts.replied"), 1);
    assert_int_equal(jint(j, "counts.unread"), 2);
    assert_int_equal(jint(j, "counts.not_replied"), 2);
    assert_int_equal(jint(j, "items.0.names"), 2);
    json_decref(j);
    j = board(admin, id, "not_replied");
    assert_int_equal(jint(j, "total"), 2);
    assert_false(items_have_id(jget(j, "items"), 0));
    json_decref(j);
    /* the Excel: one row per name */
    http_resp resp;
    expect_status(api_full("GET", P("/notices/%lld/replies.xlsx", (long long)id), admin, NULL, &resp), resp.json, 200);
    char *xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "张三"));
    assert_non_null(strstr(xml, "李四"));
    assert_non_null(strstr(xml, "通知乙区"));
    assert_null(strstr(xml, "13800138000"));
    free(xml);
    http_resp_free(&resp);
    /* chase: the two not replied, then nobody again the same day */
    expect_status(api("POST", P("/notices/%lld/chase", (long long)id), admin,
                      jpack("{s:s, s:[s]}", "who", "not_replied", "channels", "email"), &j),
                  j, 200);
    assert_int_equal(jint(j, "units"), 2);
    assert_int_equal(jint(j, "users"), 1);   /* B's admin; C has no users */
    json_decref(j);
    expect_status(api("POST", P("/notices/%lld/chase", (long long)id), admin, jpack("{s:s}", "who", "not_replied"), &j), j, 200);
    assert_int_equal(jint(j, "units"), 0);
    json_decref(j);
    expect_api_error("POST", P("/notices/%lld/chase", (long long)id), admin, jpack("{s:s}", "who", "everyone"), 422, "*", "who");
    assert_true(list_total(admin, P("/audit?entity=notice&entity_id=%lld", (long long)id)) >= 3);
}

static void test_deadline_reopen(void **state)
{
    (void)state;
    int64_t id = reply_notice("已截止的回执", shanghai_at(-3600), false);
    publish(admin, id);
    expect_api_error("PUT", P("/notices/%lld/reply", (long long)id), b_admin, jpack("{s:s}", "text", "迟到"), 422,
                     "reply_deadline_passed", "reply_deadline");
    json_t *j = board(admin, id, NULL);
    assert_int_equal(jint(j, "counts.overdue"), 3);
    assert_int_equal(jint(j, "counts.replied"), 0);
    json_decref(j);
    expect_api_error("POST", P("/notices/%lld/reopen", (long long)id), b_admin, jpack("{s:s}", "reply_deadline", "2099-01-01"), 404,
                     "not_found", NULL);
    expect_status(api("POST", P("/notices/%lld/reopen", (long long)id), admin, jpack("{s:s}", "reply_deadline", "2099-01-01"), &j), j,
                  200);
    json_decref(j);
    expect_status(api("PUT", P("/notices/%lld/reply", (long long)id), b_admin, jpack("{s:s}", "text", "补报"), &j), j, 200);
    json_decref(j);
    j = board(admin, id, NULL);
    assert_int_equal(jint(j, "counts.overdue"), 0);
    assert_int_equal(jint(j, "counts.replied"), 1);
    json_decref(j);
}

static void test_correction_withdraw(void **state)
{
    (void)state;
    int64_t id = reply_notice("关于举办培训班的通知", "2099-12-31", false);
    publish(admin, id);
    json_t *j = NULL;
    expect_status(api("POST", P("/notices/%lld/correction", (long long)id), admin, jpack("{s:s}", "body", "<p>时间改为周五</p>"), &j), j,
                  201);
    int64_t fix = jint(j, "id");
    assert_int_equal(jint(j, "corrects_id"), id);
    assert_int_equal(jint(j, "recipients_total"), 3);
    assert_non_null(strstr(jstr(j, "title"), "更正"));
    json_decref(j);
    expect_status(api("GET", P("/notices/%lld", (long long)id), b_admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "corrected_by"), fix);
    json_decref(j);
    expect_status(api("GET", P("/notices/%lld", (long long)fix), b_admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "corrects_title"), "关于举办培训班的通知");
    json_decref(j);
    /* withdraw: a reason, then the recipients see it withdrawn and cannot reply */
    expect_api_error("POST", P("/notices/%lld/withdraw", (long long)fix), admin, jpack("{}"), 422, "required", "reason");
    expect_status(api("POST", P("/notices/%lld/withdraw", (long long)fix), admin, jpack("{s:s}", "reason", "另行通知"), &j), j, 200);
    assert_string_equal(jstr(j, "state"), "withdrawn");
    json_decref(j);
    expect_status(api("GET", P("/notices/%lld", (long long)fix), b_admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "state"), "withdrawn");
    assert_string_equal(jstr(j, "withdraw_reason"), "另行通知");
    json_decref(j);
    expect_api_error("PUT", P("/notices/%lld/reply", (long long)fix), b_admin, jpack("{s:s}", "text", "x"), 409, "notice_state", NULL);
    expect_api_error("POST", P("/notices/%lld/withdraw", (long long)fix), admin, jpack("{s:s}", "reason", "x"), 409, "notice_state", NULL);
}

static void test_scheduled_and_public(void **state)
{
    (void)state;
    int64_t later = draft(admin, jpack("{s:s, s:b, s:{s:[s]}}", "title", "定时公告", "public", 1, "target", "org_types", "district"));
    json_t *j = NULL;
    expect_status(api("POST", P("/notices/%lld/publish", (long long)later), admin, jpack("{s:s}", "publish_at", shanghai_at(86400)), &j),
                  j, 200);
    assert_string_equal(jstr(j, "state"), "scheduled");
    json_decref(j);
    expect_api_error("GET", P("/notices/%lld", (long long)later), b_admin, NULL, 404, "not_found", NULL);
    expect_api_error("GET", P("/public/notices/%lld", (long long)later), NULL, NULL, 404, "not_found", NULL);
    int64_t pub = draft(admin, jpack("{s:s, s:s, s:b, s:{s:[s]}}", "title", "公开的公告", "category", "公告", "public", 1, "target",
                                     "org_types", "district"));
    publish(admin, pub);
    int64_t internal = draft(admin, jpack("{s:s, s:{s:[s]}}", "title", "内部通知", "target", "org_types", "district"));
    publish(admin, internal);
    expect_status(api("GET", "/public/notices", NULL, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_int_equal(jint(j, "items.0.id"), pub);
    json_decref(j);
    expect_status(api("GET", P("/public/notices/%lld", (long long)pub), NULL, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "title"), "公开的公告");
    json_decref(j);
    /* not public and missing answer alike */
    json_t *a = NULL, *b = NULL;
    assert_int_equal(api("GET", P("/public/notices/%lld", (long long)internal), NULL, NULL, &a), 404);
    assert_int_equal(api("GET", P("/public/notices/%lld", 99999999LL), NULL, NULL, &b), 404);
    assert_true(json_equal(a, b));
    json_decref(a), json_decref(b);
    /* limited per address: the 13th request of the minute answers 429 */
    int st = 200, n = 5;   /* five public requests above */
    while (st != 429 && n++ < 20) {
        st = api("GET", "/public/notices", NULL, NULL, &j);
        json_decref(j);
    }
    assert_int_equal(st, 429);
    assert_int_equal(n, 13);
}

static void test_bad_input_changes_nothing(void **state)
{
    (void)state;
    int64_t before = list_total(admin, "/notices?box=sent");
    expect_api_error("POST", "/notices", admin, jpack("{s:s, s:{s:[s]}}", "title", "x", "target", "org_types", "planet"), 422,
                     "invalid_field", "target");
    expect_api_error("POST", "/notices", admin, jpack("{s:s, s:{s:s}}", "title", "x", "target", "who", "all"), 422, "invalid_field",
                     "target");
    expect_api_error("POST", "/notices", admin, jpack("{s:s, s:s}", "title", "x", "category", "闲聊"), 422, "*", "category");
    expect_api_error("POST", "/notices", admin, jpack("{s:s, s:s}", "title", "x", "publish_at", "明天"), 422, "*", "publish_at");
    expect_api_error("POST", "/notices", admin, jpack("{s:s, s:b}", "title", "x", "reply_required", 1), 422, "required",
                     "reply_deadline");
    expect_api_error("POST", "/notices", admin, jpack("{s:s}", "doc_no", "1号"), 422, "required", "title");
    expect_api_error("POST", "/notices", a1_staff, jpack("{s:s}", "title", "x"), 403, "*", "*");
    assert_int_equal(list_total(admin, "/notices?box=sent"), before);
    /* the body keeps the whitelist only */
    json_t *j = NULL;
    expect_status(api("POST", "/notices", admin,
                      jpack("{s:s, s:s}", "title", "富文本", "body",
                            "<p onclick=\"x()\">一<script>alert(1)</script><b>二</b><a href=\"javascript:alert(1)\">三</a>"
                            "<a href=\"https://kepu.example/a?b=1\" target=_blank>四</a><img src=x onerror=y></p>"),
                      &j),
                  j, 201);
    assert_string_equal(jstr(j, "body"), "<p>一<b>二</b><a>三</a><a href=\"https://kepu.example/a?b=1\">四</a></p>");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_publish_targeting),
        cmocka_unit_test(test_read_reply_board_export),
        cmocka_unit_test(test_deadline_reopen),
        cmocka_unit_test(test_correction_withdraw),
        cmocka_unit_test(test_scheduled_and_public),
        cmocka_unit_test(test_bad_input_changes_nothing),
    };
    return run_api_tests(tests, setup, teardown);
}
