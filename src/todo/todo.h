/* todo.h - the to-do home (待办, issue 16): what waits for a user, gathered from every module.
 *
 * A module declares its kinds of waiting things as sources (a notice unread, a reply owed, a plan
 * to review, a task due, ...) in its descriptor (app_modules.h, .todo_sources); GET /api/v1/todo
 * asks each source the caller's rank admits for a count and the first items, soonest due first.
 * Each source reads through the caller's principal, so scope holds as everywhere: a source never
 * builds its own scope check, it reads through the module's scoped queries or filters by p's
 * org (the things owed *by* the caller's own unit, not by the units it may see).
 *
 * Reminders before deadlines use a source's deadlines_unscoped() (todo_reminders.c): the system
 * walks the deadlines in a window and tells each user or unit through notify.h on the channels
 * each user chose.
 *
 * Ownership: sources are static and kept by reference; an item's strings live in the arena
 * given to collect. */
#ifndef KEPU_TODO_H
#define KEPU_TODO_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/query.h"
#include <stdbool.h>
#include <stdint.h>

/* One thing that waits. */
typedef struct todo_item {
    int64_t id;              /* the record's id (a notice, a plan, a task) */
    const char *title;       /* what it is: a notice's title, a plan's point and term */
    const char *due;         /* its deadline (RFC 3339 or YYYY-MM-DD); NULL: none */
    const char *link;        /* the UI path that opens it: "/notices/12" */
    const char *org_name;    /* whose it is, when not the caller's own unit; NULL otherwise */
} todo_item;

/* A source's answer: how many wait in all, and the first n of them (n <= the limit asked). */
typedef struct todo_bucket {
    int64_t count;
    int n;
    todo_item *items;        /* collect allocates it in the arena (limit items) */
} todo_bucket;

/* A deadline a reminder goes out before: to one user (user_id), or to the active admins and staff
 * of a unit (org_id, user_id 0). */
typedef struct todo_deadline {
    int64_t user_id, org_id;
    int64_t ref_id;          /* the record's id: with the source's kind, what was reminded of */
    const char *title, *due, *link;
} todo_deadline;

typedef int (*todo_deadline_fn)(db *c, const todo_deadline *d, void *cls);

typedef struct todo_source {
    const char *kind;        /* stable key, e.g. "notice_reply"; the UI's label is todo.kind.<kind> */
    const char *menu;        /* the UI menu path whose badge counts it: "/notices" */
    int min_rank;            /* RANK_* (principal.h): a caller below it is not asked */
    /* What waits for p: the count and the first `limit` items, soonest due first. DB_OK or a code. */
    int (*collect)(db *c, const principal *p, arena *a, int limit, todo_bucket *out);
    /* Optional (NULL: no reminders): every open deadline due in [from, to) (RFC 3339), handed to
     * fn one by one; stops at fn's first code other than DB_OK. The system's read, across units. */
    int (*deadlines_unscoped)(db *c, arena *a, const char *from, const char *to, todo_deadline_fn fn, void *cls);
} todo_source;

/* At start-up only (the module registry does it); a second call with the same kind is ignored. */
void todo_register_source(const todo_source *s);
int todo_source_count(void);
const todo_source *todo_source_at(int i);
const todo_source *todo_source_find(const char *kind);

/* The usual collect (todo_collect.c): where (started by entity_list_where() or the module's own
 * scoped query, released here) selects the records FROM from; cols selects four columns in order:
 * id, title, due, org name (due or org name may be NULL). count reads COUNT(*), then (limit > 0)
 * the first `limit` rows in order; each item's link is link_prefix followed by its id. Strings in a. */
int todo_collect_where(db *c, const char *cols, const char *from, qb *where, const char *order, arena *a, int limit,
                       const char *link_prefix, todo_bucket *out);
/* The usual deadlines_unscoped: sql selects id, title, due, org_id, user_id (0 or NULL: the unit's)
 * and takes two parameters, from and to; each row is handed to fn, link link_prefix + id. */
int todo_deadlines_sql(db *c, arena *a, const char *sql, const char *from, const char *to, const char *link_prefix,
                       todo_deadline_fn fn, void *cls);
/* The whole to-do (todo_api.c writes it): true when due is before now (a date: before today). */
bool todo_overdue(const char *due, const char *now);

#endif
