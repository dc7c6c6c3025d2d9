/* errors.h - a module's error table: each of its codes (negative ints its model functions
 * return) with the HTTP status, docs/api.md's error code, the field it names and the message.
 * One table per module replaces a switch; http/reply.h's reply_error_row() answers from it, and
 * the message catalog (GET /api/v1/messages) lists its messages.
 * Tables are static, ended by a row whose rc is 0. */
#ifndef KEPU_ERRORS_H
#define KEPU_ERRORS_H

typedef struct error_row {
    int rc;                 /* the module's code; 0 ends the table */
    int status;             /* 404, 409, 422 ... */
    const char *code;       /* "not_found", "duplicate", "wrong_state" ... */
    const char *field;      /* the field the error is about, or NULL */
    const char *message;    /* "中文 / English" */
} error_row;

/* The row for rc, or NULL. */
const error_row *error_row_find(const error_row *table, int rc);

#endif
