/* demo_steps.c - each module's step of the demo city (demo.h), named in its descriptor
 * (app_modules.c); demo_fill runs them in the modules' order. */
#include "demo/demo.h"

int demo_step_stats(db *c, const demo_context *x) { return demo_fill_windows(c, x->year); }

/* Last year whole, this year up to today: "this year against last year" is true. */
int demo_step_activities(db *c, const demo_context *x)
{
    int rc = demo_fill_activities(c, x->year - 1, 10, NULL);
    return rc == 0 ? demo_fill_activities(c, x->year, 12, x->today) : rc;
}

int demo_step_targets(db *c, const demo_context *x) { return demo_fill_targets(c, x->city_id, x->year); }

/* Reports for the months that have ended. */
int demo_step_forms(db *c, const demo_context *x)
{
    return demo_fill_forms(c, x->city_id, x->year, x->month - 1);
}

int demo_step_teachers(db *c, const demo_context *x) { return demo_fill_teachers(c, x->year); }

int demo_step_teaching(db *c, const demo_context *x)
{
    return demo_fill_courses(c, x->city_id, x->year, x->today);
}

/* Ratings of held courses by the students who attended them. */
int demo_step_students(db *c, const demo_context *x)
{
    (void)x;
    int rc = demo_fill_students(c);
    return rc == 0 ? demo_fill_ratings(c) : rc;
}

int demo_step_volunteers(db *c, const demo_context *x)
{
    (void)x;
    int rc = demo_fill_volunteers(c);
    return rc == 0 ? demo_fill_vprojects(c) : rc;
}
