/* todo_internal.h - what the files of src/todo/ share: the gathered to-do, the routes of the
 * notifications, the worker, and the module's descriptor hooks (app_modules.c). */
#ifndef KEPU_TODO_INTERNAL_H
#define KEPU_TODO_INTERNAL_H
#include "todo/todo.h"

/* The sources the caller's rank admits with a count above 0 (struct group of todo_api.c), in the
 * arena; limit 0 reads counts only. */
struct todo_group_list {
    struct group *groups;
    int n;
};
int todo_gather(db *c, const principal *p, arena *a, int limit, struct todo_group_list *out);

void todo_register_routes(void);
void notifications_register_routes(void);

/* The reminder worker (reminders.c): started once by `kepu serve` when KEPU_REMINDER_TICK is not
 * 0; one pass (also the unit of its tests). */
void reminders_start(void);
int reminders_tick(db *c);

#endif
