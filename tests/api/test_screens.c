/* test_screens.c - 科普e站 screens (issue 18 D, src/screens/): a kiosk asks for a pairing code,
 * staff register it to their point, the kiosk claims its device token once; playlists per node
 * type and per screen (the screen's own wins) and what the kiosk receives (items its node may
 * show, a resource's file with Range); heartbeats with plays counted once per sequence into the
 * statistics' screen_plays (and the resource's views), `stats verify` clean; a screen without
 * heartbeat for longer than the limit (2 s here: KEPU_SCREEN_OFFLINE_SECONDS) is offline;
 * revocation stops the kiosk; the screens' administrators with masked phones, trainings, awards.
 *
 *   root(city) ─┬─ A(district) ─┬─ P1(point)
 *               │               └─ P2(point)
 *               └─ B(district) ─── B1(point) */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static char *admin, *a_staff, *p1, *b1;
static int64_t root, dist_a, dist_b, point_1, point_2, point_b;

static int setup(void **state)
{
    setenv("KEPU_SCREEN_OFFLINE_SECONDS", "2", 1);
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "屏幕甲区");
    dist_b = create_org(admin, root, "district", "屏幕乙区");
    point_1 = create_org(admin, dist_a, "point", "甲区一号站");
    point_2 = create_org(admin, dist_a, "point", "甲区二号站");
    point_b = create_org(admin, dist_b, "point", "乙区一号站");
    create_user(admin, "scr_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "scr_p1", point_1, "staff", "org", 0);
    create_user(admin, "scr_b1", point_b, "staff", "org", 0);
    a_staff = login("scr_a_staff", USER_PASSWORD);
    p1 = login("scr_p1", USER_PASSWORD);
    b1 = login("scr_b1", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_staff), free(p1), free(b1);
    return server_stop(state);
}

/* A kiosk call with its device token (NULL: none); the status, *out the answer. */
static int kiosk(const char *method, const char *path, const char *token, const char *body, json_t **out)
{
    char hdr[256];
    snprintf(hdr, sizeof hdr, "X-Screen-Token: %s", token ? token : "");
    const char *headers[] = {hdr, "Content-Type: application/json", NULL};
    http_resp resp;
    int st = http(method, P(API_BASE "%s", path), token ? headers : headers + 1, body, body ? strlen(body) : 0, &resp);
    if (out) *out = json_incref(resp.json);
    http_resp_free(&resp);
    return st;
}

/* The kiosk's whole pairing: a code, registered by token at org with name, claimed. *id gets the
 * screen's id; the device token (caller frees). */
static char *paired(const char *token, int64_t org, const char *name, int64_t *id)
{
    json_t *j = NULL;
    assert_int_equal(kiosk("POST", "/kiosk/pairings", NULL, NULL, &j), 201);
    char *code = strdup(jstr(j, "code")), *secret = strdup(jstr(j, "secret"));
    json_decref(j);
    assert_int_equal(strlen(code), 6);
    expect_status(api("POST", "/screens/pair", token, jpack("{s:s, s:s, s:I}", "code", code, "name", name, "org_id", (json_int_t)org), &j),
                  j, 201);
    *id = jint(j, "id");
    json_decref(j);
    assert_int_equal(kiosk("POST", "/kiosk/pairings/claim", NULL, P("{\"code\": \"%s\", \"secret\": \"%s\"}", code, secret), &j), 200);
    char *dev = strdup(jstr(j, "token"));
    assert_int_equal(jint(j, "screen.id"), *id);
    json_decref(j);
    free(code), free(secret);
    return dev;
}

