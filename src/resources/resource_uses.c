/* resource_uses.c - what happens to a resource once it is in the library (see resources.h):
 * courses link it (POST / DELETE /courses/:id/resources/:rid: the course in the caller's scope,
 * the resource visible from the course's node), GET /resources/:id/uses lists the linking courses
 * the caller sees; a user rates it once (PUT /resources/:id/rating, the sum and count kept on the
 * row; GET gives back their own stars); a signed-in view is counted (POST /resources/:id/views) on the row and, per the viewer's
 * node and day, in resource_view_days, the raw records of the statistics' metric resource_views. */
#include "resources/resources.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "http/router.h"
#include "stats/stats.h"
#include "teaching/teaching.h"
#include <string.h>

/* verify and rebuild recompute resource_views from here (stats_register_key_source) */
static const char view_source[] = "SELECT org_path, day, 'resource_views' AS key, n FROM resource_view_days";

struct use_args {
    const principal *p;
    arena *a;
    int64_t course_id, resource_id;
    int stars;
};

/* The course as the caller's scope sees it, and the resource as the course's node sees it (its
 * own subtree's, or shared to a node above it): staff link only what their point's users read. */
static int load_pair(db *c, struct use_args *w, course *co, resource *r)
{
    int rc = entity_get(c, &course_entity, &w->p->scope, w->a, w->course_id, co);
    if (rc == TEACH_NOT_FOUND) return RES_COURSE_NOT_FOUND;
    if (rc != DB_OK) return rc;
    scope at = {.user_id = w->p->user_id, .level = SCOPE_SUBTREE, .n = 1};
    at.paths[0] = co->org_path;
    at.uppers[0] = path_upper_bound(w->a, co->org_path);
    return entity_get(c, &resource_entity, &at, w->a, w->resource_id, r);
}

static json_t *use_json(const struct use_args *w)
{
    return json_pack("{s:I, s:I}", "course_id", (json_int_t)w->course_id, "resource_id", (json_int_t)w->resource_id);
}

static int link_cb(db *c, void *cls)
{
    struct use_args *w = cls;
    course co;
    resource r;
    int rc = load_pair(c, w, &co, &r);
    if (rc != DB_OK) return rc;
    if (strcmp(r.status, "withdrawn") == 0) return RES_STATE;
    qb q;
    int64_t one = 0;
    qb_init(&q, "SELECT 1 FROM resource_uses WHERE course_id = ? AND resource_id = ?");
    qb_int(&q, w->course_id), qb_int(&q, w->resource_id);
    if ((rc = qb_exec(c, &q, &one)) == DB_OK) return DB_OK;   /* linked already: nothing to change */
    if (rc != DB_DONE) return rc;
    char now[40];
    time_now_rfc3339(now);
    qb_init(&q, "INSERT INTO resource_uses (course_id, resource_id, org_path, created_by, created_at) VALUES (?, ?, ?, ?, ?)");
    qb_int(&q, w->course_id), qb_int(&q, w->resource_id), qb_text(&q, co.org_path), qb_int(&q, w->p->user_id);
    qb_text(&q, now);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    json_t *after = use_json(w);
    rc = audit_record(c, actor_of(w->p), co.org_path, "resource_use", w->resource_id, "create", NULL, after);
    json_decref(after);
    return rc;
}

static int unlink_cb(db *c, void *cls)
{
    struct use_args *w = cls;
    course co;
    int rc = entity_get(c, &course_entity, &w->p->scope, w->a, w->course_id, &co);
    if (rc == TEACH_NOT_FOUND) return RES_COURSE_NOT_FOUND;
    if (rc != DB_OK) return rc;
    qb q;
    int64_t id = 0;
    qb_init(&q, "DELETE FROM resource_uses WHERE course_id = ? AND resource_id = ? RETURNING id");
    qb_int(&q, w->course_id), qb_int(&q, w->resource_id);
    if ((rc = qb_exec(c, &q, &id)) == DB_DONE) return RES_USE_NOT_FOUND;
    if (rc != DB_OK) return rc;
    json_t *before = use_json(w);
    rc = audit_record(c, actor_of(w->p), co.org_path, "resource_use", w->resource_id, "delete", before, NULL);
    json_decref(before);
    return rc;
}

