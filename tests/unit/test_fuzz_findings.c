/* test_fuzz_findings.c - what the libFuzzer harnesses of tests/fuzz found, kept as plain unit
 * tests so that the gcc builds (and ASan) check them on every run too. Each test names the
 * harness and the seed file (tests/fuzz/corpus/<harness>/regress-*) that holds the input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "checkin/checkin.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "http/reply.h"
#include <microhttpd.h>
#include <sodium.h>
#include <stdlib.h>
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

/* fuzz_checkin_token: libsodium's base64 decoder takes some bytes above 0x7F as letters, so a
 * genuine token with one letter swapped for such a byte decoded to the same bytes and passed.
 * Only the URL-safe alphabet is a token now. */
static void test_token_outside_the_alphabet_is_refused(void **state)
{
    (void)state;
    setenv("KEPU_CHECKIN_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 1);
    assert_true(sodium_init() >= 0 && checkin_configure());
    char genuine[64], other[64];
    int64_t session = 1;
    /* a session whose token has a '_' (63), the letter the decoder's stray bytes stand for */
    for (; session < 10000; session++) {
        checkin_token(session, genuine, sizeof genuine);
        if (strchr(genuine, '_')) break;
    }
    assert_int_equal(checkin_token_check(session, genuine), DB_OK);
    unsigned char want[40], got[40];
    size_t n = 0, m = 0;
    assert_int_equal(sodium_base642bin(want, sizeof want, genuine, strlen(genuine), NULL, &n, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
    int spellings = 0;
    for (size_t at = 0; genuine[at]; at++)
        for (int b = 0x80; b <= 0xff; b++) {
            snprintf(other, sizeof other, "%s", genuine);
            other[at] = (char)b;
            if (sodium_base642bin(got, sizeof got, other, strlen(other), NULL, &m, NULL,
                                  sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0 && m == n && !memcmp(got, want, n))
                spellings++;   /* the decoder's other spelling of the same token */
            assert_int_equal(checkin_token_check(session, other), CHK_TOKEN_INVALID);
        }
    print_message("  other spellings the decoder takes: %d (all refused)\n", spellings);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_parse_date_digits_only),
        cmocka_unit_test(test_iso_week_before_1970),
        cmocka_unit_test(test_error_message_cut_on_a_character),
        cmocka_unit_test(test_token_outside_the_alphabet_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
