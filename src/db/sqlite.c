/* sqlite.c - the SQLite engine behind db.h: WAL, busy timeout, foreign keys, and a cache of
 * prepared statements per connection (stmt_cache.h; a connection belongs to one thread). */
#include "db/stmt_cache.h"
#include "db/sqlite_bigram.h"
#include "db/sqlite_vfs.h"
#include "core/log.h"
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct sq_stmt {
    struct db_stmt base;
    sqlite3_stmt *st;
} sq_stmt;

typedef struct sq_conn {
    struct db base;
    sqlite3 *h;
    stmt_cache cache;
} sq_conn;

static int map_rc(sqlite3 *h, int rc)
{
    switch (rc) {
    case SQLITE_OK: return DB_OK;
    case SQLITE_ROW: return DB_ROW;
    case SQLITE_DONE: return DB_DONE;
    case SQLITE_BUSY: case SQLITE_LOCKED: return DB_BUSY;
    case SQLITE_CONSTRAINT: {
        int ext = sqlite3_extended_errcode(h);
        if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) return DB_UNIQUE;
        if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) return DB_FK;
        return DB_ERR;
    }
    default: return DB_ERR;
    }
}

static int sq_exec(db *c, const char *sql)
{
    sq_conn *sc = (sq_conn *)c;
    char *err = NULL;
    int rc = sqlite3_exec(sc->h, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        log_error("sqlite exec failed: %s", err ? err : "?");
        sqlite3_free(err);
    }
    return map_rc(sc->h, rc);
}

/* Before SQLite initializes: no memory statistics (they take a global mutex on every one of
 * the hundreds of allocations a write makes, across all threads), the VFS that writes a
 * WAL frame in one system call (sqlite_vfs.c), and the bigram tokenizer of the resource library's
 * search, on every connection (sqlite_bigram.c). */
/* KEPU_SYNCHRONOUS: NORMAL (default) or FULL, read once (docs/operations.md "Durability").
 * The server refuses other values at start (main.c); here anything but FULL means NORMAL. */
static const char *sync_pragma = "PRAGMA synchronous=NORMAL;";
/* KEPU_SQLITE_MMAP (bytes, default 256 MiB; 0: off): the database file read through a memory map
 * instead of a pread per page. A search's total over thousands of matches reads that many rows
 * spread over the table, past the connection's 8 MiB page cache: each was a system call (29 ms
 * for 16,000 rows over 100,000 resources, 12 ms mapped). Writes still go through the VFS. */
static char mmap_pragma[64] = "PRAGMA mmap_size=268435456;";

static pthread_once_t library_once = PTHREAD_ONCE_INIT;

static void configure_library(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (sqlite_vfs_register() != SQLITE_OK) log_warn("sqlite: the joined-frame VFS was not registered; the unix one is used");
    if (sqlite_bigram_register() != SQLITE_OK) log_warn("sqlite: the kepu_bigram tokenizer was not registered");
    const char *v = getenv("KEPU_SYNCHRONOUS");
    if (v && !strcasecmp(v, "FULL")) sync_pragma = "PRAGMA synchronous=FULL;";
    const char *m = getenv("KEPU_SQLITE_MMAP");
    if (m && *m) snprintf(mmap_pragma, sizeof mmap_pragma, "PRAGMA mmap_size=%lld;", atoll(m));
}

/* ---- checkpoints off the commit path ----
 * SQLite copies the WAL back into the database (a checkpoint, with an fsync) inside the commit
 * that pushed the WAL past a threshold, so every few dozen writes one request waited for it.
 * In the server a thread of its own does it instead, when a commit says the WAL has grown past
 * CHECKPOINT_PAGES (a larger WAL also writes a page changed many times once per checkpoint).
 * Commands without that thread checkpoint inline as before.
 * The thread copies the bulk with a PASSIVE checkpoint, which waits for nobody. That alone never
 * let the WAL start over under steady writes (the WAL grew by the gigabyte, 2 GB in 20 s of
 * check-ins, every commit slower as it went): the WAL restarts only at a commit that finds all
 * of it copied, and there always was a newer frame. So the thread then holds the process's
 * writers back (db_writers_pause: one mutex, no sleeping) and finishes with RESTART: it copies
 * the few frames written meanwhile, waits out the readers still on the WAL (microseconds, see
 * checkpoint_wait), and the next commit writes the WAL from its start. A long reader (an export)
 * makes the RESTART give up after RESTART_WAIT_MS; the WAL grows while it reads, as it must. */