static void handle_link(request *r)
{
    struct use_args w = {r->principal, &r->arena, 0, 0, 0};
    if (!param_id(r, 0, &w.course_id) || !param_id(r, 1, &w.resource_id)) return;
    db *c = db_thread();
    bool add = !strcmp(r->route->method, "POST");
    int rc = c ? db_transaction(c, add ? link_cb : unlink_cb, &w) : DB_ERR;
    entity_reply_result(r, &resource_entity, rc, 204, NULL);
}

/* The courses linking the resource that the caller's scope sees. */
static void handle_uses(request *r)
{
    resource res;
    if (!resource_of_request(r, &res)) return;
    db *c = db_thread();
    int rc;
    qb where;
    qb_init(&where, "");
    if ((rc = entity_list_where(c, &course_entity, &r->principal->scope, &r->arena, 0, &where)) != DB_OK) {
        reply_db_error(r);
        return;
    }
    qb_sql(&where, " AND x.id IN (SELECT course_id FROM resource_uses WHERE resource_id = ?)");
    qb_int(&where, res.id);
    jw w;
    jw_list_open(&w);
    rc = entity_list_all(c, &course_entity, &where, NULL, &r->arena, &w, NULL, NULL);
    if (rc != DB_OK) { jw_free(&w); reply_db_error(r); return; }
    jw_obj_end(&w);
    reply_jw(r, 200, &w);
}

