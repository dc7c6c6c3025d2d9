/* export.h - documents sent as a download: an Excel workbook (docs/xlsx.h) as the reply. The
 * formats know no HTTP; this layer joins them to a request. */
#ifndef KEPU_EXPORT_H
#define KEPU_EXPORT_H
#include "docs/xlsx.h"
#include "http/request.h"

/* Closes the workbook and replies with it as an attachment named filename (UTF-8); a 500
 * export_failed when it cannot be written. Releases x. */
void xlsx_reply(xlsx *x, request *r, const char *filename);
/* The same for a finished workbook's open descriptor (taken; -1 replies the 500). */
void xlsx_reply_fd(request *r, int fd, const char *filename);

/* A 500 export_failed: the file could not be built (never reported as the database being
 * down, which a 503 db_unavailable says). */
void reply_export_failed(request *r);

#endif
