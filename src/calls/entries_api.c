/* entries_api.c - HTTP side of a call's entries (docs/api.md: Calls): list and create under a
 * call, autosave, the moves (submit, return, withdraw, recommend, not-recommend) and the
 * history. Values are checked against the call's form here, so that a 422 names the field. */
#include "calls/calls_internal.h"
#include "files/attachments.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <string.h>

/* The call of path parameter 0 as the caller sees it, and the connection: NULL after replying. */
static db *load_call(request *r, call_rec *call)
{
    int64_t id;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return NULL;
    int rc = c ? entity_get(c, &call_entity, &r->principal->scope, &r->arena, id, call) : DB_ERR;
    if (rc != DB_OK) entity_reply_error(r, &call_entity, rc);
    return rc == DB_OK ? c : NULL;
}

/* values (optional): an object checked against the call's form (complete: as on submit), its
 * nodes and persons against the database. */
static bool read_values(request *r, db *c, const call_rec *call, bool complete, json_t **out)
{
    json_t *v = json_object_get(r->json, "values");
    *out = v;
    if (!v) return true;
    json_t *form = json_loads(call->form, 0, NULL);
    call_form_error err;
    bool ok = call_form_check_values(form, v, complete, &err);
    int rc = ok ? entries_check_refs(c, call, form, v, &err) : DB_OK;
    json_decref(form);
    if (!ok || rc == ENTRY_INCOMPLETE) reply_error(r, 422, err.code, err.field, "%s", err.message);
    else if (rc != DB_OK) reply_db_error(r);
    return ok && rc == DB_OK;
}

static void handle_list(request *r)
{
    call_rec call;
    qb where;
    page pg;
    db *c = load_call(r, &call);
    if (!c || !entity_list_begin(r, c, &call_entry_entity, &where, &pg)) return;
    qb_sql(&where, " AND e.call_id = ?"), qb_int(&where, call.id);
    entity_reply_list(r, c, &call_entry_entity, &where, NULL, &pg);
}

static void handle_create(request *r)
{
    static const char *const allowed[] = {"org_id", "title", "values", NULL};
    call_rec call;
    int64_t org_id = 0;
    const char *title;
    json_t *values, *empty = NULL;
    db *c = load_call(r, &call);
    if (!c || !body_allow_fields(r, allowed, NULL) || !body_int(r, "org_id", false, &org_id, NULL) ||
        !body_name(r, "title", true, 200, &title) || !read_values(r, c, &call, false, &values))
        return;
    if (!values) values = empty = json_object();
    entry_rec out;
    int rc = entries_create(c, r->principal, &r->arena, &call, org_id, title, values, &out);
    json_decref(empty);
    entity_reply_result(r, &call_entry_entity, rc, 201, &out);
}

/* The entry of path parameter 0 and its call, for checking values: NULL after replying. */
static db *load_entry_form(request *r, int64_t *id, call_rec *call)
{
    entry_rec e;
    db *c = db_thread();
    if (!param_id(r, 0, id)) return NULL;
    int rc = c ? entity_get(c, &call_entry_entity, &r->principal->scope, &r->arena, *id, &e) : DB_ERR;
    /* the entry was read within the caller's scope: its call is the one it belongs to */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &call_entity, &r->arena, e.call_id, call);
    if (rc != DB_OK) { entity_reply_error(r, &call_entry_entity, rc); return NULL; }
    call->form = calls_entry_form(call, &e, &r->arena);   /* a follow-up report: the report form (H) */
    return c;
}

/* PATCH /entries/:id {title?, values?}: the autosave of a draft or returned entry. */
static void handle_save(request *r)
{
    static const char *const allowed[] = {"title", "values", NULL};
    int64_t id;
    const char *title = NULL;
    call_rec call;
    json_t *values;
    db *c = load_entry_form(r, &id, &call);
    if (!c || !body_allow_fields(r, allowed, NULL) || !body_name(r, "title", false, 200, &title) ||
        !read_values(r, c, &call, false, &values))
        return;
    entry_rec out;
    entity_reply_result(r, &call_entry_entity, entries_save(c, r->principal, &r->arena, id, title, values, &out), 200, &out);
}

