/* experts.c - the standing expert pool (专家库, issue 15 package H; table expert_pool, 026):
 * GET/POST /experts, GET/PATCH /experts/:id. A call's managers take its reviewers from it
 * (POST /calls/:id/reviewers {expert_id}, review_api.c), B's conflict rule unchanged.
 *
 * A member is always an account (user_id): the one the expert signs in with to score. Which
 * account may join: an active account of the role `reviewer` at any node (experts come from
 * every district), or any active account within the caller's own scope (a staff member who also
 * reviews). A member may also name the city-pool teacher it is (teacher_id, a teacher the caller
 * sees); the teacher pool has no accounts, so the account stays the key.
 *
 * Scope: the path of the unit keeping the entry (org_id, default the caller's unit), not where
 * the expert works: a city's pool is the city's managers', a district's its own. Audited. */
#include "calls/calls_internal.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include "teaching/teachers.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct expert {
    int64_t id, org_id, user_id, teacher_id;
    const char *org_path, *org_name, *username, *user_role, *name, *specialties, *affiliation, *created_at, *updated_at;
    bool active;
} expert;

static const error_row expert_errors[] = {
    {EXPERT_NOT_FOUND, 404, "not_found", NULL, "专家不存在 / expert not found"},
    {EXPERT_ORG_NOT_FOUND, 404, "not_found", "org_id", "机构不存在 / organization not found"},
    {EXPERT_USER_UNKNOWN, 404, "not_found", "user_id",
     "账号不存在、已停用，或既非评审专家角色也不在本单位范围内 / no such active reviewer account, nor an account in your scope"},
    {EXPERT_TEACHER_UNKNOWN, 404, "not_found", "teacher_id", "师资库中没有该教师 / no such teacher in the pool"},
    {EXPERT_DUPLICATE, 409, "duplicate", "user_id", "该账号已在本单位专家库中 / the account is already in this pool"},
    {0},
};

#define X(member) offsetof(expert, member)
static const field expert_fields[] = {
    {"id", "x.id", FT_ID, X(id), .flags = 0},
    {"org_id", "x.org_id", FT_ID, X(org_id), .flags = FF_CREATE, .doc = "the unit keeping the entry (default: the caller's)"},
    {"org_name", "o.name", FT_TEXT, X(org_name), .flags = 0},
    {"org_path", "x.org_path", FT_TEXT, X(org_path), .flags = FF_HIDDEN},
    {"user_id", "x.user_id", FT_ID, X(user_id), .flags = FF_CREATE | FF_REQUIRED,
     .doc = "the expert's account: of the role reviewer (any node), or any account in the caller's scope"},
    {"username", "u.username", FT_TEXT, X(username), .flags = 0},
    {"user_role", "u.role", FT_TEXT, X(user_role), .flags = 0},
    {"teacher_id", "x.teacher_id", FT_INT_NULL, X(teacher_id), .flags = FF_WRITE, .doc = "the city-pool teacher it is, if any"},
    {"name", "x.name", FT_TEXT, X(name), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 50, .example = "\"李教授\""},
    {"specialties", "x.specialties", FT_TEXT_LIST, X(specialties), .flags = FF_WRITE, .max = 10, .item_chars = 30,
     .example = "[\"物理\", \"科学教育\"]"},
    {"affiliation", "x.affiliation", FT_TEXT, X(affiliation), .flags = FF_WRITE, .max = 100,
     .doc = "where the expert works (工作单位)", .example = "\"重庆大学\""},
    {"active", "x.active", FT_BOOL, X(active), .flags = FF_UPDATE | FF_FILTER},
    {"created_at", "x.created_at", FT_TIME, X(created_at), .flags = 0},
    {"updated_at", "x.updated_at", FT_TIME, X(updated_at), .flags = 0},
    {0},
};
#undef X

static int experts_create(db *c, const principal *p, arena *a, const void *in, void *out);
static int experts_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out);

entity expert_entity = {
    .name = "expert",
    .doc = "A member of an expert pool (专家库): an account that reviews, its specialties",
    .from = " FROM expert_pool x JOIN orgs o ON o.id = x.org_id JOIN users u ON u.id = x.user_id",
    .id_column = "x.id",
    .path_column = "x.org_path",
    .order = " ORDER BY x.id",
    .size = sizeof(expert),
    .fields = expert_fields,
    .not_found = EXPERT_NOT_FOUND,
    .org_not_found = EXPERT_ORG_NOT_FOUND,
    .errors = expert_errors,
    .create = experts_create,
    .update = experts_update,
};

/* The account may join: active, and of the role reviewer or within the caller's scope. */
static int check_user(db *c, const principal *p, int64_t user_id)
{
    qb q;
    qb_init(&q, "SELECT 1 FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.id = ? AND u.active = 1 AND (u.role = 'reviewer'");
    qb_int(&q, user_id);
    if (p->scope.level == SCOPE_ALL) qb_sql(&q, " OR 1 = 1");
    else if (p->scope.n) qb_sql(&q, " OR (1 = 1"), scope_filter(&p->scope, &q, "o.path"), qb_sql(&q, ")");
    qb_sql(&q, ")");
    int64_t one = 0;
    int rc = qb_exec(c, &q, &one);
    return rc == DB_DONE ? EXPERT_USER_UNKNOWN : rc;
}

static int check_teacher(db *c, const principal *p, arena *a, int64_t teacher_id)
{
    if (!teacher_id) return DB_OK;
    void *t = arena_alloc(a, teacher_entity.size);
    int rc = t ? entity_get(c, &teacher_entity, &p->scope, a, teacher_id, t) : DB_ERR;
    return rc == teacher_entity.not_found ? EXPERT_TEACHER_UNKNOWN : rc;
}

