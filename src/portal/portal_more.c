/* portal_more.c - the portal's resources and live rooms (see portal.h): public resources (approved
 * AND marked is_public) as a list and a page with an HTML5 player fed by a public file URL that
 * answers Range (reply_file), the live room of a public activity with a stream or a replay link,
 * and their JSON twins (/api/v1/public/activities, /public/resources...).
 *
 * The live room counts activities.stream_viewers once per visitor and day with a cookie
 * (kp_live_<id> = the day, expiring after a day, HttpOnly): nothing about the visitor is kept on
 * the server, and the count is batched with the views (portal_views.c). */
#include "portal/portal.h"
#include "db/query.h"
#include "files/files.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define PUBLIC_RESOURCE "r.status = 'approved' AND r.is_public = 1"

/* The public resource id: title, summary, kind, node name and path, premium, and its newest
 * version's id, mime and sha256 (NULL when it has no file). */
typedef struct pres {
    int64_t id, version_id;
    const char *title, *summary, *kind, *org_name, *org_path, *mime, *sha256, *authors;
    bool premium;
} pres;

/* Public: an approved resource its node marked public is shown to anyone; every other id is not found. */
static int resource_get_public_unscoped(db *c, arena *a, int64_t id, pres *out)
{
    qb q;
    qb_init(&q, "SELECT r.id, r.title, r.summary, r.kind, o.name, r.org_path, r.premium, v.id, v.mime, v.sha256, r.authors "
                "FROM resources r JOIN orgs o ON o.id = r.org_id LEFT JOIN resource_versions v ON v.resource_id = r.id AND "
                "v.version_no = (SELECT MAX(version_no) FROM resource_versions WHERE resource_id = r.id) "
                "WHERE r.id = ? AND " PUBLIC_RESOURCE);
    qb_int(&q, id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *out = (pres){.id = db_col_int(s, 0), .title = arena_strdup(a, db_col_text(s, 1)),
                      .summary = db_col_null(s, 2) ? NULL : arena_strdup(a, db_col_text(s, 2)),
                      .kind = arena_strdup(a, db_col_text(s, 3)), .org_name = arena_strdup(a, db_col_text(s, 4)),
                      .org_path = arena_strdup(a, db_col_text(s, 5)), .premium = db_col_int(s, 6) != 0,
                      .version_id = db_col_null(s, 7) ? 0 : db_col_int(s, 7),
                      .mime = db_col_null(s, 8) ? NULL : arena_strdup(a, db_col_text(s, 8)),
                      .sha256 = db_col_null(s, 9) ? NULL : arena_strdup(a, db_col_text(s, 9)),
                      .authors = db_col_null(s, 10) ? NULL : arena_strdup(a, db_col_text(s, 10))};
    }
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? PORTAL_NOT_FOUND : rc;
}

void portal_q_public_resources_unscoped(struct qb *q, int64_t limit)
{
    qb_init(q, "SELECT r.id, r.title, r.premium, r.kind, o.name FROM resources r JOIN orgs o ON o.id = r.org_id WHERE "
               PUBLIC_RESOURCE " ORDER BY r.premium DESC, r.id DESC LIMIT ?");
    qb_int(q, limit);
}

void portal_resource_item(db_stmt *s, sbuf *b, void *cls)
{
    (void)cls;
    html_f(b, "<li><a href=\"/portal/resources/%I\">%s</a><small>%R%s · %s</small></li>", db_col_int(s, 0),
           db_col_text(s, 1), db_col_int(s, 2) ? "精品 · " : "", db_col_text(s, 3), db_col_text(s, 4));
}

/* GET /portal/resources: the public resources, premium first. */
static void handle_resources(request *r)
{
    if (!portal_take(r)) return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    sbuf b;
    sbuf_init(&b);
    portal_page_begin(&b, "科普资源");
    qb q;
    portal_q_public_resources_unscoped(&q, 200);
    int n = 0;
    sbuf_add(&b, "<ul>");
    int rc = portal_rows(c, &q, &b, portal_resource_item, NULL, &n);
    if (!n) sbuf_add(&b, "<li>暂无公开资源</li>");
    sbuf_add(&b, "</ul>");
    if (rc != DB_OK) { sbuf_free(&b); reply_db_error(r); return; }
    portal_page_end(&b);
    portal_reply(r, &b, portal_root_path(c, &r->arena));
}

