/* screen_kiosk.c - what a paired kiosk calls with its device token (see screens.h):
 * GET /kiosk/playlist, its playlist's items ready to show (what its node may show: a resource it
 * no longer reads, a notice no longer public, are left out); GET /kiosk/resources/:id/file, a
 * resource's current file; POST /kiosk/heartbeat {seq, plays}, alive and what it played since
 * the last heartbeat. The heartbeat is idempotent by the kiosk's sequence: a seq not above the
 * last one counted is a retry, it counts nothing. Plays feed screen_play_days (the raw records of
 * the statistics' keyed metric screen_plays, per the screen's node and day); a resource's play
 * also counts as a view of it (resource_views) at the screen's node. */
#include "screens/screens.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "files/files.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "resources/resources.h"
#include "stats/stats.h"
#include "teaching/teaching.h"
#include <jansson.h>
#include <string.h>
#include <time.h>

enum { HEARTBEAT_SECONDS = 30, MAX_PLAYS = 500, MAX_COURSES = 8 };

/* verify and rebuild recompute screen_plays from here (stats_register_key_source) */
static const char play_source[] = "SELECT org_path, day, 'screen_plays' AS key, n FROM screen_play_days";

static void reply_screen_error(request *r, int rc)
{
    entity_reply_error(r, &screen_entity, rc);
}

/* The current version of a resource the screen's node reads: DB_OK with *v, or SCR_NOT_FOUND. */
static int current_file(db *c, arena *a, const screen *s, int64_t id, resource *res, resource_version *v)
{
    scope at = screens_node_scope(a, s->org_path);
    int rc = entity_get(c, &resource_entity, &at, a, id, res);
    if (rc == RES_NOT_FOUND || (rc == DB_OK && !strcmp(res->status, "withdrawn"))) return SCR_NOT_FOUND;
    if (rc != DB_OK) return rc;
    qb q;
    qb_init(&q, " AND v.resource_id = ? AND v.version_no = (SELECT MAX(version_no) FROM resource_versions WHERE resource_id = ?)");
    qb_int(&q, id), qb_int(&q, id);
    /* the resource was read within the screen's node's scope just above */
    rc = entity_get_where_unscoped(c, &resource_version_entity, a, &q, v);
    return rc == RES_VERSION_NOT_FOUND ? SCR_NOT_FOUND : rc;
}

static json_t *resource_item(db *c, arena *a, const screen *s, int64_t id)
{
    resource res;
    resource_version v;
    if (current_file(c, a, s, id, &res, &v) != DB_OK) return NULL;
    return json_pack("{s:s, s:s, s:s, s:s, s:I}", "title", res.title, "resource_kind", res.kind, "mime", v.mime, "url",
                     arena_printf(a, "/api/v1/kiosk/resources/%lld/file", (long long)id), "version", (json_int_t)v.version_no);
}

/* Unscoped: a public notice is anyone's to see (as GET /public/notices/:id shows it). */
static json_t *notice_item_unscoped(db *c, int64_t id)
{
    qb q;
    char now[40];
    time_now_rfc3339(now);
    /* as the public notices show it: published, public, its time come */
    qb_init(&q, "SELECT title, COALESCE(body, ''), publish_at FROM notices WHERE id = ? AND public = 1 "
                "AND status = 'published' AND publish_at <= ?");
    qb_int(&q, id), qb_text(&q, now);
    db_stmt *st = qb_prepare(&q, c);
    json_t *j = NULL;
    if (st && db_step(st) == DB_ROW)
        j = json_pack("{s:s, s:s, s:s}", "title", db_col_text(st, 0), "body", db_col_text(st, 1), "publish_at", db_col_text(st, 2));
    db_finish(st);
    return j;
}

