/* service_hours.c - volunteer projects as owners of check-in sessions (kind "volunteer_activity",
 * person kind "volunteer"), and service hours (see projects.h): only accepted sign-ups check in,
 * check-out records when they left; the organizer confirms the hours (then locked) and corrects
 * them with a reason. Confirmed, credited hours count in the statistics engine at the team's owner
 * org on the project's day: volunteers +1 and volunteer_hours +round(minutes / 60) per sign-up; a
 * confirmed project with at least one volunteer present counts volunteer_activities +1 and
 * volunteer_activities.team.<id> +1 (the quarterly duty). The people a published or finished
 * project served count as people_served (projects.c rolls them up on each write). The sources
 * below recompute all of it. */
#include "volunteers/certificates.h"
#include "audit/audit.h"
#include "checkin/checkin.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "orgs/orgs.h"
#include "stats/stats.h"
#include <stdio.h>
#include <string.h>

static const char stats_source[] =
    "SELECT u.org_path AS org_path, p.day AS day, NULL AS kind, NULL AS audience, 0 AS activities, "
    "0 AS participants, 0 AS materials, 0 AS videos, 0 AS views, 1 AS volunteers, "
    "(u.minutes + 30) / 60 AS volunteer_hours, 0 AS funds FROM volunteer_signups u "
    "JOIN volunteer_projects p ON p.id = u.project_id WHERE u.hours_status = 'confirmed' AND u.credited = 1";
static const char key_source[] =
    "SELECT org_path, day, 'volunteer_activities' AS key, 1 AS n FROM volunteer_projects "
    "WHERE confirmed_at IS NOT NULL AND present > 0 UNION ALL "
    "SELECT org_path, day, 'volunteer_activities.team.' || CAST(team_id AS TEXT) AS key, 1 AS n "
    "FROM volunteer_projects WHERE confirmed_at IS NOT NULL AND present > 0 UNION ALL "
    "SELECT org_path, day, 'people_served' AS key, people_served AS n FROM volunteer_projects "
    "WHERE people_served > 0 AND status IN ('published', 'finished')";

/* ---- the check-in owner kind ---- */

static int project_load(db *c, arena *a, int64_t id, checkin_owner *out)
{
    vproject x;
    /* the owner of a session the check-in module found by its token, whatever the scanner's
     * scope; the row only (no positions): this runs on every scan */
    int rc = entity_get_unscoped(c, &vproject_row_entity, a, id, &x);
    if (rc != DB_OK) return rc == VP_NOT_FOUND ? CHK_NOT_FOUND : rc;
    memset(out, 0, sizeof *out);
    out->org_path = x.org_path;
    out->created_by = x.created_by;
    out->title = x.title;
    out->place = x.place;
    out->starts_at = x.starts_at;
    out->ends_at = x.ends_at;
    vp_time(x.starts_at, &out->opens);
    vp_time(x.ends_at, &out->closes);
    out->opens -= VP_GRACE_MINUTES * 60;
    out->closes += VP_GRACE_MINUTES * 60;
    /* a draft, a cancelled project or confirmed hours take no check-in */
    out->cancelled = strcmp(x.status, "published") != 0 || x.confirmed_at != NULL;
    return DB_OK;
}

/* Strangers cannot check in: a volunteer needs an accepted sign-up (and a key from the phone). */
static int project_enrol(db *c, actor who, arena *a, const checkin_owner *o, checkin_enrolment *e)
{
    (void)c, (void)who, (void)a, (void)o, (void)e;
    return CHK_NOT_ADMITTED;
}

static int volunteer_visible(db *c, const principal *p, arena *a, int64_t id)
{
    volunteer v;
    int rc = entity_get(c, &volunteer_entity, &p->scope, a, id, &v);
    return rc == VOL_NOT_FOUND ? CHK_PERSON_NOT_FOUND : rc;
}

/* Sets a presence column of the volunteer's accepted sign-up; CHK_NOT_ADMITTED without one. */
static int presence(db *c, int64_t project_id, int64_t volunteer_id, const char *sql, const char *at)
{
    char now[40];
    int64_t id;
    qb q;
    time_now_rfc3339(now);
    qb_init(&q, sql);
    qb_text(&q, at), qb_text(&q, now), qb_int(&q, project_id), qb_int(&q, volunteer_id);
    int rc = qb_exec(c, &q, &id);
    return rc == DB_DONE ? CHK_NOT_ADMITTED : rc;
}

static int project_checkin(db *c, arena *a, int64_t owner_id, int64_t person_id)
{
    (void)a;
    char now[40];
    time_now_rfc3339(now);
    return presence(c, owner_id, person_id,
                    "UPDATE volunteer_signups SET checkin_at = COALESCE(checkin_at, ?), attendance = 'qr', "
                    "updated_at = ? WHERE project_id = ? AND volunteer_id = ? AND status = 'accepted' "
                    "AND hours_status = 'open' RETURNING id", now);
}

