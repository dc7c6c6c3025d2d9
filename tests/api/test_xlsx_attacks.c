/* test_xlsx_attacks.c - hostile workbooks posted as dry-run imports to both import endpoints
 * (students, volunteers) by a staff account, the files built here by hand with libzip:
 * - one 8 MiB shared string referenced by 1,000 cells (8 GB if copied per cell);
 * - a legal 32,767-character shared string in every cell of 5,000 rows (interned, not copied);
 * - an internal entity repeated 21 M times (63 MB of XML from a ~62 KB file);
 * - a DOCTYPE in workbook.xml, its relationships, sharedStrings.xml or the sheet;
 * - 320,000 cells, past the cell cap; 200,000 empty zip entries, past the entry cap.
 * Each is refused with 422 naming the limit (or answered 200 row by row for the legal one),
 * quickly, the server answers the next request, and its peak resident memory stays small. A second server with KEPU_REQUEST_MEMORY
 * at 4 MiB answers 503 out_of_memory for a workbook that needs more and stays up. */
#define _GNU_SOURCE  /* vasprintf */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <dirent.h>
#include <zip.h>

static char *admin, *staff;
static int64_t point, org;

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    int64_t root = root_org_id(admin);
    int64_t dist = create_org(admin, root, "district", "攻击测试区");
    point = create_org(admin, dist, "point", "攻击测试教学点");
    org = create_org(admin, dist, "street", "攻击测试街道");
    create_user(admin, "xatk_staff", dist, "staff", "subtree", 0);
    staff = login("xatk_staff", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(staff);
    return server_stop(state);
}

/* ---- building workbooks by hand ---- */

#define WORKBOOK_XML                                                                                           \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%s<workbook "                                                    \
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "                                      \
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"                 \
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS_XML                                                                                               \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%s<Relationships "                                               \
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" "         \
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "                    \
    "Target=\"worksheets/sheet1.xml\"/></Relationships>"
#define SHEET_HEAD                                                                                             \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%s<worksheet "                                                   \
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"
#define SST_HEAD                                                                                               \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%s<sst "                                                         \
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"

typedef struct part {
    const char *name;
    char *data;                /* malloc'd */
    size_t len;
} part;

/* The parts of a workbook, zipped (deflated) into memory; *len bytes, malloc'd. */
static char *zip_parts(const part *parts, int n, size_t *len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/attack-%d.xlsx", server_dir(), rand());
    int err;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    for (int i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(z, parts[i].data, parts[i].len, 0);
        zip_int64_t idx = zip_file_add(z, parts[i].name, src, ZIP_FL_OVERWRITE);
        assert_true(idx >= 0);
        zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9);
    }
    assert_int_equal(zip_close(z), 0);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *bytes = malloc(*len);
    assert_int_equal(fread(bytes, 1, *len, f), *len);
    fclose(f);
    remove(path);
    return bytes;
}

