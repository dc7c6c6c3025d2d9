/* audit_queue.c - change-log rows written with their transaction's COMMIT (see audit.h).
 *
 * Why: in a group commit (db/db.c) every job of a batch ran its own INSERT into audit_log in the
 * writer's serial section. Rows made inside a transaction now wait in a list of the connection
 * (db/db.h: work deferred to the end of a write transaction) and the COMMIT writes the batch's
 * rows in a few multi-row INSERTs. A row's text is rendered when it is queued, by the thread
 * that made the change (audit_record_text() lets a caller render it before its transaction).
 *
 * The list keeps the bookkeeping of stats/deltas.c: rows[0, written) were written inside the
 * running job's savepoint on behalf of earlier jobs (a read flushed them) and are pending again
 * if that savepoint rolls back; rows[written, mark) belong to earlier jobs; rows[mark, n) to the
 * running one. Each row owns one malloc'd block with its strings. */
#include "audit/audit.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include <stdlib.h>
#include <string.h>

enum { COL_AT, COL_USERNAME, COL_PATH, COL_ENTITY, COL_ACTION, COL_CHANGES, COL_REQUEST, COL_IP, NTEXT };
#define CHUNK_MAX 32   /* rows of one INSERT: 32 x 10 values stay far under both engines' limits */

typedef struct row {
    char *text[NTEXT];     /* into one block, owned through text[COL_AT]; NULL is SQL NULL */
    int64_t user_id, entity_id;
    bool has_user;
} row;

typedef struct pending {
    row *rows;
    int n, cap, mark, written;
} pending;

static void drop(row *rows, int from, int to)
{
    for (int i = from; i < to; i++) free(rows[i].text[COL_AT]);
}

static int flush(db *c, void *state);
static void mark(void *state)
{
    pending *p = state;
    /* the job that flushed rows[0, written) succeeded: they are part of the transaction now */
    drop(p->rows, 0, p->written);
    memmove(p->rows, p->rows + p->written, (size_t)(p->n - p->written) * sizeof *p->rows);
    p->n -= p->written;
    p->written = 0;
    p->mark = p->n;
}
static void undo(void *state)
{
    pending *p = state;
    drop(p->rows, p->mark, p->n);
    p->n = p->mark;
    p->written = 0;
}
static void discard(void *state)
{
    pending *p = state;
    drop(p->rows, 0, p->n);
    p->n = p->mark = p->written = 0;
}
static void free_state(void *state)
{
    discard(state);
    free(((pending *)state)->rows);
    free(state);
}
static const db_deferred hooks = {flush, mark, undo, discard, free_state};


/* The row's strings copied into one block; false when out of memory. */
static bool fill(row *r, const char *const src[NTEXT])
{
    size_t len[NTEXT], total = 0;
    for (int i = 0; i < NTEXT; i++) total += (len[i] = src[i] ? strlen(src[i]) + 1 : 0);
    char *block = malloc(total ? total : 1), *at = block;
    if (!block) return false;
    for (int i = 0; i < NTEXT; i++) {
        r->text[i] = src[i] ? memcpy(at, src[i], len[i]) : NULL;
        at += len[i];
    }
    return true;   /* text[COL_AT], never NULL and first, is the block */
}

static int append(pending *p, const row *r, const char *const src[NTEXT])
{
    if (p->n == p->cap) {
        int cap = p->cap ? 2 * p->cap : 64;
        row *rows = realloc(p->rows, (size_t)cap * sizeof *rows);
        if (!rows) return DB_ERR;
        p->rows = rows, p->cap = cap;
    }
    p->rows[p->n] = *r;
    if (!fill(&p->rows[p->n], src)) return DB_ERR;
    p->n++;
    return DB_OK;
}

#define COLUMNS "at, username, org_path, entity, action, changes, request_id, ip, user_id, entity_id"

/* The INSERT of rows rows; its text depends only on the count (a power of two, so that the
 * statement cache holds few of them). malloc'd. */
static char *insert_text(int rows)
{
    sbuf b;
    sbuf_init(&b);
    sbuf_add(&b, "INSERT INTO audit_log (" COLUMNS ") VALUES ");
    for (int i = 0; i < rows; i++) sbuf_add(&b, i ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    return sbuf_steal(&b);
}

static int insert(db *c, const row *rows, int n)
{
    char *sql = insert_text(n);
    db_stmt *s = sql ? db_prepare(c, sql) : NULL;
    free(sql);
    if (!s) return DB_ERR;
    int k = 1;
    for (int i = 0; i < n; i++) {
        for (int t = 0; t < NTEXT; t++) db_bind_text(s, k++, rows[i].text[t]);
        if (rows[i].has_user) db_bind_int(s, k++, rows[i].user_id);
        else db_bind_text(s, k++, NULL);
        db_bind_int(s, k++, rows[i].entity_id);
    }
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

/* Writes rows[written, n) in order, in chunks of powers of two. */
static int flush(db *c, void *state)
{
    pending *p = state;
    int rc = DB_OK;
    for (int i = p->written; rc == DB_OK && i < p->n;) {
        int chunk = CHUNK_MAX;
        while (chunk > p->n - i) chunk /= 2;
        rc = insert(c, p->rows + i, chunk);
        i += chunk;
    }
    /* every row is written now; those of the running job are its savepoint's to keep or undo */
    drop(p->rows, p->mark, p->n);
    p->n = p->mark;
    p->written = p->mark;
    return rc;
}

int audit_record_text(db *c, actor who, const char *org_path, const char *entity, int64_t entity_id,
                      const char *action, const char *changes)
{
    char at[32];
    time_now_rfc3339(at);
    const char *text[NTEXT] = {at, who.name, org_path, entity, action, changes, who.request_id, who.ip};
    row r = {.user_id = who.id, .has_user = who.kind != ACTOR_SYSTEM, .entity_id = entity_id};
    pending *p = db_deferred_state(c, &hooks, sizeof(pending));
    if (!p || append(p, &r, text) != DB_OK) return DB_ERR;
    /* no transaction to defer to: written now */
    return db_in_transaction(c) ? DB_OK : flush(c, p);
}
