/* entry_flow.c - the moves of an entry (calls.h: entries_act), each in one transaction with its
 * unit counts, history step and audit:
 *
 *   draft --submit--> submitted --recommend--> recommended (stage k+1) ... up to the owner
 *     ^                  |   \--not-recommend--> not_recommended (closed)
 *     +-- returned <-----+ return(reason)          withdraw (the entrant) --> withdrawn
 *
 * Submit: the call open; first submission after the deadline refused or flagged late by the
 * call's policy, a resubmission after a return taken until max(deadline, returned + resubmit_days)
 * and never late; the unit's maximum checked by one guarded UPDATE (atomic on both engines);
 * every file the values name must be one of the entry's; figures snapshotted.
 * Recommend: by the unit holding the entry at its stage (or a level above it), within that
 * stage's maximum, again one guarded UPDATE. Return: by a level above the entrant. */
#include "calls/calls_internal.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "stats/stats.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct act {
    const principal *p;
    arena *a;
    int64_t id;
    entry_action act;
    const char *reason;
    entry_rec *out;
    entry_rec e;
    call_rec call;
    char now[32];
};

/* The maximum of a unit at a stage: its call_units row's when set, else dflt (0: none). */
static int unit_max(db *c, int64_t call_id, int64_t stage_no, int64_t org_id, int64_t dflt, int64_t *out)
{
    qb q;
    int64_t v = 0;
    qb_init(&q, "SELECT max_entries FROM call_units WHERE call_id = ? AND stage_no = ? AND org_id = ? AND max_entries IS NOT NULL");
    qb_int(&q, call_id), qb_int(&q, stage_no), qb_int(&q, org_id);
    int rc = qb_exec(c, &q, &v);
    *out = rc == DB_OK ? v : dflt;
    return rc == DB_DONE ? DB_OK : rc;
}

/* Adds one to column of (call, org) unless it has reached max (0: no maximum): ENTRY_QUOTA
 * (or stage_full) when it has. One UPDATE, so two concurrent submissions cannot both pass. */
static int take_place(db *c, int64_t call_id, int64_t org_id, const char *path, bool recommended, int64_t max, int full)
{
    int rc = calls_count_add(c, call_id, org_id, path, recommended ? "recommended" : "submitted", 0);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, recommended ? "UPDATE call_unit_counts SET recommended = recommended + 1 WHERE call_id = ? AND org_id = ? AND (? = 0 OR recommended < ?)"
                            : "UPDATE call_unit_counts SET submitted = submitted + 1 WHERE call_id = ? AND org_id = ? AND (? = 0 OR submitted < ?)");
    qb_int(&q, call_id), qb_int(&q, org_id), qb_int(&q, max), qb_int(&q, max);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    return db_changes(c) == 1 ? DB_OK : full;
}

/* Where an entry goes at stage k (0-based): the entrant's nearest ancestor (or itself) below the
 * owner of stages[k]'s type; a stage with no such unit is skipped; past the stages, the owner. */
static int holder_at(db *c, const call_rec *call, const char *path, int64_t k, int64_t *stage_no, int64_t *holder)
{
    json_t *stages = json_loads(call->stages, 0, NULL);
    int rc = DB_OK;
    for (*holder = 0; !*holder && k < (int64_t)json_array_size(stages); k++) {
        qb q;
        qb_init(&q, "SELECT id FROM orgs WHERE type = ? AND substr(?, 1, length(path)) = path AND length(path) > ? "
                    "ORDER BY depth DESC LIMIT 1");
        qb_text(&q, json_string_value(json_object_get(json_array_get(stages, (size_t)k), "org_type")));
        qb_text(&q, path), qb_int(&q, (int64_t)strlen(call->org_path));
        rc = qb_exec(c, &q, holder);
        if (rc == DB_DONE) rc = DB_OK, *holder = 0;
        if (rc != DB_OK) break;
        *stage_no = k;
    }
    if (rc == DB_OK && !*holder) *holder = call->org_id, *stage_no = (int64_t)json_array_size(stages);
    json_decref(stages);
    return rc;
}

