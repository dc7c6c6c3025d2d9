/* notice_html.c - a notice's rich text reduced to a small whitelist (notices.h): the editor's
 * HTML is kept only as the few tags a document needs, with no attribute but an http(s) link, so
 * a notice shown to every unit below (and on the public pages) can carry no script, style,
 * event handler or javascript: link. A tokenizer of our own, not a parser: anything it does not
 * recognise becomes text, escaped. */
#include "notices/notices.h"
#include "core/sbuf.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const allowed[] = {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "h3", "h4",
                                      "table", "tr", "td", "th", "a", NULL};

static bool tag_allowed(const char *name)
{
    for (int i = 0; allowed[i]; i++)
        if (!strcmp(allowed[i], name)) return true;
    return false;
}

/* The end of the tag that starts at s[i] ('<'): the index after its '>' (quotes respected), or n. */
static size_t tag_end(const char *s, size_t i, size_t n)
{
    char quote = 0;
    for (i++; i < n; i++) {
        if (quote) { if (s[i] == quote) quote = 0; }
        else if (s[i] == '"' || s[i] == '\'') quote = s[i];
        else if (s[i] == '>') return i + 1;
    }
    return n;
}

/* Where the closing </name> of a raw-text element (script, style) ends, or n. */
static size_t skip_raw(const char *s, size_t i, size_t n, const char *name)
{
    size_t len = strlen(name);
    for (; i + len + 2 <= n; i++)
        if (s[i] == '<' && s[i + 1] == '/' && !strncasecmp(s + i + 2, name, len)) return tag_end(s, i, n);
    return n;
}

/* The href value among the attributes s[from, to), copied into val (at most cap - 1), or false. */
static bool find_href(const char *s, size_t from, size_t to, char *val, size_t cap)
{
    size_t i = from;
    while (i < to) {
        while (i < to && (isspace((unsigned char)s[i]) || s[i] == '/')) i++;
        size_t name = i;
        while (i < to && !isspace((unsigned char)s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/') i++;
        size_t name_len = i - name;
        while (i < to && isspace((unsigned char)s[i])) i++;
        size_t v = i, v_len = 0;
        if (i < to && s[i] == '=') {
            i++;
            while (i < to && isspace((unsigned char)s[i])) i++;
            if (i < to && (s[i] == '"' || s[i] == '\'')) {
                char q = s[i++];
                v = i;
                while (i < to && s[i] != q) i++;
                v_len = i - v;
                if (i < to) i++;
            } else {
                v = i;
                while (i < to && !isspace((unsigned char)s[i]) && s[i] != '>') i++;
                v_len = i - v;
            }
        }
        if (name_len == 0 && i < to && v_len == 0) i++;   /* a stray character: step over it */
        if (name_len == 4 && !strncasecmp(s + name, "href", 4)) {
            if (v_len >= cap) return false;
            memcpy(val, s + v, v_len), val[v_len] = 0;
            return true;
        }
    }
    return false;
}

/* An http(s) link, percent-encoding what could leave the quotes or hide a scheme; a link longer
 * than 2,000 bytes once encoded is dropped (its text stays), so a second pass reads it back whole. */
static void put_href(sbuf *o, const char *v)
{
    while (isspace((unsigned char)*v)) v++;
    if (strncasecmp(v, "http://", 7) != 0 && strncasecmp(v, "https://", 8) != 0) { sbuf_add(o, "<a>"); return; }
    sbuf link;
    sbuf_init(&link);
    for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
        if (*c <= 0x20 || *c == '"' || *c == '\'' || *c == '<' || *c == '>' || *c == '`' || *c == 0x7f)
            sbuf_printf(&link, "%%%02X", *c);
        else
            sbuf_addn(&link, (const char *)c, 1);
    }
    char *text = sbuf_steal(&link);
    if (strlen(text) > 2000) sbuf_add(o, "<a>");
    else sbuf_printf(o, "<a href=\"%s\">", text);
    free(text);
}

/* A tag at s[i]: kept (reduced) when allowed, dropped otherwise. Returns the index after it. */
static size_t put_tag(sbuf *o, const char *s, size_t i, size_t n)
{
    size_t end = tag_end(s, i, n), j = i + 1;
    bool closing = j < n && s[j] == '/';
    if (closing) j++;
    char name[12];
    size_t k = 0;
    while (j < n && isalnum((unsigned char)s[j]) && k < sizeof name - 1) name[k++] = (char)tolower((unsigned char)s[j++]);
    name[k] = 0;
    if (j < n && isalnum((unsigned char)s[j])) k = 0;   /* a longer name than any allowed one */
    if (!closing && (!strcmp(name, "script") || !strcmp(name, "style"))) return skip_raw(s, end, n, name);
    if (k == 0 || !tag_allowed(name) || end > n || s[end - 1] != '>') return end;
    if (closing) {
        if (strcmp(name, "br") != 0) sbuf_printf(o, "</%s>", name);
    } else if (!strcmp(name, "a")) {
        char href[2048];
        if (find_href(s, j, end - 1, href, sizeof href)) put_href(o, href);
        else sbuf_add(o, "<a>");
    } else {
        sbuf_printf(o, "<%s>", name);
    }
    return end;
}

/* An entity (&amp; &#39; &nbsp;) stays as it is; any other '&' is escaped. */
static size_t put_amp(sbuf *o, const char *s, size_t i, size_t n)
{
    size_t j = i + 1;
    while (j < n && j - i <= 10 && (isalnum((unsigned char)s[j]) || s[j] == '#')) j++;
    if (j < n && s[j] == ';' && j > i + 1) {
        sbuf_addn(o, s + i, j + 1 - i);
        return j + 1;
    }
    sbuf_add(o, "&amp;");
    return i + 1;
}

char *notice_html_sanitize(const char *s, size_t n)
{
    sbuf o;
    sbuf_init(&o);
    size_t i = 0;
    while (i < n) {
        char ch = s[i];
        if (ch == '<' && i + 3 < n && !strncmp(s + i, "<!--", 4)) {
            const char *close = NULL;
            for (size_t k = i + 4; k + 3 <= n && !close; k++) if (!strncmp(s + k, "-->", 3)) close = s + k;
            i = close ? (size_t)(close - s) + 3 : n;
        } else if (ch == '<' && i + 1 < n && (isalpha((unsigned char)s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!' ||
                                              s[i + 1] == '?')) {
            i = put_tag(&o, s, i, n);
        } else if (ch == '<') {
            sbuf_add(&o, "&lt;"), i++;
        } else if (ch == '>') {
            sbuf_add(&o, "&gt;"), i++;
        } else if (ch == '&') {
            i = put_amp(&o, s, i, n);
        } else if (ch == 0) {
            i++;
        } else {
            sbuf_addn(&o, s + i, 1), i++;
        }
    }
    return sbuf_steal(&o);
}
