/* reply.c - JSON, error and file replies (see reply.h). */
#include "http/reply.h"
#include "core/validate.h"
#include "http/range.h"
#include <inttypes.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The reply resp (one made before is dropped) of len bytes, with its content type and caching. */
static void set_response(request *r, int status, struct MHD_Response *resp, size_t len, const char *type,
                         const char *cache)
{
    if (r->response) MHD_destroy_response(r->response);
    r->response = resp;
    r->status = status;
    r->response_bytes = len;
    if (type) MHD_add_response_header(resp, "Content-Type", type);
    MHD_add_response_header(resp, "Cache-Control", cache);
}

void reply_body(request *r, int status, char *body, size_t len, const char *type)
{
    set_response(r, status, MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE), len, type, "no-store");
}

/* The Range a GET or HEAD asks for (RFC 9110 defines ranges for GET only; HEAD answers with the
 * head GET would have), when If-Range lets it apply to this file. */
static range_result asked_range(request *r, uint64_t size, const file_meta *m, uint64_t *first, uint64_t *last)
{
    /* a request made outside the server (a unit test's) has no method and no connection */
    if (!r->method || (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)) return RANGE_WHOLE;
    const char *range = req_header(r, "Range");
    if (!range || !range_if_range_matches(req_header(r, "If-Range"), m->etag, m->last_modified)) return RANGE_WHOLE;
    return range_parse(range, size, first, last);
}

