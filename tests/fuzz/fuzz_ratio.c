/* fuzz_ratio.c - libFuzzer harness for the ratio values clients write (stats/ratios.c, issue 17 C):
 * a literacy rate or a ratio target's goal as text ("14.37", an import cell) and as JSON.
 * Input: any bytes, taken as one NUL-terminated text and also parsed as a JSON value.
 * Promises checked: a parsed value is non-negative, prints with exactly two decimals and parses
 * back to itself; the text and the JSON string of the same text agree; the percent range of a
 * literacy row is 0..10000 hundredths. */
#include "fuzz.h"
#include "literacy/literacy.h"
#include "stats/stats.h"
#include <jansson.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

static void check_value(int64_t e2)
{
    char text[32];
    int64_t again = -1;
    FUZZ_CHECK(e2 >= 0);
    stats_ratio_format(e2, text);
    const char *dot = strchr(text, '.');
    FUZZ_CHECK(dot && strlen(dot) == 3);
    FUZZ_CHECK(stats_ratio_parse_text(text, &again) && again == e2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    arena_init(&a);
    char *text = arena_strndup(&a, (const char *)data, size);
    int64_t e2 = -1, bp = -1, js = -1;
    if (stats_ratio_parse_text(text, &e2)) check_value(e2);
    if (literacy_rate_bp(text, &bp)) FUZZ_CHECK(bp >= 0 && bp <= 10000);
    json_t *s = json_string(text);   /* NULL for text that is not UTF-8 */
    if (s) {
        bool ok = stats_ratio_from_json(s, &js);
        FUZZ_CHECK(ok == stats_ratio_parse_text(text, &e2) && (!ok || js == e2));
        json_decref(s);
    }
    json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (v && stats_ratio_from_json(v, &js)) check_value(js);
    json_decref(v);
    arena_free(&a);
    return 0;
}
