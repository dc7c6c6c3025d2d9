/* calls_internal.h - what the files of src/calls/ share and no other module uses: the writers
 * behind the entities' generic handlers, their input rules, and small queries. */
#ifndef KEPU_CALLS_INTERNAL_H
#define KEPU_CALLS_INTERNAL_H
#include "calls/calls.h"
#include "core/errors.h"
#include "model/entity.h"

struct request;

extern const error_row call_errors[];
struct attachment_kind;
extern const struct attachment_kind call_entry_files;
/* Whether p acts for the entrant of e: its own unit, or the entry's author. */
bool entries_is_entrant(const principal *p, const entry_rec *e);

/* The entities' writers and input rules (model/entity.h). */
int call_templates_create(db *c, const principal *p, arena *a, const void *in, void *out);
int call_templates_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out);
bool call_template_input(struct request *r, void *rec, bool creating);
int calls_create(db *c, const principal *p, arena *a, const void *in, void *out);
int calls_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out);
bool call_input(struct request *r, void *rec, bool creating);
/* field.check of a deadline: calls_deadline_normalise() into the arena. */
const char *calls_check_deadline(arena *a, const char **value);
/* action: "open", "close" or "cancel". */
int calls_move(db *c, const principal *p, arena *a, int64_t id, const char *action, call_rec *out);
/* Whether the call has any entry (drafts included). */
bool calls_has_entries(db *c, int64_t call_id);

/* Entries (entries.c): create a draft for unit org_id (0: the caller's), save its values. */
int entries_create(db *c, const principal *p, arena *a, const call_rec *call, int64_t org_id, const char *title,
                   json_t *values, entry_rec *out);
int entries_save(db *c, const principal *p, arena *a, int64_t id, const char *title, json_t *values, entry_rec *out);
/* The references in values: each node field's org below the call's owner (of the field's
 * org_types when given), each person of the pool existing (teacher or volunteer by person_kind).
 * DB_OK, ENTRY_INCOMPLETE with err naming the value, or a DB code. */
int entries_check_refs(db *c, const call_rec *call, json_t *form, json_t *values, call_form_error *err);
/* Funds (funds.c): pays amount on the awarded entry e on day, within its award, audited; out: a
 * fund_disbursement_entity record (its size). DB_OK or a funds code. */
int funds_disburse(db *c, const principal *p, arena *a, const entry_rec *e, int64_t amount, const char *day,
                   const char *note, void *out);
/* Keeps call_unit_counts current: adds the deltas to (call, org), creating the row. */
int calls_count_add(db *c, int64_t call_id, int64_t org_id, const char *org_path, const char *column, int delta);
/* Appends a history step of entry e. */
int entries_step(db *c, const principal *p, const entry_rec *e, const char *action, const char *from, const char *to,
                 const char *reason, const char *at);

void entries_register_routes(void);
void call_quotas_register_routes(void);

#endif
