/* todo_collect.c - the shared shape of a to-do source's queries (todo.h): a count and the first
 * items of one scoped query, and the deadlines of one unscoped query for the reminder worker. */
#include "todo/todo.h"
#include <string.h>

int todo_collect_where(db *c, const char *cols, const char *from, qb *where, const char *order, arena *a, int limit,
                       const char *link_prefix, todo_bucket *out)
{
    memset(out, 0, sizeof *out);
    qb q;
    qb_init(&q, "SELECT COUNT(*)");
    qb_sql(&q, from);
    qb_append(&q, where);
    int rc = qb_exec(c, &q, &out->count);
    if (rc == DB_DONE) rc = DB_OK;
    if (rc != DB_OK || limit <= 0 || out->count == 0) {
        qb_free(where);
        return rc;
    }
    out->items = arena_alloc(a, sizeof(todo_item) * (size_t)limit);
    qb_init(&q, cols);
    qb_sql(&q, from);
    qb_append(&q, where);
    qb_free(where);
    qb_sql(&q, order);
    qb_sql(&q, " LIMIT ?");
    qb_int(&q, limit);
    db_stmt *s = out->items ? qb_prepare(&q, c) : (qb_free(&q), NULL);
    if (!s) return DB_ERR;
    while ((rc = db_step(s)) == DB_ROW && out->n < limit) {
        todo_item *it = &out->items[out->n++];
        it->id = db_col_int(s, 0);
        it->title = arena_strdup(a, db_col_text(s, 1));
        it->due = arena_strdup(a, db_col_text(s, 2));
        it->org_name = arena_strdup(a, db_col_text(s, 3));
        it->link = arena_printf(a, "%s%lld", link_prefix, (long long)it->id);
    }
    db_finish(s);
    return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

int todo_deadlines_sql(db *c, arena *a, const char *sql, const char *from, const char *to, const char *link_prefix,
                       todo_deadline_fn fn, void *cls)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERR;
    db_bind_text(s, 1, from);
    db_bind_text(s, 2, to);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        todo_deadline d = {.ref_id = db_col_int(s, 0), .title = arena_strdup(a, db_col_text(s, 1)),
                           .due = arena_strdup(a, db_col_text(s, 2)), .org_id = db_col_int(s, 3),
                           .user_id = db_col_int(s, 4)};
        d.link = arena_printf(a, "%s%lld", link_prefix, (long long)d.ref_id);
        int r = fn(c, &d, cls);
        if (r != DB_OK) {
            db_finish(s);
            return r;
        }
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

bool todo_overdue(const char *due, const char *now)
{
    if (!due || !now) return false;
    /* a day is due until its end; a time (RFC 3339, all +08:00 as Kepu writes them) until then */
    if (strlen(due) == 10) return strncmp(due, now, 10) < 0;
    return strcmp(due, now) < 0;
}
