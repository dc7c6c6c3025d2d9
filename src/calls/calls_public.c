/* calls_public.c - the calls' public routes (no login; results.h): a call's 公示 page while its
 * window is open and its final results (names, units, award levels; never phones or numbers of
 * a person), objections within the window (limited per client address and per target, the phone
 * encrypted, masked in every answer), and the public list of active titles. Lists are paged (at
 * most 100) without free-text search. */
#include "calls/calls_internal.h"
#include "calls/results.h"
#include "auth/limiter.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

static const limit_rule objection_ip = {"objection.ip", 5, 600, "KEPU_OBJECTION_LIMIT"};
static const limit_rule objection_target = {"objection.target", 20, 86400, "KEPU_OBJECTION_TARGET_LIMIT"};

#define TOO_OFTEN "提交过于频繁，请稍后再试 / too many objections, retry later"

/* What the public sees of a selected entry (of a re-certification: each holder, kept or revoked). */
static void public_row(jw *w, const entity *e, const void *rec, void *cls)
{
    const entry_decision *d = rec;
    (void)e, (void)cls;
    jw_obj(w);
    jw_key(w, "entry_id"), jw_int(w, d->id);
    jw_key(w, "title"), jw_str(w, d->title);
    jw_key(w, "org_name"), jw_str(w, d->org_name);
    jw_key(w, "subject_name"), d->subject_name ? jw_str(w, d->subject_name) : jw_null(w);
    jw_key(w, "award_level"), d->award_level ? jw_str(w, d->award_level) : jw_null(w);
    jw_key(w, "recommended_up"), jw_bool(w, d->recommended_up);   /* J: 推荐上报 */
    /* a re-certification publishes its holders kept and revoked (recert.c) */
    if (d->outcome && strcmp(d->outcome, "selected") != 0) jw_key(w, "outcome"), jw_str(w, d->outcome);
    jw_obj_end(w);
}

/* {"call": {id, title, org_name, year}, "publicity": {...}?, "items": [...], total, page, page_size}
 * final: the results page (the call final); else the 公示 page (its window open). */
static void reply_results(request *r, bool final)
{
    int64_t id;
    page pg;
    if (!param_id(r, 0, &id) || !query_page(r, &pg)) return;
    if (pg.size > 100) {
        reply_error(r, 422, "invalid_field", "page_size", "page_size 至多 100 / page_size: at most 100");
        return;
    }
    db *c = db_thread();
    call_rec call;
    publicity win = {0};
    /* nobody signs in: a call in 公示 or final is public by its id; others answer 404 */
    int rc = c ? entity_get_unscoped(c, &call_entity, &r->arena, id, &call) : DB_ERR;
    if (rc == DB_OK && strcmp(call.status, final ? "final" : "publicizing") != 0) rc = CALL_NOT_FOUND;
    if (rc == DB_OK && !final) {
        qb q;
        qb_init(&q, " AND x.call_id = ? ORDER BY x.id DESC LIMIT 1");
        qb_int(&q, id);
        rc = entity_get_where_unscoped(c, &publicity_entity, &r->arena, &q, &win);
        if (rc == DB_OK && strcmp(win.status, "open") != 0) rc = CALL_NOT_FOUND;
    }
    if (rc != DB_OK) { reply_error_row(r, results_errors, rc); return; }
    qb where;
    qb_init(&where, " WHERE e.call_id = ? AND e.status = 'decided' AND e.outcome IN ('selected', 'keep', 'revoke')");
    qb_int(&where, id);
    jw w;
    int64_t total = 0;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "call"), jw_obj(&w);
    jw_key(&w, "id"), jw_int(&w, call.id);
    jw_key(&w, "title"), jw_str(&w, call.title);
    jw_key(&w, "org_name"), jw_str(&w, call.org_name);
    jw_key(&w, "year"), jw_int(&w, call.year);
    jw_obj_end(&w);
    if (!final) {
        jw_key(&w, "publicity");
        entity_write(&w, &publicity_entity, &win);
    }
    jw_key(&w, "items");
    rc = entity_list_page(c, &entry_decision_entity, &where, NULL, pg.size, pg.offset, &r->arena, &w, &total, public_row, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_key(&w, "total"), jw_int(&w, total);
    jw_key(&w, "page"), jw_int(&w, pg.page);
    jw_key(&w, "page_size"), jw_int(&w, pg.size);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static void handle_publicity(request *r) { reply_results(r, false); }
static void handle_results(request *r) { reply_results(r, true); }

/* POST /public/calls/:id/objections {entry_id?, name, phone, body}: 201 {id, status}. */
static void handle_object(request *r)
{
    int64_t id, entry_id = 0;
    const char *name, *phone, *body;
    if (!param_id(r, 0, &id)) return;
    if (!limit_take_or_reply(r, &objection_ip, r->ip, TOO_OFTEN)) return;
    if (!body_allow_fields(r, (const char *const[]){"entry_id", "name", "phone", "body", NULL}, NULL) ||
        !body_int(r, "entry_id", false, &entry_id, NULL) || !body_name(r, "name", true, 50, &name) ||
        !body_string(r, "phone", true, &phone) || !body_multiline_text(r, "body", 1000, &body))
        return;
    const char *msg = check_phone(&r->arena, &phone);
    if (msg) { reply_error(r, 422, "invalid_field", "phone", "%s", msg); return; }
    if (!body || !*body) { reply_error(r, 422, "required", "body", "请填写异议内容 / body is required"); return; }
    /* outside the transaction (limiter.h): a refused objection still counts against its target */
    const char *target = arena_printf(&r->arena, "%lld:%lld", (long long)id, (long long)entry_id);
    if (!limit_take_or_reply(r, &objection_target, target, TOO_OFTEN)) return;
    db *c = db_thread();
    objection out;
    int rc = c ? results_object_unscoped(c, &r->arena, id, entry_id, name, phone, body, r->ip, r->request_id, &out) : DB_ERR;
    if (rc != DB_OK) { reply_error_row(r, results_errors, rc); return; }
    reply_json(r, 201, json_pack("{s:I, s:s}", "id", (json_int_t)out.id, "status", out.status));
}

static void title_row(jw *w, const entity *e, const void *rec, void *cls)
{
    const designation *d = rec;
    (void)e, (void)cls;
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, d->id);
    jw_key(w, "kind"), jw_str(w, d->kind);
    jw_key(w, "kind_name"), jw_str(w, d->kind_name);
    jw_key(w, "level"), d->level ? jw_str(w, d->level) : jw_null(w);
    jw_key(w, "name"), jw_str(w, d->name);
    jw_key(w, "org_name"), jw_str(w, d->org_name);
    jw_key(w, "valid_from"), jw_str(w, d->valid_from);
    jw_key(w, "valid_to"), d->valid_to ? jw_str(w, d->valid_to) : jw_null(w);
    jw_obj_end(w);
}