#define CHECKPOINT_PAGES 4000

static pthread_mutex_t ck_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ck_cond = PTHREAD_COND_INITIALIZER;
static bool ck_running, ck_wanted;

static int wal_hook(void *arg, sqlite3 *h, const char *name, int pages)
{
    (void)arg;
    if (pages < CHECKPOINT_PAGES) return SQLITE_OK;
    pthread_mutex_lock(&ck_lock);
    bool background = ck_running;
    if (background) {
        ck_wanted = true;
        pthread_cond_signal(&ck_cond);
    }
    pthread_mutex_unlock(&ck_lock);
    if (!background) sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

#define RESTART_WAIT_MS 20

/* The checkpointer's busy handler: readers leave the WAL within microseconds, so poll often, and
 * not for long, since the writers are held back meanwhile. */
static int checkpoint_wait(void *arg, int tries)
{
    (void)arg;
    if (tries >= RESTART_WAIT_MS * 20) return 0;
    nanosleep(&(struct timespec){0, 50000L}, NULL);
    return 1;
}

static void checkpoint(sqlite3 *h)
{
    int log = 0;
    int rc = sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, NULL);
    if (rc == SQLITE_OK && log >= CHECKPOINT_PAGES) {
        db_writers_pause();
        rc = sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
        db_writers_resume();
    }
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) log_warn("sqlite checkpoint: %s", sqlite3_errmsg(h));
}

static void *checkpointer(void *arg)
{
    sqlite3 *h = arg;
    for (;;) {
        pthread_mutex_lock(&ck_lock);
        while (!ck_wanted) pthread_cond_wait(&ck_cond, &ck_lock);
        ck_wanted = false;
        pthread_mutex_unlock(&ck_lock);
        checkpoint(h);
    }
    return NULL;
}

