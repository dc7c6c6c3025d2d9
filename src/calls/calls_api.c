/* calls_api.c - HTTP side of call templates and calls (docs/api.md: Calls): their input rules
 * (a form checked by call_form.c, stages, a call's members copied from its template), the list
 * with ?mine=1, and open / close / cancel. */
#include "calls/calls_internal.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include <stdlib.h>
#include <string.h>

MESSAGE(msg_deadline, "截止时间应为日期或带 +08:00 的时间 / a day, or an RFC 3339 time with +08:00");
MESSAGE(msg_stages, "stages 应为至多 4 级的 [{org_type, max_recommend}] / stages: at most 4 of {org_type, max_recommend}");
MESSAGE(msg_config, "config 的成员无效 / invalid member of config");
MESSAGE(msg_quota, "max_per_unit 不能小于 min_per_unit / max_per_unit below min_per_unit");

const char *calls_check_deadline(arena *a, const char **value)
{
    char out[32];
    if (!calls_deadline_normalise(*value, out)) return msg_deadline;
    *value = arena_strdup(a, out);
    return NULL;
}

static const char *dump(arena *a, json_t *v)
{
    if (!v || json_is_null(v)) return NULL;
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    const char *out = arena_strdup(a, text);
    free(text);
    return out;
}

static bool reply_form_error(request *r, const call_form_error *err)
{
    reply_error(r, 422, err->code, err->field, "%s", err->message);
    return false;
}

static bool check_form(request *r, json_t *form, const char *at)
{
    call_form_error err;
    if (call_form_check_def(form, &err)) return true;
    if (at && !strncmp(err.field, "form", 4)) {   /* inside a template: config.form... */
        char place[sizeof err.field];
        memcpy(place, err.field, sizeof place);
        if (snprintf(err.field, sizeof err.field, "%s%s", at, place + 4) >= (int)sizeof err.field) err.field[0] = 0;
    }
    return reply_form_error(r, &err);
}

static bool check_stages(request *r, json_t *v, const char *at)
{
    size_t i;
    json_t *s;
    bool ok = json_is_array(v) && json_array_size(v) <= CALL_MAX_STAGES;
    json_array_foreach(v, i, s) {
        json_t *max = json_object_get(s, "max_recommend");
        ok &= json_is_object(s) && str_in_list(json_string_value(json_object_get(s, "org_type")), org_types) &&
              (!max || (json_is_integer(max) && json_integer_value(max) >= 0 && json_integer_value(max) <= 100000)) &&
              json_object_size(s) == 1u + (max != NULL);
    }
    if (!ok) reply_error(r, 422, "invalid_field", at, "%s", msg_stages);
    return ok;
}

/* config: an object of a call's configurable members; form and stages checked here, the rest
 * (review, awards, designation, min_figures) by the packages that read them. */
/* A template's usual deadline as month and day ("10-31": 31 October of the call's year), a day
 * every year has (no 29 February). */
static bool deadline_md_valid(const char *md)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!md || strlen(md) != 5 || md[2] != '-' || strspn(md, "0123456789-") != 5) return false;
    int m = atoi(md), d = atoi(md + 3);
    return m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1];
}

bool call_template_input(request *r, void *rec, bool creating)
{
    static const char *const members[] = {"form", "stages", "eligible", "eligible_types", "min_per_unit", "max_per_unit",
                                          "late_policy", "resubmit_days", "review", "awards", "designation",
                                          "min_figures", "person_kind", "holder_kind", "revoke_last",
                                          "revoke_share", "recommend_up", "deadline_md", NULL};
    call_template *t = rec;
    json_t *config = json_object_get(r->json, "config");
    if (!config && !creating) return true;
    const char *key;
    json_t *v;
    if (!json_is_object(config)) {
        reply_error(r, 422, "invalid_field", "config", "%s", msg_config);
        return false;
    }
    json_object_foreach(config, key, v) {
        const char *at = arena_printf(&r->arena, "config.%s", key);
        bool ok = str_in_list(key, members);
        if (ok && !strcmp(key, "eligible")) ok = str_in_list(json_string_value(v), call_eligibles);
        if (ok && !strcmp(key, "late_policy")) ok = str_in_list(json_string_value(v), call_late_policies);
        if (ok && strstr(key, "_per_unit")) ok = json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= 1000;
        if (ok && !strcmp(key, "deadline_md")) ok = deadline_md_valid(json_string_value(v));
        if (!ok) { reply_error(r, 422, "invalid_field", at, "%s", msg_config); return false; }
    }
    if ((json_object_get(config, "form") && !check_form(r, json_object_get(config, "form"), "config.form")) ||
        (json_object_get(config, "stages") && !check_stages(r, json_object_get(config, "stages"), "config.stages")))
        return false;
    t->config = dump(&r->arena, config);
    return true;
}

