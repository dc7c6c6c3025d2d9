/* portal_courses.c - the portal's courses (see portal.h): a teaching point's upcoming courses, a
 * course's page with the enrolment form, and their JSON twins. Public: a scheduled course of a
 * teaching point is shown to anyone (its title, time, place and point, as on the point's notice
 * board); every other id is the one 404. The form is the page's only script: it posts to the JSON
 * routes of portal_enrol.c (a code by SMS, then the enrolment); the page reads without it. */
#include "portal/portal.h"
#include "db/query.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define COURSE_COLS "x.id, x.title, x.starts_at, x.ends_at, COALESCE(x.place, ''), o.id, o.name, x.capacity, " \
                    "(SELECT COUNT(*) FROM course_enrolments e WHERE e.course_id = x.id), x.org_path, x.topic, x.audience"
#define PUBLIC_COURSE "x.status = 'scheduled' AND o.type = 'point'"

static void read_course(db_stmt *s, arena *a, const char *now, pcourse *x)
{
    *x = (pcourse){.id = db_col_int(s, 0), .title = arena_strdup(a, db_col_text(s, 1)),
                   .starts_at = arena_strdup(a, db_col_text(s, 2)), .ends_at = arena_strdup(a, db_col_text(s, 3)),
                   .place = arena_strdup(a, db_col_text(s, 4)), .point_id = db_col_int(s, 5),
                   .point_name = arena_strdup(a, db_col_text(s, 6)), .capacity = db_col_int(s, 7),
                   .enrolled = db_col_int(s, 8), .org_path = arena_strdup(a, db_col_text(s, 9)),
                   .topic = db_col_null(s, 10) ? NULL : arena_strdup(a, db_col_text(s, 10)),
                   .audience = db_col_null(s, 11) ? NULL : arena_strdup(a, db_col_text(s, 11))};
    x->open = strcmp(x->starts_at, now) > 0;
}

/* Public (see the top comment and portal.h). */
int portal_course_get_public_unscoped(db *c, arena *a, int64_t id, pcourse *out)
{
    char now[40], day[11];
    portal_now(now, day);
    qb q;
    qb_init(&q, "SELECT " COURSE_COLS " FROM courses x JOIN orgs o ON o.id = x.org_id WHERE x.id = ? AND " PUBLIC_COURSE);
    qb_int(&q, id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) read_course(s, a, now, out);
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? PORTAL_NOT_FOUND : rc;
}

/* The point's name and path (a teaching point), or PORTAL_NOT_FOUND. */
static int point_get(db *c, arena *a, int64_t id, const char **name, const char **path)
{
    db_stmt *s = db_prepare(c, "SELECT name, path FROM orgs WHERE id = ? AND type = 'point'");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) *name = arena_strdup(a, db_col_text(s, 0)), *path = arena_strdup(a, db_col_text(s, 1));
    db_finish(s);
    return rc == DB_ROW ? DB_OK : rc == DB_DONE ? PORTAL_NOT_FOUND : rc;
}

static void upcoming(qb *q, int64_t point_id, const char *now)
{
    qb_init(q, "SELECT " COURSE_COLS " FROM courses x JOIN orgs o ON o.id = x.org_id WHERE x.org_id = ? AND " PUBLIC_COURSE
               " AND x.starts_at > ? ORDER BY x.starts_at, x.id LIMIT 100");
    qb_int(q, point_id), qb_text(q, now);
}

static void course_li(db_stmt *s, sbuf *b, void *cls)
{
    char when[20];
    (void)cls;
    portal_when(db_col_text(s, 2), when);
    html_f(b, "<li><a href=\"/portal/courses/%I\">%s</a><small>%s · %s</small></li>", db_col_int(s, 0), db_col_text(s, 1),
           when, db_col_text(s, 4));
}

/* GET /portal/points/:id: the point's upcoming courses. */
/* What the point's courses used of the library, the public resources among them (a section of
 * its page only when there are some). Unscoped by design, as every public read: public rows only. */
static int used_resources_unscoped(db *c, sbuf *b, int64_t point_id)
{
    qb q;
    qb_init(&q, "SELECT r.id, r.title, r.premium, r.kind, o.name FROM resources r JOIN orgs o ON o.id = r.org_id "
                "WHERE r.status = 'approved' AND r.is_public = 1 AND r.id IN (SELECT u.resource_id FROM resource_uses u "
                "JOIN courses x ON x.id = u.course_id WHERE x.org_id = ?) ORDER BY r.premium DESC, r.id DESC LIMIT 20");
    qb_int(&q, point_id);
    sbuf list;
    sbuf_init(&list);
    int n = 0, rc = portal_rows(c, &q, &list, portal_resource_item, NULL, &n);
    if (rc == DB_OK && n) sbuf_add(b, "<h2>课程用到的资源</h2><ul>"), sbuf_add(b, list.s), sbuf_add(b, "</ul>");
    sbuf_free(&list);
    return rc;
}

