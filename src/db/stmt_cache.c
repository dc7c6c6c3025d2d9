/* stmt_cache.c - the set-associative LRU cache of prepared statements both engines use
 * (see stmt_cache.h). */
#include "db/stmt_cache.h"
#include <stdlib.h>
#include <string.h>

/* Whether way a is a better victim than the current one v: a free slot beats any statement,
 * an older statement beats a newer one. Statements in use are never victims. */
static bool better_victim(const db_stmt *a, const db_stmt *v, bool have_victim)
{
    if (!have_victim) return !a || !a->in_use;
    if (!v) return false;
    return !a || (!a->in_use && a->last_used < v->last_used);
}

db_stmt *stmt_cache_get(stmt_cache *c, const char *sql, unsigned hash, int *slot)
{
    int base = (int)(hash % STMT_CACHE_SETS) * STMT_CACHE_WAYS, victim = -1;
    for (int i = base; i < base + STMT_CACHE_WAYS; i++) {
        db_stmt *s = c->slot[i];
        if (s && !s->in_use && s->hash == hash && strcmp(s->sql, sql) == 0) {
            s->in_use = true;
            s->last_used = ++c->tick;
            *slot = i;
            return s;
        }
        if (better_victim(s, victim < 0 ? NULL : c->slot[victim], victim >= 0)) victim = i;
    }
    *slot = victim;
    return NULL;
}

db_stmt *stmt_cache_put(stmt_cache *c, int slot, db_stmt *s)
{
    db_stmt *old = c->slot[slot];
    c->slot[slot] = s;
    s->cached = true;
    s->in_use = true;
    s->last_used = ++c->tick;
    return old;
}

db_stmt *stmt_cache_prepare(stmt_cache *c, db *conn, const char *sql, size_t size, bool (*make)(db_stmt *s),
                            void (*drop)(db *conn, db_stmt *old))
{
    unsigned h = str_hash(sql);
    int slot;
    db_stmt *s = stmt_cache_get(c, sql, h, &slot);
    if (s || !(s = calloc(1, size))) return s;
    *s = (db_stmt){.conn = conn, .sql = strdup(sql), .hash = h, .in_use = true};
    if (!s->sql || !make(s)) {   /* the engines need the text: run() and a retry read it */
        free(s->sql);
        free(s);
        return NULL;
    }
    db_stmt *old = slot >= 0 ? stmt_cache_put(c, slot, s) : NULL;
    if (old) drop(conn, old);
    return s;
}