/* A member of the call: the body's when given, else (create) the template's config's. */
static json_t *member(request *r, json_t *config, const char *name, bool creating)
{
    json_t *v = json_object_get(r->json, name);
    return v ? v : creating ? json_object_get(config, name) : NULL;
}

static const char *or_default(json_t *v, const char *dflt)
{
    return json_is_string(v) ? json_string_value(v) : dflt;
}

static bool copy_template(request *r, call_rec *c, json_t **config)
{
    call_template t;
    db *conn = db_thread();
    int rc = conn ? entity_get(conn, &call_template_entity, &r->principal->scope, &r->arena, c->template_id, &t) : DB_ERR;
    if (rc == CALL_TEMPLATE_NOT_FOUND) rc = CALL_TEMPLATE_UNKNOWN;
    if (rc != DB_OK) { entity_reply_error(r, &call_entity, rc); return false; }
    c->template_code = t.code;
    *config = json_loads(t.config, 0, NULL);
    json_t *cfg = *config;
    c->review = dump(&r->arena, json_object_get(cfg, "review"));
    c->awards = dump(&r->arena, json_object_get(cfg, "awards"));
    c->designation = dump(&r->arena, json_object_get(cfg, "designation"));
    /* what the body leaves out comes from the template */
    static const char *const ints[] = {"min_per_unit", "max_per_unit", "resubmit_days", NULL};
    int64_t *slots[] = {&c->min_per_unit, &c->max_per_unit, &c->resubmit_days};
    for (int i = 0; ints[i]; i++)
        if (!json_object_get(r->json, ints[i]) && json_is_integer(json_object_get(cfg, ints[i])))
            *slots[i] = json_integer_value(json_object_get(cfg, ints[i]));
    if (!c->eligible) c->eligible = arena_strdup(&r->arena, or_default(json_object_get(cfg, "eligible"), "types"));
    if (!c->late_policy) c->late_policy = arena_strdup(&r->arena, or_default(json_object_get(cfg, "late_policy"), "refuse"));
    if (!json_object_get(r->json, "eligible_types")) c->eligible_types = dump(&r->arena, json_object_get(cfg, "eligible_types"));
    if (!c->person_kind && json_is_string(json_object_get(cfg, "person_kind")))   /* J */
        c->person_kind = arena_strdup(&r->arena, json_string_value(json_object_get(cfg, "person_kind")));
    /* no deadline given: the template's usual day of the call's year (示范教学点 31 October,
     * 讲座征集 28 February), the end of that day in Shanghai */
    const char *md = json_string_value(json_object_get(cfg, "deadline_md"));
    if (!c->deadline && md && deadline_md_valid(md) && c->year >= 2000 && c->year <= 2100) {
        char day[16], *out = arena_alloc(&r->arena, 40);
        snprintf(day, sizeof day, "%04d-%s", (int)c->year, md);
        if (out && calls_deadline_normalise(day, out)) c->deadline = out;
    }
    if (!c->deadline) {
        reply_error(r, 422, "required", "deadline", "请填写截止时间 / the deadline is required");
        return false;
    }
    return true;
}

bool call_input(request *r, void *rec, bool creating)
{
    call_rec *c = rec;
    json_t *config = NULL;
    if (creating && !copy_template(r, c, &config)) { json_decref(config); return false; }   /* config may be loaded */
    json_t *form = member(r, config, "form", creating), *stages = member(r, config, "stages", creating);
    bool ok = true;
    if (form || creating) ok = check_form(r, form, NULL), c->form = ok ? dump(&r->arena, form) : NULL;
    if (ok && (stages || creating)) {
        if (!stages) stages = json_array(), json_object_set_new(config, "stages", stages);
        ok = check_stages(r, stages, "stages"), c->stages = dump(&r->arena, stages);
    }
    if (ok && creating && !strcmp(c->eligible, "persons") && !c->person_kind) {   /* J: whose pool */
        reply_error(r, 422, "required", "person_kind", "人员类征集须指明人员类别 / a call for persons names person_kind");
        ok = false;
    }
    if (ok && c->max_per_unit && c->max_per_unit < c->min_per_unit) {
        reply_error(r, 422, "invalid_field", "max_per_unit", "%s", msg_quota);
        ok = false;
    }
    json_decref(config);
    return ok;
}

