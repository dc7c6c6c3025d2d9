/* meetings_api.c - HTTP handlers of meetings (docs/api.md "Meetings (会议) — issue 16 B"): the list
 * with its filters and export, CRUD of a draft, publish / change / cancel, the invited units and
 * their quotas, the participants, and the attendance as JSON and as a workbook. The check-in at
 * the door uses the check-in module's routes with kind "meeting". */
#include "meetings/meetings.h"
#include "checkin/checkin.h"
#include "core/period.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include "orgs/orgs.h"
#include "todo/todo.h"
#include "model/entity.h"
#include <string.h>

/* ?from= / ?to= (YYYY-MM-DD, on the start's day) and ?side=organized|invited. */
static bool list_filters(request *r, qb *where)
{
    static const char *const sides[] = {"organized", "invited", NULL};
    const char *from = req_query(r, "from"), *to = req_query(r, "to"), *side = req_query(r, "side");
    if (!query_choice(r, "side", sides)) return false;
    if ((from && !day_valid(from)) || (to && !day_valid(to))) {
        reply_error(r, 422, "invalid_field", from && !day_valid(from) ? "from" : "to",
                    "日期格式应为 YYYY-MM-DD / date must be YYYY-MM-DD");
        return false;
    }
    if (from) qb_sql(where, " AND substr(m.starts_at, 1, 10) >= ?"), qb_text(where, from);
    if (to) qb_sql(where, " AND substr(m.starts_at, 1, 10) <= ?"), qb_text(where, to);
    const scope *sc = &r->principal->scope;
    if (side && !strcmp(side, "organized")) {
        qb_sql(where, " AND 1 = 1");
        scope_filter(sc, where, "m.org_path");
    } else if (side) {
        qb_sql(where, " AND m.status <> 'draft' AND EXISTS (SELECT 1 FROM meeting_units iu WHERE iu.meeting_id = m.id "
                      "AND iu.org_path = ?)");
        qb_text(where, r->principal->org_path);
    }
    return true;
}

static void handle_list(request *r)
{
    db *c = db_thread();
    qb where;
    page pg;
    if (!entity_list_begin(r, c, &meeting_entity, &where, &pg)) return;
    if (!list_filters(r, &where)) { qb_free(&where); return; }
    entity_reply_list(r, c, &meeting_entity, &where, NULL, &pg);
}

static const char *kind_label(const char *k)
{
    static const char *const labels[] = {"报告会", "工作会", "培训", "座谈", "其他"};
    for (int i = 0; meeting_kinds[i]; i++)
        if (!strcmp(k, meeting_kinds[i])) return labels[i];
    return k;
}

static const char *status_label(const char *s)
{
    static const char *const labels[] = {"草稿", "已发布", "已变更", "已取消"};
    for (int i = 0; meeting_statuses[i]; i++)
        if (!strcmp(s, meeting_statuses[i])) return labels[i];
    return s;
}

static int export_row(const void *rec, db_stmt *s, arena *row, void *cls)
{
    (void)s, (void)row;
    const meeting *m = rec;
    xlsx *x = cls;
    xlsx_text(x, 0, m->title);
    xlsx_text(x, 1, kind_label(m->kind));
    xlsx_text(x, 2, m->org_name);
    xlsx_time(x, 3, m->starts_at);
    xlsx_text(x, 4, m->place);
    xlsx_time(x, 5, m->registration_deadline);
    xlsx_text(x, 6, status_label(m->status));
    xlsx_int(x, 7, m->units);
    xlsx_int(x, 8, m->registered);
    xlsx_int(x, 9, m->checked_in);
    xlsx_next_row(x);
    return DB_OK;
}