/* Unscoped: a public activity's live stream is anyone's to see. */
static json_t *live_item_unscoped(db *c, int64_t id)
{
    qb q;
    qb_init(&q, "SELECT title, stream_url FROM activities WHERE id = ? AND is_public = 1 AND stream_url IS NOT NULL");
    qb_int(&q, id);
    db_stmt *st = qb_prepare(&q, c);
    json_t *j = NULL;
    if (st && db_step(st) == DB_ROW) j = json_pack("{s:s, s:s}", "title", db_col_text(st, 0), "stream_url", db_col_text(st, 1));
    db_finish(st);
    return j;
}

struct course_rows { json_t *list; };

static int course_row(const void *rec, db_stmt *s, arena *row, void *cls)
{
    (void)s, (void)row;
    const course *x = rec;
    json_array_append_new(((struct course_rows *)cls)->list,
                          json_pack("{s:s, s:s, s:s?}", "title", x->title, "starts_at", x->starts_at, "place", x->place));
    return DB_OK;
}

/* The screen's node's next courses (not cancelled), soonest first. */
static json_t *courses_item(db *c, arena *a, const screen *s)
{
    scope at = screens_node_scope(a, s->org_path);
    qb where;
    qb_init(&where, "");
    if (entity_list_where(c, &course_entity, &at, a, 0, &where) != DB_OK) return NULL;
    char now[40];
    time_now_rfc3339(now);
    qb_sql(&where, " AND x.starts_at >= ? AND x.status <> 'cancelled' ORDER BY x.starts_at, x.id");
    qb_text(&where, now);
    qb_sql(&where, arena_printf(a, " LIMIT %d", MAX_COURSES));
    struct course_rows rows = {json_array()};
    if (entity_each(c, &course_entity, NULL, &where, course_row, &rows) != DB_OK) { json_decref(rows.list); return NULL; }
    return json_pack("{s:s, s:o}", "title", "近期课程", "courses", rows.list);
}

/* One playlist item ready to show, or NULL when the screen may not show it now. */
static json_t *kiosk_item(db *c, arena *a, const screen *s, json_t *it)
{
    const char *kind = json_string_value(json_object_get(it, "kind"));
    int64_t ref = json_integer_value(json_object_get(it, "ref_id"));
    json_t *j = !strcmp(kind, "resource") ? resource_item(c, a, s, ref)
                : !strcmp(kind, "notice") ? notice_item_unscoped(c, ref)
                : !strcmp(kind, "live")   ? live_item_unscoped(c, ref)
                                          : courses_item(c, a, s);
    if (j) {
        json_object_set_new(j, "kind", json_string(kind));
        json_object_set_new(j, "ref_id", ref ? json_integer(ref) : json_null());
        json_object_set(j, "seconds", json_object_get(it, "seconds"));
    }
    return j;
}

/* GET /kiosk/playlist */
static void handle_playlist(request *r)
{
    db *c = db_thread();
    screen s;
    int rc = c ? screens_by_token(r, c, &s) : DB_ERR;
    int64_t pid = 0;
    if (rc == DB_OK) rc = playlists_for_screen_unscoped(c, &r->arena, &s, &pid);
    playlist pl = {0};
    if (rc == DB_OK && pid) rc = entity_get_unscoped(c, &playlist_entity, &r->arena, pid, &pl);   /* the screen's own */
    if (rc != DB_OK) { reply_screen_error(r, rc); return; }
    json_t *items = json_array(), *src = json_loads(pl.items ? pl.items : "[]", 0, NULL), *it;
    size_t i;
    json_array_foreach(src, i, it) {
        json_t *j = kiosk_item(c, &r->arena, &s, it);
        if (j) json_array_append_new(items, j);
    }
    json_decref(src);
    json_t *out = json_pack("{s:{s:I, s:s, s:s?, s:s}, s:I, s:i, s:o}", "screen", "id", (json_int_t)s.id, "name", s.name,
                            "place", s.place, "org_name", s.org_name, "last_seq", (json_int_t)s.last_seq,
                            "heartbeat_seconds", HEARTBEAT_SECONDS, "items", items);
    json_object_set_new(out, "playlist", pid ? json_pack("{s:I, s:s}", "id", (json_int_t)pl.id, "name", pl.name) : json_null());
    reply_header(r, "Cache-Control", "no-store");
    reply_json(r, 200, out);
}

