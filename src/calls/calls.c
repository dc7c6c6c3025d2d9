/* calls.c - call templates and calls as declared records (calls.h): their scope, fields and
 * errors, and the writers: a template saved, a call created as a copy of its template, changed
 * (audited; the form additive only once entries exist), opened, closed and cancelled. */
#include "calls/calls.h"
#include "calls/calls_internal.h"
#include "audit/audit.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "files/attachments.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char *const call_kinds[] = {"collection", "application", "nomination", "contest", "selection", "recertification", NULL};
const char *const call_statuses[] = {"draft", "open", "reviewing", "deciding", "publicizing", "final", "archived",
                                     "cancelled", NULL};
const char *const call_eligibles[] = {"types", "named", "persons", "holders", NULL};
static const char *const person_kinds[] = {"teacher", "volunteer", "resource", NULL};   /* J: eligible = persons; 18: resources */
const char *const call_late_policies[] = {"refuse", "flag", NULL};

bool calls_deadline_normalise(const char *in, char *out)
{
    size_t n = in ? strlen(in) : 0;
    char day[11];
    if (n != 10 && n != 25) return false;
    memcpy(day, in, 10), day[10] = 0;
    if (!day_valid(day)) return false;
    if (n == 10) {
        memcpy(out, day, 10);
        memcpy(out + 10, "T23:59:59+08:00", 16);
        return true;
    }
    /* hh:mm:ss in Shanghai time: compared as text with time_now_rfc3339(), also +08:00 */
    const char *t = in + 10;
    bool shape = t[0] == 'T' && t[3] == ':' && t[6] == ':' && !strcmp(t + 9, "+08:00");
    for (int i = 1; shape && i < 9; i++) shape = i == 3 || i == 6 || (t[i] >= '0' && t[i] <= '9');
    if (!shape || strncmp(t + 1, "24", 2) >= 0 || strncmp(t + 4, "60", 2) >= 0 || strncmp(t + 7, "60", 2) >= 0) return false;
    memcpy(out, in, 26);
    return true;
}

/* A template or a call is visible to its owner's scope (which manages it) and to the units below
 * the owner (they copy a template, enter a call): the owner's path a prefix of one of the scope's.
 * A call still in draft is its owner's alone. */
static void owner_or_below(const scope *sc, qb *q, const char *path_col, bool calls)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, calls ? " AND ((c.status <> 'draft' AND (1 = 0" : " AND ((1 = 1 AND (1 = 0");
    for (int i = 0; i < sc->n; i++) {
        qb_sql(q, " OR substr(?, 1, length("), qb_text(q, sc->paths[i]);
        qb_sql(q, path_col), qb_sql(q, ")) = "), qb_sql(q, path_col);
    }
    qb_sql(q, ")) OR (1 = 1");
    scope_filter(sc, q, path_col);
    qb_sql(q, "))");
}

static void template_scope(const scope *sc, qb *q) { owner_or_below(sc, q, "t.org_path", false); }
static void call_scope(const scope *sc, qb *q) { owner_or_below(sc, q, "c.org_path", true); }

