/* meetings.c - the meeting record (see meetings.h): its field table and scope rule, create,
 * update and delete of a draft, publish (the targeting resolved into meeting_units and every
 * invited unit told), a change of time or place and a cancel (both told to the units), and one
 * unit's quota. */
#include "meetings/meetings.h"
#include "audit/audit.h"
#include "core/errors.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "orgs/org_targets.h"
#include "orgs/orgs.h"
#include "teaching/teaching.h"
#include "todo/notify.h"
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const meeting_kinds[] = {"report", "work", "training", "forum", "other", NULL};
const char *const meeting_statuses[] = {"draft", "published", "changed", "cancelled", NULL};

/* A time in RFC 3339, normalised to Shanghai time so that times compare as text. */
static const char *check_time(arena *a, const char **v)
{
    time_t t;
    if (!course_time_parse(*v, &t))
        return "时间格式应为 RFC 3339，如 2026-05-18T09:30:00+08:00 / time must be RFC 3339";
    char *buf = arena_alloc(a, 32);
    time_to_rfc3339(t, buf);
    *v = buf;
    return NULL;
}

#define M(member) offsetof(meeting, member)
#define UNIT_COUNT(what) "(SELECT COUNT(*) FROM meeting_participants mp WHERE mp.meeting_id = m.id AND mp.status = 'registered'" what ")"
static const field meeting_fields[] = {
    {"id", "m.id", FT_ID, M(id), .flags = 0},
    {"org_id", "m.org_id", FT_ID, M(org_id), .flags = FF_CREATE, .doc = "the organizer (default: the caller's org)"},
    {"org_path", "m.org_path", FT_TEXT, M(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, M(org_name), .flags = 0},
    {"title", "m.title", FT_TEXT, M(title), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 100,
     .example = "\"2026年科普工作推进会\""},
    {"kind", "m.kind", FT_ENUM, M(kind), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .choices = meeting_kinds,
     .doc = "report 报告会, work 工作会, training 培训, forum 座谈, other 其他"},
    {"starts_at", "m.starts_at", FT_TIME, M(starts_at), .flags = FF_WRITE | FF_REQUIRED, .check = check_time},
    {"ends_at", "m.ends_at", FT_TIME, M(ends_at), .flags = FF_WRITE | FF_REQUIRED, .check = check_time},
    {"place", "m.place", FT_TEXT, M(place), .flags = FF_WRITE | FF_REQUIRED, .max = 100},
    {"agenda", "m.agenda", FT_MULTILINE, M(agenda), .flags = FF_WRITE, .max = 4000},
    {"contact", "m.contact", FT_TEXT, M(contact), .flags = FF_WRITE, .max = 100},
    {"notes", "m.notes", FT_MULTILINE, M(notes), .flags = FF_WRITE, .max = 2000},
    {"registration_deadline", "m.registration_deadline", FT_TIME, M(registration_deadline),
     .flags = FF_WRITE | FF_REQUIRED, .check = check_time, .doc = "not after the start"},
    {"default_quota", "m.default_quota", FT_INT, M(default_quota), .flags = FF_WRITE | FF_REQUIRED, .min = 1,
     .max = 1000, .doc = "participants per invited unit unless overridden"},
    {"targeting", "m.targeting", FT_JSON, M(targeting), .flags = FF_WRITE, .check_json = org_targets_check,
     .example = "{\"org_types\": [\"district\"]}", .doc = "invited units, resolved at publish"},
    {"status", "m.status", FT_ENUM, M(status), .flags = FF_FILTER, .choices = meeting_statuses},
    {"cancel_reason", "m.cancel_reason", FT_TEXT, M(cancel_reason), .flags = 0},
    {"changes", "m.changes", FT_JSON, M(changes), .flags = 0, .doc = "[{at, starts_at, ends_at, place}] after publishing"},
    {"published_at", "m.published_at", FT_TIME, M(published_at), .flags = 0},
    {"units", "(SELECT COUNT(*) FROM meeting_units mu WHERE mu.meeting_id = m.id)", FT_INT, M(units), .flags = 0},
    {"registered", UNIT_COUNT(""), FT_INT, M(registered), .flags = 0},
    {"checked_in", UNIT_COUNT(" AND mp.checked_in_at IS NOT NULL"), FT_INT, M(checked_in), .flags = 0},
    {"my_quota", NULL, FT_INT, M(my_quota), .flags = FF_NO_SELECT, .doc = "the caller's unit's quota (0: not invited)"},
    {"my_registered", NULL, FT_INT, M(my_registered), .flags = FF_NO_SELECT},
    {"manage", NULL, FT_BOOL, M(manage), .flags = FF_NO_SELECT,
     .doc = "the caller manages the meeting (a read by id; false in lists)"},
    {"notified", NULL, FT_INT, M(notified), .flags = FF_NO_SELECT,
     .doc = "the users told in the app by this publish, change or cancel (0 on a read)"},
    {"created_by", "m.created_by", FT_INT_NULL, M(created_by), .flags = 0},
    {"created_at", "m.created_at", FT_TIME, M(created_at), .flags = 0},
    {"updated_at", "m.updated_at", FT_TIME, M(updated_at), .flags = 0},
    {0},
};
#undef M

const error_row meeting_errors[] = {
    {MTG_NOT_FOUND, 404, "not_found", NULL, "会议不存在 / meeting not found"},
    {MTG_ORG_NOT_FOUND, 404, "not_found", "org_id", "单位不存在或不在权限范围内 / unit not found or outside your scope"},
    {MTG_STATE, 409, "meeting_state", "status", "会议当前状态不允许此操作 / the meeting's status does not allow this"},
    {MTG_NO_UNITS, 422, "invalid_field", "targeting", "邀请范围内没有单位 / the targeting names no unit"},
    {MTG_DEADLINE, 409, "deadline_passed", "registration_deadline", "报名已截止 / registration has closed"},
    {MTG_QUOTA, 409, "quota_full", "quota", "本单位参会名额已满 / your unit's quota of participants is full"},
    {MTG_NOT_INVITED, 404, "not_found", "org_id", "该单位未受邀参加本次会议 / this unit is not invited"},
    {MTG_DUPLICATE, 409, "duplicate", "phone", "该手机号已报名本次会议 / this phone is already registered"},
    {MTG_PARTICIPANT_NOT_FOUND, 404, "not_found", NULL, "参会人员不存在 / participant not found"},
    {MTG_BAD_TIMES, 422, "invalid_field", "ends_at",
     "结束时间应晚于开始时间，报名截止不晚于开始 / it must end after it starts, registration close by the start"},
    {MTG_UNIT_NOT_FOUND, 404, "not_found", "org_id", "该单位未受邀 / this unit is not invited"},
    {0},
};

/* The organizer side through the meeting's own path; an invited unit through its row, never a
 * draft. */
static void meeting_scope(const scope *sc, qb *q)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, " AND ((1 = 1");
    scope_filter(sc, q, "m.org_path");
    qb_sql(q, ") OR (m.status <> 'draft' AND EXISTS (SELECT 1 FROM meeting_units su WHERE su.meeting_id = m.id");
    scope_filter(sc, q, "su.org_path");
    qb_sql(q, ")))");
}

