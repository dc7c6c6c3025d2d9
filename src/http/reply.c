/* reply.c - JSON and error replies (see reply.h). */
#include "http/reply.h"
#include "core/validate.h"
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void reply_body(request *r, int status, char *body, size_t len, const char *type)
{
    if (r->response) MHD_destroy_response(r->response);
    r->response = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    r->status = status;
    r->response_bytes = len;
    if (type) MHD_add_response_header(r->response, "Content-Type", type);
    MHD_add_response_header(r->response, "Cache-Control", "no-store");
}

void reply_fd(request *r, int status, int fd, size_t size, const char *type)
{
    if (r->response) MHD_destroy_response(r->response);
    r->response = MHD_create_response_from_fd(size, fd);
    r->status = status;
    r->response_bytes = size;
    if (type) MHD_add_response_header(r->response, "Content-Type", type);
    MHD_add_response_header(r->response, "Cache-Control", "private, no-store");
}

void reply_json(request *r, int status, json_t *obj)
{
    char *text = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    if (!text) { /* only on out-of-memory */
        text = strdup("{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\",\"field\":null}}");
        status = 500;
    }
    reply_body(r, status, text, strlen(text), "application/json; charset=utf-8");
}

/* Makes text valid UTF-8 in place: a cut at the buffer's end may have split a character (a
 * long Chinese field name does), and that tail goes; any other invalid byte becomes '?'. Jansson
 * refuses invalid UTF-8, and a message it refused would turn a 4xx into a 500. */
static void utf8_repair(char *text)
{
    size_t n = strlen(text);
    size_t start = n;
    while (start > 0 && n - start < 4 && ((unsigned char)text[start - 1] & 0xC0) == 0x80) start--;
    if (start > 0 && (unsigned char)text[start - 1] >= 0xC0) start--;   /* lead byte of the tail */
    if (start < n && !utf8_valid(text + start, n - start)) text[start] = 0, n = start;
    for (size_t i = 0; i < n;) {
        size_t len = 1;
        unsigned char c = (unsigned char)text[i];
        if (c >= 0xF0) len = 4;
        else if (c >= 0xE0) len = 3;
        else if (c >= 0xC0) len = 2;
        if (i + len > n || !utf8_valid(text + i, len)) text[i] = '?', len = 1;
        i += len;
    }
}

void reply_error(request *r, int status, const char *code, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    utf8_repair(msg);   /* a cut inside a character (found by tests/fuzz/fuzz_body too) */
    /* A field name comes from the request and is valid UTF-8 when it comes from a parsed body;
     * one that is not (a query key) is left out rather than failing the whole answer. */
    if (field && !utf8_valid(field, strlen(field))) field = NULL;
    json_t *err = json_pack("{s:s, s:s, s:s?}", "code", code, "message", msg, "field", field);
    reply_json(r, status, json_pack("{s:o}", "error", err));
}

void reply_empty(request *r, int status)
{
    reply_body(r, status, NULL, 0, NULL);
}

void reply_list(request *r, json_t *items, int64_t total, int64_t page, int64_t page_size)
{
    reply_json(r, 200, json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total,
                                 "page", (json_int_t)page, "page_size", (json_int_t)page_size));
}

void reply_header(request *r, const char *name, const char *value)
{
    if (r->response) MHD_add_response_header(r->response, name, value);
}

void reply_not_found(request *r)
{
    reply_error(r, 404, "not_found", NULL, "未找到 / not found");
}

void reply_error_row(request *r, const error_row *table, int rc)
{
    const error_row *e = error_row_find(table, rc);
    if (!e) { reply_db_error(r); return; }
    reply_error(r, e->status, e->code, e->field, "%s", e->message);
}

void reply_db_error(request *r)
{
    reply_error(r, 503, "db_unavailable", NULL, "数据库暂时不可用 / database unavailable, retry later");
}

/* Streamed JSON replies (core/jsonw.h's writer). */
void reply_jw(request *r, int status, jw *w)
{
    size_t len = w->b.len;
    reply_body(r, status, sbuf_steal(&w->b), len, "application/json; charset=utf-8");
}

void jw_list_open(jw *w)
{
    jw_init(w);
    jw_obj(w);
    jw_key(w, "items");
}

void reply_jw_list(request *r, jw *w, int64_t total, int64_t page, int64_t page_size)
{
    jw_key(w, "total"), jw_int(w, total);
    jw_key(w, "page"), jw_int(w, page);
    jw_key(w, "page_size"), jw_int(w, page_size);
    jw_obj_end(w);
    reply_jw(r, 200, w);
}