/* GET /portal/resources/:id: the resource with a player (video, audio) or a link to its file. */
static void handle_resource(request *r)
{
    int64_t id;
    pres x;
    if (!param_id(r, 0, &id) || !portal_take(r)) return;
    db *c = db_thread();
    int rc = c ? resource_get_public_unscoped(c, &r->arena, id, &x) : DB_ERR;
    if (rc == PORTAL_NOT_FOUND) { portal_not_found(r); return; }
    if (rc != DB_OK) { reply_db_error(r); return; }
    sbuf b;
    sbuf_init(&b);
    portal_page_begin(&b, x.title);
    html_f(&b, "<p><small>%R%s%R%s</small></p>", x.premium ? "精品资源 · " : "", x.org_name, x.authors ? " · " : "", x.authors);
    if (x.summary) html_f(&b, "<p>%s</p>", x.summary);
    char src[80];
    snprintf(src, sizeof src, "/api/v1/public/resources/%lld/file", (long long)x.id);
    if (!x.sha256) sbuf_add(&b, "<p>暂无文件</p>");
    else if (!strncmp(x.mime, "video/", 6)) html_f(&b, "<video controls preload=\"metadata\" src=\"%s\"></video>", src);
    else if (!strncmp(x.mime, "audio/", 6)) html_f(&b, "<audio controls preload=\"metadata\" src=\"%s\"></audio>", src);
    if (x.sha256) html_f(&b, "<p><a href=\"%s\">打开文件</a></p>", src);
    portal_page_end(&b);
    portal_reply(r, &b, x.org_path);
}

/* GET /api/v1/public/resources/:id/file: the newest version's bytes, answering Range (players
 * seek with it); tagged by the content's hash, cacheable for an hour. */
static void handle_file(request *r)
{
    int64_t id;
    pres x;
    size_t size;
    if (!param_id(r, 0, &id) || !portal_take(r)) return;
    db *c = db_thread();
    int rc = c ? resource_get_public_unscoped(c, &r->arena, id, &x) : DB_ERR;
    if (rc == DB_OK && !x.sha256) rc = PORTAL_NOT_FOUND;
    if (rc == PORTAL_NOT_FOUND) { reply_not_found(r); return; }
    if (rc != DB_OK) { reply_db_error(r); return; }
    int fd = files_open(x.sha256, &size);
    if (fd < 0) { reply_not_found(r); return; }
    const char *etag = arena_printf(&r->arena, "\"%s\"", x.sha256);
    file_meta m = {.type = x.mime, .cache = "public, max-age=3600", .etag = etag};
    reply_file(r, fd, size, &m);
}

/* GET /api/v1/public/resources/:id: the twin of the resource page. */
static void handle_resource_json(request *r)
{
    int64_t id;
    pres x;
    if (!param_id(r, 0, &id) || !portal_take(r)) return;
    db *c = db_thread();
    int rc = c ? resource_get_public_unscoped(c, &r->arena, id, &x) : DB_ERR;
    if (rc == PORTAL_NOT_FOUND) { reply_not_found(r); return; }
    if (rc != DB_OK) { reply_db_error(r); return; }
    json_t *o = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:b, s:s?, s:s?}", "id", (json_int_t)x.id, "title", x.title, "summary",
                          x.summary, "kind", x.kind, "org_name", x.org_name, "premium", x.premium, "authors", x.authors,
                          "mime", x.mime);
    json_object_set_new(o, "file_url", x.sha256 ? json_sprintf("/api/v1/public/resources/%lld/file", (long long)x.id) : json_null());
    reply_json(r, 200, o);
    reply_header(r, "Cache-Control", "public, max-age=60");
}

/* A query's rows as a JSON array of objects with the given keys (text columns; "#" before a key:
 * an integer column). */
