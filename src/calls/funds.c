/* funds.c - a call's money (issue 15, package D): the budget (calls.budget), the awards decided
 * within it (call_entries.award_amount, package C's decide keeps their sum within the budget) and
 * the disbursements paid out on each awarded entry (fund_disbursements, 023), never more in all
 * than the entry's award. GET /calls/:id/funds (with each funded entry's performance grade, package
 * H's reports.c), GET and POST /entries/:id/disbursements.
 *
 * Scope: a disbursement is filed under the entrant's path (a unit sees what it was paid, a
 * district its subtree's); paying is the call's managers' (the owner's scope, org_admin). */
#include "calls/calls_internal.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stddef.h>
#include <string.h>

enum { FUND_NOT_FOUND = -1590, FUND_NOT_AWARDED = -1591, FUND_OVER_AWARD = -1592, FUND_NOT_MANAGER = -1593, FUND_BELOW_AWARDS = -1594 };

typedef struct disbursement {
    int64_t id, call_id, entry_id, org_id, amount, created_by;
    const char *org_path, *day, *note, *created_at;
} disbursement;

#define D(member) offsetof(disbursement, member)
static const field fund_fields[] = {
    {"id", "d.id", FT_ID, D(id), .flags = 0},
    {"call_id", "d.call_id", FT_ID, D(call_id), .flags = 0},
    {"entry_id", "d.entry_id", FT_ID, D(entry_id), .flags = 0},
    {"org_id", "d.org_id", FT_ID, D(org_id), .flags = 0},
    {"org_path", "d.org_path", FT_TEXT, D(org_path), .flags = FF_HIDDEN},
    {"amount", "d.amount", FT_INT, D(amount), .flags = 0, .doc = "whole yuan"},
    {"day", "d.day", FT_DAY, D(day), .flags = 0},
    {"note", "d.note", FT_TEXT, D(note), .flags = 0},
    {"created_by", "d.created_by", FT_INT_NULL, D(created_by), .flags = 0},
    {"created_at", "d.created_at", FT_TIME, D(created_at), .flags = 0},
    {0},
};
#undef D

static const error_row fund_errors[] = {
    {FUND_NOT_FOUND, 404, "not_found", NULL, "拨付记录不存在 / disbursement not found"},
    {FUND_NOT_AWARDED, 409, "not_awarded", "entry_id", "该申报未获资助 / the entry has no award to pay"},
    {FUND_OVER_AWARD, 409, "over_award", "amount", "累计拨付超过资助金额 / the payments would exceed the award"},
    {FUND_NOT_MANAGER, 403, "forbidden", NULL, "仅征集的主办单位可拨付 / only the call's managers pay out its awards"},
    {FUND_BELOW_AWARDS, 409, "below_awards", "budget", "预算低于已决定的资助总额 / the budget is below the awards already decided"},
    {ENTRY_NOT_FOUND, 404, "not_found", NULL, "申报不存在 / entry not found"},
    {CALL_NOT_FOUND, 404, "not_found", NULL, "征集不存在 / call not found"},
    {0},
};

entity fund_disbursement_entity = {
    .name = "fund_disbursement",
    .doc = "Money paid out on an awarded entry of a call (资助拨付)",
    .from = " FROM fund_disbursements d",
    .id_column = "d.id",
    .path_column = "d.org_path",
    .order = " ORDER BY d.day, d.id",
    .size = sizeof(disbursement),
    .fields = fund_fields,
    .not_found = FUND_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = fund_errors,
};

/* The entry's award and what was paid on it so far. */
static int award_of(db *c, int64_t entry_id, int64_t *award, int64_t *paid)
{
    qb q;
    qb_init(&q, "SELECT CASE WHEN outcome = 'selected' THEN COALESCE(award_amount, 0) ELSE 0 END FROM call_entries WHERE id = ?");
    qb_int(&q, entry_id);
    int rc = qb_exec(c, &q, award);
    if (rc != DB_OK) return rc;
    qb_init(&q, "SELECT COALESCE(SUM(amount), 0) FROM fund_disbursements WHERE entry_id = ?");
    qb_int(&q, entry_id);
    return qb_exec(c, &q, paid);
}

