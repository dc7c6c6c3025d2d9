/* screen_admins.c - the administrators of 科普e站 screens (see screens.h): people on a node who
 * look after its screens, with their phone (stored encrypted, shown masked) and their trainings
 * and awards, each a list of {date, title}. Audited like every record. */
#include "screens/screens.h"
#include "core/timeutil.h"
#include "core/validate.h"
#include "db/query.h"
#include "http/entity_http.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* [{date: YYYY-MM-DD, title 1..100 characters}], 50 at most. */
static const char *check_dated(arena *a, json_t *v, const char **out)
{
    static const char *msg = "应为 [{date: YYYY-MM-DD, title}]，至多 50 项，标题不超过 100 字 / "
                             "a list of {date: YYYY-MM-DD, title}, 50 at most, titles of 100 characters at most";
    if (!json_is_array(v) || json_array_size(v) > 50) return msg;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        const char *d = json_string_value(json_object_get(x, "date")), *t = json_string_value(json_object_get(x, "title"));
        if (!json_is_object(x) || json_object_size(x) != 2 || !d || strlen(d) != 10 || time_parse_date(d) == (time_t)-1 ||
            !t || !*t || utf8_chars(t) > 100)
            return msg;
    }
    char *text = json_dumps(v, JSON_COMPACT);
    if (!text) return msg;
    *out = arena_strdup(a, text);
    free(text);
    return NULL;
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const screen_admin *in;
    screen_admin *out;
};

static int create_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    org o;
    screen_admin in = *w->in;
    int rc = orgs_get(c, w->p, w->a, in.org_id ? in.org_id : w->p->org_id, &o);
    if (rc == ORGS_NOT_FOUND) return SCR_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    in.org_id = o.id;
    if (!in.trainings) in.trainings = "[]";
    if (!in.awards) in.awards = "[]";
    char now[40];
    time_now_rfc3339(now);
    int64_t by = w->p->user_id, id = 0;
    entity_value more[] = {{"org_path", .text = o.path}, {"created_by", .i = by, .is_int = by != 0},
                           {"created_at", .text = now}, {"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &screen_admin_entity, "screen_admins", 0, &in, more, w->a, &id)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &screen_admin_entity, w->a, id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &screen_admin_entity, actor_of(w->p), o.path, id, "create", NULL, w->out);
}

static int admins_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return db_transaction(c, create_cb, &(struct write_args){p, a, 0, in, out});
}

static int update_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    screen_admin before;
    int rc = entity_get(c, &screen_admin_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    entity_value more[] = {{"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &screen_admin_entity, "screen_admins", w->id, w->in, more, w->a, NULL)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &screen_admin_entity, w->a, w->id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &screen_admin_entity, actor_of(w->p), before.org_path, w->id, "update", &before, w->out);
}

static int admins_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    return db_transaction(c, update_cb, &(struct write_args){p, a, id, in, out});
}

static int remove_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    screen_admin before;
    int rc = entity_get(c, &screen_admin_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, "DELETE FROM screen_admins WHERE id = ?");
    qb_int(&q, w->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    return entity_audit(c, &screen_admin_entity, actor_of(w->p), before.org_path, w->id, "delete", &before, NULL);
}

static int admins_remove(db *c, const principal *p, arena *a, int64_t id)
{
    return db_transaction(c, remove_cb, &(struct write_args){p, a, id, NULL, NULL});
}

#define M(member) offsetof(screen_admin, member)
static const field admin_fields[] = {
    {"id", "m.id", FT_ID, M(id), .flags = 0},
    {"org_id", "m.org_id", FT_ID, M(org_id), .flags = FF_CREATE, .doc = "the node (default: the caller's)"},
    {"org_path", "m.org_path", FT_TEXT, M(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, M(org_name), .flags = 0},
    {"name", "m.name", FT_TEXT, M(name), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 50, .example = "\"王芳\""},
    {"phone", "m.phone_enc", FT_TEXT, M(phone), .flags = FF_WRITE | FF_ENCRYPTED | FF_MASK_PHONE, .check = check_phone,
     .doc = "mainland mobile; stored encrypted, shown masked"},
    {"trainings", "m.trainings", FT_JSON, M(trainings), .flags = FF_WRITE, .check_json = check_dated,
     .example = "[{\"date\": \"2026-03-01\", \"title\": \"科普e站操作培训\"}]", .doc = "trainings taken: [{date, title}]"},
    {"awards", "m.awards", FT_JSON, M(awards), .flags = FF_WRITE, .check_json = check_dated,
     .example = "[{\"date\": \"2026-06-01\", \"title\": \"优秀科普e站管理员\"}]", .doc = "awards: [{date, title}]"},
    {"created_by", "m.created_by", FT_INT_NULL, M(created_by), .flags = 0},
    {"created_at", "m.created_at", FT_TIME, M(created_at), .flags = 0},
    {"updated_at", "m.updated_at", FT_TIME, M(updated_at), .flags = 0},
    {0},
};
#undef M

entity screen_admin_entity = {
    .name = "screen_admin", .doc = "An administrator of 科普e站 screens, with trainings and awards",
    .from = " FROM screen_admins m JOIN orgs o ON o.id = m.org_id", .id_column = "m.id", .path_column = "m.org_path",
    .order = " ORDER BY m.id DESC", .size = sizeof(screen_admin), .fields = admin_fields, .not_found = SCR_ADMIN_NOT_FOUND,
    .org_not_found = SCR_ORG_NOT_FOUND, .errors = screen_errors, .create = admins_create, .update = admins_update,
    .remove = admins_remove,
};

static const struct route admin_routes[] = {
    {"GET", "/api/v1/screen-admins", entity_handle_list, RANK_STAFF, 0,
     .summary = "Screen administrators in scope (?org_id, q)", .entity = &screen_admin_entity},
    {"GET", "/api/v1/screen-admins/:id", entity_handle_get, RANK_STAFF, 0, .summary = "A screen administrator",
     .entity = &screen_admin_entity},
    {"POST", "/api/v1/screen-admins", entity_handle_create, RANK_STAFF, 0, .summary = "Add a screen administrator",
     .entity = &screen_admin_entity},
    {"PATCH", "/api/v1/screen-admins/:id", entity_handle_update, RANK_STAFF, 0,
     .summary = "Change a screen administrator (trainings, awards too)", .entity = &screen_admin_entity},
    {"DELETE", "/api/v1/screen-admins/:id", entity_handle_delete, RANK_STAFF, 0,
     .summary = "Remove a screen administrator", .entity = &screen_admin_entity},
    {0},
};

void screen_admins_register_routes(void)
{
    router_add_table(admin_routes);
}
