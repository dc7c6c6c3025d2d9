/* volunteers_todo.c - the volunteers' to-do sources (todo/todo.h), read through the scoped lists
 * of projects, sign-ups and memberships:
 *  - hours_confirm: projects that have ended, published or finished, whose hours are not yet
 *    confirmed (谁记录谁证明), soonest ended first; no deadline;
 *  - volunteer_approve: sign-ups pending for a project (due: the project's start, so reminders
 *    go to the team's unit before it) and applications to join a team pending, in one count;
 *    the items: the sign-ups soonest first, then the applications. */
#include "volunteers/projects.h"
#include "volunteers/volunteers.h"
#include "core/timeutil.h"
#include "todo/todo.h"
#include <string.h>

static int hours_confirm_collect(db *c, const principal *p, arena *a, int limit, todo_bucket *out)
{
    char now[40];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "");
    int rc = entity_list_where(c, &vproject_entity, &p->scope, a, 0, &q);
    if (rc != DB_OK) return rc;
    qb_sql(&q, " AND p.confirmed_at IS NULL AND p.status IN ('published', 'finished') AND p.ends_at < ?");
    qb_text(&q, now);
    return todo_collect_where(c, "SELECT p.id, p.title, NULL, t.name", vproject_entity.from, &q, " ORDER BY p.ends_at, p.id",
                              a, limit, "/volunteer-projects/", out);
}

const todo_source hours_confirm_source = {
    .kind = "hours_confirm", .menu = "/volunteer-projects", .min_rank = RANK_STAFF, .collect = hours_confirm_collect,
};

static int volunteer_approve_collect(db *c, const principal *p, arena *a, int limit, todo_bucket *out)
{
    todo_bucket signups, members;
    qb q;
    qb_init(&q, "");
    int rc = entity_list_where(c, &vsignup_entity, &p->scope, a, 0, &q);
    if (rc != DB_OK) return rc;
    qb_sql(&q, " AND u.status = 'pending'");
    rc = todo_collect_where(c, "SELECT p.id, v.name || ' · ' || p.title, p.starts_at, t.name", vsignup_entity.from, &q,
                            " ORDER BY p.starts_at, u.id", a, limit, "/volunteer-projects/", &signups);
    if (rc != DB_OK) return rc;
    qb_init(&q, "");
    rc = entity_list_where(c, &membership_entity, &p->scope, a, 0, &q);
    if (rc != DB_OK) return rc;
    qb_sql(&q, " AND m.status = 'pending'");
    rc = todo_collect_where(c, "SELECT t.id, v.name || ' · ' || t.name, NULL, NULL", membership_entity.from, &q,
                            " ORDER BY m.created_at, m.id", a, limit - signups.n, "/volunteer-teams/", &members);
    if (rc != DB_OK) return rc;
    *out = signups;
    out->count = signups.count + members.count;
    if (members.n) {
        todo_item *all = arena_alloc(a, sizeof *all * (size_t)(limit > 0 ? limit : 1));
        if (!all) return DB_ERR;
        if (signups.n) memcpy(all, signups.items, sizeof *all * (size_t)signups.n);
        memcpy(all + signups.n, members.items, sizeof *all * (size_t)members.n);
        out->items = all, out->n = signups.n + members.n;
    }
    return DB_OK;
}

/* The system's read: projects starting in [from, to) with sign-ups pending, to the team's unit. */
static int volunteer_approve_deadlines(db *c, arena *a, const char *from, const char *to, todo_deadline_fn fn, void *cls)
{
    return todo_deadlines_sql(c, a,
                              "SELECT p.id, p.title, p.starts_at, t.org_id, 0 FROM volunteer_projects p"
                              " JOIN volunteer_teams t ON t.id = p.team_id WHERE p.starts_at >= ? AND p.starts_at < ?"
                              " AND p.status = 'published' AND EXISTS (SELECT 1 FROM volunteer_signups u"
                              " WHERE u.project_id = p.id AND u.status = 'pending') ORDER BY p.starts_at, p.id",
                              from, to, "/volunteer-projects/", fn, cls);
}

const todo_source volunteer_approve_source = {
    .kind = "volunteer_approve", .menu = "/volunteer-projects", .min_rank = RANK_STAFF,
    .collect = volunteer_approve_collect, .deadlines_unscoped = volunteer_approve_deadlines,
};