static void handle_export(request *r)
{
    static const xlsx_col cols[] = {{"会议名称", 30}, {"类型", 8}, {"主办单位", 20}, {"开始时间", 18}, {"地点", 20},
                                    {"报名截止", 18}, {"状态", 8}, {"受邀单位", 8}, {"报名人数", 8}, {"签到人数", 8}};
    qb where;
    db *c = db_thread();
    if (!entity_request_where(r, c, &meeting_entity, &where)) return;
    if (!list_filters(r, &where)) { qb_free(&where); return; }
    xlsx *x = xlsx_open_table("会议", NULL, cols, 10);
    if (!x) { qb_free(&where); reply_export_failed(r); return; }
    qb_sql(&where, " ORDER BY m.starts_at DESC, m.id DESC");
    int rc = entity_each(c, &meeting_entity, NULL, &where, export_row, x);
    if (rc != DB_OK) { xlsx_abort(x); entity_reply_error(r, &meeting_entity, rc); return; }
    xlsx_reply(x, r, "会议.xlsx");
}

/* The meeting after a state change, as the caller sees it. */
static void reply_meeting(request *r, int rc, const meeting *m)
{
    entity_reply_result(r, &meeting_entity, rc, 200, m);
}

static void handle_publish(request *r)
{
    int64_t id;
    meeting m;
    if (!param_id(r, 0, &id)) return;   /* no body needed */
    db *c = db_thread();
    reply_meeting(r, c ? meetings_publish(c, r->principal, &r->arena, id, &m) : DB_ERR, &m);
}

/* A time of the body normalised like the record's (RFC 3339, +08:00); NULL when absent. */
static bool body_time(request *r, const char *key, const char **out)
{
    const field *f = entity_field(&meeting_entity, key);
    if (!body_string(r, key, false, out)) return false;
    if (*out && f->check(&r->arena, out)) {
        reply_error(r, 422, "invalid_field", key, "时间格式应为 RFC 3339，如 2026-05-18T09:30:00+08:00 / time must be RFC 3339");
        return false;
    }
    return true;
}

/* {"starts_at"?, "ends_at"?, "place"?, "registration_deadline"?}: at least one. */
static void handle_change(request *r)
{
    static const char *const allowed[] = {"starts_at", "ends_at", "place", "registration_deadline", NULL};
    int64_t id;
    const char *starts = NULL, *ends = NULL, *place = NULL, *deadline = NULL;
    meeting m;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL) || !body_time(r, "starts_at", &starts) ||
        !body_time(r, "ends_at", &ends) || !body_time(r, "registration_deadline", &deadline) ||
        !body_name(r, "place", false, 100, &place))
        return;
    if (!starts && !ends && !place && !deadline) {
        reply_error(r, 422, "required", "starts_at", "请给出新的时间或地点 / give the new time or place");
        return;
    }
    db *c = db_thread();
    reply_meeting(r, c ? meetings_change(c, r->principal, &r->arena, id, starts, ends, place, deadline, &m) : DB_ERR, &m);
}

static void handle_cancel(request *r)
{
    static const char *const allowed[] = {"reason", NULL};
    int64_t id;
    const char *reason = NULL;
    meeting m;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, allowed, NULL) || !body_name(r, "reason", true, 200, &reason)) return;
    db *c = db_thread();
    reply_meeting(r, c ? meetings_cancel(c, r->principal, &r->arena, id, reason, &m) : DB_ERR, &m);
}

/* The units or participants of a meeting p sees (the meeting first: 404 outside the scope). */
static void reply_children(request *r, const entity *e, const char *meeting_col, const char *order)
{
    int64_t id, org_id = 0;
    bool has = false;
    meeting m;
    if (!param_id(r, 0, &id) || !query_id(r, "org_id", &org_id, &has)) return;
    db *c = db_thread();
    int rc = c ? meetings_get(c, r->principal, &r->arena, id, &m) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &meeting_entity, rc); return; }
    qb q;
    qb_init(&q, " WHERE "), qb_sql(&q, meeting_col), qb_sql(&q, " = ?"), qb_int(&q, id);
    if (e == &meeting_participant_entity) qb_sql(&q, " AND p.status = 'registered'");
    if (has) qb_sql(&q, e == &meeting_unit_entity ? " AND u.org_id = ?" : " AND p.org_id = ?"), qb_int(&q, org_id);
    entity_scope_filter(e, &r->principal->scope, &q);
    jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_key(&w, "items");
    rc = entity_list_all(c, e, &q, order, &r->arena, &w, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, &meeting_entity, rc); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

