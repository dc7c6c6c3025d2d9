/* entries.c - a call's entries as a declared record (calls.h): scope (the entrant's path; a
 * draft stays with its unit), fields, evidence files; a draft created and saved (autosave), the
 * unit counts kept current and the history written. The moves are entry_flow.c's. */
#include "calls/calls_internal.h"
#include "calls/results.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/steps.h"
#include "files/attachments.h"
#include "http/reply.h"
#include "orgs/orgs.h"
#include <sodium.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const entry_statuses[] = {"draft", "submitted", "returned", "recommended", "not_recommended", "under_review",
                                      "decided", "withdrawn", NULL};
static const char *const entry_kinds[] = {"entry", "midterm", "final", "recert", NULL};
static const char *const subject_kinds[] = {"org", "teacher", "volunteer", "resource", "none", NULL};

/* The entrant's path: a unit sees its own entries, a district its subtree's; a draft is seen
 * only by its own unit (and its author), not by the levels above. */
static void entry_scope(const scope *sc, qb *q)
{
    scope_filter(sc, q, "e.org_path");
    qb_sql(q, " AND (e.status <> 'draft' OR e.created_by = ?"), qb_int(q, sc->user_id);
    for (int i = 0; i < sc->n; i++) qb_sql(q, " OR e.org_path = ?"), qb_text(q, sc->paths[i]);
    qb_sql(q, ")");
}

#define E(member) offsetof(entry_rec, member)
static const field entry_fields[] = {
    {"id", "e.id", FT_ID, E(id), .flags = 0},
    {"call_id", "e.call_id", FT_ID, E(call_id), .flags = 0},
    {"kind", "e.kind", FT_ENUM, E(kind), .flags = 0, .choices = entry_kinds},
    {"org_id", "e.org_id", FT_ID, E(org_id), .flags = FF_CREATE | FF_FILTER, .doc = "the entrant unit (default: the caller's)"},
    {"org_name", "o.name", FT_TEXT, E(org_name), .flags = 0},
    {"org_path", "e.org_path", FT_TEXT, E(org_path), .flags = FF_HIDDEN},
    {"branch_path", "e.branch_path", FT_TEXT, E(branch_path), .flags = FF_HIDDEN},
    {"subject_kind", "e.subject_kind", FT_ENUM, E(subject_kind), .flags = 0, .choices = subject_kinds},
    {"subject_id", "e.subject_id", FT_INT_NULL, E(subject_id), .flags = 0},
    {"subject_name", "e.subject_name", FT_TEXT, E(subject_name), .flags = 0},
    {"title", "e.title", FT_TEXT, E(title), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 200,
     .example = "\"渝中区某某小学教学点\""},
    {"values", "e.field_values", FT_JSON, E(values), .flags = FF_WRITE | FF_BODY_OWN, .doc = "{key: value} by the call's form"},
    {"figures", "e.figures", FT_JSON, E(figures), .flags = 0, .doc = "figures snapshotted on submit {key: n, as_of}"},
    {"status", "e.status", FT_ENUM, E(status), .flags = FF_FILTER, .choices = entry_statuses},
    {"stage_no", "e.stage_no", FT_INT, E(stage_no), .flags = 0},
    {"stage_org_id", "e.stage_org_id", FT_INT_NULL, E(stage_org_id), .flags = 0, .doc = "the unit holding it at this stage"},
    {"late", "e.late", FT_BOOL, E(late), .flags = FF_FILTER},
    {"recommended_up", "e.recommended_up", FT_BOOL, E(recommended_up), .flags = 0, .doc = "推荐上报 (J: POST /calls/:id/recommend-up)"},
    {"first_submitted_at", "e.first_submitted_at", FT_TIME, E(first_submitted_at), .flags = 0},
    {"submitted_at", "e.submitted_at", FT_TIME, E(submitted_at), .flags = 0},
    {"returned_reason", "e.returned_reason", FT_TEXT, E(returned_reason), .flags = 0},
    {"grade", "e.grade", FT_TEXT, E(grade), .flags = 0, .doc = "the performance grade (绩效评价, its last graded report's)"},
    {"counted_day", "e.counted_day", FT_DAY, E(counted_day), .flags = 0,
     .doc = "the day it counts in the statistics (call_entries.<template>): its first submission's"},
    {"created_by", "e.created_by", FT_INT_NULL, E(created_by), .flags = FF_HIDDEN},
    {"created_at", "e.created_at", FT_TIME, E(created_at), .flags = 0},
    {"updated_at", "e.updated_at", FT_TIME, E(updated_at), .flags = 0},
    {0},
};
#undef E

