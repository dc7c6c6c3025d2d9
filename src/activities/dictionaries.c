/* dictionaries.c - the activity register's dictionaries: kinds (讲座, 培训 ... admins add more)
 * and audiences (青少年, 农民 ...: fixed, they are the national audience groups). Kinds are
 * retired (active = false) rather than deleted, since records keep their code. */
#include "activities/activities.h"
#include "core/validate.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "model/entity.h"
#include <stddef.h>
#include <string.h>

/* A dictionary is the city's: everyone reads it whatever their scope. */
static void city_wide(const scope *sc, qb *q) { (void)sc, (void)q; }

#define K(member) offsetof(activity_kind, member)
static const field kind_fields[] = {
    {"code", "code", FT_TEXT, K(code), .flags = FF_CREATE | FF_REQUIRED, .check = check_key_code, .example = "\"lecture\""},
    {"name", "name", FT_TEXT, K(name), .flags = FF_WRITE | FF_REQUIRED, .max = 20, .example = "\"讲座\""},
    {"sort", "sort", FT_INT, K(sort), .flags = FF_WRITE, .min = 0, .max = 100000, .doc = "100 when not given"},
    {"active", "active", FT_BOOL, K(active), .flags = FF_WRITE, .doc = "false: retired, kept for old records"},
    {0},
};

static const field audience_fields[] = {
    {"code", "code", FT_TEXT, K(code), .flags = 0},
    {"name", "name", FT_TEXT, K(name), .flags = 0},
    {"sort", "sort", FT_INT, K(sort), .flags = 0},
    {0},
};
#undef K

static const error_row kind_errors[] = {
    {DICT_DUPLICATE, 409, "duplicate", "code", "活动类型代码已存在 / kind code exists"},
    {0},
};

entity activity_kind_entity = {
    .name = "activity_kind", .doc = "An activity kind (活动类型), retired rather than deleted",
    .from = " FROM activity_kinds", .scope_rule = city_wide, .order = " ORDER BY sort, code",
    .size = sizeof(activity_kind), .fields = kind_fields, .not_found = DICT_NOT_FOUND, .errors = kind_errors,
};

entity activity_audience_entity = {
    .name = "activity_audience", .doc = "An activity audience (活动对象): the fixed national groups",
    .from = " FROM activity_audiences", .scope_rule = city_wide, .order = " ORDER BY sort, code",
    .size = sizeof(activity_kind), .fields = audience_fields, .not_found = DICT_NOT_FOUND,
};

static int get_kind(db *c, const principal *p, arena *a, const char *code, activity_kind *out)
{
    qb q;
    qb_init(&q, " AND code = ?");
    qb_text(&q, code);
    return entity_get_where(c, &activity_kind_entity, &p->scope, a, &q, out);
}

struct kind_args {
    const principal *p;
    arena *a;
    bool creating;
    const activity_kind *in;
    activity_kind *out;
};

static int kind_cb(db *c, void *cls)
{
    struct kind_args *k = cls;
    activity_kind before;
    int rc = get_kind(c, k->p, k->a, k->in->code, &before);
    if (rc != DB_OK && rc != DICT_NOT_FOUND) return rc;
    if (k->creating && rc == DB_OK) return DICT_DUPLICATE;
    if (!k->creating && rc != DB_OK) return DICT_NOT_FOUND;
    qb q;
    qb_init(&q, k->creating ? "INSERT INTO activity_kinds (name, sort, active, code) VALUES (?, ?, ?, ?)"
                            : "UPDATE activity_kinds SET name = ?, sort = ?, active = ? WHERE code = ?");
    qb_text(&q, k->in->name);
    qb_int(&q, k->in->sort);
    qb_int(&q, k->in->active);
    qb_text(&q, k->in->code);
    rc = qb_exec(c, &q, NULL);
    if (rc == DB_UNIQUE) return DICT_DUPLICATE;
    if (rc == DB_OK) rc = get_kind(c, k->p, k->a, k->in->code, k->out);
    if (rc != DB_OK) return rc;
    /* a dictionary is city-wide: the entry carries the admin's org path */
    return entity_audit(c, &activity_kind_entity, actor_of(k->p), k->p->org_path ? k->p->org_path : "/", 0,
                        k->creating ? "create" : "update", k->creating ? NULL : &before, k->out);
}

/* ---- HTTP ---- */

/* GET /activity-kinds and /activity-audiences: {"items": [...]}, the route's dictionary. */
static void handle_dictionary(request *r)
{
    const entity *e = r->route->entity;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    qb where;
    qb_init(&where, "");
    jw w;
    jw_list_open(&w);
    int rc = entity_list_where(c, e, &r->principal->scope, &r->arena, 0, &where);
    if (rc == DB_OK) rc = entity_list_all(c, e, &where, NULL, &r->arena, &w, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* POST /activity-kinds and PATCH /activity-kinds/:code share the reading and the reply. */
static void save_kind(request *r)
{
    bool creating = !strcmp(r->method, "POST");
    activity_kind in = {.sort = 100, .active = true}, out;
    db *c = db_thread();
    int rc = !c ? DB_ERR : creating ? DB_OK : get_kind(c, r->principal, &r->arena, r->params[0], &in);
    if (rc != DB_OK) { entity_reply_error(r, &activity_kind_entity, rc); return; }
    if (!entity_read_body(r, &activity_kind_entity, &in, creating)) return;
    struct kind_args k = {r->principal, &r->arena, creating, &in, &out};
    entity_reply_result(r, &activity_kind_entity, db_transaction(c, kind_cb, &k), creating ? 201 : 200, &out);
}


static const struct route dictionary_routes[] = {
    {"GET", "/api/v1/activity-kinds", handle_dictionary, RANK_MEMBER, 0, .summary = "Activity kinds (活动类型), retired ones included", .entity = &activity_kind_entity},
    {"POST", "/api/v1/activity-kinds", save_kind, RANK_ADMIN, 0, .summary = "Add an activity kind (活动类型)", .entity = &activity_kind_entity},
    {"PATCH", "/api/v1/activity-kinds/:code", save_kind, RANK_ADMIN, 0, .summary = "Rename, reorder or retire an activity kind", .entity = &activity_kind_entity},
    {"GET", "/api/v1/activity-audiences", handle_dictionary, RANK_MEMBER, 0, .summary = "Activity audiences (活动对象): the fixed national groups", .entity = &activity_audience_entity},
    {0},
};

void activity_dictionaries_register_routes(void) { router_add_table(dictionary_routes); }
