/* test_db.c - transactions of the db layer on SQLite: group commit under concurrency (every
 * successful transaction is written exactly once, a failing one leaves nothing, even when it
 * shares a batch with successful ones), nesting, the statement cache under collisions, and
 * background checkpoints keeping the WAL from growing without end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "db/db.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define THREADS 8
#define PER_THREAD 300

static char path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/kepu-test-db-%d.db", (int)getpid());
    unlink(path);
    db_configure(path);
    db *c = db_thread();
    assert_non_null(c);
    assert_int_equal(db_exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, thread INTEGER, n INTEGER);"
                                "CREATE TABLE total (k INTEGER PRIMARY KEY, v INTEGER);"
                                "INSERT INTO total VALUES (1, 0);"), DB_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[80];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path), unlink(p);
    snprintf(p, sizeof p, "%s-shm", path), unlink(p);
    return 0;
}

struct job { int thread, n; };

/* Writes a row and moves the shared total; transactions with n % 3 == 0 then fail (a
 * validation error after writing, as handlers do). */
static int write_cb(db *c, void *cls)
{
    struct job *j = cls;
    db_stmt *s = db_prepare(c, "INSERT INTO t (thread, n) VALUES (?, ?)");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, j->thread);
    db_bind_int(s, 2, j->n);
    int rc = db_exec_stmt(s);
    db_finish(s);
    if (rc != DB_OK) return rc;
    s = db_prepare(c, "UPDATE total SET v = v + 1 WHERE k = 1");
    if (!s) return DB_ERR;
    rc = db_exec_stmt(s);
    db_finish(s);
    if (rc != DB_OK) return rc;
    return j->n % 3 == 0 ? -42 : j->n;
}

static void *worker(void *arg)
{
    int thread = (int)(intptr_t)arg, wrong = 0;
    db *c = db_thread();
    if (!c) return (void *)(intptr_t)-1;
    for (int n = 1; n <= PER_THREAD; n++) {
        struct job j = {thread, n};
        int rc = db_transaction(c, write_cb, &j);
        if (rc != (n % 3 == 0 ? -42 : n)) wrong++;
    }
    return (void *)(intptr_t)wrong;
}

static int64_t scalar(db *c, const char *sql)
{
    db_stmt *s = db_prepare(c, sql);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t v = db_col_int(s, 0);
    db_finish(s);
    return v;
}

static void test_concurrent_transactions_commit_exactly_the_successful_ones(void **state)
{
    (void)state;
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) assert_int_equal(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i), 0);
    for (int i = 0; i < THREADS; i++) {
        void *wrong;
        pthread_join(t[i], &wrong);
        assert_int_equal((intptr_t)wrong, 0);   /* each caller got its own callback's result */
    }
    db *c = db_thread();
    int64_t ok = THREADS * (PER_THREAD - PER_THREAD / 3);
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM t"), ok);
    assert_int_equal(scalar(c, "SELECT v FROM total WHERE k = 1"), ok);
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM t WHERE n % 3 = 0"), 0);
    assert_int_equal(scalar(c, "SELECT COUNT(DISTINCT thread || '-' || n) FROM t"), ok);
}

static int nested_cb(db *c, void *cls)
{
    struct job *j = cls;
    /* a model function opening its own transaction inside its caller's */
    int rc = db_transaction(c, write_cb, j);
    return rc < 0 ? rc : rc + 1000;
}

static void test_nested_transaction_belongs_to_the_outer_one(void **state)
{
    (void)state;
    db *c = db_thread();
    int64_t before = scalar(c, "SELECT COUNT(*) FROM t");
    struct job ok = {99, 1}, bad = {99, 3};
    assert_int_equal(db_transaction(c, nested_cb, &ok), 1001);
    assert_int_equal(db_transaction(c, nested_cb, &bad), -42);
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM t"), before + 1);
}

/* Many distinct statements in turn, then again: every one answers right whatever the cache
 * evicted, and statements in use at once (nested) do not disturb each other. */
static void test_statement_cache_keeps_answers_right(void **state)
{
    (void)state;
    db *c = db_thread();
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 700; i++) {
            char sql[64];
            snprintf(sql, sizeof sql, "SELECT %d + ?", i);
            db_stmt *s = db_prepare(c, sql);
            assert_non_null(s);
            db_bind_int(s, 1, round);
            db_stmt *inner = db_prepare(c, sql);   /* the same text while the first is busy */
            assert_non_null(inner);
            db_bind_int(inner, 1, 100);
            assert_int_equal(db_step(inner), DB_ROW);
            assert_int_equal(db_col_int(inner, 0), i + 100);
            db_finish(inner);
            assert_int_equal(db_step(s), DB_ROW);
            assert_int_equal(db_col_int(s, 0), i + round);
            db_finish(s);
        }
}

/* The WAL's checkpoint sequence number (header bytes 12..15, big-endian): it moves each time
 * the WAL starts over from its beginning, which only happens after a checkpoint copied it all. */
static uint32_t wal_generation(void)
{
    char p[80];
    unsigned char h[16] = {0};
    snprintf(p, sizeof p, "%s-wal", path);
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
    fclose(f);
    return (uint32_t)h[12] << 24 | (uint32_t)h[13] << 16 | (uint32_t)h[14] << 8 | h[15];
}

static int blob_cb(db *c, void *cls)
{
    (void)cls;
    return db_exec(c, "INSERT INTO blobs (b) VALUES (zeroblob(65536))");   /* 16+ pages */
}

/* A server writing without pause: the background checkpointer copies the WAL back and the WAL
 * starts over, instead of growing for as long as the writes go on (its connection once had
 * never opened the WAL and every checkpoint copied nothing). */
static void test_background_checkpoints_let_the_wal_start_over(void **state)
{
    (void)state;
    db *c = db_thread();
    assert_int_equal(db_exec(c, "CREATE TABLE blobs (id INTEGER PRIMARY KEY, b BLOB)"), DB_OK);
    db_start_background();
    uint32_t first = wal_generation();
    int commits = 0;
    /* 4,000 pages trigger a checkpoint: 300 commits of 16 pages pass that, 2,000 would make a
     * 128 MiB WAL if nothing were ever copied back */
    while (wal_generation() == first && commits < 2000) {
        assert_int_equal(db_transaction(c, blob_cb, NULL), DB_OK);
        if (++commits > 300) nanosleep(&(struct timespec){0, 1000000L}, NULL);   /* room for the checkpointer */
    }
    assert_int_not_equal(wal_generation(), first);
    assert_true(commits < 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_transactions_commit_exactly_the_successful_ones),
        cmocka_unit_test(test_nested_transaction_belongs_to_the_outer_one),
        cmocka_unit_test(test_statement_cache_keeps_answers_right),
        cmocka_unit_test(test_background_checkpoints_let_the_wal_start_over),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
