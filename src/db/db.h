/* db.h - the one storage interface every module uses.
 *
 * SQL is written once with '?' placeholders and portable types; the engine behind a connection
 * (SQLite now, PostgreSQL next) is chosen by the URL. Each thread has its own connection
 * (db_thread()); statements are prepared once per connection and cached.
 *
 * Ownership: a db_stmt from db_prepare() belongs to its connection; give it back with
 * db_finish() on every path. Text returned by db_col_text() is valid until the next db_step()
 * or db_finish() on that statement: copy it (arena_strdup) to keep it. */
#ifndef KEPU_DB_H
#define KEPU_DB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

enum {
    DB_OK = 0,
    DB_ROW = 1,
    DB_DONE = 2,
    DB_ERR = -1,
    DB_BUSY = -2,       /* retryable: lock contention, serialization failure */
    DB_UNIQUE = -3,     /* unique constraint violated */
    DB_FK = -4,         /* foreign key violated */
    DB_GONE = -5,       /* connection lost */
};

/* Whether a --db value names a PostgreSQL server rather than a SQLite file. */
bool db_url_is_pg(const char *url);
/* Why the last db_open() on this thread failed (one line, no credentials). */
const char *db_open_error(void);
void db_set_open_error(const char *msg);
/* The URL with any password replaced by ***, for messages. */
void db_url_redacted(const char *url, char *out, size_t len);
/* Sets the URL every thread's connection opens ("path.db" or "postgresql://..."). */
void db_configure(const char *url);
/* This thread's connection, opened on first use; NULL when the database cannot be opened. */
db *db_thread(void);
/* In a server, after db_configure(): the engine's housekeeping threads (SQLite checkpoints the
 * WAL on a thread of its own instead of inside a request's commit). */
void db_start_background(void);
/* Open a connection of one's own (for tools and migrations); db_close() it. */
int db_open(const char *url, db **out);
void db_close(db *c);
const char *db_kind(db *c);           /* "sqlite" | "postgresql" */

db_stmt *db_prepare(db *c, const char *sql);   /* NULL on error (logged) */
void db_bind_int(db_stmt *s, int idx, int64_t v);    /* idx from 1 */
void db_bind_text(db_stmt *s, int idx, const char *v); /* NULL binds SQL NULL */
int db_step(db_stmt *s);                       /* DB_ROW, DB_DONE or a negative code */
int64_t db_col_int(db_stmt *s, int col);       /* col from 0 */
const char *db_col_text(db_stmt *s, int col);  /* NULL for SQL NULL */
bool db_col_null(db_stmt *s, int col);
void db_finish(db_stmt *s);
/* Rows changed by the last statement. */
int64_t db_changes(db *c);

/* Runs a statement that returns no rows (or ignores them); returns DB_OK or a negative code. */
int db_exec_stmt(db_stmt *s);
/* The first column of the first row of sql (no parameters; a COUNT(*)), or -1 on any failure. */
int64_t db_query_int(db *c, const char *sql);
/* After rows were inserted with explicit ids: new ids continue past the largest one. */
int db_reset_identity(db *c, const char *table);
/* Runs raw SQL text with no parameters (migrations, pragmas). */
int db_exec(db *c, const char *sql);

int db_begin(db *c);
int db_commit(db *c);
int db_rollback(db *c);
/* A read transaction around all of one request's queries: one snapshot, and one lock
 * acquisition instead of one per statement. Writes inside it are best effort. */
int db_read_begin(db *c);
void db_read_end(db *c);
/* Runs cb inside a transaction, retrying on DB_BUSY; commits when cb returns >= 0.
 * Returns cb's result, or a negative DB code. */
int db_transaction(db *c, int (*cb)(db *c, void *cls), void *cls);

/* ---- Work deferred to the end of a write transaction ----
 * A module whose writes within one transaction can be merged (the statistics' roll-up deltas:
 * one upsert per node and bucket instead of one per record) keeps them in a state of its own per
 * connection and registers how to write them. The outermost COMMIT runs every flush first (a
 * failing flush fails the commit, which rolls back); a ROLLBACK drops the state. In a group
 * commit (db.c) each job's part is marked when its SAVEPOINT opens and dropped when it rolls back
 * alone, so a failed job's deltas are never written and the batch's are written once, together.
 * Outside a transaction there is nothing to defer: the module writes at once. */
typedef struct db_deferred {
    int (*flush)(db *c, void *state);   /* writes it all and empties state; DB_OK or a DB code */
    void (*mark)(void *state);          /* a job begins: what follows may be dropped alone */
    void (*undo)(void *state);          /* drops what came since the last mark */
    void (*discard)(void *state);       /* drops everything */
    void (*free_state)(void *state);    /* the connection closes */
} db_deferred;
/* The state d keeps on c: made zeroed (size bytes) on first use, d registered the first time
 * (thread-safe; d is static). NULL when out of slots or memory. The module frees it in
 * free_state. */
void *db_deferred_state(db *c, const db_deferred *d, size_t size);
/* Whether c is inside a transaction (work may be deferred). */
bool db_in_transaction(db *c);
/* Runs every registered flush on c now: before a read that must see the deferred writes. */
int db_deferred_flush(db *c);

/* A migration's text for engine kind ("sqlite" or "postgresql"): the lines between "-- sqlite
 * only {" and "-- }" kept for SQLite alone, those between "-- postgresql only {" and "-- }" for
 * PostgreSQL alone (the marker lines dropped). malloc'd (the caller frees it); NULL when a block
 * is not closed, nests, or a "-- }" has no start. */
char *db_migration_for_engine(const char *sql, const char *kind);
/* Applies the embedded migrations not yet applied; 0 on success. */
int db_migrate(db *c);

#endif
