/* calls.h - the calls engine (issue 15): 征集, 申报, 推荐, 评选, 认定 as one engine whose calls are
 * configurations. This header is the contract the later packages (review and ranking, results
 * and titles, board and funds, templates and demo) build on; migration 020_calls.sql holds its
 * tables.
 *
 * A level above (the call's owner) copies a template into a call: a form of typed fields
 * (call_form.c), stages (unit -> district -> city), quotas per unit, a deadline in Asia/Shanghai
 * and a late policy. While the call is open, eligible units below the owner enter entries: a
 * draft saved as typed, submitted (deadline and quota checked, figures snapshotted), returned
 * with a reason by a level above, resubmitted, withdrawn, and recommended upward stage by stage
 * within each recommending unit's quota. Every action is audited (entity_audit) and an entry's
 * moves are its history (call_entry_steps).
 *
 * Scope:
 *   - a template: its owner's scope; a builtin one (org_path '') every staff member;
 *   - a call: its owner's scope manages it; units below the owner see it once it is open
 *     (GET /calls?mine=1: the open calls the caller's unit may enter);
 *   - an entry: the entrant's path (a unit sees its own, a district its subtree's); a draft
 *     stays with its unit (and its author).
 *
 * Ownership: records read into call_rec / entry_rec have their strings in the given arena.
 * JSON texts (form, stages, values, figures) are the stored text; callers parse them. */
