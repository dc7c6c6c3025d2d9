/* volunteers_internal.h - what the volunteers module's own files share and nobody else calls:
 * the input checks of a volunteer's body (staff, public page) and of an imported row. */
#ifndef KEPU_VOLUNTEERS_INTERNAL_H
#define KEPU_VOLUNTEERS_INTERNAL_H
#include "volunteers/volunteers.h"
#include "http/request.h"

/* Applies the body onto v (the stored record for PATCH, zeros for POST); replies 422 naming the
 * field on bad input. extra: further allowed fields (NULL-terminated) the caller reads itself. */
bool vol_read_input(request *r, volunteer *v, bool creating, const char *const *extra);
/* NULL when the ID number (upper-cased in place by the caller) is a valid GB 11643 number with a
 * real birth date not in the future; else a bilingual reason that never repeats the number. */
const char *vol_id_number_problem(const char *id);
/* The ID number upper-cased into the arena. */
char *vol_id_upper(arena *a, const char *id);
/* "male" or "female" from the ID number's 17th digit. */
const char *vol_gender_of_id(const char *id);
/* A volunteer's own application to an active team from the public page (no scope: anyone may
 * apply to an active team). */
int vol_members_apply_unscoped(db *c, arena *a, int64_t team_id, int64_t volunteer_id, int64_t *id);

#endif
