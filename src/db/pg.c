/* pg.c - the PostgreSQL engine behind db.h (libpq): one connection per thread, statements
 * prepared once per connection under generated names (kept in stmt_cache.h's cache), '?'
 * placeholders rewritten to $n once per statement, values sent as text (PostgreSQL types them from context),
 * SQLSTATEs mapped to db.h codes. A connection that breaks is reset on its next use, so a node
 * recovers by itself when the database comes back. */
#include "db/stmt_cache.h"
#include "core/log.h"
#include "core/sbuf.h"
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 512

typedef struct pg_stmt {
    struct db_stmt base;
    char name[24];
    char *text;              /* the SQL with $n placeholders */
    bool prepared;
    int nparams;
    char *values[MAX_PARAMS];
    PGresult *res;
    int row, nrows;
} pg_stmt;

typedef struct pg_conn {
    struct db base;
    PGconn *h;
    char *url;
    unsigned next_name;
    int64_t changes;
    stmt_cache cache;
    char err[256];
} pg_conn;

/* "a = ? AND b LIKE ?" -> "a = $1 AND b LIKE $2"; '?' inside quotes is left alone. */
static char *rewrite_placeholders(const char *sql, int *n)
{
    sbuf b;
    sbuf_init(&b);
    bool quoted = false;
    *n = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'') quoted = !quoted;
        if (*p == '?' && !quoted) sbuf_printf(&b, "$%d", ++*n);
        else sbuf_addn(&b, p, 1);
    }
    return sbuf_steal(&b);
}

static int map_result(pg_conn *c, PGresult *res)
{
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return DB_OK;
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    snprintf(c->err, sizeof c->err, "%s", PQresultErrorMessage(res));
    c->err[strcspn(c->err, "\n")] = 0;
    if (PQstatus(c->h) != CONNECTION_OK) return DB_GONE;
    if (!state) return DB_ERR;
    if (!strcmp(state, "23505")) return DB_UNIQUE;
    if (!strcmp(state, "23503")) return DB_FK;
    if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")) return DB_BUSY;
    if (!strncmp(state, "08", 2) || !strcmp(state, "57P01")) return DB_GONE;
    log_error("postgresql: %s", c->err);
    return DB_ERR;
}

/* A broken connection is reset before use; statements are prepared again on the new one. */
static bool ensure_connected(pg_conn *c)
{
    if (!c->h) return false;
    if (PQstatus(c->h) == CONNECTION_OK) return true;
    if (c->base.tx_depth > 0) return false;   /* a transaction cannot survive a reconnect */
    PQreset(c->h);
    for (int i = 0; i < STMT_CACHE_SLOTS; i++)
        if (c->cache.slot[i]) ((pg_stmt *)c->cache.slot[i])->prepared = false;
    if (PQstatus(c->h) == CONNECTION_OK) {
        log_info("postgresql connection re-established");
        return true;
    }
    return false;
}

/* After the server restarted, the first statement on an old connection fails; outside a
 * transaction (or as its BEGIN) it is safe to reconnect and run it once more. */
static bool may_retry(pg_conn *c, const char *sql)
{
    return c->base.tx_depth == 0 || (c->base.tx_depth == 1 && !strncmp(sql, "BEGIN", 5));
}

static bool reconnect(pg_conn *c)
{
    int depth = c->base.tx_depth;
    c->base.tx_depth = 0;
    bool ok = ensure_connected(c);
    c->base.tx_depth = depth;
    return ok;
}

/* map_result() of a result that is not kept. */
static int checked(pg_conn *c, PGresult *res)
{
    int rc = map_result(c, res);
    PQclear(res);
    return rc;
}

static int pg_exec(db *cd, const char *sql)
{
    pg_conn *c = (pg_conn *)cd;
    if (!ensure_connected(c) && !(may_retry(c, sql) && reconnect(c))) return DB_GONE;
    int rc = checked(c, PQexec(c->h, sql));
    return rc == DB_GONE && may_retry(c, sql) && reconnect(c) ? checked(c, PQexec(c->h, sql)) : rc;
}

static int pg_open(const char *url, db **out)
{
    pg_conn *c = calloc(1, sizeof *c);
    if (!c) return DB_ERR;
    c->base.ops = &pg_ops;
    c->h = PQconnectdb(url);
    if (PQstatus(c->h) != CONNECTION_OK) {
        db_set_open_error(PQerrorMessage(c->h));
        PQfinish(c->h);
        free(c);
        return DB_GONE;
    }
    PQsetNoticeProcessor(c->h, NULL, NULL);
    pg_exec(&c->base, "SET client_min_messages = warning; SET TIME ZONE 'Asia/Shanghai'");
    *out = &c->base;
    return DB_OK;
}

static void stmt_destroy(pg_stmt *s)
{
    PQclear(s->res);
    for (int i = 0; i < s->nparams; i++) free(s->values[i]);
    free(s->text);
    free(s->base.sql);
    free(s);
}

static void pg_close(db *cd)
{
    pg_conn *c = (pg_conn *)cd;
    for (int i = 0; i < STMT_CACHE_SLOTS; i++)
        if (c->cache.slot[i]) stmt_destroy((pg_stmt *)c->cache.slot[i]);
    PQfinish(c->h);
    free(c);
}

