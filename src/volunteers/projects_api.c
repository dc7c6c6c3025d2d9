/* projects_api.c - HTTP handlers of volunteer projects for staff (docs/api.md "Volunteer projects,
 * sign-up, hours (志愿项目)"): projects with positions, sign-ups and their decisions, marking
 * presence, confirming and correcting hours, reminders, a volunteer's service record, the hours
 * export and the quarterly duty. Check-in sessions are opened through /checkin/sessions with kind
 * "volunteer_activity". */
#include "volunteers/projects.h"
#include "checkin/checkin.h"
#include "core/validate.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vp_reply_error(request *r, int rc)
{
    if (error_row_find(vp_errors, rc)) reply_error_row(r, vp_errors, rc);
    else if (rc <= -800 && rc > -900) checkin_reply_error(r, rc);
    else entity_reply_error(r, &volunteer_entity, rc);
}

/* An optional time of the body (RFC 3339) into *out (NULL: not given); false after a 422. */
static bool read_time(request *r, const char *name, const char **out)
{
    time_t t;
    if (!body_string(r, name, false, out)) return false;
    if (!*out || vp_time(*out, &t)) return true;
    reply_error(r, 422, "invalid_field", name, "时间格式应为 RFC 3339，如 2026-05-18T09:00:00+08:00 / not an RFC 3339 time");
    return false;
}

static bool read_coord(request *r, const char *name, double max, const char **out)
{
    json_t *v = json_object_get(r->json, name);
    if (!v) return true;
    if (json_is_null(v)) { *out = NULL; return true; }
    if (!json_is_number(v) || json_number_value(v) < -max || json_number_value(v) > max) {
        reply_error(r, 422, "invalid_field", name, "坐标应为 ±%.0f 以内的数 / a number within ±%.0f", max, max);
        return false;
    }
    *out = arena_printf(&r->arena, "%.6f", json_number_value(v));
    return true;
}

static bool read_positions(request *r, vproject *x, bool required)
{
    json_t *v = json_object_get(r->json, "positions"), *e;
    if (!v && !required) return true;
    size_t i, n = json_is_array(v) ? json_array_size(v) : 0;
    bool ok = n >= 1 && n <= VP_MAX_POSITIONS;
    json_array_foreach(v, i, e) {
        if (!ok) break;
        json_t *name = json_object_get(e, "name"), *head = json_object_get(e, "headcount"), *id = json_object_get(e, "id");
        ok = json_is_object(e) && json_is_string(name) && valid_name(json_string_value(name), 40) &&
             *json_string_value(name) && json_is_integer(head) && json_integer_value(head) >= 1 &&
             json_integer_value(head) <= 10000 && (!id || json_is_null(id) || json_is_integer(id));
        if (ok) {
            x->positions[i].name = json_string_value(name);
            x->positions[i].headcount = json_integer_value(head);
            x->positions[i].id = json_is_integer(id) ? json_integer_value(id) : 0;
        }
    }
    if (!ok) {
        reply_error(r, v ? 422 : 422, v ? "invalid_field" : "required", "positions",
                    "岗位应为 1 至 %d 个 {name, headcount (1-10000)} / 1 to %d positions {name, headcount}",
                    VP_MAX_POSITIONS, VP_MAX_POSITIONS);
        return false;
    }
    x->npositions = (int)n;
    return true;
}

bool vp_input(request *r, void *rec, bool creating)
{
    vproject *x = rec;
    if (!read_coord(r, "lat", 90, &x->lat) || !read_coord(r, "lng", 180, &x->lng) || !read_positions(r, x, creating))
        return false;
    time_t t0, t1;
    if (vp_time(x->starts_at, &t0) && vp_time(x->ends_at, &t1) && t1 <= t0) {
        reply_error(r, 422, "invalid_field", "ends_at", "结束时间应晚于开始时间 / must be after starts_at");
        return false;
    }
    return true;
}

void vp_reply_read(request *r, db *c, const entity *e, int rc, int status, int64_t id)
{
    void *rec = arena_alloc(&r->arena, e->size);
    if (rc == DB_OK) rc = rec ? entity_get(c, e, &r->principal->scope, &r->arena, id, rec) : DB_ERR;
    if (rc != DB_OK) { vp_reply_error(r, rc); return; }
    entity_reply(r, e, status, rec);
}

/* The generic list's (?org_id, team_id, status, q (title), page) and from and to (days). */
static void handle_list(request *r)
{
    const char *from = req_query(r, "from"), *to = req_query(r, "to");
    page pg;
    qb q;
    db *c = db_thread();
    if (!entity_list_begin(r, c, &vproject_entity, &q, &pg)) return;
    if ((from && *from && !day_valid(from)) || (to && *to && !day_valid(to))) {
        qb_free(&q);
        reply_error(r, 422, "invalid_field", from && *from && !day_valid(from) ? "from" : "to",
                    "日期应为 YYYY-MM-DD / a day YYYY-MM-DD");
        return;
    }
    if (from && *from) qb_sql(&q, " AND p.day >= ?"), qb_text(&q, from);
    if (to && *to) qb_sql(&q, " AND p.day <= ?"), qb_text(&q, to);
    entity_reply_list(r, c, &vproject_entity, &q, NULL, &pg);
}