static int project_uncheck(db *c, arena *a, int64_t owner_id, int64_t person_id)
{
    (void)a;
    int rc = presence(c, owner_id, person_id,
                      "UPDATE volunteer_signups SET checkin_at = ?, checkout_at = NULL, updated_at = ? "
                      "WHERE project_id = ? AND volunteer_id = ? AND hours_status = 'open' RETURNING id", NULL);
    return rc == CHK_NOT_ADMITTED ? DB_OK : rc;
}

static int project_leave(db *c, arena *a, int64_t owner_id, int64_t person_id, const char *at)
{
    (void)a;
    return presence(c, owner_id, person_id,
                    "UPDATE volunteer_signups SET checkout_at = ?, updated_at = ? WHERE project_id = ? AND "
                    "volunteer_id = ? AND status = 'accepted' AND hours_status = 'open' RETURNING id", at);
}

const checkin_kind project_checkin_kind = {
    .kind = "volunteer_activity",
    .person_kind = "volunteer",
    .load = project_load,
    .enrol = project_enrol,
    .person_visible = volunteer_visible,
    .on_checkin = project_checkin,
    .on_checkout = project_uncheck,
    .on_leave = project_leave,
};

/* ---- hours ---- */

/* Minutes present of [in, out] clipped to [starts, ends]; 0 when incomplete. */
static int64_t vh_minutes(const char *starts, const char *ends, const char *in, const char *out)
{
    time_t t0, t1, a, b;
    if (!in || !out || !vp_time(starts, &t0) || !vp_time(ends, &t1) || !vp_time(in, &a) || !vp_time(out, &b))
        return 0;
    if (a < t0) a = t0;
    if (b > t1) b = t1;
    return b > a ? (int64_t)(b - a) / 60 : 0;
}

/* One sign-up's figures: volunteers 1 and its hours, at the project's org and day. */
static int count_signup(db *c, const char *org_path, const char *day, int64_t minutes, int sign)
{
    stats_values v = {{0}};
    v.v[M_VOLUNTEERS] = 1;
    v.v[M_VOLUNTEER_HOURS] = (minutes + 30) / 60;
    return stats_add(c, org_path, day, NULL, NULL, &v, sign);
}

struct hours_args {
    const principal *p;
    arena *a;
    int64_t id, minutes;
    const char *reason;
};

