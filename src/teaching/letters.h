/* letters.h - appointment letters (聘书) of certified teachers: issued inside the certifying
 * transaction with a serial number from the issuer's yearly counter, a random verification code
 * anyone can check at <KEPU_PUBLIC_URL>/verify/letters/<code>, and a PDF drawn on request.
 * Strings of a returned letter live in the given arena. */
#ifndef KEPU_LETTERS_H
#define KEPU_LETTERS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "core/jsonw.h"
#include <stddef.h>
#include <stdint.h>

#define LETTER_DEFAULT_PATTERN "渝科普大聘〔{year}〕第{seq:04}号"
#define LETTER_CODE_BYTES 16

typedef struct letter {
    int64_t id, teacher_id, issuer_org_id, year, seq;
    const char *org_path, *issuer_name, *teacher_name, *serial, *code, *term_from, *term_to;
    const char *status;          /* valid | revoked | expired (term_to before today) */
    const char *issued_at;
} letter;

/* Formats a serial pattern: {year} is the year, {seq} the number, {seq:0N} the number padded
 * with zeros to N digits (N 1..9). Any other brace is an error. Returns 0, or -1 when the pattern
 * is malformed or out is too small. */
int letters_format_serial(const char *pattern, int year, int64_t seq, char *out, size_t outlen);
/* <KEPU_PUBLIC_URL or http://127.0.0.1:8080>/verify/letters/<code>, in the arena. */
const char *letters_verify_url(arena *a, const char *code);

/* Issues a letter inside the caller's transaction: next serial of issuer for the year of today,
 * a new code, term of term_years from today. Audited as entity teacher_letter. */
int letters_issue(db *c, const principal *p, arena *a, int64_t teacher_id, const char *teacher_path,
                  const char *teacher_name, int64_t issuer_org_id, const char *issuer_name, int term_years,
                  letter *out);
/* Revokes a teacher's letters (inside the caller's transaction). */
int letters_revoke_all(db *c, int64_t teacher_id);
/* The declared record (model/entity.h); a valid letter past its term reads as expired. */
extern struct entity letter_entity;
/* The newest valid letter of a teacher; TCH_NO_LETTER when none. */
int letters_latest(db *c, arena *a, int64_t teacher_id, letter *out);
/* Public: the letter with this code, with no scope (the code is the secret). TCH_NOT_FOUND. */
int letters_by_code(db *c, arena *a, const char *code, letter *out);

/* Draws the letter as an A4 PDF (letter_pdf.c): *out is malloc'd (caller frees). 0 or -1. */
int letters_render_pdf(const letter *l, const char *verify_url, char **out, size_t *len);

#endif
