/* projects.h - volunteer projects (志愿项目), sign-up, check-in/out, service hours, certificates
 * and the quarterly duty (docs/domain.md §2.2, part 2 of the volunteers module).
 *
 * A project belongs to a team and is scoped by the team's owner org path (copied into the
 * project and its sign-ups). Volunteers have no account: their phone holds a volunteer key (a
 * check-in person key of kind "volunteer", stored hashed) issued on public registration and on
 * "find me" (phone + the full ID number or a code sent to the phone), never the numbers. Service hours are the time
 * present (check-in to check-out, clipped to the window), credited when present >= credit_share %
 * of the window; the organizer confirms them (locked after), corrections need a reason.
 *
 * Strings of returned structs live in the given arena. */
#ifndef KEPU_VOLUNTEER_PROJECTS_H
#define KEPU_VOLUNTEER_PROJECTS_H
#include "volunteers/volunteers.h"
#include "core/period.h"
#include "http/request.h"
#include "model/entity.h"
#include <time.h>

enum {
    VP_NOT_FOUND = -1150,
    VP_TEAM_NOT_FOUND = -1151,      /* team missing, outside scope or not active */
    VP_BAD_STATE = -1152,           /* e.g. signing up for a draft, changing a confirmed project */
    VP_FULL = -1153,                /* the position's headcount is reached */
    VP_NOT_MEMBER = -1154,          /* a team-only project and the volunteer is not an active member */
    VP_ALREADY = -1155,             /* already signed up */
    VP_POSITION_NOT_FOUND = -1156,
    VP_VOLUNTEER_NOT_FOUND = -1157, /* missing, outside scope or not active */
    VP_LOCKED = -1158,              /* confirmed hours: corrections only, with a reason */
    VP_NOT_CONFIRMED = -1159,       /* correcting hours not yet confirmed */
    VP_SIGNUP_NOT_FOUND = -1160,
    VP_NOT_STARTED = -1161,         /* confirming hours before the project started */
    VP_POSITION_USED = -1162,       /* removing a position with sign-ups, or headcount under accepted */
};

#define VP_MAX_POSITIONS 20
/* The owner of a sign-up for scope_filter_owned(): the creator of its project, so scope self
 * sees the sign-ups of its own projects (col: the sign-up's project id column). */
#define SU_OWNER(col) "(SELECT created_by FROM volunteer_projects WHERE id = " col ")"
#define VP_GRACE_MINUTES 30   /* the QR opens this long before the start and stays after the end */

typedef struct vp_position {
    int64_t id, headcount, accepted, pending;
    const char *name;
} vp_position;

typedef struct vproject {
    int64_t id, team_id, created_by, confirmed_by, credit_share, credited, present;
    int64_t people_served;                   /* 受益群众人次 (the metric people_served) */
    int64_t headcount, accepted, pending;    /* the positions' sums (read with them) */
    bool hours_confirmed;
    const char *org_path, *team_name, *title, *content, *starts_at, *ends_at, *day, *place, *lat, *lng, *audience,
        *status, *confirmed_at, *created_at, *updated_at;
    const char *positions_json;              /* the positions as JSON (read with them) */
    int npositions;
    vp_position positions[VP_MAX_POSITIONS];
} vproject;

/* A sign-up with its project's, position's and volunteer's names (the phone masked). */
typedef struct vsignup {
    int64_t id, project_id, position_id, volunteer_id, minutes;
    bool credited;
    const char *project_title, *starts_at, *ends_at, *place, *team_name, *position_name, *volunteer_name,
        *volunteer_no, *phone, *status, *source, *checkin_at, *checkout_at, *attendance, *hours, *hours_status,
        *created_at, *updated_at, *org_path, *day;   /* day: the project's, where its figures count */
} vsignup;

/* Projects (read with their positions), the same rows alone (for check-in), sign-ups, and the
 * error table of part 2 (projects.c). */
extern struct entity vproject_entity, vproject_row_entity, vsignup_entity;
extern const struct error_row vp_errors[];

/* ---- projects (projects.c) ---- */
/* in, out: a vproject, every field validated by the caller (vp_input); positions with id 0 are new. */
int vp_create(db *c, const principal *p, arena *a, const void *in, void *out);
/* vproject_entity's input rule after its fields: coordinates, positions, ends_at after starts_at. */
bool vp_input(request *r, void *rec, bool creating);
/* Published projects a volunteer may join (public ones and those of the volunteer's teams) that
 * have not ended, for the phone that proved the volunteer's key: no user, so no scope. */
int vp_joinable_unscoped(db *c, arena *a, int64_t volunteer_id, jw *w);
/* time_t of an RFC 3339 text; false when it is not one. */
bool vp_time(const char *text, time_t *out);

/* ---- sign-ups (signups.c) ---- */
/* Staff sign up a volunteer of their scope for a project in scope (accepted at once); source
 * "staff". */
