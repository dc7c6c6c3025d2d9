/* fuzz_resource_text.c - libFuzzer harness for the resource library's text handling of our own
 * (issue 18 A): the line joining of a PDF page's text (resource_text_join_lines) and the
 * engine-only blocks of migrations (db_migration_for_engine). Input: any bytes, taken as text up
 * to the first NUL. Promises checked: joining never lengthens the text, leaves no line break,
 * keeps every other byte in order and keeps valid UTF-8 valid; an engine's text keeps only lines
 * of the input, never a marker line, and a text without markers comes back unchanged. */
#include "fuzz.h"
#include "db/db.h"
#include "resources/resources.h"
#include <stdbool.h>

static bool utf8_valid(const unsigned char *s)
{
    while (*s) {
        int n = *s < 0x80 ? 0 : (*s & 0xE0) == 0xC0 ? 1 : (*s & 0xF0) == 0xE0 ? 2 : (*s & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0) return false;
        s++;
        for (int i = 0; i < n; i++, s++)
            if ((*s & 0xC0) != 0x80) return false;
    }
    return true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

/* s without the bytes of drop, in a malloc'd copy. */
static char *without(const char *s, const char *drop)
{
    char *o = malloc(strlen(s) + 1), *w = o;
    for (; *s; s++)
        if (!strchr(drop, *s)) *w++ = *s;
    *w = '\0';
    return o;
}

static void check_join(const char *in)
{
    char *t = strdup(in);
    resource_text_join_lines(t);
    FUZZ_CHECK(strlen(t) <= strlen(in));
    FUZZ_CHECK(!strchr(t, '\n') && !strchr(t, '\r'));
    /* only line breaks went, some of them as spaces: every other byte is there, in order */
    char *x = without(in, " \r\n"), *y = without(t, " ");
    FUZZ_CHECK(!strcmp(x, y));
    free(x), free(y);
    if (utf8_valid((const unsigned char *)in)) FUZZ_CHECK(utf8_valid((const unsigned char *)t));
    free(t);
}

static void check_blocks(const char *in)
{
    for (int k = 0; k < 2; k++) {
        char *out = db_migration_for_engine(in, k ? "postgresql" : "sqlite");
        if (!out) continue;
        FUZZ_CHECK(strlen(out) <= strlen(in));
        FUZZ_CHECK(!strstr(in, "-- sqlite only {") && !strstr(in, "-- postgresql only {") && !strstr(in, "-- }")
                       ? !strcmp(out, in)
                       : true);
        free(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = strndup((const char *)data, size);
    if (!in) return 0;
    check_join(in);
    check_blocks(in);
    free(in);
    return 0;
}