/* Every file id the values name is a file of this entry. */
static int check_files(db *c, struct act *x, json_t *form, json_t *values)
{
    int64_t ids[256];
    int n = call_form_file_ids(form, values, ids, 256);
    if (n > 256) return ENTRY_FILE_UNKNOWN;
    for (int i = 0; i < n; i++) {
        qb q;
        int64_t one = 0;
        qb_init(&q, "SELECT 1 FROM call_entry_files WHERE id = ? AND entry_id = ?");
        qb_int(&q, ids[i]), qb_int(&q, x->e.id);
        int rc = qb_exec(c, &q, &one);
        if (rc == DB_DONE) return ENTRY_FILE_UNKNOWN;
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

static int submit(db *c, struct act *x, entity_value *more)
{
    entry_rec *e = &x->e;
    bool again = !strcmp(e->status, "returned");
    if (!entries_is_entrant(x->p, e)) return ENTRY_NOT_ENTRANT;
    if (strcmp(e->status, "draft") != 0 && !again) return ENTRY_STATE;
    if (strcmp(x->call.status, "open") != 0) return CALL_STATE;
    bool late = false;
    if (again) {
        /* a resubmission has its own window after the return, and is never late */
        char until[32], day[11];
        qb q;
        const char *returned_at = NULL;
        qb_init(&q, "SELECT returned_at FROM call_entries WHERE id = ?");
        qb_int(&q, e->id);
        db_stmt *s = qb_prepare(&q, c);
        if (!s) return DB_ERR;
        if (db_step(s) == DB_ROW) returned_at = arena_strdup(x->a, db_col_text(s, 0));
        db_finish(s);
        memcpy(day, returned_at ? returned_at : x->call.deadline, 10), day[10] = 0;
        day_add(day, (int)x->call.resubmit_days, day);
        snprintf(until, sizeof until, "%sT23:59:59+08:00", day);
        if (strcmp(x->now, x->call.deadline) > 0 && strcmp(x->now, until) > 0) return ENTRY_DEADLINE;
    } else if (strcmp(x->now, x->call.deadline) > 0) {
        if (strcmp(x->call.late_policy, "refuse") == 0) return ENTRY_DEADLINE;
        late = true;
    }
    json_t *form = json_loads(x->call.form, 0, NULL), *values = json_loads(e->values, 0, NULL);
    call_form_error err;
    int rc = call_form_check_values(form, values, true, &err) ? check_files(c, x, form, values) : ENTRY_INCOMPLETE;
    json_t *fig = rc == DB_OK ? calls_compute_figures(c, form, values, e->org_id, x->call.year, x->now) : NULL;
    if (rc == DB_OK && !fig) rc = DB_ERR;
    char *figures = fig ? json_dumps(fig, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(form), json_decref(values), json_decref(fig);
    int64_t max = 0, stage_no = 0, holder = 0;
    if (rc == DB_OK) rc = unit_max(c, x->call.id, 0, e->org_id, x->call.max_per_unit, &max);
    if (rc == DB_OK) rc = take_place(c, x->call.id, e->org_id, e->org_path, false, max, ENTRY_QUOTA);
    if (rc == DB_OK) rc = calls_count_add(c, x->call.id, e->org_id, e->org_path, again ? "returned" : "drafts", -1);
    if (rc == DB_OK && late) rc = calls_count_add(c, x->call.id, e->org_id, e->org_path, "late", +1);
    if (rc == DB_OK) rc = holder_at(c, &x->call, e->org_path, 0, &stage_no, &holder);
    if (rc == DB_OK && !again) {
        qb q;
        qb_init(&q, "UPDATE calls SET entries_total = entries_total + 1 WHERE id = ?");
        qb_int(&q, x->call.id);
        rc = qb_exec(c, &q, NULL);
    }
    const char *fig_text = figures ? arena_strdup(x->a, figures) : NULL;
    free(figures);
    if (rc != DB_OK) return rc;
    entity_value set[] = {{"status", .text = "submitted"}, {"figures", .text = fig_text}, {"submitted_at", .text = x->now},
                          {"stage_no", .i = stage_no, .is_int = true}, {"stage_org_id", .i = holder, .is_int = true},
                          {"late", .i = late || e->late, .is_int = true}, {0}};
    memcpy(more, set, sizeof set);
    if (!e->first_submitted_at) {
        more[6] = (entity_value){"first_submitted_at", .text = x->now};
        more[7] = (entity_value){"counted_day", .text = arena_strndup(x->a, x->now, 10)};
    }
    return DB_OK;
}

/* Whether the caller's unit is strictly above path. */
static bool above(const principal *p, const char *path)
{
    size_t n = strlen(p->org_path);
    return strncmp(path, p->org_path, n) == 0 && path[n];
}

static int give_back(db *c, struct act *x, entity_value *more)
{
    entry_rec *e = &x->e;
    if (!above(x->p, e->org_path)) return ENTRY_NOT_ABOVE;
    if (strcmp(e->status, "submitted") != 0) return ENTRY_STATE;
    int rc = calls_count_add(c, x->call.id, e->org_id, e->org_path, "submitted", -1);
    if (rc == DB_OK) rc = calls_count_add(c, x->call.id, e->org_id, e->org_path, "returned", +1);
    entity_value set[] = {{"status", .text = "returned"}, {"returned_reason", .text = x->reason},
                          {"returned_at", .text = x->now}, {"stage_no", .i = 0, .is_int = true}, {0}};
    memcpy(more, set, sizeof set);
    return rc;
}

static int withdraw(db *c, struct act *x, entity_value *more)
{
    entry_rec *e = &x->e;
    static const char *const from[][2] = {{"draft", "drafts"}, {"submitted", "submitted"}, {"returned", "returned"}};
    const char *column = NULL;
    if (!entries_is_entrant(x->p, e)) return ENTRY_NOT_ENTRANT;
    for (int i = 0; i < 3; i++) if (!strcmp(e->status, from[i][0])) column = from[i][1];
    if (!column) return ENTRY_STATE;
    int rc = calls_count_add(c, x->call.id, e->org_id, e->org_path, column, -1);
    if (rc == DB_OK) rc = calls_count_add(c, x->call.id, e->org_id, e->org_path, "withdrawn", +1);
    if (rc == DB_OK && strcmp(e->status, "draft") != 0) {
        qb q;
        qb_init(&q, "UPDATE calls SET entries_total = entries_total - 1 WHERE id = ?");
        qb_int(&q, x->call.id);
        rc = qb_exec(c, &q, NULL);
    }
    entity_value set[] = {{"status", .text = "withdrawn"}, {0}};
    memcpy(more, set, sizeof set);
    return rc;
}

/* recommend / not-recommend: by the holder of the entry's stage, or a unit above it. */
static int decide_stage(db *c, struct act *x, entity_value *more, bool yes)
{
    entry_rec *e = &x->e;
    const char *holder_path = NULL;
    qb q;
    qb_init(&q, "SELECT path FROM orgs WHERE id = ?");
    qb_int(&q, e->stage_org_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) holder_path = arena_strdup(x->a, db_col_text(s, 0));
    db_finish(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    size_t n = strlen(x->p->org_path);
    /* a draft or returned entry has no holder: nothing to recommend */
    if (!holder_path) return ENTRY_STATE;
    if (strncmp(holder_path, x->p->org_path, n) != 0) return ENTRY_NOT_ABOVE;
    if (strcmp(e->status, "submitted") != 0 && strcmp(e->status, "recommended") != 0) return ENTRY_STATE;
    if (strcmp(x->call.status, "open") != 0 && strcmp(x->call.status, "reviewing") != 0) return CALL_STATE;
    if (e->stage_org_id == x->call.org_id) return ENTRY_LAST_STAGE;
    if (!yes) {
        entity_value set[] = {{"status", .text = "not_recommended"}, {0}};
        memcpy(more, set, sizeof set);
        return DB_OK;
    }
    json_t *stages = json_loads(x->call.stages, 0, NULL);
    json_t *cap = json_object_get(json_array_get(stages, (size_t)e->stage_no), "max_recommend");
    int64_t dflt = json_is_integer(cap) ? json_integer_value(cap) : 0, max = 0, stage_no = 0, next = 0;
    json_decref(stages);
    rc = unit_max(c, x->call.id, e->stage_no + 1, e->stage_org_id, dflt, &max);
    if (rc == DB_OK) rc = take_place(c, x->call.id, e->stage_org_id, holder_path, true, max, ENTRY_STAGE_QUOTA);
    if (rc == DB_OK) rc = holder_at(c, &x->call, e->org_path, e->stage_no + 1, &stage_no, &next);
    entity_value set[] = {{"status", .text = "recommended"}, {"stage_no", .i = stage_no, .is_int = true},
                          {"stage_org_id", .i = next, .is_int = true}, {0}};
    memcpy(more, set, sizeof set);
    return rc;
}

/* Whether an entry of this status counts in the statistics (key_source in calls.c). */
static bool counts(const char *status)
{
    return strcmp(status, "draft") && strcmp(status, "returned") && strcmp(status, "withdrawn");
}

/* "call_entries.<template>" +1 when the entry comes to count, -1 when it stops. */
static int count_key(db *c, struct act *x)
{
    int sign = counts(x->out->status) - counts(x->e.status);
    if (!sign || strcmp(x->out->kind, "entry") != 0) return DB_OK;
    stats_key key = {arena_printf(x->a, "call_entries.%s", x->call.template_code), 1};
    return stats_add_keys(c, x->out->org_path, x->out->counted_day, &key, 1, sign);
}

static const char *const action_names[] = {NULL, "submit", "return", "withdraw", "recommend", "not_recommend"};

static int act_cb(db *c, void *cls)
{
    struct act *x = cls;
    int rc = entity_get(c, &call_entry_entity, &x->p->scope, x->a, x->id, &x->e);
    if (rc != DB_OK) return rc;
    /* the entry was read within the caller's scope: its call is the one it belongs to */
    if ((rc = entity_get_unscoped(c, &call_entity, x->a, x->e.call_id, &x->call)) != DB_OK) return rc;
    time_now_rfc3339(x->now);
    entity_value more[12] = {{0}};
    /* a follow-up report (H, reports.c) is only submitted: it has no quota, stage nor unit counts */
    if (strcmp(x->e.kind, "entry") && x->act != ENTRY_SUBMIT) return ENTRY_STATE;
    switch (x->act) {
    case ENTRY_SUBMIT:
        rc = strcmp(x->e.kind, "entry") ? reports_submit(c, x->p, x->a, &x->e, &x->call, x->now, more) : submit(c, x, more);
        break;
    case ENTRY_RETURN: rc = give_back(c, x, more); break;
    case ENTRY_WITHDRAW: rc = withdraw(c, x, more); break;
    case ENTRY_RECOMMEND: rc = decide_stage(c, x, more, true); break;
    case ENTRY_NOT_RECOMMEND: rc = decide_stage(c, x, more, false); break;
    }
    if (rc != DB_OK) return rc;
    int n = 0;
    while (more[n].column) n++;
    more[n] = (entity_value){"updated_at", .text = x->now};
    if ((rc = entity_store(c, &call_entry_entity, "call_entries", x->e.id, NULL, more, x->a, NULL)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &call_entry_entity, x->a, x->e.id, x->out)) != DB_OK) return rc;   /* just written */
    if ((rc = count_key(c, x)) != DB_OK) return rc;
    const char *name = action_names[x->act];
    if ((rc = entries_step(c, x->p, &x->e, name, x->e.status, x->out->status, x->reason, x->now)) != DB_OK) return rc;
    return entity_audit(c, &call_entry_entity, actor_of(x->p), x->e.org_path, x->e.id, name, &x->e, x->out);
}

int entries_act(db *c, const principal *p, arena *a, int64_t id, entry_action act, const char *reason, entry_rec *out)
{
    struct act x = {.p = p, .a = a, .id = id, .act = act, .reason = reason, .out = out};
    return db_transaction(c, act_cb, &x);
}
