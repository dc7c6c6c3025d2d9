/* test_files.c - photos and attachments of activities over HTTP: the raw bytes come back
 * unchanged; the type is judged from the bytes (a text file named .png is refused); names are
 * checked; size is capped (413, nothing kept, no spool file left); scope and role hold for
 * upload, list, download and delete; deletes are audited and follow the activity; a .docx,
 * .xlsx or .pptx must be an Office package (any zip renamed .docx: 422). */
#include "harness.h"
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>
#include <cmocka.h>

#define MAX_UPLOAD 65536

static char *admin, *a_staff, *b_staff, *a_teacher;
static int64_t root, dist_a, dist_b, activity_a;

/* A 1x1 PNG (signature, IHDR, IDAT, IEND). */
static const unsigned char png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0,
    0, 0x90, 0x77, 0x53, 0xDE, 0, 0, 0, 12, 'I', 'D', 'A', 'T', 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0, 0, 3, 1, 1, 0,
    0xC9, 0xFE, 0x92, 0xEF, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};

static int setup(void **state)
{
    setenv("KEPU_MAX_UPLOAD", "65536", 1);
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "附件甲区");
    dist_b = create_org(admin, root, "district", "附件乙区");
    create_user(admin, "files_a_staff", dist_a, "staff", "subtree", 0);
    create_user(admin, "files_b_staff", dist_b, "staff", "subtree", 0);
    create_user(admin, "files_a_teacher", dist_a, "teacher", "subtree", 0);
    a_staff = login("files_a_staff", USER_PASSWORD);
    b_staff = login("files_b_staff", USER_PASSWORD);
    a_teacher = login("files_a_teacher", USER_PASSWORD);
    json_t *j = NULL;
    expect_status(api("POST", "/activities", a_staff,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)dist_a, "kind", "lecture", "title",
                            "带照片的讲座", "start_date", "2025-03-03", "end_date", "2025-03-03", "participants", 20), &j), j, 201);
    activity_a = jint(j, "id");
    json_decref(j);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_staff), free(b_staff), free(a_teacher);
    return server_stop(state);
}

/* POST the bytes as a file of this name (NULL: no name header); returns the status, *out the answer. */
static int upload(const char *token, int64_t activity, const char *name, const void *bytes, size_t len, json_t **out)
{
    char auth[256], fname[512];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    snprintf(fname, sizeof fname, "X-File-Name: %s", name ? name : "");
    const char *headers[] = {auth, "Content-Type: application/octet-stream", name ? fname : NULL, NULL};
    http_resp resp;
    int st = http("POST", P(API_BASE "/activities/%lld/files", (long long)activity), headers, bytes, len, &resp);
    if (out) *out = json_incref(resp.json);
    http_resp_free(&resp);
    return st;
}