/* GET /calls: the calls the caller sees; ?mine=1: the open ones its unit may enter (its type
 * listed, or named in call_units), ?year=. */
static void handle_list(request *r)
{
    db *c = db_thread();
    qb where;
    page pg;
    if (!entity_list_begin(r, c, &call_entity, &where, &pg)) return;
    const char *mine = req_query(r, "mine"), *year = req_query(r, "year");
    if (year && *year) {
        char *end;
        long y = strtol(year, &end, 10);
        if (*end || y < 2000 || y > 2100) {
            qb_free(&where);
            reply_error(r, 422, "invalid_field", "year", "year 应为 2000 至 2100 / year: 2000 to 2100");
            return;
        }
        qb_sql(&where, " AND c.year = ?"), qb_int(&where, y);
    }
    if (mine && !strcmp(mine, "1")) {
        /* open, owned above the caller's unit, and the unit's type eligible or the unit named */
        qb_sql(&where, " AND c.status = 'open' AND c.org_path <> ? AND substr(?, 1, length(c.org_path)) = c.org_path");
        qb_text(&where, r->principal->org_path), qb_text(&where, r->principal->org_path);
        qb_sql(&where, " AND ((c.eligible = 'types' AND (c.eligible_types IS NULL OR c.eligible_types LIKE "
                       "'%\"' || (SELECT type FROM orgs WHERE id = ?) || '\"%')) OR (c.eligible = 'named' AND EXISTS "
                       "(SELECT 1 FROM call_units u WHERE u.call_id = c.id AND u.stage_no = 0 AND u.org_id = ?)))");
        qb_int(&where, r->principal->org_id), qb_int(&where, r->principal->org_id);
    }
    entity_reply_list(r, c, &call_entity, &where, NULL, &pg);
}

static void handle_move(request *r)
{
    int64_t id;
    call_rec out;
    db *c = db_thread();
    if (!param_id(r, 0, &id)) return;
    if (!c) { reply_db_error(r); return; }
    const char *action = r->route->cls;
    entity_reply_result(r, &call_entity, calls_move(c, r->principal, &r->arena, id, action, &out), 200, &out);
}

static const struct route call_routes[] = {
    {"GET", "/api/v1/call-templates", entity_handle_list, RANK_STAFF, 0, .summary = "Call templates (征集模板) the caller may copy",
     .entity = &call_template_entity},
    {"POST", "/api/v1/call-templates", entity_handle_create, RANK_ORG_ADMIN, 0, .summary = "Save a call template",
     .entity = &call_template_entity},
    {"GET", "/api/v1/call-templates/:id", entity_handle_get, RANK_STAFF, 0, .summary = "One call template",
     .entity = &call_template_entity},
    {"PATCH", "/api/v1/call-templates/:id", entity_handle_update, RANK_ORG_ADMIN, 0,
     .summary = "Change a call template (not a builtin one: copy it)", .entity = &call_template_entity},
    {"GET", "/api/v1/calls", handle_list, RANK_MEMBER, 0, .summary = "Calls (征集) the caller sees; ?mine=1: open ones its unit may enter",
     .entity = &call_entity},
    {"POST", "/api/v1/calls", entity_handle_create, RANK_ORG_ADMIN, 0, .summary = "Create a call from a template (draft)",
     .entity = &call_entity},
    {"GET", "/api/v1/calls/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "One call", .entity = &call_entity},
    {"PATCH", "/api/v1/calls/:id", entity_handle_update, RANK_ORG_ADMIN, 0,
     .summary = "Change a call (draft or open; audited; the form additive once entries exist)", .entity = &call_entity},
    {"POST", "/api/v1/calls/:id/open", handle_move, RANK_ORG_ADMIN, 0, .summary = "Open a call (发布): entries may start",
     .entity = &call_entity, .cls = "open"},
    {"POST", "/api/v1/calls/:id/close", handle_move, RANK_ORG_ADMIN, 0, .summary = "Close a call to entries (to review)",
     .entity = &call_entity, .cls = "close"},
    {"POST", "/api/v1/calls/:id/cancel", handle_move, RANK_ORG_ADMIN, 0, .summary = "Cancel a call (before final)",
     .entity = &call_entity, .cls = "cancel"},
    {0},
};

void calls_register_routes(void)
{
    router_add_table(call_routes);
    entries_register_routes();
    call_quotas_register_routes();
    calls_init();
}