static void test_pairing(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(kiosk("POST", "/kiosk/pairings", NULL, NULL, &j), 201);
    char *code = strdup(jstr(j, "code")), *secret = strdup(jstr(j, "secret"));
    json_decref(j);
    const char *claim = P("{\"code\": \"%s\", \"secret\": \"%s\"}", code, secret);
    char *claim_body = strdup(claim);
    /* before staff register it: pending; a wrong secret: the same 404 as an unknown code */
    assert_int_equal(kiosk("POST", "/kiosk/pairings/claim", NULL, claim_body, &j), 409);
    assert_string_equal(err_code(j), "pairing_pending");
    json_decref(j);
    assert_int_equal(kiosk("POST", "/kiosk/pairings/claim", NULL, P("{\"code\": \"%s\", \"secret\": \"x\"}", code), &j), 404);
    json_decref(j);
    /* a point's staff cannot register it to another district's point; then to their own */
    expect_api_error("POST", "/screens/pair", p1, jpack("{s:s, s:s, s:I}", "code", code, "name", "一号屏", "org_id", (json_int_t)point_b),
                     404, "not_found", "org_id");
    expect_api_error("POST", "/screens/pair", p1, jpack("{s:s, s:s}", "code", "000000x", "name", "一号屏"), 404, "not_found", "code");
    expect_status(api("POST", "/screens/pair", p1, jpack("{s:s, s:s, s:s}", "code", code, "name", "一号屏", "place", "大厅"), &j), j, 201);
    int64_t id = jint(j, "id");
    assert_int_equal(jint(j, "org_id"), point_1);
    assert_string_equal(jstr(j, "status"), "active");
    assert_false(json_is_true(jget(j, "online")));
    assert_null(jget(j, "token_hash"));
    json_decref(j);
    expect_api_error("POST", "/screens/pair", p1, jpack("{s:s, s:s}", "code", code, "name", "二号屏"), 404, "not_found", "code");
    expect_api_error("GET", P("/screens/%lld", (long long)id), b1, NULL, 404, "not_found", NULL);
    /* the kiosk claims its token once */
    assert_int_equal(kiosk("POST", "/kiosk/pairings/claim", NULL, claim_body, &j), 200);
    char *dev = strdup(jstr(j, "token"));
    assert_true(strlen(dev) >= 20);
    json_decref(j);
    assert_int_equal(kiosk("POST", "/kiosk/pairings/claim", NULL, claim_body, &j), 404);
    json_decref(j);
    /* the token opens the kiosk's playlist (none yet); no token or another: 401 */
    assert_int_equal(kiosk("GET", "/kiosk/playlist", dev, NULL, &j), 200);
    assert_int_equal(jint(j, "screen.id"), id);
    assert_true(json_is_null(jget(j, "playlist")));
    assert_int_equal(json_array_size(jget(j, "items")), 0);
    json_decref(j);
    assert_int_equal(kiosk("GET", "/kiosk/playlist", NULL, NULL, &j), 401);
    json_decref(j);
    assert_int_equal(kiosk("GET", "/kiosk/playlist", "not-a-token", NULL, &j), 401);
    json_decref(j);
    assert_int_equal(list_total(admin, P("/audit?entity=screen&entity_id=%lld", (long long)id)), 2);   /* create, token */
    free(code), free(secret), free(claim_body), free(dev);
}

static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                    0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};