/* Pays amount on entry e of call (managed by p) in one transaction with its audit
 * (calls_internal.h: the route and the demo). */
int funds_disburse(db *c, const principal *p, arena *a, const entry_rec *e, int64_t amount, const char *day,
                   const char *note, void *out)
{
    int rc = db_begin(c);
    if (rc != DB_OK) return rc;
    int64_t award = 0, paid = 0, id = 0;
    rc = award_of(c, e->id, &award, &paid);
    if (rc == DB_OK && award <= 0) rc = FUND_NOT_AWARDED;
    if (rc == DB_OK && paid + amount > award) rc = FUND_OVER_AWARD;
    char now[32];
    time_now_rfc3339(now);
    if (rc == DB_OK) {
        qb q;
        qb_init(&q, "INSERT INTO fund_disbursements (call_id, entry_id, org_id, org_path, amount, day, note, created_by, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        qb_int(&q, e->call_id), qb_int(&q, e->id), qb_int(&q, e->org_id), qb_text(&q, e->org_path), qb_int(&q, amount);
        qb_text(&q, day), qb_text(&q, note), qb_int(&q, p->user_id), qb_text(&q, now);
        rc = qb_exec(c, &q, &id);
    }
    if (rc == DB_OK) {
        stats_key key = {"funds_disbursed", amount};
        rc = stats_add_keys(c, e->org_path, day, &key, 1, +1);
    }
    /* the row this transaction just wrote */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &fund_disbursement_entity, a, id, out);
    if (rc == DB_OK) rc = entity_audit(c, &fund_disbursement_entity, actor_of(p), e->org_path, id, "disburse", NULL, out);
    if (rc != DB_OK) { db_rollback(c); return rc; }
    return db_commit(c);
}

/* The entry within the caller's scope, or a reply; false then. */
static bool entry_in_scope(request *r, db **c, entry_rec *e)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return false;
    *c = db_thread();
    int rc = *c ? entity_get(*c, &call_entry_entity, &r->principal->scope, &r->arena, id, e) : DB_ERR;
    if (rc != DB_OK) { reply_error_row(r, fund_errors, rc); return false; }
    return true;
}

/* POST /entries/:id/disbursements {amount, day, note?} */
static void handle_disburse(request *r)
{
    db *c;
    entry_rec e;
    call_rec call;
    int64_t amount = 0;
    bool present;
    const char *day, *note = NULL;
    if (!body_int(r, "amount", true, &amount, &present) || !body_day(r, "day", true, &day) ||
        !body_text(r, "note", 200, &note) || !entry_in_scope(r, &c, &e))
        return;
    if (amount <= 0 || amount > 100000000) {
        reply_error(r, 422, "invalid_field", "amount", "拨付金额应为 1 至 1 亿元 / amount: 1 to 100,000,000 yuan");
        return;
    }
    int rc = calls_get_managed(c, r->principal, &r->arena, e.call_id, &call);
    if (rc == CALL_NOT_FOUND) rc = FUND_NOT_MANAGER;
    disbursement out;
    if (rc == DB_OK) rc = funds_disburse(c, r->principal, &r->arena, &e, amount, day, note, &out);
    if (rc != DB_OK) { reply_error_row(r, fund_errors, rc); return; }
    entity_reply(r, &fund_disbursement_entity, 201, &out);
}

