/* volunteers_internal.h - what the volunteers module's own files share and nobody else calls:
 * the error table, the input checks of a volunteer's body (staff, public page) and of an
 * imported row. */
#ifndef KEPU_VOLUNTEERS_INTERNAL_H
#define KEPU_VOLUNTEERS_INTERNAL_H
#include "volunteers/volunteers.h"
#include "core/errors.h"
#include "http/request.h"

/* The codes of volunteers.h with their replies (volunteers_reply_error, the entities' .errors). */
extern const error_row vol_errors[];

/* Audits a change of a record of e (a volunteer, team or membership: e->name is the audit's
 * entity) at path with its JSON form before and after (either NULL); by p's user, or the system
 * for the public page (p NULL). */
int vol_audit(db *c, const principal *p, const struct entity *e, const char *path, int64_t id, const char *action,
              const void *before, const void *after);
/* Applies the body onto v (the stored record for PATCH, zeros for POST) by volunteer_entity's
 * fields; the gender from the ID number when not given. Replies 422 naming the field on bad input. */
bool vol_read_input(request *r, volunteer *v, bool creating);
/* The ID number upper-cased into the arena, and NULL when it is a valid GB 11643 number with a
 * real birth date not in the future, else a bilingual reason: check_id_number() (core/validate.h)
 * in two steps, for vp_find.c. */
char *vol_id_upper(arena *a, const char *id);
const char *vol_id_number_problem(const char *id);
/* "male" or "female" from the ID number's 17th digit. */
const char *vol_gender_of_id(const char *id);
/* A volunteer's own application to an active team from the public page (no scope: anyone may
 * apply to an active team at or below the node the volunteer registered at). */
int vol_members_apply_unscoped(db *c, arena *a, int64_t team_id, int64_t volunteer_id, int64_t *id);

#endif
