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
    lxw_format *bold, *title, *date, *time, *decimal;
    char path[64];
    lxw_row_t row;
    lxw_row_t first_data;        /* the first row under the headers */
    int ncols;
    double sums[XLSX_MAX_COLS_OUT];   /* what the totals row shows, column by column */
};

bool xlsx_formula_like(const char *s)
{
    return s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r');
}

void xlsx_sheet_name(const char *in, char *out)
{
    size_t o = 0, chars = 0;
    const unsigned char *p = (const unsigned char *)(in ? in : "");
    while (*p == '\'') p++;
    while (*p && chars < LXW_SHEETNAME_MAX) {
        size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
        if (strnlen((const char *)p, len) < len || o + len >= XLSX_SHEET_NAME_SIZE) break;   /* a cut sequence */
        if (len == 1 && strchr(":\\/?*[]", *p)) out[o++] = '_';
        else memcpy(out + o, p, len), o += len;
        p += len;
        chars++;
    }
    while (o && out[o - 1] == '\'') o--;
    out[o] = 0;
    if (!o) strcpy(out, "Sheet1");
}

static lxw_format *number_format(lxw_workbook *wb, const char *fmt, bool bold)
{
    lxw_format *f = workbook_add_format(wb);
    if (fmt) format_set_num_format(f, fmt);
    if (bold) format_set_bold(f);
    return f;
}

xlsx *xlsx_open_table(const char *sheet, const char *title, const xlsx_col *cols, int ncols)
{
    if (ncols < 1 || ncols > XLSX_MAX_COLS_OUT) return NULL;
    xlsx *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    snprintf(x->path, sizeof x->path, "/tmp/kepu-xlsx-XXXXXX");
    int fd = mkstemp(x->path);
    if (fd < 0) { free(x); return NULL; }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
    char name[XLSX_SHEET_NAME_SIZE];
    xlsx_sheet_name(sheet, name);
    x->wb = workbook_new_opt(x->path, &opt);
    x->ws = x->wb ? workbook_add_worksheet(x->wb, name) : NULL;
    if (!x->ws) { xlsx_abort(x); return NULL; }
    x->bold = number_format(x->wb, NULL, true);
    x->title = number_format(x->wb, NULL, true);
    format_set_font_size(x->title, 13);
    /* Chinese date formats; the quoted characters are literal text of the format */
    x->date = number_format(x->wb, "yyyy\"年\"m\"月\"d\"日\"", false);
    x->time = number_format(x->wb, "yyyy\"年\"m\"月\"d\"日\" hh:mm", false);
    x->decimal = number_format(x->wb, "0.0", false);
    x->ncols = ncols;
    for (int c = 0; c < ncols; c++)
        worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width > 0 ? cols[c].width : 14, NULL);
    if (title) worksheet_write_string(x->ws, x->row++, 0, title, x->title);
    for (int c = 0; c < ncols; c++) worksheet_write_string(x->ws, x->row, (lxw_col_t)c, cols[c].header, x->bold);
    x->row++;
    x->first_data = x->row;
    worksheet_freeze_panes(x->ws, x->first_data, 0);
    return x;
}

xlsx *xlsx_open(const char *sheet, const char *const *headers, int ncols)
{
    xlsx_col cols[XLSX_MAX_COLS_OUT];
    if (ncols < 1 || ncols > XLSX_MAX_COLS_OUT) return NULL;
    for (int c = 0; c < ncols; c++) cols[c] = (xlsx_col){headers[c], c == 0 ? 28 : 14};
    return xlsx_open_table(sheet, NULL, cols, ncols);
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

void xlsx_code(xlsx *x, int col, const char *v, const char *const *codes, const char *const *labels)
{
    for (int i = 0; v && codes[i]; i++)
        if (!strcmp(v, codes[i])) { xlsx_text(x, col, labels[i]); return; }
    xlsx_text(x, col, v);
}

static void number(xlsx *x, int col, double v, lxw_format *f)
{
    if (col >= 0 && col < x->ncols) x->sums[col] += v;
    worksheet_write_number(x->ws, x->row, (lxw_col_t)col, v, f);
}

void xlsx_int(xlsx *x, int col, int64_t v) { number(x, col, (double)v, NULL); }

void xlsx_decimal(xlsx *x, int col, double v) { number(x, col, v, x->decimal); }

/* "YYYY-MM-DD" at s into d; false unless it is one. */
static bool parse_day(const char *s, lxw_datetime *d)
{
    char tail;
    memset(d, 0, sizeof *d);
    if (!s || strlen(s) < 10 || sscanf(s, "%4d-%2d-%2d%c", &d->year, &d->month, &d->day, &tail) < 3) return false;
    return s[4] == '-' && s[7] == '-' && d->year >= 1900 && d->month >= 1 && d->month <= 12 && d->day >= 1 && d->day <= 31;
}

void xlsx_date(xlsx *x, int col, const char *day)
{
    lxw_datetime d;
    if (day && strlen(day) == 10 && parse_day(day, &d)) worksheet_write_datetime(x->ws, x->row, (lxw_col_t)col, &d, x->date);
    else xlsx_text(x, col, day);
}

void xlsx_time(xlsx *x, int col, const char *t)
{
    lxw_datetime d;
    int h, m;
    double sec;
    /* the wall-clock time as recorded (the offset says where: Shanghai for this server's users) */
    if (t && parse_day(t, &d) && (t[10] == 'T' || t[10] == ' ') && sscanf(t + 11, "%2d:%2d:%lf", &h, &m, &sec) == 3 &&
        h >= 0 && h < 24 && m >= 0 && m < 60 && sec >= 0 && sec < 61) {
        d.hour = h, d.min = m, d.sec = (double)(int)sec;
        worksheet_write_datetime(x->ws, x->row, (lxw_col_t)col, &d, x->time);
    } else {
        xlsx_text(x, col, t);
    }
}

void xlsx_next_row(xlsx *x) { x->row++; }

double xlsx_column_sum(const xlsx *x, int col) { return col >= 0 && col < x->ncols ? x->sums[col] : 0; }

void xlsx_totals_row(xlsx *x, const char *label, int first_col) { xlsx_totals_cols(x, label, first_col, x->ncols); }

void xlsx_totals_cols(xlsx *x, const char *label, int first_col, int end_col)
{
    worksheet_write_string(x->ws, x->row, 0, label, x->bold);
    for (int c = first_col; c < end_col && c < x->ncols; c++) {
        if (x->row == x->first_data) {          /* no data rows: no range to sum */
            worksheet_write_number(x->ws, x->row, (lxw_col_t)c, 0, x->bold);
            continue;
        }
        char col[4], formula[64];
        lxw_col_to_name(col, (lxw_col_t)c, LXW_FALSE);
        snprintf(formula, sizeof formula, "=SUM(%s%u:%s%u)", col, (unsigned)x->first_data + 1, col, (unsigned)x->row);
        /* the computed value with the formula: Calc shows the saved result without recalculating */
        worksheet_write_formula_num(x->ws, x->row, (lxw_col_t)c, formula, x->bold, x->sums[c]);
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