static void handle_signups(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    jw w;
    vp_items_open(&w, 0);
    vp_items_reply(r, &w, c ? su_of_project(c, r->principal, &r->arena, id, &w) : DB_ERR);
}

static void handle_signup_create(request *r)
{
    static const char *const fields[] = {"volunteer_id", "position_id", NULL};
    int64_t id, volunteer_id = 0, position_id = 0, sid = 0;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, fields, NULL) ||
        !body_int(r, "volunteer_id", true, &volunteer_id, NULL) || !body_int(r, "position_id", true, &position_id, NULL))
        return;
    db *c = db_thread();
    int rc = c ? su_create(c, r->principal, &r->arena, id, position_id, volunteer_id, "staff", &sid) : DB_ERR;
    vp_reply_read(r, c, &vsignup_entity, rc, 201, sid);
}

/* POST /volunteer-signups/:id/<action> (accept, decline, cancel): the route's last segment. */
static void handle_decide(request *r)
{
    int64_t id;
    const char *action = strrchr(r->path, '/') + 1;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = !c ? DB_ERR : !strcmp(action, "cancel") ? su_cancel(c, r->principal, &r->arena, id)
                                                      : su_decide(c, r->principal, &r->arena, id, action);
    vp_reply_read(r, c, &vsignup_entity, rc, 200, id);
}

static void handle_mark(request *r)
{
    static const char *const fields[] = {"checkin_at", "checkout_at", NULL};
    int64_t id;
    const char *in_at = NULL, *out_at = NULL;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, fields, NULL) || !read_time(r, "checkin_at", &in_at) ||
        !read_time(r, "checkout_at", &out_at))
        return;
    time_t t0, t1;
    if (out_at && (!in_at || (vp_time(in_at, &t0) && vp_time(out_at, &t1) && t1 <= t0))) {
        reply_error(r, 422, "invalid_field", "checkout_at", "签退时间应晚于签到时间 / must follow checkin_at");
        return;
    }
    db *c = db_thread();
    vp_reply_read(r, c, &vsignup_entity, c ? su_mark(c, r->principal, &r->arena, id, in_at, out_at) : DB_ERR, 200, id);
}

static void handle_confirm(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    vp_reply_read(r, c, &vproject_entity, c ? vh_confirm(c, r->principal, &r->arena, id) : DB_ERR, 200, id);
}

static void handle_correct(request *r)
{
    static const char *const fields[] = {"minutes", "reason", NULL};
    int64_t id, minutes = 0;
    const char *reason = NULL;
    if (!param_id(r, 0, &id) || !body_allow_fields(r, fields, NULL) || !body_int(r, "minutes", true, &minutes, NULL))
        return;
    if (minutes < 0 || minutes > 24 * 60 * 31) {
        reply_error(r, 422, "invalid_field", "minutes", "时长应为 0 至 44640 分钟 / 0 to 44640 minutes");
        return;
    }
    if (!body_name(r, "reason", true, 200, &reason)) return;
    if (!reason || !*reason) { reply_error(r, 422, "required", "reason", "修改已确认的时长须填写原因 / a reason is required"); return; }
    db *c = db_thread();
    vp_reply_read(r, c, &vsignup_entity, c ? vh_correct(c, r->principal, &r->arena, id, minutes, reason) : DB_ERR, 200, id);
}

void vp_items_open(jw *w, int hours)
{
    jw_init(w);
    jw_obj(w);
    if (hours) jw_key(w, "hours"), jw_int(w, hours);
    jw_key(w, "items");
}

void vp_reply_jw(request *r, jw *w, int rc)
{
    if (rc != DB_OK) { jw_free(w); vp_reply_error(r, rc); return; }
    reply_jw(r, 200, w);
}

void vp_items_reply(request *r, jw *w, int rc)
{
    if (rc == DB_OK) jw_obj_end(w);
    vp_reply_jw(r, w, rc);
}

bool vp_query_hours(request *r, int *hours)
{
    const char *v = req_query(r, "hours");
    *hours = v && *v ? atoi(v) : 48;
    if (*hours < 1 || *hours > 24 * 31) {
        reply_error(r, 422, "invalid_field", "hours", "hours 应为 1 至 744 / 1 to 744");
        return false;
    }
    return true;
}

static void handle_reminders(request *r)
{
    int hours;
    if (!vp_query_hours(r, &hours)) return;
    db *c = db_thread();
    jw w;
    vp_items_open(&w, hours);
    vp_items_reply(r, &w, c ? su_reminders(c, r->principal, &r->arena, hours, &w) : DB_ERR);
}

static void handle_service(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    jw w;
    jw_init(&w);
    vp_reply_jw(r, &w, c ? vh_record_scoped(c, r->principal, &r->arena, id, &w) : DB_ERR);
}

