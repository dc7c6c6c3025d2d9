/* steps.c - the writer of workflow step history tables (see steps.h). */
#include "db/steps.h"
#include "core/sbuf.h"
#include <assert.h>
#include <stdlib.h>

static char *insert_sql(const db_steps *d)
{
    sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "INSERT INTO %s (%s", d->table, d->owner);
    if (d->path) sbuf_printf(&b, ", %s", d->path);
    sbuf_printf(&b, ", action, from_status, to_status, reason, %s, %s", d->user_id, d->user_name);
    if (d->org_id) sbuf_printf(&b, ", %s", d->org_id);
    sbuf_add(&b, ", at) VALUES (?, ?, ?, ?, ?, ?, ?, ?");
    if (d->path) sbuf_add(&b, ", ?");
    if (d->org_id) sbuf_add(&b, ", ?");
    sbuf_add(&b, ")");
    return sbuf_steal(&b);
}

/* An id, or SQL NULL for 0. */
static void bind_id(db_stmt *st, int idx, int64_t v)
{
    if (v) db_bind_int(st, idx, v);
    else db_bind_text(st, idx, NULL);
}

int db_steps_add(db *c, const db_steps *d, const db_step_entry *s)
{
    assert(d && d->table && d->owner && d->user_id && d->user_name);
    char *sql = insert_sql(d);
    db_stmt *st = db_prepare(c, sql);
    free(sql);
    if (!st) return DB_ERR;
    int i = 1;
    db_bind_int(st, i++, s->owner_id);
    if (d->path) db_bind_text(st, i++, s->path);
    db_bind_text(st, i++, s->action);
    db_bind_text(st, i++, s->from);
    db_bind_text(st, i++, s->to);
    db_bind_text(st, i++, s->reason);
    bind_id(st, i++, s->user_id);
    db_bind_text(st, i++, s->user_name);
    if (d->org_id) bind_id(st, i++, s->org_id);
    db_bind_text(st, i, s->at);
    int rc = db_exec_stmt(st);
    db_finish(st);
    return rc;
}