const error_row call_errors[] = {
    {CALL_NOT_FOUND, 404, "not_found", NULL, "征集活动不存在 / call not found"},
    {CALL_ORG_NOT_FOUND, 404, "not_found", "org_id", "单位不存在或不在权限范围内 / unit not found or outside your scope"},
    {CALL_TEMPLATE_NOT_FOUND, 404, "not_found", NULL, "模板不存在 / template not found"},
    {CALL_TEMPLATE_UNKNOWN, 404, "not_found", "template_id", "模板不存在 / template not found"},
    {CALL_TEMPLATE_TAKEN, 409, "duplicate", "code", "模板代码已被使用 / template code already used"},
    {CALL_STATE, 409, "call_state", NULL, "征集活动当前状态不允许此操作 / the call's status does not allow this"},
    {CALL_NOT_ELIGIBLE, 403, "not_eligible", "org_id", "该单位不在本次征集的范围内 / this unit may not enter this call"},
    {ENTRY_NOT_FOUND, 404, "not_found", NULL, "申报不存在 / entry not found"},
    {ENTRY_STATE, 409, "entry_state", NULL, "申报当前状态不允许此操作 / the entry's status does not allow this"},
    {ENTRY_DEADLINE, 409, "deadline_passed", NULL, "已过截止时间，不再接受申报 / the deadline has passed"},
    {ENTRY_QUOTA, 409, "quota_full", NULL, "该单位的申报名额已满 / the unit's quota of entries is full"},
    {ENTRY_STAGE_QUOTA, 409, "recommend_quota_full", NULL, "本级推荐名额已满 / this level's recommendations are full"},
    {ENTRY_NOT_ABOVE, 403, "forbidden", NULL, "须由上级单位办理 / only a level above may do this"},
    {ENTRY_LAST_STAGE, 409, "last_stage", NULL, "已是最后一级，无需再推荐 / already at the last stage"},
    {CALL_FORM_LOCKED, 409, "form_locked", "form", "已有申报，表单只能增加字段 / entries exist: fields may only be added"},
    {ENTRY_NOT_ENTRANT, 403, "forbidden", NULL, "须由申报单位办理 / only the entrant unit may do this"},
    {ENTRY_INCOMPLETE, 422, "invalid_field", "values", "申报内容不完整 / the entry is incomplete"},
    {ENTRY_PERSON_MISSING, 422, "required", "values", "须在表单的人员字段中选择库中人员 / choose a person of the pool in the form's person field"},
    {ENTRY_PERSON_NOT_IN_POOL, 422, "invalid_field", "values", "该人员不在本次评选的人员库中（教师须已认定、备案或入市库） / the person is not in this call's pool"},
    {ENTRY_PERSON_TAKEN, 409, "person_entered", "values", "该人员在本次征集中已有申报，须先撤回 / this person already has an entry in this call: withdraw it first"},
    {ENTRY_PERSON_ORG, 422, "invalid_field", "org_id", "人员类申报的单位即该人员所在单位 / a person's entry is entered for the person's own unit"},
    {UP_COUNT, 422, "required", "count", "须给出推荐上报名额 / count: how many entries to recommend upward"},
    {ENTRY_FILE_UNKNOWN, 422, "invalid_field", "values", "附件须先上传到本申报 / files must be uploaded to this entry first"},
    {0},
};

