/* decisions.c - deciding an entry (results.h): by the call's owner, on an entry that reached the
 * owner's stage (after review, or directly in a call without review), with an outcome (selected
 * | rejected; revoke | keep in a re-certification, recert.c), an award level and amount and a
 * reason; a decision may be changed until the 公示.
 * Awards stay within the call's budget when it has one (0: none set). Audited, in the history. */
#include "calls/calls_internal.h"
#include "calls/results.h"
#include "core/timeutil.h"
#include "stats/stats.h"
#include <stddef.h>
#include <string.h>

/* An entry's decision as its own view of call_entries (the core's entry record has no decision
 * members): the answer of a decision, the owner's list of them, the public pages' rows. */
#define X(member) offsetof(entry_decision, member)
static const field decision_fields[] = {
    {"id", "e.id", FT_ID, X(id), .flags = 0},
    {"call_id", "e.call_id", FT_ID, X(call_id), .flags = 0},
    {"org_id", "e.org_id", FT_ID, X(org_id), .flags = 0},
    {"org_name", "o.name", FT_TEXT, X(org_name), .flags = 0},
    {"org_path", "e.org_path", FT_TEXT, X(org_path), .flags = FF_HIDDEN},
    {"subject_kind", "e.subject_kind", FT_TEXT, X(subject_kind), .flags = 0},
    {"subject_id", "e.subject_id", FT_INT_NULL, X(subject_id), .flags = 0},
    {"subject_name", "e.subject_name", FT_TEXT, X(subject_name), .flags = 0},
    {"title", "e.title", FT_TEXT, X(title), .flags = 0},
    {"status", "e.status", FT_TEXT, X(status), .flags = 0},
    {"score_agg", "e.score_agg", FT_INT, X(score_agg), .flags = 0, .doc = "the aggregate score (0..10000), package B"},
    {"outcome", "e.outcome", FT_TEXT, X(outcome), .flags = 0, .doc = "selected | rejected (null: not decided)"},
    {"award_level", "e.award_level", FT_TEXT, X(award_level), .flags = 0, .example = "\"一等奖\""},
    {"award_amount", "e.award_amount", FT_INT, X(award_amount), .flags = 0, .doc = "yuan"},
    {"decision_reason", "e.decision_reason", FT_TEXT, X(decision_reason), .flags = 0},
    {"decided_by", "e.decided_by", FT_INT_NULL, X(decided_by), .flags = 0},
    {"decided_at", "e.decided_at", FT_TIME, X(decided_at), .flags = 0},
    {"recommended_up", "e.recommended_up", FT_BOOL, X(recommended_up), .flags = 0, .doc = "推荐上报 to the level above (J)"},
    {0},
};
#undef X

entity entry_decision_entity = {
    .name = "entry_decision",
    .doc = "An entry's decision: outcome, award level and amount, reason",
    .from = " FROM call_entries e JOIN orgs o ON o.id = e.org_id",
    .id_column = "e.id",
    .path_column = "e.org_path",
    .order = " ORDER BY e.award_amount DESC, e.score_agg DESC, e.id",
    .size = sizeof(entry_decision),
    .fields = decision_fields,
    .not_found = ENTRY_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = results_errors,
};

struct decide {
    const principal *p;
    arena *a;
    int64_t id, amount;
    const char *outcome, *level, *reason;
    entry_decision *out;
};

static bool decidable_call(const call_rec *call)
{
    bool no_review = !call->review || !strcmp(call->review, "null");
    return !strcmp(call->status, "reviewing") || !strcmp(call->status, "deciding") ||
           (no_review && !strcmp(call->status, "open"));
}

static bool decidable_entry(const entry_rec *e, const call_rec *call)
{
    static const char *const ok[] = {"submitted", "recommended", "under_review", "decided", NULL};
    bool status = false;
    for (int i = 0; ok[i]; i++) status |= !strcmp(e->status, ok[i]);
    return status && e->stage_org_id == call->org_id && !strcmp(e->kind, "entry");
}

