/* persons.c - issue 15, package J: calls for persons (eligible = persons, person_kind teacher |
 * volunteer; issue 18 adds resource, the resource library's approved resources, for the premium
 * selection). The subject of such an entry is the pool person the form's first person field of
 * the call's kind names ({"id": n}); the entry belongs to that person's unit, which the caller's
 * scope must cover (the unit itself, or a district for its subtree). The person must be of the
 * call's pool: a teacher certified, filed or in the city pool, a volunteer active, unless the
 * field lists its own "statuses". One standing (not withdrawn) entry per person and call: checked
 * here for a clear 409, guarded by the partial unique index of migration 027 for two creates at
 * once. */
#include "calls/calls_internal.h"
#include "calls/results.h"
#include "core/validate.h"
#include "orgs/orgs.h"
#include <string.h>

static const char *const teacher_pool[] = {"certified", "filed", "city_pool", NULL};
static const char *const volunteer_pool[] = {"active", NULL};
static const char *const resource_pool[] = {"approved", NULL};

static const subject_pool pools[] = {
    {"teacher", "SELECT org_id, name, status, org_path FROM teachers WHERE id = ?", teacher_pool},
    {"volunteer", "SELECT org_id, name, status, org_path FROM volunteers WHERE id = ?", volunteer_pool},
    {"resource", "SELECT org_id, title, status, org_path FROM resources WHERE id = ?", resource_pool},
    {0},
};

const subject_pool *calls_subject_pool(const char *kind)
{
    for (const subject_pool *p = pools; kind && p->kind; p++)
        if (!strcmp(p->kind, kind)) return p;
    return NULL;
}

/* The person field of kind in form: its key and its own "statuses" (NULL: the default pool). */
static const char *person_field(json_t *form, const char *kind, json_t **statuses)
{
    size_t i;
    json_t *d;
    json_array_foreach(form, i, d) {
        const char *type = json_string_value(json_object_get(d, "type"));
        const char *pk = json_string_value(json_object_get(d, "person_kind"));
        if (type && pk && !strcmp(type, "person") && !strcmp(pk, kind)) {
            *statuses = json_object_get(d, "statuses");
            return json_string_value(json_object_get(d, "key"));
        }
    }
    return NULL;
}

static bool in_pool(const subject_pool *pool, json_t *statuses, const char *status)
{
    if (json_is_array(statuses)) {
        size_t i;
        json_t *s;
        json_array_foreach(statuses, i, s) if (json_is_string(s) && !strcmp(json_string_value(s), status)) return true;
        return false;
    }
    return str_in_list(status, pool->statuses);
}

typedef struct person_row { int64_t org_id; const char *name, *status; } person_row;

/* The subject id of the pool (its table's own statement, never request text). DB_DONE: none. */
static int read_person(db *c, arena *a, const subject_pool *pool, int64_t id, person_row *out)
{
    qb q;
    qb_init(&q, pool->row_sql);
    qb_int(&q, id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        out->org_id = db_col_int(s, 0);
        out->name = arena_strdup(a, db_col_text(s, 1));
        out->status = arena_strdup(a, db_col_text(s, 2));
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc;
}

/* Whether the person already has a standing entry in the call. */
static int person_taken(db *c, int64_t call_id, const char *kind, int64_t id, bool *taken)
{
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM call_entries WHERE call_id = ? AND subject_kind = ? AND subject_id = ? AND status <> 'withdrawn' LIMIT 1");
    qb_int(&q, call_id), qb_text(&q, kind), qb_int(&q, id);
    int rc = qb_exec(c, &q, &one);
    *taken = rc == DB_OK;
    return rc == DB_DONE ? DB_OK : rc;
}

/* The pool person the values name, by the call's person field. */
static int named_person(const call_rec *call, json_t *values, int64_t *id, json_t **statuses, json_t **form)
{
    *form = call->form ? json_loads(call->form, 0, NULL) : NULL;
    const char *key = call->person_kind ? person_field(*form, call->person_kind, statuses) : NULL;
    json_t *v = key ? json_object_get(json_object_get(values, key), "id") : NULL;
    *id = json_is_integer(v) ? json_integer_value(v) : 0;
    return *id > 0 ? DB_OK : ENTRY_PERSON_MISSING;
}

int calls_person_entrant(db *c, const principal *p, arena *a, const call_rec *call, json_t *values, int64_t org_id, org *u,
                         entity_value subject[3])
{
    int64_t id;
    json_t *statuses = NULL, *form = NULL;
    int rc = named_person(call, values, &id, &statuses, &form);
    person_row who = {0};
    const subject_pool *pool = calls_subject_pool(call->person_kind);
    if (rc == DB_OK && !pool) rc = ENTRY_PERSON_NOT_IN_POOL;
    if (rc == DB_OK) rc = read_person(c, a, pool, id, &who);
    if (rc == DB_DONE) rc = ENTRY_PERSON_NOT_IN_POOL;
    if (rc == DB_OK && !in_pool(pool, statuses, who.status)) rc = ENTRY_PERSON_NOT_IN_POOL;
    json_decref(form);
    if (rc != DB_OK) return rc;
    if (org_id && org_id != who.org_id) return ENTRY_PERSON_ORG;
    /* the person's unit as the caller sees it: outside the scope reads as not in the pool */
    rc = orgs_get(c, p, a, who.org_id, u);
    if (rc == ORGS_NOT_FOUND) return ENTRY_PERSON_NOT_IN_POOL;
    bool taken = false;
    if (rc == DB_OK) rc = person_taken(c, call->id, call->person_kind, id, &taken);
    if (rc != DB_OK) return rc;
    if (taken) return ENTRY_PERSON_TAKEN;
    subject[0] = (entity_value){"subject_kind", .text = call->person_kind};
    subject[1] = (entity_value){"subject_id", .i = id, .is_int = true};
    subject[2] = (entity_value){"subject_name", .text = who.name};
    return DB_OK;
}