/* GET /entries/:id/disbursements: {items, award, paid} */
static void handle_list(request *r)
{
    db *c;
    entry_rec e;
    if (!entry_in_scope(r, &c, &e)) return;
    int64_t award = 0, paid = 0;
    qb where;
    qb_init(&where, " WHERE d.entry_id = ?");
    qb_int(&where, e.id);
    jw w;
    jw_list_open(&w);
    /* the disbursements of an entry read within the caller's scope are filed under its path */
    int rc = entity_list_all(c, &fund_disbursement_entity, &where, NULL, &r->arena, &w, NULL, NULL);
    if (rc == DB_OK) rc = award_of(c, e.id, &award, &paid);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_key(&w, "award"), jw_int(&w, award);
    jw_key(&w, "paid"), jw_int(&w, paid);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static int64_t awarded_sum(db *c, int64_t call_id, int *rc)
{
    int64_t sum = 0;
    qb q;
    qb_init(&q, "SELECT COALESCE(SUM(award_amount), 0) FROM call_entries WHERE call_id = ? AND outcome = 'selected'");
    qb_int(&q, call_id);
    *rc = qb_exec(c, &q, &sum);
    return sum;
}

static void reply_funds(request *r, db *c, int64_t id, int64_t budget);

/* "entries": each funded entry with its award, what was paid and its performance grade (H). */
static int write_funded(db *c, int64_t call_id, jw *w)
{
    qb q;
    qb_init(&q, "SELECT e.id, e.title, o.name, e.award_amount, (SELECT COALESCE(SUM(d.amount), 0) FROM fund_disbursements d "
                "WHERE d.entry_id = e.id), e.grade FROM call_entries e JOIN orgs o ON o.id = e.org_id WHERE e.call_id = ? "
                "AND e.outcome = 'selected' AND e.award_amount > 0 ORDER BY e.id");
    qb_int(&q, call_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    jw_key(w, "entries"), jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        jw_obj(w);
        jw_key(w, "entry_id"), jw_int(w, db_col_int(s, 0));
        jw_key(w, "title"), jw_str(w, db_col_text(s, 1));
        jw_key(w, "org_name"), jw_str(w, db_col_text(s, 2));
        jw_key(w, "award_amount"), jw_int(w, db_col_int(s, 3));
        jw_key(w, "paid"), jw_int(w, db_col_int(s, 4));
        jw_key(w, "grade"), jw_str(w, db_col_text(s, 5));
        jw_obj_end(w);
    }
    db_finish(s);
    jw_arr_end(w);
    return rc == DB_DONE ? DB_OK : rc;
}

/* Sets the call's budget (0: none) in one transaction with its audit; never below the awards
 * already decided (package C's decide keeps later awards within it). */
static int set_budget(db *c, const principal *p, arena *a, const call_rec *call, int64_t budget, call_rec *out)
{
    int rc = db_begin(c);
    if (rc != DB_OK) return rc;
    int64_t awarded = awarded_sum(c, call->id, &rc);
    if (rc == DB_OK && budget > 0 && budget < awarded) rc = FUND_BELOW_AWARDS;
    char now[32];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "UPDATE calls SET budget = ?, updated_at = ? WHERE id = ?");
    qb_int(&q, budget), qb_text(&q, now), qb_int(&q, call->id);
    if (rc == DB_OK) rc = qb_exec(c, &q, NULL);
    else qb_free(&q);
    /* the call this transaction just changed, managed by p */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &call_entity, a, call->id, out);
    if (rc == DB_OK) rc = entity_audit(c, &call_entity, actor_of(p), call->org_path, call->id, "set_budget", call, out);
    if (rc != DB_OK) { db_rollback(c); return rc; }
    return db_commit(c);
}

/* PUT /calls/:id/budget {budget}: whole yuan, 0 for none; answers as GET /calls/:id/funds. */
static void handle_budget(request *r)
{
    int64_t id, budget = 0;
    bool present;
    call_rec call, out;
    if (!param_id(r, 0, &id) || !body_int(r, "budget", true, &budget, &present)) return;
    if (budget < 0 || budget > 10000000000LL) {
        reply_error(r, 422, "invalid_field", "budget", "预算应为 0 至 100 亿元 / budget: 0 to 10,000,000,000 yuan");
        return;
    }
    db *c = db_thread();
    int rc = c ? calls_get_managed(c, r->principal, &r->arena, id, &call) : DB_ERR;
    if (rc == DB_OK) rc = set_budget(c, r->principal, &r->arena, &call, budget, &out);
    if (rc != DB_OK) { reply_error_row(r, fund_errors, rc); return; }
    reply_funds(r, c, id, budget);
}

