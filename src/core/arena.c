/* arena.c - per-request bump allocator (see arena.h). */
#include "core/arena.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    arena_block *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

void arena_init(arena *a) { *a = (arena){0}; }

void arena_set_limit(arena *a, size_t limit) { a->limit = limit; }

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->held = 0;
    a->failed = false;
}

/* Whether a new block of cap bytes for an allocation of n may be taken (see arena.h). */
static bool within_limit(const arena *a, size_t n, size_t cap)
{
    if (!a->limit || a->held + cap <= a->limit) return true;
    return n <= ARENA_BLOCK && a->held + cap <= a->limit + ARENA_SLACK;
}

/* Uninitialised memory: for copies that overwrite every byte. */
static void *arena_alloc_raw(arena *a, size_t n)
{
    if (n > SIZE_MAX / 2) { a->failed = true; return NULL; }
    n = (n + 15) & ~(size_t)15;
    arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = within_limit(a, n, sizeof *b + cap) ? malloc(sizeof *b + cap) : NULL;
        if (!b) { a->failed = true; return NULL; }
        a->held += sizeof *b + cap;
        b->used = 0;
        b->cap = cap;
        /* Oversized blocks go behind the head so the head's free space is not wasted. */
        if (a->head && n > ARENA_BLOCK) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

void *arena_alloc(arena *a, size_t n)
{
    void *p = arena_alloc_raw(a, n);
    if (p) memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    if (!s) return NULL;
    char *d = arena_alloc_raw(a, n + 1);
    if (!d) return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *arena_strdup(arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
    if (s && n > 0) vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s;
}
