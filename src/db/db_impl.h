/* db_impl.h - what an engine (sqlite.c, pg.c) provides behind db.h. Private to db/. */
#ifndef KEPU_DB_IMPL_H
#define KEPU_DB_IMPL_H
#include "db/db.h"

struct db_ops {
    const char *kind;
    int (*open)(const char *url, db **out);
    void (*close)(db *c);
    db_stmt *(*prepare)(db *c, const char *sql);
    void (*bind_int)(db_stmt *s, int idx, int64_t v);
    void (*bind_text)(db_stmt *s, int idx, const char *v);
    int (*step)(db_stmt *s);
    int64_t (*col_int)(db_stmt *s, int col);
    const char *(*col_text)(db_stmt *s, int col);
    bool (*col_null)(db_stmt *s, int col);
    void (*finish)(db_stmt *s);
    int64_t (*changes)(db *c);
    int (*exec)(db *c, const char *sql);
    /* Starts a write transaction (SQLite: BEGIN IMMEDIATE, so that a reader never has to
     * upgrade its lock and fail with BUSY halfway through). */
    const char *begin_sql;
    /* Whether a request's reads are worth wrapping in one transaction: for SQLite it saves a
     * lock per statement; for PostgreSQL it would cost two round trips for nothing. */
    bool read_tx;
    /* Whether the process lets one write transaction in at a time (SQLite: there is one writer
     * anyway, and threads queued on a mutex wake at once, where SQLite's busy handler sleeps
     * for milliseconds between tries). */
    bool one_writer;
    /* Whether the connection is inside a transaction (SQLite ends one by itself on some errors);
     * needed by engines with one_writer, for group commit. */
    bool (*in_tx)(db *c);
    /* Housekeeping threads of a server process (SQLite: the checkpointer); may be NULL. */
    void (*start_background)(const char *url);
    /* Moves a table's id generator past its largest id (after rows were copied with ids); NULL
     * when it follows by itself (SQLite's INTEGER PRIMARY KEY continues after the largest rowid). */
    int (*reset_identity)(db *c, const char *table);
    /* Text the engine puts where migrations say {{ID_PK}}. */
    const char *id_pk;
    /* Text compared byte by byte ({{TEXT_C}}): org paths rely on '/' < '0'. */
    const char *text_c;
};

/* Every engine's connection and statement start with these headers. */
#define DB_MAX_DEFERRED 4
struct db {
    const struct db_ops *ops;
    int tx_depth;
    void *deferred[DB_MAX_DEFERRED];   /* db_deferred_state(): owned by the registered module */
};

/* The hooks of every registered db_deferred, on one connection (deferred.c). */
void deferred_mark(db *c);
void deferred_undo(db *c);
void deferred_discard(db *c);
void deferred_free(db *c);
struct db_stmt {
    db *conn;
    /* for the statement cache (stmt_cache.h): sql is owned by the statement */
    char *sql;
    unsigned hash;
    uint64_t last_used;
    bool cached, in_use;
};

/* Holds the process's write transactions back (the next db_begin waits; one running finishes
 * first) until db_writers_resume(): for engine housekeeping that needs the write lock between
 * two transactions, like SQLite's checkpoint that lets the WAL start over. */
void db_writers_pause(void);
void db_writers_resume(void);

extern const struct db_ops sqlite_ops;
extern const struct db_ops pg_ops;

#endif
