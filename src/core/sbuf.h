/* sbuf.h - growable string buffer on the heap.
 * Ownership: the caller owns the buffer; sbuf_free() releases it, sbuf_steal() hands the
 * NUL-terminated string to the caller (free() it). Allocation failure aborts. */
#ifndef KEPU_SBUF_H
#define KEPU_SBUF_H
#include <stddef.h>
#include <string.h>

typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

void sbuf_init(sbuf *b);
void sbuf_free(sbuf *b);
void sbuf_reserve(sbuf *b, size_t extra);
/* Appends n bytes; inline because the JSON writer calls it for every token. */
static inline void sbuf_addn(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) sbuf_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}
void sbuf_add(sbuf *b, const char *s);
void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sbuf_steal(sbuf *b);

/* FNV-1a of a text: cheap, and spreads short keys well (statement texts, message templates). */
static inline unsigned str_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

#endif
