/* jsonw.c - streaming JSON writer (see jsonw.h). */
#include "core/jsonw.h"
#include <stdio.h>
#include <string.h>

void jw_init(jw *w)
{
    sbuf_init(&w->b);
    sbuf_reserve(&w->b, 4096);   /* most replies fit; lists grow by doubling from here */
    w->depth = 0;
    w->first[0] = true;
}

void jw_free(jw *w) { sbuf_free(&w->b); }

/* A value (or key) starts: a comma unless it is the first in its container. */
static void sep(jw *w)
{
    if (!w->first[w->depth]) sbuf_addn(&w->b, ",", 1);
    w->first[w->depth] = false;
}

static void open_c(jw *w, const char *c)
{
    sep(w);
    sbuf_addn(&w->b, c, 1);
    if (w->depth < JW_MAX_DEPTH - 1) w->depth++;
    w->first[w->depth] = true;
}

static void close_c(jw *w, const char *c)
{
    if (w->depth > 0) w->depth--;
    sbuf_addn(&w->b, c, 1);
}

void jw_obj(jw *w) { open_c(w, "{"); }
void jw_obj_end(jw *w) { close_c(w, "}"); }
void jw_arr(jw *w) { open_c(w, "["); }
void jw_arr_end(jw *w) { close_c(w, "]"); }

void jw_key(jw *w, const char *key)
{
    sep(w);
    sbuf_addn(&w->b, "\"", 1);
    sbuf_add(&w->b, key);
    sbuf_addn(&w->b, "\":", 2);
    w->first[w->depth] = true;   /* the value that follows takes no comma */
}

void jw_str(jw *w, const char *s)
{
    if (!s) { jw_null(w); return; }
    sep(w);
    sbuf_addn(&w->b, "\"", 1);
    const char *run = s, *p = s;
    for (; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
        sbuf_addn(&w->b, run, (size_t)(p - run));
        char esc[8];
        switch (ch) {
        case '"': sbuf_addn(&w->b, "\\\"", 2); break;
        case '\\': sbuf_addn(&w->b, "\\\\", 2); break;
        case '\n': sbuf_addn(&w->b, "\\n", 2); break;
        case '\r': sbuf_addn(&w->b, "\\r", 2); break;
        case '\t': sbuf_addn(&w->b, "\\t", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", ch);
            sbuf_addn(&w->b, esc, 6);
        }
        run = p + 1;
    }
    sbuf_addn(&w->b, run, (size_t)(p - run));
    sbuf_addn(&w->b, "\"", 1);
}

void jw_key_escaped(jw *w, const char *key)
{
    jw_str(w, key);
    sbuf_addn(&w->b, ":", 1);
    w->first[w->depth] = true;
}

void jw_int(jw *w, int64_t v)
{
    /* Digits by hand: snprintf is a measurable part of a list reply. */
    char num[24], *end = num + sizeof num, *p = end;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do *--p = (char)('0' + u % 10); while (u /= 10);
    if (v < 0) *--p = '-';
    sep(w);
    sbuf_addn(&w->b, p, (size_t)(end - p));
}

void jw_int_or_null(jw *w, int64_t v)
{
    if (v) jw_int(w, v);
    else jw_null(w);
}

void jw_bool(jw *w, bool v)
{
    sep(w);
    sbuf_add(&w->b, v ? "true" : "false");
}

void jw_null(jw *w)
{
    sep(w);
    sbuf_addn(&w->b, "null", 4);
}

void jw_raw(jw *w, const char *json)
{
    sep(w);
    sbuf_add(&w->b, json);
}

json_t *jw_to_json(const jw *w)
{
    return w->b.s ? json_loadb(w->b.s, w->b.len, 0, NULL) : NULL;
}
