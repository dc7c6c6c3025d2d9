/* arena.h - per-request bump allocator.
 *
 * Everything a request handler allocates for its own use comes from the request's arena and is
 * released in one go when the request completes, so handlers rarely free anything.
 * Ownership: the arena owns every block it hands out; arena_free() releases them all.
 *
 * Failure never aborts the process. An arena may carry a byte limit (the server sets
 * KEPU_REQUEST_MEMORY on every request's arena); an allocation that would pass it, or whose
 * malloc fails, returns NULL and sets a->failed. The server answers 503 "out_of_memory" for a
 * request whose arena failed, whatever the handler replied, so the request ends and the process
 * carries on.
 *
 * Who must check for NULL: code whose allocations are sized or counted by the client (an upload
 * read into the arena, the Excel reader, a copy per row of a file) checks every result and gives
 * up cleanly. The many small allocations elsewhere (a struct, a short string, at most one
 * standard block of ARENA_BLOCK bytes) may go past the limit by up to ARENA_SLACK bytes in all:
 * they still succeed (a->failed stays false), so a request that nears its limit winds down with
 * memory it really has instead of dereferencing NULL; once the slack is spent they get NULL too.
 * A failed malloc of a small block (the machine itself out of memory) also returns NULL.
 *
 * Why not a longjmp to a per-request recovery point: a write transaction may run on another
 * request's thread (db.c's group commit runs every queued callback on the leader's connection),
 * and a jump out of one would leave the writer mutex, the open transaction and the leader's batch
 * behind; a NULL and a flag unwind through the ordinary error returns instead. */
#ifndef KEPU_ARENA_H
#define KEPU_ARENA_H
#include <stdbool.h>
#include <stddef.h>

#define ARENA_BLOCK 8192                  /* the standard block; larger requests get their own */
#define ARENA_SLACK ((size_t)1024 * 1024) /* how far small allocations may go past the limit */

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
    size_t held;               /* bytes of the blocks held */
    size_t limit;              /* 0: none */
    bool failed;               /* an allocation returned NULL */
} arena;

void arena_init(arena *a);
/* Blocks are charged as they are taken; limit 0 lifts it. */
void arena_set_limit(arena *a, size_t limit);
void arena_free(arena *a);                      /* also clears failed; the limit stays */
void *arena_alloc(arena *a, size_t n);          /* zeroed, aligned to 16; NULL as above */
char *arena_strdup(arena *a, const char *s);    /* NULL stays NULL */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