static int confirm_cb(db *c, void *cls)
{
    struct hours_args *w = cls;
    vproject x;
    int rc = entity_get(c, &vproject_row_entity, &w->p->scope, w->a, w->id, &x);
    if (rc != DB_OK) return rc;
    if (x.confirmed_at) return VP_LOCKED;
    if (strcmp(x.status, "published") && strcmp(x.status, "finished")) return VP_BAD_STATE;
    time_t t0;
    if (!vp_time(x.starts_at, &t0) || t0 > time(NULL)) return VP_NOT_STARTED;
    time_t t1;
    vp_time(x.ends_at, &t1);
    int64_t window = (int64_t)(t1 - t0) / 60, credited = 0, present = 0;
    db_stmt *s = db_prepare(c, "SELECT id, checkin_at, checkout_at FROM volunteer_signups "
                               "WHERE project_id = ? AND status = 'accepted' ORDER BY id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x.id);
    /* Every accepted sign-up, however many the positions allow (up to 10,000 each): the rows
     * are read first and written after, so the arrays grow in the request's arena. */
    struct confirm_row { int64_t id, minutes; bool ok; } *rows = NULL;
    int n = 0, cap = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            struct confirm_row *more = arena_alloc(w->a, sizeof *more * (size_t)(cap = cap ? cap * 2 : 256));
            if (!more) { db_finish(s); return DB_ERR; }
            if (n) memcpy(more, rows, sizeof *rows * (size_t)n);
            rows = more;
        }
        rows[n].id = db_col_int(s, 0);
        rows[n].minutes = vh_minutes(x.starts_at, x.ends_at, db_col_text(s, 1), db_col_text(s, 2));
        rows[n].ok = rows[n].minutes > 0 && rows[n].minutes * 100 >= x.credit_share * window;
        if (!db_col_null(s, 1)) present++;
        n++;
    }
    db_finish(s);
    if (rc != DB_DONE) return rc;
    char now[40];
    time_now_rfc3339(now);
    for (int i = 0; i < n; i++) {
        entity_value hours[] = {{"minutes", .i = rows[i].ok ? rows[i].minutes : 0, .is_int = true},
                                {"credited", .i = rows[i].ok, .is_int = true}, {"hours_status", .text = "confirmed"},
                                {"updated_at", .text = now}, {0}};
        rc = entity_store(c, &vsignup_entity, "volunteer_signups", rows[i].id, NULL, hours, w->a, NULL);
        if (rc == DB_OK && rows[i].ok) rc = count_signup(c, x.org_path, x.day, rows[i].minutes, +1), credited++;
        if (rc != DB_OK) return rc;
    }
    int64_t by = w->p->user_id;
    entity_value done[] = {{"confirmed_at", .text = now}, {"confirmed_by", .i = by, .is_int = by != 0},
                           {"credited", .i = credited, .is_int = true}, {"present", .i = present, .is_int = true},
                           {"status", .text = "finished"}, {"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &vproject_entity, "volunteer_projects", x.id, NULL, done, w->a, NULL)) != DB_OK) return rc;
    if (present > 0) {
        stats_key k[2] = {{"volunteer_activities", 1},
                          {arena_printf(w->a, "volunteer_activities.team.%lld", (long long)x.team_id), 1}};
        if ((rc = stats_add_keys(c, x.org_path, x.day, k, 2, +1)) != DB_OK) return rc;
    }
    json_t *after = json_pack("{s:s, s:I, s:I, s:I}", "confirmed_at", now, "accepted", (json_int_t)n, "present",
                              (json_int_t)present, "credited", (json_int_t)credited);
    rc = audit_record(c, actor_of(w->p), x.org_path, "volunteer_project", x.id, "confirm_hours", NULL, after);
    json_decref(after);
    return rc;
}

int vh_confirm(db *c, const principal *p, arena *a, int64_t project_id)
{
    struct hours_args w = {p, a, project_id, 0, NULL};
    return db_transaction(c, confirm_cb, &w);
}

static int correct_cb(db *c, void *cls)
{
    struct hours_args *w = cls;
    vsignup u;
    int rc = entity_get(c, &vsignup_entity, &w->p->scope, w->a, w->id, &u);
    if (rc != DB_OK) return rc;
    if (strcmp(u.hours_status, "confirmed")) return VP_NOT_CONFIRMED;
    if (u.credited && (rc = count_signup(c, u.org_path, u.day, u.minutes, -1)) != DB_OK) return rc;
    bool now_credited = w->minutes > 0;
    char now[40];
    time_now_rfc3339(now);
    entity_value hours[] = {{"minutes", .i = w->minutes, .is_int = true}, {"credited", .i = now_credited, .is_int = true},
                            {"updated_at", .text = now}, {0}};
    rc = entity_store(c, &vsignup_entity, "volunteer_signups", w->id, NULL, hours, w->a, NULL);
    if (rc == DB_OK && now_credited) rc = count_signup(c, u.org_path, u.day, w->minutes, +1);
    if (rc == DB_OK && u.credited != now_credited) {
        qb q;
        qb_init(&q, "UPDATE volunteer_projects SET credited = credited + ? WHERE id = ?");
        qb_int(&q, now_credited ? 1 : -1), qb_int(&q, u.project_id);
        rc = qb_exec(c, &q, NULL);
    }
    if (rc != DB_OK) return rc;
    json_t *b = json_pack("{s:I, s:b}", "minutes", (json_int_t)u.minutes, "credited", u.credited);
    json_t *x = json_pack("{s:I, s:b, s:s}", "minutes", (json_int_t)w->minutes, "credited", now_credited, "reason",
                          w->reason);
    rc = audit_record(c, actor_of(w->p), u.org_path, "volunteer_signup", w->id, "correct_hours", b, x);
    json_decref(b);
    json_decref(x);
    return rc;
}

int vh_correct(db *c, const principal *p, arena *a, int64_t signup_id, int64_t minutes, const char *reason)
{
    struct hours_args w = {p, a, signup_id, minutes, reason};
    return db_transaction(c, correct_cb, &w);
}

int vh_record_unscoped(db *c, arena *a, int64_t volunteer_id, jw *w)
{
    db_stmt *s = db_prepare(c, "SELECT u.project_id, p.title, t.name, p.starts_at, p.ends_at, u.minutes, "
                               "o.name FROM volunteer_signups u JOIN volunteer_projects p ON p.id = u.project_id "
                               "JOIN volunteer_teams t ON t.id = p.team_id JOIN volunteer_positions o ON "
                               "o.id = u.position_id WHERE u.volunteer_id = ? AND u.hours_status = 'confirmed' AND "
                               "u.credited = 1 ORDER BY p.starts_at DESC");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, volunteer_id);
    int years[64], nyears = 0, rc;
    int64_t ymin[64] = {0}, yact[64] = {0}, total = 0, count = 0;
    jw_obj(w);
    jw_key(w, "volunteer_id"), jw_int(w, volunteer_id);
    jw_key(w, "items"), jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t m = db_col_int(s, 5);
        int year = 0, i;
        sscanf(db_col_text(s, 3), "%4d", &year);
        for (i = 0; i < nyears && years[i] != year; i++) {}
        if (i == nyears && nyears < 64) years[nyears++] = year;
        if (i < 64) ymin[i] += m, yact[i]++;
        total += m, count++;
        jw_obj(w);
        jw_key(w, "project_id"), jw_int(w, db_col_int(s, 0));
        jw_key(w, "title"), jw_str(w, db_col_text(s, 1));
        jw_key(w, "team_name"), jw_str(w, db_col_text(s, 2));
        jw_key(w, "starts_at"), jw_str(w, db_col_text(s, 3));
        jw_key(w, "ends_at"), jw_str(w, db_col_text(s, 4));
        jw_key(w, "position_name"), jw_str(w, db_col_text(s, 6));
        jw_key(w, "minutes"), jw_int(w, m);
        jw_key(w, "hours"), jw_str(w, arena_printf(a, "%.1f", m / 60.0));
        jw_obj_end(w);
    }
    db_finish(s);
    jw_arr_end(w);
    jw_key(w, "years"), jw_arr(w);
    for (int i = 0; i < nyears; i++) {
        jw_obj(w);
        jw_key(w, "year"), jw_int(w, years[i]);
        jw_key(w, "activities"), jw_int(w, yact[i]);
        jw_key(w, "minutes"), jw_int(w, ymin[i]);
        jw_key(w, "hours"), jw_str(w, arena_printf(a, "%.1f", ymin[i] / 60.0));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "activities"), jw_int(w, count);
    jw_key(w, "total_minutes"), jw_int(w, total);
    jw_key(w, "total_hours"), jw_str(w, arena_printf(a, "%.1f", total / 60.0));
    jw_obj_end(w);
    return rc == DB_DONE ? DB_OK : rc;
}

