/* signoffs.c - an upper level signs off (签认) a teaching point's completion of its teaching tasks
 * for a term (see signoffs.h): until issue 14 completion was only computed. The signer sits
 * strictly above the point (a district, street or the city, as for a plan's review) and sees it
 * in scope; the sign-off keeps the planned and held items of plans_completion_units() as the
 * signer saw them, the status (confirmed, returned with comments), who and when. One per point
 * and term; a revision replaces it and every version is in the audit log. */
#include "teaching/signoffs.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include <stddef.h>
#include <string.h>

static const char *const signoff_statuses[] = {"confirmed", "returned", NULL};

#define S(member) offsetof(signoff, member)
static const field signoff_fields[] = {
    {"id", "s.id", FT_ID, S(id), .flags = 0},
    {"org_id", "s.org_id", FT_ID, S(org_id), .flags = FF_CREATE | FF_REQUIRED, .doc = "a teaching point in scope (a list's ?org_id= is a subtree)"},
    {"org_name", "o.name", FT_TEXT, S(org_name), .flags = 0},
    {"year", "s.year", FT_INT, S(year), .flags = FF_CREATE | FF_REQUIRED | FF_FILTER, .min = 2000, .max = 2100},
    {"term", "s.term", FT_ENUM, S(term), .flags = FF_CREATE | FF_REQUIRED | FF_FILTER, .choices = teaching_terms,
     .doc = "spring, autumn, or year (every term of the year)"},
    {"status", "s.status", FT_ENUM, S(status), .flags = FF_WRITE | FF_REQUIRED | FF_FILTER, .choices = signoff_statuses,
     .doc = "confirmed (确认完成) or returned (退回, comments required)"},
    {"comments", "s.comments", FT_MULTILINE, S(comments), .flags = FF_WRITE, .max = 1000},
    {"planned", "s.planned", FT_INT, S(planned), .flags = 0, .doc = "items of approved plans when signed"},
    {"held", "s.held", FT_INT, S(held), .flags = 0, .doc = "items held when signed"},
    {"signed_by", "s.signed_by", FT_INT_NULL, S(signed_by), .flags = 0},
    {"signed_by_name", "u.name", FT_TEXT, S(signed_by_name), .flags = 0},
    {"signed_at", "s.signed_at", FT_TIME, S(signed_at), .flags = 0},
    {"created_at", "s.created_at", FT_TIME, S(created_at), .flags = 0},
    {"org_path", "s.org_path", FT_TEXT, S(org_path), .flags = FF_HIDDEN},
    {0},
};
#undef S

