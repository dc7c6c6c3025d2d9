/* jsonw.h - a streaming JSON writer into a string buffer, for the hot read paths (lists of
 * many rows), where building a jansson tree costs more than the query. Commas are placed by the
 * writer; strings are escaped. Ownership: the caller owns the jw; reply_jw() (http/reply.h) takes its buffer,
 * jw_free() releases it otherwise. */
#ifndef KEPU_JSONW_H
#define KEPU_JSONW_H
#include "core/sbuf.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define JW_MAX_DEPTH 32

typedef struct jw {
    sbuf b;
    int depth;
    bool first[JW_MAX_DEPTH];
} jw;

void jw_init(jw *w);
void jw_free(jw *w);
void jw_obj(jw *w);          /* { */
void jw_obj_end(jw *w);      /* } */
void jw_arr(jw *w);          /* [ */
void jw_arr_end(jw *w);      /* ] */
void jw_key(jw *w, const char *key);   /* keys are constants of ours: not escaped */
void jw_key_escaped(jw *w, const char *key);   /* a key from data (escaped like a string) */
void jw_str(jw *w, const char *s);     /* NULL writes null */
void jw_int(jw *w, int64_t v);
void jw_int_or_null(jw *w, int64_t v); /* 0 writes null */
void jw_bool(jw *w, bool v);
void jw_null(jw *w);
/* A value that is already JSON text (our own serialization, never client text). */
void jw_raw(jw *w, const char *json);
/* Parses what was written into a jansson value (for audit diffs); new reference or NULL. */
json_t *jw_to_json(const jw *w);

#endif
