/* task_write.c - a plan's tasks: the record type, its owners resolved from the targeting, and
 * the writers (create, change, delete, reorder); see tasks.h. */
#include "tasks/tasks.h"
#include "core/timeutil.h"
#include "model/entity.h"
#include "orgs/org_targets.h"
#include "targets/targets.h"
#include "audit/audit.h"
#include "core/validate.h"
#include <stdlib.h>
#include <jansson.h>
#include <stddef.h>
#include <string.h>

/* The issuer's side through the plan's path; an owner unit through its own row once published. */
static void task_scope(const scope *sc, qb *q)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, " AND ((1 = 1");
    scope_filter(sc, q, "t.plan_path");
    qb_sql(q, ") OR (w.status = 'published' AND EXISTS (SELECT 1 FROM task_owners xo WHERE xo.task_id = t.id");
    scope_filter(sc, q, "xo.org_path");
    qb_sql(q, ")))");
}

#define T(member) offsetof(task_rec, member)
static const field task_fields[] = {
    {"id", "t.id", FT_ID, T(id), .flags = 0},
    {"plan_id", "t.plan_id", FT_ID, T(plan_id), .flags = FF_CREATE | FF_REQUIRED | FF_FILTER},
    {"plan_path", "t.plan_path", FT_TEXT, T(plan_path), .flags = FF_HIDDEN},
    {"plan_title", "w.title", FT_TEXT, T(plan_title), .flags = 0},
    {"plan_status", "w.status", FT_TEXT, T(plan_status), .flags = 0},
    {"no", "t.no", FT_INT, T(no), .flags = 0, .doc = "the order in the plan: 1, 2, 3 ..."},
    {"title", "t.title", FT_TEXT, T(title), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 200},
    {"description", "t.description", FT_MULTILINE, T(description), .flags = FF_WRITE, .max = 5000},
    {"lead_org_id", "t.lead_org_id", FT_INT_NULL, T(lead_org_id), .flags = FF_WRITE, .doc = "the lead unit (牵头单位), one of the owners"},
    {"lead_org_name", "lo.name", FT_TEXT, T(lead_org_name), .flags = 0},
    {"deadline", "t.deadline", FT_DAY, T(deadline), .flags = FF_WRITE | FF_REQUIRED},
    {"outputs", "t.outputs", FT_MULTILINE, T(outputs), .flags = FF_WRITE, .max = 5000, .doc = "expected outputs (预期成果)"},
    {"target_id", "t.target_id", FT_INT_NULL, T(target_id), .flags = FF_WRITE, .doc = "the target (目标任务) the task is measured by"},
    {"weight", "t.weight", FT_INT_NULL, T(weight), .flags = FF_WRITE, .min = 1, .max = 100},
    {"owners", NULL, FT_JSON, T(owners), .flags = FF_WRITE | FF_NO_SELECT | FF_OMIT_NULL, .check_json = org_targets_check,
     .example = "{\"org_types\": [\"district\"], \"under\": 1}",
     .doc = "owner units: {org_types, under, org_ids}, resolved to one owner row per unit when saved"},
    {"created_at", "t.created_at", FT_TIME, T(created_at), .flags = 0},
    {"updated_at", "t.updated_at", FT_TIME, T(updated_at), .flags = 0},
    {0},
};
#undef T

struct task_args {
    const principal *p;
    arena *a;
    int64_t id, plan_id;
    const task_rec *in;
    task_rec *out;
    const int64_t *ids;
    int n;
};

/* The targeting resolved into owner rows (orgs/org_targets.h: units strictly below the issuer,
 * within the caller's scope); TASK_NO_OWNERS when the task then has none. */
static int resolve_owners(db *c, const principal *p, arena *a, int64_t task_id, const char *issuer, const char *owners_json)
{
    qb q;
    qb_init(&q, "INSERT INTO task_owners (task_id, org_id, org_path) SELECT ?, o.id, o.path");
    qb_int(&q, task_id);
    int rc = org_targets_where(c, &p->scope, a, owners_json, issuer, TASK_OWNER_OUTSIDE, &q);
    if (rc != DB_OK) { qb_free(&q); return rc; }
    qb_sql(&q, " ON CONFLICT (task_id, org_id) DO NOTHING");
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    int64_t n = 0;
    qb_init(&q, "SELECT COUNT(*) FROM task_owners WHERE task_id = ?");
    qb_int(&q, task_id);
    if ((rc = qb_exec(c, &q, &n)) != DB_OK) return rc;
    return n > 0 ? DB_OK : TASK_NO_OWNERS;
}