/* GET /public/designations?kind=: the active titles, paged (at most 100). */
static void handle_titles(request *r)
{
    page pg;
    if (!query_page(r, &pg)) return;
    if (pg.size > 100) {
        reply_error(r, 422, "invalid_field", "page_size", "page_size 至多 100 / page_size: at most 100");
        return;
    }
    const char *kind = req_query(r, "kind");
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    qb where;
    /* public: every active title, as the 命名 is announced publicly anyway */
    qb_init(&where, " WHERE 1 = 1");
    if (kind && *kind) qb_sql(&where, " AND d.kind = ?"), qb_text(&where, kind);
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    qb_sql(&where, " AND d.status = 'active' AND (d.valid_to IS NULL OR d.valid_to >= substr(?, 1, 10))");
    char now[32];
    time_now_rfc3339(now);
    qb_text(&where, now);
    int rc = entity_list_page(c, &designation_entity, &where, " ORDER BY d.kind, d.valid_from DESC, d.id", pg.size, pg.offset,
                              &r->arena, &w, &total, title_row, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

static const struct route public_routes[] = {
    {"GET", "/api/v1/public/calls/:id/publicity", handle_publicity, ROUTE_PUBLIC, 0,
     .summary = "A call's 公示 page while its window is open: the selected entries", .entity = &entry_decision_entity},
    {"GET", "/api/v1/public/calls/:id/results", handle_results, ROUTE_PUBLIC, 0,
     .summary = "A final call's results (no login)", .entity = &entry_decision_entity},
    {"POST", "/api/v1/public/calls/:id/objections", handle_object, ROUTE_PUBLIC, 0,
     .summary = "Object to a call's 公示 (no login; limited per address and per target)", .entity = &objection_entity},
    {"GET", "/api/v1/public/designations", handle_titles, ROUTE_PUBLIC, 0, .summary = "The active titles (命名), paged",
     .entity = &designation_entity},
    {0},
};

void calls_public_register_routes(void) { router_add_table(public_routes); }

/* Every title counts once under titles.<kind> on its first day, and a revoked one once more under
 * titles_revoked.<kind> on the day of its revocation (designations.c keeps them current). */
static const char title_keys[] =
    "SELECT d.org_path, d.valid_from AS day, 'titles.' || d.kind AS key, 1 AS n FROM designations d "
    "UNION ALL SELECT d.org_path, substr(d.revoked_at, 1, 10) AS day, 'titles_revoked.' || d.kind AS key, 1 AS n "
    "FROM designations d WHERE d.revoked_at IS NOT NULL";

void results_init(void)
{
    stats_register_keyed_prefix("titles.");
    stats_register_keyed_prefix("titles_revoked.");
    stats_register_key_source(title_keys);
    static const char *const tables[] = {"designations", "call_publicities", "call_objections", "award_certificates"};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) orgs_track_path_column(tables[i], "org_path");
}
