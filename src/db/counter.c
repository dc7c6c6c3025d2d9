/* counter.c - yearly serial numbers over any counter table (see counter.h). */
#include "db/counter.h"
#include "core/arena.h"
#include "core/sbuf.h"
#include <assert.h>
#include <stdlib.h>

/* "a, b" of the key columns, into b. Returns how many there are. */
static int add_keys(sbuf *b, const db_counter *d)
{
    int n = 0;
    for (; n < DB_COUNTER_MAX_KEYS && d->keys[n]; n++) sbuf_printf(b, "%s%s", n ? ", " : "", d->keys[n]);
    return n;
}

static char *upsert_sql(const db_counter *d, int *nkeys)
{
    sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "INSERT INTO %s (", d->table);
    int n = add_keys(&b, d);
    if (d->kept) sbuf_printf(&b, ", %s", d->kept);
    sbuf_add(&b, ", last_seq) VALUES (");
    for (int i = 0; i < n + (d->kept != NULL); i++) sbuf_add(&b, "?, ");
    sbuf_add(&b, "1) ON CONFLICT (");
    add_keys(&b, d);
    sbuf_printf(&b, ") DO UPDATE SET last_seq = %s.last_seq + 1 RETURNING last_seq", d->table);
    if (d->kept) sbuf_printf(&b, ", %s", d->kept);
    *nkeys = n;
    return sbuf_steal(&b);
}

int db_counter_next(db *c, const db_counter *d, const int64_t *key, const char *kept, struct arena *a,
                    int64_t *seq, const char **kept_out)
{
    assert(d && d->table && d->keys[0]);
    int n;
    char *sql = upsert_sql(d, &n);
    db_stmt *s = db_prepare(c, sql);
    free(sql);
    if (!s) return DB_ERR;
    for (int i = 0; i < n; i++) db_bind_int(s, i + 1, key[i]);
    if (d->kept) db_bind_text(s, n + 1, kept);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *seq = db_col_int(s, 0);
        if (d->kept && kept_out) *kept_out = arena_strdup(a, db_col_text(s, 1));
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc < 0 ? rc : DB_ERR;
}