static void handle_units(request *r) { reply_children(r, &meeting_unit_entity, "u.meeting_id", NULL); }
static void handle_participants(request *r) { reply_children(r, &meeting_participant_entity, "p.meeting_id", NULL); }

static void handle_set_quota(request *r)
{
    static const char *const allowed[] = {"quota", NULL};
    int64_t id, org_id, quota = 0;
    if (!param_id(r, 0, &id) || !param_id(r, 1, &org_id) || !body_allow_fields(r, allowed, NULL) ||
        !body_int(r, "quota", true, &quota, NULL))
        return;
    if (quota < 0 || quota > 1000) { reply_error(r, 422, "out_of_range", "quota", "名额应为 0–1000 / quota must be 0-1000"); return; }
    db *c = db_thread();
    int rc = c ? meetings_set_quota(c, r->principal, &r->arena, id, org_id, quota) : DB_ERR;
    if (rc == DB_OK) { handle_units(r); return; }
    entity_reply_error(r, &meeting_entity, rc);
}

static void reply_participant(request *r, db *c, int rc, int status, int64_t id)
{
    meeting_participant x;
    /* the row the caller just wrote, read back within its scope */
    if (rc == DB_OK) rc = entity_get(c, &meeting_participant_entity, &r->principal->scope, &r->arena, id, &x);
    entity_reply_result(r, &meeting_participant_entity, rc, status, &x);
}

/* {"org_id"? (the unit; default the caller's), "name", "position"?, "phone"}. */
static void handle_add_participant(request *r)
{
    int64_t id, org_id = 0, new_id = 0;
    meeting_participant in = {0};
    if (!param_id(r, 0, &id)) return;
    if (r->json && json_object_get(r->json, "org_id")) {
        if (!body_int(r, "org_id", false, &org_id, NULL)) return;
        json_object_del(r->json, "org_id");   /* the unit is the module's, not a stored field of the body */
    }
    if (!entity_read_body(r, &meeting_participant_entity, &in, true)) return;
    db *c = db_thread();
    int rc = c ? participants_add(c, r->principal, &r->arena, id, org_id, &in, &new_id) : DB_ERR;
    reply_participant(r, c, rc, 201, new_id);
}

static void handle_update_participant(request *r)
{
    int64_t id;
    meeting_participant in;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? entity_get(c, &meeting_participant_entity, &r->principal->scope, &r->arena, id, &in) : DB_ERR;
    if (rc != DB_OK) { entity_reply_error(r, &meeting_participant_entity, rc); return; }
    if (!entity_read_body(r, &meeting_participant_entity, &in, false)) return;
    rc = participants_update(c, r->principal, &r->arena, id, &in);
    reply_participant(r, c, rc, 200, id);
}

static void handle_withdraw(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? participants_withdraw(c, r->principal, &r->arena, id) : DB_ERR;
    entity_reply_result(r, &meeting_participant_entity, rc, 204, NULL);
}

static void handle_attendance(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    jw w;
    jw_init(&w);
    int rc = c ? meetings_attendance(c, r->principal, &r->arena, id, &w) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, &meeting_entity, rc); return; }
    reply_jw(r, 200, &w);
}

static void handle_attendance_xlsx(request *r)
{
    static const xlsx_col cols[] = {{"单位", 24}, {"汇总", 36}, {"姓名", 10}, {"职务", 16}, {"手机", 14}, {"签到", 8},
                                    {"签到时间", 18}};
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    xlsx *x = xlsx_open_table("出勤", NULL, cols, 7);
    if (!x) { reply_export_failed(r); return; }
    int rc = meetings_attendance_xlsx(c, r->principal, &r->arena, id, x);
    if (rc != DB_OK) { xlsx_abort(x); entity_reply_error(r, &meeting_entity, rc); return; }
    xlsx_reply(x, r, "会议出勤.xlsx");
}

