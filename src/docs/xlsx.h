/* xlsx.h - Excel workbooks for download, written row by row in libxlsxwriter's constant-memory
 * mode into an unlinked temporary file, so a sheet of any length costs the server a few rows of
 * memory. Text that a spreadsheet would run as a formula (= + - @ first) is neutralized.
 *
 * A sheet as staff expect it: an optional title row saying what was exported (the filter), then
 * the bold header row (frozen with the title), columns as wide as their content, numbers as
 * numbers, days and times as date cells with a Chinese date format, and totals rows whose SUM()
 * formulas carry their computed value (LibreOffice does not recalculate an Excel file on load).
 *
 * Ownership: xlsx_open() returns a writer that xlsx_finish() (or io/export.h's xlsx_reply())
 * or xlsx_abort() releases. A document format: it knows no HTTP. */
#ifndef KEPU_XLSX_H
#define KEPU_XLSX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct xlsx xlsx;

#define XLSX_MAX_COLS_OUT 64          /* columns a writer keeps totals for */
#define XLSX_SHEET_NAME_SIZE 128      /* 31 characters of UTF-8 and the NUL */

/* A column: its header and width in characters (0: 14). */
typedef struct xlsx_col {
    const char *header;
    int width;
} xlsx_col;

/* A workbook with one sheet: the title (NULL: none) in the first row, then the headers (bold,
 * frozen with the title). The sheet's name goes through xlsx_sheet_name(). NULL on error. */
xlsx *xlsx_open_table(const char *sheet, const char *title, const xlsx_col *cols, int ncols);
/* The same without a title; the first column 28 wide, the others 14. */
xlsx *xlsx_open(const char *sheet, const char *const *headers, int ncols);

void xlsx_text(xlsx *x, int col, const char *s);
/* The label of code v: labels[i] for codes[i] (both in one order; codes NULL-terminated), v
 * itself when it is no code (an export shows words, never a raw code). */
void xlsx_code(xlsx *x, int col, const char *v, const char *const *codes, const char *const *labels);
void xlsx_int(xlsx *x, int col, int64_t v);
/* A number shown with one decimal (hours). */
void xlsx_decimal(xlsx *x, int col, double v);
/* A day "YYYY-MM-DD" as a date cell shown 2026年5月18日; anything else is written as text. */
void xlsx_date(xlsx *x, int col, const char *day);
/* An RFC 3339 time ("2026-12-06T13:42:18+08:00") as a date cell of its wall-clock time shown
 * 2026年12月6日 13:42; anything else is written as text. */
void xlsx_time(xlsx *x, int col, const char *rfc3339);
void xlsx_next_row(xlsx *x);
/* A bold totals row: label in the first column, for each column in [first_col, ncols) a
 * SUM() over the data rows saved with the sum of the numbers written there (so a spreadsheet
 * that does not recalculate shows it too). */
void xlsx_totals_row(xlsx *x, const char *label, int first_col);
/* The same for the columns [first_col, end_col) only. */
void xlsx_totals_cols(xlsx *x, const char *label, int first_col, int end_col);
/* The sum of the numbers written in col so far (what the totals row shows). */
double xlsx_column_sum(const xlsx *x, int col);
/* Closes the workbook and releases x: an open descriptor of the file (already unlinked, so
 * it goes when closed), or -1 on error. io/export.h's xlsx_reply() sends it. */
int xlsx_finish(xlsx *x);
void xlsx_abort(xlsx *x);
/* Whether text would start a formula in a spreadsheet (exposed for unit tests). */
bool xlsx_formula_like(const char *s);
/* A name Excel accepts for a sheet, into out (XLSX_SHEET_NAME_SIZE bytes): each of : \ / ? * [ ]
 * becomes '_', a leading or trailing apostrophe goes, at most 31 characters (UTF-8 kept whole);
 * "Sheet1" when nothing is left. The one place sheet names are made safe. */
void xlsx_sheet_name(const char *in, char *out);

#endif
