/* test_docs.c - document output: spreadsheet text that would run as a formula is neutralized,
 * and a workbook streams rows without keeping them: while a sheet of 20,000 rows is written its
 * rows are already in libxlsxwriter's temporary file on disk and the heap has not grown with
 * them, and the workbook sent holds every row, the neutralized text and the totals formula. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "io/export.h"
#include "http/request.h"
#include <dirent.h>
#include <malloc.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROWS 20000

static void test_formula_prefixes_are_detected(void **state)
{
    (void)state;
    assert_true(xlsx_formula_like("=SUM(A1)"));
    assert_true(xlsx_formula_like("+1"));
    assert_true(xlsx_formula_like("-2+3"));
    assert_true(xlsx_formula_like("@cmd"));
    assert_false(xlsx_formula_like("防诈骗讲座"));
    assert_false(xlsx_formula_like("a=b"));
    assert_false(xlsx_formula_like(NULL));
}

/* The descriptors of this process open on deleted files under /tmp whose name starts with
 * prefix ("" for any): *bytes gets their total size, the answer one of them (-1: none). */
static int deleted_tmp_files(const char *prefix, long long *bytes)
{
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    int found = -1;
    *bytes = 0;
    char want[128];
    snprintf(want, sizeof want, "/tmp/%s", prefix);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        int fd = atoi(e->d_name);
        char link[300], target[512];
        snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (e->d_name[0] == '.' || fd == dirfd(d) || n <= 0) continue;
        target[n] = 0;
        struct stat st;
        if (strncmp(target, want, strlen(want)) || !strstr(target, " (deleted)") || fstat(fd, &st) != 0) continue;
        *bytes += st.st_size;
        found = fd;
    }
    closedir(d);
    return found;
}

/* The heap in use (glibc's arenas and mmapped blocks; under ASan, whose allocator glibc does not
 * see, this stays flat and the files on disk are what the test goes by). */
static long long heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();
    return (long long)(m.uordblks + m.hblkhd);
}

static char *run(const char *cmd, size_t *len)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 20, n = 0, got;
    char *out = malloc(cap);
    while ((got = fread(out + n, 1, cap - n - 1, p)) > 0)
        if ((n += got) + 1 == cap) out = realloc(out, cap *= 2);
    out[n] = 0;
    assert_int_equal(pclose(p), 0);
    *len = n;
    return out;
}

/* The workbook xlsx_reply() handed to the response: copied from its (unlinked) descriptor to a
 * file of our own, and its first sheet's XML returned (malloc'd). */
static char *sent_sheet(void)
{
    long long size;
    int fd = deleted_tmp_files("kepu-xlsx-", &size);
    assert_true(fd >= 0 && size > 0);
    char path[] = "/tmp/kepu-test-docs-XXXXXX";
    int out = mkstemp(path);
    assert_true(out >= 0);
    char buf[65536];
    ssize_t n;
    for (off_t off = 0; (n = pread(fd, buf, sizeof buf, off)) > 0; off += n)
        assert_int_equal(write(out, buf, (size_t)n), n);
    close(out);
    char cmd[128];
    size_t len;
    snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/worksheets/sheet1.xml", path);
    char *xml = run(cmd, &len);
    unlink(path);
    return xml;
}

static int count(const char *hay, const char *needle)
{
    int c = 0;
    for (const char *s = hay; (s = strstr(s, needle)) != NULL; s += strlen(needle)) c++;
    return c;
}

static void test_large_sheet_streams(void **state)
{
    (void)state;
    long long before_disk;
    deleted_tmp_files("", &before_disk);
    const char *headers[] = {"单位", "数量"};
    xlsx *x = xlsx_open("测试", headers, 2);
    assert_non_null(x);
    long long heap0 = heap_in_use(), disk_half = 0, disk = 0;
    for (int i = 0; i < ROWS; i++) {
        xlsx_text(x, 0, i % 2 ? "=danger" : "教学点");
        xlsx_int(x, 1, i);
        xlsx_next_row(x);
        if (i == ROWS / 2) deleted_tmp_files("", &disk_half);
    }
    deleted_tmp_files("", &disk);
    long long grown = heap_in_use() - heap0;
    /* Each row is ~90 bytes of XML: written rows are on disk before the workbook closes and keep
     * going there; kept in memory they would take several megabytes of heap (cells, strings). */
    if (disk - before_disk < (long long)ROWS * 40 || disk_half - before_disk < (long long)ROWS / 2 * 40 ||
        disk <= disk_half || grown > 512 * 1024)
        fail_msg("not streamed: %lld bytes on disk at row %d, %lld at the end; heap grew %lld bytes", disk_half - before_disk,
                 ROWS / 2, disk - before_disk, grown);
    xlsx_totals_row(x, "合计", 1);
    request r;
    memset(&r, 0, sizeof r);
    xlsx_reply(x, &r, "测试.xlsx");
    assert_int_equal(r.status, 200);
    assert_non_null(r.response);
    char *xml = sent_sheet();
    MHD_destroy_response(r.response);   /* closes the workbook's descriptor */
    long long left;
    assert_int_equal(deleted_tmp_files("kepu-xlsx-", &left), -1);
    assert_int_equal(count(xml, "<row "), 1 + ROWS + 1);
    assert_int_equal(count(xml, "教学点"), ROWS / 2);
    assert_int_equal(count(xml, "&apos;=danger") + count(xml, "'=danger"), ROWS / 2);
    assert_int_equal(count(xml, ">=danger<"), 0);
    assert_non_null(strstr(xml, "SUM(B2:B20001)"));
    assert_non_null(strstr(xml, "<v>19999</v>"));
    free(xml);
}

/* Item 16 of issue 14: a period window names the summary's sheet; Excel refuses : \ / ? * [ ]
 * and names over 31 characters, and libxlsxwriter with them. */
static void test_sheet_names_are_made_safe(void **state)
{
    (void)state;
    char out[XLSX_SHEET_NAME_SIZE];
    xlsx_sheet_name("2026:science_week", out);
    assert_string_equal(out, "2026_science_week");
    xlsx_sheet_name("a[b]c*d?e/f\\g", out);
    assert_string_equal(out, "a_b_c_d_e_f_g");
    xlsx_sheet_name("'引号'", out);
    assert_string_equal(out, "引号");
    xlsx_sheet_name("", out);
    assert_string_equal(out, "Sheet1");
    /* 40 Chinese characters: 31 kept whole (3 bytes each) */
    char long_name[200] = "";
    for (int i = 0; i < 40; i++) strcat(long_name, "汇");
    xlsx_sheet_name(long_name, out);
    assert_int_equal(strlen(out), 31 * 3);
    const char *const headers[] = {"单位"};
    xlsx *x = xlsx_open("2026:science_week[1]", headers, 1);   /* opens: the name is made safe */
    assert_non_null(x);
    xlsx_abort(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formula_prefixes_are_detected),
        cmocka_unit_test(test_large_sheet_streams),
        cmocka_unit_test(test_sheet_names_are_made_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