typedef call_template tpl;
#define T(member) offsetof(tpl, member)
static const field template_fields[] = {
    {"id", "t.id", FT_ID, T(id), .flags = 0},
    {"code", "t.code", FT_TEXT, T(code), .flags = FF_CREATE | FF_REQUIRED, .check = check_key_code, .example = "\"demo_point\""},
    {"name", "t.name", FT_TEXT, T(name), .flags = FF_WRITE | FF_REQUIRED, .max = 100, .example = "\"示范教学点申报\""},
    {"kind", "t.kind", FT_ENUM, T(kind), .flags = FF_WRITE | FF_REQUIRED, .choices = call_kinds},
    {"config", "t.config", FT_JSON, T(config), .flags = FF_WRITE | FF_REQUIRED | FF_BODY_OWN,
     .doc = "a call's configurable members: form, stages, eligible, eligible_types, quotas, late_policy, ..."},
    {"builtin", "t.builtin", FT_BOOL, T(builtin), .flags = 0},
    {"org_id", "t.org_id", FT_INT_NULL, T(org_id), .flags = FF_CREATE, .doc = "the owner (default: the caller's unit); null for builtin"},
    {"org_path", "t.org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"created_at", "t.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "t.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {0},
};
#undef T

entity call_template_entity = {
    .name = "call_template",
    .doc = "A call template (征集模板): the configuration a call copies",
    .from = " FROM call_templates t",
    .id_column = "t.id",
    .path_column = "t.org_path",
    .scope_rule = template_scope,
    .order = " ORDER BY t.builtin DESC, t.id",
    .size = sizeof(call_template),
    .fields = template_fields,
    .not_found = CALL_TEMPLATE_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = call_errors,
    .create = call_templates_create,
    .update = call_templates_update,
    .input = call_template_input,
};

/* While open, the phase says whether entries are still taken. */
static void call_on_read(void *rec, arena *a)
{
    call_rec *c = rec;
    (void)a;
    char now[32];
    time_now_rfc3339(now);
    c->phase = strcmp(c->status, "open") != 0 ? c->status : strcmp(now, c->deadline) <= 0 ? "collecting" : "closed_for_entries";
}

#define C(member) offsetof(call_rec, member)
static const field call_fields[] = {
    {"id", "c.id", FT_ID, C(id), .flags = 0},
    {"template_id", "NULL", FT_INT_NULL, C(template_id), .flags = FF_CREATE | FF_REQUIRED | FF_NO_SELECT | FF_OMIT_NULL,
     .doc = "create: the template copied"},
    {"template_code", "c.template_code", FT_TEXT, C(template_code), .flags = 0},
    {"org_id", "c.org_id", FT_ID, C(org_id), .flags = FF_CREATE | FF_REQUIRED, .doc = "the owner (issuer)"},
    {"org_name", "o.name", FT_TEXT, C(org_name), .flags = 0},
    {"org_path", "c.org_path", FT_TEXT, C(org_path), .flags = FF_HIDDEN},
    {"year", "c.year", FT_INT, C(year), .flags = FF_CREATE | FF_REQUIRED, .min = 2000, .max = 2100},
    {"title", "c.title", FT_TEXT, C(title), .flags = FF_WRITE | FF_REQUIRED, .max = 100, .example = "\"2026年示范教学点申报\""},
    {"body", "c.body", FT_MULTILINE, C(body), .flags = FF_WRITE, .max = 20000},
    {"doc_no", "c.doc_no", FT_TEXT, C(doc_no), .flags = FF_WRITE, .max = 50},
    {"contact", "c.contact", FT_TEXT, C(contact), .flags = FF_WRITE, .max = 100},
    {"status", "c.status", FT_ENUM, C(status), .flags = FF_FILTER, .choices = call_statuses},
    {"phase", "c.status", FT_TEXT, C(phase), .flags = FF_NO_SELECT, .doc = "collecting | closed_for_entries while open, else the status"},
    {"eligible", "c.eligible", FT_ENUM, C(eligible), .flags = FF_WRITE, .choices = call_eligibles},
    {"eligible_types", "c.eligible_types", FT_TEXT_LIST, C(eligible_types), .flags = FF_WRITE, .max = 8, .item_chars = 20,
     .choices = org_types},
    {"person_kind", "c.person_kind", FT_ENUM, C(person_kind), .flags = FF_WRITE, .choices = person_kinds,
     .doc = "eligible = persons: whose entries (teacher | volunteer | resource: the library's approved resources); the subject is the form's person field of this kind"},
    {"form", "c.form", FT_JSON, C(form), .flags = FF_WRITE | FF_BODY_OWN, .doc = "the field definitions (call_form.c)"},
    {"stages", "c.stages", FT_JSON, C(stages), .flags = FF_WRITE | FF_BODY_OWN,
     .doc = "[{org_type, max_recommend}]: the levels an entry is recommended through"},
    {"min_per_unit", "c.min_per_unit", FT_INT, C(min_per_unit), .flags = FF_WRITE, .min = 0, .max = 1000},
    {"max_per_unit", "c.max_per_unit", FT_INT, C(max_per_unit), .flags = FF_WRITE, .min = 0, .max = 1000, .doc = "0: no maximum"},
    {"deadline", "c.deadline", FT_TEXT, C(deadline), .flags = FF_WRITE | FF_NONEMPTY, .check = calls_check_deadline,
     .example = "\"2026-10-31T23:59:59+08:00\"",
     .doc = "a day (its end in Shanghai) or an RFC 3339 time with +08:00; required unless the template has a deadline_md "
            "(then that day of the call's year)"},
    {"late_policy", "c.late_policy", FT_ENUM, C(late_policy), .flags = FF_WRITE, .choices = call_late_policies},
    {"resubmit_days", "c.resubmit_days", FT_INT, C(resubmit_days), .flags = FF_WRITE, .min = 0, .max = 90},
    {"review", "c.review", FT_JSON, C(review), .flags = 0},
    {"awards", "c.awards", FT_JSON, C(awards), .flags = 0},
    {"designation", "c.designation", FT_JSON, C(designation), .flags = 0},
    {"budget", "c.budget", FT_INT, C(budget), .flags = 0, .doc = "whole yuan, 0: none; set by PUT /calls/:id/budget"},
    {"entries_total", "c.entries_total", FT_INT, C(entries_total), .flags = 0},
    {"published_at", "c.published_at", FT_TIME, C(published_at), .flags = 0},
    {"created_at", "c.created_at", FT_TIME, C(created_at), .flags = 0},
    {"updated_at", "c.updated_at", FT_TIME, C(updated_at), .flags = 0},
    {0},
};
#undef C

entity call_entity = {
    .name = "call",
    .doc = "A call (征集/申报/评选): form, stages, quotas and deadline; entered by eligible units below its owner",
    .from = " FROM calls c JOIN orgs o ON o.id = c.org_id",
    .id_column = "c.id",
    .path_column = "c.org_path",
    .scope_rule = call_scope,
    .order = " ORDER BY c.id DESC",
    .size = sizeof(call_rec),
    .fields = call_fields,
    .not_found = CALL_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = call_errors,
    .create = calls_create,
    .update = calls_update,
    .input = call_input,
    .on_read = call_on_read,
};

int calls_get_managed(db *c, const principal *p, arena *a, int64_t id, call_rec *out)
{
    int rc = entity_get(c, &call_entity, &p->scope, a, id, out);
    /* a unit below the owner sees the call but does not manage it: the same 404 */
    if (rc == DB_OK && !scope_covers(&p->scope, out->org_path)) return CALL_NOT_FOUND;
    return rc;
}

/* A call's documents (通知, 附件: its text's attachments) are written by its managers only. */
static int call_files_writable(db *c, const principal *p, arena *a, int64_t call_id)
{
    call_rec call;
    return calls_get_managed(c, p, a, call_id, &call);
}

/* The call's documents: read by everyone who sees the call (the units below download them),
 * added and deleted by its managers. */
const attachment_kind call_files = {
    .table = "call_files", .owner_table = "calls", .owner_col = "call_id",
    .audit_entity = "call_file", .noun = "每个征集", .max_per_owner = 20, .owner = &call_entity,
    .path = "/api/v1/calls/:id/files", .what = "a call (its documents)", .writable = call_files_writable,
    .read_through_owner = true,
};

static int template_get_managed(db *c, const principal *p, arena *a, int64_t id, call_template *out)
{
    int rc = entity_get(c, &call_template_entity, &p->scope, a, id, out);
    /* one owned above the caller is seen (to copy it), not managed: the same 404 */
    if (rc == DB_OK && !out->builtin && !scope_covers(&p->scope, out->org_path)) return CALL_TEMPLATE_NOT_FOUND;
    if (rc == DB_OK && out->builtin) return CALL_STATE;
    return rc;
}

struct tpl_write { const principal *p; arena *a; int64_t id; const call_template *in; call_template *out; };

static int template_write_cb(db *c, void *cls)
{
    struct tpl_write *w = cls;
    call_template before;
    const char *path = NULL;
    int rc;
    char now[32];
    time_now_rfc3339(now);
    int64_t id = w->id;
    if (id) {
        if ((rc = template_get_managed(c, w->p, w->a, id, &before)) != DB_OK) return rc;
        entity_value more[] = {{"updated_at", .text = now}, {0}};
        rc = entity_store(c, &call_template_entity, "call_templates", id, w->in, more, w->a, NULL);
        path = before.org_path;
    } else {
        int64_t owner = w->in->org_id ? w->in->org_id : w->p->org_id;
        if ((rc = entity_org_path(c, &w->p->scope, w->a, owner, CALL_ORG_NOT_FOUND, &path)) != DB_OK) return rc;
        entity_value more[] = {{"org_id", .i = owner, .is_int = true}, {"org_path", .text = path},
                               {"created_by", .i = w->p->user_id, .is_int = true}, {"created_at", .text = now},
                               {"updated_at", .text = now}, {0}};
        /* org_id is stored by more (the caller's unit by default), not from the record */
        call_template in = *w->in;
        in.org_id = owner;
        rc = entity_store(c, &call_template_entity, "call_templates", 0, &in, more + 1, w->a, &id);
    }
    if (rc == DB_UNIQUE) return CALL_TEMPLATE_TAKEN;
    if (rc != DB_OK) return rc;
    /* just written in this transaction */
    if ((rc = entity_get_unscoped(c, &call_template_entity, w->a, id, w->out)) != DB_OK) return rc;
    return entity_audit(c, &call_template_entity, actor_of(w->p), path, id, w->id ? "update" : "create",
                        w->id ? &before : NULL, w->out);
}

int call_templates_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    struct tpl_write w = {p, a, 0, in, out};
    return db_transaction(c, template_write_cb, &w);
}

