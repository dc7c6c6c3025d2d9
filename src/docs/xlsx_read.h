/* xlsx_read.h - the first worksheet of an uploaded .xlsx as rows of text cells, for imports
 * (students, volunteers). libzip opens the archive, expat parses the XML as it inflates.
 *
 * An upload is hostile until read:
 * - the file must be a zip holding a workbook of at most max_parts entries (counted from the zip's
 *   end record before libzip reads its directory); a DOCTYPE in any part of it is refused (no part
 *   of a workbook has one, and it is what entity expansion and external entities need);
 * - the inflated bytes of all parts together are counted while inflating (a zip's declared sizes
 *   are not trusted), so a zip bomb stops at max_inflated;
 * - a cell or shared string holds at most max_cell_chars characters (Excel's own 32,767), the
 *   sheet at most max_cells cells with a value and max_rows rows, the workbook at most
 *   max_shared_strings shared strings;
 * - every byte the reader allocates (the sheet, its strings, the XML parser's own memory) is
 *   charged to a budget: past it the read stops.
 * Shared strings are kept once: the cells that refer to one point at the same copy.
 * Every cell is UTF-8 text as shown (numbers as written in the file).
 * Memory: the sheet and its strings live in the given arena (nothing to free); a failed
 * allocation there (the arena's own limit) ends the read with XLSX_READ_NO_MEMORY. */
#ifndef KEPU_XLSX_READ_H
#define KEPU_XLSX_READ_H
#include "core/arena.h"
#include <stddef.h>

#define XLSX_MAX_TOTAL (64u * 1024 * 1024)   /* default max_inflated */
#define XLSX_MAX_COLS 64                      /* columns past this are ignored */

typedef struct xlsx_sheet {
    int nrows;                 /* rows up to the last that holds a value */
    int ncols;                 /* the widest row */
    const char ***rows;        /* rows[r][c], NULL for an empty cell; r and c from 0 */
} xlsx_sheet;

typedef struct xlsx_limits {
    size_t max_cells;          /* cells holding a value */
    size_t max_cell_chars;     /* characters (not bytes) of one cell or shared string */
    size_t max_shared_strings;
    size_t max_inflated;       /* bytes inflated from the archive, all parts together */
    size_t budget;             /* bytes the reader may allocate */
    size_t max_parts;          /* entries of the zip, read from its end record before libzip
                                * loads the central directory (~290 bytes of memory an entry) */
} xlsx_limits;

/* What xlsx_read_file() uses: 200,000 cells, 32,767 characters, 200,000 shared strings,
 * 64 MiB inflated, a 64 MiB budget, 10,000 parts (a workbook has a few dozen). */
#define XLSX_LIMITS_DEFAULT {200000, 32767, 200000, XLSX_MAX_TOTAL, 64u * 1024 * 1024, 10000}

enum xlsx_read_status {
    XLSX_READ_OK = 0,
    XLSX_READ_NOT_XLSX,        /* not a zip, no workbook, malformed XML */
    XLSX_READ_DOCTYPE,         /* a DOCTYPE in some part */
    XLSX_READ_TOO_LARGE,       /* a limit passed: .limit names it */
    XLSX_READ_NO_MEMORY,       /* the arena (or malloc) failed: the server's problem, not the file's */
};

typedef struct xlsx_read_result {
    enum xlsx_read_status status;
    /* TOO_LARGE: "max_rows", "max_cells", "max_cell_chars", "max_shared_strings",
     * "max_inflated_bytes", "memory_budget" or "max_parts"; NULL otherwise. A static string. */
    const char *limit;
    const char *message;       /* bilingual, may be shown to the user; NULL when OK. Static. */
    size_t budget_used;        /* the most the reader held at once, bytes */
    size_t inflated;           /* bytes inflated */
} xlsx_read_result;

/* Reads the first worksheet under the given limits (NULL: XLSX_LIMITS_DEFAULT); rows past
 * max_rows are refused as "max_rows". 0 on success, -1 with res telling why. */
int xlsx_read(const char *path, arena *a, const xlsx_limits *limits, int max_rows, xlsx_sheet *out,
              xlsx_read_result *res);

/* The same with the default limits. 0 on success; -1 with *error set to a short bilingual reason
 * ("不是 xlsx 文件 / not an xlsx file", "文件解压后过大 / ...") that may be shown to the user. */
int xlsx_read_file(const char *path, arena *a, int max_rows, xlsx_sheet *out, const char **error);

/* The cell's text, "" for an empty or absent cell. */
const char *xlsx_cell(const xlsx_sheet *s, int row, int col);

#endif
