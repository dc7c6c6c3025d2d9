/* db.c - engine dispatch, per-thread connections, transactions with retry. */
#include "db/db_impl.h"
#include "core/log.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *configured_url;
static pthread_key_t thread_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void close_thread_conn(void *p) { db_close(p); }
static void make_key(void) { pthread_key_create(&thread_key, close_thread_conn); }

void db_configure(const char *url)
{
    free(configured_url);
    configured_url = url ? strdup(url) : NULL;
    pthread_once(&key_once, make_key);
}

static _Thread_local char open_error[256];

void db_set_open_error(const char *msg)
{
    snprintf(open_error, sizeof open_error, "%s", msg ? msg : "unknown error");
    open_error[strcspn(open_error, "\n")] = 0;
}

const char *db_open_error(void) { return open_error; }

void db_url_redacted(const char *url, char *out, size_t len)
{
    const char *scheme = strstr(url, "://"), *at = strchr(url, '@');
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (scheme && at && colon && colon < at)
        snprintf(out, len, "%.*s:***%s", (int)(colon - url), url, at);
    else
        snprintf(out, len, "%s", url);
}

bool db_url_is_pg(const char *url)
{
    return !strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11);
}

static const struct db_ops *ops_for(const char *url)
{
    return db_url_is_pg(url) ? &pg_ops : &sqlite_ops;
}

int db_open(const char *url, db **out)
{
    return ops_for(url)->open(url, out);
}

db *db_thread(void)
{
    pthread_once(&key_once, make_key);
    db *c = pthread_getspecific(thread_key);
    if (c) return c;
    if (!configured_url || db_open(configured_url, &c) != DB_OK) return NULL;
    pthread_setspecific(thread_key, c);
    return c;
}

void db_close(db *c) { if (c) c->ops->close(c); }
const char *db_kind(db *c) { return c->ops->kind; }
const char *db_errmsg(db *c) { return c->ops->errmsg(c); }
db_stmt *db_prepare(db *c, const char *sql) { return c->ops->prepare(c, sql); }
void db_bind_int(db_stmt *s, int idx, int64_t v) { s->conn->ops->bind_int(s, idx, v); }
void db_bind_text(db_stmt *s, int idx, const char *v) { s->conn->ops->bind_text(s, idx, v); }
int db_step(db_stmt *s) { return s->conn->ops->step(s); }
int64_t db_col_int(db_stmt *s, int col) { return s->conn->ops->col_int(s, col); }
const char *db_col_text(db_stmt *s, int col) { return s->conn->ops->col_text(s, col); }
bool db_col_null(db_stmt *s, int col) { return s->conn->ops->col_null(s, col); }
void db_finish(db_stmt *s) { if (s) s->conn->ops->finish(s); }
int64_t db_changes(db *c) { return c->ops->changes(c); }
int db_exec(db *c, const char *sql) { return c->ops->exec(c, sql); }
int db_reset_identity(db *c, const char *table) { return c->ops->reset_identity(c, table); }

int db_exec_stmt(db_stmt *s)
{
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {}
    return rc == DB_DONE ? DB_OK : rc;
}

/* Transaction control runs on every request: through the statement cache, not re-parsed. */
static int exec_cached(db *c, const char *sql)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

/* Nested begin/commit only count depth: the outermost pair is the real transaction, so a
 * module function may open its own transaction whether or not its caller has one. */
static pthread_mutex_t writer = PTHREAD_MUTEX_INITIALIZER;

int db_begin(db *c)
{
    if (c->tx_depth++ > 0) return DB_OK;
    if (c->ops->one_writer) pthread_mutex_lock(&writer);
    int rc = exec_cached(c, c->ops->begin_sql);
    if (rc != DB_OK) {
        c->tx_depth = 0;
        if (c->ops->one_writer) pthread_mutex_unlock(&writer);
    }
    return rc;
}

int db_commit(db *c)
{
    if (c->tx_depth <= 0) return DB_ERR;
    if (--c->tx_depth > 0) return DB_OK;
    int rc = exec_cached(c, "COMMIT");
    if (rc != DB_OK) exec_cached(c, "ROLLBACK");
    if (c->ops->one_writer) pthread_mutex_unlock(&writer);
    return rc;
}

int db_rollback(db *c)
{
    if (c->tx_depth <= 0) return DB_ERR;
    if (--c->tx_depth > 0) return DB_OK;
    int rc = exec_cached(c, "ROLLBACK");
    if (c->ops->one_writer) pthread_mutex_unlock(&writer);
    return rc;
}

int db_read_begin(db *c)
{
    if (!c->ops->read_tx) return DB_OK;
    if (c->tx_depth++ > 0) return DB_OK;
    int rc = exec_cached(c, "BEGIN");
    if (rc != DB_OK) c->tx_depth = 0;
    return rc;
}

void db_read_end(db *c)
{
    if (!c->ops->read_tx || c->tx_depth <= 0) return;
    if (--c->tx_depth == 0 && exec_cached(c, "COMMIT") != DB_OK) exec_cached(c, "ROLLBACK");
}

int db_transaction(db *c, int (*cb)(db *c, void *cls), void *cls)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        int rc = db_begin(c);
        if (rc == DB_OK) {
            rc = cb(c, cls);
            if (rc >= 0) {
                int crc = db_commit(c);
                if (crc == DB_OK) return rc;
                rc = crc;
            } else {
                db_rollback(c);
            }
        }
        /* Only the outermost transaction may retry; inner failures propagate to it. */
        if (rc != DB_BUSY || c->tx_depth > 0) return rc;
        struct timespec ts = {0, (long)(1 + rand() % 20) * 1000000L * (attempt + 1)};
        nanosleep(&ts, NULL);
    }
    log_warn("transaction gave up after retries");
    return DB_BUSY;
}
