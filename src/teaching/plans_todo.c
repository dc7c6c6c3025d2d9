/* plans_todo.c - the teaching plans' to-do source (todo/todo.h): plan_review, the plans submitted
 * by the points below the caller's unit and awaiting its review (审核), oldest submitted first, as
 * the district's teaching home lists them (teaching_home.c "awaiting"). Read through the plans'
 * scoped list; a reviewer sits strictly above the point (plans.c upper_level_of), so the caller's
 * own unit's plans are left out. Plans have no deadline: no reminders. */
#include "teaching/teaching.h"
#include "todo/todo.h"

static int plan_review_collect(db *c, const principal *p, arena *a, int limit, todo_bucket *out)
{
    qb q;
    qb_init(&q, "");
    int rc = entity_list_where(c, &plan_entity, &p->scope, a, 0, &q);
    if (rc != DB_OK) return rc;
    qb_sql(&q, " AND x.status = 'submitted'");
    qb_subtree(&q, a, "x.org_path", p->org_path ? p->org_path : "/");
    qb_sql(&q, " AND x.org_path <> ?");
    qb_text(&q, p->org_path ? p->org_path : "/");
    return todo_collect_where(c, "SELECT x.id, x.title, NULL, o.name", plan_entity.from, &q,
                              " ORDER BY x.submitted_at, x.id", a, limit, "/plans/", out);
}

const todo_source plan_review_source = {
    .kind = "plan_review", .menu = "/plans", .min_rank = RANK_ORG_ADMIN, .collect = plan_review_collect,
};
