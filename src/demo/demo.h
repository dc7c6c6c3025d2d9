/* demo.h - fills an empty database with a realistic demo city: Chongqing's 38 districts and
 * counties plus three development zones (GB/T 2260 codes), streets, teaching points,
 * societies, bases and units, and users at every level sharing one demo password. */
#ifndef KEPU_DEMO_H
#define KEPU_DEMO_H
#include "auth/principal.h"
#include "db/db.h"

#define DEMO_PASSWORD "Demo@2026kepu"

/* What every module's demo step needs to know: the city, and the demo's time (Shanghai). */
typedef struct demo_context {
    int64_t city_id;
    int year, month;
    const char *today;   /* YYYY-MM-DD */
} demo_context;

/* The modules' demo steps (demo_steps.c), named in their descriptors (app_modules.h); each
 * returns 0 on success. */
int demo_step_stats(db *c, const demo_context *x);
int demo_step_activities(db *c, const demo_context *x);
int demo_step_targets(db *c, const demo_context *x);
int demo_step_forms(db *c, const demo_context *x);
int demo_step_teachers(db *c, const demo_context *x);
int demo_step_teaching(db *c, const demo_context *x);
int demo_step_students(db *c, const demo_context *x);
int demo_step_volunteers(db *c, const demo_context *x);

/* Orgs and users, then every module's demo step. 0 on success; refuses (non-zero, with a message) a database that already holds orgs. */
int demo_fill(db *c);
/* The demo loader's principal: an administrator named "demo" seeing every node. Unscoped on
 * purpose and only here: the loader is a tool with no request and no user, filling an empty
 * database through the modules' own write functions (their checks and audit). */
principal demo_principal_unscoped(void);
/* A year of activities: per_point at each teaching point, twice that at districts, societies
 * and bases. 0 on success. */
int demo_fill_activities(db *c, int year, int per_point, const char *until /* last day, or NULL */);
/* The demo city's targets for the year. 0 on success. */
int demo_fill_targets(db *c, int64_t city_id, int year);
/* Named statistics windows (科技活动周, 全国科普日) of 2025 and 2026. */
int demo_fill_windows(db *c, int year);
/* A monthly form of the city with the districts' reports. 0 on success. */
int demo_fill_forms(db *c, int64_t city_id, int year, int last_month);
/* The teacher pool: teachers at points of every district along the certification chain, letters,
 * last year's excellent-teacher selection decided and this year's nominated. 0 on success. */
int demo_fill_teachers(db *c, int year);
/* Teaching plans of both terms at every point, reviewed, with their courses held up to today
 * and a 24-courses-a-year target for each point. 0 on success. */
int demo_fill_courses(db *c, int64_t city_id, int year, const char *today);
/* Students at the first teaching points with attendance at their held courses. 0 on success. */
int demo_fill_students(db *c);
/* Volunteer teams of all eight categories, a few hundred volunteers with memberships (some
 * applications pending). 0 on success. */
int demo_fill_volunteers(db *c);
int demo_fill_vprojects(db *c);

/* The heads (org_admin) of the first teaching point of a few districts; prints their logins.
 * 0 on success. */
int demo_fill_point_heads(db *c);
/* Ratings of held courses by some of the students who attended them. 0 on success. */
int demo_fill_ratings(db *c);

#endif
