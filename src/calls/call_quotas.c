/* call_quotas.c - a call's units (call_units): the named eligible units (stage 0) and per-unit
 * overrides of the quotas: at stage 0 a unit's minimum and maximum of entries, at a stage k >= 1
 * the maximum of recommendations of the unit holding that stage. GET /calls/:id/quotas lists the
 * rows the caller's scope covers; PUT replaces them all (the call's managers, draft or open),
 * audited as the call's "set_quotas". */
#include "calls/calls_internal.h"
#include "audit/audit.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAX_UNITS 2000

typedef struct unit_quota {
    int64_t call_id, stage_no, org_id, min_entries, max_entries;
    const char *org_name, *org_path;
} unit_quota;

#define Q(member) offsetof(unit_quota, member)
static const field quota_fields[] = {
    {"call_id", "u.call_id", FT_ID, Q(call_id), .flags = 0},
    {"stage_no", "u.stage_no", FT_INT, Q(stage_no), .flags = 0, .doc = "0: the unit as an entrant; k: as the holder of stage k"},
    {"org_id", "u.org_id", FT_ID, Q(org_id), .flags = 0},
    {"org_name", "o.name", FT_TEXT, Q(org_name), .flags = 0},
    {"org_path", "u.org_path", FT_TEXT, Q(org_path), .flags = FF_HIDDEN},
    {"min_entries", "u.min_entries", FT_INT_NULL, Q(min_entries), .flags = 0, .doc = "null: the call's min_per_unit"},
    {"max_entries", "u.max_entries", FT_INT_NULL, Q(max_entries), .flags = 0,
     .doc = "null: the call's max_per_unit (stage 0) or the stage's max_recommend"},
    {0},
};
#undef Q

/* Read only through its call (GET /calls/:id/quotas), filtered by the caller's scope. */
entity call_unit_quota_entity = {
    .name = "call_unit_quota",
    .doc = "A unit named by a call, or its quota override at a stage",
    .from = " FROM call_units u JOIN orgs o ON o.id = u.org_id",
    .id_column = "u.org_id",
    .path_column = "u.org_path",
    .order = " ORDER BY u.stage_no, u.org_id",
    .size = sizeof(unit_quota),
    .fields = quota_fields,
    .not_found = CALL_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = call_errors,
};

static int write_rows(db *c, const principal *p, arena *a, int64_t call_id, jw *w)
{
    qb where;
    qb_init(&where, " WHERE u.call_id = ?");
    qb_int(&where, call_id);
    scope_filter(&p->scope, &where, "u.org_path");
    return entity_list_all(c, &call_unit_quota_entity, &where, NULL, a, w, NULL, NULL);
}

