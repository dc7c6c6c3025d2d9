/* selection.c - the excellent-teacher selection's model (see teachers.h). */
#include "teaching/teacher_internal.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "model/entity.h"
#include "orgs/orgs.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

const char *const selection_statuses[] = {"nominated", "approved", "rejected", NULL};

#define T(member) offsetof(selection, member)
static const field selection_fields[] = {
    {"id", "s.id", FT_ID, T(id), .flags = 0},
    {"year", "s.year", FT_INT, T(year), .flags = FF_CREATE | FF_REQUIRED | FF_FILTER, .min = 2000, .max = 2100},
    {"teacher_id", "s.teacher_id", FT_ID, T(teacher_id), .flags = FF_CREATE | FF_REQUIRED},
    {"teacher_name", "t.name", FT_TEXT, T(teacher_name), .flags = 0},
    {"teacher_org_name", "o.name", FT_TEXT, T(teacher_org_name), .flags = 0},
    {"teacher_unit", "t.unit", FT_TEXT, T(teacher_unit), .flags = 0},
    {"teacher_title", "t.title", FT_TEXT, T(teacher_title), .flags = 0},
    {"nominator_org_id", "s.nominator_org_id", FT_INT_NULL, T(nominator_org_id), .flags = 0},
    {"nominator_org_name", "n.name", FT_TEXT, T(nominator_org_name), .flags = 0},
    {"reason", "s.reason", FT_TEXT, T(reason), .flags = FF_CREATE | FF_REQUIRED, .max = 1000},
    {"status", "s.status", FT_ENUM, T(status), .flags = FF_FILTER, .choices = selection_statuses},
    {"decision_reason", "s.decision_reason", FT_TEXT, T(decision_reason), .flags = 0},
    {"nominated_at", "s.nominated_at", FT_TIME, T(nominated_at), .flags = 0},
    {"decided_at", "s.decided_at", FT_TIME, T(decided_at), .flags = 0},
    {"org_path", "s.org_path", FT_TEXT, T(org_path), .flags = FF_HIDDEN},
    {0},
};
#undef T

/* A nomination is visible where its teacher is (scope self: its own teachers'). Errors: the
 * teacher pool's (teacher_entity). */
struct nominate_args {
    const principal *p;
    arena *a;
    int64_t id;
    const selection *in;      /* nominate: year, teacher_id, reason */
    const char *reason;       /* decide */
    bool approve;
    selection *out;
};

static int nominate_cb(db *c, void *cls)
{
    struct nominate_args *x = cls;
    teacher t;
    int rc = entity_get(c, &teacher_entity, &x->p->scope, x->a, x->in->teacher_id, &t);
    if (rc != DB_OK) return rc == TCH_NOT_FOUND ? TCH_NO_TEACHER : rc;
    /* a district's org_admin (or the city's, or an admin) nominates within its own subtree */
    if ((rc = teachers_district_admin(c, x->p, x->a, t.org_path, false, TCH_NOT_DISTRICT)) != DB_OK) return rc;
    if (strcmp(t.status, "certified") && strcmp(t.status, "filed") && strcmp(t.status, "city_pool"))
        return TCH_WRONG_STATE;
    org nominator = {.id = x->p->org_id};
    if (!nominator.id && (rc = teachers_district_of(c, x->a, t.org_path, &nominator)) != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    qb q;
    int64_t id = 0;
    qb_init(&q, "INSERT INTO teacher_selections (year, teacher_id, org_path, nominator_org_id, reason, status, "
                "nominated_by, nominated_at) VALUES (?, ?, ?, ?, ?, 'nominated', ?, ?) "
                "ON CONFLICT (year, teacher_id) DO NOTHING RETURNING id");
    qb_int(&q, x->in->year), qb_int(&q, t.id), qb_text(&q, t.org_path), qb_int(&q, nominator.id);
    qb_text(&q, x->in->reason);
    qb_int_or_null(&q, x->p->user_id), qb_text(&q, now);
    rc = qb_exec(c, &q, &id);
    if (rc == DB_DONE || rc == DB_UNIQUE) return TCH_DUPLICATE;
    if (rc != DB_OK) return rc < 0 ? rc : DB_ERR;
    /* the row this transaction just wrote */
    if ((rc = entity_get_unscoped(c, &selection_entity, x->a, id, x->out)) != DB_OK) return rc;
    return entity_audit(c, &selection_entity, actor_of(x->p), t.org_path, id, "nominate", NULL, x->out);
}

int selections_nominate(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return db_transaction(c, nominate_cb, &(struct nominate_args){p, a, 0, in, NULL, false, out});
}

static int decide_cb(db *c, void *cls)
{
    struct nominate_args *x = cls;
    selection before;
    int rc = entity_get(c, &selection_entity, &x->p->scope, x->a, x->id, &before);
    if (rc != DB_OK) return rc;
    if (!teachers_caller_is_city(x->p)) return TCH_NOT_CITY;
    if (strcmp(before.status, "nominated")) return TCH_WRONG_STATE;
    char now[32];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "UPDATE teacher_selections SET status = ?, decision_reason = ?, decided_by = ?, decided_at = ? "
                "WHERE id = ?");
    qb_text(&q, x->approve ? "approved" : "rejected"), qb_text(&q, x->reason), qb_int_or_null(&q, x->p->user_id);
    qb_text(&q, now), qb_int(&q, x->id);
    rc = qb_exec(c, &q, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &selection_entity, x->a, x->id, x->out);   /* just written */
    if (rc != DB_OK) return rc;
    return entity_audit(c, &selection_entity, actor_of(x->p), before.org_path, x->id, x->approve ? "approve" : "reject",
                        &before, x->out);
}

int selections_decide(db *c, const principal *p, arena *a, int64_t id, bool approve, const char *reason,
                      selection *out)
{
    return db_transaction(c, decide_cb, &(struct nominate_args){p, a, id, NULL, reason, approve, out});
}

entity selection_entity = {
    .name = "teacher_selection", .doc = "A nomination of the excellent-teacher selection (优秀教师评选)",
    .from = " FROM teacher_selections s JOIN teachers t ON t.id = s.teacher_id JOIN orgs o ON o.id = t.org_id "
            "LEFT JOIN orgs n ON n.id = s.nominator_org_id",
    .id_column = "s.id", .path_column = "s.org_path", .owner_column = "t.created_by",
    .order = " ORDER BY s.year DESC, s.id", .size = sizeof(selection), .fields = selection_fields,
    .not_found = TCH_NOT_FOUND, .org_not_found = TCH_ORG_NOT_FOUND, .errors = teacher_errors,
    .create = selections_nominate,
};
