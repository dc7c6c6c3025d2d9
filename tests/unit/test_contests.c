/* test_contests.c - the pure parts of contests (issue 17 B): the national literacy method (the
 * weights 40/20/40 of knowledge, method, science and society; the levels at 85, 70 and 55; a
 * dimension missing from the paper gives its weight to the others; nonsense clamped), the
 * dimension of a question category, and the masked names of rankings (first character kept,
 * UTF-8 whole). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "contests/contests.h"
#include <string.h>

static literacy_result score(int64_t k, int64_t km, int64_t m, int64_t mm, int64_t s, int64_t sm)
{
    literacy_input in = {{k, m, s}, {km, mm, sm}};
    return literacy_national(&in);
}

static void test_weights_and_levels(void **state)
{
    (void)state;
    literacy_result r = score(10, 10, 10, 10, 10, 10);
    assert_int_equal(r.total_score, 100);
    assert_true(r.literate);
    assert_string_equal(r.level, "advanced");
    /* knowledge all wrong: 20 + 40 = 60 */
    r = score(0, 10, 10, 10, 10, 10);
    assert_int_equal(r.total_score, 60);
    assert_false(r.literate);
    assert_string_equal(r.level, "basic");
    assert_int_equal(r.dimensions[0], 0);
    assert_int_equal(r.dimensions[1], 100);
    /* the threshold: 70 exactly is literate (knowledge 25%: 10 + 20 + 40) */
    r = score(1, 4, 4, 4, 4, 4);
    assert_int_equal(r.total_score, 70);
    assert_true(r.literate);
    assert_string_equal(r.level, "literate");
    /* 69: knowledge 1/4 (10), method 0.95 (19), society 1 (40) */
    r = score(1, 4, 19, 20, 4, 4);
    assert_int_equal(r.total_score, 69);
    assert_false(r.literate);
    /* 85: advanced; 84: literate */
    r = score(5, 8, 20, 20, 40, 40);   /* 25 + 20 + 40 */
    assert_int_equal(r.total_score, 85);
    assert_string_equal(r.level, "advanced");
    r = score(0, 1, 0, 1, 0, 1);
    assert_string_equal(r.level, "low");
    assert_int_equal(r.total_score, 0);
}

static void test_missing_dimension(void **state)
{
    (void)state;
    /* no method questions: knowledge and society share 100 points 40:40 */
    literacy_result r = score(10, 10, 0, 0, 0, 10);
    assert_int_equal(r.total_score, 50);
    assert_int_equal(r.dimensions[1], 0);
    /* nothing asked: 0, not literate */
    r = score(0, 0, 0, 0, 0, 0);
    assert_int_equal(r.total_score, 0);
    assert_false(r.literate);
    /* more won than possible, or negative, is clamped */
    r = score(20, 10, -5, 10, 10, 10);
    assert_int_equal(r.dimensions[0], 100);
    assert_int_equal(r.dimensions[1], 0);
    assert_int_equal(r.total_score, 80);
}

static void test_dimensions_and_masks(void **state)
{
    (void)state;
    assert_int_equal(literacy_dimension("lit_knowledge"), 0);
    assert_int_equal(literacy_dimension("lit_method"), 1);
    assert_int_equal(literacy_dimension("lit_society"), 2);
    assert_int_equal(literacy_dimension("health"), -1);
    assert_int_equal(literacy_dimension(NULL), -1);
    arena a;
    arena_init(&a);
    assert_string_equal(contest_mask_name(&a, "王小明"), "王**");
    assert_string_equal(contest_mask_name(&a, "李"), "李*");
    assert_string_equal(contest_mask_name(&a, "Tom"), "T**");
    assert_string_equal(contest_mask_name(&a, ""), "*");
    assert_string_equal(contest_mask_name(&a, NULL), "*");
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights_and_levels),
        cmocka_unit_test(test_missing_dimension),
        cmocka_unit_test(test_dimensions_and_masks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