/* A zip archive holding these entries (each a little text), malloc'd bytes in *len. */
static char *make_zip(const char *const *entries, size_t *len)
{
    const char *path = P("%s/made.zip", server_dir());
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    for (size_t i = 0; entries[i]; i++) {
        zip_source_t *src = zip_source_buffer(z, "<x/>", 4, 0);
        assert_true(zip_file_add(z, entries[i], src, ZIP_FL_OVERWRITE) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(65536);
    *len = fread(buf, 1, 65536, f);
    fclose(f);
    return buf;
}

static const char *const docx_parts[] = {"[Content_Types].xml", "_rels/.rels", "word/document.xml", NULL};

static size_t file_count(const char *token, int64_t activity)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/activities/%lld/files", (long long)activity), token, NULL, &j), j, 200);
    size_t n = json_array_size(jget(j, "items"));
    json_decref(j);
    return n;
}

/* Files in the upload spool: of the store the server was given (the harness's default, or
 * KEPU_FILES_DIR when the run sets one for all its servers). */
static int spool_entries(void)
{
    const char *store = getenv("KEPU_FILES_DIR");
    DIR *d = opendir(store ? P("%s/tmp", store) : P("%s/files/tmp", server_dir()));
    if (!d) return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* The spool entries once the server has freed the requests it answered: a refused upload's spool
 * file goes when MHD calls the request's completion, which may come a moment after the client
 * has read the answer (a 413 closes the connection first). Waits up to 2 s for none. */
static int spool_entries_settled(void)
{
    int n = spool_entries();
    for (int i = 0; n > 0 && i < 200; i++) {
        nanosleep(&(struct timespec){0, 10000000L}, NULL);
        n = spool_entries();
    }
    return n;
}

static void test_upload_and_download_round_trip(void **state)
{
    (void)state;
    json_t *j = NULL;
    /* 活动照片.png, percent-encoded as browsers send it */
    expect_status(upload(a_staff, activity_a, "%E6%B4%BB%E5%8A%A8%E7%85%A7%E7%89%87.png", png, sizeof png, &j), j, 201);
    assert_string_equal(jstr(j, "name"), "活动照片.png");
    assert_string_equal(jstr(j, "mime"), "image/png");
    assert_int_equal(jint(j, "size"), sizeof png);
    assert_int_equal(strlen(jstr(j, "sha256")), 64);
    int64_t id = jint(j, "id");
    json_decref(j);
    http_resp resp;
    assert_int_equal(api_full("GET", P("/files/%lld", (long long)id), a_staff, NULL, &resp), 200);
    assert_int_equal(resp.body_len, sizeof png);
    assert_memory_equal(resp.body, png, sizeof png);
    char *type = resp_header(&resp, "Content-Type"), *disp = resp_header(&resp, "Content-Disposition");
    assert_string_equal(type, "image/png");
    assert_non_null(strstr(disp, "filename*=UTF-8''%E6%B4%BB%E5%8A%A8%E7%85%A7%E7%89%87.png"));
    free(type), free(disp);
    http_resp_free(&resp);
    /* the same bytes again: a second attachment sharing the stored copy */
    expect_status(upload(a_staff, activity_a, "copy.png", png, sizeof png, &j), j, 201);
    json_decref(j);
    assert_int_equal(file_count(a_staff, activity_a), 2);
    /* a zip is accepted only as an office file */
    size_t n;
    char *docx = make_zip(docx_parts, &n);
    expect_status(upload(a_staff, activity_a, "总结.docx", docx, n, &j), j, 201);
    assert_non_null(strstr(jstr(j, "mime"), "wordprocessingml"));
    json_decref(j);
    free(docx);
    assert_int_equal(spool_entries_settled(), 0);
}

static void test_bad_uploads_keep_nothing(void **state)
{
    (void)state;
    size_t before = file_count(a_staff, activity_a);
    int64_t audits = list_total(admin, "/audit?entity=activity_file");
    static const char text[] = "just some text, not a picture";
    static const char zip[] = "PK\x03\x04 an archive";
    json_t *j = NULL;
    expect_error(upload(a_staff, activity_a, "photo.png", text, sizeof text - 1, &j), j, 415, "unsupported_type", "file");
    json_decref(j);
    expect_error(upload(a_staff, activity_a, "tools.zip", zip, sizeof zip - 1, &j), j, 415, "unsupported_type", "file");
    json_decref(j);
    expect_error(upload(a_staff, activity_a, NULL, png, sizeof png, &j), j, 422, "invalid_field", "name");
    json_decref(j);
    expect_error(upload(a_staff, activity_a, "..%2Fetc%2Fpasswd.png", png, sizeof png, &j), j, 422, "invalid_field", "name");
    json_decref(j);
    expect_error(upload(a_staff, activity_a, "empty.png", "", 0, &j), j, 422, "required", "file");
    json_decref(j);
    char *big = calloc(1, MAX_UPLOAD + 1);
    memcpy(big, png, sizeof png);
    expect_error(upload(a_staff, activity_a, "big.png", big, MAX_UPLOAD + 1, &j), j, 413, "body_too_large", NULL);
    json_decref(j);
    free(big);
    assert_int_equal(file_count(a_staff, activity_a), before);
    assert_int_equal(list_total(admin, "/audit?entity=activity_file"), audits);
    assert_int_equal(spool_entries_settled(), 0);
    expect_status(api("GET", "/health", NULL, NULL, NULL), NULL, 200);
}

/* Issue 12: any zip renamed .docx was stored as a Word document (the sniffing saw "PK" and
 * trusted the name). Now it must be an Office package of that kind. */
static void test_a_docx_must_be_an_office_package_not_any_zip(void **state)
{
    (void)state;
    size_t before = file_count(a_staff, activity_a), n;
    json_t *j = NULL;
    static const char fake[] = "PK\x03\x04 not really an archive";
    expect_error(upload(a_staff, activity_a, "报告.docx", fake, sizeof fake - 1, &j), j, 422, "invalid_field", "file");
    json_decref(j);
    const char *const any_zip[] = {"readme.txt", "tools/run.sh", NULL};
    const char *const no_main_part[] = {"[Content_Types].xml", "_rels/.rels", NULL};
    const char *const no_content_types[] = {"word/document.xml", NULL};
    const char *const workbook[] = {"[Content_Types].xml", "xl/workbook.xml", NULL};
    const char *const *refused[] = {any_zip, no_main_part, no_content_types, workbook};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        char *bytes = make_zip(refused[i], &n);
        expect_error(upload(a_staff, activity_a, "报告.docx", bytes, n, &j), j, 422, "invalid_field", "file");
        json_decref(j);
        free(bytes);
    }
    /* the workbook is an xlsx, and is accepted under that name */
    char *bytes = make_zip(workbook, &n);
    expect_status(upload(a_staff, activity_a, "表.xlsx", bytes, n, &j), j, 201);
    assert_non_null(strstr(jstr(j, "mime"), "spreadsheetml"));
    json_decref(j);
    free(bytes);
    assert_int_equal(file_count(a_staff, activity_a), before + 1);
    assert_int_equal(spool_entries_settled(), 0);
}

static void test_scope_and_role_hold(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", P("/activities/%lld/files", (long long)activity_a), a_staff, NULL, &j), j, 200);
    int64_t fid = jint(j, "items.0.id");
    json_decref(j);
    /* another district: the activity and its files do not exist */
    expect_error(upload(b_staff, activity_a, "x.png", png, sizeof png, &j), j, 404, "not_found", "*");
    json_decref(j);
    expect_api_error("GET", P("/activities/%lld/files", (long long)activity_a), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("GET", P("/files/%lld", (long long)fid), b_staff, NULL, 404, "not_found", "*");
    expect_api_error("DELETE", P("/activities/%lld/files/%lld", (long long)activity_a, (long long)fid), b_staff, NULL,
                     404, "not_found", "*");
    /* a teacher of the district sees them but may not add or remove */
    assert_true(file_count(a_teacher, activity_a) > 0);
    expect_error(upload(a_teacher, activity_a, "x.png", png, sizeof png, &j), j, 403, "forbidden", NULL);
    json_decref(j);
    expect_api_error("DELETE", P("/activities/%lld/files/%lld", (long long)activity_a, (long long)fid), a_teacher, NULL,
                     403, "forbidden", NULL);
    /* no login, no file */
    expect_api_error("GET", P("/files/%lld", (long long)fid), NULL, NULL, 401, "unauthorized", NULL);
}

static void test_delete_is_audited_and_follows_the_activity(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("GET", P("/activities/%lld/files", (long long)activity_a), a_staff, NULL, &j), j, 200);
    int64_t first = jint(j, "items.0.id"), second = jint(j, "items.1.id");
    size_t before = json_array_size(jget(j, "items"));
    json_decref(j);
    expect_status(api("DELETE", P("/activities/%lld/files/%lld", (long long)activity_a, (long long)first), a_staff, NULL, NULL), NULL, 204);
    assert_int_equal(file_count(a_staff, activity_a), before - 1);
    expect_api_error("GET", P("/files/%lld", (long long)first), a_staff, NULL, 404, "not_found", "*");
    /* the copy sharing its bytes still downloads */
    expect_status(api("GET", P("/files/%lld", (long long)second), a_staff, NULL, NULL), NULL, 200);
    expect_status(api("GET", P("/audit?entity=activity_file&entity_id=%lld", (long long)first), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 2);                              /* create and delete */
    json_decref(j);
    expect_status(api("DELETE", P("/activities/%lld", (long long)activity_a), a_staff, NULL, NULL), NULL, 204);
    expect_api_error("GET", P("/files/%lld", (long long)second), admin, NULL, 404, "not_found", "*");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upload_and_download_round_trip),
        cmocka_unit_test(test_bad_uploads_keep_nothing),
        cmocka_unit_test(test_a_docx_must_be_an_office_package_not_any_zip),
        cmocka_unit_test(test_scope_and_role_hold),
        cmocka_unit_test(test_delete_is_audited_and_follows_the_activity),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