/* The target one the caller sees (before the row is stored: the column references targets). */
static int check_target(db *c, const principal *p, arena *a, const task_rec *t)
{
    target tg;
    int rc = t->target_id ? entity_get(c, &target_seen_entity, &p->scope, a, t->target_id, &tg) : DB_OK;
    return rc == TGT_NOT_FOUND ? TASK_TARGET_UNKNOWN : rc;
}

/* The lead unit one of the owners (after they are resolved). */
static int check_lead(db *c, const task_rec *t, int64_t task_id)
{
    if (!t->lead_org_id) return DB_OK;
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM task_owners WHERE task_id = ? AND org_id = ?");
    qb_int(&q, task_id), qb_int(&q, t->lead_org_id);
    int rc = qb_exec(c, &q, &one);
    if (rc != DB_OK && rc != DB_DONE) return rc;
    return one ? DB_OK : TASK_LEAD_UNKNOWN;
}

/* The task as the issuing side sees it (TASK_NOT_ISSUER for an owner unit). */
static int get_issued(db *c, const principal *p, arena *a, int64_t id, task_rec *out)
{
    int rc = entity_get(c, &task_entity, &p->scope, a, id, out);
    if (rc == DB_OK && !scope_covers(&p->scope, out->plan_path)) return TASK_NOT_ISSUER;
    return rc;
}