/* A statement leaving the cache: its server-side twin goes too, when that is safe (inside a
 * transaction a failed DEALLOCATE would abort it; the name is never used again anyway). */
static void evict(db *cd, db_stmt *st)
{
    pg_conn *c = (pg_conn *)cd;
    pg_stmt *old = (pg_stmt *)st;
    if (old->prepared && PQstatus(c->h) == CONNECTION_OK && c->base.tx_depth == 0) {
        char dealloc[48];
        snprintf(dealloc, sizeof dealloc, "DEALLOCATE %s", old->name);
        pg_exec(&c->base, dealloc);
    }
    stmt_destroy(old);
}

static bool pg_make(db_stmt *st)
{
    pg_stmt *s = (pg_stmt *)st;
    s->text = rewrite_placeholders(st->sql, &s->nparams);
    if (s->nparams > MAX_PARAMS) {
        log_error("postgresql: statement has more than %d parameters", MAX_PARAMS);
        free(s->text);
        return false;
    }
    snprintf(s->name, sizeof s->name, "k%u", ++((pg_conn *)st->conn)->next_name);
    return true;
}

static db_stmt *pg_prepare(db *cd, const char *sql)
{
    return stmt_cache_prepare(&((pg_conn *)cd)->cache, cd, sql, sizeof(pg_stmt), pg_make, evict);
}

static void set_value(pg_stmt *s, int idx, char *v)
{
    if (idx < 1 || idx > s->nparams) { free(v); return; }
    free(s->values[idx - 1]);
    s->values[idx - 1] = v;
}

static void pg_bind_int(db_stmt *st, int idx, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    set_value((pg_stmt *)st, idx, strdup(buf));
}

static void pg_bind_text(db_stmt *st, int idx, const char *v)
{
    set_value((pg_stmt *)st, idx, v ? strdup(v) : NULL);
}

/* Runs the statement on its first step; later steps walk the rows of the result. */
static int run(pg_conn *c, pg_stmt *s)
{
    if (!ensure_connected(c)) return DB_GONE;
    if (!s->prepared && s->base.cached) {
        int rc = checked(c, PQprepare(c->h, s->name, s->text, s->nparams, NULL));
        if (rc != DB_OK) return rc;
        s->prepared = true;
    }
    const char *const *values = (const char *const *)s->values;
    s->res = s->base.cached ? PQexecPrepared(c->h, s->name, s->nparams, values, NULL, NULL, 0)
                            : PQexecParams(c->h, s->text, s->nparams, NULL, values, NULL, NULL, 0);
    int rc = map_result(c, s->res);
    if (rc != DB_OK) return rc;
    const char *tuples = PQcmdTuples(s->res);
    c->changes = tuples && *tuples ? strtoll(tuples, NULL, 10) : 0;
    s->nrows = PQntuples(s->res);
    s->row = -1;
    return DB_OK;
}

static int pg_step(db_stmt *st)
{
    pg_stmt *s = (pg_stmt *)st;
    pg_conn *c = (pg_conn *)st->conn;
    if (!s->res) {
        int rc = run(c, s);
        if (rc == DB_GONE && may_retry(c, s->base.sql) && reconnect(c)) {
            PQclear(s->res);
            s->res = NULL;
            rc = run(c, s);
        }
        if (rc != DB_OK) {
            PQclear(s->res);
            s->res = NULL;
            return rc;
        }
    }
    return ++s->row < s->nrows ? DB_ROW : DB_DONE;
}

static int64_t pg_col_int(db_stmt *st, int col)
{
    pg_stmt *s = (pg_stmt *)st;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (v && (*v == 't' || *v == 'f') && !v[1]) return *v == 't';   /* booleans */
    return v ? strtoll(v, NULL, 10) : 0;
}

static const char *pg_col_text(db_stmt *st, int col)
{
    pg_stmt *s = (pg_stmt *)st;
    return PQgetisnull(s->res, s->row, col) ? NULL : PQgetvalue(s->res, s->row, col);
}

static bool pg_col_null(db_stmt *st, int col)
{
    pg_stmt *s = (pg_stmt *)st;
    return PQgetisnull(s->res, s->row, col);
}

static void pg_finish(db_stmt *st)
{
    pg_stmt *s = (pg_stmt *)st;
    if (!s->base.cached) { stmt_destroy(s); return; }
    PQclear(s->res);
    s->res = NULL;
    for (int i = 0; i < s->nparams; i++) {
        free(s->values[i]);
        s->values[i] = NULL;
    }
    s->base.in_use = false;
}

static int pg_reset_identity(db *cd, const char *table)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
             "(SELECT COALESCE(MAX(id), 0) + 1 FROM %s), false)", table, table);   /* our names */
    return pg_exec(cd, sql);
}

static int64_t pg_changes(db *cd) { return ((pg_conn *)cd)->changes; }

const struct db_ops pg_ops = {
    .kind = "postgresql", .open = pg_open, .close = pg_close, .prepare = pg_prepare, .bind_int = pg_bind_int,
    .bind_text = pg_bind_text, .step = pg_step, .col_int = pg_col_int, .col_text = pg_col_text,
    .col_null = pg_col_null, .finish = pg_finish, .changes = pg_changes, .exec = pg_exec,
    .reset_identity = pg_reset_identity, .read_tx = false, .begin_sql = "BEGIN",
    .id_pk = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    .text_c = "TEXT COLLATE \"C\"",
};