static void handle_submit(request *r)
{
    int64_t id;
    call_rec call;
    entry_rec e;
    db *c = load_entry_form(r, &id, &call);
    /* no body, or an empty object */
    if (!c || (r->json && !body_allow_fields(r, (const char *const[]){NULL}, NULL))) return;
    /* the stored values, complete as the form asks: a 422 names the missing field */
    int rc = entity_get(c, &call_entry_entity, &r->principal->scope, &r->arena, id, &e);
    if (rc == DB_OK && (!strcmp(e.status, "draft") || !strcmp(e.status, "returned"))) {
        json_t *f = json_loads(call.form, 0, NULL), *v = json_loads(e.values, 0, NULL);
        call_form_error err;
        bool ok = call_form_check_values(f, v, true, &err);
        json_decref(f), json_decref(v);
        if (!ok && entries_is_entrant(r->principal, &e)) {
            reply_error(r, 422, err.code, err.field, "%s", err.message);
            return;
        }
    }
    entry_rec out;
    if (rc == DB_OK) rc = entries_act(c, r->principal, &r->arena, id, ENTRY_SUBMIT, NULL, &out);
    entity_reply_result(r, &call_entry_entity, rc, 200, &out);
}

static void handle_act(request *r)
{
    int64_t id;
    const char *reason = NULL;
    entry_action act = (entry_action)(intptr_t)r->route->cls;
    static const char *const with_reason[] = {"reason", NULL};
    if (!param_id(r, 0, &id) || (r->json && !body_allow_fields(r, with_reason, NULL)) ||
        !body_name(r, "reason", act == ENTRY_RETURN, 500, &reason))
        return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    entry_rec out;
    entity_reply_result(r, &call_entry_entity, entries_act(c, r->principal, &r->arena, id, act, reason, &out), 200, &out);
}

static void handle_history(request *r)
{
    int64_t id;
    entry_rec e;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    int rc = c ? entity_get(c, &call_entry_entity, &r->principal->scope, &r->arena, id, &e) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &call_entry_entity, rc); return; }
    qb where;
    qb_init(&where, " WHERE s.entry_id = ?");   /* the steps of an entry read within the scope */
    qb_int(&where, id);
    jw w;
    jw_list_open(&w);
    rc = entity_list_all(c, &call_entry_step_entity, &where, NULL, &r->arena, &w, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

#define ACT(a) .cls = (const void *)(intptr_t)(a)
static const struct route entry_routes[] = {
    {"GET", "/api/v1/calls/:id/entries", handle_list, RANK_STAFF, 0, .summary = "Entries of a call the caller sees",
     .entity = &call_entry_entity},
    {"POST", "/api/v1/calls/:id/entries", handle_create, RANK_STAFF, 0, .summary = "Start an entry (a draft) for an eligible unit",
     .entity = &call_entry_entity},
    {"GET", "/api/v1/entries/:id", entity_handle_get, RANK_STAFF, 0, .summary = "One entry", .entity = &call_entry_entity},
    {"PATCH", "/api/v1/entries/:id", handle_save, RANK_STAFF, 0, .summary = "Save a draft or returned entry (autosave)",
     .entity = &call_entry_entity},
    {"POST", "/api/v1/entries/:id/submit", handle_submit, RANK_STAFF, 0,
     .summary = "Submit (提交) an entry: deadline, quota, evidence; figures snapshotted", .entity = &call_entry_entity},
    {"POST", "/api/v1/entries/:id/return", handle_act, RANK_ORG_ADMIN, 0, .summary = "Return (退回) an entry with a reason",
     .entity = &call_entry_entity, ACT(ENTRY_RETURN)},
    {"POST", "/api/v1/entries/:id/withdraw", handle_act, RANK_STAFF, 0, .summary = "Withdraw (撤回) an entry",
     .entity = &call_entry_entity, ACT(ENTRY_WITHDRAW)},
    {"POST", "/api/v1/entries/:id/recommend", handle_act, RANK_ORG_ADMIN, 0,
     .summary = "Recommend (推荐) an entry to the next stage, within the stage's quota", .entity = &call_entry_entity,
     ACT(ENTRY_RECOMMEND)},
    {"POST", "/api/v1/entries/:id/not-recommend", handle_act, RANK_ORG_ADMIN, 0, .summary = "Do not recommend an entry (closed)",
     .entity = &call_entry_entity, ACT(ENTRY_NOT_RECOMMEND)},
    {"GET", "/api/v1/entries/:id/history", handle_history, RANK_STAFF, 0, .summary = "An entry's history (steps)",
     .entity = &call_entry_step_entity},
    {0},
};
#undef ACT

void entries_register_routes(void)
{
    router_add_table(entry_routes);
}