static void handle_point(request *r)
{
    int64_t id;
    const char *name, *path;
    if (!param_id(r, 0, &id) || !portal_take(r)) return;
    db *c = db_thread();
    int rc = c ? point_get(c, &r->arena, id, &name, &path) : DB_ERR;
    if (rc == PORTAL_NOT_FOUND) { portal_not_found(r); return; }
    if (rc != DB_OK) { reply_db_error(r); return; }
    char now[40], day[11];
    portal_now(now, day);
    sbuf b;
    sbuf_init(&b);
    portal_page_begin(&b, name);
    sbuf_add(&b, "<h2>近期课程</h2><ul>");
    qb q;
    upcoming(&q, id, now);
    int n = 0;
    rc = portal_rows(c, &q, &b, course_li, NULL, &n);
    if (!n) sbuf_add(&b, "<li>暂无课程</li>");
    sbuf_add(&b, "</ul>");
    if (rc == DB_OK) rc = used_resources_unscoped(c, &b, id);
    if (rc != DB_OK) { sbuf_free(&b); reply_db_error(r); return; }
    portal_page_end(&b);
    portal_reply(r, &b, path);
}

/* The enrolment form's fields (after its opening tag, which carries the course id): a phone gets
 * a code, then name + phone + code enrol; the script is a file of its own (the pages' CSP allows
 * scripts from the server only, no inline one). */
static const char enrol_form[] =
    "<input name=\"name\" placeholder=\"姓名\" maxlength=\"20\" required>"
    "<input name=\"phone\" placeholder=\"手机号\" inputmode=\"numeric\" maxlength=\"11\" required>"
    "<button type=\"button\" id=\"send\">获取验证码</button>"
    "<input name=\"code\" placeholder=\"6 位验证码\" inputmode=\"numeric\" maxlength=\"6\" required>"
    "<button type=\"submit\">提交报名</button><p class=\"msg\" id=\"msg\" hidden></p></form>"
    "<script src=\"/portal/enrol.js\" defer></script>";

static const char enrol_js[] =
    "(function(){var f=document.getElementById('enrol'),m=document.getElementById('msg');if(!f)return;"
    "var u='/api/v1/public/courses/'+f.dataset.course+'/enrolments';"
    "function say(t){m.hidden=false;m.textContent=t}"
    "function post(url,body){return fetch(url,{method:'POST',headers:{'Content-Type':'application/json'},"
    "body:JSON.stringify(body)}).then(function(r){return r.json().then(function(j){return {ok:r.ok,j:j}})})}"
    "function err(x){return (x.j.error&&x.j.error.message||'').split(' / ')[0]}"
    "document.getElementById('send').onclick=function(){post(u+'/code',{phone:f.phone.value}).then(function(x){"
    "say(x.ok?'验证码已发送，5 分钟内有效':err(x))})};"
    "f.onsubmit=function(e){e.preventDefault();post(u,{name:f.name.value,phone:f.phone.value,code:f.code.value})"
    ".then(function(x){say(x.ok?'报名成功：'+x.j.title:err(x))})}})();\n";

/* GET /portal/enrol.js: the form's script. */
static void handle_js(request *r)
{
    char *body = strdup(enrol_js);
    if (!body) { reply_db_error(r); return; }
    reply_body(r, 200, body, strlen(body), "application/javascript; charset=utf-8");
    reply_header(r, "Cache-Control", "public, max-age=3600");
}

