/* fuzz.h - what the libFuzzer harnesses in tests/fuzz share: the entry points libFuzzer calls,
 * turning the input into NUL-terminated pieces, and a check that stops the run loudly.
 * Pieces come from an arena the caller frees. */
#ifndef KEPU_FUZZ_H
#define KEPU_FUZZ_H
#include "core/arena.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A property the code promises; a failure is a finding, so it aborts like a crash would. */
#define FUZZ_CHECK(cond)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: promise broken: %s\n", __FILE__, __LINE__, #cond);    \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

/* Splits data at each byte sep into up to max NUL-terminated pieces (the last takes the rest);
 * returns how many. An embedded NUL ends a piece early, as it would in C text. */
static inline int fuzz_split(arena *a, const uint8_t *data, size_t size, char sep, char **out, int max)
{
    int n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && n < max; i++) {
        if (i == size || (data[i] == (uint8_t)sep && n < max - 1)) {
            out[n++] = arena_strndup(a, (const char *)data + start, i - start);
            start = i + 1;
        }
    }
    return n;
}

#endif
