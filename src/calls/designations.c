/* designations.c - standing titles (命名) on a node or a person (results.h): the kinds, the
 * titles as a declared record scoped by the holder's org path, a title given (by hand or by a
 * finalized call; an active one of the same kind is extended, never doubled), revoked with a
 * reason (撤销命名; its award certificates with it). A title past valid_to reads as expired.
 * Statistics: "titles.<kind>" +1 at the holder on valid_from, "titles_revoked.<kind>" +1 on the
 * day of a revocation (key source in calls_public.c's results_init). */
#include "calls/results.h"
#include "audit/audit.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const subject_kinds[] = {"org", "teacher", "volunteer", "resource", NULL};
static const char *const des_statuses[] = {"active", "expired", "revoked", NULL};

const error_row results_errors[] = {
    {DES_NOT_FOUND, 404, "not_found", NULL, "称号不存在 / title not found"},
    {DES_KIND_UNKNOWN, 422, "invalid_field", "kind", "没有这种称号 / no such kind of title"},
    {DES_HELD, 409, "title_held", NULL, "该单位已有此称号 / the holder already has this title"},
    {DES_STATE, 409, "designation_state", NULL, "称号已撤销 / the title is not active"},
    {DES_NOT_ABOVE, 403, "forbidden", NULL, "须由上级单位命名或撤销 / only a level above may grant or revoke"},
    {DES_LEVEL, 422, "invalid_field", "level", "该称号没有这个等级 / no such level for this title"},
    {DES_SUBJECT, 422, "invalid_field", "subject_id", "该人员不在此单位下 / no such person under this unit"},   /* J */
    {RES_OVER_BUDGET, 409, "over_budget", "award_amount", "奖励金额超出预算 / the awards exceed the call's budget"},
    {RES_NOT_DECIDABLE, 409, "entry_state", NULL, "申报尚未到达本级，不能决定 / the entry has not reached the owner"},
    {RES_NOTHING_DECIDED, 409, "nothing_decided", NULL, "尚无已决定的申报 / no entry is decided yet"},
    {RES_WINDOW_OPEN, 409, "publicity_open", NULL, "公示期未结束 / the publicity window is still open"},
    {RES_WINDOW_CLOSED, 409, "publicity_closed", NULL, "不在公示期内 / the publicity window is not open"},
    {RES_OBJ_NOT_FOUND, 404, "not_found", NULL, "异议不存在 / objection not found"},
    {RES_OBJ_STATE, 409, "objection_state", NULL, "该异议已答复 / the objection is answered already"},
    {RES_CERT_NOT_FOUND, 404, "not_found", NULL, "证书不存在 / certificate not found"},
    {RES_WINDOW_BAD, 422, "invalid_field", "ends_at", "公示结束时间不能早于开始时间 / ends_at before the window's start"},
    {RES_NOT_OWNER, 403, "forbidden", NULL, "须由征集发起单位决定 / only the call's owner decides"},
    {RES_REASON, 422, "required", "reason", "修改公示期须说明理由 / changing the window needs a reason"},
    {RES_OBJ_PENDING, 409, "objections_pending", NULL, "尚有异议未答复 / objections are not all answered"},
    {RES_OUTCOME, 422, "invalid_field", "outcome",
     "称号复核的决定为 revoke 或 keep，其他征集为 selected 或 rejected / a re-certification decides revoke or keep, other calls selected or rejected"},
    {CALL_NOT_FOUND, 404, "not_found", NULL, "征集活动不存在 / call not found"},
    {CALL_ORG_NOT_FOUND, 404, "not_found", "org_id", "单位不存在或不在权限范围内 / unit not found or outside your scope"},
    {CALL_STATE, 409, "call_state", NULL, "征集活动当前状态不允许此操作 / the call's status does not allow this"},
    {ENTRY_NOT_FOUND, 404, "not_found", NULL, "申报不存在 / entry not found"},
    {ENTRY_STATE, 409, "entry_state", NULL, "申报当前状态不允许此操作 / the entry's status does not allow this"},
    {0},
};

/* ---- kinds: a dictionary every staff member reads ---- */

static void no_scope(const scope *sc, qb *q) { (void)sc, (void)q; }

