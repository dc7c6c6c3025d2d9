/* test_sqlite_vfs.c - the joined-frame VFS (db/sqlite_vfs.c): it becomes the default, and what
 * it writes is SQLite's own WAL, byte for byte where it matters: a copy of the database and its
 * WAL, taken while the writer is still open (nothing checkpointed), is opened with the plain unix
 * VFS and recovered from the WAL alone (SQLite then checks every frame's checksum chain and drops
 * the frames after a bad one), and every committed row is there. Readers on the joined VFS see
 * each commit at once, a rolled-back transaction leaves nothing, and a page written twice in one
 * transaction (SQLite rewrites the frame in place) reads back as its last version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "db/sqlite_vfs.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static char *path_in(const char *name)
{
    static char buf[4][128];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

static sqlite3 *open_with(const char *file, const char *vfs)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open_v2(file, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs), SQLITE_OK);
    return h;
}

static void exec(sqlite3 *h, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) fprintf(stderr, "%s: %s\n", sql, err ? err : "?");
    sqlite3_free(err);
    assert_int_equal(rc, SQLITE_OK);
}

static int64_t one_int(sqlite3 *h, const char *sql)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static const char *one_text(sqlite3 *h, const char *sql, char *buf, size_t n)
{
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    snprintf(buf, n, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return buf;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/kepu-test-vfs-%d", (int)getpid());
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s && mkdir -p %s", dir, dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_registered_as_default(void **state)
{
    (void)state;
    assert_int_equal(sqlite_vfs_register(), SQLITE_OK);
    assert_int_equal(sqlite_vfs_register(), SQLITE_OK);   /* once */
    assert_string_equal(sqlite3_vfs_find(NULL)->zName, "kepu-joined");
    assert_non_null(sqlite3_vfs_find("unix"));
}

static void test_wal_recovers_with_the_plain_vfs(void **state)
{
    (void)state;
    assert_int_equal(sqlite_vfs_register(), SQLITE_OK);
    sqlite3 *w = open_with(path_in("a.db"), NULL);
    exec(w, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;"
            "CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER, v TEXT); CREATE INDEX t_k ON t(k);");
    sqlite3 *r = open_with(path_in("a.db"), NULL);
    char sql[256];
    /* 300 transactions of 10 rows: rows spread over many pages and index leaves, each commit a
     * run of frames; a reader on the joined VFS sees each one at once */
    for (int tx = 0; tx < 300; tx++) {
        exec(w, "BEGIN");
        for (int i = 0; i < 10; i++) {
            int n = tx * 10 + i;
            snprintf(sql, sizeof sql, "INSERT INTO t (k, v) VALUES (%d, printf('%%0300d', %d))", (n * 7919) % 3001, n);
            exec(w, sql);
        }
        exec(w, "COMMIT");
        if (tx % 50 == 0) assert_int_equal(one_int(r, "SELECT count(*) FROM t"), (tx + 1) * 10);
    }
    /* a rolled-back transaction leaves nothing; a page written twice in one transaction (its
     * frame rewritten in place once it is in the WAL) reads back as the last version */
    exec(w, "BEGIN; DELETE FROM t WHERE id <= 1000; ROLLBACK");
    exec(w, "BEGIN; UPDATE t SET v = 'first' WHERE id = 5; SAVEPOINT s; UPDATE t SET v = 'second' WHERE id = 5;"
            "RELEASE s; COMMIT");
    char buf[64];
    assert_string_equal(one_text(r, "SELECT v FROM t WHERE id = 5", buf, sizeof buf), "second");
    assert_true(access(path_in("a.db-wal"), F_OK) == 0);
    /* nothing was checkpointed: the rows live in the WAL only */
    copy_file(path_in("a.db"), path_in("b.db"));
    copy_file(path_in("a.db-wal"), path_in("b.db-wal"));
    sqlite3 *plain = open_with(path_in("b.db"), "unix");
    assert_int_equal(one_int(plain, "SELECT count(*) FROM t"), 3000);
    assert_int_equal(one_int(plain, "SELECT sum(k) FROM t"), one_int(w, "SELECT sum(k) FROM t"));
    assert_int_equal(one_int(plain, "SELECT count(*) FROM t WHERE v = printf('%0300d', id - 1)"), 2999);
    assert_string_equal(one_text(plain, "SELECT v FROM t WHERE id = 5", buf, sizeof buf), "second");
    assert_string_equal(one_text(plain, "PRAGMA integrity_check", buf, sizeof buf), "ok");
    sqlite3_close(plain);
    sqlite3_close(r);
    sqlite3_close(w);
}

/* The WAL starting over (a RESTART checkpoint, as the server's checkpointer does): the new WAL
 * header and the frames after it are written through the same joins. */
static void test_wal_restart_and_recovery(void **state)
{
    (void)state;
    assert_int_equal(sqlite_vfs_register(), SQLITE_OK);
    sqlite3 *w = open_with(path_in("c.db"), NULL);
    exec(w, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 100; i++) exec(w, "INSERT INTO t (v) VALUES (randomblob(900))");
        exec(w, "PRAGMA wal_checkpoint(RESTART)");
    }
    for (int i = 0; i < 40; i++) exec(w, "INSERT INTO t (v) VALUES (zeroblob(2000))");
    copy_file(path_in("c.db"), path_in("d.db"));
    copy_file(path_in("c.db-wal"), path_in("d.db-wal"));
    sqlite3 *plain = open_with(path_in("d.db"), "unix");
    assert_int_equal(one_int(plain, "SELECT count(*) FROM t"), 340);
    assert_int_equal(one_int(plain, "SELECT count(*) FROM t WHERE length(v) = 2000"), 40);
    char buf[16];
    assert_string_equal(one_text(plain, "PRAGMA integrity_check", buf, sizeof buf), "ok");
    sqlite3_close(plain);
    sqlite3_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registered_as_default),
        cmocka_unit_test(test_wal_recovers_with_the_plain_vfs),
        cmocka_unit_test(test_wal_restart_and_recovery),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