/* {call_id, budget, awarded, awards, paid, unpaid} of a call its manager read. */
static void reply_funds(request *r, db *c, int64_t id, int64_t budget)
{
    int rc;
    int64_t awarded = awarded_sum(c, id, &rc), awards = 0, paid = 0;
    qb q;
    qb_init(&q, "SELECT COUNT(*) FROM call_entries WHERE call_id = ? AND outcome = 'selected' AND award_amount > 0");
    qb_int(&q, id);
    if (rc == DB_OK) rc = qb_exec(c, &q, &awards);
    else qb_free(&q);
    qb_init(&q, "SELECT COALESCE(SUM(amount), 0) FROM fund_disbursements WHERE call_id = ?");
    qb_int(&q, id);
    if (rc == DB_OK) rc = qb_exec(c, &q, &paid);
    else qb_free(&q);
    if (rc != DB_OK) { reply_db_error(r); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "call_id"), jw_int(&w, id);
    jw_key(&w, "budget"), jw_int(&w, budget);
    jw_key(&w, "awarded"), jw_int(&w, awarded);
    jw_key(&w, "awards"), jw_int(&w, awards);
    jw_key(&w, "paid"), jw_int(&w, paid);
    jw_key(&w, "unpaid"), jw_int(&w, awarded - paid);
    if ((rc = write_funded(c, id, &w)) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* GET /calls/:id/funds */
static void handle_funds(request *r)
{
    int64_t id;
    call_rec call;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? calls_get_managed(c, r->principal, &r->arena, id, &call) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &call_entity, rc); return; }
    reply_funds(r, c, id, call.budget);
}

static const struct route fund_routes[] = {
    {"GET", "/api/v1/calls/:id/funds", handle_funds, RANK_ORG_ADMIN, 0,
     .summary = "A call's budget, the awards decided within it and what was paid out", .entity = &call_entity},
    {"PUT", "/api/v1/calls/:id/budget", handle_budget, RANK_ORG_ADMIN, 0,
     .summary = "Set a call's budget (whole yuan, 0: none; never below the awards decided); answers its funds", .entity = &call_entity},
    {"GET", "/api/v1/entries/:id/disbursements", handle_list, RANK_STAFF, 0,
     .summary = "The payments on an entry's award, with the award and the sum paid", .entity = &fund_disbursement_entity},
    {"POST", "/api/v1/entries/:id/disbursements", handle_disburse, RANK_ORG_ADMIN, 0,
     .summary = "Pay part of an entry's award (never more in all than the award)", .entity = &fund_disbursement_entity},
    {0},
};

/* The funds as statistics (targets and the dashboard read them like any metric): an award counts
 * under funds_awarded at the entrant on the day it was decided (decisions.c moves it when a
 * decision changes), each payment under funds_disbursed on its day. Whole yuan. */
static const char fund_keys[] =
    "SELECT e.org_path, substr(e.decided_at, 1, 10) AS day, 'funds_awarded' AS key, e.award_amount AS n "
    "FROM call_entries e WHERE e.outcome = 'selected' AND e.award_amount > 0 "
    "UNION ALL SELECT f.org_path, f.day, 'funds_disbursed' AS key, f.amount AS n FROM fund_disbursements f";

void funds_init(void)
{
    orgs_track_path_column("fund_disbursements", "org_path");
    stats_register_keyed_metric("funds_awarded");
    stats_register_metric_label("funds_awarded", "立项资助金额");
    stats_register_keyed_metric("funds_disbursed");
    stats_register_metric_label("funds_disbursed", "资助拨付金额");
    stats_register_key_source(fund_keys);
}

void fund_routes_register(void)
{
    router_add_table(fund_routes);
}
