/* body.h - reading request input: JSON body fields, query arguments, path ids, paging.
 *
 * Each helper either yields a valid value or has already replied with the 4xx error docs/api.md
 * asks for and returns false, so handlers read as flat early-return chains:
 *     if (!body_allow_fields(r, allowed, read_only)) return;
 * Strings returned point into the request's JSON or arena: valid for the request's lifetime. */
#ifndef KEPU_BODY_H
#define KEPU_BODY_H
#include "http/request.h"
#include <stdbool.h>
#include <stdint.h>

/* The body must be a JSON object whose keys are all in `allowed` (NULL-terminated); a key in
 * `read_only` is refused as read_only_field, any other as unknown_field (422, naming it). */
bool body_allow_fields(request *r, const char *const *allowed, const char *const *read_only);
bool body_has(request *r, const char *field);
/* A string field holding a valid name of 1..max_chars characters. Absent: *out = NULL, and a
 * 422 `required` when required. JSON null counts as absent for optional fields. */
bool body_name(request *r, const char *field, bool required, size_t max_chars, const char **out);
/* A string field, any content up to max_bytes (validated by the caller). */
bool body_string(request *r, const char *field, bool required, const char **out);
/* An optional free text of at most max characters. Absent leaves *out untouched; null or ""
 * set *out = NULL (the field is cleared). body_text wants one line: valid_name's rules (no
 * control nor invisible format characters, not only spaces). body_multiline_text allows tab,
 * CR and LF and refuses only the other ASCII controls below 0x20 (course records and
 * materials are pasted paragraphs). Either refuses with 422 invalid_field naming the field. */
bool body_text(request *r, const char *field, size_t max_chars, const char **out);
bool body_multiline_text(request *r, const char *field, size_t max_chars, const char **out);
/* A calendar day YYYY-MM-DD (422 otherwise); absent leaves *out untouched. */
bool body_day(request *r, const char *field, bool required, const char **out);
/* Absent leaves *out untouched and *present false (present may be NULL). */
bool body_int(request *r, const char *field, bool required, int64_t *out, bool *present);
bool body_bool(request *r, const char *field, bool *out, bool *present);
/* A string whose value must be one of `choices` (NULL-terminated). */
bool body_enum(request *r, const char *field, bool required, const char *const *choices, const char **out);

/* An optional query argument that must be one of choices (NULL-terminated) when given; 422 naming
 * the key otherwise. */
bool query_choice(request *r, const char *key, const char *const *choices);

/* Path parameter n as a positive id; replies 404 when it is not one. */
bool param_id(request *r, int n, int64_t *out);
/* Optional positive integer query argument; 422 when present and malformed. */
bool query_id(request *r, const char *key, int64_t *out, bool *present);

typedef struct page {
    int64_t page, size, offset;
} page;
/* page (>=1, default 1) and page_size (1..500, default 50); 422 otherwise. */
bool query_page(request *r, page *p);

#endif
