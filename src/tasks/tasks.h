/* tasks.h - yearly work points (工作要点) broken into tasks for the units below (issue 16, package C).
 *
 * A unit (the city, or a district for its streets) issues a work plan for a year; the plan's
 * tasks go to owner units (task_owners, one row per unit, resolved from the targeting when a task
 * is saved). While the plan is a draft only the issuer sees it; once published each owner unit
 * sees its tasks through its own owner rows and reports progress (task_reports, with evidence
 * files); the issuer returns a report with a reason or accepts the task done.
 *
 * Scope: the issuer side sees a plan, its tasks and every owner through the plan's org path; an
 * owner unit sees a published plan's tasks through its own owner rows only.
 *
 * The live status of an owner row is computed in SQL on each read (tasks_status_sql), never
 * stored: done, overdue (deadline passed, not done), in_progress, pending; at_risk beside it.
 *
 * Ownership: strings of read records live in the given arena; entities are static. */
#ifndef KEPU_TASKS_H
#define KEPU_TASKS_H
#include "auth/principal.h"
#include "core/errors.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/query.h"
#include "demo/demo.h"
#include <stdbool.h>
#include <stdint.h>

enum {
    PLAN_NOT_FOUND = -2200,
    PLAN_ORG_NOT_FOUND = -2201,
    TASK_NOT_FOUND = -2202,
    TASK_REPORT_NOT_FOUND = -2203,
    PLAN_STATE = -2204,        /* a published plan cannot be deleted; a draft takes no report */
    TASK_NO_OWNERS = -2205,    /* the targeting named no unit */
    TASK_NOT_OWNER = -2206,    /* the unit reporting owns no such task */
    TASK_REPORT_STATE = -2207, /* the report was already returned or accepted */
    TASK_NOT_ISSUER = -2208,   /* only the issuing side may do this */
    TASK_TARGET_UNKNOWN = -2209,
    TASK_OWNER_OUTSIDE = -2210,/* an owner unit must lie below the issuer, within the caller's scope */
    TASK_LEAD_UNKNOWN = -2211,
    TASK_ORDER = -2212,        /* a reorder must list every task of the plan once */
    TASK_DONE = -2213,         /* the owner's task is already done */
};

/* At risk: less than TASK_AT_RISK_DAYS days left before the deadline and progress below
 * TASK_AT_RISK_PROGRESS percent; a week and half-way are the rule of thumb the districts'
 * supervisors use for a task that will not make it without a push. */
#define TASK_AT_RISK_DAYS 7
#define TASK_AT_RISK_PROGRESS 50

typedef struct work_plan {
    int64_t id, org_id, year, created_by, n_tasks;
    const char *org_path, *org_name, *title, *doc_no, *body, *status, *published_at, *created_at, *updated_at;
} work_plan;

typedef struct task_rec {
    int64_t id, plan_id, no, lead_org_id, target_id, weight;
    const char *plan_path, *plan_title, *plan_status, *title, *description, *lead_org_name, *deadline, *outputs;
    const char *created_at, *updated_at;
    const char *owners;      /* not stored: the targeting in a body ({"org_types","under","org_ids"}) */
} task_rec;

typedef struct task_report {
    int64_t id, task_id, owner_id, org_id, progress, reported_by, decided_by;
    bool done;
    const char *org_path, *org_name, *plan_path, *text, *status, *reason, *reported_at, *decided_at;
    const char *reporter_name;
} task_report;

extern struct entity work_plan_entity, task_entity, task_report_entity;
extern const struct attachment_kind task_report_files;
extern const struct error_row task_errors[];

/* Today in Shanghai (YYYY-MM-DD) into day (11 bytes), and the day TASK_AT_RISK_DAYS later. */
void tasks_today(char day[11]);
void tasks_day_plus(const char *day, int n, char out[11]);
/* The SELECT expressions of an owner row `ow` of task `t`: its status and its at-risk flag, with
 * today and today + TASK_AT_RISK_DAYS bound (the order the text needs). */
void tasks_status_sql(qb *q, const char *today, const char *soon);
void tasks_at_risk_sql(qb *q, const char *today, const char *soon);
/* " AND (...)": the owner rows `ow` (of a task `t` with plan `w`) sc sees: the issuer's
 * through the plan's path, an owner's own once the plan is published. */
void tasks_owner_scope(const scope *sc, qb *q);

/* Plans (plans.c): the generic handlers' writers, and publishing. */
int work_plans_publish(db *c, const principal *p, arena *a, int64_t id, work_plan *out);
/* The plan as the issuing side sees it (TASK_NOT_ISSUER when only as an owner, PLAN_NOT_FOUND when not at all). */
int work_plans_get_issued(db *c, const principal *p, arena *a, int64_t id, work_plan *out);

/* Tasks (task_write.c). owners: the targeting JSON (NULL on update: the owners stay). */
int tasks_create(db *c, const principal *p, arena *a, int64_t plan_id, const task_rec *in, task_rec *out);
int tasks_update(db *c, const principal *p, arena *a, int64_t id, const task_rec *in, task_rec *out);
int tasks_delete(db *c, const principal *p, arena *a, int64_t id);
/* Sets the plan's order to ids[0..n) (each of its tasks once). */
int tasks_reorder(db *c, const principal *p, arena *a, int64_t plan_id, const int64_t *ids, int n);

/* Reports (reports.c). org_id 0: the caller's own unit. */
int task_reports_add(db *c, const principal *p, arena *a, int64_t task_id, int64_t org_id, int64_t progress,
                     const char *text, bool done, int64_t *report_id);
int task_reports_decide(db *c, const principal *p, arena *a, int64_t report_id, bool accept, const char *reason);

void tasks_register_routes(void);
void tasks_board_register_routes(void);
void tasks_export_register_routes(void);
void tasks_init(void);
/* The demo city's work points of last year (tasks_demo.c). 0 or -1. */
int demo_step_tasks(db *c, const demo_context *x);
/* The module's to-do source (task_due) and assessment source (tasks_on_time), NULL-terminated. */
extern const struct todo_source *const tasks_todo_sources[];
extern const struct assessment_source *const tasks_assessment_sources[];

/* The assessment's arithmetic (tasks_sources.c), apart for its unit test: the share on time
 * (a unit with no task due in the year has lost nothing: 1) and the detail line (in a). */
double tasks_on_time_ratio(int64_t total, int64_t on_time);
const char *tasks_on_time_detail(arena *a, int64_t total, int64_t late);

#endif