/* The caller's home unit's invitation (its scope's first path) on a read by id. */
static int meeting_complete(db *c, const scope *sc, arena *a, void *rec)
{
    (void)a;
    meeting *m = rec;
    if (!sc) return DB_OK;
    m->manage = scope_covers(sc, m->org_path);
    if (sc->n == 0) return DB_OK;
    db_stmt *s = db_prepare(c, "SELECT u.quota, (SELECT COUNT(*) FROM meeting_participants p WHERE p.meeting_id = u.meeting_id "
                               "AND p.org_id = u.org_id AND p.status = 'registered') FROM meeting_units u "
                               "WHERE u.meeting_id = ? AND u.org_path = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, m->id);
    db_bind_text(s, 2, sc->paths[0]);
    int rc = db_step(s);
    if (rc == DB_ROW) m->my_quota = db_col_int(s, 0), m->my_registered = db_col_int(s, 1);
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

bool meeting_is_organizer(const principal *p, const meeting *m)
{
    return scope_covers(&p->scope, m->org_path);
}

int meetings_get(db *c, const principal *p, arena *a, int64_t id, meeting *out)
{
    return entity_get(c, &meeting_entity, &p->scope, a, id, out);
}

/* The stored meeting as its organizer's scope sees it: MTG_NOT_FOUND for anyone else. */
static int get_managed(db *c, const principal *p, arena *a, int64_t id, meeting *out)
{
    int rc = entity_get(c, &meeting_entity, &p->scope, a, id, out);
    if (rc == DB_OK && !meeting_is_organizer(p, out)) return MTG_NOT_FOUND;
    return rc;
}

static int times_ok(const meeting *m)
{
    if (strcmp(m->ends_at, m->starts_at) <= 0 || strcmp(m->registration_deadline, m->starts_at) > 0) return MTG_BAD_TIMES;
    return DB_OK;
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const meeting *in;
    meeting *out;
};

static int create_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    org o;
    meeting in = *w->in;
    int rc = orgs_get(c, w->p, w->a, in.org_id ? in.org_id : w->p->org_id, &o);
    if (rc == ORGS_NOT_FOUND) return MTG_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    in.org_id = o.id;
    if (!in.targeting) in.targeting = "{}";
    if ((rc = times_ok(&in)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    int64_t by = w->p->user_id, id = 0;
    entity_value more[] = {{"org_path", .text = o.path}, {"status", .text = "draft"}, {"changes", .text = "[]"},
                           {"created_by", .i = by, .is_int = by != 0}, {"created_at", .text = now},
                           {"updated_at", .text = now}, {0}};
    rc = entity_store(c, &meeting_entity, "meetings", 0, &in, more, w->a, &id);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &meeting_entity, w->a, id, w->out);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &meeting_entity, actor_of(w->p), o.path, id, "create", NULL, w->out);
}

static int meetings_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return db_transaction(c, create_cb, &(struct write_args){p, a, 0, in, out});
}

