/* test_xlsx_read.c - reading uploaded workbooks: what libxlsxwriter writes (shared strings and,
 * in constant-memory mode, inline strings) reads back cell for cell, Chinese included; a file
 * that is not a workbook, a workbook without its sheet, too many rows and a zip bomb are refused
 * with a reason and no crash. Hand-made workbooks prove each cap (cells, characters a cell,
 * shared strings, inflated bytes, the memory budget, zip entries), the DOCTYPE refusal in every part, that a
 * shared string is kept once however many cells refer to it, and that a failing arena ends the
 * read as XLSX_READ_NO_MEMORY. */
#define _GNU_SOURCE  /* vasprintf */
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

/* ---- hand-made workbooks ---- */

#define WB "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>"

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    char *s;
    va_list ap;
    va_start(ap, f);
    assert_true(vasprintf(&s, f, ap) >= 0);
    va_end(ap);
    return s;
}

/* A workbook of these parts (the sheet's rows, the shared strings' <si>s or NULL for none); a
 * doctype goes at the head of the parts flagged in where: 1 workbook, 2 rels, 4 strings, 8 sheet. */
static const char *hand_book(const char *name, const char *rows, const char *sst, const char *doctype, int where)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *parts[4] = {
        fmt("%s" WB, where & 1 ? doctype : ""),
        fmt("%s" RELS, where & 2 ? doctype : ""),
        fmt("%s<worksheet><sheetData>%s</sheetData></worksheet>", where & 8 ? doctype : "", rows),
        sst ? fmt("%s<sst>%s</sst>", where & 4 ? doctype : "", sst) : NULL,
    };
    static const char *const names[4] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
                                         "xl/sharedStrings.xml"};
    int err;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    for (int i = 0; i < 4 && parts[i]; i++)
        assert_true(zip_file_add(z, names[i], zip_source_buffer(z, parts[i], strlen(parts[i]), 0), 0) >= 0);
    assert_int_equal(zip_close(z), 0);
    for (int i = 0; i < 4; i++) free(parts[i]);
    return path;
}

/* n copies of c between <si><t> and </t></si>, malloc'd */
static char *si_of(char c, size_t n)
{
    char *s = malloc(n + 32);
    strcpy(s, "<si><t>");
    memset(s + 7, c, n);
    strcpy(s + 7 + n, "</t></si>");
    return s;
}

/* Reads path under limits; the status, and the limit named when too large. */
static enum xlsx_read_status read_with(const char *path, const xlsx_limits *lim, xlsx_read_result *res, xlsx_sheet *s,
                                       arena *a)
{
    int rc = xlsx_read(path, a, lim, 1000000, s, res);
    assert_int_equal(rc, res->status == XLSX_READ_OK ? 0 : -1);
    if (res->status != XLSX_READ_OK) assert_non_null(res->message);
    return res->status;
}

static void expect_limit(const char *path, const xlsx_limits *lim, const char *limit)
{
    arena a;
    arena_init(&a);
    xlsx_sheet s;
    xlsx_read_result res;
    assert_int_equal(read_with(path, lim, &res, &s, &a), XLSX_READ_TOO_LARGE);
    assert_string_equal(res.limit, limit);
    assert_int_equal(s.nrows, 0);
    arena_free(&a);
}

/* 1,000 cells referring to one 32,767-character string: one copy of it (the budget shows about
 * 32 KB, not 32 MB) and every cell points at the same text. */