int vh_record_scoped(db *c, const principal *p, arena *a, int64_t volunteer_id, jw *w)
{
    volunteer v;
    int rc = entity_get(c, &volunteer_entity, &p->scope, a, volunteer_id, &v);
    if (rc != DB_OK) return rc == VOL_NOT_FOUND ? VP_VOLUNTEER_NOT_FOUND : rc;
    return vh_record_unscoped(c, a, volunteer_id, w);   /* the volunteer is in p's scope */
}

int vh_export(db *c, const principal *p, arena *a, int64_t org_id, const period *per, xlsx *out)
{
    qb q;
    qb_init(&q, "SELECT t.name, g.name, COUNT(DISTINCT p.id), COUNT(*), SUM(u.minutes) FROM volunteer_signups u "
                "JOIN volunteer_projects p ON p.id = u.project_id JOIN volunteer_teams t ON t.id = p.team_id "
                "JOIN orgs g ON g.id = t.org_id WHERE u.hours_status = 'confirmed' AND u.credited = 1 "
                "AND p.day >= ? AND p.day <= ?");
    qb_text(&q, per->from);
    qb_text(&q, per->to);
    scope_filter_owned(&p->scope, &q, "u.org_path", SU_OWNER("u.project_id"));
    if (org_id) {
        const char *path;
        int rc = entity_org_path(c, &p->scope, a, org_id, VOL_ORG_NOT_FOUND, &path);
        if (rc != DB_OK) { qb_free(&q); return rc; }
        qb_subtree(&q, a, "u.org_path", path);
    }
    qb_sql(&q, " GROUP BY t.id, t.name, g.name ORDER BY t.name");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        xlsx_text(out, 0, db_col_text(s, 0));
        xlsx_text(out, 1, db_col_text(s, 1));
        xlsx_text(out, 2, arena_printf(a, "%s..%s", per->from, per->to));
        xlsx_int(out, 3, db_col_int(s, 2));
        xlsx_int(out, 4, db_col_int(s, 3));
        xlsx_decimal(out, 5, (double)db_col_int(s, 4) / 60.0);   /* a number: SUM() must work on it */
        xlsx_next_row(out);
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

void vp_init(void)
{
    /* before the server's threads start: the row entity is in no registry (no API schema of its
     * own); the others are in the volunteers row of app_modules.c, registered before this runs */
    entity_prepare(&vproject_row_entity);
    checkin_init();
    stats_register_source("volunteer_service", stats_source);
    stats_register_keyed_metric("volunteer_activities");
    stats_register_metric_label("volunteer_activities", "志愿服务活动");
    stats_register_keyed_metric("people_served");
    stats_register_metric_label("people_served", "受益群众人次");
    stats_register_key_source(key_source);
    orgs_track_path_column("volunteer_projects", "org_path");
    orgs_track_path_column("volunteer_signups", "org_path");
    orgs_track_path_column("volunteer_certificates", "org_path");
}
