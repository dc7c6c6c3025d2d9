/* plans.c - work plans (工作要点): the record type, its writers and publishing (see tasks.h). */
#include "tasks/tasks.h"
#include "auth/principal.h"
#include "core/timeutil.h"
#include "model/entity.h"
#include "todo/notify.h"
#include <stddef.h>
#include <string.h>

static const char *const plan_statuses[] = {"draft", "published", NULL};

const error_row task_errors[] = {
    {PLAN_NOT_FOUND, 404, "not_found", NULL, "工作要点不存在 / work plan not found"},
    {PLAN_ORG_NOT_FOUND, 404, "not_found", "org_id", "单位不存在或不在权限范围内 / unit not found or outside your scope"},
    {TASK_NOT_FOUND, 404, "not_found", NULL, "任务不存在 / task not found"},
    {TASK_REPORT_NOT_FOUND, 404, "not_found", NULL, "进展报告不存在 / progress report not found"},
    {PLAN_STATE, 409, "plan_state", NULL, "工作要点当前状态不允许此操作 / the plan's status does not allow this"},
    {TASK_NO_OWNERS, 422, "required", "owners", "须指定至少一个承办单位 / name at least one owner unit"},
    {TASK_NOT_OWNER, 403, "forbidden", "org_id", "该单位不是此任务的承办单位 / this unit does not own the task"},
    {TASK_REPORT_STATE, 409, "report_state", NULL, "该报告已处理 / the report was already decided"},
    {TASK_NOT_ISSUER, 403, "forbidden", NULL, "须由下达单位办理 / only the issuing unit may do this"},
    {TASK_TARGET_UNKNOWN, 422, "invalid_field", "target_id", "目标任务不存在 / no such target"},
    {TASK_OWNER_OUTSIDE, 422, "invalid_field", "owners", "承办单位须为下达单位的下级 / owner units must lie below the issuer"},
    {TASK_LEAD_UNKNOWN, 422, "invalid_field", "lead_org_id", "牵头单位须为承办单位之一 / the lead unit must be one of the owners"},
    {TASK_ORDER, 422, "invalid_field", "ids", "须按新顺序列出本要点的全部任务 / list every task of the plan once, in the new order"},
    {TASK_DONE, 409, "task_done", NULL, "该任务已完成 / the task is already done"},
    {0},
};

/* The issuer's side through the plan's path; an owner unit once the plan is published. */
static void plan_scope(const scope *sc, qb *q)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, " AND ((1 = 1");
    scope_filter(sc, q, "w.org_path");
    qb_sql(q, ") OR (w.status = 'published' AND EXISTS (SELECT 1 FROM tasks xt JOIN task_owners xo ON xo.task_id = xt.id "
              "WHERE xt.plan_id = w.id");
    scope_filter(sc, q, "xo.org_path");
    qb_sql(q, ")))");
}

#define W(member) offsetof(work_plan, member)
static const field plan_fields[] = {
    {"id", "w.id", FT_ID, W(id), .flags = 0},
    {"org_id", "w.org_id", FT_ID, W(org_id), .flags = FF_CREATE | FF_REQUIRED | FF_FILTER, .doc = "the issuing unit"},
    {"org_path", "w.org_path", FT_TEXT, W(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, W(org_name), .flags = 0},
    {"year", "w.year", FT_INT, W(year), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .min = 2000, .max = 2100, .example = "2026"},
    {"title", "w.title", FT_TEXT, W(title), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 200,
     .example = "\"2026年全市科普工作要点\""},
    {"doc_no", "w.doc_no", FT_TEXT, W(doc_no), .flags = FF_WRITE | FF_SEARCH, .max = 64, .doc = "the document number (文号)"},
    {"body", "w.body", FT_MULTILINE, W(body), .flags = FF_WRITE, .max = 20000},
    {"status", "w.status", FT_ENUM, W(status), .flags = FF_FILTER, .choices = plan_statuses},
    {"published_at", "w.published_at", FT_TIME, W(published_at), .flags = 0},
    {"n_tasks", "(SELECT COUNT(*) FROM tasks nt WHERE nt.plan_id = w.id)", FT_INT, W(n_tasks), .flags = 0},
    {"created_by", "w.created_by", FT_INT_NULL, W(created_by), .flags = FF_HIDDEN},
    {"created_at", "w.created_at", FT_TIME, W(created_at), .flags = 0},
    {"updated_at", "w.updated_at", FT_TIME, W(updated_at), .flags = 0},
    {0},
};
#undef W

struct plan_args {
    const principal *p;
    arena *a;
    int64_t id;
    const work_plan *in;
    work_plan *out;
};

int work_plans_get_issued(db *c, const principal *p, arena *a, int64_t id, work_plan *out)
{
    int rc = entity_get(c, &work_plan_entity, &p->scope, a, id, out);
    if (rc == DB_OK && !scope_covers(&p->scope, out->org_path)) return TASK_NOT_ISSUER;
    return rc;
}

static int save_cb(db *c, void *cls)
{
    struct plan_args *x = cls;
    work_plan before;
    const char *path = NULL;
    int rc = x->id ? work_plans_get_issued(c, x->p, x->a, x->id, &before)
                   : entity_org_path(c, &x->p->scope, x->a, x->in->org_id, PLAN_ORG_NOT_FOUND, &path);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    entity_value create[] = {{"org_path", .text = path}, {"status", .text = "draft"},
                             {"created_by", .i = x->p->user_id, .is_int = true}, {"created_at", .text = now},
                             {"updated_at", .text = now}, {0}};
    entity_value update[] = {{"updated_at", .text = now}, {0}};
    int64_t id = x->id;
    rc = entity_store(c, &work_plan_entity, "work_plans", x->id, x->in, x->id ? update : create, x->a, &id);
    /* the row this transaction just wrote */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &work_plan_entity, x->a, id, x->out);
    if (rc != DB_OK) return rc;
    return entity_audit(c, &work_plan_entity, actor_of(x->p), x->out->org_path, id, x->id ? "update" : "create",
                        x->id ? &before : NULL, x->out);
}

