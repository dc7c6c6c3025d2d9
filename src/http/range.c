/* range.c - Range and If-Range parsing (see range.h). The grammar is RFC 9110's:
 *   Range = "bytes" "=" range-spec *( OWS "," OWS range-spec ), range-spec = a "-" [b] / "-" n
 * Spaces and tabs are taken between any two tokens, as nginx does, since clients differ. */
#include "http/range.h"
#include <string.h>
#include <strings.h>

static const char *skip_ows(const char *p)
{
    while (*p == ' ' || *p == '\t') p++;
    return p;
}

/* A run of digits at *p as a number saturated at UINT64_MAX (bigger than any file); false when
 * there is no digit. Advances *p past the digits. */
static bool read_number(const char **p, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    if (*s < '0' || *s > '9') return false;
    for (; *s >= '0' && *s <= '9'; s++) {
        unsigned d = (unsigned)(*s - '0');
        v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
    }
    *p = s;
    *out = v;
    return true;
}

/* One range-spec at *p, its end at ',' or the text's end (after spaces). suffix says "-n". */
typedef struct spec {
    bool suffix, open;        /* "-n"; "a-" */
    uint64_t a, b;
} spec;

static bool read_spec(const char **p, spec *out)
{
    const char *s = skip_ows(*p);
    *out = (spec){0};
    if (*s == '-') {
        s = skip_ows(s + 1);
        if (!read_number(&s, &out->b)) return false;
        out->suffix = true;
    } else {
        if (!read_number(&s, &out->a)) return false;
        s = skip_ows(s);
        if (*s++ != '-') return false;
        s = skip_ows(s);
        if (read_number(&s, &out->b)) {
            if (out->b < out->a) return false;   /* RFC 9110: invalid, so the header is ignored */
        } else out->open = true;
    }
    s = skip_ows(s);
    if (*s != ',' && *s != 0) return false;
    *p = s;
    return true;
}

range_result range_parse(const char *header, uint64_t size, uint64_t *first, uint64_t *last)
{
    if (!header || size == 0) return RANGE_WHOLE;   /* an empty file has no bytes to give */
    const char *p = skip_ows(header);
    if (strncasecmp(p, "bytes", 5) != 0) return RANGE_WHOLE;
    p = skip_ows(p + 5);
    if (*p++ != '=') return RANGE_WHOLE;
    spec one = {0};
    int count = 0;
    for (;;) {
        p = skip_ows(p);
        if (*p == ',') { p++; continue; }        /* an empty list element */
        if (!*p) break;
        spec s;
        if (!read_spec(&p, &s)) return RANGE_WHOLE;
        if (count++ == 0) one = s;
    }
    if (count != 1) return RANGE_WHOLE;           /* none, or several: the whole file */
    if (one.suffix) {
        if (one.b == 0) return RANGE_UNSATISFIABLE;
        *first = one.b >= size ? 0 : size - one.b;
        *last = size - 1;
        return RANGE_PARTIAL;
    }
    if (one.a >= size) return RANGE_UNSATISFIABLE;
    *first = one.a;
    *last = one.open || one.b >= size ? size - 1 : one.b;
    return RANGE_PARTIAL;
}

/* Whether text (spaces around it ignored) equals want exactly. */
static bool equals_trimmed(const char *text, const char *want)
{
    text = skip_ows(text);
    size_t n = strlen(want);
    return strncmp(text, want, n) == 0 && *skip_ows(text + n) == 0;
}

bool range_if_range_matches(const char *if_range, const char *etag, const char *last_modified)
{
    if (!if_range) return true;
    const char *v = skip_ows(if_range);
    if (*v == '"' || !strncmp(v, "W/", 2))       /* an entity tag: strong comparison only */
        return etag && *v == '"' && strncmp(etag, "W/", 2) != 0 && equals_trimmed(v, etag);
    return last_modified && equals_trimmed(v, last_modified);
}
