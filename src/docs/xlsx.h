/* xlsx.h - Excel workbooks for download, written row by row in libxlsxwriter's constant-memory
 * mode into an unlinked temporary file, so a sheet of any length costs the server a few rows of
 * memory. Text that a spreadsheet would run as a formula (= + - @ first) is neutralized.
 * Ownership: xlsx_open() returns a writer that xlsx_finish() (or io/export.h's xlsx_reply())
 * or xlsx_abort() releases. A document format: it knows no HTTP. */
#ifndef KEPU_XLSX_H
#define KEPU_XLSX_H
#include <stdbool.h>
#include <stdint.h>

typedef struct xlsx xlsx;

/* A workbook with one sheet whose first row holds the headers (bold, frozen). NULL on error. */
xlsx *xlsx_open(const char *sheet, const char *const *headers, int ncols);
void xlsx_text(xlsx *x, int col, const char *s);
void xlsx_int(xlsx *x, int col, int64_t v);
void xlsx_next_row(xlsx *x);
/* A bold totals row: label in the first column, SUM() over the data rows for each column in
 * [first_col, ncols). */
void xlsx_totals_row(xlsx *x, const char *label, int first_col);
/* Closes the workbook and releases x: an open descriptor of the file (already unlinked, so
 * it goes when closed), or -1 on error. io/export.h's xlsx_reply() sends it. */
int xlsx_finish(xlsx *x);
void xlsx_abort(xlsx *x);
/* Whether text would start a formula in a spreadsheet (exposed for unit tests). */
bool xlsx_formula_like(const char *s);

#endif
