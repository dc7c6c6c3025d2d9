/* test_stats_group.c - roll-up deltas coalesced per group commit are exact (issue 17, package D).
 *
 * Threads write through the server's real path on SQLite (db_configure + db_thread: the group
 * commit of db.c, jobs in savepoints on one writer connection): each transaction inserts a raw
 * record, adds its figures with stats_add() and stats_add_keys() and audits itself; every fifth
 * then fails on purpose, after its writes; every seventh reads its own node's figures before and
 * after its add (the read must see its own delta, so stats flushes inside the batch) and some of
 * those fail too (a flush inside a job whose savepoint then rolls back). Afterwards the roll-ups
 * equal a recount from the records (stats_verify), the totals equal the number of successful
 * jobs, and no failed job left a delta or an audit row (audit rows wait for the COMMIT too, with
 * the same bookkeeping: audit/audit_queue.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "audit/audit.h"
#include "db/db.h"
#include "stats/stats.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 8
#define PER_THREAD 250
#define NPOINTS 4

static char path[64];
/* a city (1), two districts (2, 3), two points under each (4, 5 under 2; 6, 7 under 3) */
static const char *const points[NPOINTS] = {"/1/2/4/", "/1/2/5/", "/1/3/6/", "/1/3/7/"};
static const int64_t point_ids[NPOINTS] = {4, 5, 6, 7};

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/kepu-test-stats-group-%d.db", (int)getpid());
    unlink(path);
    db_configure(path);
    db *c = db_thread();
    assert_non_null(c);
    assert_int_equal(db_migrate(c), 0);
    static const char *const orgs[] = {"(1, NULL, 'city', '市', '/1/', 0)", "(2, 1, 'district', '甲区', '/1/2/', 1)",
                                       "(3, 1, 'district', '乙区', '/1/3/', 1)", "(4, 2, 'point', '点4', '/1/2/4/', 2)",
                                       "(5, 2, 'point', '点5', '/1/2/5/', 2)", "(6, 3, 'point', '点6', '/1/3/6/', 2)",
                                       "(7, 3, 'point', '点7', '/1/3/7/', 2)"};
    char sql[256];
    for (size_t i = 0; i < sizeof orgs / sizeof *orgs; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO orgs (id, parent_id, type, name, path, depth, created_at, updated_at) "
                                  "VALUES %.*s, '2026-01-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00')",
                 (int)strlen(orgs[i]) - 1, orgs[i]);
        assert_int_equal(db_exec(c, sql), DB_OK);
    }
    assert_int_equal(db_exec(c, "CREATE TABLE t_act (id INTEGER PRIMARY KEY, org_path TEXT, day TEXT, people INTEGER);"
                                "CREATE TABLE t_key (id INTEGER PRIMARY KEY, org_path TEXT, day TEXT, n INTEGER);"),
                     DB_OK);
    stats_register_source("test_group", "SELECT org_path, day, 'lecture' AS kind, NULL AS audience, 1 AS activities, "
                                        "people AS participants, 0 AS materials, 0 AS videos, 0 AS views, "
                                        "0 AS volunteers, 0 AS volunteer_hours, 0 AS funds FROM t_act");
    stats_register_key_source("SELECT org_path, day, 'test_attendance' AS key, n FROM t_key");
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

struct job {
    int thread, n;
    bool fail, read;
    bool saw_own;   /* a reading job: its read after the add showed it */
};

static int insert(db *c, const char *sql, const char *org_path, const char *day, int64_t v)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, org_path), db_bind_text(s, 2, day), db_bind_int(s, 3, v);
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

/* The test key's count at node id on day. */
static int key_count(db *c, int64_t id, const char *day, int64_t *out)
{
    period p;
    /* a day is 10 characters: the precision keeps gcc -O2's truncation warning quiet */
    snprintf(p.from, sizeof p.from, "%.10s", day), snprintf(p.to, sizeof p.to, "%.10s", day);
    const char *key = "test_attendance";
    return stats_query_keys(c, id, &p, &key, 1, out);
}

static int job_cb(db *c, void *cls)
{
    struct job *j = cls;
    int pt = (j->thread + j->n) % NPOINTS;
    const char *org_path = points[pt];
    char day[16];
    snprintf(day, sizeof day, "2026-0%d-%02d", 1 + j->n % 3, 1 + j->n % 28);   /* months and days cross */
    int64_t people = j->n % 11, before = 0, after = 0;
    stats_values v = {{0}};
    v.v[M_ACTIVITIES] = 1, v.v[M_PARTICIPANTS] = people;
    stats_key k = {"test_attendance", 2};
    int rc = j->read ? key_count(c, point_ids[pt], day, &before) : DB_OK;
    if (rc == DB_OK) rc = insert(c, "INSERT INTO t_act (org_path, day, people) VALUES (?, ?, ?)", org_path, day, people);
    if (rc == DB_OK) rc = stats_add(c, org_path, day, "lecture", NULL, &v, +1);
    if (rc == DB_OK) rc = insert(c, "INSERT INTO t_key (org_path, day, n) VALUES (?, ?, ?)", org_path, day, 2);
    if (rc == DB_OK) rc = stats_add_keys(c, org_path, day, &k, 1, +1);
    if (rc == DB_OK && j->read) {
        rc = key_count(c, point_ids[pt], day, &after);
        j->saw_own = after == before + 2;
    }
    json_t *rec = json_pack("{s:i, s:i}", "thread", j->thread, "n", j->n);
    if (rc == DB_OK) rc = audit_record(c, actor_system(), org_path, "test_group", j->thread * 1000 + j->n, "add", NULL, rec);
    json_decref(rec);
    if (rc != DB_OK) return rc;
    return j->fail ? -42 : j->n;
}

