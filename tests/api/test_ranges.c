/* test_ranges.c - range requests on file downloads (http/reply.c's reply_file, issue 18 B) over
 * HTTP, on an activity's attachment: each Range form gives 206 with the asked bytes exactly,
 * Content-Range and Content-Length of the part; every download says Accept-Ranges and its ETag;
 * a range past the end is 416 with "bytes * /size"; several ranges, a malformed one and an
 * If-Range that does not match give 200 with the whole file; HEAD answers the same head without
 * a body; and a Range changes nothing about who may download (another district: 404). Exports and
 * the UI's static files answer ranges too (they reply through the same reply_fd). */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define FILE_LEN 5000

static char *admin, *a_staff, *b_staff;
static int64_t file_id, dist_a;
static unsigned char bytes[FILE_LEN];   /* a PDF head, then every byte value over and over */

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    int64_t root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "范围甲区");
    int64_t dist_b = create_org(admin, root, "district", "范围乙区");
    create_user(admin, "ranges_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "ranges_b_staff", dist_b, "staff", "subtree", 0);
    a_staff = login("ranges_a_staff", USER_PASSWORD);
    b_staff = login("ranges_b_staff", USER_PASSWORD);
    json_t *j = NULL;
    expect_status(api("POST", "/activities", a_staff,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)dist_a, "kind", "lecture", "title",
                            "带讲义的讲座", "start_date", "2025-03-03", "end_date", "2025-03-03", "participants", 20), &j), j, 201);
    int64_t activity = jint(j, "id");
    json_decref(j);
    memcpy(bytes, "%PDF-1.4\n", 9);
    for (size_t i = 9; i < FILE_LEN; i++) bytes[i] = (unsigned char)(i * 7 + i / 256);
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", a_staff);
    const char *headers[] = {auth, "Content-Type: application/octet-stream", "X-File-Name: handout.pdf", NULL};
    http_resp resp;
    int st = http("POST", P(API_BASE "/activities/%lld/files", (long long)activity), headers, (const char *)bytes,
                  FILE_LEN, &resp);
    expect_status(st, resp.json, 201);
    file_id = jint(resp.json, "id");
    http_resp_free(&resp);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_staff), free(b_staff);
    return server_stop(state);
}

/* GET (or HEAD) the file as token with these extra headers (NULL-terminated, up to 3). */
static int get_file(const char *method, const char *token, const char *h1, const char *h2, http_resp *resp)
{
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *headers[] = {auth, h1, h2, NULL};
    if (!h1) headers[1] = NULL;
    return http(method, P(API_BASE "/files/%lld", (long long)file_id), headers, NULL, 0, resp);
}

static void expect_header(const http_resp *resp, const char *name, const char *want)
{
    char *v = resp_header(resp, name);
    if (!want) {
        if (v) fail_msg("%s should be absent, is %s", name, v);
        return;
    }
    if (!v) fail_msg("%s missing", name);
    assert_string_equal(v, want);
    free(v);
}

/* The Range header gives 206 with bytes first..last of the file. */
static void expect_part(const char *range, size_t first, size_t last)
{
    http_resp resp;
    assert_int_equal(get_file("GET", a_staff, range, NULL, &resp), 206);
    size_t len = last - first + 1;
    assert_int_equal(resp.body_len, len);
    assert_memory_equal(resp.body, bytes + first, len);
    expect_header(&resp, "Content-Range", P("bytes %zu-%zu/%d", first, last, FILE_LEN));
    expect_header(&resp, "Content-Length", P("%zu", len));
    expect_header(&resp, "Accept-Ranges", "bytes");
    http_resp_free(&resp);
}

/* The request gives 200 with the whole file. */
static void expect_whole(const char *h1, const char *h2)
{
    http_resp resp;
    assert_int_equal(get_file("GET", a_staff, h1, h2, &resp), 200);
    assert_int_equal(resp.body_len, FILE_LEN);
    assert_memory_equal(resp.body, bytes, FILE_LEN);
    expect_header(&resp, "Content-Range", NULL);
    expect_header(&resp, "Accept-Ranges", "bytes");
    http_resp_free(&resp);
}

static void test_range_forms_give_the_asked_bytes(void **state)
{
    (void)state;
    expect_part("Range: bytes=0-99", 0, 99);
    expect_part("Range: bytes=1000-1999", 1000, 1999);
    expect_part("Range: bytes=4990-", 4990, FILE_LEN - 1);
    expect_part("Range: bytes=-300", FILE_LEN - 300, FILE_LEN - 1);
    expect_part("Range: bytes=4000-999999", 4000, FILE_LEN - 1);   /* clipped at the end */
    expect_part("Range: bytes= 10 - 20", 10, 20);
    expect_part("Range: bytes=-99999999999999999999999", 0, FILE_LEN - 1);
    expect_part("Range: bytes=4999-4999", 4999, 4999);
}

