/* xlsx_read.h - the first worksheet of an uploaded .xlsx as rows of text cells, for imports
 * (students, volunteers). libzip opens the archive, expat parses the XML.
 *
 * An upload is hostile until read: the file must be a zip holding a workbook; no entry may
 * inflate past XLSX_MAX_ENTRY bytes nor all of them together past XLSX_MAX_TOTAL, counted while
 * inflating (a zip's declared sizes are not trusted), so a zip bomb stops early; rows past
 * max_rows are refused. Every cell is UTF-8 text as shown (numbers as written in the file).
 * Memory: the sheet and its strings live in the given arena. */
#ifndef KEPU_XLSX_READ_H
#define KEPU_XLSX_READ_H
#include "core/arena.h"
#include <stddef.h>

#define XLSX_MAX_ENTRY (64u * 1024 * 1024)
#define XLSX_MAX_TOTAL (128u * 1024 * 1024)
#define XLSX_MAX_COLS 64

typedef struct xlsx_sheet {
    int nrows;                 /* rows up to the last that holds a value */
    int ncols;                 /* the widest row */
    const char ***rows;        /* rows[r][c], NULL for an empty cell; r and c from 0 */
} xlsx_sheet;

/* 0 on success; -1 with *error set to a short bilingual reason ("不是 xlsx 文件 / not an xlsx
 * file", "文件解压后过大 / ...") that may be shown to the user. */
int xlsx_read_file(const char *path, arena *a, int max_rows, xlsx_sheet *out, const char **error);

/* The cell's text, "" for an empty or absent cell. */
const char *xlsx_cell(const xlsx_sheet *s, int row, int col);

#endif
