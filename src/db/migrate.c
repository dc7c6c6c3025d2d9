/* migrate.c - applies the numbered migrations embedded in the binary (migrations/NNN_*.sql),
 * each in its own transaction, recording them in schema_migrations. A database made by any
 * earlier version thus upgrades on start.
 *
 * Each applied migration's SHA-256 is kept (column checksum, from 017 on): a file edited after
 * it was applied would leave databases that ran the old text and databases that ran the new one
 * silently different, so the server refuses to start instead, naming the file. Rows applied
 * before 017 get their checksum on the first start of a binary that has 017: they were applied
 * from the same text, since an applied file was never to be edited.
 *
 * There is no 012, on purpose: no branch ever wrote one (git log --all -- src/db/migrations).
 * On 2026-11-24 parallel branches were handed their numbers in advance (011 volunteers, 013
 * volunteer projects); the branches merged between the two (teachhome, scope2) needed no table,
 * so 012 stayed unused. Versions need not be contiguous: each file is applied when its version
 * is missing from schema_migrations. The gap is not filled: a new 012 would run after 016 on
 * every existing database, out of the order its number claims. New migrations go on from 017. */
#include "db/db_impl.h"
#include "db/query.h"
#include "core/log.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Generated at build time from src/db/migrations/ (see CMakeLists.txt). */
struct migration { int version; const char *name; const char *sql; };
extern const struct migration kepu_migrations[];
extern const int kepu_migrations_count;

static char *replace_all(const char *sql, const char *token, const char *with)
{
    sbuf b;
    sbuf_init(&b);
    const char *p = sql, *hit;
    while ((hit = strstr(p, token))) {
        sbuf_addn(&b, p, (size_t)(hit - p));
        sbuf_add(&b, with);
        p = hit + strlen(token);
    }
    sbuf_add(&b, p);
    return sbuf_steal(&b);
}

/* Whether line (up to its end) is the marker text, after leading blanks and before trailing ones. */
static bool line_is(const char *line, const char *end, const char *marker)
{
    while (line < end && (*line == ' ' || *line == '\t')) line++;
    while (end > line && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) end--;
    return (size_t)(end - line) == strlen(marker) && !strncmp(line, marker, (size_t)(end - line));
}

/* Engine-only blocks (issue 18 A): what one engine alone can say (SQLite's FTS5 tables, a
 * PostgreSQL extension) sits between a line "-- sqlite only {" or "-- postgresql only {" and a
 * line "-- }"; the block is kept for its engine (without the marker lines) and dropped for the
 * other. Blocks do not nest. The checksum stays over the file as written (checksum_of), so both
 * engines record the same value. */
char *db_migration_for_engine(const char *sql, const char *kind)
{
    sbuf b;
    sbuf_init(&b);
    int in_block = 0;   /* 0 outside, 1 in a kept block, -1 in a dropped one */
    for (const char *p = sql; *p;) {
        const char *end = strchr(p, '\n');
        const char *next = end ? end + 1 : p + strlen(p);
        if (!end) end = next;
        bool sq = line_is(p, end, "-- sqlite only {"), pg = line_is(p, end, "-- postgresql only {");
        if (sq || pg) {
            if (in_block) break;   /* nested: refused below */
            in_block = !strcmp(kind, sq ? "sqlite" : "postgresql") ? 1 : -1;
        } else if (line_is(p, end, "-- }")) {
            if (!in_block) { in_block = 2; break; }   /* an end without a start */
            in_block = 0;
        } else if (in_block >= 0) {
            sbuf_addn(&b, p, (size_t)(next - p));
        }
        p = next;
    }
    if (in_block) {            /* unclosed, nested or stray marker */
        free(sbuf_steal(&b));
        return NULL;
    }
    return sbuf_steal(&b);
}

/* The dialect words of migrations: {{ID_PK}} and {{TEXT_C}}, after the engine-only blocks.
 * NULL when a block is malformed. */
static char *expand_dialect(db *c, const char *sql)
{
    char *mine = db_migration_for_engine(sql, c->ops->kind);
    if (!mine) return NULL;
    char *once = replace_all(mine, "{{ID_PK}}", c->ops->id_pk);
    free(mine);
    char *twice = replace_all(once, "{{TEXT_C}}", c->ops->text_c);
    free(once);
    return twice;
}