static void handle_export(request *r)
{
    static const xlsx_col cols[] = {{"服务队", 28}, {"所属单位", 22}, {"期间", 24}, {"活动数", 10}, {"服务人次", 10},
                                    {"服务时长（小时）", 16}};
    int64_t org_id = 0;
    bool has;
    period per;
    const char *text = req_query(r, "period");
    if (!query_id(r, "org_id", &org_id, &has)) return;
    if (!text || !period_parse(text, &per)) {
        reply_error(r, text ? 422 : 422, text ? "invalid_field" : "required", "period", "期间如 2026、2026Q2、2026-05 / a period");
        return;
    }
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    const char *title = arena_printf(&r->arena, "志愿服务时长（已确认）　期间 %s（%s 至 %s）", text, per.from, per.to);
    xlsx *x = xlsx_open_table("志愿服务时长", title, cols, 6);
    if (!x) { reply_export_failed(r); return; }
    int rc = vh_export(c, r->principal, &r->arena, org_id, &per, x);
    if (rc != DB_OK) { xlsx_abort(x); vp_reply_error(r, rc); return; }
    xlsx_totals_row(x, "合计", 3);
    xlsx_reply(x, r, "志愿服务时长.xlsx");
}

static void handle_duty(request *r)
{
    int64_t org_id = 0;
    bool has = false;
    const char *quarter = req_query(r, "quarter");
    period per;
    if (!query_id(r, "org_id", &org_id, &has)) return;
    if (!has) org_id = r->principal->org_id;
    if (!quarter || strlen(quarter) != 6 || quarter[4] != 'Q' || !period_parse(quarter, &per)) {
        reply_error(r, 422, quarter ? "invalid_field" : "required", "quarter", "季度如 2026Q2 / a quarter such as 2026Q2");
        return;
    }
    db *c = db_thread();
    jw w;
    jw_init(&w);
    vp_reply_jw(r, &w, c ? duty_quarter(c, r->principal, &r->arena, org_id, quarter, &w) : DB_ERR);
}

static const struct route project_routes[] = {
    {"GET", "/api/v1/volunteer-projects", handle_list, RANK_STAFF, 0, .summary = "Volunteer projects (志愿项目) in scope, paged", .entity = &vproject_entity},
    {"POST", "/api/v1/volunteer-projects", entity_handle_create, RANK_STAFF, 0, .summary = "Publish a project", .entity = &vproject_entity},
    {"GET", "/api/v1/volunteer-projects/:id", entity_handle_get, RANK_STAFF, 0, .summary = "A project with its positions", .entity = &vproject_entity},
    {"PATCH", "/api/v1/volunteer-projects/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Change a project", .entity = &vproject_entity},
    {"GET", "/api/v1/volunteer-projects/:id/signups", handle_signups, RANK_STAFF, 0, .summary = "The project's sign-ups (numbers masked)", .entity = &vsignup_entity},
    {"POST", "/api/v1/volunteer-projects/:id/signups", handle_signup_create, RANK_STAFF, 0, .summary = "Sign a volunteer up (accepted at once)", .entity = &vsignup_entity},
    {"POST", "/api/v1/volunteer-projects/:id/confirm-hours", handle_confirm, RANK_STAFF, 0, .summary = "Confirm the hours (谁记录谁证明), then locked", .entity = &vproject_entity},
    {"POST", "/api/v1/volunteer-signups/:id/accept", handle_decide, RANK_STAFF, 0, .summary = "Accept a sign-up", .entity = &vsignup_entity},
    {"POST", "/api/v1/volunteer-signups/:id/decline", handle_decide, RANK_STAFF, 0, .summary = "Decline a sign-up", .entity = &vsignup_entity},
    {"POST", "/api/v1/volunteer-signups/:id/cancel", handle_decide, RANK_STAFF, 0, .summary = "Cancel a sign-up", .entity = &vsignup_entity},
    {"PUT", "/api/v1/volunteer-signups/:id/attendance", handle_mark, RANK_STAFF, 0, .summary = "Mark presence (start/end times)", .entity = &vsignup_entity},
    {"PATCH", "/api/v1/volunteer-signups/:id/hours", handle_correct, RANK_STAFF, 0, .summary = "Correct confirmed hours with a reason", .entity = &vsignup_entity},
    {"GET", "/api/v1/volunteer-reminders", handle_reminders, RANK_STAFF, 0, .summary = "Accepted sign-ups starting within `hours` (48)", .entity = &vsignup_entity},
    {"GET", "/api/v1/volunteers/:id/service", handle_service, RANK_STAFF, 0, .summary = "A volunteer's service record"},
    {"GET", "/api/v1/volunteer-hours/export", handle_export, RANK_STAFF, 0, .summary = "Hours by team over a period (xlsx)"},
    {"GET", "/api/v1/volunteer-duty", handle_duty, RANK_STAFF, 0, .summary = "Quarterly duty: every active team of a node's subtree"},
    {0},
};

void vp_register(void)
{
    vp_init();
    router_add_table(project_routes);
    vp_public_register_routes();
    vp_find_register_routes();
    certificates_register_routes();
}
