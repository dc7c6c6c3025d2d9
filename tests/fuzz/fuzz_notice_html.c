/* fuzz_notice_html.c - libFuzzer harness for a notice's HTML sanitizer (notices/notice_html.c),
 * whose output every unit below and the public pages render. Promises checked on any input:
 *   - every '<' of the output opens or closes an allowed tag, written exactly as the sanitizer
 *     writes it (<p>, </p>, <br>, <a>, <a href="http(s)://..."> with no quote, space or angle
 *     bracket inside the link), so no other tag or attribute (script, style, on*, src) survives;
 *   - no '>' stands alone in the text, and every '&' starts an entity;
 *   - sanitizing the output again changes nothing (idempotent). */
#include "fuzz.h"
#include "notices/notices.h"
#include <ctype.h>
#include <strings.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    return 0;
}

static const char *const tags[] = {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "h3", "h4", "table", "tr",
                                   "td", "th", "a", NULL};

/* The length of the tag the output has at s ('<'), 0 when it is not one the sanitizer writes. */
static size_t known_tag(const char *s)
{
    if (!strncmp(s, "<a href=\"", 9)) {
        const char *v = s + 9;
        if (strncasecmp(v, "http://", 7) != 0 && strncasecmp(v, "https://", 8) != 0) return 0;
        const char *end = strchr(v, '"');
        if (!end || end[1] != '>') return 0;
        for (const char *c = v; c < end; c++)
            if ((unsigned char)*c <= 0x20 || *c == '<' || *c == '>' || *c == '\'' || *c == '`') return 0;
        return (size_t)(end + 2 - s);
    }
    bool closing = s[1] == '/';
    const char *name = s + 1 + closing;
    for (int i = 0; tags[i]; i++) {
        size_t n = strlen(tags[i]);
        if (!strncmp(name, tags[i], n) && name[n] == '>' && !(closing && !strcmp(tags[i], "br"))) return 1 + closing + n + 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = notice_html_sanitize((const char *)data, size);
    FUZZ_CHECK(out != NULL);
    for (size_t i = 0; out[i];) {
        if (out[i] == '<') {
            size_t n = known_tag(out + i);
            FUZZ_CHECK(n > 0);
            i += n;
        } else if (out[i] == '&') {
            size_t j = i + 1;
            while (isalnum((unsigned char)out[j]) || out[j] == '#') j++;
            FUZZ_CHECK(out[j] == ';' && j > i + 1);
            i = j + 1;
        } else {
            FUZZ_CHECK(out[i] != '>');
            i++;
        }
    }
    char *again = notice_html_sanitize(out, strlen(out));
    FUZZ_CHECK(again && !strcmp(again, out));
    free(again);
    free(out);
    return 0;
}
