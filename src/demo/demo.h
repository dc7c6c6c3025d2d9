/* demo.h - fills an empty database with a realistic demo city: Chongqing's 38 districts and
 * counties plus three development zones (GB/T 2260 codes), streets, teaching points,
 * societies, bases and units, and users at every level sharing one demo password. */
#ifndef KEPU_DEMO_H
#define KEPU_DEMO_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"

#define DEMO_PASSWORD "Demo@2026kepu"

/* What every module's demo step needs to know: the city, and the demo's time (Shanghai). */
typedef struct demo_context {
    int64_t city_id;
    int year, month;
    const char *today;   /* YYYY-MM-DD */
} demo_context;

/* The modules' demo steps, named in their descriptors (app_modules.c) and run by demo_fill in
 * the modules' order; each returns 0 on success:
 * stats: the named windows (科技活动周, 全国科普日) of last year and this one;
 * activities: last year's activities whole, this year's up to today;
 * targets: the demo city's targets for the year;
 * forms: a monthly form of the city with the districts' reports for the months that have ended;
 * teachers: the teacher pool at points of every district along the certification chain, letters,
 *   last year's excellent-teacher selection decided and this year's nominated;
 * teaching: both terms' plans at every point, reviewed, with their courses held up to today and
 *   a 24-courses-a-year target for each point;
 * students: students at the first teaching points with attendance at their held courses, and
 *   ratings of those courses by some who attended;
 * volunteers: teams of all eight categories, a few hundred volunteers with memberships (some
 *   applications pending), and a year of their projects;
 * calls (templates): each builtin call template at a stage that follows today (demo_calls.c);
 * recert: eight points named 示范教学点 two years back and the city's 称号复核 of them in 公示,
 *   one title to be revoked (demo_recert.c);
 * experts: the expert pool of reviewer accounts expert01..expert20, last year's key-project call
 *   with three funded entries whose mid-term reports are graded (demo_experts.c). */
int demo_step_stats(db *c, const demo_context *x);
int demo_step_activities(db *c, const demo_context *x);
int demo_step_targets(db *c, const demo_context *x);
int demo_step_forms(db *c, const demo_context *x);
int demo_step_teachers(db *c, const demo_context *x);
int demo_step_teaching(db *c, const demo_context *x);
int demo_step_students(db *c, const demo_context *x);
int demo_step_volunteers(db *c, const demo_context *x);
int demo_step_recert(db *c, const demo_context *x);
int demo_step_experts(db *c, const demo_context *x);
int demo_step_calls(db *c, const demo_context *x);
/* notices (issue 16 A): the city's 全国科普日 notice with two districts' replies, a public 公告 (demo_notices.c) */
int demo_step_notices(db *c, const demo_context *x);

/* Orgs and users, then every module's demo step. 0 on success; refuses (non-zero, with a message) a database that already holds orgs. */
int demo_fill(db *c);
/* The demo loader's principal: an administrator named "demo" seeing every node. Unscoped on
 * purpose and only here: the loader is a tool with no request and no user, filling an empty
 * database through the modules' own write functions (their checks and audit). */
principal demo_principal_unscoped(void);

/* Helpers the steps share (demo.c). The first ncols columns (integers) of sql's rows (param bound
 * to its one ? when sql has one), at most max rows, into vals row after row; the count of rows, or
 * -1 when the query fails. */
int demo_rows(db *c, const char *sql, int64_t param, int ncols, int64_t *vals, int max);
/* The first column of sql's rows, as demo_rows(). */
#define demo_ids(c, sql, param, ids, max) demo_rows(c, sql, param, 1, ids, max)
/* A random number from lo to hi (lo when hi <= lo). */
int demo_range(int lo, int hi);
/* body (17 digits) with its GB 11643 check character: a valid ID number, in the arena. */
const char *demo_id_number(arena *a, const char *body);

#endif