static char *text(size_t *len, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *text(size_t *len, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    *len = (size_t)n;
    return s;
}

/* A workbook of the given sheet and shared strings; a doctype (or "") goes into each part whose
 * flag is set in where: 1 workbook.xml, 2 its relationships, 4 sharedStrings, 8 the sheet. */
static char *book(const char *sheet_body, const char *sst_body, const char *doctype, int where, size_t *len)
{
    part p[4] = {
        {"xl/workbook.xml", NULL, 0}, {"xl/_rels/workbook.xml.rels", NULL, 0},
        {"xl/worksheets/sheet1.xml", NULL, 0}, {"xl/sharedStrings.xml", NULL, 0},
    };
    p[0].data = text(&p[0].len, WORKBOOK_XML, where & 1 ? doctype : "");
    p[1].data = text(&p[1].len, RELS_XML, where & 2 ? doctype : "");
    p[2].data = text(&p[2].len, SHEET_HEAD "%s" SHEET_TAIL, where & 8 ? doctype : "", sheet_body);
    p[3].data = text(&p[3].len, SST_HEAD "%s</sst>", where & 4 ? doctype : "", sst_body ? sst_body : "");
    char *bytes = zip_parts(p, sst_body ? 4 : 3, len);
    for (int i = 0; i < 4; i++) free(p[i].data);
    return bytes;
}

/* ---- posting them ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A dry-run import to /students/import (which = 0) or /volunteers/import (1); *seconds taken. */
static int import(int which, const char *bytes, size_t len, json_t **out, double *seconds)
{
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", staff);
    const char *headers[] = {auth, NULL};
    http_resp resp;
    double t0 = now_s();
    int st = http("POST",
                  which == 0 ? P(API_BASE "/students/import?org_id=%lld", (long long)point)
                             : P(API_BASE "/volunteers/import?org_id=%lld", (long long)org),
                  headers, bytes, len, &resp);
    if (seconds) *seconds = now_s() - t0;
    *out = json_incref(resp.json);
    http_resp_free(&resp);
    return st;
}

/* The server's peak resident memory (VmHWM, kB), found by its --db under server_dir(); -1 when
 * it cannot be read. */
static long server_peak_kb(void)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    long kb = -1;
    while (d && kb < 0 && (e = readdir(d))) {
        char path[300], cmd[4096];
        snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        size_t n = fread(cmd, 1, sizeof cmd - 1, f);
        fclose(f);
        bool serve = false, ours = false;
        for (size_t i = 0; i < n; i += strlen(cmd + i) + 1) {
            cmd[n] = 0;
            serve |= !strcmp(cmd + i, "serve");
            ours |= strstr(cmd + i, server_dir()) != NULL;
        }
        if (!serve || !ours) continue;
        snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
        if (!(f = fopen(path, "r"))) continue;
        char line[256];
        while (fgets(line, sizeof line, f))
            if (!strncmp(line, "VmHWM:", 6)) kb = atol(line + 6);
        fclose(f);
    }
    if (d) closedir(d);
    return kb;
}

/* The server is alive: it answers the next request, and a small good workbook imports dry. */
static void expect_alive(void)
{
    json_t *j = NULL;
    expect_status(api("GET", "/health", NULL, NULL, &j), j, 200);
    json_decref(j);
    size_t len;
    char *good = book("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
                      "<c r=\"C1\" t=\"s\"><v>2</v></c></row>",
                      "<si><t>姓名</t></si><si><t>手机号</t></si><si><t>身份证号</t></si>", "", 0, &len);
    expect_status(import(0, good, len, &j, NULL), j, 200);
    assert_int_equal(jint(j, "rows"), 0);
    json_decref(j);
    free(good);
}

/* Both endpoints refuse the file with this status, code and field, within max_s seconds each. */
static void expect_refused_by_both(const char *bytes, size_t len, int status, const char *code, const char *field,
                                   double max_s)
{
    for (int which = 0; which < 2; which++) {
        json_t *j = NULL;
        double s;
        expect_error(import(which, bytes, len, &j, &s), j, status, code, field);
        json_decref(j);
        print_message("  %s: %d %s in %.2f s\n", which ? "volunteers" : "students", status, code, s);
        if (s > max_s) fail_msg("endpoint %d took %.1f s (at most %.1f)", which, s, max_s);
        expect_alive();
    }
}

/* 1,000 cells referencing one 8 MiB shared string: once 8 GB and an abort, now the string alone
 * is refused (past Excel's 32,767 characters) before a cell refers to it. */