#define K(member) offsetof(designation_kind, member)
static const field kind_fields[] = {
    {"code", "k.code", FT_TEXT, K(code), .flags = 0, .example = "\"demo_point\""},
    {"name", "k.name", FT_TEXT, K(name), .flags = 0, .example = "\"示范教学点\""},
    {"subject", "k.subject", FT_ENUM, K(subject), .flags = 0, .choices = subject_kinds},
    {"org_type", "k.org_type", FT_TEXT, K(org_type), .flags = 0},
    {"levels", "k.levels", FT_JSON, K(levels), .flags = 0, .doc = "the levels of the title, or null"},
    {"valid_years", "k.valid_years", FT_INT, K(valid_years), .flags = 0, .doc = "0: no end"},
    {"builtin", "k.builtin", FT_BOOL, K(builtin), .flags = 0},
    {0},
};
#undef K

entity designation_kind_entity = {
    .name = "designation_kind",
    .doc = "A kind of title (称号): its subject, levels and term",
    .from = " FROM designation_kinds k",
    .id_column = "k.code",
    .scope_rule = no_scope,
    .order = " ORDER BY k.builtin DESC, k.code",
    .size = sizeof(designation_kind),
    .fields = kind_fields,
    .not_found = DES_KIND_UNKNOWN,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = results_errors,
};

/* ---- titles ---- */

static void des_on_read(void *rec, arena *a)
{
    designation *d = rec;
    char now[32];
    (void)a;
    time_now_rfc3339(now);
    now[10] = 0;
    if (d->status && !strcmp(d->status, "active") && d->valid_to && strcmp(d->valid_to, now) < 0) d->status = "expired";
}

#define D(member) offsetof(designation, member)
static const field des_fields[] = {
    {"id", "d.id", FT_ID, D(id), .flags = 0},
    {"kind", "d.kind", FT_TEXT, D(kind), .flags = FF_CREATE | FF_REQUIRED | FF_FILTER, .max = 32, .example = "\"base\""},
    {"kind_name", "k.name", FT_TEXT, D(kind_name), .flags = 0},
    {"level", "d.level", FT_TEXT, D(level), .flags = FF_CREATE, .max = 20, .example = "\"A\""},
    {"subject_kind", "d.subject_kind", FT_ENUM, D(subject_kind), .flags = FF_CREATE, .choices = subject_kinds,
     .doc = "org (default) | teacher | volunteer | resource: a person's or a resource's title names it by subject_id"},
    {"subject_id", "d.subject_id", FT_INT_NULL, D(subject_id), .flags = FF_CREATE, .doc = "the person (or node); default: org_id"},
    {"org_id", "d.org_id", FT_ID, D(org_id), .flags = FF_CREATE | FF_REQUIRED, .doc = "the holder (or the unit a person's title is filed under)"},
    {"org_name", "o.name", FT_TEXT, D(org_name), .flags = 0},
    {"org_path", "d.org_path", FT_TEXT, D(org_path), .flags = FF_HIDDEN},
    {"name", "d.name", FT_TEXT, D(name), .flags = FF_CREATE, .max = 100, .doc = "the holder as named (default: the unit's name)"},
    {"call_id", "d.call_id", FT_INT_NULL, D(call_id), .flags = 0},
    {"entry_id", "d.entry_id", FT_INT_NULL, D(entry_id), .flags = 0},
    {"valid_from", "d.valid_from", FT_DAY, D(valid_from), .flags = FF_CREATE, .doc = "default: today"},
    {"valid_to", "d.valid_to", FT_DAY, D(valid_to), .flags = FF_CREATE, .doc = "default: by the kind's term; null: no end"},
    {"status", "d.status", FT_ENUM, D(status), .flags = 0, .choices = des_statuses, .doc = "active | expired (read) | revoked"},
    {"revoked_at", "d.revoked_at", FT_TIME, D(revoked_at), .flags = 0},
    {"revoked_by", "d.revoked_by", FT_INT_NULL, D(revoked_by), .flags = 0},
    {"revoke_reason", "d.revoke_reason", FT_TEXT, D(revoke_reason), .flags = 0},
    {"revoke_call_id", "d.revoke_call_id", FT_INT_NULL, D(revoke_call_id), .flags = 0},
    {"created_by", "d.created_by", FT_INT_NULL, D(created_by), .flags = FF_HIDDEN},
    {"created_at", "d.created_at", FT_TIME, D(created_at), .flags = 0},
    {0},
};
#undef D

entity designation_entity = {
    .name = "designation",
    .doc = "A standing title (命名) on a node or a person: kind, level, term, revocation",
    .from = " FROM designations d JOIN orgs o ON o.id = d.org_id JOIN designation_kinds k ON k.code = d.kind",
    .id_column = "d.id",
    .path_column = "d.org_path",
    .order = " ORDER BY d.id DESC",
    .size = sizeof(designation),
    .fields = des_fields,
    .not_found = DES_NOT_FOUND,
    .org_not_found = CALL_ORG_NOT_FOUND,
    .errors = results_errors,
    .create = designations_create,
    .on_read = des_on_read,
};

