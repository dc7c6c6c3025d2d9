/* test_resources.c - the resource library's API (issue 18 A, src/resources/): a point's resource
 * is invisible to the other points of its district until the district approves it, then visible
 * to them and not to another district's points; the fields and their checks; versions (the
 * newest is current, the bytes come back); every transition audited; the search finds a Chinese
 * phrase from the middle of a PDF's text (the PDF drawn here with cairo and pango, no fixture),
 * a two-character query is found through the bigram index on SQLite (a substring match on
 * PostgreSQL) and follows each change of the text like the longer ones, one character is a
 * substring match, and an unreadable PDF is refused.
 *
 *   root(city) ─┬─ A(district) ─┬─ P1(point)
 *               │               └─ P2(point)
 *               └─ B(district) ─── B1(point) */
#include "harness.h"
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin, *a_staff, *p1, *p2, *b1;
static int64_t root, dist_a, dist_b, point_1, point_2, point_b;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "资源甲区");
    dist_b = create_org(admin, root, "district", "资源乙区");
    point_1 = create_org(admin, dist_a, "point", "甲区一号点");
    point_2 = create_org(admin, dist_a, "point", "甲区二号点");
    point_b = create_org(admin, dist_b, "point", "乙区一号点");
    create_user(admin, "res_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "res_p1", point_1, "staff", "org", 0);
    create_user(admin, "res_p2", point_2, "staff", "org", 0);
    create_user(admin, "res_b1", point_b, "staff", "org", 0);
    a_staff = login("res_a_staff", USER_PASSWORD);
    p1 = login("res_p1", USER_PASSWORD);
    p2 = login("res_p2", USER_PASSWORD);
    b1 = login("res_b1", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_staff), free(p1), free(p2), free(b1);
    return server_stop(state);
}

