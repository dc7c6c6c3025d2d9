/* targets.h - targets (目标任务) as first-class records and their live progress.
 *
 * A target sets a goal for one metric over one period, either for a node's whole subtree
 * (city: >=2,000 activities in 科技活动周) or for each descendant of a type (each point: >=24
 * lectures a year), optionally only while that descendant holds a title (each_title: the 24
 * courses bind the holders of 示范教学点 alone, migration 025). Progress reads the statistics roll-ups, so it is live: actual, goal,
 * percent, the pace expected by today, and a status: achieved (达标), on_track (正常),
 * behind (落后), with the units behind. Scope as everywhere: targets outside it do not exist. */
#ifndef KEPU_TARGETS_H
#define KEPU_TARGETS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "core/jsonw.h"

enum { TGT_NOT_FOUND = -400, TGT_ORG_NOT_FOUND = -401 };

typedef struct target {
    int64_t id, org_id, goal, created_by;
    const char *org_path, *org_name, *title, *metric, *period, *period_from, *period_to;
    const char *applies, *each_type, *each_title, *created_at, *updated_at;
    const char *unit_root;   /* not stored: progress counts only the units under this path (NULL: all) */
    /* not stored: a ratio metric's goal as written, "15.00" (goal holds hundredths: 1500); NULL
     * for a count (issue 17 C) */
    const char *goal_value;
} target;

/* The declared record (model/entity.h): JSON, scoped reads, error table. */
extern struct entity target_entity;
/* id 0: a create; in and out are targets (the entity's update writer). */
int targets_save(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out);
/* The entity's input rule (targets_api.c): the period against the statistics windows, applies. */
struct request;
bool target_input(struct request *r, void *rec, bool creating);
/* The same records as read: also the per-unit targets set above the scope (targets.c). */
extern struct entity target_seen_entity;
/* Writes the progress object of a target as of day `today` (YYYY-MM-DD). */
int targets_progress(db *c, const principal *p, arena *a, const target *t, const char *today, jw *w);
/* The share of goal due by today over from..to (inclusive days): 0 before, all of it after. */
int64_t targets_expected(int64_t goal, const char *from, const char *to, const char *today);
/* The target of `metric` that applies to the unit at org_path (of type org_type) on day `today`:
 * one set for each unit of its type (applies 'each') at the unit or above it, or one set on the
 * unit itself; the nearest unit's first, then the one whose period started last. A target set
 * above the caller's scope still binds the unit, so it is read although its own org is not
 * visible; the unit itself must be (TGT_ORG_NOT_FOUND otherwise). TGT_NOT_FOUND when none. */
int targets_applying(db *c, const principal *p, arena *a, const char *org_path, const char *org_type,
                     const char *metric, const char *today, target *out);

void targets_register_routes(void);

#endif