bool designations_held(db *c, int64_t org_id, const char *kind, const char *day)
{
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM designations WHERE org_id = ? AND kind = ? AND status = 'active' AND valid_from <= ? "
                "AND (valid_to IS NULL OR valid_to >= ?) LIMIT 1");
    qb_int(&q, org_id), qb_text(&q, kind), qb_text(&q, day), qb_text(&q, day);
    return qb_exec(c, &q, &one) == DB_OK && one == 1;
}

static int read_kind(db *c, arena *a, const char *code, designation_kind *out)
{
    qb q;
    qb_init(&q, " AND k.code = ?");
    qb_text(&q, code ? code : "");
    /* a dictionary: no scope */
    return entity_get_where_unscoped(c, &designation_kind_entity, a, &q, out);
}

/* Whether level is one of the kind's levels (a kind without levels takes any, or none). */
static bool level_ok(const designation_kind *k, const char *level)
{
    if (!level || !k->levels) return true;
    json_t *levels = json_loads(k->levels, 0, NULL), *v;
    size_t i;
    bool ok = false;
    json_array_foreach(levels, i, v) ok |= json_is_string(v) && !strcmp(json_string_value(v), level);
    json_decref(levels);
    return ok;
}

int designations_give(db *c, const principal *p, arena *a, const designation *in, int64_t *id)
{
    designation_kind k;
    int rc = read_kind(c, a, in->kind, &k);
    if (rc != DB_OK) return rc;
    if (!level_ok(&k, in->level)) return DES_LEVEL;
    if ((rc = calls_title_granted(c, p, a, in)) != DB_OK) return rc;   /* J: a person's title, the city pool */
    char now[32], today[11], to[11];
    time_now_rfc3339(now);
    memcpy(today, now, 10), today[10] = 0;
    const char *from = in->valid_from ? in->valid_from : today, *until = in->valid_to;
    if (!until && k.valid_years > 0) {
        /* a term of N years ends the day before the same date N years on */
        char next[11];
        snprintf(next, sizeof next, "%04d%s", atoi(from) + (int)k.valid_years, from + 4);
        if (!day_valid(next)) snprintf(next, sizeof next, "%04d-03-01", atoi(from) + (int)k.valid_years);
        day_add(next, -1, to);
        until = to;
    }
    const char *subject_kind = in->subject_kind ? in->subject_kind : "org";
    int64_t subject_id = in->subject_id ? in->subject_id : in->org_id;
    qb q;
    int64_t held = 0;
    qb_init(&q, "SELECT id FROM designations WHERE kind = ? AND subject_kind = ? AND subject_id = ? AND status = 'active' "
                "AND (valid_to IS NULL OR valid_to >= ?) ORDER BY id LIMIT 1");
    qb_text(&q, in->kind), qb_text(&q, subject_kind), qb_int(&q, subject_id), qb_text(&q, today);
    if ((rc = qb_exec(c, &q, &held)) != DB_OK && rc != DB_DONE) return rc;
    if (held) {
        if (!in->call_id) return DES_HELD;
        /* named again by a call: the standing title runs on, not a second one */
        qb_init(&q, "UPDATE designations SET valid_to = ?, level = COALESCE(?, level) WHERE id = ?");
        qb_text(&q, until), qb_text(&q, in->level), qb_int(&q, held);
        *id = held;
        return qb_exec(c, &q, NULL);
    }
    entity_value more[] = {{"subject_kind", .text = subject_kind}, {"subject_id", .i = subject_id, .is_int = true},
                           {"org_path", .text = in->org_path}, {"call_id", .text = NULL},
                           {"entry_id", .text = NULL}, {"valid_from", .text = from}, {"valid_to", .text = until},
                           {"status", .text = "active"}, {"created_by", .i = p->user_id, .is_int = true},
                           {"created_at", .text = now}, {0}};
    if (in->call_id) more[3] = (entity_value){"call_id", .i = in->call_id, .is_int = true};
    if (in->entry_id) more[4] = (entity_value){"entry_id", .i = in->entry_id, .is_int = true};
    entity_value cols[] = {{"kind", .text = in->kind}, {"level", .text = in->level}, {"org_id", .i = in->org_id, .is_int = true},
                           {"name", .text = in->name}, {0}};
    entity_value all[16];
    int n = 0;
    for (int i = 0; cols[i].column; i++) all[n++] = cols[i];
    for (int i = 0; more[i].column; i++) all[n++] = more[i];
    all[n] = (entity_value){0};
    if ((rc = entity_store(c, &designation_entity, "designations", 0, NULL, all, a, id)) != DB_OK) return rc;
    /* a new title counts under "titles.<kind>" at its holder on its first day (a target such as
     * "10 new bases a year" reads it); an extension above is no new title */
    stats_key key = {arena_printf(a, "titles.%s", in->kind), 1};
    return stats_add_keys(c, in->org_path, from, &key, 1, +1);
}

