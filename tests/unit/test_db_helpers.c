/* test_db_helpers.c - the shared helpers over db on SQLite: yearly serial counters
 * (db/counter.h: one number after another per key, keys apart, the kept column frozen at the
 * key's first number) and the step history writer (db/steps.h: with and without the optional
 * path and org columns, ids 0 stored as NULL). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "core/arena.h"
#include "db/counter.h"
#include "db/steps.h"
#include <stdio.h>
#include <unistd.h>

static char path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/kepu-test-db-helpers-%d.db", (int)getpid());
    unlink(path);
    db_configure(path);
    db *c = db_thread();
    assert_non_null(c);
    assert_int_equal(db_exec(c, "CREATE TABLE yc (year INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL);"
                                "CREATE TABLE ic (issuer INTEGER, year INTEGER, pattern TEXT, last_seq INTEGER NOT NULL, "
                                "PRIMARY KEY (issuer, year));"
                                "CREATE TABLE full_steps (id INTEGER PRIMARY KEY, rec_id INTEGER, org_path TEXT, action TEXT, "
                                "from_status TEXT, to_status TEXT, reason TEXT, actor_id INTEGER, actor_name TEXT, "
                                "actor_org_id INTEGER, at TEXT);"
                                "CREATE TABLE bare_steps (id INTEGER PRIMARY KEY, rec_id INTEGER, action TEXT, "
                                "from_status TEXT, to_status TEXT, reason TEXT, user_id INTEGER, username TEXT, at TEXT);"),
                     DB_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[96];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path), unlink(p);
    snprintf(p, sizeof p, "%s-shm", path), unlink(p);
    return 0;
}

static const db_counter yearly = {"yc", {"year", NULL}, NULL};
static const db_counter per_issuer = {"ic", {"issuer", "year", NULL}, "pattern"};

static void test_counter_numbers_each_year_from_one(void **state)
{
    (void)state;
    db *c = db_thread();
    int64_t seq = 0;
    const int64_t y25[] = {2025}, y26[] = {2026};
    assert_int_equal(db_counter_next(c, &yearly, y25, NULL, NULL, &seq, NULL), DB_OK);
    assert_int_equal(seq, 1);
    assert_int_equal(db_counter_next(c, &yearly, y25, NULL, NULL, &seq, NULL), DB_OK);
    assert_int_equal(seq, 2);
    assert_int_equal(db_counter_next(c, &yearly, y26, NULL, NULL, &seq, NULL), DB_OK);
    assert_int_equal(seq, 1);
    assert_int_equal(db_counter_next(c, &yearly, y25, NULL, NULL, &seq, NULL), DB_OK);
    assert_int_equal(seq, 3);
}

static void test_counter_keeps_the_first_pattern_of_a_key(void **state)
{
    (void)state;
    db *c = db_thread();
    arena a;
    arena_init(&a);
    int64_t seq = 0;
    const char *kept = NULL;
    const int64_t k1[] = {7, 2026}, k2[] = {8, 2026};
    assert_int_equal(db_counter_next(c, &per_issuer, k1, "A{seq}", &a, &seq, &kept), DB_OK);
    assert_int_equal(seq, 1);
    assert_string_equal(kept, "A{seq}");
    assert_int_equal(db_counter_next(c, &per_issuer, k1, "B{seq}", &a, &seq, &kept), DB_OK);
    assert_int_equal(seq, 2);
    assert_string_equal(kept, "A{seq}");   /* the year's pattern stays the year's */
    assert_int_equal(db_counter_next(c, &per_issuer, k2, "B{seq}", &a, &seq, &kept), DB_OK);
    assert_int_equal(seq, 1);
    assert_string_equal(kept, "B{seq}");
    arena_free(&a);
}

static void test_counter_on_a_missing_table_is_an_error(void **state)
{
    (void)state;
    static const db_counter nowhere = {"no_such_counters", {"year", NULL}, NULL};
    int64_t seq = 41;
    const int64_t y[] = {2026};
    assert_true(db_counter_next(db_thread(), &nowhere, y, NULL, NULL, &seq, NULL) < 0);
    assert_int_equal(seq, 41);
}

static void test_steps_write_every_column_of_a_full_table(void **state)
{
    (void)state;
    db *c = db_thread();
    static const db_steps full = {"full_steps", "rec_id", "org_path", "actor_id", "actor_name", "actor_org_id"};
    const db_step_entry e = {5, "/1/2/", "certify", "proposed", "certified", "ok", 9, "alice", 2, "2026-05-18T09:00:00+08:00"};
    assert_int_equal(db_steps_add(c, &full, &e), DB_OK);
    const db_step_entry pub = {5, "/1/2/", "create", NULL, "draft", NULL, 0, "public", 0, "2026-05-18T10:00:00+08:00"};
    assert_int_equal(db_steps_add(c, &full, &pub), DB_OK);
    db_stmt *s = db_prepare(c, "SELECT rec_id, org_path, action, from_status, to_status, reason, actor_id, actor_name, "
                               "actor_org_id, at FROM full_steps ORDER BY id");
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 5);
    assert_string_equal(db_col_text(s, 1), "/1/2/");
    assert_string_equal(db_col_text(s, 2), "certify");
    assert_string_equal(db_col_text(s, 3), "proposed");
    assert_string_equal(db_col_text(s, 4), "certified");
    assert_string_equal(db_col_text(s, 5), "ok");
    assert_int_equal(db_col_int(s, 6), 9);
    assert_string_equal(db_col_text(s, 7), "alice");
    assert_int_equal(db_col_int(s, 8), 2);
    assert_string_equal(db_col_text(s, 9), "2026-05-18T09:00:00+08:00");
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(db_col_null(s, 3));
    assert_true(db_col_null(s, 5));
    assert_true(db_col_null(s, 6));   /* no user: NULL, not 0 */
    assert_true(db_col_null(s, 8));
    assert_string_equal(db_col_text(s, 7), "public");
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
}

static void test_steps_skip_the_columns_a_table_lacks(void **state)
{
    (void)state;
    db *c = db_thread();
    static const db_steps bare = {"bare_steps", "rec_id", NULL, "user_id", "username", NULL};
    const db_step_entry e = {3, "/ignored/", "submit", "draft", "submitted", NULL, 4, "bob", 77, "2026-05-18T11:00:00+08:00"};
    assert_int_equal(db_steps_add(c, &bare, &e), DB_OK);
    db_stmt *s = db_prepare(c, "SELECT rec_id, action, from_status, to_status, reason, user_id, username, at FROM bare_steps");
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 3);
    assert_string_equal(db_col_text(s, 1), "submit");
    assert_string_equal(db_col_text(s, 2), "draft");
    assert_string_equal(db_col_text(s, 3), "submitted");
    assert_true(db_col_null(s, 4));
    assert_int_equal(db_col_int(s, 5), 4);
    assert_string_equal(db_col_text(s, 6), "bob");
    assert_string_equal(db_col_text(s, 7), "2026-05-18T11:00:00+08:00");
    assert_int_equal(db_step(s), DB_DONE);
    db_finish(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counter_numbers_each_year_from_one),
        cmocka_unit_test(test_counter_keeps_the_first_pattern_of_a_key),
        cmocka_unit_test(test_counter_on_a_missing_table_is_an_error),
        cmocka_unit_test(test_steps_write_every_column_of_a_full_table),
        cmocka_unit_test(test_steps_skip_the_columns_a_table_lacks),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