/* GET /kiosk/resources/:id/file */
static void handle_file(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    screen s;
    resource res;
    resource_version v;
    int rc = c ? screens_by_token(r, c, &s) : DB_ERR;
    if (rc == DB_OK) rc = current_file(c, &r->arena, &s, id, &res, &v);
    if (rc != DB_OK) { reply_screen_error(r, rc); return; }
    size_t size;
    int fd = files_open(v.sha256, &size);
    if (fd < 0) {
        reply_error(r, 404, "file_missing", NULL, "文件内容已不在存储中 / the file's bytes are missing from the store");
        return;
    }
    reply_fd(r, 200, fd, size, v.mime);
}

struct beat_args {
    arena *a;
    screen *s;
    int64_t seq;
    json_t *plays;
    bool counted;
};

/* A resource's n plays counted as n views at the screen's node, when the node still reads it. */
static int count_resource_views(db *c, arena *a, const screen *s, int64_t id, int64_t n, const char *day)
{
    scope at = screens_node_scope(a, s->org_path);
    resource res;
    int rc = entity_get(c, &resource_entity, &at, a, id, &res);
    if (rc == RES_NOT_FOUND) return DB_OK;
    return rc == DB_OK ? resources_count_views_unscoped(c, id, s->org_path, day, n) : rc;
}

/* The plays of resources, each resource read and counted once with its number of plays (a
 * batch of 500 plays of a three-item playlist is three reads, not 500). */
static int count_played_resources(db *c, arena *a, const screen *s, json_t *plays, const char *day)
{
    size_t i, j, n = json_array_size(plays), distinct = 0;
    int64_t *ids = arena_alloc(a, (n ? n : 1) * sizeof *ids), *counts = arena_alloc(a, (n ? n : 1) * sizeof *counts);
    json_t *p;
    if (!ids || !counts) return DB_ERR;
    json_array_foreach(plays, i, p) {
        if (strcmp(json_string_value(json_object_get(p, "kind")), "resource")) continue;
        int64_t id = json_integer_value(json_object_get(p, "ref_id"));
        for (j = 0; j < distinct && ids[j] != id; j++) {}
        if (j == distinct) ids[distinct] = id, counts[distinct++] = 0;
        counts[j]++;
    }
    for (j = 0; j < distinct; j++) {
        int rc = count_resource_views(c, a, s, ids[j], counts[j], day);
        if (rc != DB_OK) return rc;
    }
    return DB_OK;
}

/* Alive now; the plays counted once per seq: one UPDATE both marks the screen seen and takes the
 * seq when it is new (its condition decides, atomically); a retry only marks it seen. */
static int beat_cb(db *c, void *cls)
{
    struct beat_args *w = cls;
    char now[40], day[11];
    time_now_rfc3339(now);
    memcpy(day, now, 10), day[10] = '\0';
    int64_t n = (int64_t)json_array_size(w->plays), id = 0;
    qb q;
    qb_init(&q, "UPDATE screens SET last_seen = ?, last_seen_s = ?, last_seq = ?, plays = plays + ? "
                "WHERE id = ? AND last_seq < ? RETURNING id");
    qb_text(&q, now), qb_int(&q, (int64_t)time(NULL)), qb_int(&q, w->seq), qb_int(&q, n);
    qb_int(&q, w->s->id), qb_int(&q, w->seq);
    int rc = qb_exec(c, &q, &id);
    if (rc == DB_DONE) {   /* a retry of a counted heartbeat */
        qb_init(&q, "UPDATE screens SET last_seen = ?, last_seen_s = ? WHERE id = ?");
        qb_text(&q, now), qb_int(&q, (int64_t)time(NULL)), qb_int(&q, w->s->id);
        return qb_exec(c, &q, NULL);
    }
    if (rc != DB_OK) return rc;
    w->counted = true;
    if (n == 0) return DB_OK;
    qb_init(&q, "INSERT INTO screen_play_days (screen_id, org_path, day, n) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (screen_id, org_path, day) DO UPDATE SET n = screen_play_days.n + ?");
    qb_int(&q, w->s->id), qb_text(&q, w->s->org_path), qb_text(&q, day), qb_int(&q, n), qb_int(&q, n);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    stats_key k = {"screen_plays", n};
    if ((rc = stats_add_keys(c, w->s->org_path, day, &k, 1, 1)) != DB_OK) return rc;
    return count_played_resources(c, w->a, w->s, w->plays, day);
}

