/* signups.c - sign-up for volunteer projects (see projects.h): a volunteer signs up for a
 * position (pending) or staff sign one up (accepted), the organizer accepts or declines within the
 * headcount, either side cancels; lists for the organizer and the volunteer's phone, reminders,
 * and the organizer marking presence. Sign-ups carry the project's org path for scope. */
#include "volunteers/projects.h"
#include "audit/audit.h"
#include "core/pii.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include <stdio.h>
#include <string.h>

#define S_COLS "u.id, u.project_id, p.title, p.starts_at, p.ends_at, p.place, u.position_id, o.name, u.volunteer_id, " \
               "v.name, v.volunteer_no, v.phone_enc, u.status, u.source, u.checkin_at, u.checkout_at, u.attendance, " \
               "u.minutes, u.credited, u.hours_status, u.created_at, u.updated_at, u.org_path, t.name"
#define S_FROM " FROM volunteer_signups u JOIN volunteer_projects p ON p.id = u.project_id " \
               "JOIN volunteer_positions o ON o.id = u.position_id JOIN volunteers v ON v.id = u.volunteer_id " \
               "JOIN volunteer_teams t ON t.id = p.team_id"

static void write_row(db_stmt *s, arena *a, jw *w)
{
    char phone[32] = "";
    const char *clear = pii_decrypt(a, db_col_text(s, 11));
    if (clear) mask_phone(clear, phone, sizeof phone);
    int64_t minutes = db_col_int(s, 17);
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, db_col_int(s, 0));
    jw_key(w, "project_id"), jw_int(w, db_col_int(s, 1));
    jw_key(w, "project_title"), jw_str(w, db_col_text(s, 2));
    jw_key(w, "starts_at"), jw_str(w, db_col_text(s, 3));
    jw_key(w, "ends_at"), jw_str(w, db_col_text(s, 4));
    jw_key(w, "place"), jw_str(w, db_col_text(s, 5));
    jw_key(w, "team_name"), jw_str(w, db_col_text(s, 23));
    jw_key(w, "position_id"), jw_int(w, db_col_int(s, 6));
    jw_key(w, "position_name"), jw_str(w, db_col_text(s, 7));
    jw_key(w, "volunteer_id"), jw_int(w, db_col_int(s, 8));
    jw_key(w, "volunteer_name"), jw_str(w, db_col_text(s, 9));
    jw_key(w, "volunteer_no"), jw_str(w, db_col_text(s, 10));
    jw_key(w, "phone"), jw_str(w, clear ? phone : NULL);
    jw_key(w, "status"), jw_str(w, db_col_text(s, 12));
    jw_key(w, "source"), jw_str(w, db_col_text(s, 13));
    jw_key(w, "checkin_at"), jw_str(w, db_col_text(s, 14));
    jw_key(w, "checkout_at"), jw_str(w, db_col_text(s, 15));
    jw_key(w, "attendance"), jw_str(w, db_col_text(s, 16));
    jw_key(w, "minutes"), jw_int(w, minutes);
    jw_key(w, "hours"), jw_str(w, arena_printf(a, "%lld.%lld", (long long)(minutes / 60),
                                               (long long)(minutes % 60 * 10 / 60)));
    jw_key(w, "credited"), jw_bool(w, db_col_int(s, 18) != 0);
    jw_key(w, "hours_status"), jw_str(w, db_col_text(s, 19));
    jw_key(w, "created_at"), jw_str(w, db_col_text(s, 20));
    jw_key(w, "updated_at"), jw_str(w, db_col_text(s, 21));
    jw_obj_end(w);
}

static json_t *signup_json(db *c, arena *a, int64_t id)
{
    db_stmt *s = db_prepare(c, "SELECT " S_COLS S_FROM " WHERE u.id = ?");
    if (!s) return NULL;
    db_bind_int(s, 1, id);
    json_t *j = NULL;
    if (db_step(s) == DB_ROW) {
        jw w;
        jw_init(&w);
        write_row(s, a, &w);
        j = jw_to_json(&w);
        jw_free(&w);
    }
    db_finish(s);
    return j;
}

/* The sign-up's project, status, org path and volunteer, within sc (NULL: any). */
typedef struct su_row {
    int64_t id, project_id, position_id, volunteer_id;
    const char *status, *org_path, *hours_status;
} su_row;

static int read_su(db *c, const scope *sc, arena *a, int64_t id, su_row *out)
{
    qb q;
    qb_init(&q, "SELECT id, project_id, position_id, volunteer_id, status, org_path, hours_status "
                "FROM volunteer_signups WHERE id = ?");
    qb_int(&q, id);
    if (sc) scope_filter_owned(sc, &q, "org_path", SU_OWNER("volunteer_signups.project_id"));
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->id = db_col_int(s, 0);
        out->project_id = db_col_int(s, 1);
        out->position_id = db_col_int(s, 2);
        out->volunteer_id = db_col_int(s, 3);
        out->status = arena_strdup(a, db_col_text(s, 4));
        out->org_path = arena_strdup(a, db_col_text(s, 5));
        out->hours_status = arena_strdup(a, db_col_text(s, 6));
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? VP_SIGNUP_NOT_FOUND : rc;
}

