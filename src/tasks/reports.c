/* reports.c - progress reports of the owner units (进展报告) with evidence files, and the
 * issuer's answer: returned with a reason (退回) or accepted, which makes a task reported done
 * done on the day it was reported (see tasks.h). */
#include "tasks/tasks.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "files/attachments.h"
#include "model/entity.h"
#include "todo/notify.h"
#include <stddef.h>
#include <string.h>

static const char *const report_statuses[] = {"submitted", "accepted", "returned", NULL};

/* The reporting unit's side and the issuer's. */
static void report_scope(const scope *sc, qb *q)
{
    if (sc->level == SCOPE_ALL) return;
    qb_sql(q, " AND ((1 = 1");
    scope_filter(sc, q, "r.org_path");
    qb_sql(q, ") OR (1 = 1");
    scope_filter(sc, q, "r.plan_path");
    qb_sql(q, "))");
}

#define R(member) offsetof(task_report, member)
static const field report_fields[] = {
    {"id", "r.id", FT_ID, R(id), .flags = 0},
    {"task_id", "r.task_id", FT_ID, R(task_id), .flags = FF_FILTER},
    {"owner_id", "r.owner_id", FT_ID, R(owner_id), .flags = FF_HIDDEN},
    {"org_id", "r.org_id", FT_ID, R(org_id), .flags = 0},
    {"org_path", "r.org_path", FT_TEXT, R(org_path), .flags = FF_HIDDEN},
    {"plan_path", "r.plan_path", FT_TEXT, R(plan_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, R(org_name), .flags = 0},
    {"progress", "r.progress", FT_INT, R(progress), .flags = 0, .min = 0, .max = 100},
    {"text", "r.text", FT_MULTILINE, R(text), .flags = 0},
    {"done", "r.done", FT_BOOL, R(done), .flags = 0, .doc = "the unit says the task is done"},
    {"status", "r.status", FT_ENUM, R(status), .flags = FF_FILTER, .choices = report_statuses},
    {"reason", "r.reason", FT_TEXT, R(reason), .flags = 0, .doc = "why it was returned (退回理由)"},
    {"reported_by", "r.reported_by", FT_INT_NULL, R(reported_by), .flags = 0},
    {"reporter_name", "u.name", FT_TEXT, R(reporter_name), .flags = 0},
    {"reported_at", "r.reported_at", FT_TIME, R(reported_at), .flags = 0},
    {"decided_by", "r.decided_by", FT_INT_NULL, R(decided_by), .flags = 0},
    {"decided_at", "r.decided_at", FT_TIME, R(decided_at), .flags = 0},
    {0},
};
#undef R

entity task_report_entity = {
    .name = "task_report",
    .doc = "A progress report (进展报告) of an owner unit on a task",
    .from = " FROM task_reports r JOIN orgs o ON o.id = r.org_id LEFT JOIN users u ON u.id = r.reported_by",
    .id_column = "r.id",
    .path_column = "r.org_path",
    .scope_rule = report_scope,
    .order = " ORDER BY r.id DESC",
    .size = sizeof(task_report),
    .fields = report_fields,
    .not_found = TASK_REPORT_NOT_FOUND,
    .org_not_found = PLAN_ORG_NOT_FOUND,
    .errors = task_errors,
};

/* Evidence is added by the reporting unit while the report waits; the issuer reads it. */
static int report_writable(db *c, const principal *p, arena *a, int64_t id)
{
    task_report r;
    int rc = entity_get(c, &task_report_entity, &p->scope, a, id, &r);
    if (rc != DB_OK) return rc;
    return scope_covers(&p->scope, r.org_path) && !strcmp(r.status, "submitted") ? DB_OK : TASK_REPORT_NOT_FOUND;
}

const attachment_kind task_report_files = {
    .table = "task_report_files", .owner_table = "task_reports", .owner_col = "report_id",
    .audit_entity = "task_report_file", .noun = "每份进展报告", .max_per_owner = 20, .owner = &task_report_entity,
    .path = "/api/v1/task-reports/:id/files", .what = "a task's progress report (its evidence)",
    .writable = report_writable, .read_through_owner = true,
};

struct report_args {
    const principal *p;
    arena *a;
    int64_t task_id, org_id, progress, report_id;
    const char *text, *reason;
    bool done, accept;
};

static int owner_row(db *c, arena *a, int64_t task_id, int64_t org_id, int64_t *id, const char **path, bool *done)
{
    qb q;
    qb_init(&q, "SELECT id, org_path, done_at FROM task_owners WHERE task_id = ? AND org_id = ?");
    qb_int(&q, task_id), qb_int(&q, org_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *id = db_col_int(s, 0);
        *path = arena_strdup(a, db_col_text(s, 1));
        *done = !db_col_null(s, 2);
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? TASK_NOT_OWNER : rc;
}

static int add_cb(db *c, void *cls)
{
    struct report_args *x = cls;
    task_rec t;
    int rc = entity_get(c, &task_entity, &x->p->scope, x->a, x->task_id, &t);
    if (rc != DB_OK) return rc;
    if (strcmp(t.plan_status, "published") != 0) return PLAN_STATE;
    int64_t owner = 0;
    const char *path = NULL;
    bool done = false;
    if ((rc = owner_row(c, x->a, t.id, x->org_id, &owner, &path, &done)) != DB_OK) return rc;
    if (!scope_covers(&x->p->scope, path)) return TASK_NOT_OWNER;
    if (done) return TASK_DONE;
    int64_t progress = x->done ? 100 : x->progress;
    char now[32];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "INSERT INTO task_reports (task_id, owner_id, org_id, org_path, plan_path, progress, text, done, "
                "status, reported_by, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?) RETURNING id");
    qb_int(&q, t.id), qb_int(&q, owner), qb_int(&q, x->org_id), qb_text(&q, path), qb_text(&q, t.plan_path);
    qb_int(&q, progress), qb_text(&q, x->text), qb_int(&q, x->done), qb_int(&q, x->p->user_id), qb_text(&q, now);
    if ((rc = qb_exec(c, &q, &x->report_id)) != DB_OK) return rc;
    qb_init(&q, "UPDATE task_owners SET progress = ? WHERE id = ?");
    qb_int(&q, progress), qb_int(&q, owner);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    task_report r;
    /* the row this transaction just wrote */
    if ((rc = entity_get_unscoped(c, &task_report_entity, x->a, x->report_id, &r)) != DB_OK) return rc;
    return entity_audit(c, &task_report_entity, actor_of(x->p), path, r.id, "create", NULL, &r);
}

int task_reports_add(db *c, const principal *p, arena *a, int64_t task_id, int64_t org_id, int64_t progress,
                     const char *text, bool done, int64_t *report_id)
{
    struct report_args x = {.p = p, .a = a, .task_id = task_id, .org_id = org_id ? org_id : p->org_id,
                            .progress = progress, .text = text, .done = done};
    int rc = db_transaction(c, add_cb, &x);
    *report_id = x.report_id;
    return rc;
}

/* A returned report no longer counts: the owner's progress is its last report not returned. */
static int decide_cb(db *c, void *cls)
{
    struct report_args *x = cls;
    task_report before, after;
    int rc = entity_get(c, &task_report_entity, &x->p->scope, x->a, x->report_id, &before);
    if (rc != DB_OK) return rc;
    if (!scope_covers(&x->p->scope, before.plan_path)) return TASK_NOT_ISSUER;
    if (strcmp(before.status, "submitted") != 0) return TASK_REPORT_STATE;
    char now[32];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "UPDATE task_reports SET status = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?");
    qb_text(&q, x->accept ? "accepted" : "returned"), qb_text(&q, x->accept ? NULL : x->reason);
    qb_int(&q, x->p->user_id), qb_text(&q, now), qb_int(&q, before.id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if (x->accept && before.done) {
        qb_init(&q, "UPDATE task_owners SET done_at = ?, progress = 100 WHERE id = ?");
        qb_text(&q, before.reported_at), qb_int(&q, before.owner_id);
    } else if (!x->accept) {
        qb_init(&q, "UPDATE task_owners SET progress = COALESCE((SELECT r.progress FROM task_reports r WHERE "
                    "r.owner_id = ? AND r.status <> 'returned' ORDER BY r.id DESC LIMIT 1), 0) WHERE id = ?");
        qb_int(&q, before.owner_id), qb_int(&q, before.owner_id);
    }
    if ((x->accept && before.done) || !x->accept)
        if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if (!x->accept) {
        notify_msg m = {.kind = "task_due", .ref_id = before.task_id,
                        .title = arena_printf(x->a, "【任务退回】%s", x->reason), .link = "/tasks/mine"};
        if ((rc = notify_org(c, before.org_id, &m, 0, NULL)) != DB_OK) return rc;
    }
    /* the row this transaction just wrote */
    if ((rc = entity_get_unscoped(c, &task_report_entity, x->a, before.id, &after)) != DB_OK) return rc;
    return entity_audit(c, &task_report_entity, actor_of(x->p), before.org_path, before.id,
                        x->accept ? "accept" : "return", &before, &after);
}

int task_reports_decide(db *c, const principal *p, arena *a, int64_t report_id, bool accept, const char *reason)
{
    struct report_args x = {.p = p, .a = a, .report_id = report_id, .accept = accept, .reason = reason};
    return db_transaction(c, decide_cb, &x);
}
