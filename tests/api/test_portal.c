/* test_portal.c - the public portal (issue 18 C): every page answers 200 HTML with a hostile title
 * escaped, an ETag and 304 to If-None-Match; anything not public is the same 404; the JSON twins;
 * the live room counts one viewer per visitor and day; page views reach the keyed metric
 * portal_views of the page's node (stats verify clean, the last test). Enrolment is in
 * test_portal_enrol.c. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin;
static int64_t root, dist_a, point_1, street_1;
static const char hostile[] = "<script>alert('x')</script>&\"讲座\"";
static const char escaped[] = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;讲座&quot;";

static int setup(void **state)
{
    setenv("KEPU_PORTAL_VIEWS_FLUSH", "0", 1);   /* every view written at once: the test reads them */
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "门户甲区");
    street_1 = create_org(admin, dist_a, "street", "门户街道");
    point_1 = create_org(admin, dist_a, "point", "门户一号点");
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    return server_stop(state);
}

static int64_t add_course(int64_t org, const char *title, long in_seconds, int capacity)
{
    json_t *j = NULL;
    char starts[40], ends[40];
    snprintf(starts, sizeof starts, "%s", shanghai_at(in_seconds));
    snprintf(ends, sizeof ends, "%s", shanghai_at(in_seconds + 3600));
    expect_status(api("POST", "/courses", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:[{s:s}]}", "org_id", (json_int_t)org, "title", title,
                            "category", "health", "starts_at", starts, "ends_at", ends, "place", "社区会议室", "capacity",
                            capacity, "teachers", "name", "赵老师"),
                      &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int64_t add_activity(const char *title, bool is_public, const char *stream)
{
    json_t *j = NULL;
    char day[11];
    snprintf(day, sizeof day, "%.10s", shanghai_at(0));
    json_t *body = jpack("{s:I, s:s, s:s, s:s, s:s, s:b, s:i}", "org_id", (json_int_t)point_1, "kind", "lecture", "title", title,
                         "start_date", day, "end_date", day, "is_public", is_public, "participants", 20);
    if (stream) json_object_set_new(body, "stream_url", json_string(stream));
    expect_status(api("POST", "/activities", admin, body, &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

/* GET a page (extra header or NULL); the response is the caller's. */
static int page(const char *path, const char *header, http_resp *resp)
{
    const char *headers[] = {header, NULL};
    return http("GET", path, header ? headers : NULL, NULL, 0, resp);
}

static void expect_html_page(const char *path, const char *must_contain)
{
    http_resp resp;
    assert_int_equal(page(path, NULL, &resp), 200);
    char *type = resp_header(&resp, "Content-Type"), *etag = resp_header(&resp, "ETag");
    assert_non_null(type);
    assert_non_null(strstr(type, "text/html"));
    assert_non_null(etag);
    assert_non_null(strstr(resp.body, "<meta name=\"viewport\""));
    if (must_contain && !strstr(resp.body, must_contain)) fail_msg("%s lacks %s:\n%s", path, must_contain, resp.body);
    /* one Cache-Control: kept by caches but revalidated (so every visit is counted) */
    char *cache = resp_header(&resp, "Cache-Control");
    assert_string_equal(cache, "public, no-cache");
    assert_null(strstr(strstr(resp.headers, "Cache-Control") + 1, "Cache-Control"));
    free(cache);
    /* the same page again with its tag: 304 without a body */
    char inm[128];
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    http_resp again;
    assert_int_equal(page(path, inm, &again), 304);
    assert_int_equal(again.body_len, 0);
    free(type), free(etag);
    http_resp_free(&resp), http_resp_free(&again);
}

static void test_pages_escape_and_etag(void **state)
{
    (void)state;
    add_activity(hostile, true, NULL);
    int64_t course = add_course(point_1, hostile, 86400 * 3, 0);
    expect_html_page("/portal", escaped);
    expect_html_page("/portal/", escaped);
    expect_html_page("/portal/activities", escaped);
    expect_html_page(P("/portal/points/%lld", (long long)point_1), escaped);
    expect_html_page(P("/portal/courses/%lld", (long long)course), escaped);
    expect_html_page("/portal/notices", "通知公告");
    expect_html_page("/portal/resources", "科普资源");
    expect_html_page("/portal/designations", "示范命名");
    expect_html_page("/portal/contests", "知识竞赛");
    /* never the raw text */
    http_resp resp;
    assert_int_equal(page("/portal/activities", NULL, &resp), 200);
    assert_null(strstr(resp.body, "<script>alert"));
    http_resp_free(&resp);
    /* the pages' own policy: media from a stream's host, scripts from the server only */
    assert_int_equal(page("/portal", NULL, &resp), 200);
    char *csp = resp_header(&resp, "Content-Security-Policy");
    assert_non_null(csp);
    assert_non_null(strstr(csp, "media-src 'self' https:"));
    assert_null(strstr(csp, "script-src"));   /* default-src 'self' rules scripts: no inline one */
    free(csp);
    http_resp_free(&resp);
    /* the enrolment form's script, a file of the server */
    assert_int_equal(page("/portal/enrol.js", NULL, &resp), 200);
    char *type = resp_header(&resp, "Content-Type");
    assert_non_null(strstr(type, "javascript"));
    assert_non_null(strstr(resp.body, "/enrolments"));
    free(type);
    http_resp_free(&resp);
    /* a malformed month is the not-found page */
    assert_int_equal(page("/portal/activities?month=2026-13", NULL, &resp), 404);
    http_resp_free(&resp);
}

/* A private activity, a cancelled course, a street (no teaching point), an unknown id: one 404 page. */
static void test_not_public_is_one_404(void **state)
{
    (void)state;
    int64_t hidden = add_activity("内部活动", false, "https://live.example.cn/a.m3u8");
    int64_t street_course = add_course(point_1, "取消的课程", 86400 * 2, 0);
    json_t *j = NULL;
    expect_status(api("POST", P("/courses/%lld/cancel", (long long)street_course), admin, jpack("{s:s}", "reason", "场地维修"), &j),
                  j, 200);
    json_decref(j);
    http_resp a, b, c;
    assert_int_equal(page(P("/portal/live/%lld", (long long)hidden), NULL, &a), 404);
    assert_int_equal(page("/portal/live/99999999", NULL, &b), 404);
    assert_string_equal(a.body, b.body);
    http_resp_free(&a), http_resp_free(&b);
    assert_int_equal(page(P("/portal/courses/%lld", (long long)street_course), NULL, &a), 404);
    assert_int_equal(page("/portal/courses/99999999", NULL, &b), 404);
    assert_int_equal(page(P("/portal/points/%lld", (long long)street_1), NULL, &c), 404);
    assert_string_equal(a.body, b.body);
    assert_string_equal(a.body, c.body);
    http_resp_free(&a), http_resp_free(&b), http_resp_free(&c);
    assert_int_equal(api("GET", P("/public/courses/%lld", (long long)street_course), NULL, NULL, NULL), 404);
    assert_int_equal(api("GET", "/public/courses/99999999", NULL, NULL, NULL), 404);
}

static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                    0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};

/* A resource of point 1 with a file, approved by the city (not yet public). */
static int64_t approved_resource(const char *title)
{
    json_t *j = NULL;
    expect_status(api("POST", "/resources", admin, jpack("{s:s, s:s, s:I}", "title", title, "kind", "images", "org_id",
                                                         (json_int_t)point_1), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    char auth[512];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
    const char *headers[] = {auth, "X-File-Name: a.png", "Content-Type: application/octet-stream", NULL};
    http_resp resp;
    assert_int_equal(http("POST", P(API_BASE "/resources/%lld/versions", (long long)id), headers, (const char *)png, sizeof png,
                          &resp), 201);
    http_resp_free(&resp);
    expect_status(api("POST", P("/resources/%lld/submit", (long long)id), admin, NULL, &j), j, 200);
    json_decref(j);
    expect_status(api("POST", P("/resources/%lld/review", (long long)id), admin, jpack("{s:s}", "decision", "approve"), &j), j, 200);
    json_decref(j);
    return id;
}

/* A resource is on the portal only approved AND public; its file answers ranges. */
static void test_public_resource(void **state)
{
    (void)state;
    int64_t id = approved_resource(hostile);
    http_resp resp;
    assert_int_equal(page(P("/portal/resources/%lld", (long long)id), NULL, &resp), 404);
    http_resp_free(&resp);
    assert_int_equal(api("GET", P("/public/resources/%lld/file", (long long)id), NULL, NULL, NULL), 404);
    json_t *j = NULL;
    expect_status(api("PATCH", P("/resources/%lld", (long long)id), admin, jpack("{s:b}", "is_public", 1), &j), j, 200);
    json_decref(j);
    expect_html_page(P("/portal/resources/%lld", (long long)id), escaped);
    expect_html_page("/portal/resources", escaped);
    expect_status(api("GET", P("/public/resources/%lld", (long long)id), NULL, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "title"), hostile);
    assert_string_equal(jstr(j, "mime"), "image/png");
    json_decref(j);
    assert_int_equal(page(P(API_BASE "/public/resources/%lld/file", (long long)id), "Range: bytes=0-3", &resp), 206);
    assert_int_equal(resp.body_len, 4);
    assert_memory_equal(resp.body, png, 4);
    http_resp_free(&resp);
    /* the point's page shows what its courses used of the library, once a course links it */
    const char *used = "课程用到的资源";
    assert_int_equal(page(P("/portal/points/%lld", (long long)point_1), NULL, &resp), 200);
    assert_null(strstr(resp.body, used));
    http_resp_free(&resp);
    int64_t course = add_course(point_1, "用到资源的课", 86400 * 6, 0);
    expect_status(api("POST", P("/courses/%lld/resources/%lld", (long long)course, (long long)id), admin, NULL, &j), j, 204);
    json_decref(j);
    assert_int_equal(page(P("/portal/points/%lld", (long long)point_1), NULL, &resp), 200);
    assert_non_null(strstr(resp.body, used));
    http_resp_free(&resp);
}

/* A public notice: its hostile title escaped, its body's script removed (the whitelist again);
 * an internal one is the 404 page. */
static void test_notice_pages(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/notices", admin,
                      jpack("{s:s, s:s, s:b, s:s, s:{s:[s]}}", "title", hostile, "category", "公告", "public", 1, "body",
                            "<p>正文<script>alert(1)</script><a href=\"javascript:x\">链接</a></p>", "target", "org_types",
                            "district"),
                      &j), j, 201);
    int64_t pub = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/notices/%lld/publish", (long long)pub), admin, NULL, &j), j, 200);
    json_decref(j);
    expect_status(api("POST", "/notices", admin, jpack("{s:s, s:{s:[s]}}", "title", "内部通知", "target", "org_types", "district"),
                      &j), j, 201);
    int64_t internal = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/notices/%lld/publish", (long long)internal), admin, NULL, &j), j, 200);
    json_decref(j);
    expect_html_page(P("/portal/notices/%lld", (long long)pub), escaped);
    expect_html_page("/portal/notices", escaped);
    http_resp resp;
    assert_int_equal(page(P("/portal/notices/%lld", (long long)pub), NULL, &resp), 200);
    assert_non_null(strstr(resp.body, "正文"));
    assert_null(strstr(resp.body, "<script>alert"));
    assert_null(strstr(resp.body, "javascript:"));
    http_resp_free(&resp);
    assert_int_equal(page(P("/portal/notices/%lld", (long long)internal), NULL, &resp), 404);
    http_resp_free(&resp);
}

/* Only GET: a POST to a page is 405; an unknown page the 404 page. */
static void test_methods_and_unknown_pages(void **state)
{
    (void)state;
    http_resp resp;
    assert_int_equal(http("POST", "/portal", NULL, NULL, 0, &resp), 405);
    http_resp_free(&resp);
    assert_int_equal(page("/portal/nothing/here", NULL, &resp), 404);
    assert_non_null(strstr(resp.body, "页面不存在"));
    http_resp_free(&resp);
    /* a path that only starts like the portal is the UI's */
    assert_int_not_equal(page("/portalx", NULL, &resp), 405);
    http_resp_free(&resp);
}

static void test_json_twins(void **state)
{
    (void)state;
    int64_t act = add_activity("公开的天文讲座", true, NULL);
    int64_t course = add_course(point_1, "孩子们的科学课", 86400 * 4, 30);
    json_t *j = NULL;
    expect_status(api("GET", "/public/activities", NULL, NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), act));
    json_decref(j);
    expect_api_error("GET", "/public/activities?month=26-1", NULL, NULL, 422, "invalid_field", "month");
    expect_status(api("GET", P("/public/courses/%lld", (long long)course), NULL, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "title"), "孩子们的科学课");
    assert_int_equal(jint(j, "capacity"), 30);
    assert_int_equal(jint(j, "enrolled"), 0);
    assert_true(json_is_true(jget(j, "open")));
    assert_int_equal(jint(j, "point_id"), point_1);
    json_decref(j);
    expect_status(api("GET", P("/public/points/%lld/courses", (long long)point_1), NULL, NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), course));
    json_decref(j);
    expect_status(api("GET", "/public/resources", NULL, NULL, &j), j, 200);
    assert_non_null(jget(j, "items"));
    json_decref(j);
    assert_int_equal(api("GET", "/public/resources/99999999", NULL, NULL, NULL), 404);
}

/* The live room: one viewer per visitor (cookie) and day. */
static void test_live_room_counts_viewers(void **state)
{
    (void)state;
    int64_t act = add_activity("直播：走进气象站", true, "https://live.example.cn/weather.m3u8");
    http_resp resp;
    assert_int_equal(page(P("/portal/live/%lld", (long long)act), NULL, &resp), 200);
    assert_non_null(strstr(resp.body, "https://live.example.cn/weather.m3u8"));
    char *cookie = resp_header(&resp, "Set-Cookie");
    assert_non_null(cookie);
    http_resp_free(&resp);
    /* the same visitor again (its cookie): not counted; a new visitor: counted */
    char header[200];
    snprintf(header, sizeof header, "Cookie: %.*s", (int)strcspn(cookie, ";"), cookie);
    assert_int_equal(page(P("/portal/live/%lld", (long long)act), header, &resp), 200);
    assert_null(resp_header(&resp, "Set-Cookie"));
    http_resp_free(&resp);
    assert_int_equal(page(P("/portal/live/%lld", (long long)act), NULL, &resp), 200);
    http_resp_free(&resp);
    /* one more page view flushes whatever is pending */
    assert_int_equal(page("/portal", NULL, &resp), 200);
    http_resp_free(&resp);
    json_t *j = NULL;
    expect_status(api("GET", P("/activities/%lld", (long long)act), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "stream_viewers"), 2);
    json_decref(j);
    free(cookie);
}

/* Views of a point's page count for the point (and above); the home page for the city root. */
static void test_views_counted(void **state)
{
    (void)state;
    int64_t course = add_course(point_1, "数一数浏览量", 86400 * 5, 0);
    int64_t before_point = metric_this_year(admin, point_1, "portal_views");
    int64_t before_root = metric_this_year(admin, root, "portal_views");
    http_resp resp;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(page(P("/portal/courses/%lld", (long long)course), NULL, &resp), 200);
        http_resp_free(&resp);
    }
    assert_int_equal(page("/portal", NULL, &resp), 200);
    http_resp_free(&resp);
    assert_int_equal(metric_this_year(admin, point_1, "portal_views"), before_point + 3);
    assert_int_equal(metric_this_year(admin, dist_a, "portal_views") >= before_point + 3, 1);
    assert_int_equal(metric_this_year(admin, root, "portal_views"), before_root + 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_escape_and_etag),
        cmocka_unit_test(test_not_public_is_one_404),
        cmocka_unit_test(test_json_twins),
        cmocka_unit_test(test_public_resource),
        cmocka_unit_test(test_notice_pages),
        cmocka_unit_test(test_methods_and_unknown_pages),
        cmocka_unit_test(test_live_room_counts_viewers),
        cmocka_unit_test(test_views_counted),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
