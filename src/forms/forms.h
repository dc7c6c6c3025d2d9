/* forms.h - periodic report forms (DHIS2's data sets, in our terms).
 *
 * An upper level defines a form: fields that map to metrics, a period type, the type of unit
 * below it that fills it, and a deadline in days after each period. Units fill, save and submit
 * each period; a submitted report is locked until the upper level returns it with a reason.
 * Submitted figures join the statistics roll-ups (and leave them when returned). The upper
 * level sees completeness and timeliness: submitted, on time, missing, with the missing units.
 * Scope: a form is visible to its owner's scope and to the units below the owner that fill it;
 * a submission is visible where its unit is. */
#ifndef KEPU_FORMS_H
#define KEPU_FORMS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "core/jsonw.h"
#include "stats/stats.h"
#include <jansson.h>

enum {
    FORM_NOT_FOUND = -500,
    FORM_ORG_NOT_FOUND = -501,      /* owner or filling unit outside scope, or of the wrong type */
    FORM_LOCKED = -502,             /* submitted: only a return unlocks it */
    FORM_NOT_SUBMITTED = -503,      /* returning what was not submitted */
    FORM_OWN_REPORT = -504,         /* a unit cannot return its own report */
};

#define FORM_MAX_FIELDS 30

typedef struct form {
    int64_t id, org_id, deadline_days;
    const char *org_path, *org_name, *title, *period_type, *filler_type, *fields, *created_at, *updated_at;
    bool active;
} form;

extern const char *const form_period_types[];   /* NULL-terminated */

/* The declared records (model/entity.h): forms, and the reports of units. */
extern struct entity form_entity, report_entity;

/* The entity's writer (the generic create handler): in and out are forms. */
int forms_create(db *c, const principal *p, arena *a, const void *in, void *out);
/* The entity's input rule (forms_api.c): fields, 1..30 of {"key","label","metric"}. */
struct request;
bool form_input(struct request *r, void *rec, bool creating);

/* Saves a unit's values for a period (fields: {"key": n} already validated against the form);
 * submit: lock it and add its figures to the roll-ups. */
int forms_save_report(db *c, const principal *p, arena *a, const form *f, int64_t org_id, const char *period_text,
                      const char *period_day, json_t *fields, bool submit, jw *out);
/* The upper level returns a submitted report with a reason: unlocked, figures out of the roll-ups. */
int forms_return_report(db *c, const principal *p, arena *a, const form *f, int64_t submission_id,
                        const char *reason, jw *out);
/* Completeness of one period: every unit of the form's filler type below the owner and in the
 * caller's scope, with its status (submitted on time / late, draft, returned, missing). */
int forms_completeness(db *c, const principal *p, arena *a, const form *f, const char *period_text,
                       const char *deadline, const char *today, jw *out);
/* The same units one by one (for exports); strings of a row are valid during the call only. */
typedef struct completeness_row {
    int64_t org_id, submission_id;      /* submission_id 0: none */
    const char *name, *status, *submitted_at;
    bool submitted, on_time, overdue;
} completeness_row;
typedef void (*completeness_cb)(const completeness_row *row, void *cls);
int forms_completeness_each(db *c, const principal *p, arena *a, const form *f, const char *period_text,
                            const char *deadline, const char *today, completeness_cb cb, void *cls);

void forms_init(void);
void forms_register_routes(void);

#endif
