/* notices_api.c - the HTTP side of notices (docs/api.md: Notices): the input rules (the body
 * sanitized, the target checked, deadlines), the inbox and the sent list, one notice (opening it
 * marks the caller's unit's receipt read), and publish / withdraw / correction / reopen. */
#include "notices/notices.h"
#include "core/period.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/org_targets.h"
#include <stdlib.h>
#include <string.h>

MESSAGE(msg_target, "target 应为 {org_types, under, org_ids} / target: {org_types: [...], under: id, org_ids: [...]}");
MESSAGE(msg_deadline_req, "需要回执时须给出回执截止时间 / a reply needs a deadline");
MESSAGE(msg_time, "时间应为日期或带 +08:00 的时间 / a day, or an RFC 3339 time with +08:00");

/* The shared check (orgs/org_targets.h), answered with the notices' own message. */
static bool check_target(request *r, notice *n)
{
    json_t *t = json_object_get(r->json, "target");
    if (!t) return true;
    if (org_targets_check(&r->arena, t, &n->target)) {
        reply_error(r, 422, "invalid_field", "target", "%s", msg_target);
        return false;
    }
    return true;
}

bool notices_input(request *r, void *rec, bool creating)
{
    notice *n = rec;
    if (!check_target(r, n)) return false;
    if (creating && !n->category) n->category = notice_categories[0];
    if (n->body) {
        char *clean = notice_html_sanitize(n->body, strlen(n->body));
        n->body = arena_strdup(&r->arena, clean);
        free(clean);
    }
    if (n->contact_phone) {
        const char *msg = check_phone(&r->arena, &n->contact_phone);
        /* a landline (023-6xxxxxxx) is as good as a mobile: digits, dashes and spaces */
        if (msg && strspn(n->contact_phone, "0123456789- ") != strlen(n->contact_phone)) {
            reply_error(r, 422, "invalid_field", "contact_phone", "%s", msg);
            return false;
        }
    }
    if (n->reply_names) n->reply_required = true;
    if (n->reply_required && !n->reply_deadline) {
        reply_error(r, 422, "required", "reply_deadline", "%s", msg_deadline_req);
        return false;
    }
    return true;
}

/* The caller's unit's receipt of a notice, for a row of the inbox or the notice's page. */
static void write_my_receipt(jw *w, db *c, arena *a, int64_t notice_id, int64_t org_id, bool names)
{
    qb q;
    qb_init(&q, "SELECT id, read_at, replied_at, reply_text FROM notice_recipients WHERE notice_id = ? AND org_id = ?");
    qb_int(&q, notice_id), qb_int(&q, org_id);
    db_stmt *s = qb_prepare(&q, c);
    int64_t rid = 0;
    jw_key(w, "my_receipt");
    if (s && db_step(s) == DB_ROW) {
        rid = db_col_int(s, 0);
        jw_obj(w);
        jw_key(w, "id"), jw_int(w, rid);
        jw_key(w, "read_at"), db_col_null(s, 1) ? jw_null(w) : jw_str(w, db_col_text(s, 1));
        jw_key(w, "replied_at"), db_col_null(s, 2) ? jw_null(w) : jw_str(w, db_col_text(s, 2));
        jw_key(w, "reply_text"), db_col_null(s, 3) ? jw_null(w) : jw_str(w, db_col_text(s, 3));
    } else {
        jw_null(w);
    }
    if (s) db_finish(s);
    if (!rid) return;
    if (names) {
        qb_init(&q, "SELECT name, unit, phone FROM notice_reply_names WHERE recipient_id = ? ORDER BY pos");
        qb_int(&q, rid);
        s = qb_prepare(&q, c);
        jw_key(w, "names"), jw_arr(w);
        while (s && db_step(s) == DB_ROW) {
            char masked[32] = "";
            const char *phone = db_col_null(s, 2) ? NULL : pii_decrypt(a, db_col_text(s, 2));
            if (phone) mask_phone(phone, masked, sizeof masked);
            jw_obj(w);
            jw_key(w, "name"), jw_str(w, db_col_text(s, 0));
            jw_key(w, "unit"), db_col_null(s, 1) ? jw_null(w) : jw_str(w, db_col_text(s, 1));
            jw_key(w, "phone"), phone ? jw_str(w, masked) : jw_null(w);
            jw_obj_end(w);
        }
        if (s) db_finish(s);
        jw_arr_end(w);
    }
    jw_obj_end(w);
}

struct inbox_cls { db *c; arena *a; int64_t org_id; };

