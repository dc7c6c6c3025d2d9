/* playlists.c - playlists of 科普e站 screens (see screens.h): ordered items, each a resource the
 * playlist's node reads, a public notice, the screen's point's upcoming courses, or a public
 * activity's live stream, with the seconds it shows. A playlist is a screen's own (its
 * playlist_id) or, with for_type, the default of every screen on a node of that type at or under
 * the playlist's node; a screen's own wins, then the nearest node's, then the newest. */
#include "screens/screens.h"
#include "core/errors.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "http/entity_http.h"
#include "http/router.h"
#include "orgs/orgs.h"
#include "resources/resources.h"
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char *const item_kinds[] = {"resource", "notice", "courses", "live", NULL};

static bool is_kind(const char *k)
{
    for (int i = 0; item_kinds[i]; i++)
        if (!strcmp(k, item_kinds[i])) return true;
    return false;
}

/* [{kind, ref_id (not for courses), seconds 5..3600}], 50 items at most; stored as given. */
static const char *check_items(arena *a, json_t *v, const char **out)
{
    static const char *msg = "播放项应为 [{kind: resource|notice|courses|live, ref_id, seconds 5–3600}]，至多 50 项 / "
                             "items: [{kind: resource|notice|courses|live, ref_id, seconds 5-3600}], 50 at most";
    if (!json_is_array(v) || json_array_size(v) > 50) return msg;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
        json_t *k = json_object_get(x, "kind"), *ref = json_object_get(x, "ref_id"), *sec = json_object_get(x, "seconds");
        if (!json_is_object(x) || json_object_size(x) > 3 || !json_is_string(k) || !is_kind(json_string_value(k)) ||
            !json_is_integer(sec) || json_integer_value(sec) < 5 || json_integer_value(sec) > 3600)
            return msg;
        bool courses = !strcmp(json_string_value(k), "courses");
        if (courses ? ref != NULL && !json_is_null(ref) : !json_is_integer(ref) || json_integer_value(ref) <= 0) return msg;
    }
    char *text = json_dumps(v, JSON_COMPACT);
    if (!text) return msg;
    *out = arena_strdup(a, text);
    free(text);
    return NULL;
}

scope screens_node_scope(arena *a, const char *path)
{
    scope at = {.user_id = 0, .level = SCOPE_SUBTREE, .n = 1};
    at.paths[0] = path;
    at.uppers[0] = path_upper_bound(a, path);
    return at;
}

/* A public notice (published, its time come) or a public activity with a live stream: unscoped
 * because anyone may see those, whatever node they belong to (as the public notices show them). */
static int public_ref_unscoped(db *c, bool notice, int64_t ref)
{
    qb q;
    int64_t one = 0;
    char now[40];
    time_now_rfc3339(now);
    qb_init(&q, notice ? "SELECT 1 FROM notices WHERE id = ? AND public = 1 AND status = 'published' AND publish_at <= ?"
                       : "SELECT 1 FROM activities WHERE id = ? AND is_public = 1 AND stream_url IS NOT NULL");
    qb_int(&q, ref);
    if (notice) qb_text(&q, now);
    int rc = qb_exec(c, &q, &one);
    return rc == DB_DONE ? SCR_BAD_ITEMS : rc;
}

/* Whether one item's reference is what a screen at path may show (see the top comment). */
static int item_ok(db *c, arena *a, const char *path, const char *kind, int64_t ref)
{
    if (!strcmp(kind, "courses")) return DB_OK;
    if (!strcmp(kind, "resource")) {
        scope at = screens_node_scope(a, path);
        resource r;
        int rc = entity_get(c, &resource_entity, &at, a, ref, &r);
        if (rc == RES_NOT_FOUND) return SCR_BAD_ITEMS;
        if (rc != DB_OK) return rc;
        return strcmp(r.status, "withdrawn") ? DB_OK : SCR_BAD_ITEMS;
    }
    return public_ref_unscoped(c, !strcmp(kind, "notice"), ref);
}

static int items_ok(db *c, arena *a, const char *path, const char *items)
{
    json_t *j = json_loads(items ? items : "[]", 0, NULL);
    size_t i;
    json_t *x;
    int rc = DB_OK;
    json_array_foreach(j, i, x) {
        rc = item_ok(c, a, path, json_string_value(json_object_get(x, "kind")), json_integer_value(json_object_get(x, "ref_id")));
        if (rc != DB_OK) break;
    }
    json_decref(j);
    return rc;
}

static int type_ok(const char *t)
{
    if (!t) return DB_OK;
    for (int i = 0; org_types[i]; i++)
        if (!strcmp(t, org_types[i])) return DB_OK;
    return SCR_BAD_TYPE;
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const playlist *in;
    playlist *out;
};

