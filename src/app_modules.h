/* app_modules.h - the one list of modules. Each module has one descriptor here; serve, stats
 * verify/rebuild, bench-fill and demo walk the same list (app.c), so a module added to it is
 * never left out of one of them: its record types, routes, attachment and check-in kinds,
 * statistics sources (init) and demo step.
 *
 * Migrations are not in the descriptor: they are numbered SQL files embedded in one global
 * sequence (src/db/migrations, db_migrate), where tables of several modules reference each other
 * and the numbers order them across modules; splitting them per module would reorder them. */
#ifndef KEPU_APP_MODULES_H
#define KEPU_APP_MODULES_H
#include "demo/demo.h"

typedef struct kepu_module {
    const char *name;
    /* What the module tells the others at start, without HTTP: statistics sources and keyed
     * metrics, check-in kinds, org path copies, sections of the teacher's page. Every registry
     * ignores a second call, so init may run more than once. NULL: the module has none. */
    void (*init)(void);
    /* Adds the module's route tables (router_add_table); may call init again. The attachment
     * kinds (files/attachments.h) are referenced only by these tables. NULL: no routes. */
    void (*register_routes)(void);
    /* The module's part of the demo city (demo/demo.h), after the orgs and users and the steps
     * of the modules before it. NULL: nothing to fill. */
    int (*demo)(db *c, const demo_context *x);
    /* The module's declared record types (model/entity.h), NULL-terminated; registered (and
     * their select lists built) before the server's threads start. NULL: none. */
    struct entity *const *entities;
    /* Its kinds of attached files (files/attachments.h), whose routes the registry adds, and of
     * check-in (checkin/checkin.h), which the registry registers; NULL-terminated, NULL: none. */
    const struct attachment_kind *const *attachment_kinds;
    const struct checkin_kind *const *checkin_kinds;
    /* What waits for a user (todo/todo.h) and what a district is assessed on
     * (assessments/sources.h); NULL-terminated, NULL: none. */
    const struct todo_source *const *todo_sources;
    const struct assessment_source *const *assessment_sources;
} kepu_module;

/* In start-up order, ended by an entry whose name is NULL. */
extern const kepu_module kepu_modules[];

#endif
