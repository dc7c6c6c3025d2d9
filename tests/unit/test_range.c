/* test_range.c - the Range / If-Range parser (http/range.c, issue 18 B): every form of RFC 9110's
 * byte ranges, b past the end clipped, b < a and other malformed headers ignored (the whole
 * file), several ranges answered whole, unsatisfiable ones, numbers too large for 64 bits, and
 * If-Range's strong entity-tag and exact-date comparisons. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "http/range.h"

/* Asserts header on a file of size gives a part first..last. */
static void part(const char *header, uint64_t size, uint64_t first, uint64_t last)
{
    uint64_t f = 77, l = 77;
    if (range_parse(header, size, &f, &l) != RANGE_PARTIAL) fail_msg("not partial: %s", header);
    assert_int_equal(f, first);
    assert_int_equal(l, last);
}

static void whole(const char *header, uint64_t size)
{
    uint64_t f = 77, l = 77;
    if (range_parse(header, size, &f, &l) != RANGE_WHOLE) fail_msg("not whole: %s", header);
    assert_int_equal(f, 77), assert_int_equal(l, 77);   /* untouched */
}

static void unsatisfiable(const char *header, uint64_t size)
{
    uint64_t f = 77, l = 77;
    if (range_parse(header, size, &f, &l) != RANGE_UNSATISFIABLE) fail_msg("not 416: %s", header);
}

static void test_forms(void **state)
{
    (void)state;
    part("bytes=0-0", 100, 0, 0);
    part("bytes=10-19", 100, 10, 19);
    part("bytes=10-", 100, 10, 99);
    part("bytes=-10", 100, 90, 99);
    part("bytes=99-99", 100, 99, 99);
    part("bytes=0-", 1, 0, 0);
    part("BYTES=1-2", 100, 1, 2);                 /* the unit is case-insensitive */
    part(" bytes = 1 - 2 ", 100, 1, 2);           /* spaces between tokens */
    part("bytes=\t5-\t", 100, 5, 99);
    part("bytes=,3-4", 100, 3, 4);                /* empty list elements are allowed */
    part("bytes=3-4, ,", 100, 3, 4);
    part("bytes=0-4294967296", 5000000000ULL, 0, 4294967296ULL);   /* beyond 32 bits */
    part("bytes=-4294967296", 5000000000ULL, 5000000000ULL - 4294967296ULL, 4999999999ULL);
}

static void test_clipped(void **state)
{
    (void)state;
    part("bytes=50-1000", 100, 50, 99);           /* b past the end is clipped */
    part("bytes=0-99", 100, 0, 99);
    part("bytes=-1000", 100, 0, 99);              /* a suffix longer than the file: all of it */
    part("bytes=5-99999999999999999999999999", 100, 5, 99);   /* b overflows: clipped too */
    part("bytes=-99999999999999999999999999", 100, 0, 99);
    part("bytes=0-18446744073709551615", 100, 0, 99);          /* UINT64_MAX itself */
}

static void test_unsatisfiable(void **state)
{
    (void)state;
    unsatisfiable("bytes=100-", 100);
    unsatisfiable("bytes=100-200", 100);
    unsatisfiable("bytes=-0", 100);               /* a zero-length suffix */
    unsatisfiable("bytes=99999999999999999999999999-", 100);   /* a overflows: past any end */
    unsatisfiable("bytes=18446744073709551615-18446744073709551615", 100);
}

static void test_malformed_and_several(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "bytes", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-3", "bytes=--5", "bytes=-5-",
        "bytes=5", "bytes=5-3x", "bytes 5-10", "items=0-5", "bytes=0x10-20", "bytes=+1-2",
        "bytes=1-2;3", "bytes=,", "bytes=-5 6", "bytes=1 2-3", "bits=0-1",
        "bytes=99999999999999999999-5",          /* a overflows past b: b < a */
        NULL};
    for (int i = 0; bad[i]; i++) whole(bad[i], 100);
    whole(NULL, 100);
    /* several ranges: the whole file, even when one of them alone would not be satisfiable */
    whole("bytes=0-1,5-6", 100);
    whole("bytes=0-1, -5", 100);
    whole("bytes=200-300,400-", 100);
    whole("bytes=0-1,5-3", 100);                  /* and a malformed one among them */
    /* an empty file has no part to give */
    whole("bytes=0-0", 0);
    whole("bytes=-5", 0);
}

static void test_if_range(void **state)
{
    (void)state;
    const char *etag = "\"abc123\"", *date = "Wed, 21 Oct 2015 07:28:00 GMT";
    assert_true(range_if_range_matches(NULL, etag, date));
    assert_true(range_if_range_matches("\"abc123\"", etag, date));
    assert_true(range_if_range_matches(" \"abc123\" ", etag, date));
    assert_false(range_if_range_matches("\"abc124\"", etag, date));
    assert_false(range_if_range_matches("\"abc12\"", etag, date));
    assert_false(range_if_range_matches("\"abc123\"x", etag, date));
    assert_false(range_if_range_matches("W/\"abc123\"", etag, date));   /* weak never matches */
    assert_false(range_if_range_matches("\"abc123\"", "W/\"abc123\"", date));
    assert_false(range_if_range_matches("\"abc123\"", NULL, date));     /* no tag to compare */
    assert_true(range_if_range_matches("Wed, 21 Oct 2015 07:28:00 GMT", etag, date));
    assert_false(range_if_range_matches("Wed, 21 Oct 2015 07:28:01 GMT", etag, date));
    assert_false(range_if_range_matches("Wed, 21 Oct 2015 07:28:00 GMT", etag, NULL));
    assert_false(range_if_range_matches("", etag, date));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_clipped),
        cmocka_unit_test(test_unsatisfiable),
        cmocka_unit_test(test_malformed_and_several),
        cmocka_unit_test(test_if_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