static void test_huge_shared_string_in_many_cells_refused(void **state)
{
    (void)state;
    size_t big = 8u << 20;
    char *sst = malloc(big + 32);
    memcpy(sst, "<si><t>", 7);
    memset(sst + 7, 'A', big);
    strcpy(sst + 7 + big, "</t></si>");
    char *sheet = malloc(1000 * 64);
    size_t at = 0;
    for (int r = 1; r <= 1000; r++) at += (size_t)sprintf(sheet + at, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>0</v></c></row>", r, r);
    size_t len;
    char *bytes = book(sheet, sst, "", 0, &len);
    free(sst), free(sheet);
    assert_true(len < 64 * 1024);                 /* a small upload, as in the report (9.6 KB) */
    expect_refused_by_both(bytes, len, 422, "workbook_too_large", "max_cell_chars", 10);
    free(bytes);
}

/* A legal 32,767-character string in every cell of 5,000 rows: the reader keeps it once and the
 * import checks each row without copying it per cell or per row (that was 35,000 copies, over
 * 1 GB); every row is answered as an error, quickly. */
static void test_longest_legal_string_everywhere_answered(void **state)
{
    (void)state;
    static const char *const heads[2][7] = {{"姓名", "手机号", "性别", "年龄段", "身份证号", "科普信息员", NULL},
                                            {"姓名", "身份证号", "手机号", "性别", "技能特长", "服务领域", "服务时间"}};
    size_t n = 32767;
    char *sst = malloc(n + 512);
    size_t at = (size_t)sprintf(sst, "<si><t>");
    memset(sst + at, '1', n);
    at += n;
    at += (size_t)sprintf(sst + at, "</t></si>");
    for (int which = 0; which < 2; which++) {
        int ncols = which == 0 ? 6 : 7;
        size_t cap = 5001u * 7 * 48 + 4096;
        char *sheet = malloc(cap);
        size_t s = 0;
        s += (size_t)sprintf(sheet + s, "<row r=\"1\">");
        for (int c = 0; c < ncols; c++)
            s += (size_t)sprintf(sheet + s, "<c r=\"%c1\" t=\"inlineStr\"><is><t>%s</t></is></c>", 'A' + c, heads[which][c]);
        s += (size_t)sprintf(sheet + s, "</row>");
        for (int r = 2; r <= 5001; r++) {
            s += (size_t)sprintf(sheet + s, "<row r=\"%d\">", r);
            for (int c = 0; c < ncols; c++) s += (size_t)sprintf(sheet + s, "<c r=\"%c%d\" t=\"s\"><v>0</v></c>", 'A' + c, r);
            s += (size_t)sprintf(sheet + s, "</row>");
        }
        size_t len;
        char *bytes = book(sheet, sst, "", 0, &len);
        free(sheet);
        json_t *j = NULL;
        double secs;
        expect_status(import(which, bytes, len, &j, &secs), j, 200);
        assert_int_equal(jint(j, "rows"), 5000);
        assert_int_equal(jint(j, "valid"), 0);
        /* every problem of a row is told: here every column of every row is wrong, and every row
         * after the first repeats its phone / ID number */
        assert_int_equal(json_array_size(jget(j, "errors")), 5000 * ncols + 4999);
        assert_string_equal(jstr(j, "errors.0.field"), "name");
        assert_int_equal(jint(j, "errors.1.row"), 2);
        json_decref(j);
        print_message("  %s: 200 in %.2f s\n", which ? "volunteers" : "students", secs);
        if (secs > 20) fail_msg("endpoint %d took %.1f s", which, secs);
        free(bytes);
        expect_alive();
    }
    free(sst);
}

/* An internal entity referenced 21 M times (63 MB of XML, below expat's amplification ratio):
 * once 89 s of CPU and 15 GB; now the DOCTYPE that declares it is refused on sight. */
static void test_entity_expansion_refused(void **state)
{
    (void)state;
    size_t refs = 21u * 1000 * 1000, n = refs * 3;
    char *sst = malloc(n + 64);
    size_t at = (size_t)sprintf(sst, "<si><t>");
    for (size_t i = 0; i < refs; i++, at += 3) memcpy(sst + at, "&e;", 3);
    strcpy(sst + at, "</t></si>");
    size_t len;
    char *bytes = book("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", sst,
                       "<!DOCTYPE sst [<!ENTITY e \"xy\">]>", 4, &len);
    free(sst);
    assert_true(len < 256 * 1024);
    expect_refused_by_both(bytes, len, 422, "doctype_refused", "file", 10);
    free(bytes);
}

/* A DOCTYPE, even an empty one, in any part of the workbook is refused. */
static void test_doctype_in_any_part_refused(void **state)
{
    (void)state;
    static const char *const doctypes[] = {"<!DOCTYPE x>", "<!DOCTYPE x SYSTEM \"file:///etc/passwd\">",
                                           "<!DOCTYPE x [<!ENTITY a \"b\">]>"};
    for (int where = 1; where <= 8; where <<= 1)
        for (size_t d = 0; d < sizeof doctypes / sizeof *doctypes; d++) {
            size_t len;
            char *bytes = book("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", "<si><t>姓名</t></si>",
                               doctypes[d], where, &len);
            expect_refused_by_both(bytes, len, 422, "doctype_refused", "file", 5);
            free(bytes);
        }
}

/* 5,000 rows of 64 numeric cells: 320,000 cells, past the cap of 200,000. */
static void test_too_many_cells_refused(void **state)
{
    (void)state;
    size_t cap = 5000u * 64 * 40 + 4096, s = 0;
    char *sheet = malloc(cap);
    for (int r = 1; r <= 5000; r++) {
        s += (size_t)sprintf(sheet + s, "<row r=\"%d\">", r);
        for (int c = 0; c < 64; c++) s += (size_t)sprintf(sheet + s, "<c><v>%d</v></c>", c);
        s += (size_t)sprintf(sheet + s, "</row>");
    }
    size_t len;
    char *bytes = book(sheet, NULL, "", 0, &len);
    free(sheet);
    expect_refused_by_both(bytes, len, 422, "workbook_too_large", "max_cells", 10);
    free(bytes);
}

/* After every attack above, the server's peak resident memory stayed small (before: 8 GB asked,
 * 15 GB resident). Runs last in its group. */
static void test_peak_memory_stayed_small(void **state)
{
    (void)state;
    long kb = server_peak_kb();
    print_message("  server peak resident memory: %ld kB\n", kb);
    assert_true(kb > 0);
    assert_true(kb < 512 * 1024);
}

/* A valid workbook padded with 12,000 empty entries, past the cap of 10,000 parts: libzip would
 * load its whole directory before a part is read (about 58 MB for the 200,000 entries a 20 MiB
 * upload can hold), so the count in the zip's end record is refused first. (12,000 rather than
 * 200,000: libzip takes minutes to write that many under AddressSanitizer.) */
static void test_too_many_zip_entries_refused(void **state)
{
    (void)state;
    size_t len;
    char *bytes = book("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", "<si><t>姓名</t></si>", "", 0, &len);
    char path[256];
    snprintf(path, sizeof path, "%s/parts-%d.xlsx", server_dir(), rand());
    FILE *f = fopen(path, "wb");
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    fclose(f);
    free(bytes);
    int err;
    zip_t *z = zip_open(path, 0, &err);
    assert_non_null(z);
    for (int i = 0; i < 12000; i++) {
        char name[16];
        snprintf(name, sizeof name, "%x", i);
        assert_true(zip_file_add(z, name, zip_source_buffer(z, "", 0, 0), 0) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    len = (size_t)ftell(f);
    rewind(f);
    bytes = malloc(len);
    assert_int_equal(fread(bytes, 1, len, f), len);
    fclose(f);
    remove(path);
    expect_refused_by_both(bytes, len, 422, "workbook_too_large", "max_parts", 5);
    free(bytes);
}

/* ---- a second server whose requests may hold 4 MiB ---- */

static int setup_small(void **state)
{
    setenv("KEPU_REQUEST_MEMORY", "4194304", 1);
    int rc = setup(state);
    unsetenv("KEPU_REQUEST_MEMORY");
    return rc;
}

/* 300 different strings of 20,000 characters (6 MB, within every cap of the reader) need more
 * than the request may hold: 503 out_of_memory for that request, and the server carries on. */
static void test_request_memory_cap_answers_503(void **state)
{
    (void)state;
    size_t each = 20000, n = 300;
    char *sst = malloc(n * (each + 32));
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        at += (size_t)sprintf(sst + at, "<si><t>%05zu", i);
        memset(sst + at, 'x', each - 5);
        at += each - 5;
        at += (size_t)sprintf(sst + at, "</t></si>");
    }
    size_t len;
    char *bytes = book("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", sst, "", 0, &len);
    free(sst);
    expect_refused_by_both(bytes, len, 503, "out_of_memory", NULL, 10);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest attacks[] = {
        cmocka_unit_test(test_huge_shared_string_in_many_cells_refused),
        cmocka_unit_test(test_longest_legal_string_everywhere_answered),
        cmocka_unit_test(test_entity_expansion_refused),
        cmocka_unit_test(test_doctype_in_any_part_refused),
        cmocka_unit_test(test_too_many_cells_refused),
        cmocka_unit_test(test_too_many_zip_entries_refused),
        cmocka_unit_test(test_peak_memory_stayed_small),
    };
    const struct CMUnitTest small[] = {
        cmocka_unit_test(test_request_memory_cap_answers_503),
    };
    int failed = run_api_tests(attacks, setup, teardown);
    return run_api_tests(small, setup_small, teardown) || failed;
}
