/* screens.c - the screen record (see screens.h): its field table, registration by a pairing code
 * the kiosk showed (POST /screens/pair), changes of name, place and playlist, revocation of its
 * device token, and the list with its online/offline filter. */
#include "screens/screens.h"
#include "audit/audit.h"
#include "core/errors.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "io/export.h"
#include "orgs/orgs.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const screen_statuses[] = {"active", "revoked", NULL};

#define S(member) offsetof(screen, member)
static const field screen_fields[] = {
    {"id", "s.id", FT_ID, S(id), .flags = 0},
    {"org_id", "s.org_id", FT_ID, S(org_id), .flags = FF_CREATE, .doc = "the screen's node"},
    {"org_path", "s.org_path", FT_TEXT, S(org_path), .flags = FF_HIDDEN},
    {"org_name", "o.name", FT_TEXT, S(org_name), .flags = 0},
    {"org_type", "o.type", FT_TEXT, S(org_type), .flags = 0},
    {"name", "s.name", FT_TEXT, S(name), .flags = FF_WRITE | FF_REQUIRED | FF_SEARCH, .max = 50,
     .example = "\"社区科普e站一号屏\""},
    {"place", "s.place", FT_TEXT, S(place), .flags = FF_WRITE | FF_SEARCH, .max = 100, .example = "\"社区服务中心大厅\""},
    {"status", "s.status", FT_ENUM, S(status), .flags = FF_FILTER, .choices = screen_statuses,
     .doc = "active 使用中, revoked 已停用 (its device token revoked)"},
    {"token_hash", "s.token_hash", FT_TEXT, S(token_hash), .flags = FF_HIDDEN},
    {"playlist_id", "s.playlist_id", FT_INT_NULL, S(playlist_id), .flags = FF_WRITE,
     .doc = "its own playlist (null: the one for its node's type)"},
    {"playlist_name", "(SELECT p.name FROM playlists p WHERE p.id = s.playlist_id)", FT_TEXT, S(playlist_name), .flags = 0},
    {"last_seq", "s.last_seq", FT_INT, S(last_seq), .flags = FF_HIDDEN},
    {"last_seen", "s.last_seen", FT_TIME, S(last_seen), .flags = 0, .doc = "the newest heartbeat (null: none yet)"},
    {"last_seen_s", "s.last_seen_s", FT_INT_NULL, S(last_seen_s), .flags = FF_HIDDEN},
    {"online", NULL, FT_BOOL, S(online), .flags = FF_NO_SELECT,
     .doc = "a heartbeat within the offline limit (3 minutes unless configured)"},
    {"plays", "s.plays", FT_INT, S(plays), .flags = 0, .doc = "items played, all time"},
    {"paired_at", "s.paired_at", FT_TIME, S(paired_at), .flags = 0},
    {"created_by", "s.created_by", FT_INT_NULL, S(created_by), .flags = 0},
    {"created_at", "s.created_at", FT_TIME, S(created_at), .flags = 0},
    {"updated_at", "s.updated_at", FT_TIME, S(updated_at), .flags = 0},
    {0},
};
#undef S

const error_row screen_errors[] = {
    {SCR_NOT_FOUND, 404, "not_found", NULL, "屏幕不存在 / screen not found"},
    {SCR_ORG_NOT_FOUND, 404, "not_found", "org_id", "单位不存在或不在权限范围内 / unit not found or outside your scope"},
    {SCR_BAD_CODE, 404, "not_found", "code", "配对码无效或已过期 / the pairing code is unknown or expired"},
    {SCR_PLAYLIST_NOT_FOUND, 404, "not_found", "playlist_id",
     "播放列表不存在，或不属于屏幕所在单位及其上级 / playlist not found, or not of the screen's node or above"},
    {SCR_BAD_ITEMS, 422, "invalid_field", "items",
     "播放项无效：资源须本单位可见，通知须公开发布，直播须为公开活动的直播 / an item is invalid: a resource the node reads, a "
     "public notice, a public activity's live stream"},
    {SCR_BAD_TOKEN, 401, "unauthorized", NULL, "屏幕凭证无效 / unknown screen token"},
    {SCR_ADMIN_NOT_FOUND, 404, "not_found", NULL, "管理员不存在 / administrator not found"},
    {SCR_BAD_TYPE, 422, "invalid_field", "for_type", "单位类型无效 / unknown unit type"},
    {SCR_BAD_PLAYS, 422, "invalid_field", "plays", "播放记录格式无效 / malformed plays"},
    {SCR_PENDING, 409, "pairing_pending", "code", "配对码尚未登记 / the code is not registered yet"},
    {SCR_IN_USE, 409, "playlist_in_use", NULL, "有屏幕正在使用该播放列表 / a screen plays this playlist as its own"},
    {0},
};

