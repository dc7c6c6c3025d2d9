/* org_targets.h - "target units", the one targeting shape of notices, meetings and tasks:
 * {"org_types": [...], "under": <org id>|null, "org_ids": [...]}, each key optional. The check
 * validates a body's value; the resolution turns a stored value into the units it names: the
 * strict descendants of the sender within the caller's scope, of the given types and/or within
 * `under`'s subtree, plus the named units.
 *
 * Memory: every text given out lives in the caller's arena; nothing here is to be freed. */
#ifndef KEPU_ORG_TARGETS_H
#define KEPU_ORG_TARGETS_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "db/query.h"
#include <jansson.h>

#define ORG_TARGETS_MAX_TYPES 8
#define ORG_TARGETS_MAX_IDS 20000

/* Checks v's shape, org types (orgs.h org_types) and limits; on success *out is v as compact
 * JSON in a and NULL is returned, else the (static) message. Fits an entity field's check_json. */
const char *org_targets_check(arena *a, json_t *v, const char **out);

/* Appends " FROM orgs o WHERE ..." selecting the units targets_json names (NULL: "{}") below
 * sender_path within sc to q, whose texts it copies into a. Returns DB_OK, `unknown` (the
 * module's own code) when `under` or a named unit lies outside those units, or a DB error;
 * q is complete (balanced) in every case, the caller frees it. */
int org_targets_where(db *c, const scope *sc, arena *a, const char *targets_json, const char *sender_path,
                      int unknown, qb *q);
#endif
