/* query.c - statement builder with bound values (see query.h). */
#include "db/query.h"
#include "core/arena.h"
#include "core/log.h"
#include <string.h>

void qb_init(qb *q, const char *sql)
{
    sbuf_init(&q->sql);
    q->n = 0;
    q->overflow = false;
    sbuf_add(&q->sql, sql);
}

void qb_sql(qb *q, const char *sql) { sbuf_add(&q->sql, sql); }

void qb_int(qb *q, int64_t v)
{
    if (q->n >= QB_MAX_BINDS) { q->overflow = true; return; }
    q->b[q->n].is_text = false;
    q->b[q->n++].i = v;
}

void qb_text(qb *q, const char *v)
{
    if (q->n >= QB_MAX_BINDS) { q->overflow = true; return; }
    q->b[q->n].is_text = true;
    q->b[q->n++].s = v;
}

void qb_free(qb *q) { sbuf_free(&q->sql); }

db_stmt *qb_prepare(qb *q, db *c)
{
    db_stmt *s = NULL;
    if (q->overflow) log_error("query has more than %d bound values", QB_MAX_BINDS);
    else s = db_prepare(c, q->sql.s);
    for (int i = 0; s && i < q->n; i++) {
        if (q->b[i].is_text) db_bind_text(s, i + 1, q->b[i].s);
        else db_bind_int(s, i + 1, q->b[i].i);
    }
    qb_free(q);
    return s;
}

char *qb_like_pattern(struct arena *a, const char *text)
{
    size_t n = strlen(text);
    char *out = arena_alloc(a, 2 * n + 3), *o = out;
    *o++ = '%';
    for (const char *p = text; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') *o++ = '\\';
        *o++ = *p;
    }
    *o++ = '%';
    *o = 0;
    return out;
}
