/* deltas.c - roll-up deltas coalesced per write transaction (see deltas.h).
 *
 * Why: in a group commit every check-in of a batch added 1 to the same few rows (its point, the
 * district, the city, each for the day and the month) through its own upsert; a batch now sums
 * them and writes each row once, in key order (the same lock order for every PostgreSQL
 * transaction, too). */
#include "stats/deltas.h"
#include "core/sbuf.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 64          /* longer key names are written at once, not deferred */
#define CHUNK_MAX 64        /* rows of one upsert: 64 x 11 values stay far under the engines' limits */

typedef struct delta {
    int64_t org_id;
    char grain;             /* 'd' or 'm' */
    char bucket[11];        /* YYYY-MM-DD or YYYY-MM */
    bool keyed;             /* stat_kind_rollups (key, v[0]) rather than stat_rollups (v) */
    char key[KEY_MAX];
    int64_t v[STATS_NMETRICS];
} delta;

/* rows[0, written) were written inside the running job's savepoint for earlier jobs (a read
 * flushed them) and must be pending again if that savepoint rolls back; rows[written, mark)
 * belong to earlier jobs; rows[mark, n) to the running one. written <= mark <= n. */
typedef struct pending {
    delta *rows, *sums;     /* sums: flush's coalesced copy, so that rows stay apart by job */
    int n, cap, mark, written, sums_cap;
} pending;

static int flush(db *c, void *state);
static void mark(void *state)
{
    pending *p = state;
    /* the job that flushed rows[0, written) succeeded: they are part of the transaction now */
    memmove(p->rows, p->rows + p->written, (size_t)(p->n - p->written) * sizeof *p->rows);
    p->n -= p->written;
    p->written = 0;
    p->mark = p->n;
}
static void undo(void *state)
{
    pending *p = state;
    p->n = p->mark;
    p->written = 0;
}
static void discard(void *state)
{
    pending *p = state;
    p->n = p->mark = p->written = 0;
}
static void free_state(void *state)
{
    pending *p = state;
    free(p->rows);
    free(p->sums);
    free(p);
}
static const db_deferred hooks = {flush, mark, undo, discard, free_state};


static delta *append(pending *p)
{
    if (p->n == p->cap) {
        int cap = p->cap ? 2 * p->cap : 64;
        delta *rows = realloc(p->rows, (size_t)cap * sizeof *rows);
        if (!rows) return NULL;
        p->rows = rows, p->cap = cap;
    }
    return memset(&p->rows[p->n++], 0, sizeof(delta));
}

int deltas_add(db *c, const int64_t *ids, int n, const char *day, const stats_key *keys, int nkeys,
               const stats_values *v, int sign)
{
    pending *p = db_deferred_state(c, &hooks, sizeof(pending));
    if (!p) return DB_ERR;
    for (int k = 0; keys && k < nkeys; k++)
        if (strlen(keys[k].name) >= KEY_MAX) return DB_ERR;   /* stats_metric_valid caps names at 48 */
    int per_node = keys ? nkeys : 1;
    for (int i = 0; i < n; i++)
        for (int g = 0; g < 2; g++)
            for (int k = 0; k < per_node; k++) {
                delta *d = append(p);
                if (!d) return DB_ERR;
                d->org_id = ids[i];
                d->grain = g ? 'm' : 'd';
                snprintf(d->bucket, sizeof d->bucket, "%.*s", g ? 7 : 10, day);
                d->keyed = keys != NULL;
                if (keys) {
                    snprintf(d->key, sizeof d->key, "%s", keys[k].name);
                    d->v[0] = sign * keys[k].value;
                } else {
                    for (int m = 0; m < STATS_NMETRICS; m++) d->v[m] = sign * v->v[m];
                }
            }
    /* no transaction to defer to: written now */
    return db_in_transaction(c) ? DB_OK : flush(c, p);
}

static int by_key(const void *x, const void *y)
{
    const delta *a = x, *b = y;
    if (a->keyed != b->keyed) return a->keyed - b->keyed;
    if (a->org_id != b->org_id) return a->org_id < b->org_id ? -1 : 1;
    if (a->grain != b->grain) return a->grain - b->grain;
    int r = strcmp(a->bucket, b->bucket);
    return r ? r : strcmp(a->key, b->key);
}

