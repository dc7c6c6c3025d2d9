/* results.h - package C of the calls engine (issue 15): results and titles. Decisions on
 * entries (decisions.c), the 公示 window with objections from the public and finalize
 * (publicity.c), standing titles (命名) with their history and revocation (designations.c,
 * designations_api.c), award certificates with a public verification code (award_cert.c,
 * award_pdf.c) and the public routes (calls_public.c). Migration 022_call_results.sql.
 *
 * Scope: decisions, the window, objections and certificates of a call are managed through
 * calls_get_managed() (the owner's scope, ORG_ADMIN); a designation by the holder's org path;
 * grants and revocations only by a unit strictly above the holder. Records' strings live in
 * the given arena. */
#ifndef KEPU_CALLS_RESULTS_H
#define KEPU_CALLS_RESULTS_H
#include "calls/calls.h"
#include "core/errors.h"
#include "model/entity.h"

struct request;

/* Codes -1540..-1569 (package C's share of calls.h's range). */
enum {
    DES_NOT_FOUND = -1540,      /* no such designation, or outside the scope (404) */
    DES_KIND_UNKNOWN = -1541,   /* no such designation kind (422 kind) */
    DES_HELD = -1542,           /* the holder already has this title, active (409 title_held) */
    DES_STATE = -1543,          /* revoking a title that is not active (409 designation_state) */
    DES_NOT_ABOVE = -1544,      /* granting or revoking at or above the caller's own unit (403) */
    DES_LEVEL = -1545,          /* a level the kind does not have (422 level) */
    RES_OVER_BUDGET = -1550,    /* the awards would exceed the call's budget (409 over_budget) */
    RES_NOT_DECIDABLE = -1551,  /* the entry is not at the owner's stage (409 entry_state) */
    RES_NOTHING_DECIDED = -1552,/* publicity without any decided entry (409 nothing_decided) */
    RES_WINDOW_OPEN = -1553,    /* finalize while the 公示 window is open (409 publicity_open) */
    RES_WINDOW_CLOSED = -1554,  /* an objection outside the window (409 publicity_closed) */
    RES_OBJ_NOT_FOUND = -1555,  /* no such objection, or outside the scope (404) */
    RES_OBJ_STATE = -1556,      /* answering an objection twice (409 objection_state) */
    RES_CERT_NOT_FOUND = -1557, /* no such certificate (404) */
    RES_WINDOW_BAD = -1558,     /* ends_at before the window's start (422 ends_at) */
    RES_NOT_OWNER = -1559,      /* deciding an entry of a call the caller does not own (403) */
    RES_REASON = -1560,         /* changing an open window without a reason (422 reason) */
    RES_OBJ_PENDING = -1561,    /* finalize with objections not yet answered (409 objections_pending) */
};

typedef struct entry_decision {
    int64_t id, call_id, org_id, subject_id, score_agg, award_amount, decided_by;
    const char *org_name, *org_path, *subject_kind, *subject_name, *title, *status, *outcome, *award_level;
    const char *decision_reason, *decided_at;
    bool recommended_up;          /* J: 推荐上报 */
} entry_decision;

typedef struct designation {
    int64_t id, subject_id, org_id, call_id, entry_id, revoked_by, revoke_call_id, created_by;
    const char *kind, *kind_name, *level, *subject_kind, *org_path, *org_name, *name, *valid_from, *valid_to;
    const char *status, *revoked_at, *revoke_reason, *created_at;
} designation;

typedef struct designation_kind {
    int64_t valid_years;
    const char *code, *name, *subject, *org_type, *levels;
    bool builtin;
} designation_kind;

typedef struct publicity {
    int64_t id, call_id, created_by;
    const char *org_path, *starts_at, *ends_at, *body, *status, *created_at;
} publicity;

typedef struct objection {
    int64_t id, publicity_id, call_id, entry_id, responded_by;
    const char *org_path, *name, *phone, *body, *status, *response, *responded_at, *created_at;
} objection;

typedef struct award_cert {
    int64_t id, call_id, entry_id, designation_id, issuer_org_id;
    const char *org_path, *serial, *code, *holder_name, *title, *level, *issuer_name, *issued_at, *status;
} award_cert;

#define AWARD_CODE_BYTES 16

extern const error_row results_errors[];
extern struct entity entry_decision_entity, designation_entity, designation_kind_entity, publicity_entity, objection_entity, award_cert_entity;

/* A title given in the caller's transaction (grant or finalize): the subject's active title of
 * this kind is extended to valid_to instead of a second one. *id gets the designation's. */
int designations_give(db *c, const principal *p, arena *a, const designation *in, int64_t *id);
/* Whether org_id holds an active, unexpired title of kind on day (for the teaching home's
 * 24-course rule, later). */
bool designations_held(db *c, int64_t org_id, const char *kind, const char *day);

