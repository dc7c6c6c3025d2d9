/* xlsx.c - streamed Excel output (see xlsx.h). */
#include "docs/xlsx.h"
#include <fcntl.h>
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

int xlsx_finish(xlsx *x)
{
    lxw_error err = workbook_close(x->wb);
    x->wb = NULL;
    int fd = err == LXW_NO_ERROR ? open(x->path, O_RDONLY | O_CLOEXEC) : -1;
    unlink(x->path);   /* the open descriptor keeps the data until it has been read */
    free(x);
    return fd;
}
