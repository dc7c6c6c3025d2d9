/* test_fuzz_findings.c - what the libFuzzer harnesses of tests/fuzz found, kept as plain unit
 * tests so that the gcc builds (and ASan) check them on every run too. Each test names the
 * harness and the seed file (tests/fuzz/corpus/<harness>/regress-*) that holds the input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "core/period.h"
#include "core/timeutil.h"
#include "http/reply.h"
#include <microhttpd.h>
#include <string.h>

/* fuzz_period, regress-time-parse-sign: sscanf's %d took a sign or spaces inside a day, so
 * "2026-+5-01" passed as 2026-05-01 (the audit list's from/to check), then compared as text. */
static void test_time_parse_date_digits_only(void **state)
{
    (void)state;
    assert_true(time_parse_date("2026-05-01") > 0);
    assert_int_equal(time_parse_date("2026-+5-01"), -1);
    assert_int_equal(time_parse_date("2026- 5-01"), -1);
    assert_int_equal(time_parse_date("+026-05-01"), -1);
    assert_int_equal(time_parse_date("2026-05--1"), -1);
    assert_int_equal(time_parse_date("2026/05/01"), -1);
}

/* fuzz_period, regress-week-before-1970: ISO weeks of 1900-1969 came out a week late (C's % of
 * a negative day count); 1947-12-05, a Friday, is in ISO week 49 of 1947, Monday 1 December. */
static void test_iso_week_before_1970(void **state)
{
    (void)state;
    period p, b;
    char label[16];
    assert_true(period_parse("1947W49", &p));
    assert_string_equal(p.from, "1947-12-01");
    assert_string_equal(p.to, "1947-12-07");
    assert_true(period_bucket("1947-12-05", "week", label, &b));
    assert_string_equal(label, "1947W49");
    assert_string_equal(b.from, p.from);
    assert_true(period_parse("1947W01", &p));
    assert_string_equal(p.from, "1946-12-30");        /* 4 January 1947 was a Saturday */
    assert_false(period_parse("1947W53", &p));        /* 1947 has 52 ISO weeks */
    assert_true(period_parse("2026W01", &p));         /* after 1970 as before */
    assert_string_equal(p.from, "2025-12-29");
    assert_true(period_parse("2026W53", &p));
    assert_string_equal(p.to, "2027-01-03");
}

/* fuzz_body, regress-long-key-truncated-utf8: an unknown JSON key long enough to fill the
 * error message's buffer was cut inside a UTF-8 character; jansson refused the message and the
 * 422 became a 500. */
static void test_error_message_cut_on_a_character(void **state)
{
    (void)state;
    for (int pad = 0; pad < 4; pad++) {
        char key[700];
        int n = 0;
        for (int i = 0; i < 170 + pad; i++) key[n++] = 'a';
        for (int i = 0; i < 150; i++) memcpy(key + n, "字", 3), n += 3;
        key[n] = 0;
        request r;
        memset(&r, 0, sizeof r);
        reply_error(&r, 422, "unknown_field", key, "未知字段 %s / unknown field", key);
        assert_int_equal(r.status, 422);
        MHD_destroy_response(r.response);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_parse_date_digits_only),
        cmocka_unit_test(test_iso_week_before_1970),
        cmocka_unit_test(test_error_message_cut_on_a_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
