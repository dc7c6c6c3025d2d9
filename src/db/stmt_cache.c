/* stmt_cache.c - the set-associative LRU cache of prepared statements both engines use
 * (see stmt_cache.h). */
#include "db/stmt_cache.h"
#include <string.h>

/* FNV-1a: statement texts are short constants; this is cheap and spreads them well. */
unsigned stmt_cache_hash(const char *sql)
{
    unsigned h = 2166136261u;
    for (const char *p = sql; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
    return h;
}

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
