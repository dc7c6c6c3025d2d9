/* steps.c - the writer of workflow step history tables (see steps.h). */
#include "db/steps.h"
#include "db/query.h"
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

int db_steps_add(db *c, const db_steps *d, const db_step_entry *s)
{
    assert(d && d->table && d->owner && d->user_id && d->user_name);
    qb q;
    char *sql = insert_sql(d);
    qb_init(&q, sql);
    free(sql);
    qb_int(&q, s->owner_id);
    if (d->path) qb_text(&q, s->path);
    qb_text(&q, s->action);
    qb_text(&q, s->from);
    qb_text(&q, s->to);
    qb_text(&q, s->reason);
    qb_int_or_null(&q, s->user_id);
    qb_text(&q, s->user_name);
    if (d->org_id) qb_int_or_null(&q, s->org_id);
    qb_text(&q, s->at);
    return qb_exec(c, &q, NULL);
}
