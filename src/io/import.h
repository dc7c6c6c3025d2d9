/* import.h - the runner shared by the Excel imports (students, volunteers): the template
 * download, the request's org_id / commit / upload, the workbook read with its header row mapped
 * to columns, and the rows checked one by one with a per-row error report; without commit
 * nothing is written (the dry run), with commit the valid rows are written in one transaction.
 * The module gives the columns, the messages and two callbacks: check a row, write a row.
 * Each reader below replies 4xx itself and returns false when the request cannot go on.
 * Memory: the sheet lives in the request's arena; xlsx_import_run() and xlsx_import_reply()
 * release the error report. */
#ifndef KEPU_XLSX_IMPORT_H
#define KEPU_XLSX_IMPORT_H
#include "db/db.h"
#include "docs/xlsx_read.h"
#include "core/jsonw.h"
#include "http/request.h"
#include <stdbool.h>
#include <stdint.h>

#define XLSX_IMPORT_MAX_ROWS 5000
#define XLSX_IMPORT_BLANK 100    /* check(): the row is blank, skip it silently */

/* The template: one sheet with the headers and one example row. */
void xlsx_import_template(request *r, const char *sheet, const char *const *headers, int ncols,
                          const char *const *example, const char *filename);
/* ?org_id= (required: 422 with org_message), ?commit=1, and an uploaded file. */
bool xlsx_import_params(request *r, const char *org_message, int64_t *org_id, bool *commit);
/* The upload's first sheet and where each header is (col[i], -1 when absent). Refused whole:
 * not a workbook, 422 invalid_field "file"; a DOCTYPE in any part, 422 doctype_refused "file";
 * past one of the reader's limits (xlsx_read.h), 422 workbook_too_large with the field naming
 * it ("max_rows", "max_cells", "max_cell_chars", "max_shared_strings", "max_inflated_bytes",
 * "memory_budget"); the request's memory spent, 503 out_of_memory. The first nrequired headers
 * must all be there, else 422 invalid_field "file" with missing_message. */
bool xlsx_import_read(request *r, const char *const *headers, int ncols, int nrequired,
                      const char *missing_message, xlsx_sheet *sheet, int *col);

typedef struct xlsx_import xlsx_import;
struct xlsx_import {
    const xlsx_sheet *sheet;
    bool commit;
    /* Reads sheet row `row` (1 = the first below the headers) into the module's state: DB_OK with
     * *field and *message naming the first problem (left NULL when the row is valid),
     * XLSX_IMPORT_BLANK for a blank line, or a DB code that stops the import. */
    int (*check)(db *c, xlsx_import *im, int row, const char **field, const char **message);
    /* Writes the row last checked valid (only with commit). DB_OK or a code that stops it. */
    int (*write)(db *c, xlsx_import *im);
    void *cls;                 /* the module's state */
    jw errors;                 /* [{row, field, message}] with the Excel row number */
    int64_t valid, imported;
    struct xlsx_import_keys *keys;   /* the runner's: what xlsx_import_repeated() has seen */
};

/* Checks every row and, with commit, writes the valid ones inside one transaction. DB_OK (the
 * report kept for xlsx_import_reply) or the code that stopped it (the report released). */
int xlsx_import_run(db *c, xlsx_import *im);
/* For check(): whether an earlier row of this run gave the same key (the same phone or ID number
 * twice in one file), remembering it. Call it for every non-blank row, valid or not, so that a
 * later row repeating an invalid one is told too. An empty key is never repeated. One hash look-up
 * a row: comparing with every earlier row was quadratic in the file. */
bool xlsx_import_repeated(xlsx_import *im, const char *key);
/* 200 {rows, valid, imported, committed, errors}; releases the report. */
void xlsx_import_reply(request *r, xlsx_import *im);

#endif