static int64_t create(const char *token, json_t *body)
{
    json_t *j = NULL;
    expect_status(api("POST", "/resources", token, body, &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

/* POST bytes as a new version named name; the status, *out the answer (may be NULL). */
static int upload(const char *token, int64_t id, const char *name, const void *bytes, size_t len, json_t **out)
{
    char auth[512], fname[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    snprintf(fname, sizeof fname, "X-File-Name: %s", name);
    const char *headers[] = {auth, fname, "Content-Type: application/octet-stream", NULL};
    http_resp resp;
    int st = http("POST", P(API_BASE "/resources/%lld/versions", (long long)id), headers, bytes, len, &resp);
    if (out) *out = json_incref(resp.json);
    http_resp_free(&resp);
    return st;
}

static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                    0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};

/* Whether GET /resources (with query) as token lists id. */
static bool listed(const char *token, const char *query, int64_t id)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/resources%s", query), token, NULL, &j), j, 200);
    bool has = items_have_id(jget(j, "items"), id);
    json_decref(j);
    return has;
}

static int status_of(const char *token, int64_t id)
{
    return api("GET", P("/resources/%lld", (long long)id), token, NULL, NULL);
}

static void test_point_resource_shared_by_district(void **state)
{
    (void)state;
    int64_t id = create(p1, jpack("{s:s, s:s, s:[s]}", "title", "一号点的安全用电图集", "kind", "images", "topics", "health"));
    json_t *j = NULL;
    assert_int_equal(upload(p1, id, "图集.png", png, sizeof png, NULL), 201);
    expect_status(api("POST", P("/resources/%lld/submit", (long long)id), p1, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "pending");
    json_decref(j);
    /* pending: the district reads it, the other points do not */
    assert_int_equal(status_of(a_staff, id), 200);
    assert_int_equal(status_of(p2, id), 404);
    assert_int_equal(status_of(b1, id), 404);
    assert_false(listed(p2, "", id));
    assert_true(listed(a_staff, "?status=pending", id));
    /* the point cannot approve its own; the district does */
    expect_api_error("POST", P("/resources/%lld/review", (long long)id), p1, jpack("{s:s}", "decision", "approve"), 403,
                     "forbidden", NULL);
    expect_api_error("POST", P("/resources/%lld/review", (long long)id), a_staff, jpack("{s:s}", "decision", "maybe"), 422,
                     "invalid_field", "decision");
    expect_status(api("POST", P("/resources/%lld/review", (long long)id), a_staff,
                      jpack("{s:s, s:s}", "decision", "approve", "comments", "内容准确"), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "approved");
    assert_string_equal(jstr(j, "review_comments"), "内容准确");
    json_decref(j);
    /* approved: the district's other point reads it (read-only), another district's point does not */
    expect_status(api("GET", P("/resources/%lld", (long long)id), p2, NULL, &j), j, 200);
    assert_false(json_is_true(jget(j, "writable")));
    json_decref(j);
    assert_true(listed(p2, "", id));
    assert_int_equal(status_of(b1, id), 404);
    assert_false(listed(b1, "", id));
    expect_api_error("PATCH", P("/resources/%lld", (long long)id), p2, jpack("{s:s}", "audience", "x"), 403, "forbidden", NULL);
    /* every transition is in the audit log */
    const char *const actions[] = {"create", "submit", "approve"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(list_total(admin, P("/audit?entity=resource&entity_id=%lld&action=%s", (long long)id, actions[i])), 1);
    assert_int_equal(list_total(admin, P("/audit?entity=resource_version&action=create")), 1);
    /* withdrawn: the other point reads it no more; a used or submitted one is not deleted */
    expect_api_error("DELETE", P("/resources/%lld", (long long)id), p1, NULL, 409, "resource_in_use", NULL);
    expect_status(api("POST", P("/resources/%lld/withdraw", (long long)id), p1, NULL, &j), j, 200);
    json_decref(j);
    assert_int_equal(status_of(p2, id), 404);
    assert_int_equal(list_total(admin, P("/audit?entity=resource&entity_id=%lld&action=withdraw", (long long)id)), 1);
}

static void test_fields_and_checks(void **state)
{
    (void)state;
    expect_api_error("POST", "/resources", p1, jpack("{s:s}", "kind", "video"), 422, "required", "title");
    expect_api_error("POST", "/resources", p1, jpack("{s:s, s:s}", "title", "x", "kind", "film"), 422, "invalid_field", "kind");
    expect_api_error("POST", "/resources", p1, jpack("{s:s, s:s, s:[s]}", "title", "x", "kind", "video", "topics", "nope"),
                     422, "invalid_field", "topics");
    expect_api_error("POST", "/resources", p1, jpack("{s:s, s:s, s:I}", "title", "x", "kind", "video", "org_id",
                                                      (json_int_t)point_2), 404, "not_found", "org_id");
    int64_t before = list_total(admin, "/resources");
    int64_t id = create(p1, jpack("{s:s, s:s, s:s, s:[s,s], s:s, s:s, s:s}", "title", "防诈骗微课", "summary", "识别常见骗局",
                                  "kind", "video", "topics", "anti_fraud", "health", "audience", "老年人", "authors", "张老师",
                                  "licence", "CC BY-NC 4.0"));
    assert_int_equal(list_total(admin, "/resources"), before + 1);
    json_t *j = NULL;
    expect_status(api("GET", P("/resources/%lld", (long long)id), p1, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "draft");
    assert_string_equal(jstr(j, "topics.1"), "health");
    assert_string_equal(jstr(j, "org_name"), "甲区一号点");
    assert_true(json_is_null(jget(j, "rating")));
    assert_true(json_is_null(jget(j, "current_version")));
    assert_false(json_is_true(jget(j, "premium")));
    assert_true(json_is_true(jget(j, "writable")));
    json_decref(j);
    assert_true(listed(p1, "?kind=video&topic=anti_fraud", id));
    assert_false(listed(p1, "?kind=audio", id));
    assert_false(listed(p1, "?topic=food", id));
    assert_true(listed(a_staff, P("?org_id=%lld", (long long)point_1), id));
    assert_false(listed(a_staff, P("?org_id=%lld", (long long)point_2), id));
    /* the export: the list's rows as a workbook */
    http_resp resp;
    assert_int_equal(api_full("GET", "/resources?format=xlsx&kind=video", p1, NULL, &resp), 200);
    char *xml = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(xml, "防诈骗微课"));
    free(xml);
    http_resp_free(&resp);
    /* a draft without a file cannot be submitted; it may be deleted */
    expect_api_error("POST", P("/resources/%lld/submit", (long long)id), p1, NULL, 409, "no_file", "file");
    expect_status(api("DELETE", P("/resources/%lld", (long long)id), p1, NULL, &j), j, 204);
    assert_int_equal(status_of(p1, id), 404);
}

static void test_versions(void **state)
{
    (void)state;
    int64_t id = create(p1, jpack("{s:s, s:s}", "title", "版本测试", "kind", "images"));
    json_t *j = NULL;
    expect_status(upload(p1, id, "v1.png", png, sizeof png, &j), j, 201);
    assert_int_equal(jint(j, "version_no"), 1);
    assert_string_equal(jstr(j, "mime"), "image/png");
    json_decref(j);
    expect_status(upload(p1, id, "v2.png", png, sizeof png, &j), j, 201);
    assert_int_equal(jint(j, "version_no"), 2);
    int64_t v2 = jint(j, "id");
    json_decref(j);
    expect_status(upload(p1, id, "a.txt", "plain text", 10, &j), j, 415);   /* no such type: nothing kept */
    json_decref(j);
    expect_status(upload(p2, id, "v3.png", png, sizeof png, &j), j, 404);
    json_decref(j);
    expect_status(api("GET", P("/resources/%lld/versions", (long long)id), p1, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    assert_int_equal(jint(j, "items.0.version_no"), 2);   /* newest (current) first */
    assert_string_equal(jstr(j, "items.0.name"), "v2.png");
    json_decref(j);
    expect_status(api("GET", P("/resources/%lld", (long long)id), p1, NULL, &j), j, 200);
    assert_int_equal(jint(j, "current_version"), 2);
    json_decref(j);
    http_resp resp;
    assert_int_equal(api_full("GET", P("/resources/%lld/versions/%lld/file", (long long)id, (long long)v2), p1, NULL, &resp), 200);
    assert_int_equal(resp.body_len, sizeof png);
    assert_memory_equal(resp.body, png, sizeof png);
    http_resp_free(&resp);
    assert_int_equal(api("GET", P("/resources/%lld/versions/%lld/file", (long long)id, (long long)v2), b1, NULL, NULL), 404);
}

/* A two-page PDF drawn with cairo and pango (Noto Sans CJK, as the server's PDFs), the phrase on
 * its second page; its bytes (malloc'd, *len). */
static char *pdf_with(const char *first, const char *second, size_t *len)
{
    const char *path = P("%s/resource.pdf", server_dir());
    cairo_surface_t *sf = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(sf);
    const char *pages[] = {first, second};
    for (int i = 0; i < 2; i++) {
        PangoLayout *l = pango_cairo_create_layout(cr);
        PangoFontDescription *fd = pango_font_description_from_string("Noto Sans CJK SC 14");
        pango_layout_set_font_description(l, fd);
        pango_font_description_free(fd);
        pango_layout_set_width(l, 480 * PANGO_SCALE);
        pango_layout_set_text(l, pages[i], -1);
        cairo_move_to(cr, 56, 72);
        pango_cairo_show_layout(cr, l);
        g_object_unref(l);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(sf);
    assert_int_equal(cairo_surface_status(sf), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(sf);
    return file_bytes_removed(path, len);
}

/* ids found by GET /resources?q= as token. */
static bool found(const char *token, const char *q, int64_t id)
{
    char *e = urlenc(q);
    bool has = listed(token, P("?q=%s", e), id);
    free(e);
    return has;
}

static void test_search_in_pdf_text(void **state)
{
    (void)state;
    int64_t id = create(p1, jpack("{s:s, s:s, s:s}", "title", "家庭用电讲义", "summary", "给社区居民的讲义", "kind", "document"));
    size_t len;
    char *pdf = pdf_with("第一页：目录", "社区科学大学开设了家庭安全用电与燃气防护的系列讲座，欢迎居民报名参加。", &len);
    json_t *j = NULL;
    expect_status(upload(p1, id, "讲义.pdf", pdf, len, &j), j, 201);
    assert_string_equal(jstr(j, "mime"), "application/pdf");
    assert_true(jint(j, "text_chars") > 30);
    json_decref(j);
    free(pdf);
    assert_true(found(p1, "安全用电与燃气防护", id));   /* from the middle of page 2 */
    assert_true(found(a_staff, "系列讲座", id));
    assert_true(found(p1, "社区居民", id));              /* the summary */
    assert_true(found(p1, "燃气", id));                  /* two characters: the bigram index */
    assert_true(found(p1, "燃", id));                    /* one: a substring match */
    assert_false(found(p1, "气燃", id));
    assert_true(found(p1, "讲义", id));
    assert_false(found(p1, "核聚变反应堆", id));
    assert_false(found(p1, "核聚", id));
    assert_false(found(p2, "安全用电与燃气防护", id));    /* found only within the scope */
    assert_false(found(p1, "\"安全 OR 燃气\"", id));    /* FTS syntax is text, not operators */
    /* a new version without the phrase replaces it in the search */
    char *other = pdf_with("新版讲义", "只讲防诈骗知识。", &len);
    expect_status(upload(p1, id, "讲义2.pdf", other, len, &j), j, 201);
    json_decref(j);
    free(other);
    assert_false(found(p1, "安全用电与燃气防护", id));
    assert_false(found(p1, "燃气", id));                 /* the old text left the bigram index too */
    assert_true(found(p1, "防诈骗知识", id));
    assert_true(found(p1, "诈骗", id));
    /* a title change is searched at once */
    expect_status(api("PATCH", P("/resources/%lld", (long long)id), p1, jpack("{s:s}", "title", "老年人防骗手册"), &j), j, 200);
    json_decref(j);
    assert_true(found(p1, "防骗手册", id));
    assert_false(found(p1, "家庭用电讲义", id));
    assert_true(found(p1, "防诈骗知识", id));
    /* a PDF that cannot be read is refused, nothing kept */
    static const char broken[] = "%PDF-1.4\n1 0 obj garbage\n%%EOF\n";
    expect_status(upload(p1, id, "坏的.pdf", broken, sizeof broken - 1, &j), j, 422);
    assert_string_equal(err_field(j), "file");
    json_decref(j);
    expect_status(api("GET", P("/resources/%lld", (long long)id), p1, NULL, &j), j, 200);
    assert_int_equal(jint(j, "current_version"), 2);
    json_decref(j);
}

static int64_t add_course(const char *token, int64_t org, const char *title)
{
    json_t *j = NULL;
    expect_status(api("POST", "/courses", token,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:[{s:s}]}", "org_id", (json_int_t)org, "title", title,
                            "category", "health", "starts_at", "2026-05-01T09:00:00+08:00", "ends_at",
                            "2026-05-01T10:00:00+08:00", "place", "社区会议室", "capacity", 60, "teachers", "name", "赵老师"),
                      &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

/* An approved resource of the district A, shared down from the city. */
static int64_t approved_by_city(const char *title)
{
    int64_t id = create(a_staff, jpack("{s:s, s:s}", "title", title, "kind", "images"));
    json_t *j = NULL;
    assert_int_equal(upload(a_staff, id, "x.png", png, sizeof png, NULL), 201);
    expect_status(api("POST", P("/resources/%lld/submit", (long long)id), a_staff, NULL, &j), j, 200);
    json_decref(j);
    expect_status(api("POST", P("/resources/%lld/review", (long long)id), admin, jpack("{s:s}", "decision", "approve"), &j), j, 200);
    json_decref(j);
    return id;
}

static void test_uses_ratings_views(void **state)
{
    (void)state;
    int64_t shared = approved_by_city("全市共享的课件");
    int64_t own = create(p2, jpack("{s:s, s:s}", "title", "二号点自己的草稿", "kind", "slides"));
    int64_t course1 = add_course(p1, point_1, "一号点的健康课"), course_b = add_course(b1, point_b, "乙区的健康课");
    json_t *j = NULL;
    /* a course links what its node reads: the shared one, not another point's draft */
    expect_status(api("POST", P("/courses/%lld/resources/%lld", (long long)course1, (long long)shared), p1, NULL, &j), j, 204);
    expect_status(api("POST", P("/courses/%lld/resources/%lld", (long long)course1, (long long)shared), p1, NULL, &j), j, 204);
    expect_api_error("POST", P("/courses/%lld/resources/%lld", (long long)course1, (long long)own), p1, NULL, 404, "not_found", NULL);
    expect_api_error("POST", P("/courses/%lld/resources/%lld", (long long)course1, (long long)own), admin, NULL, 404, "not_found", NULL);
    expect_api_error("POST", P("/courses/%lld/resources/%lld", (long long)course_b, (long long)shared), p1, NULL, 404, "not_found",
                     "course_id");
    expect_status(api("POST", P("/courses/%lld/resources/%lld", (long long)course_b, (long long)shared), b1, NULL, &j), j, 204);
    /* the uses: each caller the courses in its scope; the point's used list */
    expect_status(api("GET", P("/resources/%lld/uses", (long long)shared), p1, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_int_equal(jint(j, "items.0.id"), course1);
    json_decref(j);
    expect_status(api("GET", P("/resources/%lld/uses", (long long)shared), admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 2);
    json_decref(j);
    assert_true(listed(p1, P("?used_by_org=%lld", (long long)point_1), shared));
    assert_false(listed(p2, P("?used_by_org=%lld", (long long)point_2), shared));
    expect_api_error("GET", P("/resources?used_by_org=%lld", (long long)point_1), p2, NULL, 404, "not_found", "org_id");
    /* a course's own list (its page): what it links, the course read in the caller's scope */
    assert_true(listed(p1, P("?used_by_course=%lld", (long long)course1), shared));
    assert_int_equal(list_total(p1, P("/resources?used_by_course=%lld", (long long)course1)), 1);
    assert_int_equal(list_total(b1, P("/resources?used_by_course=%lld", (long long)course_b)), 1);
    expect_api_error("GET", P("/resources?used_by_course=%lld", (long long)course1), b1, NULL, 404, "not_found", "used_by_course");
    /* used: not deleted (withdrawn instead) */
    expect_api_error("DELETE", P("/resources/%lld", (long long)shared), a_staff, NULL, 409, "resource_in_use", NULL);
    expect_status(api("DELETE", P("/courses/%lld/resources/%lld", (long long)course_b, (long long)shared), b1, NULL, &j), j, 204);
    expect_api_error("DELETE", P("/courses/%lld/resources/%lld", (long long)course_b, (long long)shared), b1, NULL, 404,
                     "not_found", NULL);
    assert_int_equal(list_total(admin, P("/audit?entity=resource_use&entity_id=%lld", (long long)shared)), 3);
    /* ratings: one per user, the average on the row; each user reads back their own */
    expect_status(api("GET", P("/resources/%lld/rating", (long long)shared), p1, NULL, &j), j, 200);
    assert_true(json_is_null(jget(j, "stars")));
    json_decref(j);
    expect_api_error("PUT", P("/resources/%lld/rating", (long long)shared), p1, jpack("{s:i}", "stars", 6), 422, "invalid_field", "stars");
    expect_status(api("PUT", P("/resources/%lld/rating", (long long)shared), p1, jpack("{s:i}", "stars", 5), &j), j, 200);
    json_decref(j);
    expect_status(api("PUT", P("/resources/%lld/rating", (long long)shared), p2, jpack("{s:i}", "stars", 2), &j), j, 200);
    json_decref(j);
    expect_status(api("PUT", P("/resources/%lld/rating", (long long)shared), p2, jpack("{s:i}", "stars", 4), &j), j, 200);
    assert_int_equal(jint(j, "rating_count"), 2);
    assert_true(json_real_value(jget(j, "rating")) == 4.5);
    json_decref(j);
    expect_status(api("GET", P("/resources/%lld/rating", (long long)shared), p2, NULL, &j), j, 200);
    assert_int_equal(jint(j, "stars"), 4);
    json_decref(j);
    expect_status(api("GET", P("/resources/%lld/rating", (long long)shared), p1, NULL, &j), j, 200);
    assert_int_equal(jint(j, "stars"), 5);
    json_decref(j);
    expect_api_error("GET", P("/resources/%lld/rating", (long long)own), p1, NULL, 404, "not_found", NULL);
    expect_api_error("PUT", P("/resources/%lld/rating", (long long)own), p1, jpack("{s:i}", "stars", 3), 404, "not_found", NULL);
    /* views: the row and the statistics (the viewer's node) */
    for (int i = 0; i < 3; i++) {
        expect_status(api("POST", P("/resources/%lld/views", (long long)shared), p1, NULL, &j), j, 200);
        json_decref(j);
    }
    expect_status(api("POST", P("/resources/%lld/views", (long long)shared), b1, NULL, &j), j, 200);
    assert_int_equal(jint(j, "views"), 4);
    json_decref(j);
    assert_int_equal(metric_this_year(admin, point_1, "resource_views"), 3);
    assert_int_equal(metric_this_year(admin, dist_a, "resource_views"), 3);
    assert_int_equal(metric_this_year(admin, root, "resource_views"), 4);
    expect_api_error("POST", P("/resources/%lld/views", (long long)own), p1, NULL, 404, "not_found", NULL);
    /* a viewed draft deleted: its views leave the statistics with it */
    expect_status(api("POST", P("/resources/%lld/views", (long long)own), p2, NULL, &j), j, 200);
    json_decref(j);
    assert_int_equal(metric_this_year(admin, point_2, "resource_views"), 1);
    expect_status(api("DELETE", P("/resources/%lld", (long long)own), p2, NULL, &j), j, 204);
    assert_int_equal(metric_this_year(admin, point_2, "resource_views"), 0);
    assert_int_equal(metric_this_year(admin, root, "resource_views"), 4);
    assert_stats_verify();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_point_resource_shared_by_district),
        cmocka_unit_test(test_fields_and_checks),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_search_in_pdf_text),
        cmocka_unit_test(test_uses_ratings_views),
    };
    return run_api_tests(tests, setup, teardown);
}