/* The other selected entries' awards plus this one within the budget (0: no budget set). */
static int within_budget(db *c, const call_rec *call, int64_t entry_id, int64_t amount)
{
    if (call->budget <= 0 || amount == 0) return DB_OK;
    qb q;
    int64_t sum = 0;
    qb_init(&q, "SELECT COALESCE(SUM(award_amount), 0) FROM call_entries WHERE call_id = ? AND id <> ? AND outcome = 'selected'");
    qb_int(&q, call->id), qb_int(&q, entry_id);
    int rc = qb_exec(c, &q, &sum);
    if (rc != DB_OK) return rc;
    return sum + amount > call->budget ? RES_OVER_BUDGET : DB_OK;
}

/* funds_awarded follows the decision (funds.c's key source): the award decided before leaves its
 * day, the one decided now counts on today. */
static int move_award(db *c, const char *org_path, const entry_decision *before, const entry_decision *now)
{
    int rc = DB_OK;
    if (before->outcome && !strcmp(before->outcome, "selected") && before->award_amount > 0 && before->decided_at) {
        char day[11];
        snprintf(day, sizeof day, "%.10s", before->decided_at);
        stats_key key = {"funds_awarded", before->award_amount};
        rc = stats_add_keys(c, org_path, day, &key, 1, -1);
    }
    if (rc == DB_OK && now->outcome && !strcmp(now->outcome, "selected") && now->award_amount > 0) {
        char day[11];
        snprintf(day, sizeof day, "%.10s", now->decided_at);
        stats_key key = {"funds_awarded", now->award_amount};
        rc = stats_add_keys(c, org_path, day, &key, 1, +1);
    }
    return rc;
}

static int decide_cb(db *c, void *cls)
{
    struct decide *w = cls;
    entry_rec e;
    call_rec call;
    int rc = entity_get(c, &call_entry_entity, &w->p->scope, w->a, w->id, &e);
    if (rc != DB_OK) return rc;
    /* the entry was read within the caller's scope: its call is the one it belongs to */
    if ((rc = entity_get_unscoped(c, &call_entity, w->a, e.call_id, &call)) != DB_OK) return rc;
    /* a unit below the owner sees the entry but does not decide it */
    if (!scope_covers(&w->p->scope, call.org_path)) return RES_NOT_OWNER;
    if (!decidable_call(&call)) return CALL_STATE;
    if (!decidable_entry(&e, &call)) return RES_NOT_DECIDABLE;
    /* a re-certification (recert.c) keeps or revokes a title; other calls select or reject */
    bool recert = !strcmp(call.eligible, "holders"), title = !strcmp(w->outcome, "revoke") || !strcmp(w->outcome, "keep");
    if (recert != title) return RES_OUTCOME;
    bool selected = !strcmp(w->outcome, "selected");
    int64_t amount = selected ? w->amount : 0;
    if ((rc = within_budget(c, &call, e.id, amount)) != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"status", .text = "decided"}, {"outcome", .text = w->outcome},
                           {"award_level", .text = selected ? w->level : NULL}, {"award_amount", .i = amount, .is_int = true},
                           {"decision_reason", .text = w->reason}, {"decided_by", .i = w->p->user_id, .is_int = true},
                           {"decided_at", .text = now}, {"updated_at", .text = now}, {0}};
    entry_decision before;
    if ((rc = entity_get_unscoped(c, &entry_decision_entity, w->a, e.id, &before)) != DB_OK) return rc;
    /* the audit records the decision's members before and after */
    if ((rc = entity_store(c, &call_entry_entity, "call_entries", e.id, NULL, more, w->a, NULL)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &entry_decision_entity, w->a, e.id, w->out)) != DB_OK) return rc;   /* just written */
    if ((rc = move_award(c, e.org_path, &before, w->out)) != DB_OK) return rc;
    if ((rc = entries_step(c, w->p, &e, "decide", e.status, "decided", w->reason, now)) != DB_OK) return rc;
    return entity_audit(c, &entry_decision_entity, actor_of(w->p), e.org_path, e.id, "decide", &before, w->out);
}

int results_decide(db *c, const principal *p, arena *a, int64_t entry_id, const char *outcome, const char *level,
                   int64_t amount, const char *reason, entry_decision *out)
{
    struct decide w = {p, a, entry_id, amount, outcome, level, reason, out};
    return db_transaction(c, decide_cb, &w);
}