struct write { const principal *p; arena *a; int64_t id; const expert *in; expert *before, *out; };

static int create_cb(db *c, void *cls)
{
    struct write *w = cls;
    const expert *in = w->in;
    const char *path;
    int64_t org_id = in->org_id ? in->org_id : w->p->org_id, id = 0;
    int rc = entity_org_path(c, &w->p->scope, w->a, org_id, EXPERT_ORG_NOT_FOUND, &path);
    if (rc == DB_OK) rc = check_user(c, w->p, in->user_id);
    if (rc == DB_OK) rc = check_teacher(c, w->p, w->a, in->teacher_id);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    expert rec = *in;
    rec.org_id = org_id;
    if (!rec.specialties) rec.specialties = "[]";
    entity_value more[] = {{"org_path", .text = path}, {"active", .i = 1, .is_int = true},
                           {"created_by", .i = w->p->user_id, .is_int = true}, {"created_at", .text = now},
                           {"updated_at", .text = now}, {0}};
    rc = entity_store(c, &expert_entity, "expert_pool", 0, &rec, more, w->a, &id);
    if (rc == DB_UNIQUE) return EXPERT_DUPLICATE;
    if (rc == DB_OK) rc = entity_get_unscoped(c, &expert_entity, w->a, id, w->out);   /* just written */
    if (rc == DB_OK) rc = entity_audit(c, &expert_entity, actor_of(w->p), path, id, "create", NULL, w->out);
    return rc;
}

static int experts_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    struct write w = {p, a, 0, in, NULL, out};
    return db_transaction(c, create_cb, &w);
}

static int update_cb(db *c, void *cls)
{
    struct write *w = cls;
    int rc = entity_get(c, &expert_entity, &w->p->scope, w->a, w->id, w->before);
    if (rc == DB_OK && w->in->teacher_id != w->before->teacher_id) rc = check_teacher(c, w->p, w->a, w->in->teacher_id);
    if (rc != DB_OK) return rc;
    char now[32];
    time_now_rfc3339(now);
    expert rec = *w->in;
    if (!rec.specialties) rec.specialties = "[]";
    entity_value more[] = {{"updated_at", .text = now}, {0}};   /* active: a field of the record (FF_UPDATE) */
    rc = entity_store(c, &expert_entity, "expert_pool", w->id, &rec, more, w->a, NULL);
    if (rc == DB_OK) rc = entity_get_unscoped(c, &expert_entity, w->a, w->id, w->out);   /* just written */
    if (rc == DB_OK)
        rc = entity_audit(c, &expert_entity, actor_of(w->p), w->before->org_path, w->id, "update", w->before, w->out);
    return rc;
}

static int experts_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    expert before;
    struct write w = {p, a, id, in, &before, out};
    return db_transaction(c, update_cb, &w);
}

int experts_add(db *c, const principal *p, arena *a, int64_t org_id, int64_t user_id, const char *name,
                const char *specialties, const char *affiliation, int64_t *id)
{
    expert in = {.org_id = org_id, .user_id = user_id, .name = name, .specialties = specialties,
                 .affiliation = affiliation}, out;
    int rc = experts_create(c, p, a, &in, &out);
    *id = rc == DB_OK ? out.id : 0;
    return rc;
}

int experts_user_of(db *c, const principal *p, arena *a, int64_t expert_id, int64_t *user_id)
{
    expert x;
    int rc = entity_get(c, &expert_entity, &p->scope, a, expert_id, &x);
    if (rc == DB_OK && !x.active) rc = EXPERT_NOT_FOUND;
    *user_id = rc == DB_OK ? x.user_id : 0;
    return rc;
}

/* GET /experts: the generic list plus ?specialty= (one of the member's specialties, exactly). */
static void handle_list(request *r)
{
    qb where;
    page pg;
    db *c = db_thread();
    if (!entity_list_begin(r, c, &expert_entity, &where, &pg)) return;
    const char *specialty = req_query(r, "specialty");
    if (specialty && *specialty) {
        /* the stored text is a JSON array: an exact item is the quoted text (quotes of the item escaped) */
        json_t *item = json_string(specialty);
        char *quoted = item ? json_dumps(item, JSON_ENCODE_ANY) : NULL;
        json_decref(item);
        qb_sql(&where, " AND x.specialties LIKE ? ESCAPE '\\'");
        qb_text(&where, quoted ? qb_like_pattern(&r->arena, quoted) : "%");
        free(quoted);
    }
    entity_reply_list(r, c, &expert_entity, &where, NULL, &pg);
}

static const struct route expert_routes[] = {
    {"GET", "/api/v1/experts", handle_list, RANK_ORG_ADMIN, 0,
     .summary = "The expert pool (专家库) in the caller's scope; ?specialty=&active=&q=&org_id=", .entity = &expert_entity},
    {"POST", "/api/v1/experts", entity_handle_create, RANK_ORG_ADMIN, 0,
     .summary = "Add an account to the expert pool (a reviewer-role account, or one in the caller's scope)",
     .entity = &expert_entity},
    {"GET", "/api/v1/experts/:id", entity_handle_get, RANK_ORG_ADMIN, 0, .summary = "A member of the expert pool",
     .entity = &expert_entity},
    {"PATCH", "/api/v1/experts/:id", entity_handle_update, RANK_ORG_ADMIN, 0,
     .summary = "Change an expert's name, specialties, affiliation, teacher or active flag", .entity = &expert_entity},
    {0},
};

void experts_init(void)
{
    orgs_track_path_column("expert_pool", "org_path");
}

void experts_register_routes(void)
{
    router_add_table(expert_routes);
    reports_register_routes();
}