static int audit_su(db *c, actor who, arena *a, const char *org_path, int64_t id, const char *action,
                    json_t *before)
{
    json_t *after = signup_json(c, a, id);
    int rc = audit_record(c, who, org_path, "volunteer_signup", id, action, before, after);
    json_decref(before);
    json_decref(after);
    return rc;
}

static int accepted_count(db *c, int64_t position_id, int64_t *n)
{
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM volunteer_signups WHERE position_id = ? AND status = 'accepted'");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, position_id);
    int rc = db_step(s);
    *n = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc;
}

static const vp_position *find_position(const vproject *x, int64_t id)
{
    for (int i = 0; i < x->npositions; i++)
        if (x->positions[i].id == id) return &x->positions[i];
    return NULL;
}

struct su_args {
    const principal *p;  /* staff in scope; NULL for the phone's volunteer key (*_unscoped) */
    actor who;           /* for the audit */
    arena *a;
    int64_t project_id, position_id, volunteer_id, id;
    const char *source, *action, *in_at, *out_at;
};

static int volunteer_active(db *c, int64_t id, const principal *staff)
{
    qb q;
    qb_init(&q, "SELECT status FROM volunteers WHERE id = ?");
    qb_int(&q, id);
    if (staff) scope_filter_owned(&staff->scope, &q, "org_path", "created_by");   /* as volunteers_get */
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    bool active = rc == DB_ROW && !strcmp(db_col_text(s, 0), "active");
    db_finish(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    return active ? DB_OK : VP_VOLUNTEER_NOT_FOUND;
}

static int create_cb(db *c, void *cls)
{
    struct su_args *w = cls;
    bool staff = w->p != NULL;
    vproject x;
    int rc = staff ? vp_get(c, w->p, w->a, w->project_id, &x) : vp_get_unscoped(c, w->a, w->project_id, &x);
    if (rc != DB_OK) return rc;
    time_t ends;
    /* the phone signs up for what has not ended; staff may record a past project's volunteers */
    if (strcmp(x.status, "published") || x.confirmed_at || (!staff && vp_time(x.ends_at, &ends) && ends < time(NULL)))
        return VP_BAD_STATE;
    const vp_position *o = find_position(&x, w->position_id);
    if (!o) return VP_POSITION_NOT_FOUND;
    /* staff may sign up a volunteer of their scope; the phone signs up its own volunteer */
    if ((rc = volunteer_active(c, w->volunteer_id, staff ? w->p : NULL)) != DB_OK) return rc;
    if (!strcmp(x.audience, "team")) {
        bool member = false;
        if ((rc = volunteers_is_active_member(c, x.team_id, w->volunteer_id, &member)) != DB_OK) return rc;
        if (!member) return VP_NOT_MEMBER;
    }
    if (o->accepted >= o->headcount) return VP_FULL;
    db_stmt *s = db_prepare(c, "SELECT id, status FROM volunteer_signups WHERE project_id = ? AND volunteer_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, x.id);
    db_bind_int(s, 2, w->volunteer_id);
    rc = db_step(s);
    int64_t old = rc == DB_ROW ? db_col_int(s, 0) : 0;
    bool reopen = rc == DB_ROW && (!strcmp(db_col_text(s, 1), "cancelled") || !strcmp(db_col_text(s, 1), "declined"));
    db_finish(s);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
    if (old && !reopen) return VP_ALREADY;
    char now[40];
    time_now_rfc3339(now);
    json_t *before = old ? signup_json(c, w->a, old) : NULL;
    s = db_prepare(c, old ? "UPDATE volunteer_signups SET position_id = ?, status = ?, source = ?, org_path = ?, "
                            "updated_at = ?, decided_by = ?, decided_at = ? WHERE id = ? RETURNING id"
                          : "INSERT INTO volunteer_signups (position_id, status, source, org_path, updated_at, "
                            "decided_by, decided_at, project_id, volunteer_id, created_by, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!s) { json_decref(before); return DB_ERR; }
    db_bind_int(s, 1, o->id);
    db_bind_text(s, 2, staff ? "accepted" : "pending");
    db_bind_text(s, 3, w->source);
    db_bind_text(s, 4, x.org_path);
    db_bind_text(s, 5, now);
    if (staff && w->p->user_id) db_bind_int(s, 6, w->p->user_id);
    else db_bind_text(s, 6, NULL);
    db_bind_text(s, 7, staff ? now : NULL);
    if (old) db_bind_int(s, 8, old);
    else {
        db_bind_int(s, 8, x.id);
        db_bind_int(s, 9, w->volunteer_id);
        if (staff && w->p->user_id) db_bind_int(s, 10, w->p->user_id);
        else db_bind_text(s, 10, NULL);
        db_bind_text(s, 11, now);
    }
    rc = db_step(s);
    w->id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) { json_decref(before); return rc == DB_UNIQUE ? VP_ALREADY : rc < 0 ? rc : DB_ERR; }
    return audit_su(c, w->who, w->a, x.org_path, w->id, old ? "update" : "create", before);
}

int su_create(db *c, const principal *p, arena *a, int64_t project_id, int64_t position_id, int64_t volunteer_id,
              const char *source, int64_t *id)
{
    struct su_args w = {.p = p, .who = actor_of(p), .a = a, .project_id = project_id, .position_id = position_id,
                        .volunteer_id = volunteer_id, .source = source};
    int rc = db_transaction(c, create_cb, &w);
    *id = w.id;
    return rc;
}

int su_create_unscoped(db *c, actor who, arena *a, int64_t project_id, int64_t position_id, int64_t volunteer_id,
                       int64_t *id)
{
    struct su_args w = {.who = who, .a = a, .project_id = project_id, .position_id = position_id,
                        .volunteer_id = volunteer_id, .source = "self"};
    int rc = db_transaction(c, create_cb, &w);
    *id = w.id;
    return rc;
}

static int set_status(db *c, const principal *p, int64_t id, const char *status, bool decided)
{
    char now[40];
    time_now_rfc3339(now);
    db_stmt *s = db_prepare(c, "UPDATE volunteer_signups SET status = ?, updated_at = ?, decided_by = ?, "
                               "decided_at = ? WHERE id = ?");
    if (!s) return DB_ERR;
    db_bind_text(s, 1, status);
    db_bind_text(s, 2, now);
    if (decided && p && p->user_id) db_bind_int(s, 3, p->user_id);
    else db_bind_text(s, 3, NULL);
    db_bind_text(s, 4, decided ? now : NULL);
    db_bind_int(s, 5, id);
    int rc = db_exec_stmt(s);
    db_finish(s);
    return rc;
}

static int decide_cb(db *c, void *cls)
{
    struct su_args *w = cls;
    su_row u;
    int rc = read_su(c, &w->p->scope, w->a, w->id, &u);
    if (rc != DB_OK) return rc;
    bool accept = !strcmp(w->action, "accept");
    if (strcmp(u.status, "pending") && !(accept && !strcmp(u.status, "declined")) &&
        !(!accept && !strcmp(u.status, "accepted") && !strcmp(u.hours_status, "open")))
        return VP_BAD_STATE;
    if (accept) {
        vproject x;
        int64_t n;
        if ((rc = vp_get_unscoped(c, w->a, u.project_id, &x)) != DB_OK) return rc;
        if (x.confirmed_at) return VP_LOCKED;
        const vp_position *o = find_position(&x, u.position_id);
        if ((rc = accepted_count(c, u.position_id, &n)) != DB_OK) return rc;
        if (o && n >= o->headcount) return VP_FULL;
    }
    json_t *before = signup_json(c, w->a, u.id);
    if ((rc = set_status(c, w->p, u.id, accept ? "accepted" : "declined", true)) != DB_OK) {
        json_decref(before);
        return rc;
    }
    return audit_su(c, w->who, w->a, u.org_path, u.id, w->action, before);
}

int su_decide(db *c, const principal *p, arena *a, int64_t signup_id, const char *action)
{
    struct su_args w = {.p = p, .who = actor_of(p), .a = a, .id = signup_id, .action = action};
    return db_transaction(c, decide_cb, &w);
}

static int cancel_cb(db *c, void *cls)
{
    struct su_args *w = cls;
    su_row u;
    /* the phone's key: any sign-up of its own volunteer, checked just below */
    int rc = read_su(c, w->p ? &w->p->scope : NULL, w->a, w->id, &u);
    if (rc != DB_OK) return rc;
    if (w->volunteer_id && u.volunteer_id != w->volunteer_id) return VP_SIGNUP_NOT_FOUND;
    if ((strcmp(u.status, "pending") && strcmp(u.status, "accepted")) || strcmp(u.hours_status, "open"))
        return VP_BAD_STATE;
    json_t *before = signup_json(c, w->a, u.id);
    if ((rc = set_status(c, w->p, u.id, "cancelled", false)) != DB_OK) { json_decref(before); return rc; }
    return audit_su(c, w->who, w->a, u.org_path, u.id, "cancel", before);
}

int su_cancel(db *c, const principal *p, arena *a, int64_t signup_id)
{
    struct su_args w = {.p = p, .who = actor_of(p), .a = a, .id = signup_id};
    return db_transaction(c, cancel_cb, &w);
}

int su_cancel_unscoped(db *c, actor who, arena *a, int64_t signup_id, int64_t volunteer_id)
{
    struct su_args w = {.who = who, .a = a, .id = signup_id, .volunteer_id = volunteer_id};
    return db_transaction(c, cancel_cb, &w);
}

static int list_where(db *c, arena *a, const char *where, int64_t arg, const scope *sc, const char *extra, jw *w)
{
    qb q;
    qb_init(&q, "SELECT " S_COLS S_FROM " WHERE ");
    qb_sql(&q, where);
    qb_int(&q, arg);
    if (sc) scope_filter_owned(sc, &q, "u.org_path", SU_OWNER("u.project_id"));
    if (extra) qb_sql(&q, extra);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) write_row(s, a, w);
    jw_arr_end(w);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int su_of_project(db *c, const principal *p, arena *a, int64_t project_id, jw *w)
{
    vproject x;
    int rc = vp_get(c, p, a, project_id, &x);
    if (rc != DB_OK) return rc;
    return list_where(c, a, "u.project_id = ?", project_id, &p->scope, " ORDER BY u.id", w);
}

int su_get_json(db *c, const principal *p, arena *a, int64_t signup_id, jw *w)
{
    qb q;
    qb_init(&q, "SELECT " S_COLS S_FROM " WHERE u.id = ?");
    qb_int(&q, signup_id);
    scope_filter_owned(&p->scope, &q, "u.org_path", SU_OWNER("u.project_id"));
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) write_row(s, a, w);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? VP_SIGNUP_NOT_FOUND : rc;
}

int su_of_volunteer(db *c, arena *a, int64_t volunteer_id, jw *w)
{
    return list_where(c, a, "u.volunteer_id = ?", volunteer_id, NULL, " ORDER BY p.starts_at DESC, u.id DESC", w);
}

/* sc NULL: one volunteer's (volunteer_id) */
static int reminders(db *c, const scope *sc, arena *a, int64_t volunteer_id, int hours, jw *w)
{
    char now[40], until[40];
    time_t t = time(NULL);
    time_to_rfc3339(t, now);
    time_to_rfc3339(t + (time_t)hours * 3600, until);
    qb q;
    qb_init(&q, "SELECT " S_COLS S_FROM " WHERE u.status = 'accepted' AND p.status = 'published' "
                "AND p.starts_at >= ? AND p.starts_at <= ?");
    qb_text(&q, now);
    qb_text(&q, until);
    if (sc) scope_filter_owned(sc, &q, "u.org_path", SU_OWNER("u.project_id"));
    else qb_sql(&q, " AND u.volunteer_id = ?"), qb_int(&q, volunteer_id);
    qb_sql(&q, " ORDER BY p.starts_at, u.id LIMIT 500");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc;
    jw_arr(w);
    while ((rc = db_step(s)) == DB_ROW) write_row(s, a, w);
    jw_arr_end(w);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

static int mark_cb(db *c, void *cls)
{
    struct su_args *w = cls;
    su_row u;
    int rc = read_su(c, &w->p->scope, w->a, w->id, &u);
    if (rc != DB_OK) return rc;
    if (strcmp(u.status, "accepted")) return VP_BAD_STATE;
    if (strcmp(u.hours_status, "open")) return VP_LOCKED;
    char now[40];
    time_now_rfc3339(now);
    json_t *before = signup_json(c, w->a, u.id);
    db_stmt *s = db_prepare(c, "UPDATE volunteer_signups SET checkin_at = ?, checkout_at = ?, attendance = ?, "
                               "updated_at = ? WHERE id = ?");
    if (!s) { json_decref(before); return DB_ERR; }
    db_bind_text(s, 1, w->in_at);
    db_bind_text(s, 2, w->out_at);
    db_bind_text(s, 3, w->in_at ? "staff" : NULL);
    db_bind_text(s, 4, now);
    db_bind_int(s, 5, u.id);
    rc = db_exec_stmt(s);
    db_finish(s);
    if (rc != DB_OK) { json_decref(before); return rc; }
    return audit_su(c, w->who, w->a, u.org_path, u.id, "mark", before);
}

int su_mark(db *c, const principal *p, arena *a, int64_t signup_id, const char *in_at, const char *out_at)
{
    struct su_args w = {.p = p, .who = actor_of(p), .a = a, .id = signup_id, .in_at = in_at, .out_at = out_at};
    return db_transaction(c, mark_cb, &w);
}

int su_reminders(db *c, const principal *p, arena *a, int hours, jw *w) { return reminders(c, &p->scope, a, 0, hours, w); }

int su_reminders_of_volunteer(db *c, arena *a, int64_t volunteer_id, int hours, jw *w)
{
    return reminders(c, NULL, a, volunteer_id, hours, w);
}