entity call_entry_entity = {
    .name = "call_entry",
    .doc = "An entry (申报/推荐材料) of a unit in a call: values by the call's form, status, stage",
    .from = " FROM call_entries e JOIN orgs o ON o.id = e.org_id",
    .id_column = "e.id",
    .path_column = "e.org_path",
    .scope_rule = entry_scope,
    .order = " ORDER BY e.id DESC",
    .size = sizeof(entry_rec),
    .fields = entry_fields,
    .not_found = ENTRY_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = call_errors,
};

typedef struct entry_step {
    int64_t id, entry_id, actor_id;
    const char *org_path, *action, *from, *to, *reason, *actor_name, *at;
} entry_step;

#define S(member) offsetof(entry_step, member)
static const field step_fields[] = {
    {"id", "s.id", FT_ID, S(id), .flags = 0},
    {"entry_id", "s.entry_id", FT_ID, S(entry_id), .flags = 0},
    {"org_path", "s.org_path", FT_TEXT, S(org_path), .flags = FF_HIDDEN},
    {"action", "s.action", FT_TEXT, S(action), .flags = 0},
    {"from_status", "s.from_status", FT_TEXT, S(from), .flags = 0},
    {"to_status", "s.to_status", FT_TEXT, S(to), .flags = 0},
    {"reason", "s.reason", FT_TEXT, S(reason), .flags = 0},
    {"actor_id", "s.actor_id", FT_INT_NULL, S(actor_id), .flags = 0},
    {"actor_name", "s.actor_name", FT_TEXT, S(actor_name), .flags = 0},
    {"at", "s.at", FT_TIME, S(at), .flags = 0},
    {0},
};
#undef S

/* Read only through its entry (GET /entries/:id/history), whose scope was checked. */
entity call_entry_step_entity = {
    .name = "call_entry_step",
    .doc = "A step of an entry's history",
    .from = " FROM call_entry_steps s",
    .id_column = "s.id",
    .path_column = "s.org_path",
    .order = " ORDER BY s.id",
    .size = sizeof(entry_step),
    .fields = step_fields,
    .not_found = ENTRY_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
};

const attachment_kind call_entry_files = {
    .table = "call_entry_files", .owner_table = "call_entries", .owner_col = "entry_id",
    .audit_entity = "call_entry_file", .noun = "每份申报", .max_per_owner = 100, .owner = &call_entry_entity,
    .path = "/api/v1/entries/:id/files", .what = "an entry (its evidence)",
};

static const db_steps steps_table = {"call_entry_steps", "entry_id", "org_path", "actor_id", "actor_name", "actor_org_id"};

int entries_step(db *c, const principal *p, const entry_rec *e, const char *action, const char *from, const char *to,
                 const char *reason, const char *at)
{
    db_step_entry s = {e->id, e->org_path, action, from, to, reason, p->user_id, p->username, p->org_id, at};
    return db_steps_add(c, &steps_table, &s);
}

int calls_count_add(db *c, int64_t call_id, int64_t org_id, const char *org_path, const char *column, int delta)
{
    static const char *const columns[] = {"drafts", "submitted", "returned", "late", "recommended", "withdrawn", NULL};
    if (!str_in_list(column, columns)) return DB_ERR;   /* a constant of this module, never request text */
    qb q;
    qb_init(&q, "INSERT INTO call_unit_counts (call_id, org_id, org_path) VALUES (?, ?, ?) ON CONFLICT (call_id, org_id) DO NOTHING");
    qb_int(&q, call_id), qb_int(&q, org_id), qb_text(&q, org_path);
    int rc = qb_exec(c, &q, NULL);
    if (rc != DB_OK || delta == 0) return rc;
    char now[32];
    time_now_rfc3339(now);
    qb_init(&q, "UPDATE call_unit_counts SET ");
    qb_sql(&q, column), qb_sql(&q, " = "), qb_sql(&q, column);
    qb_sql(&q, " + ?, last_at = ? WHERE call_id = ? AND org_id = ?");
    qb_int(&q, delta), qb_text(&q, now), qb_int(&q, call_id), qb_int(&q, org_id);
    return qb_exec(c, &q, NULL);
}

bool calls_has_entries(db *c, int64_t call_id)
{
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM call_entries WHERE call_id = ? LIMIT 1");
    qb_int(&q, call_id);
    return qb_exec(c, &q, &one) == DB_OK && one == 1;
}