/* The writers of POST /designations (a grant by hand) and of a revocation with its reason. */
int designations_create(db *c, const principal *p, arena *a, const void *in, void *out);
int designations_revoke(db *c, const principal *p, arena *a, int64_t id, const char *reason, designation *out);

/* Decide an entry at the owner's stage: outcome selected | rejected, award level and amount,
 * reason (required). */
int results_decide(db *c, const principal *p, arena *a, int64_t entry_id, const char *outcome, const char *level,
                   int64_t amount, const char *reason, entry_decision *out);

/* The 公示 (publicity.c): open the window to ends_at (RFC 3339 +08:00), or change an open one
 * (reason required; an end in the past ends it); an objection from the public (no login: the
 * call id and an open window are the rule); an answer (upheld | dismissed); finalize. */
int results_publicize(db *c, const principal *p, arena *a, int64_t call_id, const char *ends_at, const char *body,
                      const char *reason, publicity *out);
int results_object_unscoped(db *c, arena *a, int64_t call_id, int64_t entry_id, const char *name, const char *phone,
                            const char *body, const char *ip, const char *request_id, objection *out);
int results_respond(db *c, const principal *p, arena *a, int64_t id, const char *decision, const char *response,
                    objection *out);
int results_finalize(db *c, const principal *p, arena *a, int64_t call_id, call_rec *out);

/* Certificates of a finalized call's selected entries, in the caller's transaction. */
int award_certs_issue(db *c, arena *a, const call_rec *call, int64_t entry_id, int64_t designation_id,
                      const char *holder, const char *level);
int award_pdf_render(const award_cert *x, const char *verify_url, char **out, size_t *len);

/* ?status=active|expired|revoked on designations d (422 otherwise); false after replying. */
bool designations_status_filter(struct request *r, qb *where);

/* ---- J: persons as entrants, the youth contest's recommendation upward, the entry PDF ---- */
struct org;
/* The pools a subject field (form type "person") may name: each person_kind's table, read by
 * row_sql as (org_id, name, status, org_path) of one id, and the statuses of its pool (a form
 * field's own "statuses" may replace them). The resource library's resources are a pool too: a
 * call for premium resources (精品课程资源) names approved resources. NULL for "any" and unknown
 * kinds. persons.c */
typedef struct subject_pool {
    const char *kind, *row_sql;
    const char *const *statuses;
} subject_pool;
const subject_pool *calls_subject_pool(const char *kind);
/* A call for persons (eligible = persons): the pool person its person field names in values
 * must be of the call's pool, in the caller's scope and without a standing entry in the call;
 * *u becomes the person's unit (org_id, when given, must be it) and subject[3] the entry's
 * subject_kind, subject_id and subject_name columns (strings in the arena). DB_OK or an
 * ENTRY_PERSON_* code (calls.h). persons.c */
int calls_person_entrant(db *c, const principal *p, arena *a, const call_rec *call, json_t *values, int64_t org_id,
                         struct org *u, entity_value subject[3]);
/* The grant hook (designations_give, in the caller's transaction, before the title is stored):
 * a person's title names a pool person under the holder's unit (DES_SUBJECT otherwise); an
 * excellent_teacher title moves a filed teacher into the city pool through the teacher chain's
 * own step (audited there), when the grantor is the city; a teacher already in the pool stays;
 * a premium_course title sets its resource's premium flag (the portal lists premium first by
 * an index on it). title_hooks.c */
int calls_title_granted(db *c, const principal *p, arena *a, const designation *in);
/* The revoke hook (designations' revoke, in its transaction, after the title is marked revoked):
 * a resource's premium_course title revoked clears the resource's premium flag unless another
 * such title stands. title_hooks.c */
int calls_title_revoked(db *c, const designation *before);
enum { DES_SUBJECT = -1599 };   /* a person's title whose person is not under its unit (422 subject_id) */
/* Whether any entry of the call is marked 推荐上报 (the export's last column). recommend_up.c */
bool calls_has_recommended_up(db *c, int64_t call_id);
void entry_pdf_register_routes(void);   /* entry_pdf.c */
void calls_j_register_routes(void);     /* recommend_up.c: its routes and the entry PDF's */

void results_init(void);
void results_register_routes(void);
void designations_register_routes(void);
void publicity_register_routes(void);
void award_cert_register_routes(void);
void calls_public_register_routes(void);


/* ---- G: re-certification (recert.c) ------------------------------------------------------- */
enum {
    RES_OUTCOME = -1562,        /* selected|rejected in a re-certification call, revoke|keep in another (422 outcome) */
};
/* A revocation by a re-certification call, in the caller's transaction: revoke_call_id set. */
int designations_revoke_by_call(db *c, const principal *p, arena *a, int64_t id, const char *reason, int64_t call_id);
/* A kept title's term extended by its kind's valid_years from its valid_to (none without an end
 * or a term), audited "extend", in the caller's transaction. */
int designations_extend(db *c, const principal *p, arena *a, int64_t id, int64_t call_id);

#endif