/* A resource of token's node with a PNG version; approved by the city when share. */
static int64_t resource_with_png(const char *token, const char *title, bool share)
{
    json_t *j = NULL;
    expect_status(api("POST", "/resources", token, jpack("{s:s, s:s}", "title", title, "kind", "images"), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    char auth[512];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *headers[] = {auth, "X-File-Name: 图.png", "Content-Type: application/octet-stream", NULL};
    http_resp resp;
    assert_int_equal(http("POST", P(API_BASE "/resources/%lld/versions", (long long)id), headers, (const char *)png, sizeof png, &resp), 201);
    http_resp_free(&resp);
    if (!share) return id;
    expect_status(api("POST", P("/resources/%lld/submit", (long long)id), token, NULL, &j), j, 200);
    json_decref(j);
    expect_status(api("POST", P("/resources/%lld/review", (long long)id), admin, jpack("{s:s}", "decision", "approve"), &j), j, 200);
    json_decref(j);
    return id;
}

static int64_t post_id(const char *token, const char *path, json_t *body, int want)
{
    json_t *j = NULL;
    expect_status(api("POST", path, token, body, &j), j, want);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static void test_playlists_and_plays(void **state)
{
    (void)state;
    int64_t screen = 0, other = 0;
    char *dev = paired(p1, point_1, "播放屏", &screen), *dev2 = paired(b1, point_b, "乙区屏", &other);
    int64_t shared = resource_with_png(admin, "全市共享图集", true), b_own = resource_with_png(b1, "乙区自己的图集", false);
    int64_t notice = post_id(admin, "/notices", jpack("{s:s, s:s, s:b, s:{s:[s]}}", "title", "公开通知", "body", "通知正文",
                                                      "public", 1, "target", "org_types", "district"), 201);
    json_t *j = NULL;
    expect_status(api("POST", P("/notices/%lld/publish", (long long)notice), admin, NULL, &j), j, 200);
    json_decref(j);
    /* an item the node cannot show: 422; a playlist of another district for P1's screen: 404 */
    const char *bad = P("[{\"kind\": \"resource\", \"ref_id\": %lld, \"seconds\": 10}]", (long long)b_own);
    expect_api_error("POST", "/playlists", a_staff, jpack("{s:s, s:o}", "name", "坏列表", "items", json_loads(bad, 0, NULL)), 422,
                     "invalid_field", "items");
    expect_api_error("POST", "/playlists", a_staff, jpack("{s:s, s:[{s:s, s:i}]}", "name", "x", "items", "kind", "courses", "seconds", 1),
                     422, "invalid_field", "items");
    expect_api_error("POST", "/playlists", a_staff, jpack("{s:s, s:s}", "name", "x", "for_type", "planet"), 422, "invalid_field", "for_type");
    int64_t b_list = post_id(b1, "/playlists", jpack("{s:s}", "name", "乙区列表"), 201);
    expect_api_error("PATCH", P("/screens/%lld", (long long)screen), p1, jpack("{s:I}", "playlist_id", (json_int_t)b_list), 404,
                     "not_found", "playlist_id");
    /* a live stream: a public activity's; a private one's is refused */
    json_t *act = jpack("{s:I, s:s, s:s, s:s, s:s, s:i, s:b, s:s}", "org_id", (json_int_t)dist_a, "kind", "lecture", "title", "科普直播",
                        "start_date", "2026-05-18", "end_date", "2026-05-18", "participants", 10, "is_public", 1, "stream_url",
                        "https://live.example.cn/room/1");
    int64_t live = post_id(a_staff, "/activities", act, 201);
    int64_t hidden = post_id(a_staff, "/activities", jpack("{s:I, s:s, s:s, s:s, s:s, s:i, s:s}", "org_id", (json_int_t)dist_a, "kind",
                                                           "lecture", "title", "内部直播", "start_date", "2026-05-18", "end_date",
                                                           "2026-05-18", "participants", 10, "stream_url", "https://live.example.cn/room/2"), 201);
    expect_api_error("POST", "/playlists", a_staff, jpack("{s:s, s:[{s:s, s:I, s:i}]}", "name", "x", "items", "kind", "live", "ref_id",
                                                          (json_int_t)hidden, "seconds", 30), 422, "invalid_field", "items");
    /* the district's default for its points: resource, notice, courses, live */
    const char *items = P("[{\"kind\": \"resource\", \"ref_id\": %lld, \"seconds\": 10}, {\"kind\": \"notice\", \"ref_id\": %lld, "
                          "\"seconds\": 8}, {\"kind\": \"courses\", \"seconds\": 6}, {\"kind\": \"live\", \"ref_id\": %lld, \"seconds\": 60}]",
                          (long long)shared, (long long)notice, (long long)live);
    int64_t by_type = post_id(a_staff, "/playlists", jpack("{s:s, s:s, s:o}", "name", "甲区站点默认", "for_type", "point", "items",
                                                           json_loads(items, 0, NULL)), 201);
    assert_int_equal(kiosk("GET", "/kiosk/playlist", dev, NULL, &j), 200);
    assert_int_equal(jint(j, "playlist.id"), by_type);
    assert_int_equal(json_array_size(jget(j, "items")), 4);
    assert_string_equal(jstr(j, "items.0.kind"), "resource");
    assert_string_equal(jstr(j, "items.3.stream_url"), "https://live.example.cn/room/1");
    assert_string_equal(jstr(j, "items.0.mime"), "image/png");
    assert_string_equal(jstr(j, "items.1.body"), "通知正文");
    assert_string_equal(jstr(j, "items.2.kind"), "courses");
    assert_int_equal(jint(j, "items.0.seconds"), 10);
    json_decref(j);
    /* B's screen is under no A playlist */
    assert_int_equal(kiosk("GET", "/kiosk/playlist", dev2, NULL, &j), 200);
    assert_true(json_is_null(jget(j, "playlist")));
    json_decref(j);
    /* the screen's own playlist wins */
    int64_t own = post_id(p1, "/playlists", jpack("{s:s, s:[{s:s, s:i}]}", "name", "一号屏专用", "items", "kind", "courses", "seconds", 15), 201);
    expect_status(api("PATCH", P("/screens/%lld", (long long)screen), p1, jpack("{s:I}", "playlist_id", (json_int_t)own), &j), j, 200);
    assert_string_equal(jstr(j, "playlist_name"), "一号屏专用");
    json_decref(j);
    /* its courses item: the point's upcoming courses, not another point's */
    char *starts = strdup(shanghai_at(86400)), *ends = strdup(shanghai_at(90000));
    for (int k = 0; k < 2; k++) {
        json_t *body = jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:[{s:s}]}", "org_id", (json_int_t)(k ? point_2 : point_1), "title",
                             k ? "二号站的课" : "一号站明天的课", "category", "health", "starts_at", starts, "ends_at", ends, "place",
                             "活动室", "capacity", 30, "teachers", "name", "李老师");
        expect_status(api("POST", "/courses", a_staff, body, &j), j, 201);
        json_decref(j);
    }
    free(starts), free(ends);
    assert_int_equal(kiosk("GET", "/kiosk/playlist", dev, NULL, &j), 200);
    assert_int_equal(jint(j, "playlist.id"), own);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_int_equal(json_array_size(jget(j, "items.0.courses")), 1);
    assert_string_equal(jstr(j, "items.0.courses.0.title"), "一号站明天的课");
    json_decref(j);
    expect_api_error("DELETE", P("/playlists/%lld", (long long)own), p1, NULL, 409, "playlist_in_use", NULL);
    /* the file of a resource the node reads, with Range; not another's */
    char hdr[256];
    snprintf(hdr, sizeof hdr, "X-Screen-Token: %s", dev);
    const char *h[] = {hdr, "Range: bytes=0-3", NULL};
    http_resp resp;
    assert_int_equal(http("GET", P(API_BASE "/kiosk/resources/%lld/file", (long long)shared), h, NULL, 0, &resp), 206);
    assert_int_equal(resp.body_len, 4);
    assert_memory_equal(resp.body, png, 4);
    http_resp_free(&resp);
    assert_int_equal(kiosk("GET", P("/kiosk/resources/%lld/file", (long long)b_own), dev, NULL, &j), 404);
    json_decref(j);
    /* plays: counted once per sequence; a resource's play is a view at the screen's node */
    const char *beat1 = P("{\"seq\": 1, \"plays\": [{\"kind\": \"resource\", \"ref_id\": %lld}, {\"kind\": \"courses\"}]}", (long long)shared);
    char *b1_body = strdup(beat1);
    assert_int_equal(kiosk("POST", "/kiosk/heartbeat", dev, b1_body, &j), 200);
    assert_true(json_is_true(jget(j, "counted")));
    json_decref(j);
    assert_int_equal(kiosk("POST", "/kiosk/heartbeat", dev, b1_body, &j), 200);   /* a retry after a drop */
    assert_false(json_is_true(jget(j, "counted")));
    assert_int_equal(jint(j, "last_seq"), 1);
    json_decref(j);
    /* a resource played twice is two views; one the node does not read counts no view */
    assert_int_equal(kiosk("POST", "/kiosk/heartbeat", dev,
                           P("{\"seq\": 2, \"plays\": [{\"kind\": \"resource\", \"ref_id\": %lld}, {\"kind\": \"courses\"}, "
                             "{\"kind\": \"resource\", \"ref_id\": %lld}, {\"kind\": \"resource\", \"ref_id\": %lld}]}",
                             (long long)shared, (long long)b_own, (long long)shared), &j), 200);
    assert_true(json_is_true(jget(j, "counted")));
    json_decref(j);
    assert_int_equal(kiosk("POST", "/kiosk/heartbeat", dev, "{\"seq\": 3, \"plays\": [{\"kind\": \"nonsense\"}]}", &j), 422);
    assert_string_equal(err_field(j), "plays");
    json_decref(j);
    assert_int_equal(kiosk("POST", "/kiosk/heartbeat", dev, "{\"seq\": 0}", &j), 422);
    assert_string_equal(err_field(j), "seq");
    json_decref(j);
    assert_int_equal(kiosk("POST", "/kiosk/heartbeat", dev2, "{\"seq\": 5, \"plays\": [{\"kind\": \"courses\"}]}", &j), 200);
    json_decref(j);
    expect_status(api("GET", P("/screens/%lld", (long long)screen), p1, NULL, &j), j, 200);
    assert_int_equal(jint(j, "plays"), 6);
    assert_true(json_is_true(jget(j, "online")));
    json_decref(j);
    assert_int_equal(metric_this_year(admin, point_1, "screen_plays"), 6);
    assert_int_equal(metric_this_year(admin, dist_a, "screen_plays"), 6);
    assert_int_equal(metric_this_year(admin, root, "screen_plays"), 7);
    assert_int_equal(metric_this_year(admin, point_2, "screen_plays"), 0);
    assert_int_equal(metric_this_year(admin, point_1, "resource_views"), 3);
    expect_status(api("GET", P("/resources/%lld", (long long)shared), p1, NULL, &j), j, 200);
    assert_int_equal(jint(j, "views"), 3);
    json_decref(j);
    assert_stats_verify();
    free(b1_body), free(dev), free(dev2);
}

static bool listed(const char *token, const char *query, int64_t id)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/screens%s", query), token, NULL, &j), j, 200);
    bool in = items_have_id(jget(j, "items"), id);
    json_decref(j);
    return in;
}

