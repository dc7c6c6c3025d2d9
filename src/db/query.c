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

void qb_int_or_null(qb *q, int64_t v)
{
    if (v) qb_int(q, v);
    else qb_text(q, NULL);
}

void qb_free(qb *q) { sbuf_free(&q->sql); }

int qb_exec(db *c, qb *q, int64_t *id)
{
    db_stmt *s = qb_prepare(q, c);
    if (!s) return DB_ERR;
    int rc = id ? db_step(s) : db_exec_stmt(s);
    if (id && rc == DB_ROW) *id = db_col_int(s, 0), rc = DB_OK;
    db_finish(s);
    return rc;
}

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

void qb_append(qb *q, const qb *frag)
{
    qb_sql(q, frag->sql.s ? frag->sql.s : "");
    for (int i = 0; i < frag->n; i++) {
        if (frag->b[i].is_text) qb_text(q, frag->b[i].s);
        else qb_int(q, frag->b[i].i);
    }
    q->overflow |= frag->overflow;
}

int qb_get_one(db *c, qb *q, struct arena *a, qb_row_fn read, void *out, int not_found)
{
    db_stmt *s = qb_prepare(q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) read(s, a, out);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? not_found : rc;
}

char *path_upper_bound(struct arena *a, const char *path)
{
    char *up = arena_strdup(a, path);
    size_t n = strlen(up);
    if (n) up[n - 1] = '0';
    return up;
}

void qb_subtree(qb *q, struct arena *a, const char *col, const char *path)
{
    qb_sql(q, " AND ");
    qb_sql(q, col);
    qb_sql(q, " >= ? AND ");
    qb_sql(q, col);
    qb_sql(q, " < ?");
    qb_text(q, path);
    qb_text(q, path_upper_bound(a, path));
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