int su_create(db *c, const principal *p, arena *a, int64_t project_id, int64_t position_id, int64_t volunteer_id,
              const char *source, int64_t *id);
/* The phone's volunteer key signs up its own volunteer (pending, source "self"): no user, so no
 * scope; any published project the phone lists, not ended. who is the key, for the audit. */
int su_create_unscoped(db *c, actor who, arena *a, int64_t project_id, int64_t position_id, int64_t volunteer_id,
                       int64_t *id);
/* action: accept | decline (organizer). */
int su_decide(db *c, const principal *p, arena *a, int64_t signup_id, const char *action);
/* Staff cancel a sign-up in their scope. */
int su_cancel(db *c, const principal *p, arena *a, int64_t signup_id);
/* The phone's volunteer key cancels one of its own volunteer's sign-ups (no user, so no scope:
 * a sign-up of another volunteer is not found). */
int su_cancel_unscoped(db *c, actor who, arena *a, int64_t signup_id, int64_t volunteer_id);
/* The project's sign-ups (in p's scope), JSON array (numbers masked). */
int su_of_project(db *c, const principal *p, arena *a, int64_t project_id, jw *w);
/* The volunteer's own sign-ups, for the phone that proved its key (no user, so no scope). */
int su_of_volunteer_unscoped(db *c, arena *a, int64_t volunteer_id, jw *w);
/* Accepted sign-ups whose project starts within hours from now: the organizer's (scope) or one
 * volunteer's (the phone that proved its key: no scope). */
int su_reminders(db *c, const principal *p, arena *a, int hours, jw *w);
int su_reminders_unscoped(db *c, arena *a, int64_t volunteer_id, int hours, jw *w);
/* The organizer marks presence: times RFC 3339 (NULL clears), before confirmation. */
int su_mark(db *c, const principal *p, arena *a, int64_t signup_id, const char *in_at, const char *out_at);

/* ---- hours (service_hours.c) ---- */
/* Computes, credits and locks every accepted sign-up's hours; counts the statistics. */
int vh_confirm(db *c, const principal *p, arena *a, int64_t project_id);
/* A confirmed sign-up's minutes changed with a reason; audited with before/after. */
int vh_correct(db *c, const principal *p, arena *a, int64_t signup_id, int64_t minutes, const char *reason);
/* The volunteer's service record: {"volunteer_id","total_minutes","total_hours","activities",
 * "years":[{year,minutes,hours,activities}],"items":[...]} (confirmed and credited only); the
 * unscoped one for the phone that proved the volunteer's key. */
int vh_record_unscoped(db *c, arena *a, int64_t volunteer_id, jw *w);
int vh_record_scoped(db *c, const principal *p, arena *a, int64_t volunteer_id, jw *w);
/* Hours by team over a period into a workbook (scope). */
int vh_export(db *c, const principal *p, arena *a, int64_t org_id, const period *per, xlsx *out);

/* ---- quarterly duty (duty.c) ---- */
/* Every active team in the node's subtree (scope) with its count of held activities in the
 * quarter (e.g. "2026Q4") and its status done / behind. */
int duty_quarter(db *c, const principal *p, arena *a, int64_t org_id, const char *quarter, jw *w);

/* ---- HTTP ---- */
/* Answers rc from vp_errors, else as check-in or volunteers code. */
void vp_reply_error(request *r, int rc);
/* After rc of an action on record id of e (an error, or DB_OK): the error, or the record as the
 * caller's scope sees it now with status. */
void vp_reply_read(request *r, db *c, const struct entity *e, int rc, int status, int64_t id);
/* The database and, in *id, the volunteer of the request's X-Volunteer-Key (vp_public.c); NULL
 * after replying 401 (no valid key) or 503. */
db *vp_key_volunteer(request *r, int64_t *id);
/* A reply {"hours": hours (when not 0), "items": [...]}: open writes up to the array, which the
 * caller writes; reply answers rc's error (freeing w) or the object. */
void vp_items_open(jw *w, int hours);
void vp_items_reply(request *r, jw *w, int rc);
/* The end of a handler whose model call (rc) wrote w: rc's error (w freed), or w with 200. */
void vp_reply_jw(request *r, jw *w, int rc);
/* ?hours= (1 to 744, default 48) of the reminders; false after a 422. */
bool vp_query_hours(request *r, int *hours);
void vp_public_register_routes(void);
void vp_find_register_routes(void);   /* "find me" (vp_find.c) */
void certificates_register_routes(void);
/* The check-in owner kind, statistics sources and tracked path columns. */
void vp_init(void);
extern const struct checkin_kind project_checkin_kind;   /* a project's service time (service_hours.c) */
/* vp_init() and every route of part 2; called from volunteers_register(). */
void vp_register(void);

#endif