static void handle_get(request *r)
{
    int64_t id;
    call_rec call;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    int rc = c ? entity_get(c, &call_entity, &r->principal->scope, &r->arena, id, &call) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &call_entity, rc); return; }
    jw w;
    jw_list_open(&w);
    if ((rc = write_rows(c, r->principal, &r->arena, id, &w)) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

struct put { const principal *p; arena *a; int64_t id; json_t *units; int bad; };

static json_t *rows_json(db *c, const principal *p, arena *a, int64_t id)
{
    jw w;
    jw_init(&w);
    json_t *j = write_rows(c, p, a, id, &w) == DB_OK ? jw_to_json(&w) : NULL;
    jw_free(&w);
    return j;
}

static int put_cb(db *c, void *cls)
{
    struct put *x = cls;
    call_rec call;
    int rc = calls_get_managed(c, x->p, x->a, x->id, &call);
    if (rc != DB_OK) return rc;
    if (strcmp(call.status, "draft") != 0 && strcmp(call.status, "open") != 0) return CALL_STATE;
    json_t *before = rows_json(c, x->p, x->a, x->id);
    qb q;
    qb_init(&q, "DELETE FROM call_units WHERE call_id = ?");
    qb_int(&q, x->id);
    rc = qb_exec(c, &q, NULL);
    size_t i;
    json_t *u;
    json_array_foreach(x->units, i, u) {
        if (rc != DB_OK) break;
        const char *path = NULL;
        x->bad = (int)i;
        rc = entity_org_path(c, &x->p->scope, x->a, json_integer_value(json_object_get(u, "org_id")), CALL_ORG_NOT_FOUND, &path);
        size_t n = strlen(call.org_path);
        if (rc == DB_OK && (strncmp(path, call.org_path, n) != 0 || !path[n])) rc = CALL_ORG_NOT_FOUND;   /* not below the owner */
        if (rc != DB_OK) break;
        json_t *lo = json_object_get(u, "min_entries"), *hi = json_object_get(u, "max_entries");
        qb_init(&q, "INSERT INTO call_units (call_id, stage_no, org_id, org_path, min_entries, max_entries) VALUES (?, ?, ?, ?, ");
        qb_int(&q, x->id), qb_int(&q, json_integer_value(json_object_get(u, "stage_no")));
        qb_int(&q, json_integer_value(json_object_get(u, "org_id"))), qb_text(&q, path);
        qb_sql(&q, json_is_integer(lo) ? "?, " : "NULL, ");
        if (json_is_integer(lo)) qb_int(&q, json_integer_value(lo));
        qb_sql(&q, json_is_integer(hi) ? "?)" : "NULL)");
        if (json_is_integer(hi)) qb_int(&q, json_integer_value(hi));
        rc = qb_exec(c, &q, NULL);
        if (rc == DB_UNIQUE) rc = CALL_QUOTA_DUPLICATE;
    }
    json_t *after = rc == DB_OK ? rows_json(c, x->p, x->a, x->id) : NULL;
    if (rc == DB_OK) rc = audit_record(c, actor_of(x->p), call.org_path, "call", x->id, "set_quotas", before, after);
    json_decref(before), json_decref(after);
    return rc;
}

/* units: [{org_id, stage_no?, min_entries?, max_entries?}], at most 2000; checked before the
 * transaction so that a 422 names the item. */
static bool read_units(request *r, json_t **out)
{
    static const char *const members[] = {"org_id", "stage_no", "min_entries", "max_entries", NULL};
    json_t *units = json_object_get(r->json, "units"), *u;
    size_t i;
    if (!json_is_array(units) || json_array_size(units) > MAX_UNITS) {
        reply_error(r, 422, "invalid_field", "units", "units 应为至多 2000 项的数组 / units: an array of at most 2,000");
        return false;
    }
    json_array_foreach(units, i, u) {
        const char *key;
        json_t *v;
        bool ok = json_is_object(u) && json_is_integer(json_object_get(u, "org_id"));
        json_object_foreach(u, key, v) {
            bool count = strcmp(key, "org_id") != 0;
            ok &= str_in_list(key, members) && (json_is_integer(v) || (json_is_null(v) && strstr(key, "entries"))) &&
                  (!count || json_is_null(v) || (json_integer_value(v) >= 0 && json_integer_value(v) <= (strcmp(key, "stage_no") ? 100000 : CALL_MAX_STAGES)));
        }
        json_t *lo = json_object_get(u, "min_entries"), *hi = json_object_get(u, "max_entries");
        if (ok && json_is_integer(lo) && json_is_integer(hi)) ok = json_integer_value(hi) >= json_integer_value(lo);
        if (!ok) {
            reply_error(r, 422, "invalid_field", arena_printf(&r->arena, "units.%zu", i),
                        "每项应为 {org_id, stage_no, min_entries, max_entries}，最多不小于最少 / each item: {org_id, stage_no, min_entries, max_entries}, max not below min");
            return false;
        }
    }
    *out = units;
    return true;
}

static void handle_put(request *r)
{
    static const char *const allowed[] = {"units", NULL};
    struct put x = {r->principal, &r->arena, 0, NULL, -1};
    db *c = db_thread();
    if (!param_id(r, 0, &x.id) || !body_allow_fields(r, allowed, NULL) || !read_units(r, &x.units)) return;
    if (!c) { reply_db_error(r); return; }
    int rc = db_transaction(c, put_cb, &x);
    if (rc == DB_OK) {
        jw w;
        jw_list_open(&w);
        if (write_rows(c, r->principal, &r->arena, x.id, &w) != DB_OK) { jw_free(&w); reply_db_error(r); return; }
        jw_obj_end(&w);
        reply_jw(r, 200, &w);
        return;
    }
    if (rc == CALL_ORG_NOT_FOUND || rc == CALL_QUOTA_DUPLICATE) {
        const char *at = arena_printf(&r->arena, "units.%d%s", x.bad, rc == CALL_ORG_NOT_FOUND ? ".org_id" : "");
        if (rc == CALL_ORG_NOT_FOUND) reply_error(r, 404, "not_found", at, "单位不存在或不在本次征集的范围内 / unit not found or not below the call's owner");
        else reply_error(r, 422, "invalid_field", at, "同一单位同一层级只能有一项 / one item per unit and stage");
        return;
    }
    entity_reply_error(r, &call_entity, rc);
}

static const struct route quota_routes[] = {
    {"GET", "/api/v1/calls/:id/quotas", handle_get, RANK_STAFF, 0,
     .summary = "A call's named units and quota overrides (the rows in the caller's scope)", .entity = &call_unit_quota_entity},
    {"PUT", "/api/v1/calls/:id/quotas", handle_put, RANK_ORG_ADMIN, 0,
     .summary = "Replace a call's named units and quota overrides (audited)", .entity = &call_unit_quota_entity},
    {0},
};

void call_quotas_register_routes(void)
{
    router_add_table(quota_routes);
}