static void *worker(void *arg)
{
    int thread = (int)(intptr_t)arg;
    intptr_t wrong = 0;
    db *c = db_thread();
    if (!c) return (void *)(intptr_t)-1;
    for (int n = 1; n <= PER_THREAD; n++) {
        struct job j = {thread, n, n % 5 == 0, n % 7 == 0, false};
        int rc = db_transaction(c, job_cb, &j);
        if (rc != (j.fail ? -42 : n)) wrong++;
        if (j.read && !j.saw_own) wrong += 1000;   /* a read inside the job missed its own delta */
    }
    return (void *)wrong;
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

static void test_coalesced_deltas_equal_the_records(void **state)
{
    (void)state;
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) assert_int_equal(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i), 0);
    for (int i = 0; i < THREADS; i++) {
        void *wrong;
        pthread_join(t[i], &wrong);
        assert_int_equal((intptr_t)wrong, 0);
    }
    db *c = db_thread();
    int64_t ok = THREADS * (PER_THREAD - PER_THREAD / 5);
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM t_act"), ok);
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM t_key"), ok);
    /* the city's totals, by month and by day, are those of the successful jobs only */
    assert_int_equal(scalar(c, "SELECT SUM(activities) FROM stat_rollups WHERE org_id = 1 AND grain = 'm'"), ok);
    assert_int_equal(scalar(c, "SELECT SUM(activities) FROM stat_rollups WHERE org_id = 1 AND grain = 'd'"), ok);
    assert_int_equal(scalar(c, "SELECT SUM(participants) FROM stat_rollups WHERE org_id = 1 AND grain = 'd'"),
                     scalar(c, "SELECT SUM(people) FROM t_act"));
    assert_int_equal(scalar(c, "SELECT SUM(n) FROM stat_kind_rollups WHERE org_id = 1 AND grain = 'm' "
                               "AND kind = 'test_attendance'"), 2 * ok);
    assert_int_equal(scalar(c, "SELECT SUM(n) FROM stat_kind_rollups WHERE org_id = 2 AND grain = 'd' AND kind = 'lecture'"),
                     scalar(c, "SELECT COUNT(*) FROM t_act WHERE org_path LIKE '/1/2/%'"));
    /* audit rows: one per successful job, none of a failed one */
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'test_group'"), ok);
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'test_group' AND entity_id % 1000 % 5 = 0"), 0);
    assert_int_equal(scalar(c, "SELECT COUNT(DISTINCT entity_id) FROM audit_log WHERE entity = 'test_group'"), ok);
    /* each row whole: its org path is the one its job wrote to, its changes its own */
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'test_group' AND changes NOT LIKE "
                               "'%\"n\":{\"after\":' || (entity_id % 1000) || ',%'"), 0);
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM audit_log a JOIN t_act t ON t.org_path = a.org_path "
                               "WHERE a.entity = 'test_group'") > 0, 1);
    int64_t diff = -1;
    assert_int_equal(stats_verify(c, &diff), DB_OK);
    assert_int_equal(diff, 0);
}

/* Outside any transaction a delta is written at once; inside one, a ROLLBACK drops it. */
static void test_outside_a_transaction_and_rolled_back(void **state)
{
    (void)state;
    db *c;
    assert_int_equal(db_open(path, &c), DB_OK);   /* a command's connection: no group */
    int64_t before = scalar(c, "SELECT COALESCE(SUM(n), 0) FROM stat_kind_rollups WHERE org_id = 4 AND kind = 'x_once'");
    stats_key k = {"x_once", 3};
    assert_int_equal(stats_add_keys(c, "/1/2/4/", "2026-05-01", &k, 1, +1), DB_OK);
    assert_int_equal(scalar(c, "SELECT SUM(n) FROM stat_kind_rollups WHERE org_id = 4 AND kind = 'x_once'"), before + 6);
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(stats_add_keys(c, "/1/2/4/", "2026-05-01", &k, 1, +1), DB_OK);
    assert_int_equal(db_rollback(c), DB_OK);
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(db_commit(c), DB_OK);   /* nothing of the rolled-back one comes back */
    assert_int_equal(scalar(c, "SELECT SUM(n) FROM stat_kind_rollups WHERE org_id = 4 AND kind = 'x_once'"), before + 6);
    /* audit rows the same way: at once outside, dropped with a ROLLBACK, written by a COMMIT */
    int64_t audits = scalar(c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'x_once'");
    assert_int_equal(audit_record(c, actor_system(), "/1/2/4/", "x_once", 1, "add", NULL, NULL), DB_OK);
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'x_once'"), audits + 1);
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(audit_record(c, actor_system(), "/1/2/4/", "x_once", 2, "add", NULL, NULL), DB_OK);
    assert_int_equal(db_rollback(c), DB_OK);
    assert_int_equal(db_begin(c), DB_OK);
    assert_int_equal(audit_record(c, actor_system(), "/1/2/4/", "x_once", 3, "add", NULL, NULL), DB_OK);
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'x_once'"), audits + 1);   /* queued */
    assert_int_equal(db_commit(c), DB_OK);
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'x_once'"), audits + 2);
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'x_once' AND entity_id = 2"), 0);
    /* undo the figures: verify must stay clean for the other test */
    k.name = "x_once";
    assert_int_equal(stats_add_keys(c, "/1/2/4/", "2026-05-01", &k, 1, -1), DB_OK);
    db_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outside_a_transaction_and_rolled_back),
        cmocka_unit_test(test_coalesced_deltas_equal_the_records),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
