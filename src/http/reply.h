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
/* {"error": {"code", "message", "field"}}; field may be NULL. */
void reply_error(request *r, int status, const char *code, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void reply_empty(request *r, int status);
/* {"items", "total", "page", "page_size"}; takes the reference to items. */
void reply_list(request *r, json_t *items, int64_t total, int64_t page, int64_t page_size);
/* A body the server frees (malloc'd), with its content type (NULL for none). */
void reply_body(request *r, int status, char *body, size_t len, const char *type);
/* The bytes of an open file (the server closes fd), with its content type. */
void reply_fd(request *r, int status, int fd, size_t size, const char *type);
/* Adds a header to the reply already made. */
void reply_header(request *r, const char *name, const char *value);

/* Answers rc from a module's error table (core/errors.h); a code the table lacks is the
 * database's trouble (503, reply_db_error). */
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