#ifndef KEPU_CALLS_H
#define KEPU_CALLS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "core/jsonw.h"
#include "db/db.h"
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Codes -1500..-1599 (core/errors.h's error_row tables map them to HTTP answers). */
enum {
    CALL_NOT_FOUND = -1500,         /* no such call, or outside the caller's scope (404) */
    CALL_ORG_NOT_FOUND = -1501,     /* the owner or entrant unit is outside the scope (404 org_id) */
    CALL_TEMPLATE_NOT_FOUND = -1502,/* no such template, or outside the scope (404) */
    CALL_TEMPLATE_UNKNOWN = -1507,  /* a call's template_id names no template the caller sees (404 template_id) */
    CALL_TEMPLATE_TAKEN = -1503,    /* a template code already used (409) */
    CALL_STATE = -1504,             /* the call's status forbids this action (409 call_state) */
    CALL_NOT_ELIGIBLE = -1505,      /* the unit may not enter this call (403 not_eligible) */
    ENTRY_NOT_FOUND = -1510,        /* no such entry, or outside the scope (404) */
    ENTRY_STATE = -1511,            /* the entry's status forbids this action (409 entry_state) */
    ENTRY_DEADLINE = -1512,         /* after the deadline, the call refusing late entries (409 deadline_passed) */
    ENTRY_QUOTA = -1513,            /* the unit's maximum of entries is reached (409 quota_full) */
    ENTRY_STAGE_QUOTA = -1514,      /* the stage's maximum of recommendations is reached (409 recommend_quota_full) */
    ENTRY_NOT_ABOVE = -1515,        /* return/recommend by a unit that is not above the entry's holder (403) */
    ENTRY_LAST_STAGE = -1516,       /* recommending past the last stage (409 last_stage) */
    CALL_QUOTA_DUPLICATE = -1508,   /* two quota rows for one unit and stage (422) */
    CALL_FORM_LOCKED = -1506,       /* changing or removing a field once entries exist (409 form_locked) */
    ENTRY_FILE_UNKNOWN = -1517,     /* values name a file that is not the entry's own (422 values) */
    ENTRY_NOT_ENTRANT = -1518,      /* saving, submitting or withdrawing another unit's entry (403) */
    ENTRY_INCOMPLETE = -1519,       /* submitting values that fail the form's complete check (422 values) */
    /* J (persons.c): calls for persons (eligible = persons) */
    ENTRY_PERSON_MISSING = -1595,   /* no pool person in the form's person field of the call's kind (422 values) */
    ENTRY_PERSON_NOT_IN_POOL = -1596, /* the person is not of the call's pool (422 values) */
    ENTRY_PERSON_TAKEN = -1597,     /* the person already has a standing entry in the call (409 person_entered) */
    ENTRY_PERSON_ORG = -1598,       /* org_id other than the person's unit (422 org_id) */
    UP_COUNT = -1589,               /* J (recommend_up.c): no count given and none in the template (422 count) */
};

#define CALL_MAX_FIELDS 60        /* fields of a form */
#define CALL_MAX_STAGES 4

extern const char *const call_kinds[];          /* template kinds, NULL-terminated */
extern const char *const call_statuses[];       /* draft, open, reviewing, ..., cancelled */
extern const char *const call_eligibles[];      /* types, named, persons, holders */
extern const char *const call_late_policies[];  /* refuse, flag */
extern const char *const entry_statuses[];      /* draft, submitted, returned, recommended, ... */

/* A call template (call_templates). config is a JSON object holding a call's configurable
 * members: form, stages, eligible, eligible_types, min_per_unit, max_per_unit, late_policy,
 * resubmit_days and, for the later packages, review, awards, designation. */
typedef struct call_template {
    int64_t id, org_id;
    const char *code, *name, *kind, *config, *org_path, *created_at, *updated_at;
    bool builtin;
} call_template;

/* A call (calls). JSON members (form, stages, eligible_types, review, awards, designation,
 * min_figures) are stored text. deadline: RFC 3339 +08:00 (a day alone is stored as the end of
 * that day in Shanghai). phase (computed): collecting | closed_for_entries while open, else
 * the status. */
typedef struct call_rec {
    int64_t id, org_id, year, min_per_unit, max_per_unit, resubmit_days, budget, entries_total;
    const char *template_code, *org_path, *org_name, *title, *body, *doc_no, *contact, *status, *eligible;
    const char *eligible_types, *person_kind, *holder_kind, *form, *stages, *deadline, *late_policy;
    const char *review, *awards, *designation, *published_at, *created_at, *updated_at, *phase;
    int64_t template_id;          /* create only: the template copied */
} call_rec;

/* An entry (call_entries). values: {key: value} as the form types them; figures: the snapshot
 * {key: n, "as_of": day} taken on submit (NULL before). branch_path: the entrant's ancestor one
 * level below the call's owner (the district of a city call). stage_no 0: at its unit; k >= 1:
 * recommended to stage k, held by stage_org_id. */
typedef struct entry_rec {
    int64_t id, call_id, org_id, subject_id, stage_no, stage_org_id;
    const char *kind, *org_path, *org_name, *branch_path, *subject_kind, *subject_name, *title, *values, *figures;
    const char *status, *first_submitted_at, *submitted_at, *returned_reason, *counted_day, *created_at, *updated_at;
    const char *grade;           /* H: the performance grade, NULL before one */
    bool late, recommended_up;
    int64_t created_by;
} entry_rec;

/* The declared records (model/entity.h). */
extern struct entity call_template_entity, call_entity, call_entry_entity, call_entry_step_entity, call_unit_quota_entity;

/* ---- forms (call_form.c) ------------------------------------------------------------------
 * A form is a JSON array of field definitions {"key", "label", "type", "required"?, ...}; the
 * types and their members:
 *   text {max?}, long_text {max?}, number {min?, max?}, money {max?} (whole yuan),
 *   date {min?, max?} (YYYY-MM-DD), choice {options:[...], multiple?}, node {org_types?},
 *   person {person_kind: teacher|volunteer|resource|any} ({"id": n} of that pool), file {max_files?}, photo {max_files?},
 *   checklist {items:[{key,label,evidence?}]}, rows {columns:[scalar fields], min_rows?, max_rows?},
 *   figure {metric, of?, period?: call_year|last_year} (computed, never typed).
 * Values: text -> string; number/money -> integer; date -> "YYYY-MM-DD"; choice -> string (or
 * array when multiple); node -> org id; person -> {"id": n} of the pool or {"name": text};
 * file/photo -> [file ids]; checklist -> {item: {"ok": bool, "files": [ids]}}; rows -> [{col:
 * value}]. An error names its place: "form.N.<member>" in a definition, "values.<key>" (and
 * "values.<key>.N.<col>" in rows, "values.<key>.<item>" in a checklist) in values. */
typedef struct call_form_error {
    char field[128];
    const char *message;          /* static "中文 / English" */
    const char *code;             /* "invalid_field", "required" or "unknown_field" */
} call_form_error;

/* Checks a definition (a JSON array of 1..CALL_MAX_FIELDS, keys unique); true when good, else
 * err says where. */
bool call_form_check_def(json_t *form, call_form_error *err);
/* Checks values against form: every key known, each value of its field's type; complete (on
 * submit): required fields present and every checked checklist item with evidence has files.
 * Figure fields may not be given. true when good. */
bool call_form_check_values(json_t *form, json_t *values, bool complete, call_form_error *err);
/* The file ids values refer to (file, photo, checklist evidence), appended to ids (at most max);
 * returns how many there are (may exceed max). */
int call_form_file_ids(json_t *form, json_t *values, int64_t *ids, int max);

/* Figures: a name, computed for a node (org) or a person over a period. Registered at start
 * (before threads); every statistics metric is a node figure without registration. */
typedef enum { CALL_FIGURE_NODE = 1, CALL_FIGURE_PERSON } call_figure_subject;
typedef int (*call_figure_fn)(db *c, int64_t subject_id, const char *from_day, const char *to_day, int64_t *out);
void calls_register_figure(const char *name, const char *label, call_figure_subject subject, call_figure_fn fn);
/* Whether name is a figure (registered, or a statistics metric) and of which subject; 0: none. */
call_figure_subject calls_figure_subject(const char *name);
/* The figures of a form for an entry: a new JSON object {key: n, "as_of": today} (the caller
 * decrefs), each figure field computed for its subject (the node or person field named by "of",
 * else the entrant org_id) over its period of year. NULL on a database error. */
json_t *calls_compute_figures(db *c, json_t *form, json_t *values, int64_t org_id, int64_t year, const char *today);

/* ---- calls and entries (calls.c, entries.c, entry_flow.c) ----------------------------------- */
/* The call id as a manager sees it: the caller's scope covers the owner (rank checked by the
 * route). DB_OK, CALL_NOT_FOUND (also for a unit below that merely sees it) or a DB code. */
int calls_get_managed(db *c, const principal *p, arena *a, int64_t id, call_rec *out);
/* Deadline normalisation: "YYYY-MM-DD" -> that day's "T23:59:59+08:00"; an RFC 3339 time with
 * +08:00 kept; anything else false. out >= 32 bytes. */
bool calls_deadline_normalise(const char *in, char *out);

/* The moves of an entry, each in one transaction with its audit, history step and unit counts.
 * reason: required for return, else NULL. DB_OK or a code above. out: the entry after. */
typedef enum { ENTRY_SUBMIT = 1, ENTRY_RETURN, ENTRY_WITHDRAW, ENTRY_RECOMMEND, ENTRY_NOT_RECOMMEND } entry_action;
int entries_act(db *c, const principal *p, arena *a, int64_t id, entry_action act, const char *reason, entry_rec *out);

void calls_init(void);
void calls_register_routes(void);


/* ---- Package B: review and ranking (reviewers.c, reviews.c, ranking.c, review_api.c; 021) ----
 * A call's managers name its reviewers (accounts), assign entries held at the call's owner to
 * them (by hand, or N an entry with balanced load, never a reviewer of the entry's own unit or
 * branch), reviewers score a sheet of the call's weighted criteria (review JSON: {per_entry,
 * blind, criteria:[{key,label,max,weight}], aggregate: mean|trimmed_mean, trim, outlier_points,
 * tie}), submit (locked; reopened only by a manager with a reason), and the round closes; each
 * submit keeps the entry's aggregates current, so GET /calls/:id/ranking reads an index. */
/* -1520..-1531: the results codes (results.h) hold -1540..-1569, so these must not */
enum {
    REVIEW_NOT_FOUND = -1520,       /* no such sheet among the caller's (404) */
    REVIEWER_NOT_FOUND = -1521,     /* no such reviewer of the call (404) */
    REVIEW_NO_CRITERIA = -1522,     /* the call's review has no valid criteria (409 no_criteria) */
    REVIEW_STATE = -1523,           /* the sheet's status forbids this (409 review_state) */
    REVIEW_ROUND_CLOSED = -1524,    /* the round is closed (409 round_closed) */
    REVIEW_NOT_ENOUGH = -1525,      /* too few reviewers without a conflict (409 not_enough_reviewers) */
    REVIEW_CONFLICT = -1526,        /* the reviewer is of the entry's unit or branch (409 reviewer_conflict) */
    REVIEW_SCORES = -1527,          /* a score missing or out of range (422 scores) */
    REVIEW_PENDING = -1528,         /* closing a round with sheets not submitted (409 reviews_pending) */
    REVIEWER_DUPLICATE = -1529,     /* the account already reviews this call / this entry (409 duplicate) */
    REVIEW_USER_UNKNOWN = -1530,    /* no such active account in the caller's scope (404 user_id) */
    REVIEW_ENTRY_UNKNOWN = -1531,   /* no entry of the call under review (404 entry_id) */
};
extern struct entity call_reviewer_entity, call_review_entity, call_review_managed_entity, call_rank_entity;
/* Recomputes the aggregates of every entry of the call from its submitted sheets (round 1). */
int calls_rebuild_aggregates(db *c, int64_t call_id);
void reviews_init(void);
void reviews_register_routes(void);
/* bench/calls.sh's bulk path (calls_bench.c): a call in review at the root with entries over the
 * existing units, reviewers, per_entry submitted sheets of criteria scores each, aggregates
 * rebuilt; *call_out gets the call's id. DB_OK or a DB code. */
int calls_bench_fill(db *c, int64_t entries, int reviewers, int criteria, int per_entry, int64_t *call_out);

/* ---- Package E: the builtin templates (migration 024; call_builtin.c) ----------------------
 * Registers the figures the builtin templates' forms read: teacher_courses (a person figure,
 * the held courses of a pool teacher in the period). Run at start (module "templates"). */
void call_builtin_init(void);

/* ---- Package D: board, reminders, exports (progress.c, call_export.c) ----------------------
 * GET /calls/:id/progress (totals and a page of the eligible units in the caller's scope, their
 * entries against the quota), its Excel sheet, POST /calls/:id/reminders (one per unit behind
 * and Shanghai day, in call_reminders, audited), GET /calls/:id/export.xlsx (the collected
 * table in the form's column order). The module row "funds" registers them. */
void call_export_register_routes(void);
void funds_register_routes(void);
/* Funds (funds.c, 023): GET /calls/:id/funds, GET and POST /entries/:id/disbursements. */
extern struct entity fund_disbursement_entity;
void funds_init(void);
void fund_routes_register(void);


/* ---- G: re-certification (recert.c; migration 025) ------------------------------------------
 * A call with eligible = holders reviews the active holders of one kind of title below its
 * owner (称号复核, 末位淘汰): opening it gives each one a submitted entry (figures snapshotted),
 * GET /calls/:id/recert proposes revoke | keep (min_figures, then the last revoke_last or
 * revoke_share % of the ranked), POST /calls/:id/recert/apply writes that as decisions, and
 * finalize revokes or extends the titles. */
extern struct entity call_recert_entity, call_recert_settings_entity;
/* In the open's transaction (calls.c): the holders' entries (a call of another eligible: nothing).
 * CALL_STATE when the call names no kind of title. */
int recert_open(db *c, const principal *p, arena *a, const call_rec *call);
/* Whether unit org_id may enter the holders call by hand: it holds the title today and has no
 * entry in it yet. DB_OK, CALL_NOT_ELIGIBLE or a DB code. */
int recert_eligible(db *c, const call_rec *call, int64_t org_id, const char *org_path);
/* A new snapshot of e's figures (a holder's save while the call is open). */
int recert_refresh_figures(db *c, arena *a, const call_rec *call, const entry_rec *e);
/* In finalize's transaction (publicity.c): each decided holder's title revoked (outcome revoke:
 * revoke_call_id, the decision's reason) or extended by its kind's term (keep). */
int recert_finalize(db *c, const principal *p, arena *a, const call_rec *call);
/* The settings written (as PUT /calls/:id/recert, unchecked: the demo's), and the proposal
 * applied as decisions (as POST /calls/:id/recert/apply); *applied: how many. */
int recert_set(db *c, const principal *p, arena *a, const call_rec *call, const char *holder_kind, const char *min_figures,
               int64_t revoke_last, int64_t revoke_share);
int recert_apply(db *c, const principal *p, arena *a, const call_rec *call, int64_t *applied);
void recert_register_routes(void);
/* ---- H: experts and reports (experts.c, reports.c; migration 026) ---------------------------
 * The expert pool (专家库, expert_pool): accounts that review (the role `reviewer` at any node,
 * or accounts in the caller's scope), kept by a unit (scope: its path), filtered by specialty;
 * POST /calls/:id/reviewers {expert_id} names a pool member a call's reviewer. Follow-up reports
 * of a funded entry (decided with an award amount): call_entries of kind midterm | final with
 * parent_id, filled by the call's review.report_form (a default when the call has none), saved
 * and submitted through PATCH /entries/:id and POST /entries/:id/submit; a performance round
 * (purpose performance) over the submitted reports, scored through B's sheets against
 * review.performance_criteria (default 完成度 40 / 经费 30 / 效果 30), grades each report and its
 * parent entry (优秀 >= 90, 良好 >= 75, 合格 >= 60, else 不合格). */
enum {
    EXPERT_NOT_FOUND = -1580,       /* no such pool member in the caller's scope (404) */
    EXPERT_ORG_NOT_FOUND = -1581,   /* the keeping unit is outside the scope (404 org_id) */
    EXPERT_USER_UNKNOWN = -1582,    /* no active reviewer account, nor an account in scope (404 user_id) */
    EXPERT_TEACHER_UNKNOWN = -1583, /* no such teacher in the caller's scope (404 teacher_id) */
    EXPERT_DUPLICATE = -1584,       /* the account is already in this unit's pool (409 duplicate) */
    REPORT_NOT_FUNDED = -1585,      /* the entry has no award amount decided (409 not_funded) */
    REPORT_DUPLICATE = -1586,       /* a report of this kind already exists (409 duplicate) */
    REPORT_NONE = -1587,            /* opening a performance round with no submitted report (409 no_reports) */
    REPORT_ROUND_OPEN = -1588,      /* opening a round while one is open (409 round_open) */
};
extern struct entity expert_entity, call_report_entity;
struct entity_value;
/* The account of an active pool member the caller sees: DB_OK, EXPERT_NOT_FOUND or a DB code. */
int experts_user_of(db *c, const principal *p, arena *a, int64_t expert_id, int64_t *user_id);
/* The default report form (完成情况, 经费使用, 成效, 附件) and a call's: review.report_form when
 * it is a valid form, else the default. Static text or text in a. */
const char *reports_form(const call_rec *call, arena *a);
/* The form an entry is filled by: the call's form, or the report form for a report. */
const char *calls_entry_form(const call_rec *call, const entry_rec *e, arena *a);
/* Submitting a report (entry_flow.c's submit for kind midterm | final): the entrant's, from
 * draft or returned, complete by the report form; late when past its due day. Fills more (the
 * columns to set, at most 8). DB_OK or a code. */
int reports_submit(db *c, const principal *p, arena *a, const entry_rec *e, const call_rec *call, const char *now,
                   struct entity_value *more);
/* What the routes do, for the demo (each its transaction, audited): a pool member (specialties: a
 * JSON array's text or NULL; *id the new member's); a report of entry_id (out: a call_report of
 * call_report_entity.size); opening a performance round (*round_no, *reports submitted). */
int experts_add(db *c, const principal *p, arena *a, int64_t org_id, int64_t user_id, const char *name,
                const char *specialties, const char *affiliation, int64_t *id);
int reports_create(db *c, const principal *p, arena *a, int64_t entry_id, const char *kind, const char *due, void *out);
int reports_open_performance(db *c, const principal *p, arena *a, int64_t call_id, int64_t per_entry, int64_t *round_no,
                             int64_t *reports);
/* The open performance round of a call: *round_no (0: none). */
int reports_open_round(db *c, int64_t call_id, int64_t *round_no);
/* The grade of a score 0..10000: 优秀, 良好, 合格 or 不合格. */
const char *reports_grade(int64_t score);
void experts_init(void);
void experts_register_routes(void);
void reports_register_routes(void);

#endif
