/* import.h - the runner shared by the Excel imports (students, volunteers, activities, teachers,
 * organizations), each declared by an xlsx_import_spec: the
 * template download, the request's org_id / commit / upload, the workbook read with its header row
 * mapped to columns, and the rows checked one by one with a per-row error report; without commit
 * nothing is written (the dry run), with commit the valid rows are written in one transaction.
 * The module gives the columns (xlsx_import_col), the messages and two callbacks: check a row
 * (reporting every problem of it), write a row.
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

/* One column of an import, as the template shows it and the reader finds it. */
typedef struct xlsx_import_col {
    const char *header;          /* the template's header */
    const char *synonyms;        /* other headers meaning it, '|'-separated ("身份证号码|证件号码"), or NULL */
    bool required;               /* the file is refused without it */
    bool text;                   /* formatted as text in the template (ID numbers, phones: Excel
                                  * would turn 18 digits into 1.10105E+17) */
    const char *const *choices;  /* the drop-down list (NULL-terminated), or NULL */
    const char *note;            /* what to write, for the instructions sheet */
    const char *example;         /* the example (on the instructions sheet only, never imported) */
} xlsx_import_col;

/* The template: the sheet `sheet` with the headers only (text columns formatted as text, a
 * drop-down on each column with choices), an instructions sheet 填写说明 listing every column
 * with whether it is required, its note, its choices and the example row, and a hidden sheet 选项
 * holding the lists. */
void xlsx_import_template(request *r, const char *sheet, const xlsx_import_col *cols, int ncols, const char *filename);
/* ?org_id= (required: 422 with org_message), ?commit=1, and an uploaded file. */
bool xlsx_import_params(request *r, const char *org_message, int64_t *org_id, bool *commit);
/* The upload's first sheet and where each column is (col[i], -1 when absent). Every cell is
 * trimmed (spaces, full-width spaces, tabs). Headers match forgivingly: spaces anywhere
 * (full-width too) are ignored, and the column's synonyms or the runner's common ones
 * (身份证号码 → 身份证号, 手机号码 → 手机号...) are accepted. Refused whole: not a workbook, 422
 * invalid_field "file"; a DOCTYPE in any part, 422 doctype_refused "file"; more rows than
 * XLSX_IMPORT_MAX_ROWS, 422 workbook_too_large "max_rows" stating the limit; past another of the
 * reader's limits (xlsx_read.h), 422 workbook_too_large with the field naming it; the request's
 * memory spent, 503 out_of_memory; a required column missing, 422 invalid_field "file" with
 * missing_message; a header that is none of the columns, 422 unknown_column "file" naming it
 * (its data would otherwise be lost silently). */
bool xlsx_import_read(request *r, const xlsx_import_col *cols, int ncols, const char *missing_message,
                      xlsx_sheet *sheet, int *col);

typedef struct xlsx_import xlsx_import;
struct xlsx_import {
    const xlsx_sheet *sheet;
    bool commit;
    /* Reads sheet row `row` (1 = the first below the headers) into the module's state and reports
     * each of its problems with xlsx_import_error(): DB_OK (the row is valid when it reported
     * none), XLSX_IMPORT_BLANK for a blank line, or a DB code that stops the import. */
    int (*check)(db *c, xlsx_import *im, int row);
    /* Writes the row last checked valid (only with commit). DB_OK or a code that stops it. */
    int (*write)(db *c, xlsx_import *im);
    void *cls;                 /* the module's state */
    jw errors;                 /* [{row, field, message}] with the Excel row number */
    int64_t valid, imported;
    int row_errors;            /* the runner's: problems reported for the current row */
    int row;                   /* the runner's: the current row */
    struct xlsx_import_keys *keys;   /* the runner's: what xlsx_import_repeated() has seen */
};

/* For check(): one problem of the current row (field names the column, message is bilingual and
 * never holds the cell's value). */
void xlsx_import_error(xlsx_import *im, const char *field, const char *message);
/* Whether check() has reported a problem of the current row yet. */
bool xlsx_import_row_bad(const xlsx_import *im);
/* A yes/no cell: 是/否, Y/N, YES/NO, TRUE/FALSE, 1/0 (any case); "" is *out = dflt. False for
 * anything else (the row's error). */
bool xlsx_import_yesno(const char *text, bool dflt, bool *out);
/* A list cell "a、b,c，d；e" -> ["a","b","c","d","e"] as JSON text in a; map (pairs of label, code)
 * translates each item when given. Items of 1..item_chars (at most 30) characters, at most
 * max_items of them. NULL when an item is too long, not in the map, or too many. */
const char *xlsx_import_list(arena *a, const char *text, const char *const (*map)[2], size_t nmap, int item_chars,
                             int max_items);
/* Checks every row and, with commit, writes the valid ones inside one transaction. DB_OK (the
 * report kept for xlsx_import_reply) or the code that stopped it (the report released). */
int xlsx_import_run(db *c, xlsx_import *im);
/* For check(): whether an earlier row of this run gave the same key (the same phone or ID number
 * twice in one file), remembering it. Call it for every non-blank row, valid or not, so that a
 * later row repeating an invalid one is told too. An empty key is never repeated. One hash look-up
 * a row: comparing with every earlier row was quadratic in the file. */
bool xlsx_import_repeated(xlsx_import *im, const char *key);
/* Whether an earlier row remembered key (with xlsx_import_repeated), without remembering it. */
bool xlsx_import_seen(const xlsx_import *im, const char *key);
/* 200 {rows, valid, imported, committed, errors}; releases the report. */
void xlsx_import_reply(request *r, xlsx_import *im);

/* ---- An import declared: POST .../import served by xlsx_import_route ---- */
/* What the runner gives every row: a module's row state starts with it (im->cls points there). */
typedef struct xlsx_import_ctx {
    request *r;
    const int *col;             /* col[i]: the sheet's column of cols[i], -1 when absent */
    int64_t org_id;             /* the unit the rows go to, in the caller's scope */
    const char *org_path;
    int nrows;                  /* the sheet's rows, the header row included */
} xlsx_import_ctx;

typedef struct xlsx_import_spec {
    const char *org_message;    /* 422 "org_id" when ?org_id= is missing */
    int org_not_found;          /* the module's code for an org_id missing or outside the scope */
    const xlsx_import_col *cols;
    int ncols;
    const char *missing_message;    /* a required column missing */
    size_t state_size;          /* the module's row state (zeroed, in the request's arena) */
    /* Optional, once before the rows (the unit's type, dictionaries): DB_OK or a module code. */
    int (*prepare)(db *c, void *state);
    int (*check)(db *c, xlsx_import *im, int row);
    int (*write)(db *c, xlsx_import *im);
} xlsx_import_spec;

/* The route handler of every import: its route's .cls is the xlsx_import_spec, its .entity answers
 * the module's codes. The order: ?org_id= and the upload, the unit in the caller's scope (a dry
 * run for a unit elsewhere tells nothing), the workbook read, prepare(), the rows, the report. */
void xlsx_import_route(request *r);

#endif
