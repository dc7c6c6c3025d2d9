/* signups.c - sign-up for volunteer projects (see projects.h): a volunteer signs up for a
 * position (pending) or staff sign one up (accepted), the organizer accepts or declines within the
 * headcount, either side cancels; lists for the organizer and the volunteer's phone, reminders,
 * and the organizer marking presence. Sign-ups carry the project's org path for scope. */
#include "volunteers/projects.h"
#include "core/timeutil.h"
#include "db/query.h"
#include <stddef.h>
#include <string.h>

#define T(member) offsetof(vsignup, member)
static const field vsignup_fields[] = {
    {"id", "u.id", FT_ID, T(id), .flags = 0},
    {"project_id", "u.project_id", FT_ID, T(project_id), .flags = 0},
    {"project_title", "p.title", FT_TEXT, T(project_title), .flags = 0},
    {"starts_at", "p.starts_at", FT_TIME, T(starts_at), .flags = 0},
    {"ends_at", "p.ends_at", FT_TIME, T(ends_at), .flags = 0},
    {"place", "p.place", FT_TEXT, T(place), .flags = 0},
    {"team_name", "t.name", FT_TEXT, T(team_name), .flags = 0},
    {"position_id", "u.position_id", FT_ID, T(position_id), .flags = 0},
    {"position_name", "o.name", FT_TEXT, T(position_name), .flags = 0},
    {"volunteer_id", "u.volunteer_id", FT_ID, T(volunteer_id), .flags = 0},
    {"volunteer_name", "v.name", FT_TEXT, T(volunteer_name), .flags = 0},
    {"volunteer_no", "v.volunteer_no", FT_TEXT, T(volunteer_no), .flags = 0},
    {"phone", "v.phone_enc", FT_TEXT, T(phone), .flags = FF_ENCRYPTED | FF_MASK_PHONE},
    {"status", "u.status", FT_TEXT, T(status), .flags = 0, .doc = "pending, accepted, declined or cancelled"},
    {"source", "u.source", FT_TEXT, T(source), .flags = 0, .doc = "self (the phone) or staff"},
    {"checkin_at", "u.checkin_at", FT_TIME, T(checkin_at), .flags = 0},
    {"checkout_at", "u.checkout_at", FT_TIME, T(checkout_at), .flags = 0},
    {"attendance", "u.attendance", FT_TEXT, T(attendance), .flags = 0, .doc = "qr or staff: how presence was recorded"},
    {"minutes", "u.minutes", FT_INT, T(minutes), .flags = 0},
    /* hours with one decimal, truncated (minutes are integers: integer division on both engines) */
    {"hours", "CAST(u.minutes / 60 AS TEXT) || '.' || CAST(u.minutes % 60 * 10 / 60 AS TEXT)", FT_TEXT, T(hours),
     .flags = 0},
    {"credited", "u.credited", FT_BOOL, T(credited), .flags = 0},
    {"hours_status", "u.hours_status", FT_TEXT, T(hours_status), .flags = 0, .doc = "open, or confirmed (locked)"},
    {"created_at", "u.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "u.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {"org_path", "u.org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {"day", "p.day", FT_DAY, T(day), .flags = FF_HIDDEN},
    {0},
};
#undef T

entity vsignup_entity = {
    .name = "volunteer_signup",
    .doc = "A volunteer's sign-up for a position of a project; the phone masked",
    .from = " FROM volunteer_signups u JOIN volunteer_projects p ON p.id = u.project_id "
            "JOIN volunteer_positions o ON o.id = u.position_id JOIN volunteers v ON v.id = u.volunteer_id "
            "JOIN volunteer_teams t ON t.id = p.team_id",
    .id_column = "u.id",
    .path_column = "u.org_path",
    .owner_column = SU_OWNER("u.project_id"),
    .order = " ORDER BY u.id",
    .size = sizeof(vsignup),
    .fields = vsignup_fields,
    .not_found = VP_SIGNUP_NOT_FOUND,
    .org_not_found = VOL_ORG_NOT_FOUND,
    .errors = vp_errors,
};

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

/* Stores more on the sign-up before (NULL: a new one, its id into w->id) and audits it as action,
 * as this transaction left it (hence read unscoped). */
static int write_su(db *c, struct su_args *w, const vsignup *before, const char *org_path, const entity_value *more,
                    const char *action)
{
    vsignup u;
    int rc = entity_store(c, &vsignup_entity, "volunteer_signups", before ? before->id : 0, NULL, more, w->a, &w->id);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &vsignup_entity, w->a, w->id, &u);
    return rc == DB_OK ? entity_audit(c, &vsignup_entity, w->who, org_path, w->id, action, before, &u) : rc;
}

/* The volunteer, active, as staff's scope sees it, or the phone's own (no user, so no scope). */
static int volunteer_active(db *c, arena *a, int64_t id, const principal *staff)
{
    volunteer v;
    int rc = staff ? entity_get(c, &volunteer_entity, &staff->scope, a, id, &v)
                   : entity_get_unscoped(c, &volunteer_entity, a, id, &v);
    if (rc == VOL_NOT_FOUND || (rc == DB_OK && strcmp(v.status, "active"))) return VP_VOLUNTEER_NOT_FOUND;
    return rc;
}

static int create_cb(db *c, void *cls)
{
    struct su_args *w = cls;
    bool staff = w->p != NULL;
    vproject x;
    /* the phone (no user, so no scope) signs up for any project it may join, checked below */
    int rc = staff ? entity_get(c, &vproject_entity, &w->p->scope, w->a, w->project_id, &x)
                   : entity_get_unscoped(c, &vproject_entity, w->a, w->project_id, &x);
    if (rc != DB_OK) return rc;
    time_t ends;
    /* the phone signs up for what has not ended; staff may record a past project's volunteers */
    if (strcmp(x.status, "published") || x.confirmed_at || (!staff && vp_time(x.ends_at, &ends) && ends < time(NULL)))
        return VP_BAD_STATE;
    const vp_position *o = find_position(&x, w->position_id);
    if (!o) return VP_POSITION_NOT_FOUND;
    /* staff may sign up a volunteer of their scope; the phone signs up its own volunteer */
    if ((rc = volunteer_active(c, w->a, w->volunteer_id, staff ? w->p : NULL)) != DB_OK) return rc;
    if (!strcmp(x.audience, "team")) {
        bool member = false;
        if ((rc = volunteers_is_active_member(c, x.team_id, w->volunteer_id, &member)) != DB_OK) return rc;
        if (!member) return VP_NOT_MEMBER;
    }
    if (o->accepted >= o->headcount) return VP_FULL;
    vsignup old = {0};
    qb q;
    qb_init(&q, " AND u.project_id = ? AND u.volunteer_id = ?");
    qb_int(&q, x.id), qb_int(&q, w->volunteer_id);
    /* the one sign-up per volunteer and project (the unique key), whoever's scope it is in */
    rc = entity_get_where_unscoped(c, &vsignup_entity, w->a, &q, &old);
    if (rc != DB_OK && rc != VP_SIGNUP_NOT_FOUND) return rc;
    if (old.id && strcmp(old.status, "cancelled") && strcmp(old.status, "declined")) return VP_ALREADY;
    char now[40];
    time_now_rfc3339(now);
    int64_t by = staff ? w->p->user_id : 0;
    entity_value more[] = {{"position_id", .i = o->id, .is_int = true},
                           {"status", .text = staff ? "accepted" : "pending"}, {"source", .text = w->source},
                           {"org_path", .text = x.org_path}, {"updated_at", .text = now},
                           {"decided_by", .i = by, .is_int = by != 0}, {"decided_at", .text = staff ? now : NULL},
                           /* a new row only */
                           {old.id ? NULL : "project_id", .i = x.id, .is_int = true},
                           {"volunteer_id", .i = w->volunteer_id, .is_int = true},
                           {"created_by", .i = by, .is_int = by != 0}, {"created_at", .text = now}, {0}};
    rc = write_su(c, w, old.id ? &old : NULL, x.org_path, more, old.id ? "update" : "create");
    return rc == DB_UNIQUE ? VP_ALREADY : rc;
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

/* A decision (decided: by w->p, now; audited as w->action) or a cancellation of u. */
static int set_status(db *c, struct su_args *w, const vsignup *u, const char *status, bool decided)
{
    char now[40];
    time_now_rfc3339(now);
    int64_t by = decided && w->p ? w->p->user_id : 0;
    entity_value more[] = {{"status", .text = status}, {"updated_at", .text = now},
                           {"decided_by", .i = by, .is_int = by != 0}, {"decided_at", .text = decided ? now : NULL}, {0}};
    return write_su(c, w, u, u->org_path, more, decided ? w->action : "cancel");
}

static int decide_cb(db *c, void *cls)
{
    struct su_args *w = cls;
    vsignup u;
    int rc = entity_get(c, &vsignup_entity, &w->p->scope, w->a, w->id, &u);
    if (rc != DB_OK) return rc;
    bool accept = !strcmp(w->action, "accept");
    if (strcmp(u.status, "pending") && !(accept && !strcmp(u.status, "declined")) &&
        !(!accept && !strcmp(u.status, "accepted") && !strcmp(u.hours_status, "open")))
        return VP_BAD_STATE;
    if (accept) {
        vproject x;   /* the project of a sign-up just read in scope; its counts are this transaction's */
        if ((rc = entity_get_unscoped(c, &vproject_entity, w->a, u.project_id, &x)) != DB_OK) return rc;
        if (x.confirmed_at) return VP_LOCKED;
        const vp_position *o = find_position(&x, u.position_id);
        if (o && o->accepted >= o->headcount) return VP_FULL;
    }
    return set_status(c, w, &u, accept ? "accepted" : "declined", true);
}

int su_decide(db *c, const principal *p, arena *a, int64_t signup_id, const char *action)
{
    struct su_args w = {.p = p, .who = actor_of(p), .a = a, .id = signup_id, .action = action};
    return db_transaction(c, decide_cb, &w);
}

static int cancel_cb(db *c, void *cls)
{
    struct su_args *w = cls;
    vsignup u;
    /* the phone's key (no user, so no scope): a sign-up of its own volunteer, checked just below */
    int rc = w->p ? entity_get(c, &vsignup_entity, &w->p->scope, w->a, w->id, &u)
                  : entity_get_unscoped(c, &vsignup_entity, w->a, w->id, &u);
    if (rc != DB_OK) return rc;
    if (w->volunteer_id && u.volunteer_id != w->volunteer_id) return VP_SIGNUP_NOT_FOUND;
    if ((strcmp(u.status, "pending") && strcmp(u.status, "accepted")) || strcmp(u.hours_status, "open"))
        return VP_BAD_STATE;
    return set_status(c, w, &u, "cancelled", false);
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

int su_of_project(db *c, const principal *p, arena *a, int64_t project_id, jw *w)
{
    vproject x;
    int rc = entity_get(c, &vproject_row_entity, &p->scope, a, project_id, &x);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, "");
    if ((rc = entity_list_where(c, &vsignup_entity, &p->scope, a, 0, &q)) != DB_OK) return rc;
    qb_sql(&q, " AND u.project_id = ?"), qb_int(&q, project_id);
    return entity_list_all(c, &vsignup_entity, &q, NULL, a, w, NULL, NULL);
}

int su_of_volunteer_unscoped(db *c, arena *a, int64_t volunteer_id, jw *w)
{
    qb q;
    qb_init(&q, " WHERE u.volunteer_id = ?");
    qb_int(&q, volunteer_id);
    return entity_list_all(c, &vsignup_entity, &q, " ORDER BY p.starts_at DESC, u.id DESC", a, w, NULL, NULL);
}

/* Accepted sign-ups starting within hours, among those q (" WHERE ...") holds. */
static int reminders(db *c, arena *a, qb *q, int hours, jw *w)
{
    char now[40], until[40];
    time_t t = time(NULL);
    time_to_rfc3339(t, now);
    time_to_rfc3339(t + (time_t)hours * 3600, until);
    qb_sql(q, " AND u.status = 'accepted' AND p.status = 'published' AND p.starts_at >= ? AND p.starts_at <= ?");
    qb_text(q, now);
    qb_text(q, until);
    return entity_list_all(c, &vsignup_entity, q, " ORDER BY p.starts_at, u.id LIMIT 500", a, w, NULL, NULL);
}

int su_reminders(db *c, const principal *p, arena *a, int hours, jw *w)
{
    qb q;
    qb_init(&q, "");
    int rc = entity_list_where(c, &vsignup_entity, &p->scope, a, 0, &q);
    return rc == DB_OK ? reminders(c, a, &q, hours, w) : rc;
}

int su_reminders_unscoped(db *c, arena *a, int64_t volunteer_id, int hours, jw *w)
{
    qb q;
    qb_init(&q, " WHERE u.volunteer_id = ?");
    qb_int(&q, volunteer_id);
    return reminders(c, a, &q, hours, w);
}

static int mark_cb(db *c, void *cls)
{
    struct su_args *w = cls;
    vsignup u;
    int rc = entity_get(c, &vsignup_entity, &w->p->scope, w->a, w->id, &u);
    if (rc != DB_OK) return rc;
    if (strcmp(u.status, "accepted")) return VP_BAD_STATE;
    if (strcmp(u.hours_status, "open")) return VP_LOCKED;
    char now[40];
    time_now_rfc3339(now);
    entity_value more[] = {{"checkin_at", .text = w->in_at}, {"checkout_at", .text = w->out_at},
                           {"attendance", .text = w->in_at ? "staff" : NULL}, {"updated_at", .text = now}, {0}};
    return write_su(c, w, &u, u.org_path, more, "mark");
}

int su_mark(db *c, const principal *p, arena *a, int64_t signup_id, const char *in_at, const char *out_at)
{
    struct su_args w = {.p = p, .who = actor_of(p), .a = a, .id = signup_id, .in_at = in_at, .out_at = out_at};
    return db_transaction(c, mark_cb, &w);
}