/* One rating per user: a second one replaces the first (the sum follows). */
static int rate_cb(db *c, void *cls)
{
    struct use_args *w = cls;
    resource r;
    int rc = resources_get(c, w->p, w->a, w->resource_id, &r);
    if (rc != DB_OK) return rc;
    qb q;
    int64_t old = 0;
    qb_init(&q, "SELECT stars FROM resource_ratings WHERE resource_id = ? AND user_id = ?");
    qb_int(&q, w->resource_id), qb_int(&q, w->p->user_id);
    if ((rc = qb_exec(c, &q, &old)) != DB_OK && rc != DB_DONE) return rc;
    bool again = rc == DB_OK;
    char now[40];
    time_now_rfc3339(now);
    qb_init(&q, again ? "UPDATE resource_ratings SET stars = ?, created_at = ? WHERE resource_id = ? AND user_id = ?"
                      : "INSERT INTO resource_ratings (stars, created_at, resource_id, user_id) VALUES (?, ?, ?, ?)");
    qb_int(&q, w->stars), qb_text(&q, now), qb_int(&q, w->resource_id), qb_int(&q, w->p->user_id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    qb_init(&q, "UPDATE resources SET rating_sum = rating_sum + ?, rating_count = rating_count + ? WHERE id = ?");
    qb_int(&q, w->stars - old), qb_int(&q, again ? 0 : 1), qb_int(&q, w->resource_id);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    json_t *before = again ? json_pack("{s:I}", "stars", (json_int_t)old) : NULL, *after = json_pack("{s:i}", "stars", w->stars);
    rc = again ? audit_record(c, actor_of(w->p), r.org_path, "resource_rating", w->resource_id, "update", before, after)
               : audit_record(c, actor_of(w->p), r.org_path, "resource_rating", w->resource_id, "create", NULL, after);
    json_decref(before), json_decref(after);
    return rc;
}

/* GET /resources/:id/rating: the caller's own stars ({"stars": null} before they rate), so a
 * page shows what they gave; the resource read in their scope like GET /resources/:id. */
static void handle_my_rating(request *r)
{
    int64_t id, stars = 0;
    resource res;
    if (!param_id(r, 0, &id)) return;
    db *c = db_thread();
    int rc = c ? resources_get(c, r->principal, &r->arena, id, &res) : DB_ERR;
    if (rc != DB_OK) { entity_reply_result(r, &resource_entity, rc, 200, &res); return; }
    qb q;
    qb_init(&q, "SELECT stars FROM resource_ratings WHERE resource_id = ? AND user_id = ?");
    qb_int(&q, id), qb_int(&q, r->principal->user_id);
    rc = qb_exec(c, &q, &stars);
    if (rc != DB_OK && rc != DB_DONE) { reply_db_error(r); return; }
    reply_json(r, 200, json_pack("{s:o}", "stars", rc == DB_OK ? json_integer(stars) : json_null()));
}

static void handle_rate(request *r)
{
    static const char *const allowed[] = {"stars", NULL};
    struct use_args w = {r->principal, &r->arena, 0, 0, 0};
    int64_t stars = 0;
    resource out;
    if (!param_id(r, 0, &w.resource_id) || !body_allow_fields(r, allowed, NULL) ||
        !body_int(r, "stars", true, &stars, NULL))
        return;
    if (stars < 1 || stars > 5) { entity_reply_error(r, &resource_entity, RES_BAD_STARS); return; }
    w.stars = (int)stars;
    db *c = db_thread();
    int rc = c ? db_transaction(c, rate_cb, &w) : DB_ERR;
    if (rc == DB_OK) rc = resources_get(c, r->principal, &r->arena, w.resource_id, &out);
    entity_reply_result(r, &resource_entity, rc, 200, &out);
}

int resources_count_views_unscoped(db *c, int64_t id, const char *org_path, const char *day, int64_t n)
{
    qb q;
    qb_init(&q, "UPDATE resources SET views = views + ? WHERE id = ?");
    qb_int(&q, n), qb_int(&q, id);
    int rc = qb_exec(c, &q, NULL);
    if (rc != DB_OK) return rc;
    qb_init(&q, "INSERT INTO resource_view_days (resource_id, org_path, day, n) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (resource_id, org_path, day) DO UPDATE SET n = resource_view_days.n + ?");
    qb_int(&q, id), qb_text(&q, org_path), qb_text(&q, day), qb_int(&q, n), qb_int(&q, n);
    if ((rc = qb_exec(c, &q, NULL)) != DB_OK) return rc;
    stats_key k = {"resource_views", n};
    return stats_add_keys(c, org_path, day, &k, 1, 1);
}

/* A view, counted at the viewer's node (the resource's own for a user above the tree). Not
 * audited: a view changes no record anyone maintains, only counts. */
static int view_cb(db *c, void *cls)
{
    struct use_args *w = cls;
    resource r;
    int rc = resources_get(c, w->p, w->a, w->resource_id, &r);
    if (rc != DB_OK) return rc;
    char now[40], day[11];
    time_now_rfc3339(now);
    memcpy(day, now, 10), day[10] = '\0';
    return resources_count_views_unscoped(c, w->resource_id, w->p->org_path ? w->p->org_path : r.org_path, day, 1);
}

static void handle_view(request *r)
{
    struct use_args w = {r->principal, &r->arena, 0, 0, 0};
    resource out;
    if (!param_id(r, 0, &w.resource_id)) return;
    db *c = db_thread();
    int rc = c ? db_transaction(c, view_cb, &w) : DB_ERR;
    if (rc == DB_OK) rc = resources_get(c, r->principal, &r->arena, w.resource_id, &out);
    entity_reply_result(r, &resource_entity, rc, 200, &out);
}

static const struct route use_routes[] = {
    {"POST", "/api/v1/courses/:id/resources/:rid", handle_link, RANK_STAFF, 0,
     .summary = "Link a resource to a course (one the course's node reads)", .entity = &resource_entity},
    {"DELETE", "/api/v1/courses/:id/resources/:rid", handle_link, RANK_STAFF, 0,
     .summary = "Unlink a resource from a course", .entity = &resource_entity},
    {"GET", "/api/v1/resources/:id/uses", handle_uses, RANK_MEMBER, 0,
     .summary = "Courses linking a resource, those the caller sees", .entity = &course_entity},
    {"GET", "/api/v1/resources/:id/rating", handle_my_rating, RANK_MEMBER, 0,
     .summary = "The caller's own rating of a resource: {stars} (null before they rate)"},
    {"PUT", "/api/v1/resources/:id/rating", handle_rate, RANK_MEMBER, 0,
     .summary = "Rate a resource 1..5 stars (one rating per user; again replaces it)", .entity = &resource_entity},
    {"POST", "/api/v1/resources/:id/views", handle_view, RANK_MEMBER, 0,
     .summary = "Count a view (the row and the statistics' resource_views)", .entity = &resource_entity},
    {0},
};

void resource_uses_init(void)
{
    stats_register_keyed_metric("resource_views");
    stats_register_metric_label("resource_views", "资源浏览量");
    stats_register_key_source(view_source);
}

void resource_uses_register_routes(void)
{
    router_add_table(use_routes);
}