static void sq_start_background(const char *url)
{
    sqlite3 *h = NULL;
    pthread_t t;
    /* The connection must have opened the WAL before it can checkpoint it: a fresh one answers
     * every checkpoint with "not in WAL mode" (-1 pages) and copies nothing. */
    pthread_once(&library_once, configure_library);
    if (sqlite3_open_v2(url, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
        sqlite3_exec(h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK) {
        log_warn("sqlite checkpointer not started: %s", h ? sqlite3_errmsg(h) : "out of memory");
        sqlite3_close(h);
        return;
    }
    sqlite3_busy_handler(h, checkpoint_wait, NULL);
    /* The thread takes no signals: the server's main thread waits for SIGTERM with sigwait(), and
     * a thread with SIGTERM unblocked would die of it instead (the whole process with it). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    pthread_mutex_lock(&ck_lock);
    if (!ck_running && pthread_create(&t, NULL, checkpointer, h) == 0) {
        pthread_detach(t);
        ck_running = true;
        h = NULL;
    }
    pthread_mutex_unlock(&ck_lock);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    sqlite3_close(h);   /* NULL when the thread took it */
}

static int sq_open(const char *url, db **out)
{
    pthread_once(&library_once, configure_library);
    sq_conn *c = calloc(1, sizeof *c);
    if (!c) return DB_ERR;
    c->base.ops = &sqlite_ops;
    int rc = sqlite3_open_v2(url, &c->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                             SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) sqlite3_busy_timeout(c->h, 5000);
    else db_set_open_error(c->h ? sqlite3_errmsg(c->h) : "out of memory");
    /* synchronous=NORMAL is durable across process crashes in WAL mode (only an OS crash or a
     * power loss can lose the last transactions, never corrupt the file), which is the trade-off
     * kill -9 safety asks for (tests/crash_kill9.sh); FULL also syncs the WAL at each commit. */
    /* 8 MiB of page cache a connection: roll-up upserts touch index pages all over the file.
     * A WAL that grew in a burst is cut back to 64 MiB when it starts over. */
    if (rc != SQLITE_OK || sq_exec(&c->base, "PRAGMA journal_mode=WAL;") != DB_OK ||
        sq_exec(&c->base, sync_pragma) != DB_OK || sq_exec(&c->base, mmap_pragma) != DB_OK ||
        sq_exec(&c->base, "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
                          "PRAGMA cache_size=-8192; PRAGMA journal_size_limit=67108864;") != DB_OK) {
        sqlite3_close(c->h);
        free(c);
        return DB_ERR;
    }
    sqlite3_wal_hook(c->h, wal_hook, NULL);
    *out = &c->base;
    return DB_OK;
}

static void stmt_destroy(db *c, db_stmt *s)
{
    (void)c;
    sqlite3_finalize(((sq_stmt *)s)->st);
    free(s->sql);
    free(s);
}

static void sq_close(db *c)
{
    sq_conn *sc = (sq_conn *)c;
    for (int i = 0; i < STMT_CACHE_SLOTS; i++)
        if (sc->cache.slot[i]) stmt_destroy(c, sc->cache.slot[i]);
    sqlite3_close(sc->h);
    free(sc);
}

static bool sq_make(db_stmt *s)
{
    sqlite3 *h = ((sq_conn *)s->conn)->h;
    if (sqlite3_prepare_v3(h, s->sql, -1, SQLITE_PREPARE_PERSISTENT, &((sq_stmt *)s)->st, NULL) == SQLITE_OK)
        return true;
    log_error("sqlite prepare failed: %s", sqlite3_errmsg(h));
    return false;
}

static db_stmt *sq_prepare(db *c, const char *sql)
{
    return stmt_cache_prepare(&((sq_conn *)c)->cache, c, sql, sizeof(sq_stmt), sq_make, stmt_destroy);
}

static void sq_bind_int(db_stmt *s, int idx, int64_t v)
{
    sqlite3_bind_int64(((sq_stmt *)s)->st, idx, v);
}

static void sq_bind_text(db_stmt *s, int idx, const char *v)
{
    sq_stmt *q = (sq_stmt *)s;
    if (v) sqlite3_bind_text(q->st, idx, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(q->st, idx);
}

static int sq_step(db_stmt *s)
{
    sq_stmt *q = (sq_stmt *)s;
    int rc = sqlite3_step(q->st);
    int m = map_rc(((sq_conn *)s->conn)->h, rc);
    if (m == DB_ERR) log_error("sqlite step failed: %s", sqlite3_errmsg(((sq_conn *)s->conn)->h));
    return m;
}

static int64_t sq_col_int(db_stmt *s, int col) { return sqlite3_column_int64(((sq_stmt *)s)->st, col); }
static const char *sq_col_text(db_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(((sq_stmt *)s)->st, col);
}
static bool sq_col_null(db_stmt *s, int col)
{
    return sqlite3_column_type(((sq_stmt *)s)->st, col) == SQLITE_NULL;
}

static void sq_finish(db_stmt *s)
{
    sq_stmt *q = (sq_stmt *)s;
    if (!s->cached) { stmt_destroy(s->conn, s); return; }
    sqlite3_reset(q->st);
    sqlite3_clear_bindings(q->st);
    s->in_use = false;
}

static bool sq_in_tx(db *c) { return !sqlite3_get_autocommit(((sq_conn *)c)->h); }

static int64_t sq_changes(db *c) { return sqlite3_changes64(((sq_conn *)c)->h); }

const struct db_ops sqlite_ops = {
    .kind = "sqlite", .open = sq_open, .close = sq_close, .prepare = sq_prepare, .bind_int = sq_bind_int,
    .bind_text = sq_bind_text, .step = sq_step, .col_int = sq_col_int, .col_text = sq_col_text,
    .col_null = sq_col_null, .finish = sq_finish, .changes = sq_changes, .exec = sq_exec,
    .read_tx = true, .begin_sql = "BEGIN IMMEDIATE", .one_writer = true, .in_tx = sq_in_tx,
    .start_background = sq_start_background,
    /* AUTOINCREMENT: a deleted row's id is never handed out again (audit entries refer to ids). */
    .id_pk = "INTEGER PRIMARY KEY AUTOINCREMENT",
    .text_c = "TEXT",
};
