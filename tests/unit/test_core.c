/* test_core.c - validation, masking, arena and time helpers of src/core. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "core/arena.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "core/pii.h"
#include <string.h>

static void test_id_number_check_digit(void **state)
{
    (void)state;
    assert_true(valid_id_number("11010519491231002X"));   /* the standard's own example */
    assert_true(valid_id_number("11010519491231002x"));
    assert_false(valid_id_number("110105194912310021"));  /* wrong check digit */
    assert_false(valid_id_number("11010519491231002"));   /* too short */
    assert_false(valid_id_number("1101051949123100AX"));
    assert_false(valid_id_number(NULL));
}

static void test_phone_rules(void **state)
{
    (void)state;
    assert_true(valid_phone("13812345678"));
    assert_false(valid_phone("12812345678"));
    assert_false(valid_phone("1381234567"));
    assert_false(valid_phone("1381234567a"));
}

static void test_masks_hide_the_middle(void **state)
{
    (void)state;
    char out[32];
    mask_phone("13812345678", out, sizeof out);
    assert_string_equal(out, "138****5678");
    mask_id_number("500103199001011234", out, sizeof out);
    assert_string_equal(out, "5001**********1234");
    mask_phone("123", out, sizeof out);
    assert_string_equal(out, "****");
}

static void test_utf8_rejects_overlong_and_surrogates(void **state)
{
    (void)state;
    assert_true(utf8_valid("重庆市科协", strlen("重庆市科协")));
    assert_false(utf8_valid("\xc0\xaf", 2));          /* overlong '/' */
    assert_false(utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
    assert_false(utf8_valid("\xe9\x87", 2));          /* truncated */
    assert_int_equal(utf8_chars("重庆a"), 3);
}

static void test_names_count_characters_not_bytes(void **state)
{
    (void)state;
    char name[400] = "";
    for (int i = 0; i < 100; i++) strcat(name, "科");
    assert_true(valid_name(name, 100));
    strcat(name, "科");
    assert_false(valid_name(name, 100));
    assert_false(valid_name("", 100));
    assert_false(valid_name("   ", 100));
    assert_false(valid_name("a\nb", 100));
}

static void test_password_policy(void **state)
{
    (void)state;
    assert_false(password_acceptable("short", "bob"));
    assert_true(password_acceptable("long enough pw", "bob"));
    assert_false(password_acceptable("administrator", "administrator"));
    assert_true(password_acceptable("科普科普科普科普科普", "bob"));   /* 10 characters */
}

static void test_usernames_and_codes(void **state)
{
    (void)state;
    assert_true(valid_username("d500103_admin"));
    assert_false(valid_username("ab"));
    assert_false(valid_username("bad name"));
    assert_true(valid_org_code("500103"));
    assert_false(valid_org_code("50 01"));
    assert_true(valid_email("a@b.cn"));
    assert_false(valid_email("a@b"));
}

static void test_arena_strings_survive_until_free(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    char *s = arena_printf(&a, "%s-%d", "kepu", 42);
    char *big = arena_alloc(&a, 100000);    /* larger than a block */
    memset(big, 'x', 100000);
    char *t = arena_strdup(&a, "after");
    assert_string_equal(s, "kepu-42");
    assert_string_equal(t, "after");
    assert_null(arena_strdup(&a, NULL));
    arena_free(&a);
}

/* A request's arena past its limit: a large allocation gets NULL and marks the arena failed (the
 * server then answers 503) instead of aborting the process; small ones may use the slack so
 * unchecked code winds down, and get NULL once it is spent; an impossible size is refused before
 * malloc. After arena_free the arena serves again. */
static void test_arena_failure_returns_null_and_flags(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    arena_set_limit(&a, 64 * 1024);
    assert_non_null(arena_alloc(&a, 40 * 1024));
    assert_false(a.failed);
    assert_null(arena_alloc(&a, 40 * 1024));          /* a large one past the limit */
    assert_true(a.failed);
    a.failed = false;
    assert_non_null(arena_strdup(&a, "small"));       /* within the slack */
    size_t taken = 0;
    while (!a.failed && taken < 2 * ARENA_SLACK) {     /* small ones until the slack is spent */
        void *p = arena_alloc(&a, 4000);
        if (p) memset(p, 1, 4000), taken += 4000;
        else assert_true(a.failed);
    }
    assert_true(a.failed);
    assert_true(taken >= ARENA_SLACK - 2 * ARENA_BLOCK && taken <= ARENA_SLACK + 64 * 1024);
    assert_null(arena_printf(&a, "%0*d", 20000, 1)); /* every helper reports NULL */
    assert_null(arena_strndup(&a, "x", 20000));
    arena_free(&a);
    assert_false(a.failed);
    assert_non_null(arena_alloc(&a, 40 * 1024));      /* served again, limit kept */
    assert_null(arena_alloc(&a, 40 * 1024));
    arena_free(&a);
    arena_init(&a);                                    /* no limit: only malloc can fail */
    assert_null(arena_alloc(&a, (size_t)-1 / 2 + 1));
    assert_true(a.failed);
    arena_free(&a);
}

static void test_dates_in_shanghai(void **state)
{
    (void)state;
    char buf[32];
    time_t t = time_parse_date("2026-05-18");
    assert_true(t > 0);
    time_to_rfc3339(t, buf);
    assert_string_equal(buf, "2026-05-18T00:00:00+08:00");
    assert_int_equal(time_parse_date("2026-02-29"), -1);
    assert_true(time_parse_date("2024-02-29") > 0);
    assert_int_equal(time_parse_date("2026-13-01"), -1);
    assert_int_equal(time_parse_date("2026-5-1"), -1);
}

/* Personal numbers at rest: encrypted, never twice the same text, tamper-evident, readable only
 * with the key; blind indexes stable per kind and different across kinds and keys. */
static void test_personal_numbers_at_rest(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    unsigned char k1[32], k2[32];
    memset(k1, 7, sizeof k1);
    memset(k2, 9, sizeof k2);
    pii_set_key(k1);
    const char *id = "11010519491231002X";
    const char *e1 = pii_encrypt(&a, id), *e2 = pii_encrypt(&a, id);
    assert_non_null(e1);
    assert_null(strstr(e1, "1949"));
    assert_string_not_equal(e1, e2);                     /* a fresh nonce each time */
    assert_string_equal(pii_decrypt(&a, e1), id);
    char *bad = arena_strdup(&a, e1);
    bad[10] = bad[10] == 'A' ? 'B' : 'A';                 /* one changed character */
    assert_null(pii_decrypt(&a, bad));
    assert_null(pii_decrypt(&a, "plain text"));
    const char *b1 = pii_blind(&a, "id_number", id);
    assert_int_equal(strlen(b1), 64);
    assert_string_equal(b1, pii_blind(&a, "id_number", id));
    assert_string_not_equal(b1, pii_blind(&a, "phone", id));
    pii_set_key(k2);
    assert_null(pii_decrypt(&a, e1));                     /* another key reads nothing */
    assert_string_not_equal(b1, pii_blind(&a, "id_number", id));
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_number_check_digit),
        cmocka_unit_test(test_phone_rules),
        cmocka_unit_test(test_masks_hide_the_middle),
        cmocka_unit_test(test_utf8_rejects_overlong_and_surrogates),
        cmocka_unit_test(test_names_count_characters_not_bytes),
        cmocka_unit_test(test_password_policy),
        cmocka_unit_test(test_usernames_and_codes),
        cmocka_unit_test(test_arena_strings_survive_until_free),
        cmocka_unit_test(test_arena_failure_returns_null_and_flags),
        cmocka_unit_test(test_dates_in_shanghai),
        cmocka_unit_test(test_personal_numbers_at_rest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
