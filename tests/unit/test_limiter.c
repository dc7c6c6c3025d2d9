/* test_limiter.c - the attempt limiter (src/auth/limiter.c): counts that are exact per key
 * (addresses that collided in the old direct-mapped tables no longer reset each other),
 * windows that start over, bounded memory that evicts the key touched longest ago, and the
 * database store (run here on SQLite; the same SQL runs on PostgreSQL) sharing one count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "auth/limiter.h"
#include "db/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int64_t fake_now = 1800000000;
static int64_t fake_clock(void) { return fake_now; }

static const limit_rule rule = {"test.ip", 5, 600, "KEPU_TEST_LIMIT"};

static int setup(void **state)
{
    (void)state;
    unsetenv("KEPU_TEST_LIMIT");
    unsetenv("KEPU_LIMITER_ENTRIES");
    limiter_configure(LIMITER_MEMORY);
    limiter_reset_memory();
    limiter_set_clock(fake_clock);
    fake_now = 1800000000;
    return 0;
}

/* djb2 % 1024, the slot function of the old per-address tables. */
static unsigned old_slot(const char *s)
{
    unsigned h = 5381;
    for (; *s; s++) h = h * 33 + (unsigned char)*s;
    return h % 1024;
}

static void test_colliding_addresses_keep_their_counts(void **state)
{
    (void)state;
    char a[32] = "10.0.0.1", b[32] = "";
    for (int i = 2; i < 100000 && !b[0]; i++) {
        char cand[32];
        snprintf(cand, sizeof cand, "10.0.%d.%d", i / 256, i % 256);
        if (old_slot(cand) == old_slot(a)) snprintf(b, sizeof b, "%s", cand);
    }
    assert_true(b[0] != 0);
    /* Alternating attempts from the two addresses: each one is refused after its own five. */
    for (int i = 1; i <= 5; i++) {
        assert_int_equal(limit_take(&rule, a, NULL), LIMIT_OK);
        assert_int_equal(limit_take(&rule, b, NULL), LIMIT_OK);
    }
    for (int i = 0; i < 50; i++) {
        assert_int_equal(limit_take(&rule, a, NULL), LIMIT_OVER);
        assert_int_equal(limit_take(&rule, b, NULL), LIMIT_OVER);
    }
    limit_state st;
    assert_int_equal(limit_peek(&rule, a, &st), LIMIT_OVER);
    assert_int_equal(st.count, 55);
}

static void test_rules_do_not_share_keys(void **state)
{
    (void)state;
    const limit_rule other = {"test.account", 5, 600, NULL};
    for (int i = 0; i < 5; i++) assert_int_equal(limit_take(&rule, "same", NULL), LIMIT_OK);
    assert_int_equal(limit_take(&rule, "same", NULL), LIMIT_OVER);
    assert_int_equal(limit_take(&other, "same", NULL), LIMIT_OK);
}

static void test_window_starts_over(void **state)
{
    (void)state;
    limit_state st;
    for (int i = 0; i < 5; i++) assert_int_equal(limit_take(&rule, "k", NULL), LIMIT_OK);
    assert_int_equal(limit_take(&rule, "k", &st), LIMIT_OVER);
    fake_now += 100;
    assert_int_equal(limit_retry_after(&rule, &st), 500);
    assert_int_equal(limit_peek(&rule, "k", NULL), LIMIT_OVER);
    fake_now += 500;
    assert_int_equal(limit_peek(&rule, "k", &st), LIMIT_OK);
    assert_int_equal(limit_take(&rule, "k", &st), LIMIT_OK);
    assert_int_equal(st.count, 1);
    assert_int_equal(st.last_at, fake_now - 600);
}

static void test_clear_and_env_override(void **state)
{
    (void)state;
    setenv("KEPU_TEST_LIMIT", "2", 1);
    assert_int_equal(limit_max(&rule), 2);
    assert_int_equal(limit_take(&rule, "u", NULL), LIMIT_OK);
    assert_int_equal(limit_take(&rule, "u", NULL), LIMIT_OK);
    assert_int_equal(limit_take(&rule, "u", NULL), LIMIT_OVER);
    limit_clear(&rule, "u");
    assert_int_equal(limit_take(&rule, "u", NULL), LIMIT_OK);
    unsetenv("KEPU_TEST_LIMIT");
}