static void test_whole_file_and_validators(void **state)
{
    (void)state;
    http_resp resp;
    assert_int_equal(get_file("GET", a_staff, NULL, NULL, &resp), 200);
    assert_int_equal(resp.body_len, FILE_LEN);
    assert_memory_equal(resp.body, bytes, FILE_LEN);
    expect_header(&resp, "Accept-Ranges", "bytes");
    char *etag = resp_header(&resp, "ETag");
    assert_non_null(etag);
    assert_int_equal(strlen(etag), 66);            /* the quoted SHA-256 of the bytes */
    http_resp_free(&resp);
    expect_whole("Range: bytes=0-1,5-6", NULL);   /* several ranges: the whole file */
    expect_whole("Range: bytes=5-3", NULL);       /* malformed: ignored */
    expect_whole("Range: items=0-5", NULL);
    expect_whole("Range: bytes=0-99", "If-Range: \"0000\"");              /* a tag that does not match */
    expect_whole("Range: bytes=0-99", P("If-Range: W/%s", etag));         /* weak never matches */
    expect_whole("Range: bytes=0-99", "If-Range: Wed, 21 Oct 2015 07:28:00 GMT");   /* no date to match */
    expect_part("Range: bytes=0-99", 0, 99);
    assert_int_equal(get_file("GET", a_staff, "Range: bytes=100-199", P("If-Range: %s", etag), &resp), 206);
    assert_memory_equal(resp.body, bytes + 100, 100);
    http_resp_free(&resp);
    free(etag);
}

static void test_unsatisfiable_is_416(void **state)
{
    (void)state;
    const char *asks[] = {"Range: bytes=5000-", "Range: bytes=6000-7000", "Range: bytes=-0",
                          "Range: bytes=99999999999999999999999-", NULL};
    for (int i = 0; asks[i]; i++) {
        http_resp resp;
        assert_int_equal(get_file("GET", a_staff, asks[i], NULL, &resp), 416);
        expect_header(&resp, "Content-Range", P("bytes */%d", FILE_LEN));
        assert_true(error_shape_ok(resp.json));
        assert_string_equal(err_code(resp.json), "range_not_satisfiable");
        http_resp_free(&resp);
    }
}

static void test_head_answers_the_same_head(void **state)
{
    (void)state;
    http_resp resp;
    assert_int_equal(get_file("HEAD", a_staff, "Range: bytes=10-19", NULL, &resp), 206);
    assert_int_equal(resp.body_len, 0);
    expect_header(&resp, "Content-Range", P("bytes 10-19/%d", FILE_LEN));
    expect_header(&resp, "Content-Length", "10");
    http_resp_free(&resp);
    assert_int_equal(get_file("HEAD", a_staff, NULL, NULL, &resp), 200);
    assert_int_equal(resp.body_len, 0);
    expect_header(&resp, "Content-Length", P("%d", FILE_LEN));
    expect_header(&resp, "Accept-Ranges", "bytes");
    http_resp_free(&resp);
}

static void test_range_does_not_widen_scope(void **state)
{
    (void)state;
    http_resp resp;
    assert_int_equal(get_file("GET", b_staff, "Range: bytes=0-99", NULL, &resp), 404);
    expect_header(&resp, "Content-Range", NULL);
    assert_true(resp.body_len < 1000 && !strstr(resp.body, "%PDF"));   /* an error, none of the bytes */
    http_resp_free(&resp);
    assert_int_equal(get_file("GET", b_staff, "Range: bytes=9999-", NULL, &resp), 404);   /* not 416 either */
    http_resp_free(&resp);
    const char *headers[] = {"Range: bytes=0-99", NULL};
    assert_int_equal(http("GET", P(API_BASE "/files/%lld", (long long)file_id), headers, NULL, 0, &resp), 401);
    http_resp_free(&resp);
}

/* GET path (an API path when token is set) with headers; the status, *resp the answer. */
static int get_path(const char *path, const char *token, const char *range, http_resp *resp)
{
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token ? token : "");
    const char *headers[3] = {NULL, NULL, NULL};
    int n = 0;
    if (token) headers[n++] = auth;
    if (range) headers[n++] = range;
    return http("GET", token ? P(API_BASE "%s", path) : path, headers, NULL, 0, resp);
}

static void test_exports_and_static_files_answer_ranges(void **state)
{
    (void)state;
    http_resp whole, part;
    const char *export = P("/activities/export.xlsx?org_id=%lld&from=2025-01-01&to=2025-12-31", (long long)dist_a);
    assert_int_equal(get_path(export, a_staff, NULL, &whole), 200);
    expect_header(&whole, "Accept-Ranges", "bytes");
    assert_int_equal(get_path(export, a_staff, "Range: bytes=0-1", &part), 206);
    assert_int_equal(part.body_len, 2);
    assert_memory_equal(part.body, "PK", 2);   /* a workbook is a zip */
    expect_header(&part, "Content-Range", P("bytes 0-1/%zu", whole.body_len));
    http_resp_free(&whole), http_resp_free(&part);
    assert_int_equal(get_path("/", NULL, NULL, &whole), 200);
    expect_header(&whole, "Accept-Ranges", "bytes");
    assert_true(whole.body_len > 10);
    assert_int_equal(get_path("/", NULL, "Range: bytes=3-9", &part), 206);
    assert_int_equal(part.body_len, 7);
    assert_memory_equal(part.body, whole.body + 3, 7);
    expect_header(&part, "Content-Range", P("bytes 3-9/%zu", whole.body_len));
    http_resp_free(&whole), http_resp_free(&part);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range_forms_give_the_asked_bytes),
        cmocka_unit_test(test_whole_file_and_validators),
        cmocka_unit_test(test_unsatisfiable_is_416),
        cmocka_unit_test(test_head_answers_the_same_head),
        cmocka_unit_test(test_range_does_not_widen_scope),
        cmocka_unit_test(test_exports_and_static_files_answer_ranges),
    };
    return run_api_tests(tests, setup, teardown);
}