static int create_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    org o;
    playlist in = *w->in;
    int rc = orgs_get(c, w->p, w->a, in.org_id ? in.org_id : w->p->org_id, &o);
    if (rc == ORGS_NOT_FOUND) return SCR_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    in.org_id = o.id;
    if (!in.items) in.items = "[]";
    if ((rc = type_ok(in.for_type)) != DB_OK || (rc = items_ok(c, w->a, o.path, in.items)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    int64_t by = w->p->user_id, id = 0;
    entity_value more[] = {{"org_path", .text = o.path}, {"created_by", .i = by, .is_int = by != 0},
                           {"created_at", .text = now}, {"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &playlist_entity, "playlists", 0, &in, more, w->a, &id)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &playlist_entity, w->a, id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &playlist_entity, actor_of(w->p), o.path, id, "create", NULL, w->out);
}

static int playlists_create(db *c, const principal *p, arena *a, const void *in, void *out)
{
    return db_transaction(c, create_cb, &(struct write_args){p, a, 0, in, out});
}

static int update_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    playlist before;
    int rc = entity_get(c, &playlist_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if ((rc = type_ok(w->in->for_type)) != DB_OK) return rc;
    /* items checked when they change (one withdrawn since does not block a rename) */
    if (w->in->items && strcmp(w->in->items, before.items) && (rc = items_ok(c, w->a, before.org_path, w->in->items)) != DB_OK)
        return rc;
    char now[40];
    time_now_rfc3339(now);
    entity_value more[] = {{"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &playlist_entity, "playlists", w->id, w->in, more, w->a, NULL)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &playlist_entity, w->a, w->id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &playlist_entity, actor_of(w->p), before.org_path, w->id, "update", &before, w->out);
}

static int playlists_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    return db_transaction(c, update_cb, &(struct write_args){p, a, id, in, out});
}

/* Not while a screen plays it as its own (assign another first). */
static int remove_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    playlist before;
    int rc = entity_get(c, &playlist_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    if (before.screens > 0) return SCR_IN_USE;
    qb q;
    qb_init(&q, "DELETE FROM playlists WHERE id = ?");
    qb_int(&q, w->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    return entity_audit(c, &playlist_entity, actor_of(w->p), before.org_path, w->id, "delete", &before, NULL);
}

static int playlists_remove(db *c, const principal *p, arena *a, int64_t id)
{
    return db_transaction(c, remove_cb, &(struct write_args){p, a, id, NULL, NULL});
}

int playlists_for_screen_unscoped(db *c, arena *a, const screen *s, int64_t *id)
{
    (void)a;
    *id = s->playlist_id;
    if (*id) return DB_OK;
    qb q;
    qb_init(&q, "SELECT id FROM playlists WHERE for_type = ? AND substr(CAST(? AS TEXT), 1, length(org_path)) = org_path "
                "ORDER BY length(org_path) DESC, id DESC LIMIT 1");
    qb_text(&q, s->org_type), qb_text(&q, s->org_path);
    int rc = qb_exec(c, &q, id);
    return rc == DB_DONE ? DB_OK : rc;
}

#define L(member) offsetof(playlist, member)
static const field playlist_fields[] = {
    {"id", "p.id", FT_ID, L(id), .flags = 0},
    {"org_id", "p.org_id", FT_ID, L(org_id), .flags = FF_CREATE, .doc = "the playlist's node (default: the caller's)"},
    {"org_path", "p.org_path", FT_TEXT, L(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, L(org_name), .flags = 0},
    {"name", "p.name", FT_TEXT, L(name), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 50,
     .example = "\"社区科普日常轮播\""},
    {"items", "p.items", FT_JSON, L(items), .flags = FF_WRITE, .check_json = check_items,
     .example = "[{\"kind\": \"resource\", \"ref_id\": 3, \"seconds\": 60}, {\"kind\": \"courses\", \"seconds\": 20}]",
     .doc = "in order: resource (ref_id a resource the node reads), notice (a public one), courses (the screen's node's "
            "upcoming courses), live (a public activity's stream); seconds 5..3600"},
    {"for_type", "p.for_type", FT_TEXT, L(for_type), .flags = FF_WRITE | FF_FILTER, .max = 20,
     .doc = "an org type: the default of screens on nodes of that type at or under the playlist's node"},
    {"screens", "(SELECT COUNT(*) FROM screens s WHERE s.playlist_id = p.id)", FT_INT, L(screens), .flags = 0,
     .doc = "screens playing it as their own"},
    {"created_by", "p.created_by", FT_INT_NULL, L(created_by), .flags = 0},
    {"created_at", "p.created_at", FT_TIME, L(created_at), .flags = 0},
    {"updated_at", "p.updated_at", FT_TIME, L(updated_at), .flags = 0},
    {0},
};
#undef L

entity playlist_entity = {
    .name = "playlist", .doc = "A playlist of 科普e站 screens: ordered items with their seconds",
    .from = " FROM playlists p JOIN orgs o ON o.id = p.org_id", .id_column = "p.id", .path_column = "p.org_path",
    .order = " ORDER BY p.id DESC", .size = sizeof(playlist), .fields = playlist_fields, .not_found = SCR_NOT_FOUND,
    .org_not_found = SCR_ORG_NOT_FOUND, .errors = screen_errors, .create = playlists_create, .update = playlists_update,
    .remove = playlists_remove,
};

static const struct route playlist_routes[] = {
    {"GET", "/api/v1/playlists", entity_handle_list, RANK_STAFF, 0, .summary = "Screen playlists in scope (?for_type, org_id, q)",
     .entity = &playlist_entity},
    {"GET", "/api/v1/playlists/:id", entity_handle_get, RANK_STAFF, 0, .summary = "A playlist", .entity = &playlist_entity},
    {"POST", "/api/v1/playlists", entity_handle_create, RANK_STAFF, 0, .summary = "Create a playlist",
     .entity = &playlist_entity},
    {"PATCH", "/api/v1/playlists/:id", entity_handle_update, RANK_STAFF, 0, .summary = "Change a playlist",
     .entity = &playlist_entity},
    {"DELETE", "/api/v1/playlists/:id", entity_handle_delete, RANK_STAFF, 0,
     .summary = "Delete a playlist no screen plays as its own", .entity = &playlist_entity},
    {0},
};

void playlists_register_routes(void)
{
    router_add_table(playlist_routes);
}