static int update_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    meeting before;
    int rc = get_managed(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "draft")) return MTG_STATE;   /* after publishing: change or cancel */
    if ((rc = times_ok(w->in)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    entity_value more[] = {{"updated_at", .text = now}, {0}};
    rc = entity_store(c, &meeting_entity, "meetings", w->id, w->in, more, w->a, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &meeting_entity, w->a, w->id, w->out);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &meeting_entity, actor_of(w->p), before.org_path, w->id, "update", &before, w->out);
}

static int meetings_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    return db_transaction(c, update_cb, &(struct write_args){p, a, id, in, out});
}

static int remove_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    meeting before;
    int rc = get_managed(c, w->p, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "draft")) return MTG_STATE;   /* a published one is cancelled, not deleted */
    qb q;
    qb_init(&q, "DELETE FROM meetings WHERE id = ?");
    qb_int(&q, w->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    return entity_audit(c, &meeting_entity, actor_of(w->p), before.org_path, w->id, "delete", &before, NULL);
}

static int meetings_remove(db *c, const principal *p, arena *a, int64_t id)
{
    return db_transaction(c, remove_cb, &(struct write_args){p, a, id, NULL, NULL});
}

/* Tells every invited unit of m (in-app, and e-mail / SMS where its users chose them). */
static int tell_units(db *c, arena *a, meeting *m, const char *kind, const char *title, const char *body)
{
    int64_t *ids = NULL;
    int n = 0, cap = 0, rc;
    /* the units first, then the notifications (no statement left open while writing) */
    db_stmt *s = db_prepare(c, "SELECT org_id FROM meeting_units WHERE meeting_id = ? ORDER BY id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, m->id);
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            int64_t *more = arena_alloc(a, sizeof *more * (size_t)(cap = cap ? cap * 2 : 64));
            if (!more) { db_finish(s); return DB_ERR; }
            if (n) memcpy(more, ids, sizeof *ids * (size_t)n);
            ids = more;
        }
        ids[n++] = db_col_int(s, 0);
    }
    db_finish(s);
    if (rc != DB_DONE) return rc;
    notify_msg msg = {.kind = kind, .ref_id = m->id, .title = title, .body = body,
                      .link = arena_printf(a, "/meetings/%lld", (long long)m->id)};
    for (int i = 0; i < n; i++) {
        int64_t users = 0;
        if ((rc = notify_org(c, ids[i], &msg, NOTIFY_EMAIL | NOTIFY_SMS, &users)) != DB_OK) return rc;
        m->notified += users;
    }
    return DB_OK;
}

