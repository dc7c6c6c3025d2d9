/* selection.h - the yearly excellent-teacher selection (优秀教师评选): a district (org_admin)
 * nominates certified teachers of its subtree with a reason; the city (org_admin at the root)
 * approves or rejects each nomination; results are listed by year. A nomination is visible where
 * its teacher is. Strings of a returned selection live in the given arena. */
#ifndef KEPU_SELECTION_H
#define KEPU_SELECTION_H
#include "teaching/teachers.h"

typedef struct selection {
    int64_t id, year, teacher_id, nominator_org_id;
    const char *teacher_name, *teacher_org_name, *teacher_unit, *teacher_title, *nominator_org_name;
    const char *org_path, *reason, *status, *decision_reason, *nominated_at, *decided_at;
} selection;

extern const char *const selection_statuses[];   /* nominated, approved, rejected; NULL */
/* The declared record (model/entity.h); its errors are the teacher pool's (teacher_errors), its
 * create hook the nomination (in and out selections; in: year, teacher_id, reason). */
extern struct entity selection_entity;
int selections_nominate(db *c, const principal *p, arena *a, const void *in, void *out);
/* approve: true approves, false rejects; reason optional. */
int selections_decide(db *c, const principal *p, arena *a, int64_t id, bool approve, const char *reason,
                      selection *out);

#endif
