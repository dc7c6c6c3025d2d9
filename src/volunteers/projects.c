/* projects.c - volunteer projects (志愿项目, see projects.h): read, list, create and update with
 * their positions, and the public list a volunteer's phone shows. A project copies its team's
 * owner org path, so scope and the statistics follow the team's owner. */
#include "volunteers/certificates.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "stats/stats.h"
#include "teaching/teaching.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const char *const vp_statuses[] = {"draft", "published", "cancelled", "finished", NULL};
static const char *const vp_audiences[] = {"team", "public", NULL};

bool vp_time(const char *text, time_t *out) { return course_time_parse(text, out); }

/* A time's rule (FT_TIME): RFC 3339 with an offset. */
static const char *check_time(arena *a, const char **v)
{
    (void)a;
    time_t t;
    return vp_time(*v, &t) ? NULL : "时间格式应为 RFC 3339，如 2026-05-18T09:00:00+08:00 / not an RFC 3339 time";
}

#define T(member) offsetof(vproject, member)
static const field vproject_fields[] = {
    {"id", "p.id", FT_ID, T(id), .flags = 0},
    {"team_id", "p.team_id", FT_ID, T(team_id), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .doc = "an active team in scope"},
    {"team_name", "t.name", FT_TEXT, T(team_name), .flags = 0},
    {"title", "p.title", FT_TEXT, T(title), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 100},
    {"content", "p.content", FT_MULTILINE, T(content), .flags = FF_WRITE, .max = 10000},
    {"starts_at", "p.starts_at", FT_TIME, T(starts_at), .flags = FF_WRITE | FF_REQUIRED, .check = check_time},
    {"ends_at", "p.ends_at", FT_TIME, T(ends_at), .flags = FF_WRITE | FF_REQUIRED, .check = check_time},
    {"day", "p.day", FT_DAY, T(day), .flags = 0, .doc = "starts_at's day"},
    {"place", "p.place", FT_TEXT, T(place), .flags = FF_WRITE, .max = 200},
    {"lat", "p.lat", FT_TEXT, T(lat), .flags = FF_WRITE | FF_BODY_OWN, .doc = "a number within ±90, kept as text"},
    {"lng", "p.lng", FT_TEXT, T(lng), .flags = FF_WRITE | FF_BODY_OWN, .doc = "a number within ±180, kept as text"},
    {"audience", "p.audience", FT_ENUM, T(audience), .flags = FF_WRITE, .choices = vp_audiences},
    {"people_served", "p.people_served", FT_INT, T(people_served), .flags = FF_WRITE, .min = 0, .max = 10000000,
     .doc = "people served (受益群众人次), rolled up as the metric people_served while published or finished"},
    {"credit_share", "p.credit_share", FT_INT, T(credit_share), .flags = FF_WRITE, .min = 1, .max = 100,
     .doc = "percent of the window to be present for credit (60)"},
    {"status", "p.status", FT_ENUM, T(status), .flags = FF_WRITE | FF_FILTER, .choices = vp_statuses},
    {"positions", "", FT_JSON, T(positions_json), .flags = FF_WRITE | FF_BODY_OWN | FF_NO_SELECT,
     .doc = "1 to 20 {id, name, headcount (1-10000), accepted, pending}; id 0 or absent: a new one"},
    {"headcount", "", FT_INT, T(headcount), .flags = FF_NO_SELECT},
    {"accepted", "", FT_INT, T(accepted), .flags = FF_NO_SELECT},
    {"pending", "", FT_INT, T(pending), .flags = FF_NO_SELECT},
    {"hours_confirmed", "CASE WHEN p.confirmed_at IS NULL THEN 0 ELSE 1 END", FT_BOOL, T(hours_confirmed), .flags = 0},
    {"confirmed_at", "p.confirmed_at", FT_TIME, T(confirmed_at), .flags = 0},
    {"credited", "p.credited", FT_INT, T(credited), .flags = 0},
    {"present", "p.present", FT_INT, T(present), .flags = 0},
    {"created_at", "p.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "p.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {"org_path", "p.org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"confirmed_by", "p.confirmed_by", FT_INT_NULL, T(confirmed_by), .flags = FF_HIDDEN},
    {"created_by", "p.created_by", FT_INT_NULL, T(created_by), .flags = FF_HIDDEN},
    {0},
};
#undef T

const error_row vp_errors[] = {
    {VP_NOT_FOUND, 404, "not_found", NULL, "未找到 / not found"},
    {VP_SIGNUP_NOT_FOUND, 404, "not_found", NULL, "未找到 / not found"},
    {VP_TEAM_NOT_FOUND, 404, "not_found", "team_id", "服务队不存在或已停用 / team not found or inactive"},
    {VP_POSITION_NOT_FOUND, 422, "invalid_field", "position_id", "岗位不存在 / no such position"},
    {VP_VOLUNTEER_NOT_FOUND, 404, "not_found", "volunteer_id", "志愿者不存在或未在册 / volunteer not found or not active"},
    {VP_BAD_STATE, 409, "bad_state", "status", "当前状态不允许此操作 / not allowed in this state"},
    {VP_FULL, 409, "full", "position_id", "该岗位已报满 / this position is full"},
    {VP_NOT_MEMBER, 409, "team_only", "volunteer_id", "本活动仅限服务队队员报名 / only members of the team may join"},
    {VP_ALREADY, 409, "already_signed_up", "project_id", "已报名此活动 / already signed up"},
    {VP_LOCKED, 409, "hours_locked", NULL, "服务时长已确认锁定，修改请填写原因 / hours are confirmed and locked: "
                                           "correct them with a reason"},
    {VP_NOT_CONFIRMED, 409, "not_confirmed", NULL, "服务时长尚未确认 / hours not confirmed yet"},
    {VP_NOT_STARTED, 409, "not_started", NULL, "活动尚未开始 / the activity has not started"},
    {VP_POSITION_USED, 409, "position_in_use", "positions", "岗位已有报名，不能删除或减少到已录用人数以下 / a position "
                                                             "with sign-ups cannot go, nor drop under its accepted count"},
    {VOL_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {CERT_NO_HOURS, 409, "no_hours", NULL, "尚无已确认的服务时长 / no confirmed service hours to certify"},
    {0},
};

/* The positions with their counts, their sums and their JSON (vproject_entity.complete). */
static int read_positions(db *c, const scope *sc, arena *a, void *rec)
{
    (void)sc;
    vproject *x = rec;
    db_stmt *s = db_prepare(c, "SELECT o.id, o.name, o.headcount, "
                               "(SELECT COUNT(*) FROM volunteer_signups u WHERE u.position_id = o.id AND u.status = 'accepted'), "
                               "(SELECT COUNT(*) FROM volunteer_signups u WHERE u.position_id = o.id AND u.status = 'pending') "
                               "FROM volunteer_positions o WHERE o.project_id = ? ORDER BY o.sort, o.id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x->id);
    int rc;
    jw w;
    jw_init(&w);
    jw_arr(&w);
    x->npositions = 0;
    x->headcount = x->accepted = x->pending = 0;
    while ((rc = db_step(s)) == DB_ROW && x->npositions < VP_MAX_POSITIONS) {
        vp_position *o = &x->positions[x->npositions++];
        *o = (vp_position){db_col_int(s, 0), db_col_int(s, 2), db_col_int(s, 3), db_col_int(s, 4),
                           arena_strdup(a, db_col_text(s, 1))};
        x->headcount += o->headcount, x->accepted += o->accepted, x->pending += o->pending;
        jw_obj(&w);
        jw_key(&w, "id"), jw_int(&w, o->id);
        jw_key(&w, "name"), jw_str(&w, o->name);
        jw_key(&w, "headcount"), jw_int(&w, o->headcount);
        jw_key(&w, "accepted"), jw_int(&w, o->accepted);
        jw_key(&w, "pending"), jw_int(&w, o->pending);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    x->positions_json = arena_strdup(a, w.b.s);
    jw_free(&w);
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int vp_joinable_unscoped(db *c, arena *a, int64_t volunteer_id, jw *w)
{
    char now[40];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, " WHERE p.status = 'published' AND p.ends_at >= ? AND (p.audience = 'public' OR EXISTS (SELECT 1 "
                "FROM volunteer_members m WHERE m.team_id = p.team_id AND m.volunteer_id = ? AND m.status = 'active'))");
    qb_text(&q, now);
    qb_int(&q, volunteer_id);
    return entity_list_all(c, &vproject_entity, &q, " ORDER BY p.starts_at, p.id LIMIT 200", a, w, NULL, NULL);
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const vproject *in;
    vproject *out;
};

static int store_positions(db *c, const vproject *before, const vproject *in, int64_t project_id)
{
    int rc = DB_OK;
    qb q;
    /* positions left out of the new list go, unless someone signed up for them */
    for (int i = 0; before && rc == DB_OK && i < before->npositions; i++) {
        const vp_position *o = &before->positions[i];
        bool kept = false;
        int64_t n = 0;
        for (int j = 0; j < in->npositions; j++) kept = kept || in->positions[j].id == o->id;
        if (kept) continue;
        qb_init(&q, "SELECT COUNT(*) FROM volunteer_signups WHERE position_id = ?");
        qb_int(&q, o->id);
        if ((rc = qb_exec(c, &q, &n)) != DB_OK) return rc;
        if (n) return VP_POSITION_USED;
        qb_init(&q, "DELETE FROM volunteer_positions WHERE id = ?");
        qb_int(&q, o->id);
        rc = qb_exec(c, &q, NULL);
    }
    for (int j = 0; rc == DB_OK && j < in->npositions; j++) {
        const vp_position *n = &in->positions[j];
        const vp_position *old = NULL;
        for (int i = 0; before && i < before->npositions; i++)
            if (before->positions[i].id == n->id) old = &before->positions[i];
        if (n->id && !old) return VP_POSITION_NOT_FOUND;
        if (old && n->headcount < old->accepted) return VP_POSITION_USED;
        qb_init(&q, old ? "UPDATE volunteer_positions SET name = ?, headcount = ?, sort = ? WHERE id = ?"
                        : "INSERT INTO volunteer_positions (name, headcount, sort, project_id) VALUES (?, ?, ?, ?)");
        qb_text(&q, n->name), qb_int(&q, n->headcount), qb_int(&q, j + 1), qb_int(&q, old ? old->id : project_id);
        rc = qb_exec(c, &q, NULL);
    }
    return rc;
}

static int store(db *c, struct write_args *w, const volunteer_team *t, const vproject *before)
{
    vproject in = *w->in;
    char now[40], day[11];
    time_now_rfc3339(now);
    snprintf(day, sizeof day, "%.10s", in.starts_at);
    in.team_id = t->id;
    in.audience = in.audience ? in.audience : "public";
    in.credit_share = in.credit_share ? in.credit_share : 60;
    in.status = in.status ? in.status : "draft";
    int64_t by = w->p->user_id, id = w->id;
    entity_value more[] = {{"org_path", .text = t->org_path}, {"day", .text = day}, {"updated_at", .text = now},
                           /* on create only */ {w->id ? NULL : "created_by", .i = by, .is_int = by != 0},
                           {"created_at", .text = now}, {0}};
    int rc = entity_store(c, &vproject_entity, "volunteer_projects", w->id, &in, more, w->a, &id);
    if (rc != DB_OK) return rc;
    if ((rc = store_positions(c, before, &in, id)) != DB_OK) return rc;
    /* sign-ups follow the project's org path (a project moved to another team) */
    if (w->id) {
        qb q;
        qb_init(&q, "UPDATE volunteer_signups SET org_path = ? WHERE project_id = ?");
        qb_text(&q, t->org_path), qb_int(&q, id);
        if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    }
    return entity_get_unscoped(c, &vproject_entity, w->a, id, w->out);   /* the row this transaction just wrote */
}

/* A project's people served count at its org and day while it is published or finished (the
 * key source in service_hours.c recomputes the same); sign -1 takes them back before a change. */
static int roll_people_served(db *c, const vproject *x, int sign)
{
    if (x->people_served <= 0 || (strcmp(x->status, "published") && strcmp(x->status, "finished"))) return DB_OK;
    stats_key k = {"people_served", x->people_served};
    return stats_add_keys(c, x->org_path, x->day, &k, 1, sign);
}

static int write_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    vproject before;
    volunteer_team t;
    int rc = w->id ? entity_get(c, &vproject_entity, &w->p->scope, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    if (w->id && (before.confirmed_at || !strcmp(before.status, "cancelled"))) return VP_BAD_STATE;
    rc = entity_get(c, &volunteer_team_entity, &w->p->scope, w->a, w->in->team_id, &t);
    if (rc == VOL_NOT_FOUND || (rc == DB_OK && strcmp(t.status, "active") && (!w->id || t.id != before.team_id)))
        return VP_TEAM_NOT_FOUND;
    if (rc != DB_OK) return rc;
    if (w->id && (rc = roll_people_served(c, &before, -1)) != DB_OK) return rc;
    if ((rc = store(c, w, &t, w->id ? &before : NULL)) != DB_OK) return rc;
    if ((rc = roll_people_served(c, w->out, +1)) != DB_OK) return rc;
    return entity_audit(c, &vproject_entity, actor_of(w->p), w->out->org_path, w->out->id, w->id ? "update" : "create",
                        w->id ? &before : NULL, w->out);
}

int vp_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    struct write_args w = {p, a, 0, in, out};
    return db_transaction(c, write_cb, &w);
}

static int vp_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    struct write_args w = {p, a, id, in, out};
    return db_transaction(c, write_cb, &w);
}

entity vproject_entity = {
    .name = "volunteer_project",
    .doc = "A volunteer project (志愿项目) of a team, with its positions",
    .from = " FROM volunteer_projects p JOIN volunteer_teams t ON t.id = p.team_id",
    .id_column = "p.id",
    .path_column = "p.org_path",
    .owner_column = "p.created_by",   /* scope self: its own projects */
    .order = " ORDER BY p.starts_at DESC, p.id DESC",
    .size = sizeof(vproject),
    .fields = vproject_fields,
    .not_found = VP_NOT_FOUND,
    .org_not_found = VOL_ORG_NOT_FOUND,
    .errors = vp_errors,
    .complete = read_positions,
    .create = vp_create,
    .update = vp_update,
    .input = vp_input,
};

/* The same rows without their positions: what a check-in needs, on every scan of a phone. */
entity vproject_row_entity = {
    .name = "volunteer_project_row",
    .from = " FROM volunteer_projects p JOIN volunteer_teams t ON t.id = p.team_id",
    .id_column = "p.id",
    .path_column = "p.org_path",
    .owner_column = "p.created_by",
    .size = sizeof(vproject),
    .fields = vproject_fields,
    .not_found = VP_NOT_FOUND,
};
