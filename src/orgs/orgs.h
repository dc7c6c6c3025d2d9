/* orgs.h - the organization tree (docs/domain.md §1): any depth, seven node types, a materialized
 * path per node so that "this node and everything below" is one indexed range.
 *
 * Every function takes the caller's principal and sees only nodes inside its scope: a node
 * outside is reported as ORGS_NOT_FOUND, exactly like a missing one. Writes are audited in the
 * same transaction. Strings of a returned org live in the given arena. */
#ifndef KEPU_ORGS_H
#define KEPU_ORGS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "core/jsonw.h"
#include <jansson.h>

enum {
    ORGS_NOT_FOUND = -100,
    ORGS_INTO_DESCENDANT = -101,
    ORGS_NOT_EMPTY = -102,
    ORGS_IS_ROOT = -103,
    ORGS_OUT_OF_REACH = -104,   /* the result would fall outside the caller's own scope */
    ORGS_DUPLICATE_CODE = -105,
    ORGS_PARENT_ONLY = -106,    /* a node's own type, code or name: its parent's scope decides */
    ORGS_ORG_NOT_FOUND = -107,  /* the list's ?org_id= missing or outside scope */
    ORGS_PARENT_NOT_FOUND = -108,   /* the HTTP writers' parent_id missing or outside scope */
    ORGS_MOVE_DOUBLE_COUNT = -109,  /* a module's move check: the new ancestors would count a record twice */
};

typedef struct org {
    int64_t id, parent_id;      /* parent_id 0 for the root */
    int64_t population;         /* residents (常住人口); 0 when not entered */
    const char *type, *name, *code, *path, *created_at, *updated_at;
    int depth;
} org;

extern const char *const org_types[];   /* NULL-terminated */

typedef struct org_filter {
    int64_t parent_id;          /* 0: any */
    const char *type, *q;       /* NULL: any */
} org_filter;

int orgs_get(db *c, const principal *p, arena *a, int64_t id, org *out);
/* Any node, whatever the caller's scope. Only for a caller that is no user: the public volunteer
 * registration registers at the node its page names (volunteers_create_unscoped). */
int orgs_get_unscoped(db *c, arena *a, int64_t id, org *out);
/* The declared record (model/entity.h): its JSON, scoped reads and error table. */
extern struct entity org_entity;
/* Writes the page of matching nodes as a JSON array into items; *total counts all matches. */
int orgs_list(db *c, const principal *p, arena *a, const org_filter *f, int64_t limit,
              int64_t offset, jw *items, int64_t *total);
/* The subtree of id (or the caller's whole visible forest when id is 0) as nested JSON. */
int orgs_tree(db *c, const principal *p, arena *a, int64_t id, json_t **out);

/* Creates the node in (parent_id, type, name, code and population; the rest is ignored), as
 * orgs_create() does. */
int orgs_create_record(db *c, const principal *p, arena *a, const org *in, org *out);
int orgs_create(db *c, const principal *p, arena *a, int64_t parent_id, const char *type,
                const char *name, const char *code, org *out);
/* Changes the given fields (NULL: unchanged; code "" clears it); new_parent 0: no move.
 * A change of type, name or code needs a scope that covers the parent: ORGS_PARENT_ONLY. */
int orgs_update(db *c, const principal *p, arena *a, int64_t id, const char *type,
                const char *name, const char *code, int64_t new_parent, org *out);
/* The same, also setting the resident population (NULL: unchanged; 0 clears it). */
int orgs_update_population(db *c, const principal *p, arena *a, int64_t id, const char *type, const char *name,
                           const char *code, int64_t new_parent, const int64_t *population, org *out);
int orgs_delete(db *c, const principal *p, arena *a, int64_t id);

/* For tools (demo, bootstrap): creates the root or a child without a caller. */
int orgs_create_system(db *c, arena *a, int64_t parent_id, const char *type, const char *name,
                       const char *code, org *out);

/* A module whose records keep a copy of their org's path (for scoped, indexed filtering)
 * registers the column here; moving a subtree rewrites those copies in the same transaction.
 * table and column must be static names of the module's own schema. */
void orgs_track_path_column(const char *table, const char *column);
/* A module whose records may not sit both at a node and at one of its ancestors (literacy
 * survey rows: the roll-up would count them twice) registers a check of moves: fn(c, path,
 * new_parent_path) answers DB_OK, ORGS_MOVE_DOUBLE_COUNT to refuse moving the subtree at path
 * under the node at new_parent_path, or a DB code. Run in the move's transaction, before it. */
typedef int (*orgs_move_check)(db *c, const char *path, const char *new_parent_path);
void orgs_register_move_check(orgs_move_check fn);

/* Tells the statistics how to find nodes (orgs.c): the node source of stats/stats.h. */
void orgs_init(void);
void orgs_register_routes(void);
/* GET /orgs/import/template.xlsx and POST /orgs/import (orgs_import.c). */
void orgs_import_register_routes(void);

#endif
