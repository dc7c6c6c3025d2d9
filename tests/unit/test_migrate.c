/* test_migrate.c - migration checksums (db/migrate.c): every applied migration's SHA-256 is
 * recorded; a database made before the checksums (no column, 001..016 applied) gets them on its
 * next start; an applied migration whose text no longer matches stops the start. Engine-only
 * blocks (issue 18 A) are kept for their engine and dropped for the other; a malformed one is
 * refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "db/db.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The embedded migrations (generated from src/db/migrations/, see CMakeLists.txt). */
struct migration { int version; const char *name; const char *sql; };
extern const struct migration kepu_migrations[];
extern const int kepu_migrations_count;

static char path[64];

static int setup(void **state)
{
    snprintf(path, sizeof path, "/tmp/kepu-test-migrate-%d.db", (int)getpid());
    unlink(path);
    db *c = NULL;
    assert_int_equal(db_open(path, &c), DB_OK);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    db_close(*state);
    char p[80];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path), unlink(p);
    snprintf(p, sizeof p, "%s-shm", path), unlink(p);
    return 0;
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

/* Every embedded migration is applied and carries the SHA-256 of its text. */
static void assert_checksums_recorded(db *c)
{
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM schema_migrations WHERE checksum IS NOT NULL"),
                     kepu_migrations_count);
    for (int i = 0; i < kepu_migrations_count; i++) {
        unsigned char h[crypto_hash_sha256_BYTES];
        char hex[2 * crypto_hash_sha256_BYTES + 1];
        crypto_hash_sha256(h, (const unsigned char *)kepu_migrations[i].sql, strlen(kepu_migrations[i].sql));
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        db_stmt *s = db_prepare(c, "SELECT checksum FROM schema_migrations WHERE version = ?");
        assert_non_null(s);
        db_bind_int(s, 1, kepu_migrations[i].version);
        assert_int_equal(db_step(s), DB_ROW);
        assert_string_equal(db_col_text(s, 0), hex);
        db_finish(s);
    }
}

static void test_a_new_database_records_every_checksum(void **state)
{
    db *c = *state;
    assert_int_equal(db_migrate(c), DB_OK);
    assert_checksums_recorded(c);
    assert_int_equal(db_migrate(c), DB_OK);   /* a second start changes nothing */
    assert_checksums_recorded(c);
}

/* A database of the binary before 017: schema_migrations (version, name), 001..016 applied. */
static void test_an_older_database_gets_its_checksums(void **state)
{
    db *c = *state;
    assert_int_equal(db_migrate(c), DB_OK);
    assert_int_equal(db_exec(c, "DELETE FROM schema_migrations WHERE version = 17;"
                                "ALTER TABLE schema_migrations DROP COLUMN checksum"), DB_OK);
    assert_int_equal(db_migrate(c), DB_OK);
    assert_checksums_recorded(c);
}

/* A file edited after it was applied: recorded and embedded checksums differ. */
static void test_an_edited_migration_stops_the_start(void **state)
{
    db *c = *state;
    assert_int_equal(db_migrate(c), DB_OK);
    assert_int_equal(db_exec(c, "UPDATE schema_migrations SET checksum = 'ab' || substr(checksum, 3) "
                                "WHERE version = 8"), DB_OK);
    assert_int_equal(db_migrate(c), DB_ERR);
    /* nothing was filled over the mismatch */
    assert_int_equal(scalar(c, "SELECT COUNT(*) FROM schema_migrations WHERE version = 8 AND checksum LIKE 'ab%'"), 1);
    assert_int_equal(db_exec(c, "UPDATE schema_migrations SET checksum = NULL WHERE version = 8"), DB_OK);
    assert_int_equal(db_migrate(c), DB_OK);   /* a missing checksum is recorded, not refused */
    assert_checksums_recorded(c);
}

static void expect_for(const char *sql, const char *kind, const char *want)
{
    char *got = db_migration_for_engine(sql, kind);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* Each engine keeps its own block and the lines outside any; the markers go. */
static void test_engine_only_blocks(void **state)
{
    (void)state;
    const char *sql = "CREATE TABLE t (x TEXT);\n"
                      "-- sqlite only {\n"
                      "CREATE VIRTUAL TABLE f USING fts5(x);\n"
                      "-- }\n"
                      "  -- postgresql only {  \n"
                      "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
                      "CREATE INDEX i ON t USING gin (x gin_trgm_ops);\n"
                      "-- }\n"
                      "CREATE INDEX j ON t(x);";
    expect_for(sql, "sqlite", "CREATE TABLE t (x TEXT);\nCREATE VIRTUAL TABLE f USING fts5(x);\nCREATE INDEX j ON t(x);");
    expect_for(sql, "postgresql", "CREATE TABLE t (x TEXT);\nCREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
                                  "CREATE INDEX i ON t USING gin (x gin_trgm_ops);\nCREATE INDEX j ON t(x);");
    expect_for("SELECT 1;\n", "sqlite", "SELECT 1;\n");   /* no block: the text as it is */
    expect_for("-- sqlite only {\nA;\n", "sqlite", NULL);                  /* not closed */
    expect_for("-- sqlite only {\n-- postgresql only {\nA;\n-- }\n-- }\n", "postgresql", NULL);   /* nested */
    expect_for("A;\n-- }\n", "sqlite", NULL);                               /* an end without a start */
    expect_for("-- sqlite only {{\nA;\n", "sqlite", "-- sqlite only {{\nA;\n");   /* not a marker */
}

/* The embedded migrations all expand for both engines (none malformed). */
static void test_every_migration_expands(void **state)
{
    (void)state;
    for (int i = 0; i < kepu_migrations_count; i++)
        for (int k = 0; k < 2; k++) {
            char *t = db_migration_for_engine(kepu_migrations[i].sql, k ? "postgresql" : "sqlite");
            assert_non_null(t);
            free(t);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_new_database_records_every_checksum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_older_database_gets_its_checksums, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_edited_migration_stops_the_start, setup, teardown),
        cmocka_unit_test(test_engine_only_blocks),
        cmocka_unit_test(test_every_migration_expands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
