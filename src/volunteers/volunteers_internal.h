/* volunteers_internal.h - what the volunteers module's own files share and nobody else calls:
 * the error table, the input checks of a volunteer's body (staff, public page) and of an
 * imported row. */
#ifndef KEPU_VOLUNTEERS_INTERNAL_H
#define KEPU_VOLUNTEERS_INTERNAL_H
#include "volunteers/volunteers.h"
#include "core/errors.h"
#include "http/request.h"

/* The codes of volunteers.h with their replies (the entities' .errors). */
extern const error_row vol_errors[];

/* Audits a change of a record of e (a volunteer, team or membership: e->name is the audit's
 * entity) at path with its JSON form before and after (either NULL); by p's user, or the system
 * for the public page (p NULL). */
int vol_audit(db *c, const principal *p, const struct entity *e, const char *path, int64_t id, const char *action,
              const void *before, const void *after);
/* A soft delete's write: row id of e in table set to status (and updated now), then read back
 * into out (a record of e) for the audit. */
int vol_set_status(db *c, const struct entity *e, const char *table, arena *a, int64_t id, const char *status,
                   void *out);
/* volunteer_entity's input rule after its field table (staff, public page): the gender from the
 * ID number when not given; on update both numbers, which cannot be kept, only replaced. Replies
 * 422 naming the field on bad input. */
bool vol_input(request *r, void *rec, bool creating);
/* "male" or "female" from the ID number's 17th digit. */
const char *vol_gender_of_id(const char *id);
/* A volunteer's own application to an active team from the public page (no scope: anyone may
 * apply to an active team at or below the node the volunteer registered at). */
int vol_members_apply_unscoped(db *c, arena *a, int64_t team_id, int64_t volunteer_id, int64_t *id);

#endif
