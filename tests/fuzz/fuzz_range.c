/* fuzz_range.c - libFuzzer harness for the Range / If-Range parser (http/range.c, issue 18 B).
 * Input: the first 8 bytes are a file size (little-endian, any 64-bit value), the rest is split at
 * the first newline into a Range header and an If-Range header.
 * Promises checked: a part lies inside the file (first <= last < size); an untouched answer
 * leaves the outputs alone; the same header with surrounding spaces gives the same answer; an
 * If-Range equal to the reply's strong tag matches, and any tag matches no missing validator. */
#include "fuzz.h"
#include "http/range.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t file_size = 0;
    for (size_t i = 0; i < 8 && i < size; i++) file_size |= (uint64_t)data[i] << (8 * i);
    size_t skip = size < 8 ? size : 8;
    arena a;
    arena_init(&a);
    char *piece[2] = {NULL, NULL};
    int n = fuzz_split(&a, data + skip, size - skip, '\n', piece, 2);
    const char *range = n > 0 ? piece[0] : "";
    uint64_t first = 1, last = 0;
    range_result r = range_parse(range, file_size, &first, &last);
    FUZZ_CHECK(r == RANGE_WHOLE || r == RANGE_PARTIAL || r == RANGE_UNSATISFIABLE);
    if (r == RANGE_PARTIAL) FUZZ_CHECK(first <= last && last < file_size);
    else FUZZ_CHECK(first == 1 && last == 0);
    uint64_t f2 = 1, l2 = 0;
    range_result again = range_parse(arena_printf(&a, " %s\t", range), file_size, &f2, &l2);
    FUZZ_CHECK(again == r && (r != RANGE_PARTIAL || (f2 == first && l2 == last)));
    if (n > 1) {
        const char *if_range = piece[1];
        FUZZ_CHECK(!range_if_range_matches(if_range, NULL, NULL));
        if (if_range[0] == '"') FUZZ_CHECK(range_if_range_matches(if_range, if_range, NULL));
    }
    arena_free(&a);
    return 0;
}
