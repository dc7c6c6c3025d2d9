/* reply.h - the only ways a handler answers: JSON, an error in docs/api.md's shape, or nothing.
 * Each sets r->status and r->response; the server queues it. A handler replies exactly once. */
#ifndef KEPU_REPLY_H
#define KEPU_REPLY_H
#include "core/errors.h"
#include "core/jsonw.h"
#include "http/request.h"
#include <stdint.h>

/* Takes the reference to obj. */
void reply_json(request *r, int status, json_t *obj);
/* {"error": {"code", "message", "field", "message_key", "params"}}; field may be NULL. The
 * message is "中文 / English"; message_key names it in the catalog the UI translates from
 * (GET /api/v1/messages, http/messages.c) and params are its printf arguments as text.
 * reply_error() is a macro that also files its format in the catalog (a linker set, the
 * section kepu_msg), so every message a handler writes is in it by construction. */
void reply_error_msg(request *r, int status, const char *code, const char *field,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define KEPU_IN_CATALOG __attribute__((used, section("kepu_msg")))
#define KEPU_FIRST_(a, ...) a
#define reply_error(r, status, code, field, ...)                                                   \
    do {                                                                                         \
        static const char *const kepu_msg_ KEPU_IN_CATALOG = KEPU_FIRST_(__VA_ARGS__, 0);          \
        reply_error_msg(r, status, code, field, __VA_ARGS__);                                     \
    } while (0)
/* A message handed to reply_error() through "%s" (a table's, a checker's), declared at file
 * scope so that the catalog has it too: MESSAGE(too_weak, "太弱 / too weak"); */
#define MESSAGE(name, text)                                                                       \
    static const char name[] = text;                                                              \
    static const char *const name##_in_catalog KEPU_IN_CATALOG = name
/* The key of a message template: "m" and 8 hex digits of its FNV-1a hash. */
void message_key(const char *template_text, char out[10]);
void reply_empty(request *r, int status);
/* A body the server frees (malloc'd), with its content type (NULL for none). */
void reply_body(request *r, int status, char *body, size_t len, const char *type);
/* The bytes of an open file (the server closes fd, this closes it when it refuses), with its
 * content type; kept by no cache, or as the Cache-Control value cache says. A 200 reply is a
 * download and answers ranges as reply_file() does. */
void reply_fd(request *r, int status, int fd, size_t size, const char *type);
void reply_fd_cached(request *r, int status, int fd, size_t size, const char *type, const char *cache);
/* A download of a file of size bytes at fd, answering the request's Range (http/range.h): 200
 * with the whole file, 206 with one part (Content-Range; sent from fd at its offset, zero-copy),
 * or 416 with an error body and a Content-Range that gives only the size. Every answer says Accept-Ranges:
 * bytes. etag (a quoted strong tag) and last_modified (an IMF-fixdate) are the validators an
 * If-Range is compared with and are sent when set; without them an If-Range gets the whole file.
 * The strings are borrowed for the call; cache NULL means "private, no-store". */
typedef struct file_meta {
    const char *type, *cache, *etag, *last_modified;
} file_meta;
void reply_file(request *r, int fd, uint64_t size, const file_meta *m);
/* Adds a header to the reply already made; a Cache-Control replaces the reply's own. */
void reply_header(request *r, const char *name, const char *value);

/* Answers rc from a module's error table (core/errors.h); a code the table lacks is the
 * database's trouble (503, reply_db_error). The catalog lists the tables of registered entities
 * and those filed with ERRORS_IN_CATALOG(table) at file scope. */
#define ERRORS_IN_CATALOG(t) \
    static const error_row *const t##_in_catalog __attribute__((used, section("kepu_errtab"))) = t
void reply_error_row(request *r, const error_row *table, int rc);

/* Common errors, named for reading handlers as flat early-return chains. */
void reply_not_found(request *r);
void reply_db_error(request *r);

/* A paged list reply in docs/api.md's shape, streamed: jw_list_open() writes {"items": and the
 * caller writes the array; reply_jw_list() adds total, page and page_size and replies. */
void jw_list_open(jw *w);
void reply_jw_list(request *r, jw *w, int64_t total, int64_t page, int64_t page_size);
/* Replies with the written JSON; takes the buffer. */
void reply_jw(request *r, int status, jw *w);

#endif