static void inbox_row(jw *w, const entity *e, const void *rec, void *cls)
{
    struct inbox_cls *ic = cls;
    const notice *n = rec;
    jw_obj(w);
    entity_write_fields(w, e, rec);
    write_my_receipt(w, ic->c, ic->a, n->id, ic->org_id, false);
    jw_obj_end(w);
}

static const char *const boxes[] = {"inbox", "sent", NULL};

/* GET /notices?box=inbox|sent: inbox (default) the published notices the caller's unit received,
 * newest first (?unread=1: not yet read); sent the ones the caller's scope sent, with ?status=,
 * ?category=, ?from=&to= (days of creation), ?q=. */
static void handle_list(request *r)
{
    db *c = db_thread();
    qb where;
    page pg;
    if (!query_choice(r, "box", boxes) || !query_choice(r, "unread", (const char *const[]){"0", "1", NULL})) return;
    const char *box = req_query(r, "box"), *from = req_query(r, "from"), *to = req_query(r, "to");
    bool sent = box && !strcmp(box, "sent");
    if ((from && *from && !day_valid(from)) || (to && *to && !day_valid(to))) {
        reply_error(r, 422, "invalid_field", from && *from && !day_valid(from) ? "from" : "to", "日期应为 YYYY-MM-DD / a day YYYY-MM-DD");
        return;
    }
    if (!entity_list_begin(r, c, &notice_entity, &where, &pg)) return;
    char now[32];
    time_now_rfc3339(now);
    if (sent) {
        scope_filter(&r->principal->scope, &where, "n.org_path");
        if (from && *from) qb_sql(&where, " AND n.created_at >= ?"), qb_text(&where, from);
        if (to && *to) qb_sql(&where, " AND substr(n.created_at, 1, 10) <= ?"), qb_text(&where, to);
        entity_reply_list(r, c, &notice_entity, &where, NULL, &pg);
        return;
    }
    const char *unread = req_query(r, "unread");
    qb_sql(&where, " AND n.status <> 'draft' AND n.publish_at <= ? AND EXISTS (SELECT 1 FROM notice_recipients nr"
                   " WHERE nr.notice_id = n.id AND nr.org_id = ?");
    qb_text(&where, now), qb_int(&where, r->principal->org_id);
    if (unread && !strcmp(unread, "1")) qb_sql(&where, " AND nr.read_at IS NULL AND nr.status = 'active'");
    qb_sql(&where, ")");
    jw w;
    int64_t total = 0;
    jw_list_open(&w);
    struct inbox_cls ic = {c, &r->arena, r->principal->org_id};
    int rc = entity_list_page(c, &notice_entity, &where, " ORDER BY n.publish_at DESC, n.id DESC", pg.size, pg.offset,
                              &r->arena, &w, &total, inbox_row, &ic);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    reply_jw_list(r, &w, total, pg.page, pg.size);
}

/* GET /notices/:id: the notice; its recipient unit's user opening it marks the receipt read. The
 * answer adds my_receipt (the caller's unit's, with its names) and, for a correction, the title
 * of the notice it corrects. */