/* GET /portal/courses/:id: the course and, while it has not started, the enrolment form. */
static void handle_course(request *r)
{
    int64_t id;
    pcourse x;
    if (!param_id(r, 0, &id) || !portal_take(r)) return;
    db *c = db_thread();
    int rc = c ? portal_course_get_public_unscoped(c, &r->arena, id, &x) : DB_ERR;
    if (rc == PORTAL_NOT_FOUND) { portal_not_found(r); return; }
    if (rc != DB_OK) { reply_db_error(r); return; }
    sbuf b;
    sbuf_init(&b);
    portal_page_begin(&b, x.title);
    char from[20], to[20];
    portal_when(x.starts_at, from);
    portal_when(x.ends_at, to);
    html_f(&b, "<p>时间：%s 至 %s</p><p>地点：%s</p><p>教学点：<a href=\"/portal/points/%I\">%s</a></p>", from,
           to + (strncmp(from, to, 10) ? 0 : 11), x.place, x.point_id, x.point_name);
    if (x.topic) html_f(&b, "<p>主题：%s</p>", x.topic);
    if (x.audience) html_f(&b, "<p>对象：%s</p>", x.audience);
    if (x.capacity > 0) html_f(&b, "<p>名额：%I，已报名 %I</p>", x.capacity, x.enrolled);
    if (!x.open) sbuf_add(&b, "<p>课程已开始，报名已结束。</p>");
    else if (x.capacity > 0 && x.enrolled >= x.capacity) sbuf_add(&b, "<p>名额已满。</p>");
    else {
        html_f(&b, "<h2>报名</h2><form id=\"enrol\" data-course=\"%I\">%R", x.id, enrol_form);
    }
    portal_page_end(&b);
    portal_reply(r, &b, x.org_path);
}

static json_t *course_json(const pcourse *x)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:b, s:s?, s:s?}", "id", (json_int_t)x->id, "title", x->title,
                     "starts_at", x->starts_at, "ends_at", x->ends_at, "place", x->place, "point_id", (json_int_t)x->point_id,
                     "point_name", x->point_name, "capacity", (json_int_t)x->capacity, "enrolled", (json_int_t)x->enrolled,
                     "open", x->open, "topic", x->topic, "audience", x->audience);
}

/* GET /api/v1/public/courses/:id: the twin of the course page. */
static void handle_course_json(request *r)
{
    int64_t id;
    pcourse x;
    if (!param_id(r, 0, &id) || !portal_take(r)) return;
    db *c = db_thread();
    int rc = c ? portal_course_get_public_unscoped(c, &r->arena, id, &x) : DB_ERR;
    if (rc == PORTAL_NOT_FOUND) { reply_not_found(r); return; }
    if (rc != DB_OK) { reply_db_error(r); return; }
    reply_json(r, 200, course_json(&x));
    reply_header(r, "Cache-Control", "public, max-age=60");
}

struct collect {
    arena *a;
    const char *now;
    json_t *items;
};

static void course_collect(db_stmt *s, sbuf *b, void *cls)
{
    struct collect *k = cls;
    pcourse x;
    (void)b;
    read_course(s, k->a, k->now, &x);
    json_array_append_new(k->items, course_json(&x));
}

/* GET /api/v1/public/points/:id/courses: the twin of the point's page. */
static void handle_point_json(request *r)
{
    int64_t id;
    const char *name, *path;
    if (!param_id(r, 0, &id) || !portal_take(r)) return;
    db *c = db_thread();
    int rc = c ? point_get(c, &r->arena, id, &name, &path) : DB_ERR;
    if (rc == PORTAL_NOT_FOUND) { reply_not_found(r); return; }
    if (rc != DB_OK) { reply_db_error(r); return; }
    char now[40], day[11];
    portal_now(now, day);
    struct collect k = {&r->arena, now, json_array()};
    qb q;
    upcoming(&q, id, now);
    if ((rc = portal_rows(c, &q, NULL, course_collect, &k, NULL)) != DB_OK) { json_decref(k.items); reply_db_error(r); return; }
    reply_json(r, 200, json_pack("{s:I, s:s, s:o}", "point_id", (json_int_t)id, "point_name", name, "items", k.items));
    reply_header(r, "Cache-Control", "public, max-age=60");
}

const struct route portal_courses_table[] = {
    {"GET", "/portal/enrol.js", handle_js, ROUTE_PUBLIC, 0, .summary = "The enrolment form's script"},
    {"GET", "/portal/points/:id", handle_point, ROUTE_PUBLIC, 0, .summary = "A teaching point's upcoming courses (HTML)"},
    {"GET", "/portal/courses/:id", handle_course, ROUTE_PUBLIC, 0, .summary = "A course with its enrolment form (HTML)"},
    {0},
};

static const struct route course_routes[] = {
    {"GET", "/api/v1/public/courses/:id", handle_course_json, ROUTE_PUBLIC, 0,
     .summary = "A scheduled course of a teaching point (capacity, enrolled, open)"},
    {"GET", "/api/v1/public/points/:id/courses", handle_point_json, ROUTE_PUBLIC, 0,
     .summary = "A teaching point's upcoming courses"},
    {0},
};

void portal_courses_register(void) { router_add_table(course_routes); }
