/* teachers.h - the teacher pool (师资库) of the community science university (docs/domain.md §2.1)
 * and its certification chain:
 *
 *     draft --propose--> proposed --certify--> certified --file--> filed --city_pool--> city_pool
 *                           \--return (reason)--> returned --propose--> proposed ...
 *     any but retired --retire (delete)--> retired
 *
 * A point or its district proposes; an upper level of the teacher's unit (an org_admin of a
 * district, or the city) certifies or returns; certification issues the appointment letter
 * (聘书, below); the city (org_admin at the root) files it (报总校备案) and may take the
 * teacher into the city pool (市级师资库). Every step is kept (who, which unit, when, why).
 *
 * Personal numbers: the ID number (GB 11643) and phone are stored with pii_encrypt and found by
 * pii_blind; the model holds them in clear only in memory, and every written form masks them.
 * Every function takes the caller's principal; teachers outside its scope do not exist.
 * Strings of a returned teacher live in the given arena. */
#ifndef KEPU_TEACHERS_H
#define KEPU_TEACHERS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "core/jsonw.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    TCH_NOT_FOUND = -600,
    TCH_ORG_NOT_FOUND = -601,     /* the owner org is outside scope */
    TCH_DUPLICATE_ID = -602,      /* the ID number is already in the pool */
    TCH_WRONG_STATE = -603,       /* the step does not apply to the teacher's status */
    TCH_NOT_UPPER = -604,         /* only an upper level (district or city) of the teacher's unit */
    TCH_NOT_CITY = -605,          /* only the city (org_admin at the root) */
    TCH_NO_LETTER = -606,         /* no valid appointment letter */
    TCH_DUPLICATE = -607,         /* already nominated that year */
    TCH_BAD_PATTERN = -608,       /* the serial pattern configured cannot be formatted */
    TCH_NOT_DISTRICT = -609,      /* only a district (or the city) nominates */
    TCH_NO_TEACHER = -610,        /* a nomination's teacher_id: missing or outside scope */
};

typedef struct teacher {
    int64_t id, org_id, created_by;
    const char *org_path, *org_name, *name, *gender, *unit, *title;
    const char *specialties, *topics;     /* JSON array text */
    const char *id_number, *phone;        /* in clear, in memory only; phone may be NULL */
    const char *pool_level, *status, *created_at, *updated_at;
} teacher;

extern const char *const teacher_statuses[];      /* NULL-terminated */
extern const char *const teacher_pool_levels[];   /* NULL-terminated */

/* The declared records (model/entity.h): a teacher (its JSON masks the numbers) and a step of its
 * chain (teacher_chain.c, read through its teacher). */
extern struct entity teacher_entity, teacher_step_entity;
/* in (a teacher) holds every field (id_number required); out (a teacher) receives the stored
 * record. The entity's create hook (teachers.c has update and retire). */
int teachers_create(db *c, const principal *p, arena *a, const void *in, void *out);

/* One step of the chain (teacher_chain.c): action is "propose", "certify", "return", "file" or
 * "city_pool"; reason is required for "return" (checked by the caller), optional otherwise.
 * term_years (certify only, 1..5) is the letter's term. */
int teachers_step(db *c, const principal *p, arena *a, int64_t id, const char *action, const char *reason,
                  int term_years, teacher *out);
/* A title that carries a teacher into the city pool (issue 15 J: excellent_teacher), in the
 * caller's transaction: the chain's own city_pool step (checked, recorded and audited as that
 * step is) for a filed teacher when p is the city; a teacher already in the pool, not filed, or a
 * grantor below the city leaves the teacher as it is (DB_OK). */
int teachers_city_pool_by_title(db *c, const principal *p, arena *a, int64_t id, const char *reason);

/* A teacher's page: {"teacher", "steps", "letters", "selections", "sections": {...}}. Other
 * modules (courses, hours, attendance, ratings) add their own sections: a section writer
 * writes one JSON value for the teacher (already visible to p) and returns DB_OK or an error. */
typedef int (*teacher_section_fn)(db *c, const principal *p, arena *a, const teacher *t, jw *w);
/* name: a static string, the key under "sections". At start-up only (not thread-safe). */
void teachers_register_section(const char *name, teacher_section_fn fn);

/* For selection.c and letters.c: whether the caller is an org_admin of the root; DB_OK when it
 * is an admin or an org_admin of a district (or the city) above path (strict: a proper ancestor,
 * else also at it), else refused; the nearest district (or the root) above or at a path (*out). */
struct org;
bool teachers_caller_is_city(const principal *p);
int teachers_district_admin(db *c, const principal *p, arena *a, const char *path, bool strict, int refused);
int teachers_district_of(db *c, arena *a, const char *org_path, struct org *out);

void teachers_init(void);
void teachers_register_routes(void);

/* ---- appointment letters (letters.c, letter_pdf.c) ----
 * Issued inside the certifying transaction with a serial number from the issuer's yearly counter,
 * a random verification code anyone can check at <KEPU_PUBLIC_URL>/verify/letters/<code>, and a
 * PDF drawn on request. Strings of a returned letter live in the given arena. */
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
/* <public base (http/public_url.h)>/verify/letters/<code>, in r's arena. */
struct request;
const char *letters_verify_url(struct request *r, const char *code);

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

/* ---- the excellent-teacher selection (selection.c) ----
 * Yearly (优秀教师评选): a district (org_admin) nominates certified teachers of its subtree with a
 * reason; the city (org_admin at the root) approves or rejects each nomination; results are listed
 * by year. A nomination is visible where its teacher is. Strings of a returned selection live in
 * the given arena. */
typedef struct selection {
    int64_t id, year, teacher_id, nominator_org_id;
    const char *teacher_name, *teacher_org_name, *teacher_unit, *teacher_title, *nominator_org_name;
    const char *org_path, *reason, *status, *decision_reason, *nominated_at, *decided_at;
} selection;

extern const char *const selection_statuses[];   /* nominated, approved, rejected; NULL */
/* The declared record (model/entity.h); its errors are the teacher pool's (teacher_errors), its
 * create hook the nomination (in and out selections; in: year, teacher_id, reason). */
extern struct entity selection_entity;
int selections_nominate(db *c, const principal *p, arena *a, const void *in, void *out);
/* approve: true approves, false rejects; reason optional. */
int selections_decide(db *c, const principal *p, arena *a, int64_t id, bool approve, const char *reason,
                      selection *out);

#endif
