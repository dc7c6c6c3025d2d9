/* test_teachers.c - the letter serial pattern formatter, the birth-date check of ID numbers, and
 * course times (RFC 3339 with an offset) read into instants. */
#include "teaching/teachers.h"
#include "teaching/teaching.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static void test_default_pattern_pads_the_sequence(void **state)
{
    (void)state;
    char out[128];
    assert_int_equal(letters_format_serial(LETTER_DEFAULT_PATTERN, 2026, 7, out, sizeof out), 0);
    assert_string_equal(out, "渝科普大聘〔2026〕第0007号");
    assert_int_equal(letters_format_serial(LETTER_DEFAULT_PATTERN, 2026, 12345, out, sizeof out), 0);
    assert_string_equal(out, "渝科普大聘〔2026〕第12345号");   /* padding is a minimum, never a cut */
}

static void test_other_patterns(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(letters_format_serial("{year}-{seq}", 2025, 3, out, sizeof out), 0);
    assert_string_equal(out, "2025-3");
    assert_int_equal(letters_format_serial("KP{seq:06}/{year}", 2025, 42, out, sizeof out), 0);
    assert_string_equal(out, "KP000042/2025");
    assert_int_equal(letters_format_serial("no placeholders", 2025, 1, out, sizeof out), 0);
    assert_string_equal(out, "no placeholders");
}

static void test_malformed_patterns_and_small_buffers_fail(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(letters_format_serial("{name}", 2025, 1, out, sizeof out), -1);
    assert_int_equal(letters_format_serial("{seq", 2025, 1, out, sizeof out), -1);
    assert_int_equal(letters_format_serial("seq}", 2025, 1, out, sizeof out), -1);
    assert_int_equal(letters_format_serial("{seq:0}", 2025, 1, out, sizeof out), -1);
    assert_int_equal(letters_format_serial("{seq:04x}", 2025, 1, out, sizeof out), -1);
    assert_int_equal(letters_format_serial("%s%n{seq}", 2025, 1, out, sizeof out), 0);   /* no format: literal */
    assert_string_equal(out, "%s%n1");
    assert_int_equal(letters_format_serial("a very long prefix {seq}", 2025, 1, out, sizeof out), -1);
}

static void test_course_times(void **state)
{
    (void)state;
    time_t t = 0;
    assert_true(course_time_parse("2026-03-01T09:30:00+08:00", &t));
    assert_int_equal(t, 1772328600);   /* 2026-03-01T01:30:00Z */
    assert_true(course_time_parse("2026-03-01T01:30Z", &t));
    assert_int_equal(t, 1772328600);
    assert_true(course_time_parse("2026-03-01T01:30:00.250Z", &t));
    assert_int_equal(t, 1772328600);
    assert_true(course_time_parse("2026-02-28T20:30:00-05:00", &t));
    assert_int_equal(t, 1772328600);
    const char *bad[] = {"2026-03-01T9:30:00+08:00", "2026-03-01T 9:30+08:00", "2026-03-01T+9:30Z",
                         "2026-03-01T24:00Z", "2026-03-01T09:60Z", "2026-03-01T09:30:61Z", "2026-03-01T09:30",
                         "2026-03-01T09:30+8:00", "2026-03-01T09:30+08:00x", "2026-02-30T09:30Z", NULL};
    for (int i = 0; bad[i]; i++) assert_false(course_time_parse(bad[i], &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_pattern_pads_the_sequence),
        cmocka_unit_test(test_other_patterns),
        cmocka_unit_test(test_malformed_patterns_and_small_buffers_fail),
        cmocka_unit_test(test_course_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