static int create_cb(db *c, void *cls)
{
    struct task_args *x = cls;
    work_plan w;
    int rc = work_plans_get_issued(c, x->p, x->a, x->in->plan_id, &w);
    if (rc != DB_OK) return rc;
    if (!x->in->owners) return TASK_NO_OWNERS;
    if ((rc = check_target(c, x->p, x->a, x->in)) != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    qb q;
    int64_t no = 0, id = 0;
    qb_init(&q, "SELECT COALESCE(MAX(no), 0) + 1 FROM tasks WHERE plan_id = ?");
    qb_int(&q, w.id);
    if ((rc = qb_exec(c, &q, &no)) != DB_OK) return rc;
    entity_value more[] = {{"plan_path", .text = w.org_path}, {"no", .i = no, .is_int = true},
                           {"created_at", .text = now}, {"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &task_entity, "tasks", 0, x->in, more, x->a, &id)) != DB_OK) return rc;
    if ((rc = resolve_owners(c, x->p, x->a, id, w.org_path, x->in->owners)) != DB_OK) return rc;
    if ((rc = check_lead(c, x->in, id)) != DB_OK) return rc;
    /* the row this transaction just wrote */
    if ((rc = entity_get_unscoped(c, &task_entity, x->a, id, x->out)) != DB_OK) return rc;
    return entity_audit(c, &task_entity, actor_of(x->p), w.org_path, id, "create", NULL, x->out);
}

/* A draft's owners are replaced by a new targeting; a published plan's only grow (an owner that
 * has reported keeps its record). */
static int update_cb(db *c, void *cls)
{
    struct task_args *x = cls;
    task_rec before;
    int rc = get_issued(c, x->p, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    entity_value more[] = {{"updated_at", .text = now}, {0}};
    if ((rc = check_target(c, x->p, x->a, x->in)) != DB_OK) return rc;
    if ((rc = entity_store(c, &task_entity, "tasks", x->id, x->in, more, x->a, NULL)) != DB_OK) return rc;
    if (x->in->owners) {
        if (!strcmp(before.plan_status, "draft")) {
            qb q;
            qb_init(&q, "DELETE FROM task_owners WHERE task_id = ?");
            qb_int(&q, x->id);
            if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
        }
        if ((rc = resolve_owners(c, x->p, x->a, x->id, before.plan_path, x->in->owners)) != DB_OK) return rc;
    }
    if ((rc = check_lead(c, x->in, x->id)) != DB_OK) return rc;
    /* the row this transaction just wrote */
    if ((rc = entity_get_unscoped(c, &task_entity, x->a, x->id, x->out)) != DB_OK) return rc;
    return entity_audit(c, &task_entity, actor_of(x->p), before.plan_path, x->id, "update", &before, x->out);
}

static int task_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    struct task_args x = {.p = p, .a = a, .in = in, .out = out};
    return db_transaction(c, create_cb, &x);
}

int tasks_create(db *c, const principal *p, arena *a, int64_t plan_id, const task_rec *in, task_rec *out)
{
    task_rec t = *in;
    t.plan_id = plan_id;
    return task_create(c, p, a, &t, out);
}

int tasks_update(db *c, const principal *p, arena *a, int64_t id, const task_rec *in, task_rec *out)
{
    struct task_args x = {.p = p, .a = a, .id = id, .in = in, .out = out};
    return db_transaction(c, update_cb, &x);
}

static int task_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    return tasks_update(c, p, a, id, in, out);
}

/* A task is deleted while its plan is a draft; the ones after it move up. */
static int delete_cb(db *c, void *cls)
{
    struct task_args *x = cls;
    task_rec before;
    int rc = get_issued(c, x->p, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.plan_status, "draft") != 0) return PLAN_STATE;
    qb q;
    qb_init(&q, "DELETE FROM tasks WHERE id = ?");
    qb_int(&q, x->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    qb_init(&q, "UPDATE tasks SET no = no - 1 WHERE plan_id = ? AND no > ?");
    qb_int(&q, before.plan_id), qb_int(&q, before.no);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    return entity_audit(c, &task_entity, actor_of(x->p), before.plan_path, x->id, "delete", &before, NULL);
}

int tasks_delete(db *c, const principal *p, arena *a, int64_t id)
{
    struct task_args x = {.p = p, .a = a, .id = id};
    return db_transaction(c, delete_cb, &x);
}

static int reorder_cb(db *c, void *cls)
{
    struct task_args *x = cls;
    work_plan w;
    int rc = work_plans_get_issued(c, x->p, x->a, x->plan_id, &w);
    if (rc != DB_OK) return rc;
    if (x->n != w.n_tasks) return TASK_ORDER;
    for (int i = 0; i < x->n; i++) {
        for (int j = 0; j < i; j++)
            if (x->ids[j] == x->ids[i]) return TASK_ORDER;
        qb q;
        qb_init(&q, "UPDATE tasks SET no = ? WHERE id = ? AND plan_id = ?");
        qb_int(&q, i + 1), qb_int(&q, x->ids[i]), qb_int(&q, w.id);
        if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
        if (db_changes(c) != 1) return TASK_ORDER;
    }
    json_t *after = json_pack("{s:I}", "tasks", (json_int_t)x->n);
    rc = audit_record(c, actor_of(x->p), w.org_path, "work_plan", w.id, "reorder", NULL, after);
    json_decref(after);
    return rc;
}

int tasks_reorder(db *c, const principal *p, arena *a, int64_t plan_id, const int64_t *ids, int n)
{
    struct task_args x = {.p = p, .a = a, .plan_id = plan_id, .ids = ids, .n = n};
    return db_transaction(c, reorder_cb, &x);
}

entity task_entity = {
    .name = "task",
    .doc = "A task of a work plan (任务): owners, deadline, expected outputs, a linked target",
    .from = " FROM tasks t JOIN work_plans w ON w.id = t.plan_id LEFT JOIN orgs lo ON lo.id = t.lead_org_id",
    .id_column = "t.id",
    .path_column = "t.plan_path",
    .scope_rule = task_scope,
    .order = " ORDER BY t.plan_id DESC, t.no",
    .size = sizeof(task_rec),
    .fields = task_fields,
    .not_found = TASK_NOT_FOUND,
    .org_not_found = PLAN_ORG_NOT_FOUND,
    .errors = task_errors,
    .create = task_create,
    .update = task_update,
    .remove = tasks_delete,
};
