/* org_targets.c - the targeting shape shared by notices, meetings and tasks (org_targets.h): its
 * check, and its resolution into " FROM orgs o WHERE ..." for one INSERT ... SELECT per module. */
#include "orgs/org_targets.h"
#include "core/validate.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include <stdlib.h>
#include <string.h>

static const char msg_shape[] =
    "发送范围应为 {org_types, under, org_ids} / target units: {org_types: [...], under: id, org_ids: [...]}";

static bool check_member(const char *key, json_t *v)
{
    json_t *x;
    size_t i;
    bool ok = true;
    if (!strcmp(key, "org_types")) {
        ok = json_is_array(v) && json_array_size(v) <= ORG_TARGETS_MAX_TYPES;
        json_array_foreach(v, i, x) ok = ok && json_is_string(x) && str_in_list(json_string_value(x), org_types);
    } else if (!strcmp(key, "org_ids")) {
        ok = json_is_array(v) && json_array_size(v) <= ORG_TARGETS_MAX_IDS;
        json_array_foreach(v, i, x) ok = ok && json_is_integer(x) && json_integer_value(x) > 0;
    } else if (!strcmp(key, "under")) {
        ok = json_is_null(v) || (json_is_integer(v) && json_integer_value(v) > 0);
    } else {
        ok = false;
    }
    return ok;
}

const char *org_targets_check(arena *a, json_t *v, const char **out)
{
    const char *key;
    json_t *m;
    if (!json_is_object(v)) return msg_shape;
    json_object_foreach(v, key, m) if (!check_member(key, m)) return msg_shape;
    char *s = json_dumps(v, JSON_COMPACT);
    if (!s) return msg_shape;
    *out = arena_strdup(a, s);
    free(s);
    return NULL;
}

/* " o.path strictly below sender, within sc" (shared by the selection and the named-unit check) */
static void below_sender(const scope *sc, arena *a, const char *sender_path, qb *q)
{
    qb_sql(q, " FROM orgs o WHERE o.path > ? AND o.path < ?");
    qb_text(q, sender_path), qb_text(q, path_upper_bound(a, sender_path));
    scope_filter(sc, q, "o.path");
}

static void id_list(qb *q, json_t *ids)
{
    json_t *v;
    size_t i;
    json_array_foreach(ids, i, v) qb_sql(q, i ? ", ?" : "?"), qb_int(q, json_integer_value(v));
    qb_sql(q, ")");
}

/* Every named unit (duplicates counted once) among those below the sender. */
static int check_named(db *c, const scope *sc, arena *a, const char *sender_path, json_t *ids, int unknown)
{
    qb chk;
    qb_init(&chk, "SELECT COUNT(DISTINCT o.id)");
    below_sender(sc, a, sender_path, &chk);
    qb_sql(&chk, " AND o.id IN (");
    id_list(&chk, ids);
    json_t *uniq = json_object(), *v;
    size_t i;
    json_array_foreach(ids, i, v) json_object_set(uniq, arena_printf(a, "%lld", (long long)json_integer_value(v)), v);
    size_t want = json_object_size(uniq);
    json_decref(uniq);
    int64_t found = 0;
    int rc = qb_exec(c, &chk, &found);
    if (rc != DB_OK) return rc;
    return found == (int64_t)want ? DB_OK : unknown;
}

/* `under`'s path when it is the sender or a unit below it, within sc; else `unknown` */
static int under_path(db *c, const scope *sc, arena *a, const char *sender_path, int64_t under, int unknown,
                      const char **path)
{
    int rc = entity_org_path(c, sc, a, under, unknown, path);
    if (rc != DB_OK) return rc;
    return strncmp(*path, sender_path, strlen(sender_path)) == 0 ? DB_OK : unknown;
}

int org_targets_where(db *c, const scope *sc, arena *a, const char *targets_json, const char *sender_path,
                      int unknown, qb *q)
{
    /* the query keeps pointers to its texts: those of t are copied into a, t is freed here */
    json_t *t = json_loads(targets_json ? targets_json : "{}", 0, NULL), *v;
    json_t *types = json_object_get(t, "org_types"), *ids = json_object_get(t, "org_ids");
    int64_t under = json_integer_value(json_object_get(t, "under"));
    const char *upath = NULL;
    size_t i;
    int rc = under ? under_path(c, sc, a, sender_path, under, unknown, &upath) : DB_OK;
    below_sender(sc, a, sender_path, q);
    qb_sql(q, " AND (1 = 0");
    if (json_array_size(types) || upath) {
        qb_sql(q, " OR (1 = 1");
        if (upath) qb_subtree(q, a, "o.path", upath);
        if (json_array_size(types)) {
            qb_sql(q, " AND o.type IN (");
            json_array_foreach(types, i, v) qb_sql(q, i ? ", ?" : "?"), qb_text(q, arena_strdup(a, json_string_value(v)));
            qb_sql(q, ")");
        }
        qb_sql(q, ")");
    }
    if (json_array_size(ids)) {
        qb_sql(q, " OR o.id IN (");
        id_list(q, ids);
        if (rc == DB_OK) rc = check_named(c, sc, a, sender_path, ids, unknown);
    }
    qb_sql(q, ")");
    json_decref(t);
    return rc;
}