/* plays: [{kind, ref_id?}] of the item kinds, MAX_PLAYS at most. */
static bool plays_ok(json_t *plays)
{
    static const char *const kinds[] = {"resource", "notice", "courses", "live", NULL};
    if (!json_is_array(plays) || json_array_size(plays) > MAX_PLAYS) return false;
    size_t i;
    json_t *p;
    json_array_foreach(plays, i, p) {
        const char *k = json_string_value(json_object_get(p, "kind"));
        json_t *ref = json_object_get(p, "ref_id");
        bool known = false;
        for (int j = 0; k && kinds[j]; j++) known |= !strcmp(k, kinds[j]);
        if (!json_is_object(p) || !known || (ref && !json_is_null(ref) && !json_is_integer(ref))) return false;
    }
    return true;
}

/* POST /kiosk/heartbeat {seq >= 1, plays} */
static void handle_heartbeat(request *r)
{
    static const char *const allowed[] = {"seq", "plays", NULL};
    struct beat_args w = {.a = &r->arena};
    screen s;
    if (!body_allow_fields(r, allowed, NULL) || !body_int(r, "seq", true, &w.seq, NULL)) return;
    if (w.seq < 1) {
        reply_error(r, 422, "invalid_field", "seq", "序号应为正整数 / seq must be a positive integer");
        return;
    }
    w.plays = json_object_get(r->json, "plays");
    if (!w.plays) w.plays = json_array(); else json_incref(w.plays);
    db *c = db_thread();
    int rc = c ? screens_by_token(r, c, &s) : DB_ERR;
    if (rc == DB_OK && !plays_ok(w.plays)) rc = SCR_BAD_PLAYS;
    w.s = &s;
    if (rc == DB_OK) rc = db_transaction(c, beat_cb, &w);
    json_decref(w.plays);
    if (rc != DB_OK) { reply_screen_error(r, rc); return; }
    reply_json(r, 200, json_pack("{s:b, s:I}", "counted", w.counted, "last_seq", (json_int_t)(w.counted ? w.seq : s.last_seq)));
}

static const struct route kiosk_routes[] = {
    {"GET", "/api/v1/kiosk/playlist", handle_playlist, ROUTE_PUBLIC, 0,
     .summary = "The paired kiosk's playlist, ready to show (header X-Screen-Token)"},
    {"GET", "/api/v1/kiosk/resources/:id/file", handle_file, ROUTE_PUBLIC, 0,
     .summary = "A resource's current file for the paired kiosk (header X-Screen-Token; Range answered)"},
    {"POST", "/api/v1/kiosk/heartbeat", handle_heartbeat, ROUTE_PUBLIC, 0,
     .summary = "The kiosk is alive; its plays since the last heartbeat, counted once per seq (header X-Screen-Token)"},
    {0},
};

void screen_kiosk_init(void)
{
    stats_register_keyed_metric("screen_plays");
    stats_register_metric_label("screen_plays", "屏幕播放量");
    stats_register_key_source(play_source);
}

void screen_kiosk_register_routes(void)
{
    router_add_table(kiosk_routes);
}
