/* migrate.c - applies the numbered migrations embedded in the binary (migrations/NNN_*.sql),
 * each in its own transaction, recording them in schema_migrations. A database made by any
 * earlier version thus upgrades on start.
 *
 * There is no 012, on purpose: no branch ever wrote one (git log --all -- src/db/migrations).
 * On 2026-11-24 parallel branches were handed their numbers in advance (011 volunteers, 013
 * volunteer projects); the branches merged between the two (teachhome, scope2) needed no table,
 * so 012 stayed unused. Versions need not be contiguous: each file is applied when its version
 * is missing from schema_migrations. The gap is not filled: a new 012 would run after 016 on
 * every existing database, out of the order its number claims. New migrations go on from 017. */
#include "db/db_impl.h"
#include "core/log.h"
#include "core/sbuf.h"
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

/* The dialect words of migrations: {{ID_PK}} and {{TEXT_C}}. */
static char *expand_dialect(db *c, const char *sql)
{
    char *once = replace_all(sql, "{{ID_PK}}", c->ops->id_pk);
    char *twice = replace_all(once, "{{TEXT_C}}", c->ops->text_c);
    free(once);
    return twice;
}

static int applied_version(db *c, int version)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM schema_migrations WHERE version = ?");
    if (!s) return -1;
    db_bind_int(s, 1, version);
    int rc = db_step(s);
    db_finish(s);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

static int apply_one(db *c, const struct migration *m)
{
    char *sql = expand_dialect(c, m->sql);
    int rc = db_begin(c);
    if (rc == DB_OK) rc = db_exec(c, sql);
    if (rc == DB_OK) {
        db_stmt *s = db_prepare(c, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)");
        rc = s ? DB_OK : DB_ERR;
        if (s) {
            db_bind_int(s, 1, m->version);
            db_bind_text(s, 2, m->name);
            rc = db_exec_stmt(s);
            db_finish(s);
        }
    }
    rc = rc == DB_OK ? db_commit(c) : (db_rollback(c), rc);
    free(sql);
    if (rc == DB_OK) log_info("applied migration %03d %s", m->version, m->name);
    else log_error("migration %03d %s failed", m->version, m->name);
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
    for (int i = 0; rc == DB_OK && i < kepu_migrations_count; i++) {
        int have = applied_version(c, kepu_migrations[i].version);
        if (have < 0) rc = DB_ERR;
        else if (!have) rc = apply_one(c, &kepu_migrations[i]);
    }
    migration_lock(c, false);
    return rc == DB_OK ? DB_OK : DB_ERR;
}