/* The targeting into meeting_units (orgs/org_targets.h: the units below the organizer within the
 * caller's scope), each with the default quota; *added counts the new rows. */
static int resolve_units(db *c, const principal *p, arena *a, const meeting *m, int64_t *added)
{
    qb q;
    qb_init(&q, "INSERT INTO meeting_units (meeting_id, org_id, org_path, quota) SELECT ?, o.id, o.path, ?");
    qb_int(&q, m->id), qb_int(&q, m->default_quota);
    int rc = org_targets_where(c, &p->scope, a, m->targeting, m->org_path, MTG_ORG_NOT_FOUND, &q);
    if (rc != DB_OK) { qb_free(&q); return rc; }
    qb_sql(&q, " ON CONFLICT (meeting_id, org_id) DO NOTHING");
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    *added = db_changes(c);
    return DB_OK;
}

struct state_args {
    const principal *p;
    arena *a;
    int64_t id;
    const char *starts_at, *ends_at, *place, *deadline, *reason;
    meeting *out;
};

static int stored(db *c, struct state_args *w, const meeting *before, const entity_value *more, const char *action)
{
    int rc = entity_store(c, &meeting_entity, "meetings", w->id, NULL, more, w->a, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &meeting_entity, w->a, w->id, w->out);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &meeting_entity, actor_of(w->p), before->org_path, w->id, action, before, w->out);
}

static int publish_cb(db *c, void *cls)
{
    struct state_args *w = cls;
    meeting m;
    int64_t added = 0;
    int rc = get_managed(c, w->p, w->a, w->id, &m);
    if (rc != DB_OK) return rc;
    if (strcmp(m.status, "draft")) return MTG_STATE;
    if ((rc = resolve_units(c, w->p, w->a, &m, &added)) != DB_OK) return rc;
    if (!added) return MTG_NO_UNITS;
    char now[40];
    time_now_rfc3339(now);
    entity_value more[] = {{"status", .text = "published"}, {"published_at", .text = now}, {"updated_at", .text = now}, {0}};
    if ((rc = stored(c, w, &m, more, "publish")) != DB_OK) return rc;
    const char *title = arena_printf(w->a, "【会议通知】%s %.16s %s，请于%.16s前报名", m.title, m.starts_at, m.place,
                                     m.registration_deadline);
    return tell_units(c, w->a, w->out, "meeting_invite", title, m.agenda);
}

int meetings_publish(db *c, const principal *p, arena *a, int64_t id, meeting *out)
{
    return db_transaction(c, publish_cb, &(struct state_args){.p = p, .a = a, .id = id, .out = out});
}

