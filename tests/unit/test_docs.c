/* test_docs.c - document output: spreadsheet text that would run as a formula is neutralized,
 * and a workbook streams rows without keeping them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "docs/xlsx.h"
#include <stdio.h>

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

static void test_large_sheet_streams(void **state)
{
    (void)state;
    const char *headers[] = {"单位", "数量"};
    xlsx *x = xlsx_open("测试", headers, 2);
    assert_non_null(x);
    for (int i = 0; i < 20000; i++) {
        xlsx_text(x, 0, i % 2 ? "=danger" : "教学点");
        xlsx_int(x, 1, i);
        xlsx_next_row(x);
    }
    xlsx_totals_row(x, "合计", 1);
    xlsx_abort(x);   /* closes and removes the file */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formula_prefixes_are_detected),
        cmocka_unit_test(test_large_sheet_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