static int plan_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    struct plan_args x = {p, a, 0, in, out};
    return db_transaction(c, save_cb, &x);
}

static int plan_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    struct plan_args x = {p, a, id, in, out};
    return db_transaction(c, save_cb, &x);
}

/* Only a draft is deleted: a published plan's tasks are the units' record of what they owe. */
static int delete_cb(db *c, void *cls)
{
    struct plan_args *x = cls;
    work_plan before;
    int rc = work_plans_get_issued(c, x->p, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "draft") != 0) return PLAN_STATE;
    qb q;
    qb_init(&q, "DELETE FROM work_plans WHERE id = ?");
    qb_int(&q, x->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    return entity_audit(c, &work_plan_entity, actor_of(x->p), before.org_path, x->id, "delete", &before, NULL);
}

static int plan_remove(db *c, const principal *p, arena *a, int64_t id)
{
    struct plan_args x = {p, a, id, NULL, NULL};
    return db_transaction(c, delete_cb, &x);
}

/* Publishing tells every owner unit's admins and staff in the app (and by mail where chosen). */
static int notify_owners(db *c, arena *a, const work_plan *w)
{
    qb q;
    qb_init(&q, "SELECT DISTINCT ow.org_id FROM task_owners ow JOIN tasks t ON t.id = ow.task_id WHERE t.plan_id = ?");
    qb_int(&q, w->id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    /* read whole first: notify_org writes, and no statement stays open on the connection meanwhile */
    int n = 0, cap = 64, rc;
    int64_t *orgs = arena_alloc(a, sizeof *orgs * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            int64_t *more = arena_alloc(a, sizeof *orgs * (size_t)cap * 2);
            memcpy(more, orgs, sizeof *orgs * (size_t)n);
            orgs = more, cap *= 2;
        }
        orgs[n++] = db_col_int(s, 0);
    }
    db_finish(s);
    if (rc != DB_DONE) return rc;
    notify_msg m = {.kind = "task_due", .ref_id = w->id,
                    .title = arena_printf(a, "【工作要点】%s", w->title), .link = arena_printf(a, "/tasks/mine")};
    for (int i = 0; i < n; i++)
        if ((rc = notify_org(c, orgs[i], &m, NOTIFY_EMAIL, NULL)) != DB_OK) return rc;
    return DB_OK;
}

static int publish_cb(db *c, void *cls)
{
    struct plan_args *x = cls;
    work_plan before;
    int rc = work_plans_get_issued(c, x->p, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    if (strcmp(before.status, "draft") != 0 || before.n_tasks == 0) return PLAN_STATE;
    char now[32];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "UPDATE work_plans SET status = 'published', published_at = ?, updated_at = ? WHERE id = ?");
    qb_text(&q, now), qb_text(&q, now), qb_int(&q, x->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    /* the row this transaction just wrote */
    if ((rc = entity_get_unscoped(c, &work_plan_entity, x->a, x->id, x->out)) != DB_OK) return rc;
    if ((rc = notify_owners(c, x->a, x->out)) != DB_OK) return rc;
    return entity_audit(c, &work_plan_entity, actor_of(x->p), before.org_path, x->id, "publish", &before, x->out);
}

int work_plans_publish(db *c, const principal *p, arena *a, int64_t id, work_plan *out)
{
    struct plan_args x = {p, a, id, NULL, out};
    return db_transaction(c, publish_cb, &x);
}

entity work_plan_entity = {
    .name = "work_plan",
    .doc = "A work plan (工作要点): a unit's yearly work points, broken into tasks for the units below",
    .from = " FROM work_plans w JOIN orgs o ON o.id = w.org_id",
    .id_column = "w.id",
    .path_column = "w.org_path",
    .scope_rule = plan_scope,
    .order = " ORDER BY w.year DESC, w.id DESC",
    .size = sizeof(work_plan),
    .fields = plan_fields,
    .not_found = PLAN_NOT_FOUND,
    .org_not_found = PLAN_ORG_NOT_FOUND,
    .errors = task_errors,
    .create = plan_create,
    .update = plan_update,
    .remove = plan_remove,
};