static const struct route meeting_routes[] = {
    {"GET", "/api/v1/meetings", handle_list, RANK_STAFF, 0, .summary = "Meetings in scope: organized and invited (?status, kind, q, from, to, side)", .entity = &meeting_entity},
    {"GET", "/api/v1/meetings/export", handle_export, RANK_STAFF, 0, .summary = "Meetings to Excel (the list's filters)", .entity = &meeting_entity},
    {"GET", "/api/v1/meetings/:id", entity_handle_get, RANK_STAFF, 0, .summary = "A meeting (with the caller's unit's quota)", .entity = &meeting_entity},
    {"POST", "/api/v1/meetings", entity_handle_create, RANK_STAFF, 0, .summary = "Create a meeting (a draft)", .entity = &meeting_entity},
    {"PATCH", "/api/v1/meetings/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Change a draft meeting", .entity = &meeting_entity},
    {"DELETE", "/api/v1/meetings/:id", entity_handle_delete, RANK_STAFF, 0, .summary = "Delete a draft meeting", .entity = &meeting_entity},
    {"POST", "/api/v1/meetings/:id/publish", handle_publish, RANK_STAFF, 0, .summary = "Publish: invite the targeted units and tell them", .entity = &meeting_entity},
    {"POST", "/api/v1/meetings/:id/change", handle_change, RANK_STAFF, 0, .summary = "Change the time or place after publishing (units told)", .entity = &meeting_entity},
    {"POST", "/api/v1/meetings/:id/cancel", handle_cancel, RANK_STAFF, 0, .summary = "Cancel with a reason (units told)", .entity = &meeting_entity},
    {"GET", "/api/v1/meetings/:id/units", handle_units, RANK_STAFF, 0, .summary = "Invited units with quota, registered and checked in", .entity = &meeting_unit_entity},
    {"PATCH", "/api/v1/meetings/:id/units/:org_id", handle_set_quota, RANK_STAFF, 0, .summary = "One invited unit's quota (the organizer)", .entity = &meeting_unit_entity},
    {"GET", "/api/v1/meetings/:id/participants", handle_participants, RANK_STAFF, 0, .summary = "Registered participants (a unit: its own; the organizer: all)", .entity = &meeting_participant_entity},
    {"POST", "/api/v1/meetings/:id/participants", handle_add_participant, RANK_STAFF, 0, .summary = "Register a participant for a unit (quota, deadline)", .entity = &meeting_participant_entity},
    {"PATCH", "/api/v1/meeting-participants/:id", handle_update_participant, RANK_STAFF, 0, .summary = "Change a participant until the deadline", .entity = &meeting_participant_entity},
    {"DELETE", "/api/v1/meeting-participants/:id", handle_withdraw, RANK_STAFF, 0, .summary = "Withdraw a participant until the deadline", .entity = &meeting_participant_entity},
    {"GET", "/api/v1/meetings/:id/attendance", handle_attendance, RANK_STAFF, 0, .summary = "Attendance per unit: quota, registered, checked in, absent names", .entity = &meeting_entity},
    {"GET", "/api/v1/meetings/:id/attendance.xlsx", handle_attendance_xlsx, RANK_STAFF, 0, .summary = "Attendance to Excel: units' summary and names", .entity = &meeting_entity},
    {0},
};

void meetings_init(void)
{
    checkin_init();
    orgs_track_path_column("meetings", "org_path");
    orgs_track_path_column("meeting_units", "org_path");
    orgs_track_path_column("meeting_participants", "org_path");
}

void meetings_register_routes(void)
{
    meetings_init();
    router_add_table(meeting_routes);
}
