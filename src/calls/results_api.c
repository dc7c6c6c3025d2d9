/* results_api.c - HTTP side of decisions, the 公示 and finalize (results.h; docs/api.md: Calls,
 * results and titles). Every route manages a call (the owner's scope, ORG_ADMIN). */
#include "calls/calls_internal.h"
#include "calls/results.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

static const char *const outcomes[] = {"selected", "rejected", "revoke", "keep", NULL};   /* the last two: recert.c */
static const char *const answers[] = {"upheld", "dismissed", NULL};

/* POST /entries/:id/decide {outcome, award_level?, award_amount?, reason} */
static void handle_decide(request *r)
{
    int64_t id, amount = 0;
    const char *outcome, *level = NULL, *reason;
    bool present;
    if (!param_id(r, 0, &id) || !body_enum(r, "outcome", true, outcomes, &outcome) ||
        !body_name(r, "award_level", false, 20, &level) || !body_int(r, "award_amount", false, &amount, &present) ||
        !body_name(r, "reason", true, 500, &reason))
        return;
    if (amount < 0 || amount > 100000000) {
        reply_error(r, 422, "invalid_field", "award_amount", "奖励金额应为 0 至 1 亿元 / award_amount: 0 to 100,000,000 yuan");
        return;
    }
    db *c = db_thread();
    entry_decision out;
    int rc = c ? results_decide(c, r->principal, &r->arena, id, outcome, level, amount, reason, &out) : DB_ERR;
    entity_reply_result(r, &entry_decision_entity, rc, 200, &out);
}

/* The call as its manager sees it, or a reply; false then. */
static bool managed(request *r, db **c, call_rec *call)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return false;
    *c = db_thread();
    int rc = *c ? calls_get_managed(*c, r->principal, &r->arena, id, call) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &call_entity, rc); return false; }
    return true;
}

/* GET /calls/:id/decisions: the entries at the owner's stage and their decisions, paged;
 * ?outcome=selected|rejected|none. */
static void handle_decisions(request *r)
{
    db *c;
    call_rec call;
    page pg;
    if (!query_page(r, &pg) || !query_choice(r, "outcome", (const char *const[]){"selected", "rejected", "none", NULL}) ||
        !managed(r, &c, &call))
        return;
    qb where;
    /* the call is the caller's to manage: its entries past draft are in view */
    qb_init(&where, " WHERE e.call_id = ? AND e.kind = 'entry' AND e.stage_org_id = ? AND e.status IN "
                    "('submitted', 'recommended', 'under_review', 'decided')");
    qb_int(&where, call.id), qb_int(&where, call.org_id);
    const char *o = req_query(r, "outcome");
    if (o && !strcmp(o, "none")) qb_sql(&where, " AND e.outcome IS NULL");
    else if (o && *o) qb_sql(&where, " AND e.outcome = ?"), qb_text(&where, o);
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    int rc = entity_list_page(c, &entry_decision_entity, &where, NULL, pg.size, pg.offset, &r->arena, &w, &total, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

/* POST /calls/:id/publicity {ends_at, body?, reason?} */
static void handle_publicity(request *r)
{
    int64_t id;
    const char *ends_at, *body = NULL, *reason = NULL;
    char norm[32];
    if (!param_id(r, 0, &id) || !body_string(r, "ends_at", true, &ends_at) || !body_multiline_text(r, "body", 5000, &body) ||
        !body_name(r, "reason", false, 500, &reason))
        return;
    if (!calls_deadline_normalise(ends_at, norm)) {
        reply_error(r, 422, "invalid_field", "ends_at", "公示结束时间应为日期或带 +08:00 的时间 / ends_at: a day, or an RFC 3339 time with +08:00");
        return;
    }
    db *c = db_thread();
    publicity out;
    int rc = c ? results_publicize(c, r->principal, &r->arena, id, arena_strdup(&r->arena, norm), body, reason, &out) : DB_ERR;
    entity_reply_result(r, &publicity_entity, rc, 200, &out);
}

/* GET /calls/:id/objections: the objections of the call's windows, phones masked. */
static void handle_objections(request *r)
{
    db *c;
    call_rec call;
    page pg;
    if (!query_page(r, &pg) || !query_choice(r, "status", (const char *const[]){"received", "upheld", "dismissed", NULL}) ||
        !managed(r, &c, &call))
        return;
    qb where;
    qb_init(&where, " WHERE j.call_id = ?");   /* the call is the caller's to manage */
    qb_int(&where, call.id);
    const char *status = req_query(r, "status");
    if (status && *status) qb_sql(&where, " AND j.status = ?"), qb_text(&where, status);
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    int rc = entity_list_page(c, &objection_entity, &where, NULL, pg.size, pg.offset, &r->arena, &w, &total, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

/* POST /objections/:id/respond {decision: upheld|dismissed, response} */
static void handle_respond(request *r)
{
    int64_t id;
    const char *decision, *response;
    if (!param_id(r, 0, &id) || !body_enum(r, "decision", true, answers, &decision) ||
        !body_name(r, "response", true, 1000, &response))
        return;
    db *c = db_thread();
    objection out;
    int rc = c ? results_respond(c, r->principal, &r->arena, id, decision, response, &out) : DB_ERR;
    entity_reply_result(r, &objection_entity, rc, 200, &out);
}

static void handle_finalize(request *r)
{
    int64_t id;
    call_rec out;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? results_finalize(c, r->principal, &r->arena, id, &out) : DB_ERR;
    if (rc != DB_OK) { reply_error_row(r, results_errors, rc); return; }
    entity_reply(r, &call_entity, 200, &out);
}

static const struct route results_routes[] = {
    {"POST", "/api/v1/entries/:id/decide", handle_decide, RANK_ORG_ADMIN, 0,
     .summary = "Decide an entry at the owner's stage: selected or rejected, award level and amount, reason",
     .entity = &entry_decision_entity},
    {"GET", "/api/v1/calls/:id/decisions", handle_decisions, RANK_ORG_ADMIN, 0,
     .summary = "The entries at the owner's stage with their decisions; ?outcome=selected|rejected|none",
     .entity = &entry_decision_entity},
    {"POST", "/api/v1/calls/:id/publicity", handle_publicity, RANK_ORG_ADMIN, 0,
     .summary = "Open the 公示 window of the decisions (or change an open one, with a reason)", .entity = &publicity_entity},
    {"GET", "/api/v1/calls/:id/objections", handle_objections, RANK_ORG_ADMIN, 0,
     .summary = "Objections to a call's 公示 (phones masked); ?status=", .entity = &objection_entity},
    {"POST", "/api/v1/objections/:id/respond", handle_respond, RANK_ORG_ADMIN, 0,
     .summary = "Answer an objection: upheld or dismissed, with a response", .entity = &objection_entity},
    {"POST", "/api/v1/calls/:id/finalize", handle_finalize, RANK_ORG_ADMIN, 0,
     .summary = "Final results after the 公示: titles and award certificates of the selected entries", .entity = &call_entity},
    {0},
};

void results_register_routes(void)
{
    router_add_table(results_routes);
    designations_register_routes();
    award_cert_register_routes();
    calls_public_register_routes();
}