static void test_memory_is_bounded_and_evicts_the_oldest(void **state)
{
    (void)state;
    setenv("KEPU_LIMITER_ENTRIES", "16", 1);
    limiter_reset_memory();
    for (int i = 0; i < 5; i++) assert_int_equal(limit_take(&rule, "victim", NULL), LIMIT_OK);
    char key[32];
    /* 15 other keys fill the table; the victim is touched again, so it is not the oldest. */
    for (int i = 0; i < 15; i++) {
        snprintf(key, sizeof key, "filler-%d", i);
        limit_take(&rule, key, NULL);
    }
    assert_int_equal(limit_take(&rule, "victim", NULL), LIMIT_OVER);
    for (int i = 15; i < 30; i++) {
        snprintf(key, sizeof key, "filler-%d", i);
        limit_take(&rule, key, NULL);
        assert_true(limiter_memory_entries() <= 16);
    }
    /* 15 fresh keys after the victim's last touch: it is still held (16 entries), while the
     * first fillers were evicted and start from nothing. */
    limit_state st;
    assert_int_equal(limit_peek(&rule, "victim", &st), LIMIT_OVER);
    assert_int_equal(st.count, 6);
    assert_int_equal(limit_peek(&rule, "filler-0", &st), LIMIT_OK);
    assert_int_equal(st.count, 0);
    assert_int_equal(limiter_memory_entries(), 16);
    unsetenv("KEPU_LIMITER_ENTRIES");
    limiter_reset_memory();
}

static char dbpath[64];

static void test_database_store_shares_one_count(void **state)
{
    (void)state;
    snprintf(dbpath, sizeof dbpath, "/tmp/kepu-test-limiter-%d.db", (int)getpid());
    unlink(dbpath);
    db_configure(dbpath);
    db *c = db_thread();
    assert_non_null(c);
    assert_int_equal(db_migrate(c), DB_OK);
    limiter_configure(LIMITER_DATABASE);
    limit_state st;
    for (int i = 1; i <= 5; i++) {
        assert_int_equal(limit_take(&rule, "203.0.113.7", &st), LIMIT_OK);
        assert_int_equal(st.count, i);
    }
    assert_int_equal(limit_take(&rule, "203.0.113.7", &st), LIMIT_OVER);
    assert_int_equal(st.last_at, fake_now);
    /* The count lives in the table, not in this process: the memory store knows nothing. */
    limiter_configure(LIMITER_MEMORY);
    assert_int_equal(limit_peek(&rule, "203.0.113.7", NULL), LIMIT_OK);
    limiter_configure(LIMITER_DATABASE);
    assert_int_equal(limit_peek(&rule, "203.0.113.7", NULL), LIMIT_OVER);
    /* No clear key is stored. */
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM rate_limits WHERE key_hash LIKE '%203.0.113%'");
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 0);
    db_finish(s);
    fake_now += 600;
    assert_int_equal(limit_take(&rule, "203.0.113.7", &st), LIMIT_OK);
    assert_int_equal(st.count, 1);
    limit_take(&rule, "203.0.113.7", NULL);
    limit_clear(&rule, "203.0.113.7");
    assert_int_equal(limit_take(&rule, "203.0.113.7", &st), LIMIT_OK);
    assert_int_equal(st.count, 1);
    limiter_configure(LIMITER_MEMORY);
    char p[80];
    unlink(dbpath);
    snprintf(p, sizeof p, "%s-wal", dbpath), unlink(p);
    snprintf(p, sizeof p, "%s-shm", dbpath), unlink(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_colliding_addresses_keep_their_counts, setup),
        cmocka_unit_test_setup(test_rules_do_not_share_keys, setup),
        cmocka_unit_test_setup(test_window_starts_over, setup),
        cmocka_unit_test_setup(test_clear_and_env_override, setup),
        cmocka_unit_test_setup(test_memory_is_bounded_and_evicts_the_oldest, setup),
        cmocka_unit_test_setup(test_database_store_shares_one_count, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