static const error_row signoff_errors[] = {
    {SIGNOFF_OWN_UNIT, 403, "forbidden", NULL, "须由上级单位签认 / only an upper level signs off a point's teaching"},
    {SIGNOFF_DUPLICATE, 409, "duplicate", "term", "该教学点本学期已签认，请修改原签认 / this point and term are signed off: "
                                                  "change that sign-off"},
    {TEACH_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {TEACH_NOT_POINT, 422, "invalid_field", "org_id", "应为教学点 / must be a teaching point"},
    {0},
};

/* A returned sign-off says why. */
static bool signoff_input(request *r, void *rec, bool creating)
{
    (void)creating;
    const signoff *x = rec;
    if (x->status && !strcmp(x->status, "returned") && (!x->comments || !*x->comments)) {
        reply_error(r, 422, "required", "comments", "退回时请填写意见 / comments are required when returning");
        return false;
    }
    return true;
}

/* Signers sit strictly above the point: their home org's path is a proper prefix of its path. */
static bool upper_level_of(const principal *p, const char *org_path)
{
    size_t n = p->org_path ? strlen(p->org_path) : 0;
    return n > 0 && strlen(org_path) > n && !strncmp(p->org_path, org_path, n);
}

struct sign_args {
    const principal *p;
    arena *a;
    int64_t id;            /* 0: create */
    const signoff *in;
    signoff *out;
};

static int sign_cb(db *c, void *cls)
{
    struct sign_args *w = cls;
    signoff before;
    org o;
    completion_unit u;
    char now[40];
    int rc = w->id ? entity_get(c, &signoff_entity, &w->p->scope, w->a, w->id, &before) : DB_OK;
    if (rc != DB_OK) return rc;
    const signoff *key = w->id ? &before : w->in;   /* point, year and term never change */
    if ((rc = teaching_point(c, w->p, w->a, key->org_id, &o)) != DB_OK) return rc;
    if (!upper_level_of(w->p, o.path)) return SIGNOFF_OWN_UNIT;
    rc = plans_completion_units(c, w->p, w->a, o.id, (int)key->year, strcmp(key->term, "year") ? key->term : NULL,
                                false, &u, NULL, NULL);
    if (rc != DB_OK) return rc;
    time_now_rfc3339(now);
    int64_t by = w->p->user_id, id = w->id;
    entity_value more[] = {{"org_path", .text = o.path}, {"planned", .i = u.planned, .is_int = true},
                           {"held", .i = u.held, .is_int = true}, {"signed_by", .i = by, .is_int = by != 0},
                           {"signed_at", .text = now}, /* on create only */ {w->id ? NULL : "created_at", .text = now},
                           {0}};
    rc = entity_store(c, &signoff_entity, "teaching_signoffs", w->id, w->in, more, w->a, &id);
    if (rc == DB_UNIQUE) return SIGNOFF_DUPLICATE;
    if (rc != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &signoff_entity, w->a, id, w->out)) != DB_OK)   /* just written */
        return rc;
    return entity_audit(c, &signoff_entity, actor_of(w->p), o.path, id, w->id ? "update" : "create",
                        w->id ? &before : NULL, w->out);
}

static int signoff_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return db_transaction(c, sign_cb, &(struct sign_args){p, a, 0, in, out});
}

static int signoff_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    return db_transaction(c, sign_cb, &(struct sign_args){p, a, id, in, out});
}

entity signoff_entity = {
    .name = "teaching_signoff",
    .doc = "An upper level's sign-off (签认) of a teaching point's completion for a term",
    .from = " FROM teaching_signoffs s JOIN orgs o ON o.id = s.org_id LEFT JOIN users u ON u.id = s.signed_by",
    .id_column = "s.id",
    .path_column = "s.org_path",
    .order = " ORDER BY s.year DESC, s.signed_at DESC, s.id DESC",
    .size = sizeof(signoff),
    .fields = signoff_fields,
    .not_found = SIGNOFF_NOT_FOUND,
    .org_not_found = TEACH_ORG_NOT_FOUND,
    .errors = signoff_errors,
    .create = signoff_create,
    .update = signoff_update,
    .input = signoff_input,
};

int signoff_find(db *c, const principal *p, arena *a, int64_t org_id, int year, const char *term, signoff *out)
{
    qb q;
    qb_init(&q, " AND s.org_id = ? AND s.year = ? AND s.term = ?");
    qb_int(&q, org_id), qb_int(&q, year), qb_text(&q, term);
    return entity_get_where(c, &signoff_entity, &p->scope, a, &q, out);
}

static const struct route signoff_routes[] = {
    {"GET", "/api/v1/teaching/signoffs", entity_handle_list, RANK_MEMBER, 0, .summary = "Sign-offs (签认) of points' teaching completion in scope", .entity = &signoff_entity},
    {"GET", "/api/v1/teaching/signoffs/:id", entity_handle_get, RANK_MEMBER, 0, .summary = "A sign-off of a point's teaching completion", .entity = &signoff_entity},
    {"POST", "/api/v1/teaching/signoffs", entity_handle_create, RANK_ORG_ADMIN, 0, .summary = "Sign off a point's teaching completion for a term (an upper level)", .entity = &signoff_entity},
    {"PATCH", "/api/v1/teaching/signoffs/:id", entity_handle_update, RANK_ORG_ADMIN, 0, .summary = "Revise a sign-off (status, comments)", .entity = &signoff_entity},
    {0},
};

void signoffs_init(void) { orgs_track_path_column("teaching_signoffs", "org_path"); }
void signoffs_register(void) { router_add_table(signoff_routes); }