/* Whether unit u may enter call: below the owner, of an eligible type or named. */
static int check_eligible(db *c, const call_rec *call, const org *u)
{
    size_t n = strlen(call->org_path);
    if (strncmp(u->path, call->org_path, n) != 0 || !u->path[n]) return CALL_NOT_ELIGIBLE;
    if (!strcmp(call->eligible, "types")) {
        if (!call->eligible_types) return DB_OK;
        json_t *types = json_loads(call->eligible_types, 0, NULL), *t;
        size_t i;
        bool ok = false;
        json_array_foreach(types, i, t) ok |= !strcmp(json_string_value(t), u->type);
        json_decref(types);
        return ok ? DB_OK : CALL_NOT_ELIGIBLE;
    }
    if (!strcmp(call->eligible, "persons")) return DB_OK;   /* J: the person and its unit, calls_person_entrant() */
    /* holders: a unit titled since the call opened enters by hand (recert.c) */
    if (!strcmp(call->eligible, "holders")) return recert_eligible(c, call, u->id, u->path);
    if (strcmp(call->eligible, "named") != 0) return CALL_NOT_ELIGIBLE;
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM call_units WHERE call_id = ? AND stage_no = 0 AND org_id = ?");
    qb_int(&q, call->id), qb_int(&q, u->id);
    int rc = qb_exec(c, &q, &one);
    return rc == DB_OK ? DB_OK : rc == DB_DONE ? CALL_NOT_ELIGIBLE : rc;
}

/* The entrant's ancestor one level below the owner ("/1/7/" under "/1/": "/1/7/"). */
static const char *branch_of(arena *a, const char *owner_path, const char *path)
{
    size_t n = strlen(owner_path);
    const char *slash = strchr(path + n, '/');
    return arena_strndup(a, path, slash ? (size_t)(slash - path) + 1 : strlen(path));
}

struct entry_write {
    const principal *p;
    arena *a;
    const call_rec *call;
    int64_t id, org_id;
    const char *title;
    json_t *values;
    entry_rec *out;
};

static int create_cb(db *c, void *cls)
{
    struct entry_write *w = cls;
    org u;
    char now[32], code[7];
    time_now_rfc3339(now);
    int rc = orgs_get(c, w->p, w->a, w->org_id ? w->org_id : w->p->org_id, &u);
    if (rc == ORGS_NOT_FOUND) return CALL_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    if (strcmp(w->call->status, "open") != 0) return CALL_STATE;
    if (!strcmp(w->call->late_policy, "refuse") && strcmp(now, w->call->deadline) > 0) return ENTRY_DEADLINE;
    /* J: a call for persons enters the person the values name, for the person's unit */
    entity_value who[3] = {{"subject_kind", .text = "none"}, {"subject_id", .text = NULL}, {"subject_name", .text = NULL}};
    if (!strcmp(w->call->eligible, "persons") &&
        (rc = calls_person_entrant(c, w->p, w->a, w->call, w->values, w->org_id, &u, who)) != DB_OK)
        return rc;
    if ((rc = check_eligible(c, w->call, &u)) != DB_OK) return rc;
    /* the code a blind review shows in place of the entrant (package B) */
    for (int i = 0; i < 6; i++) code[i] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[randombytes_uniform(32)];
    code[6] = 0;
    char *values = json_dumps(w->values, JSON_COMPACT | JSON_SORT_KEYS);
    entry_rec in = {.title = w->title, .org_id = u.id, .values = values};
    entity_value more[] = {{"call_id", .i = w->call->id, .is_int = true},
                           {"org_path", .text = u.path}, {"branch_path", .text = branch_of(w->a, w->call->org_path, u.path)},
                           {"status", .text = "draft"}, {"blind_code", .text = code},
                           {"created_by", .i = w->p->user_id, .is_int = true}, {"created_at", .text = now},
                           {"updated_at", .text = now}, who[0], who[1], who[2], {0}};
    int64_t id = 0;
    rc = entity_store(c, &call_entry_entity, "call_entries", 0, &in, more, w->a, &id);
    free(values);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &call_entry_entity, w->a, id, w->out);   /* just written */
    if (rc == DB_OK) rc = calls_count_add(c, w->call->id, u.id, u.path, "drafts", +1);
    if (rc == DB_OK) rc = entries_step(c, w->p, w->out, "create", NULL, "draft", NULL, now);
    if (rc == DB_OK) rc = entity_audit(c, &call_entry_entity, actor_of(w->p), u.path, id, "create", NULL, w->out);
    return rc;
}

int entries_create(db *c, const principal *p, arena *a, const call_rec *call, int64_t org_id, const char *title,
                   json_t *values, entry_rec *out)
{
    struct entry_write w = {p, a, call, 0, org_id, title, values, out};
    return db_transaction(c, create_cb, &w);
}

bool entries_is_entrant(const principal *p, const entry_rec *e)
{
    return !strcmp(p->org_path, e->org_path) || e->created_by == p->user_id;
}

