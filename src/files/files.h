/* files.h - the file store: uploaded photos and attachments kept on disk under their content's
 * SHA-256 (files/ab/abcdef...), so identical uploads share one copy and a name can never
 * reach outside the store. The type is sniffed from the bytes, never taken from the client.
 * Modules keep their own rows (name, owner, scope) and call this for the bytes. */
#ifndef KEPU_FILES_H
#define KEPU_FILES_H
#include "core/arena.h"
#include <stdbool.h>
#include <stddef.h>

/* Creates dir and its spool (dir/tmp) when missing; false when it cannot. Call once at start. */
bool files_configure(const char *dir);
/* Where the HTTP layer spools uploads while they arrive (same file system as the store). */
const char *files_spool_dir(void);

/* The MIME type of an allowed file, judged by its first bytes (and, for zip-based office
 * files, the name's extension): JPEG, PNG, GIF, WebP, PDF, docx, xlsx, pptx. NULL otherwise. */
const char *files_sniff(const unsigned char *head, size_t n, const char *name);
/* For a docx, xlsx or pptx type from files_sniff(): whether the file at path is a readable zip
 * holding [Content_Types].xml and the kind's main part (word/document.xml, xl/workbook.xml,
 * ppt/presentation.xml), not any zip given an office name. True for every other type. */
bool files_is_office_package(const char *path, const char *mime);
/* Reads up to cap bytes of the head of a file; the count read, or -1. */
long files_read_head(const char *path, unsigned char *buf, size_t cap);

/* Moves the spooled file at path into the store; sha256 receives its hex digest.
 * 0 on success (the spool file is gone), -1 on failure (left in place). */
int files_store(const char *path, char sha256[65]);
/* Opens a stored file for reading: the fd (caller closes) and its size; -1 when missing. */
int files_open(const char *sha256, size_t *size);

/* A client-given file name (percent-encoded UTF-8, as browsers send it in a header) made safe:
 * decoded, valid UTF-8, 1..200 bytes, no path separators or control characters. Arena string,
 * or NULL when it cannot be made acceptable. */
const char *files_clean_name(arena *a, const char *raw);
/* The Content-Disposition value for a download of name (RFC 6266 / 5987). Arena string. */
const char *files_disposition(arena *a, const char *name);

#endif