static int rows_json(db *c, qb *q, const char *const *keys, json_t *arr)
{
    db_stmt *s = qb_prepare(q, c);
    if (!s) return DB_ERR;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        json_t *o = json_object();
        for (int i = 0; keys[i]; i++) {
            bool num = keys[i][0] == '#';
            const char *k = keys[i] + num;
            json_object_set_new(o, k, db_col_null(s, i) ? json_null() : num ? json_integer(db_col_int(s, i)) : json_string(db_col_text(s, i)));
        }
        json_array_append_new(arr, o);
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

/* GET /api/v1/public/resources: the public resources (at most 200), premium first. */
static void handle_resources_json(request *r)
{
    static const char *const keys[] = {"#id", "title", "#premium", "kind", "org_name", NULL};
    if (!portal_take(r)) return;
    db *c = db_thread();
    qb q;
    portal_q_public_resources_unscoped(&q, 200);
    json_t *items = json_array();
    int rc = c ? rows_json(c, &q, keys, items) : DB_ERR;
    if (rc != DB_OK) { json_decref(items); reply_db_error(r); return; }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
    reply_header(r, "Cache-Control", "public, max-age=60");
}

/* GET /api/v1/public/activities?month=YYYY-MM: the public activities of a month (this one by default). */
static void handle_activities_json(request *r)
{
    static const char *const keys[] = {"#id", "title", "start_date", "end_date", "place", "org_name", "stream_url", "replay_url", NULL};
    const char *m = req_query(r, "month");
    char first[11], last[11];
    int y, mo;
    if (!portal_take(r)) return;
    char now[40], day[11];
    portal_now(now, day);
    if (!m || !*m) m = arena_printf(&r->arena, "%.7s", day);
    if (strlen(m) != 7 || sscanf(m, "%4d-%2d", &y, &mo) != 2 || mo < 1 || mo > 12 || y < 2000 || y > 2100) {
        reply_error(r, 422, "invalid_field", "month", "月份格式应为 YYYY-MM / month must be YYYY-MM");
        return;
    }
    snprintf(first, sizeof first, "%04d-%02d-01", y, mo);
    snprintf(last, sizeof last, "%04d-%02d-31", y, mo);
    db *c = db_thread();
    qb q;
    qb_init(&q, "SELECT a.id, a.title, a.start_date, a.end_date, a.place, o.name, a.stream_url, a.replay_url FROM activities a "
                "JOIN orgs o ON o.id = a.org_id WHERE a.is_public = 1 AND a.end_date >= ? AND a.start_date <= ? "
                "ORDER BY a.start_date, a.id LIMIT 500");
    qb_text(&q, first), qb_text(&q, last);
    json_t *items = json_array();
    int rc = c ? rows_json(c, &q, keys, items) : DB_ERR;
    if (rc != DB_OK) { json_decref(items); reply_db_error(r); return; }
    reply_json(r, 200, json_pack("{s:o, s:s}", "items", items, "month", m));
    reply_header(r, "Cache-Control", "public, max-age=60");
}

/* GET /portal/live/:id: the live room of a public activity with a stream or a replay link. */
static void handle_live(request *r)
{
    int64_t id;
    if (!param_id(r, 0, &id) || !portal_take(r)) return;
    db *c = db_thread();
    if (!c) { reply_db_error(r); return; }
    qb q;
    qb_init(&q, "SELECT a.title, a.start_date, a.place, a.stream_url, a.replay_url, a.stream_viewers, a.org_path, a.description "
                "FROM activities a WHERE a.id = ? AND a.is_public = 1 AND (a.stream_url IS NOT NULL OR a.replay_url IS NOT NULL)");
    qb_int(&q, id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) { reply_db_error(r); return; }
    int rc = db_step(s);
    if (rc != DB_ROW) { db_finish(s); rc == DB_DONE ? portal_not_found(r) : reply_db_error(r); return; }
    sbuf b;
    sbuf_init(&b);
    portal_page_begin(&b, db_col_text(s, 0));
    html_f(&b, "<p><small>%s · %s · 已有 %I 人次观看</small></p>", db_col_text(s, 1), db_col_text(s, 2), db_col_int(s, 5));
    /* the links were checked as http(s) when saved; escaped as attribute values all the same */
    if (!db_col_null(s, 3))
        html_f(&b, "<h2>直播</h2><video controls playsinline src=\"%s\"></video><p><a href=\"%s\">在新窗口打开直播</a></p>",
               db_col_text(s, 3), db_col_text(s, 3));
    if (!db_col_null(s, 4))
        html_f(&b, "<h2>回放</h2><video controls preload=\"metadata\" src=\"%s\"></video>", db_col_text(s, 4));
    if (!db_col_null(s, 7)) html_f(&b, "<p>%s</p>", db_col_text(s, 7));
    const char *path = arena_strdup(&r->arena, db_col_text(s, 6));
    db_finish(s);
    portal_page_end(&b);
    /* one viewer per visitor and day: the cookie says the visitor came today already */
    char name[40], day[11], now[40];
    snprintf(name, sizeof name, "kp_live_%lld", (long long)id);
    portal_now(now, day);
    const char *seen = req_cookie(r, name);
    bool counted = seen && !strcmp(seen, day);
    if (!counted) portal_live_viewer(id);
    portal_reply(r, &b, path);
    if (!counted)
        reply_header(r, "Set-Cookie", arena_printf(&r->arena, "%s=%s; Path=/portal/live/%lld; Max-Age=86400; HttpOnly; SameSite=Lax",
                                                   name, day, (long long)id));
}

const struct route portal_more_table[] = {
    {"GET", "/portal/resources", handle_resources, ROUTE_PUBLIC, 0, .summary = "Public resources (HTML)"},
    {"GET", "/portal/resources/:id", handle_resource, ROUTE_PUBLIC, 0, .summary = "A public resource with its player (HTML)"},
    {"GET", "/portal/live/:id", handle_live, ROUTE_PUBLIC, 0, .summary = "The live room of a public activity (HTML)"},
    {0},
};

static const struct route more_routes[] = {
    {"GET", "/api/v1/public/resources", handle_resources_json, ROUTE_PUBLIC, 0,
     .summary = "Public resources (approved and marked public), premium first"},
    {"GET", "/api/v1/public/resources/:id", handle_resource_json, ROUTE_PUBLIC, 0, .summary = "A public resource"},
    {"GET", "/api/v1/public/resources/:id/file", handle_file, ROUTE_PUBLIC, 0,
     .summary = "A public resource's newest file (answers Range)"},
    {"GET", "/api/v1/public/activities", handle_activities_json, ROUTE_PUBLIC, 0,
     .summary = "The public activities of a month (?month=YYYY-MM)"},
    {0},
};

void portal_more_register(void) { router_add_table(more_routes); }
