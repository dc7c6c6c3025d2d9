/* range.h - the Range and If-Range request headers of RFC 9110 (sections 14.2, 13.1.5) for a
 * file of a known size, as a pure parser: the reply layer (http/reply.c) decides 200, 206 or
 * 416 from its answer. One range only: a request for several ranges is answered with the whole
 * file (RFC 9110 lets a server ignore Range), so no multipart/byteranges body is ever built.
 * Nothing here allocates; the caller owns every string it passes. */
#ifndef KEPU_RANGE_H
#define KEPU_RANGE_H
#include <stdbool.h>
#include <stdint.h>

typedef enum range_result {
    RANGE_WHOLE = 0,          /* no Range, a malformed one, several ranges, or an empty file: 200 */
    RANGE_PARTIAL = 1,        /* bytes first..last (inclusive, last < size): 206 */
    RANGE_UNSATISFIABLE = 2,  /* one well-formed range that starts past the end: 416 */
} range_result;

/* Parses the value of a Range header (NULL: none) for a file of size bytes. On RANGE_PARTIAL,
 * *first and *last hold the part; otherwise they are untouched. Forms: "bytes=a-b" (b past the
 * end is clipped), "bytes=a-", "bytes=-n" (the last n bytes; n past the size is the whole file);
 * the unit is case-insensitive, spaces and tabs between tokens and empty list elements are
 * allowed. b < a, a missing number, any other unit or character is malformed (RANGE_WHOLE).
 * A number too large for 64 bits counts as "larger than any file". */
range_result range_parse(const char *header, uint64_t size, uint64_t *first, uint64_t *last);

/* Whether a request's If-Range (NULL: none, which matches) lets its Range apply to the reply
 * whose validators are etag (a quoted strong entity tag, or NULL) and last_modified (an IMF-
 * fixdate, or NULL). An entity tag must match strongly (a weak W/ tag never does); a date must
 * equal Last-Modified exactly. A mismatch means the whole file is sent. */
bool range_if_range_matches(const char *if_range, const char *etag, const char *last_modified);

#endif