static int applied_version(db *c, int version)
{
    qb q;
    int64_t one;
    qb_init(&q, "SELECT 1 FROM schema_migrations WHERE version = ?");
    qb_int(&q, version);
    int rc = qb_exec(c, &q, &one);
    return rc == DB_OK ? 1 : rc == DB_DONE ? 0 : -1;
}

static int apply_one(db *c, const struct migration *m)
{
    char *sql = expand_dialect(c, m->sql);
    if (!sql) {
        log_error("migration %03d %s: an engine-only block is not closed, nests or ends unopened", m->version, m->name);
        return DB_ERR;
    }
    int rc = db_begin(c);
    if (rc == DB_OK) rc = db_exec(c, sql);
    if (rc == DB_OK) {
        qb q;
        qb_init(&q, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)");
        qb_int(&q, m->version);
        qb_text(&q, m->name);
        rc = qb_exec(c, &q, NULL);
    }
    rc = rc == DB_OK ? db_commit(c) : (db_rollback(c), rc);
    free(sql);
    if (rc == DB_OK) log_info("applied migration %03d %s", m->version, m->name);
    else log_error("migration %03d %s failed", m->version, m->name);
    return rc;
}

#define CHECKSUM_VERSION 17   /* the migration that adds schema_migrations.checksum */

/* Hex SHA-256 of the migration's text as embedded (before the dialect words are expanded, so
 * that both engines record the same value). */
static void checksum_of(const struct migration *m, char hex[2 * crypto_hash_sha256_BYTES + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)m->sql, strlen(m->sql));
    sodium_bin2hex(hex, 2 * crypto_hash_sha256_BYTES + 1, h, sizeof h);
}

static int fill_checksum(db *c, int version, const char *hex)
{
    qb q;
    qb_init(&q, "UPDATE schema_migrations SET checksum = ? WHERE version = ? AND checksum IS NULL");
    qb_text(&q, hex);
    qb_int(&q, version);
    return qb_exec(c, &q, NULL);
}

/* Compares each applied migration's recorded checksum with its embedded text, recording it
 * where none is (applied before 017, or just now). DB_OK, or DB_ERR when a file was edited. */
static int check_checksums(db *c)
{
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < kepu_migrations_count; i++) {
        const struct migration *m = &kepu_migrations[i];
        char want[2 * crypto_hash_sha256_BYTES + 1];
        checksum_of(m, want);
        db_stmt *s = db_prepare(c, "SELECT checksum FROM schema_migrations WHERE version = ?");
        if (!s) return DB_ERR;
        db_bind_int(s, 1, m->version);
        int step = db_step(s);
        const char *have = step == DB_ROW ? db_col_text(s, 0) : NULL;
        if (step != DB_ROW && step != DB_DONE) rc = DB_ERR;
        else if (step == DB_ROW && have && strcmp(have, want) != 0) {
            log_error("migration file src/db/migrations/%s.sql was edited after it was applied to this "
                      "database (recorded sha256 %s, the binary's %s): restore the file as it was and put "
                      "the change in a new migration", m->name, have, want);
            rc = DB_ERR;
        }
        bool fill = step == DB_ROW && !have;
        db_finish(s);
        if (rc == DB_OK && fill) rc = fill_checksum(c, m->version, want);
    }
    return rc;
}

/* Several nodes may start at once on one PostgreSQL: an advisory lock lets one migrate while
 * the others wait (SQLite serializes writers by itself). */
static void migration_lock(db *c, bool take)
{
    if (strcmp(db_kind(c), "postgresql") == 0)
        db_exec(c, take ? "SELECT pg_advisory_lock(5172026)" : "SELECT pg_advisory_unlock(5172026)");
}

int db_migrate(db *c)
{
    migration_lock(c, true);
    int rc = db_exec(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                        "version INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    /* Before anything is applied: an edited file stops the start with the database untouched. */
    if (rc == DB_OK) {
        int counted = applied_version(c, CHECKSUM_VERSION);
        rc = counted < 0 ? DB_ERR : counted ? check_checksums(c) : DB_OK;
    }
    for (int i = 0; rc == DB_OK && i < kepu_migrations_count; i++) {
        int have = applied_version(c, kepu_migrations[i].version);
        if (have < 0) rc = DB_ERR;
        else if (!have) rc = apply_one(c, &kepu_migrations[i]);
    }
    if (rc == DB_OK) rc = check_checksums(c);   /* records those applied now or before 017 */
    migration_lock(c, false);
    return rc == DB_OK ? DB_OK : DB_ERR;
}
