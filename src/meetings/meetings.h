/* meetings.h - meetings (会议, issue 16 B): an org (the organizer) calls a meeting, invites units
 * (targeting {"org_types", "under", "org_ids"} resolved at publish into meeting_units, each with
 * a quota of participants, the default one or a per-unit override), the invited units register
 * named participants up to their quota before the registration deadline, and the participants
 * check in at the door through the check-in module (owner kind "meeting": only registered
 * participants, found by the phone's blind index within the meeting, are admitted).
 *
 * Status: draft -> published -> changed (time or place changed after publishing; every change is
 * kept in `changes`) -> cancelled (with a reason). Publishing, a change and a cancel tell the
 * invited units through notify_org() inside the same transaction.
 *
 * Scope: the organizer side sees a meeting through its own org path; an invited unit through its
 * meeting_units row (never a draft). Participants: a unit sees and edits only those it registered
 * (their org_path within its scope); the organizer sees all of its meeting's.
 *
 * Phones of participants are stored encrypted with a blind index, always masked in answers.
 * Strings of read records live in the given arena. */
#ifndef KEPU_MEETINGS_H
#define KEPU_MEETINGS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "model/entity.h"
#include <stdbool.h>
#include <stdint.h>

enum {
    MTG_NOT_FOUND = -2100,       /* meeting missing or outside scope */
    MTG_ORG_NOT_FOUND = -2101,   /* org_id (organizer, invited unit, ?org_id=) outside scope */
    MTG_STATE = -2102,           /* the meeting's status does not allow this */
    MTG_NO_UNITS = -2103,        /* the targeting resolves to no unit */
    MTG_DEADLINE = -2104,        /* registration closed */
    MTG_QUOTA = -2105,           /* the unit's quota is full */
    MTG_NOT_INVITED = -2106,     /* the unit is not invited */
    MTG_DUPLICATE = -2107,       /* this phone is already registered for the meeting */
    MTG_PARTICIPANT_NOT_FOUND = -2108,
    MTG_BAD_TIMES = -2109,       /* ends before it starts, or the deadline after the start */
    MTG_UNIT_NOT_FOUND = -2110,
};

extern const char *const meeting_kinds[];     /* report work training forum other */
extern const char *const meeting_statuses[];  /* draft published changed cancelled */

typedef struct meeting {
    int64_t id, org_id, default_quota, created_by, units, registered, checked_in;
    const char *org_path, *org_name, *title, *kind, *starts_at, *ends_at, *place, *agenda, *contact, *notes;
    const char *registration_deadline, *targeting, *status, *cancel_reason, *changes, *published_at;
    const char *created_at, *updated_at;
    /* the caller's own unit's invitation (filled for a read by id): quota, registered; 0 when none */
    int64_t my_quota, my_registered;
    /* users told by this publish, change or cancel (0 on a read) */
    int64_t notified;
    bool manage;             /* a read by id: the caller is on the organizer's side */
} meeting;

typedef struct meeting_unit {
    int64_t id, meeting_id, org_id, quota, registered, checked_in;
    const char *org_path, *org_name;
} meeting_unit;

typedef struct meeting_participant {
    int64_t id, meeting_id, org_id, created_by;
    const char *org_path, *org_name, *name, *position, *phone, *status, *checked_in_at, *created_at, *updated_at;
} meeting_participant;

extern entity meeting_entity, meeting_unit_entity, meeting_participant_entity;
extern const struct error_row meeting_errors[];

/* ---- meetings.c ---- */
/* Whether p manages meeting m (its scope covers the organizer's path). */
bool meeting_is_organizer(const principal *p, const meeting *m);
int meetings_publish(db *c, const principal *p, arena *a, int64_t id, meeting *out);
/* A change of time or place (any of them may be NULL: unchanged) after publishing. */
int meetings_change(db *c, const principal *p, arena *a, int64_t id, const char *starts_at, const char *ends_at,
                    const char *place, const char *deadline, meeting *out);
int meetings_cancel(db *c, const principal *p, arena *a, int64_t id, const char *reason, meeting *out);
/* One invited unit's quota (organizer only). */
int meetings_set_quota(db *c, const principal *p, arena *a, int64_t id, int64_t org_id, int64_t quota);
/* The meeting as p sees it, with the caller's unit's quota and registered count. */
int meetings_get(db *c, const principal *p, arena *a, int64_t id, meeting *out);

/* ---- participants.c ---- */
/* Registers a participant for unit org_id (0: the caller's own org). */
int participants_add(db *c, const principal *p, arena *a, int64_t meeting_id, int64_t org_id,
                     const meeting_participant *in, int64_t *id);
int participants_update(db *c, const principal *p, arena *a, int64_t id, const meeting_participant *in);
int participants_withdraw(db *c, const principal *p, arena *a, int64_t id);
/* Writes {"meeting_id", "units": [{org_id, org_name, quota, registered, checked_in, absent: [..]}],
 * "quota", "registered", "checked_in"} for the units p sees (the organizer: all). */
int meetings_attendance(db *c, const principal *p, arena *a, int64_t id, jw *w);
struct xlsx;
int meetings_attendance_xlsx(db *c, const principal *p, arena *a, int64_t id, struct xlsx *x);

extern const struct checkin_kind meeting_checkin_kind;
extern const struct todo_source meeting_register_source, meeting_upcoming_source;

void meetings_init(void);
void meetings_register_routes(void);
struct demo_context;
/* The demo city's meetings (meetings_demo.c). */
int demo_step_meetings(db *c, const struct demo_context *x);

#endif
