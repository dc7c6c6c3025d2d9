/* stmt_cache.h - the cache of prepared statements of one connection, shared by both engines
 * (sqlite.c, pg.c). Private to db/.
 *
 * Set-associative: a statement's hash picks a set of STMT_CACHE_WAYS slots and the least
 * recently used statement that is not in use makes room. A direct-mapped cache let two
 * statements of the same request evict each other on every call, and re-parsing SQL was a
 * third of a check-in's CPU.
 *
 * The cache only keys and orders statements; the engine makes and destroys them. Its fields
 * live in the db_stmt header (db_impl.h): sql (owned by the statement, freed by the engine),
 * hash, last_used, cached, in_use. A connection belongs to one thread: no locking. */
#ifndef KEPU_STMT_CACHE_H
#define KEPU_STMT_CACHE_H
#include "db/db_impl.h"
#include "core/sbuf.h"   /* str_hash(), the statements' hash */

#define STMT_CACHE_SETS 128
#define STMT_CACHE_WAYS 4
#define STMT_CACHE_SLOTS (STMT_CACHE_SETS * STMT_CACHE_WAYS)

typedef struct stmt_cache {
    uint64_t tick;
    db_stmt *slot[STMT_CACHE_SLOTS];   /* NULL: free */
} stmt_cache;

/* The cached statement for sql that is not in use, now marked in use and most recently used;
 * NULL when there is none. Then *slot is the slot a new statement for sql should take (free,
 * or the least recently used one not in use), or -1 when every way of its set is in use
 * (nested use of one text, or deep nesting): the engine then makes an uncached statement. */
db_stmt *stmt_cache_get(stmt_cache *c, const char *sql, unsigned hash, int *slot);
/* Puts s (sql and hash set) into slot from stmt_cache_get(), marked cached, in use and most
 * recently used. Returns the statement it displaced, for the engine to destroy, or NULL. */
db_stmt *stmt_cache_put(stmt_cache *c, int slot, db_stmt *s);
/* An engine's prepare: the cached statement for sql, else a new one of size bytes (the engine's
 * statement, its db_stmt header first) with conn, sql (a copy), hash and in_use set, made ready by
 * make() (false: it failed, logged) and cached where there is room; a statement it displaces goes
 * to drop(). NULL on failure. */
db_stmt *stmt_cache_prepare(stmt_cache *c, db *conn, const char *sql, size_t size, bool (*make)(db_stmt *s),
                            void (*drop)(db *conn, db_stmt *old));

#endif
