/* checkin_internal.h - what the check-in module's files share (not for other modules). */
#ifndef KEPU_CHECKIN_INTERNAL_H
#define KEPU_CHECKIN_INTERNAL_H
#include "checkin/checkin.h"

const checkin_kind *checkin_kind_find(const char *kind);
bool checkin_window_open(const checkin_session *s);
/* One attendance inside the caller's transaction: inserted once, the session's count and the
 * owner's hook moved; *already when it was there, else *record_id (when not NULL) is the new
 * row's id. by: the marking user (0: the phone). */
int checkin_record(db *c, arena *a, const checkin_kind *k, const checkin_session *ses, int64_t person_id,
                   const char *method, int64_t by, bool *already, int64_t *record_id);

#endif