void reply_file(request *r, int fd, uint64_t size, const file_meta *m)
{
    uint64_t first = 0, last = size ? size - 1 : 0;
    range_result want = asked_range(r, size, m, &first, &last);
    char value[96];
    if (want == RANGE_UNSATISFIABLE) {
        close(fd);
        reply_error(r, 416, "range_not_satisfiable", NULL,
                    "请求的字节范围超出文件末尾 / the requested range starts beyond the end of the file");
        snprintf(value, sizeof value, "bytes */%" PRIu64, size);
        reply_header(r, "Content-Range", value);
        reply_header(r, "Accept-Ranges", "bytes");
        return;
    }
    uint64_t len = want == RANGE_PARTIAL ? last - first + 1 : size;
    /* MHD sends the part straight from fd (sendfile where it can): no copy through our memory */
    struct MHD_Response *resp = MHD_create_response_from_fd_at_offset64(len, fd, first);
    if (!resp) {
        close(fd);
        reply_error(r, 500, "internal", NULL, "无法发送文件 / the file could not be sent");
        return;
    }
    set_response(r, want == RANGE_PARTIAL ? 206 : 200, resp, (size_t)len, m->type, m->cache ? m->cache : "private, no-store");
    MHD_add_response_header(resp, "Accept-Ranges", "bytes");
    if (m->etag) MHD_add_response_header(resp, "ETag", m->etag);
    if (m->last_modified) MHD_add_response_header(resp, "Last-Modified", m->last_modified);
    if (want != RANGE_PARTIAL) return;
    snprintf(value, sizeof value, "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64, first, last, size);
    MHD_add_response_header(resp, "Content-Range", value);
}

void reply_fd_cached(request *r, int status, int fd, size_t size, const char *type, const char *cache)
{
    if (status == 200) {
        reply_file(r, fd, size, &(file_meta){.type = type, .cache = cache});
        return;
    }
    set_response(r, status, MHD_create_response_from_fd(size, fd), size, type, cache);
}

void reply_fd(request *r, int status, int fd, size_t size, const char *type)
{
    reply_fd_cached(r, status, fd, size, type, "private, no-store");
}

MESSAGE(out_of_memory, "内存不足 / out of memory");

void reply_json(request *r, int status, json_t *obj)
{
    char *text = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    if (!text) { /* only on out-of-memory: the answer written without jansson */
        char key[10], buf[160];
        message_key(out_of_memory, key);
        snprintf(buf, sizeof buf, "{\"error\":{\"code\":\"internal\",\"message\":\"%s\",\"field\":null,"
                 "\"message_key\":\"%s\"}}", out_of_memory, key);
        text = strdup(buf);
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

void message_key(const char *template_text, char out[10])
{
    snprintf(out, 10, "m%08x", str_hash(template_text));
}

/* One printf conversion of fmt (at '%'), rendered from ap into out; returns the text after it. */
static const char *render_param(const char *fmt, va_list *ap, char *out, size_t len)
{
    char spec[16];
    size_t n = 0;
    const char *p = fmt;
    while (*p && n < sizeof spec - 1) {
        spec[n++] = *p;
        if (strchr("sdiucxf", *p) && p != fmt) break;
        p++;
    }
    spec[n] = 0;
    char conv = *p, *star = strstr(spec, ".*");
    bool l = strchr(spec, 'l') != NULL, ll = strstr(spec, "ll") != NULL, z = strchr(spec, 'z') != NULL;
    if (conv == 's' && star) { int w = va_arg(*ap, int); snprintf(out, len, "%.*s", w, va_arg(*ap, const char *)); }
    else if (conv == 's') snprintf(out, len, "%s", va_arg(*ap, const char *));
    else if (conv == 'f') snprintf(out, len, spec, va_arg(*ap, double));
    else if (ll) snprintf(out, len, "%lld", va_arg(*ap, long long));
    else if (z) snprintf(out, len, "%zu", va_arg(*ap, size_t));
    else if (l) snprintf(out, len, "%ld", va_arg(*ap, long));
    else snprintf(out, len, "%d", va_arg(*ap, int));
    return *p ? p + 1 : p;
}

/* The printf arguments of fmt as texts, for the UI to put into the translated message. */
static json_t *message_params(const char *fmt, va_list ap)
{
    json_t *a = json_array();
    va_list cp;
    va_copy(cp, ap);
    for (const char *p = fmt; *p;) {
        if (*p != '%') { p++; continue; }
        if (p[1] == '%') { p += 2; continue; }
        char v[256];
        p = render_param(p, &cp, v, sizeof v);
        utf8_repair(v);
        json_array_append_new(a, json_string(v));
    }
    va_end(cp);
    return a;
}

void reply_error_msg(request *r, int status, const char *code, const char *field, const char *fmt, ...)
{
    char msg[512], key[10];
    va_list ap;
    va_start(ap, fmt);
    /* A message passed whole ("%s") is its own template; a format is the template of its text. */
    bool whole = !strcmp(fmt, "%s");
    json_t *params = whole ? NULL : message_params(fmt, ap);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    utf8_repair(msg);   /* a cut inside a character (found by tests/fuzz/fuzz_body too) */
    message_key(whole ? msg : fmt, key);
    if (params && json_array_size(params) == 0) json_decref(params), params = NULL;
    /* A field name comes from the request and is valid UTF-8 when it comes from a parsed body;
     * one that is not (a query key) is left out rather than failing the whole answer. */
    if (field && !utf8_valid(field, strlen(field))) field = NULL;
    json_t *err = json_pack("{s:s, s:s, s:s?, s:s}", "code", code, "message", msg, "field", field,
                            "message_key", key);
    if (params) json_object_set_new(err, "params", params);
    reply_json(r, status, json_pack("{s:o}", "error", err));
}

void reply_empty(request *r, int status) { reply_body(r, status, NULL, 0, NULL); }

void reply_header(request *r, const char *name, const char *value)
{
    if (!r->response) return;
    /* one Cache-Control: the reply's own default (no-store) gives way, else both went out and
     * a cache obeyed the stricter one */
    const char *old = strcasecmp(name, "Cache-Control") == 0 ? MHD_get_response_header(r->response, name) : NULL;
    if (old) MHD_del_response_header(r->response, name, old);
    MHD_add_response_header(r->response, name, value);
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
