/* xlsx.c - streamed Excel output (see xlsx.h). */
#include "docs/xlsx.h"
#include "http/reply.h"
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

struct xlsx {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold;
    char path[64];
    lxw_row_t row;
    int ncols;
};

bool xlsx_formula_like(const char *s)
{
    return s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r');
}

xlsx *xlsx_open(const char *sheet, const char *const *headers, int ncols)
{
    xlsx *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    snprintf(x->path, sizeof x->path, "/tmp/kepu-xlsx-XXXXXX");
    int fd = mkstemp(x->path);
    if (fd < 0) { free(x); return NULL; }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
    x->wb = workbook_new_opt(x->path, &opt);
    x->ws = x->wb ? workbook_add_worksheet(x->wb, sheet) : NULL;
    if (!x->ws) { xlsx_abort(x); return NULL; }
    x->bold = workbook_add_format(x->wb);
    format_set_bold(x->bold);
    x->ncols = ncols;
    worksheet_freeze_panes(x->ws, 1, 0);
    for (int c = 0; c < ncols; c++) {
        worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, c == 0 ? 28 : 14, NULL);
        worksheet_write_string(x->ws, 0, (lxw_col_t)c, headers[c], x->bold);
    }
    x->row = 1;
    return x;
}

void xlsx_text(xlsx *x, int col, const char *s)
{
    if (!s) return;
    if (xlsx_formula_like(s)) {
        /* A leading apostrophe makes spreadsheets show the text instead of running it. */
        size_t n = strlen(s);
        char *safe = malloc(n + 2);
        if (!safe) return;
        safe[0] = '\'';
        memcpy(safe + 1, s, n + 1);
        worksheet_write_string(x->ws, x->row, (lxw_col_t)col, safe, NULL);
        free(safe);
        return;
    }
    worksheet_write_string(x->ws, x->row, (lxw_col_t)col, s, NULL);
}

void xlsx_int(xlsx *x, int col, int64_t v)
{
    worksheet_write_number(x->ws, x->row, (lxw_col_t)col, (double)v, NULL);
}

void xlsx_next_row(xlsx *x) { x->row++; }

void xlsx_totals_row(xlsx *x, const char *label, int first_col)
{
    worksheet_write_string(x->ws, x->row, 0, label, x->bold);
    for (int c = first_col; c < x->ncols; c++) {
        char col[4], formula[64];
        lxw_col_to_name(col, (lxw_col_t)c, LXW_FALSE);
        snprintf(formula, sizeof formula, "=SUM(%s2:%s%u)", col, col, (unsigned)x->row);
        worksheet_write_formula(x->ws, x->row, (lxw_col_t)c, formula, x->bold);
    }
    x->row++;
}

void xlsx_abort(xlsx *x)
{
    if (!x) return;
    if (x->wb) workbook_close(x->wb);
    unlink(x->path);
    free(x);
}

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

void xlsx_reply(xlsx *x, request *r, const char *filename)
{
    lxw_error err = workbook_close(x->wb);
    x->wb = NULL;
    int fd = err == LXW_NO_ERROR ? open(x->path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(x->path);   /* the open descriptor keeps the data until MHD has sent it */
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0) close(fd);
        free(x);
        reply_error(r, 500, "internal", NULL, "导出失败 / export failed");
        return;
    }
    free(x);
    if (r->response) MHD_destroy_response(r->response);
    r->response = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    r->status = 200;
    r->response_bytes = (size_t)st.st_size;
    char cd[512];
    disposition(filename, cd, sizeof cd);
    MHD_add_response_header(r->response, "Content-Type",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    MHD_add_response_header(r->response, "Content-Disposition", cd);
    MHD_add_response_header(r->response, "Cache-Control", "no-store");
}