int call_templates_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    struct tpl_write w = {p, a, id, in, out};
    return db_transaction(c, template_write_cb, &w);
}

/* ---- calls ---- */

struct call_write { const principal *p; arena *a; int64_t id; const call_rec *in; call_rec *out; const char *action, *to; };

static int call_create_cb(db *c, void *cls)
{
    struct call_write *w = cls;
    const char *path = NULL;
    int rc = entity_org_path(c, &w->p->scope, w->a, w->in->org_id, CALL_ORG_NOT_FOUND, &path);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"template_code", .text = w->in->template_code}, {"org_path", .text = path},
                           {"status", .text = "draft"}, {"review", .text = w->in->review}, {"awards", .text = w->in->awards},
                           {"designation", .text = w->in->designation}, {"created_by", .i = w->p->user_id, .is_int = true},
                           {"created_at", .text = now}, {"updated_at", .text = now}, {0}};
    int64_t id = 0;
    if ((rc = entity_store(c, &call_entity, "calls", 0, w->in, more, w->a, &id)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &call_entity, w->a, id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &call_entity, actor_of(w->p), path, id, "create", NULL, w->out);
}

int calls_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    struct call_write w = {p, a, 0, in, out, "create", NULL};
    return db_transaction(c, call_create_cb, &w);
}