static void handle_get(request *r)
{
    int64_t id;
    notice n;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    if (!c) { reply_db_error(r); return; }
    int rc = entity_get(c, &notice_entity, &r->principal->scope, &r->arena, id, &n);
    if (rc != DB_OK) { entity_reply_error(r, &notice_entity, rc); return; }
    /* the read snapshot ends here: the receipt is a write of its own */
    db_read_end(c);
    if (notices_mark_read(c, r->principal, &n) != DB_OK) { reply_db_error(r); return; }
    jw w;
    jw_init(&w);
    jw_obj(&w);
    entity_write_fields(&w, &notice_entity, &n);
    jw_key(&w, "manages"), jw_bool(&w, scope_covers(&r->principal->scope, n.org_path));
    if (n.corrects_id) {
        /* the corrected notice as the caller sees it (its recipients and its senders do; anyone
         * else gets no title) */
        notice old;
        jw_key(&w, "corrects_title");
        if (entity_get(c, &notice_entity, &r->principal->scope, &r->arena, n.corrects_id, &old) == DB_OK) jw_str(&w, old.title);
        else jw_null(&w);
    }
    write_my_receipt(&w, c, &r->arena, n.id, r->principal->org_id, n.reply_names);
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static bool body_time(request *r, const char *name, bool required, const char **out)
{
    const char *v = NULL;
    char norm[32];
    if (!body_string(r, name, required, &v)) return false;
    if (!v) { *out = NULL; return true; }
    if (!notices_time_normalise(v, norm, strcmp(name, "publish_at") != 0)) {
        reply_error(r, 422, "invalid_field", name, "%s", msg_time);
        return false;
    }
    *out = arena_strdup(&r->arena, norm);
    return true;
}

/* POST /notices/:id/publish {publish_at?} */
static void handle_publish(request *r)
{
    int64_t id;
    const char *at = NULL;
    notice out;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    if (r->json && (!body_allow_fields(r, (const char *const[]){"publish_at", NULL}, NULL) || !body_time(r, "publish_at", false, &at)))
        return;
    if (!c) { reply_db_error(r); return; }
    entity_reply_result(r, &notice_entity, notices_publish(c, r->principal, &r->arena, id, at, &out), 200, &out);
}

/* POST /notices/:id/withdraw {reason} */
static void handle_withdraw(request *r)
{
    int64_t id;
    const char *reason = NULL;
    notice out;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    if (!body_allow_fields(r, (const char *const[]){"reason", NULL}, NULL) || !body_name(r, "reason", true, 200, &reason)) return;
    if (!c) { reply_db_error(r); return; }
    entity_reply_result(r, &notice_entity, notices_withdraw(c, r->principal, &r->arena, id, reason, &out), 200, &out);
}

/* POST /notices/:id/correction {title?, body?}: 201 with the correction. */
static void handle_correction(request *r)
{
    int64_t id;
    const char *title = NULL, *body = NULL;
    notice out;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    if (!body_allow_fields(r, (const char *const[]){"title", "body", NULL}, NULL) || !body_name(r, "title", false, 200, &title) ||
        !body_multiline_text(r, "body", 100000, &body))
        return;
    if (body) {
        char *clean = notice_html_sanitize(body, strlen(body));
        body = arena_strdup(&r->arena, clean);
        free(clean);
    }
    if (!c) { reply_db_error(r); return; }
    entity_reply_result(r, &notice_entity, notices_correct(c, r->principal, &r->arena, id, title, body, &out), 201, &out);
}

/* POST /notices/:id/reopen {reply_deadline}: a new deadline for the replies. */
static void handle_reopen(request *r)
{
    int64_t id;
    const char *deadline = NULL;
    notice out;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    if (!body_allow_fields(r, (const char *const[]){"reply_deadline", NULL}, NULL) || !body_time(r, "reply_deadline", true, &deadline))
        return;
    if (!c) { reply_db_error(r); return; }
    entity_reply_result(r, &notice_entity, notices_reopen(c, r->principal, &r->arena, id, deadline, &out), 200, &out);
}

void notices_receipts_register_routes(void);
void notices_public_register_routes(void);

static const struct route notice_routes[] = {
    {"GET", "/api/v1/notices", handle_list, RANK_STAFF, 0,
     .summary = "Notices: ?box=inbox (received by the caller's unit, default) or ?box=sent (sent by the caller's scope)",
     .entity = &notice_entity},
    {"POST", "/api/v1/notices", entity_handle_create, RANK_ORG_ADMIN, 0, .summary = "Compose a notice (draft)",
     .entity = &notice_entity},
    {"GET", "/api/v1/notices/:id", handle_get, RANK_STAFF, 0,
     .summary = "One notice; opened by a recipient unit's user it marks the unit's receipt read", .entity = &notice_entity},
    {"PATCH", "/api/v1/notices/:id", entity_handle_update, RANK_ORG_ADMIN, 0, .summary = "Change a draft notice",
     .entity = &notice_entity},
    {"POST", "/api/v1/notices/:id/publish", handle_publish, RANK_ORG_ADMIN, 0,
     .summary = "Publish a draft now or at publish_at: its target resolved into recipient units", .entity = &notice_entity},
    {"POST", "/api/v1/notices/:id/withdraw", handle_withdraw, RANK_ORG_ADMIN, 0, .summary = "Withdraw a notice with a reason",
     .entity = &notice_entity},
    {"POST", "/api/v1/notices/:id/correction", handle_correction, RANK_ORG_ADMIN, 0,
     .summary = "Correct a notice: a new notice (更正) to the same units, each told", .entity = &notice_entity},
    {"POST", "/api/v1/notices/:id/reopen", handle_reopen, RANK_ORG_ADMIN, 0,
     .summary = "Reopen a notice's replies with a new deadline", .entity = &notice_entity},
    {0},
};

void notices_register_routes(void)
{
    router_add_table(notice_routes);
    notices_receipts_register_routes();
    notices_public_register_routes();
    notices_init();
}