static int save_cb(db *c, void *cls)
{
    struct entry_write *w = cls;
    entry_rec before;
    call_rec call;
    int rc = entity_get(c, &call_entry_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (!entries_is_entrant(w->p, &before)) return ENTRY_NOT_ENTRANT;
    /* the entry was read within the caller's scope: its call is the one it belongs to */
    if ((rc = entity_get_unscoped(c, &call_entity, w->a, before.call_id, &call)) != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    /* a holder's entry in a re-certification is submitted when the call opens, and its unit
     * adds evidence until the deadline (recert.c) */
    bool holder = !strcmp(call.eligible, "holders") && !strcmp(before.status, "submitted");
    if (holder && strcmp(now, call.deadline) > 0) return ENTRY_DEADLINE;
    if (!holder && strcmp(before.status, "draft") != 0 && strcmp(before.status, "returned") != 0) return ENTRY_STATE;
    /* a follow-up report (H, reports.c) is filled after the call's decisions, until it is archived */
    if (strcmp(before.kind, "entry") ? !strcmp(call.status, "cancelled") || !strcmp(call.status, "archived")
                                     : strcmp(call.status, "open") != 0)
        return CALL_STATE;
    char *values = w->values ? json_dumps(w->values, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    entry_rec in = before;
    if (w->title) in.title = w->title;
    if (values) in.values = values;
    entity_value more[] = {{"updated_at", .text = now}, {0}};
    rc = entity_store(c, &call_entry_entity, "call_entries", before.id, &in, more, w->a, NULL);
    free(values);
    if (rc == DB_OK && holder) rc = recert_refresh_figures(c, w->a, &call, &in);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &call_entry_entity, w->a, before.id, w->out);   /* just written */
    if (rc == DB_OK) rc = entity_audit(c, &call_entry_entity, actor_of(w->p), before.org_path, before.id, "save", &before, w->out);
    return rc;
}

int entries_save(db *c, const principal *p, arena *a, int64_t id, const char *title, json_t *values, entry_rec *out)
{
    struct entry_write w = {p, a, NULL, id, 0, title, values, out};
    return db_transaction(c, save_cb, &w);
}

MESSAGE(msg_node, "单位不存在、不在本次征集范围内或类型不符 / unit not found, not below the call's owner, or of the wrong type");
MESSAGE(msg_person, "人员不在库中 / no such person in the pool");

/* Whether org id lies below the call's owner, of one of types (NULL: any). */
static int node_ok(db *c, const call_rec *call, int64_t id, json_t *types, bool *ok)
{
    qb q;
    qb_init(&q, "SELECT type, path FROM orgs WHERE id = ?");
    qb_int(&q, id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    *ok = false;
    if (rc == DB_ROW) {
        const char *type = db_col_text(s, 0), *path = db_col_text(s, 1);
        size_t n = strlen(call->org_path), i;
        json_t *t;
        *ok = !strncmp(path, call->org_path, n) && path[n];
        if (*ok && json_array_size(types)) {
            *ok = false;
            json_array_foreach(types, i, t) *ok |= !strcmp(json_string_value(t), type);
        }
    }
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static int person_ok(db *c, const char *kind, int64_t id, bool *ok)
{
    qb q;
    int64_t one = 0;
    *ok = true;
    const subject_pool *pool = calls_subject_pool(kind);
    if (!pool) return DB_OK;   /* any: a name or an id as given */
    qb_init(&q, pool->row_sql);
    qb_int(&q, id);
    int rc = qb_exec(c, &q, &one);
    *ok = rc == DB_OK;
    return rc == DB_DONE ? DB_OK : rc;
}

int entries_check_refs(db *c, const call_rec *call, json_t *form, json_t *values, call_form_error *err)
{
    size_t i;
    json_t *d;
    json_array_foreach(form, i, d) {
        const char *type = json_string_value(json_object_get(d, "type")), *key = json_string_value(json_object_get(d, "key"));
        json_t *v = json_object_get(values, key);
        bool ok = true;
        int rc = DB_OK;
        if (!strcmp(type, "node") && json_is_integer(v))
            rc = node_ok(c, call, json_integer_value(v), json_object_get(d, "org_types"), &ok);
        else if (!strcmp(type, "person") && json_is_integer(json_object_get(v, "id")))
            rc = person_ok(c, json_string_value(json_object_get(d, "person_kind")), json_integer_value(json_object_get(v, "id")), &ok);
        if (rc != DB_OK) return rc;
        if (!ok) {
            snprintf(err->field, sizeof err->field, "values.%s", key);
            err->code = "invalid_field";
            err->message = !strcmp(type, "node") ? msg_node : msg_person;
            return ENTRY_INCOMPLETE;
        }
    }
    return DB_OK;
}