static bool same_row(const delta *a, const delta *b)
{
    return a->keyed == b->keyed && a->org_id == b->org_id && a->grain == b->grain && !strcmp(a->bucket, b->bucket) &&
           !strcmp(a->key, b->key);
}

/* Sums rows of the same key in rows[0, n) (sorted first); returns the new count. */
static int coalesce(delta *rows, int n)
{
    qsort(rows, (size_t)n, sizeof *rows, by_key);
    int out = 0;
    for (int i = 0; i < n; i++) {
        if (out && same_row(&rows[out - 1], &rows[i])) {
            for (int m = 0; m < STATS_NMETRICS; m++) rows[out - 1].v[m] += rows[i].v[m];
        } else if (out++ != i) {
            rows[out - 1] = rows[i];
        }
    }
    return out;
}

#define EACH_METRIC_COL "activities, participants, materials, videos, views, volunteers, volunteer_hours, funds"
#define ADDED(m) #m " = stat_rollups." #m " + excluded." #m
#define ADDED_ALL ADDED(activities) ", " ADDED(participants) ", " ADDED(materials) ", " ADDED(videos) ", " \
                  ADDED(views) ", " ADDED(volunteers) ", " ADDED(volunteer_hours) ", " ADDED(funds)

/* The upsert of rows rows of one table; its text depends only on the count (a power of two, so
 * that the statement cache holds few of them). malloc'd. */
static char *upsert_text(int rows, bool keyed)
{
    sbuf b;
    sbuf_init(&b);
    sbuf_add(&b, keyed ? "INSERT INTO stat_kind_rollups (org_id, grain, bucket, kind, n) VALUES "
                       : "INSERT INTO stat_rollups (org_id, grain, bucket, " EACH_METRIC_COL ") VALUES ");
    for (int i = 0; i < rows; i++)
        sbuf_add(&b, keyed ? (i ? ", (?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)")
                           : (i ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    sbuf_add(&b, keyed ? " ON CONFLICT (org_id, grain, bucket, kind) DO UPDATE SET n = stat_kind_rollups.n + excluded.n"
                       : " ON CONFLICT (org_id, grain, bucket) DO UPDATE SET " ADDED_ALL);
    return sbuf_steal(&b);
}

/* One upsert of rows[0, n), all of one table. */
static int upsert(db *c, const delta *rows, int n)
{
    char *sql = upsert_text(n, rows[0].keyed);
    db_stmt *s = sql ? db_prepare(c, sql) : NULL;
    free(sql);
    if (!s) return DB_ERR;
    char grain[2] = {0};
    int k = 1;
    for (int i = 0; i < n; i++) {
        const delta *d = &rows[i];
        grain[0] = d->grain;
        db_bind_int(s, k++, d->org_id);
        db_bind_text(s, k++, grain);
        db_bind_text(s, k++, d->bucket);
        if (d->keyed) {
            db_bind_text(s, k++, d->key);
            db_bind_int(s, k++, d->v[0]);
        } else {
            for (int m = 0; m < STATS_NMETRICS; m++) db_bind_int(s, k++, d->v[m]);
        }
    }
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

/* Writes rows[written, n) coalesced, each table in chunks of powers of two. */
static int flush(db *c, void *state)
{
    pending *p = state;
    int n = p->n - p->written, rc = DB_OK;
    if (n == 0) return DB_OK;
    if (n > p->sums_cap) {
        delta *sums = realloc(p->sums, (size_t)p->cap * sizeof *sums);
        if (!sums) return DB_ERR;
        p->sums = sums, p->sums_cap = p->cap;
    }
    delta *rows = memcpy(p->sums, p->rows + p->written, (size_t)n * sizeof *rows);
    n = coalesce(rows, n);
    for (int i = 0; rc == DB_OK && i < n;) {
        int same = 1;   /* rows of the same table from i */
        while (i + same < n && rows[i + same].keyed == rows[i].keyed) same++;
        int chunk = CHUNK_MAX;
        while (chunk > same) chunk /= 2;
        rc = upsert(c, rows + i, chunk);
        i += chunk;
    }
    /* every row is written now; those of the running job are its savepoint's to keep or undo */
    p->n = p->mark;
    p->written = p->mark;
    return rc;
}