static void test_shared_string_is_kept_once(void **state)
{
    (void)state;
    char *sst = si_of('A', 32767);
    char *rows = malloc(1000 * 64), *at = rows;
    for (int r = 1; r <= 1000; r++) at += sprintf(at, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>0</v></c></row>", r, r);
    const char *path = hand_book("once.xlsx", rows, sst, "", 0);
    free(sst), free(rows);
    arena a;
    arena_init(&a);
    xlsx_sheet s;
    xlsx_read_result res;
    assert_int_equal(read_with(path, NULL, &res, &s, &a), XLSX_READ_OK);
    assert_int_equal(s.nrows, 1000);
    assert_int_equal(strlen(xlsx_cell(&s, 0, 0)), 32767);
    assert_ptr_equal(xlsx_cell(&s, 0, 0), xlsx_cell(&s, 999, 0));
    /* the text buffer (4 bytes a character) + one copy + 1,000 rows of 64 pointers + expat */
    print_message("1,000 cells on one 32,767-character string: budget used %zu bytes\n", res.budget_used);
    assert_true(res.budget_used < 131072 + 32768 + 1000 * 64 * 8 + 400 * 1024);
    arena_free(&a);
}

/* A cell holds 32,767 characters, counted as characters (3-byte Chinese ones too), and not one
 * more: inline, number or shared string alike. */
static void test_cell_characters_capped(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    xlsx_sheet s;
    xlsx_read_result res;
    char *ok = malloc(32767 * 3 + 1);
    for (int i = 0; i < 32767; i++) memcpy(ok + 3 * i, "汉", 3);
    ok[32767 * 3] = 0;
    char *rows = fmt("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>%s</t></is></c></row>", ok);
    assert_int_equal(read_with(hand_book("chars-ok.xlsx", rows, NULL, "", 0), NULL, &res, &s, &a), XLSX_READ_OK);
    assert_int_equal(strlen(xlsx_cell(&s, 0, 0)), 32767 * 3);
    free(rows);
    rows = fmt("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>%s汉</t></is></c></row>", ok);
    expect_limit(hand_book("chars-inline.xlsx", rows, NULL, "", 0), NULL, "max_cell_chars");
    free(rows), free(ok);
    char *digits = malloc(32769);
    memset(digits, '7', 32768);
    digits[32768] = 0;
    rows = fmt("<row r=\"1\"><c r=\"A1\"><v>%s</v></c></row>", digits);
    expect_limit(hand_book("chars-number.xlsx", rows, NULL, "", 0), NULL, "max_cell_chars");
    free(rows), free(digits);
    char *sst = si_of('B', 32768);
    expect_limit(hand_book("chars-sst.xlsx", "", sst, "", 0), NULL, "max_cell_chars");
    free(sst);
    arena_free(&a);
}

static void test_cells_and_shared_strings_capped(void **state)
{
    (void)state;
    xlsx_limits lim = XLSX_LIMITS_DEFAULT;
    lim.max_cells = 100, lim.max_shared_strings = 10;
    char rows[8192], *at = rows;
    for (int r = 1; r <= 20; r++) at += sprintf(at, "<row r=\"%d\">%s</row>", r, "<c><v>1</v></c><c><v>2</v></c><c><v>3</v></c><c><v>4</v></c><c><v>5</v></c>");
    arena a;
    arena_init(&a);
    xlsx_sheet s;
    xlsx_read_result res;
    assert_int_equal(read_with(hand_book("cells-100.xlsx", rows, NULL, "", 0), &lim, &res, &s, &a), XLSX_READ_OK);
    assert_string_equal(xlsx_cell(&s, 19, 4), "5");
    at += sprintf(at, "<row><c><v>6</v></c></row>");
    expect_limit(hand_book("cells-101.xlsx", rows, NULL, "", 0), &lim, "max_cells");
    char sst[1024] = "";
    for (int i = 0; i < 10; i++) strcat(sst, "<si><t>x</t></si>");
    assert_int_equal(read_with(hand_book("sst-10.xlsx", "", sst, "", 0), &lim, &res, &s, &a), XLSX_READ_OK);
    strcat(sst, "<si><t>y</t></si>");
    expect_limit(hand_book("sst-11.xlsx", "", sst, "", 0), &lim, "max_shared_strings");
    arena_free(&a);
}

/* The inflated bytes of all parts together, counted while inflating; and the budget, which
 * expat's own memory is charged to as well (a 1 MB attribute is buffered whole by expat). */
static void test_inflated_bytes_and_budget_capped(void **state)
{
    (void)state;
    xlsx_limits lim = XLSX_LIMITS_DEFAULT;
    lim.max_inflated = 200 * 1024;
    char *sst = si_of('C', 30000);
    char *many = malloc(8 * 30100), *at = many;
    for (int i = 0; i < 8; i++) at += sprintf(at, "%s", sst);
    expect_limit(hand_book("inflated.xlsx", "", many, "", 0), &lim, "max_inflated_bytes");
    lim = (xlsx_limits)XLSX_LIMITS_DEFAULT;
    lim.budget = 1024 * 1024;
    arena a;
    arena_init(&a);
    xlsx_sheet s;
    xlsx_read_result res;
    assert_int_equal(read_with(hand_book("budget-ok.xlsx", "", many, "", 0), &lim, &res, &s, &a), XLSX_READ_OK);
    arena_free(&a);
    free(many);
    many = malloc(40 * 30100), at = many;
    for (int i = 0; i < 40; i++) at += sprintf(at, "%s", sst);     /* 1.2 MB of strings */
    expect_limit(hand_book("budget-strings.xlsx", "", many, "", 0), &lim, "memory_budget");
    free(many), free(sst);
    char *attr = malloc(2 * 1024 * 1024);
    memset(attr, 'z', 2 * 1024 * 1024 - 1);
    attr[2 * 1024 * 1024 - 1] = 0;
    char *rows = fmt("<row r=\"1\" x=\"%s\"/>", attr);
    expect_limit(hand_book("budget-expat.xlsx", rows, NULL, "", 0), &lim, "memory_budget");
    free(rows), free(attr);
}

static void test_doctype_refused_in_every_part(void **state)
{
    (void)state;
    static const char *const doctypes[] = {"<!DOCTYPE x>", "<!DOCTYPE x [<!ENTITY e \"lol\">]>",
                                           "<!DOCTYPE x SYSTEM \"file:///etc/passwd\">"};
    for (int where = 1; where <= 8; where <<= 1)
        for (int d = 0; d < 3; d++) {
            arena a;
            arena_init(&a);
            xlsx_sheet s;
            xlsx_read_result res;
            const char *path = hand_book("doctype.xlsx", "<row><c t=\"s\"><v>0</v></c></row>", "<si><t>x</t></si>",
                                         doctypes[d], where);
            assert_int_equal(read_with(path, NULL, &res, &s, &a), XLSX_READ_DOCTYPE);
            assert_null(res.limit);
            arena_free(&a);
        }
    /* the same book without one reads; rich text runs make one text, the phonetic guide is not
     * part of it */
    arena a;
    arena_init(&a);
    xlsx_sheet s;
    xlsx_read_result res;
    const char *path = hand_book("no-doctype.xlsx",
                                 "<row><c t=\"s\"><v>0</v></c><c t=\"inlineStr\"><is><r><t>张</t></r><r><t>三</t></r>"
                                 "<rPh><t>zhang</t></rPh></is></c></row>",
                                 "<si><r><t>x</t></r><r><t>y</t></r><rPh sb=\"0\"><t>ignored</t></rPh></si>", "", 0);
    assert_int_equal(read_with(path, NULL, &res, &s, &a), XLSX_READ_OK);
    assert_string_equal(xlsx_cell(&s, 0, 0), "xy");
    assert_string_equal(xlsx_cell(&s, 0, 1), "张三");
    arena_free(&a);
}

/* Entries of the zip are counted from its end record before libzip loads them: 70,004 entries
 * (a zip64 end record, past 65,535) are read exactly, and refused past the limit. */
static void test_zip_entries_capped(void **state)
{
    (void)state;
    const char *base = hand_book("parts.xlsx", "<row><c><v>1</v></c></row>", NULL, "", 0);
    char path[160];
    snprintf(path, sizeof path, "%s", base);
    xlsx_limits lim = XLSX_LIMITS_DEFAULT;
    lim.max_parts = 2;     /* workbook, rels, sheet, and no shared strings: 3 */
    expect_limit(path, &lim, "max_parts");
    lim.max_parts = 3;
    arena a;
    arena_init(&a);
    xlsx_sheet s;
    xlsx_read_result res;
    assert_int_equal(read_with(path, &lim, &res, &s, &a), XLSX_READ_OK);
    int err;
    zip_t *z = zip_open(path, 0, &err);
    assert_non_null(z);
    for (int i = 0; i < 70001; i++) {
        char name[16];
        snprintf(name, sizeof name, "p/%d", i);
        assert_true(zip_file_add(z, name, zip_source_buffer(z, "", 0, 0), 0) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    expect_limit(path, NULL, "max_parts");             /* the default: 10,000 */
    lim.max_parts = 70003;
    expect_limit(path, &lim, "max_parts");
    lim.max_parts = 70004;
    assert_int_equal(read_with(path, &lim, &res, &s, &a), XLSX_READ_OK);
    assert_string_equal(xlsx_cell(&s, 0, 0), "1");
    arena_free(&a);
}

/* The arena's own limit (the request's memory) ends the read as NO_MEMORY, not a crash. */
static void test_failing_arena_is_no_memory(void **state)
{
    (void)state;
    char *sst = malloc(100 * 20100), *at = sst;
    for (int i = 0; i < 100; i++) {
        at += sprintf(at, "<si><t>%03d", i);
        memset(at, 'q', 20000), at += 20000;
        at += sprintf(at, "</t></si>");
    }
    const char *path = hand_book("arena.xlsx", "", sst, "", 0);
    free(sst);
    arena a;
    arena_init(&a);
    arena_set_limit(&a, 1024 * 1024);
    xlsx_sheet s;
    xlsx_read_result res;
    assert_int_equal(read_with(path, NULL, &res, &s, &a), XLSX_READ_NO_MEMORY);
    assert_true(a.failed);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_and_inline_strings_read_back),
        cmocka_unit_test(test_hostile_files_are_refused),
        cmocka_unit_test(test_shared_string_is_kept_once),
        cmocka_unit_test(test_cell_characters_capped),
        cmocka_unit_test(test_cells_and_shared_strings_capped),
        cmocka_unit_test(test_inflated_bytes_and_budget_capped),
        cmocka_unit_test(test_doctype_refused_in_every_part),
        cmocka_unit_test(test_failing_arena_is_no_memory),
        cmocka_unit_test(test_zip_entries_capped),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
