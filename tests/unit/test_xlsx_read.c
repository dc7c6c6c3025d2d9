/* test_xlsx_read.c - reading uploaded workbooks: what libxlsxwriter writes (shared strings and,
 * in constant-memory mode, inline strings) reads back cell for cell, Chinese included; a file
 * that is not a workbook, a workbook without its sheet, too many rows and a zip bomb are refused
 * with a reason and no crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "docs/xlsx_read.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/kepu-xlsx-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static const char *write_book(const char *name, bool constant_memory, int rows)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    lxw_workbook_options opt = {.constant_memory = constant_memory, .tmpdir = dir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "学员");
    worksheet_write_string(ws, 0, 0, "姓名", NULL);
    worksheet_write_string(ws, 0, 1, "手机", NULL);
    worksheet_write_string(ws, 0, 3, "信息员", NULL);      /* column C left empty */
    for (int r = 1; r <= rows; r++) {
        char n[32];
        snprintf(n, sizeof n, "学员%d", r);
        worksheet_write_string(ws, (lxw_row_t)r, 0, n, NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 1, "13812345678", NULL);
        worksheet_write_number(ws, (lxw_row_t)r, 3, r % 2, NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return path;
}

static void check_book(const char *path)
{
    arena a;
    arena_init(&a);
    xlsx_sheet s;
    const char *err = "unset";
    assert_int_equal(xlsx_read_file(path, &a, 1000, &s, &err), 0);
    assert_null(err);
    assert_int_equal(s.nrows, 4);
    assert_int_equal(s.ncols, 4);
    assert_string_equal(xlsx_cell(&s, 0, 0), "姓名");
    assert_string_equal(xlsx_cell(&s, 0, 2), "");
    assert_string_equal(xlsx_cell(&s, 0, 3), "信息员");
    assert_string_equal(xlsx_cell(&s, 2, 0), "学员2");
    assert_string_equal(xlsx_cell(&s, 3, 1), "13812345678");
    assert_string_equal(xlsx_cell(&s, 3, 3), "1");
    assert_string_equal(xlsx_cell(&s, 99, 99), "");
    arena_free(&a);
}

static void test_shared_and_inline_strings_read_back(void **state)
{
    (void)state;
    check_book(write_book("shared.xlsx", false, 3));
    check_book(write_book("inline.xlsx", true, 3));
}

static void expect_refused(const char *path, int max_rows, const char *reason_part)
{
    arena a;
    arena_init(&a);
    xlsx_sheet s;
    const char *err = NULL;
    assert_int_equal(xlsx_read_file(path, &a, max_rows, &s, &err), -1);
    assert_non_null(err);
    assert_non_null(strstr(err, reason_part));
    arena_free(&a);
}

static const char *write_zip(const char *name, const char *entry, const char *data, size_t len)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int err;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    zip_source_t *src = zip_source_buffer(z, data, len, 0);
    assert_true(zip_file_add(z, entry, src, ZIP_FL_OVERWRITE) >= 0);
    assert_int_equal(zip_close(z), 0);
    return path;
}

static void test_hostile_files_are_refused(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/text.xlsx", dir);
    FILE *f = fopen(path, "w");
    fputs("姓名,手机\n张三,13812345678\n", f);
    fclose(f);
    expect_refused(path, 100, "not a valid xlsx");
    /* a zip, but no workbook in it */
    expect_refused(write_zip("other.xlsx", "readme.txt", "hello", 5), 100, "not a valid xlsx");
    /* more rows than allowed */
    expect_refused(write_book("long.xlsx", false, 50), 20, "too many rows");
    /* a bomb: 200 MB of one byte deflate to a few hundred kB; reading stops at the cap */
    size_t big = 200u * 1024 * 1024;
    char *zeros = malloc(big);
    memset(zeros, ' ', big);
    const char *bomb = write_zip("bomb.xlsx", "xl/workbook.xml", zeros, big);
    free(zeros);
    expect_refused(bomb, 100, "inflates beyond");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_and_inline_strings_read_back),
        cmocka_unit_test(test_hostile_files_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