int64_t screens_offline_seconds(void)
{
    const char *v = getenv("KEPU_SCREEN_OFFLINE_SECONDS");
    long n = v ? strtol(v, NULL, 10) : 0;
    return n > 0 ? n : 180;
}

static void screen_on_read(void *rec, arena *a)
{
    (void)a;
    screen *s = rec;
    s->online = s->last_seen_s > 0 && (int64_t)time(NULL) - s->last_seen_s <= screens_offline_seconds();
}

/* The playlist p may assign to a screen at path: in p's scope and of the screen's node or above. */
static int playlist_fits(db *c, const principal *p, arena *a, int64_t id, const char *path)
{
    playlist pl;
    int rc = entity_get(c, &playlist_entity, &p->scope, a, id, &pl);
    if (rc == SCR_NOT_FOUND) return SCR_PLAYLIST_NOT_FOUND;
    if (rc != DB_OK) return rc;
    return strncmp(path, pl.org_path, strlen(pl.org_path)) ? SCR_PLAYLIST_NOT_FOUND : DB_OK;
}

struct write_args {
    const principal *p;
    arena *a;
    int64_t id;
    const screen *in;
    const char *code;
    screen *out;
};

/* Registers the pairing code's kiosk as a new screen of org_id (default: the caller's node). */
static int pair_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    org o;
    screen in = *w->in;
    int rc = orgs_get(c, w->p, w->a, in.org_id ? in.org_id : w->p->org_id, &o);
    if (rc == ORGS_NOT_FOUND) return SCR_ORG_NOT_FOUND;
    if (rc != DB_OK) return rc;
    in.org_id = o.id;
    qb q;
    int64_t pairing = 0;
    qb_init(&q, "SELECT id FROM screen_pairings WHERE code = ? AND screen_id IS NULL AND expires_s >= ?");
    qb_text(&q, w->code), qb_int(&q, (int64_t)time(NULL));
    if ((rc = qb_exec(c, &q, &pairing)) == DB_DONE) return SCR_BAD_CODE;
    if (rc != DB_OK) return rc;
    if (in.playlist_id && (rc = playlist_fits(c, w->p, w->a, in.playlist_id, o.path)) != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    int64_t by = w->p->user_id, id = 0;
    entity_value more[] = {{"org_path", .text = o.path}, {"status", .text = "active"}, {"paired_at", .text = now},
                           {"created_by", .i = by, .is_int = by != 0}, {"created_at", .text = now},
                           {"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &screen_entity, "screens", 0, &in, more, w->a, &id)) != DB_OK) return rc;
    /* only if still free: of two staff registering one code at once, one wins (the other's
     * screen goes with its rolled-back transaction) */
    int64_t marked = 0;
    qb_init(&q, "UPDATE screen_pairings SET screen_id = ? WHERE id = ? AND screen_id IS NULL RETURNING id");
    qb_int(&q, id), qb_int(&q, pairing);
    if ((rc = qb_exec(c, &q, &marked)) == DB_DONE) return SCR_BAD_CODE;
    if (rc != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &screen_entity, w->a, id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &screen_entity, actor_of(w->p), o.path, id, "create", NULL, w->out);
}

/* POST /screens/pair {code, name, place?, org_id?, playlist_id?} */
static void handle_pair(request *r)
{
    static const char *const allowed[] = {"code", "name", "place", "org_id", "playlist_id", NULL};
    screen in = {0}, out;
    const char *code = NULL;
    int64_t org_id = 0, pl = 0;
    if (!body_allow_fields(r, allowed, NULL) || !body_string(r, "code", true, &code) ||
        !body_name(r, "name", true, 50, &in.name) || !body_text(r, "place", 100, &in.place) ||
        !body_int(r, "org_id", false, &org_id, NULL) || !body_int(r, "playlist_id", false, &pl, NULL))
        return;
    in.org_id = org_id, in.playlist_id = pl;
    db *c = db_thread();
    struct write_args w = {r->principal, &r->arena, 0, &in, code, &out};
    int rc = c ? db_transaction(c, pair_cb, &w) : DB_ERR;
    entity_reply_result(r, &screen_entity, rc, 201, &out);
}

static int update_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    screen before;
    int rc = entity_get(c, &screen_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    /* a new own playlist must fit; an unchanged one stays (it may be of a node above the caller's) */
    if (w->in->playlist_id && w->in->playlist_id != before.playlist_id &&
        (rc = playlist_fits(c, w->p, w->a, w->in->playlist_id, before.org_path)) != DB_OK)
        return rc;
    char now[40];
    time_now_rfc3339(now);
    entity_value more[] = {{"updated_at", .text = now}, {0}};
    if ((rc = entity_store(c, &screen_entity, "screens", w->id, w->in, more, w->a, NULL)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &screen_entity, w->a, w->id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &screen_entity, actor_of(w->p), before.org_path, w->id, "update", &before, w->out);
}

static int screens_update(db *c, const principal *p, arena *a, int64_t id, const void *in, void *out)
{
    return db_transaction(c, update_cb, &(struct write_args){p, a, id, in, NULL, out});
}

/* The device token forgotten: the kiosk's next call is refused; pairing again makes a new screen. */
static int revoke_cb(db *c, void *cls)
{
    struct write_args *w = cls;
    screen before;
    int rc = entity_get(c, &screen_entity, &w->p->scope, w->a, w->id, &before);
    if (rc != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, "UPDATE screens SET status = 'revoked', token_hash = NULL, updated_at = ? WHERE id = ?");
    qb_text(&q, now), qb_int(&q, w->id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    if ((rc = entity_get_unscoped(c, &screen_entity, w->a, w->id, w->out)) != DB_OK) return rc;   /* just written */
    return entity_audit(c, &screen_entity, actor_of(w->p), before.org_path, w->id, "revoke_token", &before, w->out);
}

static void handle_revoke(request *r)
{
    int64_t id;
    screen out;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? db_transaction(c, revoke_cb, &(struct write_args){r->principal, &r->arena, id, NULL, NULL, &out}) : DB_ERR;
    entity_reply_result(r, &screen_entity, rc, 200, &out);
}

/* ?online=true|false: a heartbeat within the limit or not (never one: offline). */
static void online_filter(request *r, qb *where)
{
    const char *online = req_query(r, "online");
    if (!online) return;
    qb_sql(where, strcmp(online, "true") ? " AND (s.last_seen_s IS NULL OR s.last_seen_s < ?)" : " AND s.last_seen_s >= ?");
    qb_int(where, (int64_t)time(NULL) - screens_offline_seconds());
}

static int export_row(const void *rec, db_stmt *st, arena *row, void *cls)
{
    (void)st, (void)row;
    const screen *s = rec;
    xlsx *w = cls;
    xlsx_text(w, 0, s->name);
    xlsx_text(w, 1, s->place);
    xlsx_text(w, 2, s->org_name);
    xlsx_text(w, 3, strcmp(s->status, "active") ? "已停用" : s->online ? "在线" : "离线");
    xlsx_time(w, 4, s->last_seen);
    xlsx_int(w, 5, s->plays);
    xlsx_text(w, 6, s->playlist_name ? s->playlist_name : "按单位类型默认");
    xlsx_time(w, 7, s->paired_at);
    xlsx_next_row(w);
    return DB_OK;
}

/* The filtered list as a workbook (屏幕.xlsx). */
static void export_list(request *r, db *c)
{
    static const xlsx_col cols[] = {{"屏幕名称", 20}, {"位置", 24}, {"所属单位", 20}, {"状态", 8},
                                    {"最近心跳", 18}, {"播放次数", 10}, {"播放列表", 20}, {"配对时间", 18}};
    qb where;
    if (!entity_request_where(r, c, &screen_entity, &where)) return;
    online_filter(r, &where);
    xlsx *x = xlsx_open_table("屏幕", NULL, cols, 8);
    if (!x) { qb_free(&where); reply_export_failed(r); return; }
    qb_sql(&where, " ORDER BY s.id DESC");
    int rc = entity_each(c, &screen_entity, NULL, &where, export_row, x);
    if (rc != DB_OK) { xlsx_abort(x); entity_reply_error(r, &screen_entity, rc); return; }
    xlsx_reply(x, r, "科普e站屏幕.xlsx");
}

static void handle_list(request *r)
{
    static const char *const flags[] = {"true", "false", NULL}, *const formats[] = {"json", "xlsx", NULL};
    db *c = db_thread();
    qb where;
    page pg;
    if (!query_choice(r, "online", flags) || !query_choice(r, "format", formats)) return;
    const char *format = req_query(r, "format");
    if (format && !strcmp(format, "xlsx")) { export_list(r, c); return; }
    if (!entity_list_begin(r, c, &screen_entity, &where, &pg)) return;
    online_filter(r, &where);
    entity_reply_list(r, c, &screen_entity, &where, NULL, &pg);
}

entity screen_entity = {
    .name = "screen", .doc = "A 科普e站 screen: a kiosk registered to a node by its pairing code",
    .from = " FROM screens s JOIN orgs o ON o.id = s.org_id", .id_column = "s.id", .path_column = "s.org_path",
    .order = " ORDER BY s.id DESC", .size = sizeof(screen), .fields = screen_fields, .not_found = SCR_NOT_FOUND,
    .org_not_found = SCR_ORG_NOT_FOUND, .errors = screen_errors, .on_read = screen_on_read, .update = screens_update,
};

static const struct route screen_routes[] = {
    {"GET", "/api/v1/screens", handle_list, RANK_STAFF, 0,
     .summary = "Screens in scope (?online=true|false, status, org_id, q, format=xlsx)", .entity = &screen_entity},
    {"GET", "/api/v1/screens/:id", entity_handle_get, RANK_STAFF, 0, .summary = "A screen", .entity = &screen_entity},
    {"POST", "/api/v1/screens/pair", handle_pair, RANK_STAFF, 0,
     .summary = "Register the kiosk showing a pairing code as a screen of a node in scope", .entity = &screen_entity},
    {"PATCH", "/api/v1/screens/:id", entity_handle_update, RANK_STAFF, 0,
     .summary = "Change a screen's name, place or own playlist", .entity = &screen_entity},
    {"POST", "/api/v1/screens/:id/revoke", handle_revoke, RANK_STAFF, 0,
     .summary = "Revoke a screen's device token (it stops; pair again for a new one)", .entity = &screen_entity},
    {0},
};

void screens_init(void)
{
    orgs_track_path_column("screens", "org_path");
    orgs_track_path_column("playlists", "org_path");
    orgs_track_path_column("screen_play_days", "org_path");
    orgs_track_path_column("screen_admins", "org_path");
    screen_kiosk_init();
}

void screens_register_routes(void)
{
    router_add_table(screen_routes);
    playlists_register_routes();
    screen_pairing_register_routes();
    screen_kiosk_register_routes();
    screen_admins_register_routes();
}
