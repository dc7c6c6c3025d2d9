/* arena.h - per-request bump allocator.
 *
 * Everything a request handler allocates for its own use comes from the request's arena and is
 * released in one go when the request completes, so handlers rarely free anything.
 * Ownership: the arena owns every block it hands out; arena_free() releases them all.
 * Allocation failure aborts the process (an arena serves small, bounded requests). */
#ifndef KEPU_ARENA_H
#define KEPU_ARENA_H
#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
    arena_block *head;
} arena;

void arena_init(arena *a);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n);          /* zeroed, aligned to 16 */
char *arena_strdup(arena *a, const char *s);    /* NULL stays NULL */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
