/* resource_text.c - the text of a PDF for the library's search, read with poppler-glib: at most
 * max_pages pages and max_bytes bytes (cut at a UTF-8 character's start), so a large book costs a
 * bounded time and row. Called outside any transaction: reading a PDF may take a while.
 * Chinese has no spaces between words, and a PDF breaks its lines anywhere: a line break between
 * two non-ASCII characters is dropped (so 系列讲|座 is found as 系列讲座), any other becomes a space. */
#include "resources/resources.h"
#include <glib.h>
#include <poppler.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Appends t to buf (len of cap) up to cap, never splitting a UTF-8 character. */
static size_t append_bounded(char *buf, size_t len, size_t cap, const char *t)
{
    size_t n = strlen(t);
    if (len + n > cap) {
        n = cap - len;
        while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80) n--;   /* t[n] continues a character */
    }
    memcpy(buf + len, t, n);
    return len + n;
}

void resource_text_join_lines(char *t)
{
    char *o = t;
    for (char *p = t; *p; p++) {
        if (*p != '\n' && *p != '\r') { *o++ = *p; continue; }
        while (p[1] == '\n' || p[1] == '\r') p++;
        bool wide_before = o > t && ((unsigned char)o[-1] & 0x80), wide_after = ((unsigned char)p[1] & 0x80) != 0;
        if (!(wide_before && wide_after) && o > t && p[1]) *o++ = ' ';
    }
    *o = '\0';
}

const char *resource_pdf_text(const char *path, int max_pages, size_t max_bytes, arena *a)
{
    GError *err = NULL;
    /* a URI needs an absolute path: the store may be relative (data/files, the default without a
     * SQLite database beside it) */
    gchar *abs = g_canonicalize_filename(path, NULL);
    gchar *uri = g_filename_to_uri(abs, NULL, &err);
    g_free(abs);
    if (!uri) { g_clear_error(&err); return NULL; }
    PopplerDocument *doc = poppler_document_new_from_file(uri, NULL, &err);
    g_free(uri);
    if (!doc) { g_clear_error(&err); return NULL; }
    char *buf = arena_alloc(a, max_bytes + 1);
    if (!buf) { g_object_unref(doc); return NULL; }
    size_t len = 0;
    int pages = poppler_document_get_n_pages(doc);
    for (int i = 0; i < pages && i < max_pages && len < max_bytes; i++) {
        PopplerPage *pg = poppler_document_get_page(doc, i);
        if (!pg) continue;
        gchar *t = poppler_page_get_text(pg);
        if (t) {
            resource_text_join_lines(t);
            len = append_bounded(buf, len, max_bytes, t);
            if (len < max_bytes) buf[len++] = '\n';
        }
        g_free(t);
        g_object_unref(pg);
    }
    g_object_unref(doc);
    buf[len] = '\0';
    return buf;
}
