/* export.c - an Excel workbook as the reply (see export.h). */
#include "io/export.h"
#include "http/reply.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* RFC 5987 filename*: percent-encoded UTF-8. */
static void disposition(const char *filename, char *out, size_t len)
{
    size_t o = (size_t)snprintf(out, len, "attachment; filename=\"export.xlsx\"; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)filename; *p && o + 4 < len; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-_.", *p))
            out[o++] = (char)*p;
        else
            o += (size_t)snprintf(out + o, len - o, "%%%02X", *p);
    }
    out[o] = 0;
}

void reply_export_failed(request *r)
{
    reply_error(r, 500, "export_failed", NULL, "生成导出文件失败 / the export file could not be built");
}

void xlsx_reply(xlsx *x, request *r, const char *filename) { xlsx_reply_fd(r, xlsx_finish(x), filename); }

void xlsx_reply_fd(request *r, int fd, const char *filename)
{
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0) close(fd);
        reply_export_failed(r);
        return;
    }
    reply_fd(r, 200, fd, (size_t)st.st_size, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    char cd[512];
    disposition(filename, cd, sizeof cd);
    reply_header(r, "Content-Disposition", cd);
}