/* Whether the caller's unit is strictly above path (a unit never titles itself). */
static bool above(const principal *p, const char *path)
{
    size_t n = strlen(p->org_path);
    return strncmp(path, p->org_path, n) == 0 && path[n];
}

struct grant { const principal *p; arena *a; const designation *in; designation *out; int64_t id; const char *reason; int64_t call_id; };

static int grant_cb(db *c, void *cls)
{
    struct grant *w = cls;
    org u;
    int rc = orgs_get(c, w->p, w->a, w->in->org_id, &u);
    if (rc == ORGS_NOT_FOUND) return CALL_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    if (!above(w->p, u.path)) return DES_NOT_ABOVE;
    designation in = *w->in;
    in.org_path = u.path;
    if (!in.name) in.name = u.name;
    int64_t id = 0;
    if ((rc = designations_give(c, w->p, w->a, &in, &id)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &designation_entity, w->a, id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &designation_entity, actor_of(w->p), u.path, id, "grant", NULL, w->out);
}

int designations_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    struct grant w = {p, a, in, out, 0, NULL, 0};
    return db_transaction(c, grant_cb, &w);
}

static int revoke_cb(db *c, void *cls)
{
    struct grant *w = cls;
    designation before;
    int rc = entity_get(c, &designation_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (!above(w->p, before.org_path)) return DES_NOT_ABOVE;
    if (strcmp(before.status, "revoked") == 0) return DES_STATE;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"status", .text = "revoked"}, {"revoked_at", .text = now},
                           {"revoked_by", .i = w->p->user_id, .is_int = true}, {"revoke_reason", .text = w->reason},
                           {w->call_id ? "revoke_call_id" : NULL, .i = w->call_id, .is_int = true}, {0}};
    if ((rc = entity_store(c, &designation_entity, "designations", w->id, NULL, more, w->a, NULL)) != DB_OK) return rc;
    stats_key key = {arena_printf(w->a, "titles_revoked.%s", before.kind), 1};
    if ((rc = stats_add_keys(c, before.org_path, arena_strndup(w->a, now, 10), &key, 1, +1)) != DB_OK) return rc;
    qb q;
    qb_init(&q, "UPDATE award_certificates SET status = 'revoked' WHERE designation_id = ?");
    qb_int(&q, w->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if ((rc = calls_title_revoked(c, &before)) != DB_OK) return rc;   /* 18: a resource's premium flag */
    if ((rc = entity_get_unscoped(c, &designation_entity, w->a, w->id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &designation_entity, actor_of(w->p), before.org_path, w->id, "revoke", &before, w->out);
}

int designations_revoke(db *c, const principal *p, arena *a, int64_t id, const char *reason, designation *out)
{
    struct grant w = {p, a, NULL, out, id, reason, 0};
    return db_transaction(c, revoke_cb, &w);
}

int designations_revoke_by_call(db *c, const principal *p, arena *a, int64_t id, const char *reason, int64_t call_id)
{
    designation out;
    struct grant w = {p, a, NULL, &out, id, reason, call_id};
    return revoke_cb(c, &w);
}

int designations_extend(db *c, const principal *p, arena *a, int64_t id, int64_t call_id)
{
    designation before, after;
    designation_kind k;
    (void)call_id;
    int rc = entity_get(c, &designation_entity, &p->scope, a, id, &before);
    if (rc == DB_OK) rc = read_kind(c, a, before.kind, &k);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "revoked") == 0) return DES_STATE;
    if (!before.valid_to || k.valid_years <= 0) return DB_OK;   /* no end: nothing to extend */
    /* the same day N years on; 29 February becomes 28 February */
    char to[11];
    snprintf(to, sizeof to, "%04d%s", atoi(before.valid_to) + (int)k.valid_years, before.valid_to + 4);
    if (!day_valid(to)) snprintf(to, sizeof to, "%04d-02-28", atoi(before.valid_to) + (int)k.valid_years);
    entity_value more[] = {{"valid_to", .text = to}, {0}};
    if ((rc = entity_store(c, &designation_entity, "designations", id, NULL, more, a, NULL)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &designation_entity, a, id, &after)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &designation_entity, actor_of(p), before.org_path, id, "extend", &before, &after);
}
