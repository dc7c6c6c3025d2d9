/* fuzz_sqlite_bigram.c - libFuzzer harness for the FTS5 tokenizer kepu_bigram's walk
 * (db/sqlite_bigram.c, issue 18): any bytes, valid UTF-8 or not, are walked to their end.
 * Promises checked: every token is 2..8 bytes and equals its byte range of the input with ASCII
 * capitals lowered; ranges lie inside the input, each starting after the previous one's start;
 * no token holds whitespace. Seeds: Chinese with ASCII and an ideographic space; invalid UTF-8. */
#include "db/sqlite_bigram.h"
#include "fuzz.h"

struct walk { const uint8_t *text; int n, last_start; };

static int check(void *cls, const char *token, int len, int start, int end)
{
    struct walk *w = cls;
    FUZZ_CHECK(len >= 2 && len <= SQLITE_BIGRAM_MAX);
    FUZZ_CHECK(start >= 0 && end <= w->n && end - start == len);
    FUZZ_CHECK(start > w->last_start);
    w->last_start = start;
    for (int i = 0; i < len; i++) {
        uint8_t c = w->text[start + i];
        uint8_t want = c >= 'A' && c <= 'Z' ? (uint8_t)(c - 'A' + 'a') : c;
        FUZZ_CHECK((uint8_t)token[i] == want);
        FUZZ_CHECK(c != ' ' && c != '\n' && c != '\t');
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    struct walk w = {data, (int)size, -1};
    FUZZ_CHECK(sqlite_bigram_walk((const char *)data, (int)size, check, &w) == 0);
    return 0;
}