/* Once entries exist, the form only grows: every field it had stays as it was. */
static bool form_additive(const char *old_text, const char *new_text)
{
    json_t *o = json_loads(old_text, 0, NULL), *n = json_loads(new_text, 0, NULL), *d;
    size_t i;
    bool ok = json_array_size(n) >= json_array_size(o);
    json_array_foreach(o, i, d) {
        bool kept = false;
        size_t k;
        json_t *e;
        json_array_foreach(n, k, e) kept |= json_equal(d, e);
        ok &= kept;
    }
    json_decref(o), json_decref(n);
    return ok;
}

static int call_update_cb(db *c, void *cls)
{
    struct call_write *w = cls;
    call_rec before;
    int rc = calls_get_managed(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    bool draft = !strcmp(before.status, "draft"), open = !strcmp(before.status, "open");
    if (!draft && !open) return CALL_STATE;
    if (open && calls_has_entries(c, before.id) && !form_additive(before.form, w->in->form))
        return CALL_FORM_LOCKED;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &call_entity, "calls", w->id, w->in, more, w->a, NULL)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &call_entity, w->a, w->id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &call_entity, actor_of(w->p), before.org_path, w->id, "update", &before, w->out);
}

int calls_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    struct call_write w = {p, a, id, in, out, "update", NULL};
    return db_transaction(c, call_update_cb, &w);
}

/* open: draft -> open; close: open -> reviewing (no more entries); cancel: any state before final. */
static int call_move_cb(db *c, void *cls)
{
    struct call_write *w = cls;
    call_rec before;
    int rc = calls_get_managed(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    const char *s = before.status;
    bool ok = !strcmp(w->action, "open") ? !strcmp(s, "draft")
            : !strcmp(w->action, "close") ? !strcmp(s, "open")
            : strcmp(s, "final") && strcmp(s, "archived") && strcmp(s, "cancelled");
    if (!ok) return CALL_STATE;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"status", .text = w->to}, {"updated_at", .text = now},
                           {"published_at", .text = !strcmp(w->action, "open") ? now : before.published_at}, {0}};
    if ((rc = entity_store(c, &call_entity, "calls", w->id, NULL, more, w->a, NULL)) != DB_OK) return rc;
    /* a call over title holders gives each its entry now (recert.c) */
    if (!strcmp(w->action, "open") && (rc = recert_open(c, w->p, w->a, &before)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &call_entity, w->a, w->id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &call_entity, actor_of(w->p), before.org_path, w->id, w->action, &before, w->out);
}

int calls_move(db *c, const principal *p, arena *a, int64_t id, const char *action, call_rec *out)
{
    const char *to = !strcmp(action, "open") ? "open" : !strcmp(action, "close") ? "reviewing" : "cancelled";
    struct call_write w = {p, a, id, NULL, out, action, to};
    return db_transaction(c, call_move_cb, &w);
}

/* An entry counts under "call_entries.<template code>" at its unit on the day it was first
 * submitted, while it stands (not a draft, returned or withdrawn): a target such as "each society
 * at least 3 lectures" reads it like every other metric. */
static const char key_source[] =
    "SELECT e.org_path, e.counted_day AS day, 'call_entries.' || c.template_code AS key, 1 AS n FROM call_entries e "
    "JOIN calls c ON c.id = e.call_id WHERE e.kind = 'entry' AND e.counted_day IS NOT NULL "
    "AND e.status NOT IN ('draft', 'returned', 'withdrawn')";

void calls_init(void)
{
    stats_register_keyed_prefix("call_entries.");
    stats_register_key_source(key_source);
    static const char *const tables[][2] = {
        {"call_templates", "org_path"}, {"calls", "org_path"}, {"call_units", "org_path"},
        {"call_unit_counts", "org_path"}, {"call_entries", "org_path"}, {"call_entries", "branch_path"},
        {"call_entry_steps", "org_path"}, {"call_files", "org_path"}, {"call_entry_files", "org_path"},
        {"call_reminders", "org_path"},
    };
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) orgs_track_path_column(tables[i][0], tables[i][1]);
}