static void test_offline_and_revoke(void **state)
{
    (void)state;
    int64_t screen = 0;
    char *dev = paired(p1, point_1, "离线屏", &screen);
    json_t *j = NULL;
    assert_true(listed(p1, "?online=false", screen));   /* never a heartbeat */
    assert_int_equal(kiosk("POST", "/kiosk/heartbeat", dev, "{\"seq\": 1}", &j), 200);
    json_decref(j);
    assert_true(listed(p1, "?online=true", screen));
    assert_false(listed(p1, "?online=false", screen));
    sleep(3);   /* past the limit of 2 s */
    assert_true(listed(p1, "?online=false", screen));
    assert_false(listed(p1, "?online=true", screen));
    expect_api_error("GET", "/screens?online=maybe", p1, NULL, 422, "invalid_field", "online");
    /* revoked: the kiosk is refused; another district cannot revoke */
    expect_api_error("POST", P("/screens/%lld/revoke", (long long)screen), b1, NULL, 404, "not_found", NULL);
    expect_status(api("POST", P("/screens/%lld/revoke", (long long)screen), a_staff, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "revoked");
    json_decref(j);
    assert_int_equal(kiosk("GET", "/kiosk/playlist", dev, NULL, &j), 401);
    json_decref(j);
    assert_int_equal(kiosk("POST", "/kiosk/heartbeat", dev, "{\"seq\": 2}", &j), 401);
    json_decref(j);
    assert_true(listed(p1, "?status=revoked", screen));
    /* the export: the filtered list as a workbook */
    http_resp resp;
    assert_int_equal(api_full("GET", "/screens?format=xlsx&status=revoked", p1, NULL, &resp), 200);
    char *sheet = xlsx_sheet_xml(&resp);
    assert_non_null(strstr(sheet, "离线屏"));
    assert_non_null(strstr(sheet, "已停用"));
    free(sheet);
    http_resp_free(&resp);
    free(dev);
}

static void test_admins(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_api_error("POST", "/screen-admins", p1, jpack("{s:s, s:[{s:s, s:s}]}", "name", "王芳", "trainings", "date", "2026-13-01", "title", "培训"),
                     422, "invalid_field", "trainings");
    expect_api_error("POST", "/screen-admins", p1, jpack("{s:s, s:s}", "name", "王芳", "phone", "123"), 422, "invalid_field", "phone");
    expect_status(api("POST", "/screen-admins", p1,
                      jpack("{s:s, s:s, s:[{s:s, s:s}]}", "name", "王芳", "phone", "13812345678", "trainings", "date", "2026-03-01",
                            "title", "科普e站操作培训"), &j), j, 201);
    int64_t id = jint(j, "id");
    assert_int_equal(jint(j, "org_id"), point_1);
    assert_null(strstr(jstr(j, "phone"), "12345678"));
    assert_string_equal(jstr(j, "trainings.0.title"), "科普e站操作培训");
    json_decref(j);
    expect_status(api("PATCH", P("/screen-admins/%lld", (long long)id), p1,
                      jpack("{s:[{s:s, s:s}]}", "awards", "date", "2026-06-01", "title", "优秀管理员"), &j), j, 200);
    assert_string_equal(jstr(j, "awards.0.title"), "优秀管理员");
    assert_string_equal(jstr(j, "trainings.0.date"), "2026-03-01");
    json_decref(j);
    expect_api_error("GET", P("/screen-admins/%lld", (long long)id), b1, NULL, 404, "not_found", NULL);
    expect_status(api("GET", "/screen-admins?q=王", a_staff, NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), id));
    json_decref(j);
    expect_status(api("DELETE", P("/screen-admins/%lld", (long long)id), p1, NULL, &j), j, 204);
    assert_int_equal(list_total(admin, P("/audit?entity=screen_admin&entity_id=%lld", (long long)id)), 3);
    /* the phone is never in the audit in full */
    expect_status(api("GET", P("/audit?entity=screen_admin&entity_id=%lld", (long long)id), admin, NULL, &j), j, 200);
    char *dump = json_dumps(j, 0);
    assert_null(strstr(dump, "12345678"));
    assert_non_null(strstr(dump, "王芳"));
    free(dump);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pairing),
        cmocka_unit_test(test_playlists_and_plays),
        cmocka_unit_test(test_offline_and_revoke),
        cmocka_unit_test(test_admins),
    };
    return run_api_tests(tests, setup, teardown);
}
