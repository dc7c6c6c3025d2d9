/* signoffs.h - an upper level's sign-off (签认) of a teaching point's completion of its teaching
 * tasks for a term (docs/api.md "Teaching sign-offs"): confirmed, or returned with comments, with
 * the planned and held items the signer saw. Records live in the given arena. */
#ifndef KEPU_TEACHING_SIGNOFFS_H
#define KEPU_TEACHING_SIGNOFFS_H
#include "teaching/teaching.h"

enum signoff_code {
    SIGNOFF_NOT_FOUND = -760,
    SIGNOFF_OWN_UNIT = -761,      /* the signer is not strictly above the point */
    SIGNOFF_DUPLICATE = -762,     /* the point and term have a sign-off: change that one */
};

typedef struct signoff {
    int64_t id, org_id, year, planned, held, signed_by;
    const char *org_name, *org_path, *term, *status, *comments, *signed_by_name, *signed_at, *created_at;
} signoff;

extern struct entity signoff_entity;

/* The sign-off of the point org_id for year and term as p sees it: DB_OK, SIGNOFF_NOT_FOUND or a
 * DB code. */
int signoff_find(db *c, const principal *p, arena *a, int64_t org_id, int year, const char *term, signoff *out);
/* The path copies and the routes (called by courses_init and teaching_plans_courses_register). */
void signoffs_init(void);
void signoffs_register(void);

#endif
