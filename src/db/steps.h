/* steps.h - workflow step history: the one writer behind every "<entity>_steps" table.
 *
 * A step table records each move of a record's status: the record's id, perhaps its org path
 * (so a scope can read the history), the action, the status before and after, a reason, who
 * acted (user id and name, perhaps their org) and when. Tables name these columns their own
 * way; a descriptor of constants says which, and db_steps_add writes
 *     INSERT INTO <table> (<owner>[, <path>], action, from_status, to_status, reason,
 *                          <user_id>, <user_name>[, <org_id>], at) VALUES (?, ...)
 * Readers stay with their module: each answers its own JSON shape. */
#ifndef KEPU_DB_STEPS_H
#define KEPU_DB_STEPS_H
#include "db/db.h"
#include <stdint.h>

/* Table and column names are constants of the owning module, never request text. */
typedef struct db_steps {
    const char *table;       /* "teacher_steps" */
    const char *owner;       /* the record's id column: "teacher_id" */
    const char *path;        /* the record's org path column, or NULL when the table has none */
    const char *user_id;     /* "actor_id" */
    const char *user_name;   /* "actor_name" */
    const char *org_id;      /* the actor's org column, or NULL when the table has none */
} db_steps;

/* One step. user_id and org_id 0 are stored as NULL (a public or system principal); texts are
 * borrowed, NULL stored as NULL; path and org_id are ignored when the table has no column. */
typedef struct db_step {
    int64_t owner_id;
    const char *path, *action, *from, *to, *reason;
    int64_t user_id;
    const char *user_name;
    int64_t org_id;
    const char *at;          /* RFC 3339 */
} db_step_entry;

/* Appends the step inside the caller's transaction. DB_OK or a DB code. */
int db_steps_add(db *c, const db_steps *d, const db_step_entry *s);

#endif