static int change_cb(db *c, void *cls)
{
    struct state_args *w = cls;
    meeting m;
    int rc = get_managed(c, w->p, w->a, w->id, &m);
    if (rc != DB_OK) return rc;
    if (strcmp(m.status, "published") && strcmp(m.status, "changed")) return MTG_STATE;
    meeting next = m;
    if (w->starts_at) next.starts_at = w->starts_at;
    if (w->ends_at) next.ends_at = w->ends_at;
    if (w->place) next.place = w->place;
    if (w->deadline) next.registration_deadline = w->deadline;
    if ((rc = times_ok(&next)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    json_t *changes = json_loads(m.changes ? m.changes : "[]", 0, NULL);
    if (!json_is_array(changes)) json_decref(changes), changes = json_array();
    json_array_append_new(changes, json_pack("{s:s, s:s, s:s, s:s, s:s}", "at", now, "starts_at", next.starts_at,
                                             "ends_at", next.ends_at, "place", next.place, "registration_deadline",
                                             next.registration_deadline));
    char *text = json_dumps(changes, JSON_COMPACT);
    json_decref(changes);
    const char *kept = text ? arena_strdup(w->a, text) : "[]";
    free(text);
    entity_value more[] = {{"starts_at", .text = next.starts_at}, {"ends_at", .text = next.ends_at},
                           {"place", .text = next.place}, {"registration_deadline", .text = next.registration_deadline},
                           {"changes", .text = kept}, {"status", .text = "changed"}, {"updated_at", .text = now}, {0}};
    if ((rc = stored(c, w, &m, more, "change")) != DB_OK) return rc;
    const char *title = arena_printf(w->a, "【会议变更】%s 改为 %.16s %s", m.title, next.starts_at, next.place);
    return tell_units(c, w->a, w->out, "meeting_change", title, NULL);
}

int meetings_change(db *c, const principal *p, arena *a, int64_t id, const char *starts_at, const char *ends_at,
                    const char *place, const char *deadline, meeting *out)
{
    struct state_args w = {p, a, id, starts_at, ends_at, place, deadline, NULL, out};
    return db_transaction(c, change_cb, &w);
}

static int cancel_cb(db *c, void *cls)
{
    struct state_args *w = cls;
    meeting m;
    int rc = get_managed(c, w->p, w->a, w->id, &m);
    if (rc != DB_OK) return rc;
    if (strcmp(m.status, "published") && strcmp(m.status, "changed")) return MTG_STATE;
    char now[40];
    time_now_rfc3339(now);
    entity_value more[] = {{"status", .text = "cancelled"}, {"cancel_reason", .text = w->reason},
                           {"updated_at", .text = now}, {0}};
    if ((rc = stored(c, w, &m, more, "cancel")) != DB_OK) return rc;
    const char *title = arena_printf(w->a, "【会议取消】%s（%.16s）已取消：%s", m.title, m.starts_at, w->reason);
    return tell_units(c, w->a, w->out, "meeting_cancel", title, NULL);
}

int meetings_cancel(db *c, const principal *p, arena *a, int64_t id, const char *reason, meeting *out)
{
    struct state_args w = {.p = p, .a = a, .id = id, .reason = reason, .out = out};
    return db_transaction(c, cancel_cb, &w);
}

struct quota_args {
    const principal *p;
    arena *a;
    int64_t id, org_id, quota;
};

static int quota_cb(db *c, void *cls)
{
    struct quota_args *w = cls;
    meeting m;
    meeting_unit before, after;
    int rc = get_managed(c, w->p, w->a, w->id, &m);
    if (rc != DB_OK) return rc;
    if (!strcmp(m.status, "cancelled")) return MTG_STATE;
    qb q;
    qb_init(&q, " AND u.meeting_id = ? AND u.org_id = ?");
    qb_int(&q, w->id), qb_int(&q, w->org_id);
    /* unscoped: the organizer's scope was checked on the meeting, which owns the row */
    rc = entity_get_where_unscoped(c, &meeting_unit_entity, w->a, &q, &before);
    if (rc != DB_OK) return rc == MTG_UNIT_NOT_FOUND ? MTG_UNIT_NOT_FOUND : rc;
    entity_value more[] = {{"quota", .i = w->quota, .is_int = true}, {0}};
    rc = entity_store(c, &meeting_unit_entity, "meeting_units", before.id, NULL, more, w->a, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &meeting_unit_entity, w->a, before.id, &after);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &meeting_unit_entity, actor_of(w->p), m.org_path, before.id, "update", &before, &after);
}

int meetings_set_quota(db *c, const principal *p, arena *a, int64_t id, int64_t org_id, int64_t quota)
{
    return db_transaction(c, quota_cb, &(struct quota_args){p, a, id, org_id, quota});
}

entity meeting_entity = {
    .name = "meeting", .doc = "A meeting (会议) an org calls, with its invited units' quotas",
    .from = " FROM meetings m JOIN orgs o ON o.id = m.org_id", .id_column = "m.id", .path_column = "m.org_path",
    .scope_rule = meeting_scope, .order = " ORDER BY m.starts_at DESC, m.id DESC", .size = sizeof(meeting),
    .fields = meeting_fields, .not_found = MTG_NOT_FOUND, .org_not_found = MTG_ORG_NOT_FOUND,
    .errors = meeting_errors, .complete = meeting_complete, .create = meetings_create, .update = meetings_update,
    .remove = meetings_remove,
};
