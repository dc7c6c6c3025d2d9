/* calls_todo.c - the calls' to-do source (todo/todo.h): call_entry_due, the open calls the
 * caller's unit may enter (as GET /calls?mine=1 selects them: owned above it, its type eligible or
 * the unit named) where it is below its quota (its minimum, or none entered yet when the call sets
 * none) or has entries returned to it; due = the call's deadline. Reminders go to the units behind
 * before the deadline (their active admins and staff, reminders.c). */
#include "calls/calls_internal.h"
#include "todo/todo.h"
#include <stdio.h>

/* The unit's own count of entries against its minimum (its row of call_units, else the call's). */
#define OWES                                                                                               \
    " AND (COALESCE((SELECT k.submitted FROM call_unit_counts k WHERE k.call_id = c.id AND k.org_id = %s), 0) <" \
    " CASE WHEN COALESCE((SELECT un.min_entries FROM call_units un WHERE un.call_id = c.id AND un.stage_no = 0"  \
    " AND un.org_id = %s), c.min_per_unit) > 0 THEN COALESCE((SELECT un.min_entries FROM call_units un"        \
    " WHERE un.call_id = c.id AND un.stage_no = 0 AND un.org_id = %s), c.min_per_unit) ELSE 1 END"              \
    " OR COALESCE((SELECT k.returned FROM call_unit_counts k WHERE k.call_id = c.id AND k.org_id = %s), 0) > 0)"

#define ELIGIBLE(TYPE, ORG)                                                                                   \
    " AND ((c.eligible = 'types' AND (c.eligible_types IS NULL OR c.eligible_types LIKE '%\"' || " TYPE       \
    " || '\"%')) OR (c.eligible = 'named' AND EXISTS (SELECT 1 FROM call_units u WHERE u.call_id = c.id"      \
    " AND u.stage_no = 0 AND u.org_id = " ORG ")))"

static int call_entry_due_collect(db *c, const principal *p, arena *a, int limit, todo_bucket *out)
{
    if (!p->org_path) return DB_OK;
    qb q;
    qb_init(&q, "");
    int rc = entity_list_where(c, &call_entity, &p->scope, a, 0, &q);
    if (rc != DB_OK) return rc;
    qb_sql(&q, " AND c.status = 'open' AND c.org_path <> ? AND substr(?, 1, length(c.org_path)) = c.org_path");
    qb_text(&q, p->org_path), qb_text(&q, p->org_path);
    qb_sql(&q, ELIGIBLE("(SELECT type FROM orgs WHERE id = ?)", "?"));
    qb_int(&q, p->org_id), qb_int(&q, p->org_id);
    char owes[1024];
    snprintf(owes, sizeof owes, OWES, "?", "?", "?", "?");
    qb_sql(&q, owes);
    for (int i = 0; i < 4; i++) qb_int(&q, p->org_id);
    return todo_collect_where(c, "SELECT c.id, c.title, c.deadline, o.name", call_entity.from, &q,
                              " ORDER BY c.deadline, c.id", a, limit, "/calls/", out);
}

/* The system's read: every unit below an open call's owner, eligible and behind, for the calls
 * due in [from, to). */
static int call_entry_due_deadlines(db *c, arena *a, const char *from, const char *to, todo_deadline_fn fn, void *cls)
{
    static char sql[2048];
    if (!sql[0]) {
        char owes[1024];
        snprintf(owes, sizeof owes, OWES, "e.id", "e.id", "e.id", "e.id");
        snprintf(sql, sizeof sql, "%s%s%s",
                 "SELECT c.id, c.title, c.deadline, e.id, 0 FROM calls c JOIN orgs e"
                 " ON substr(e.path, 1, length(c.org_path)) = c.org_path AND e.path <> c.org_path"
                 " WHERE c.status = 'open' AND c.deadline >= ? AND c.deadline < ?" ELIGIBLE("e.type", "e.id"),
                 owes, " ORDER BY c.deadline, c.id, e.id");
    }
    return todo_deadlines_sql(c, a, sql, from, to, "/calls/", fn, cls);
}

const todo_source call_entry_due_source = {
    .kind = "call_entry_due", .menu = "/my-calls", .min_rank = RANK_STAFF, .collect = call_entry_due_collect,
    .deadlines_unscoped = call_entry_due_deadlines,
};

/* review_assigned: my score sheets not submitted (assigned, or reopened to me) in a round still
 * open, oldest assigned first. Rounds have no end date: no deadline, no reminders. Read through
 * the sheets' own rule (the reviewer's own rows). */
static int review_assigned_collect(db *c, const principal *p, arena *a, int limit, todo_bucket *out)
{
    qb q;
    qb_init(&q, "");
    int rc = entity_list_where(c, &call_review_entity, &p->scope, a, 0, &q);
    if (rc != DB_OK) return rc;
    qb_sql(&q, " AND r.status IN ('assigned', 'reopened') AND EXISTS (SELECT 1 FROM call_rounds rd WHERE"
               " rd.call_id = r.call_id AND rd.round_no = r.round_no AND rd.status = 'open')");
    return todo_collect_where(c, "SELECT r.id, e.title, NULL, c.title", call_review_entity.from, &q,
                              " ORDER BY r.assigned_at, r.id", a, limit, "/reviews/", out);
}

const todo_source review_assigned_source = {
    .kind = "review_assigned", .menu = "/reviews", .min_rank = RANK_REVIEWER, .collect = review_assigned_collect,
};
