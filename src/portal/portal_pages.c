/* portal_pages.c - the portal's pages of what is public already (see portal.h): the home page,
 * notices (a list and one), the activity calendar by month, designations, contests and the live
 * room. Public reads: each query selects only what its page shows publicly (a published public
 * notice, an activity marked is_public, an active designation, a published contest), so it takes
 * no caller's scope; anything else is the one 404 page. */
#include "portal/portal.h"
#include "db/query.h"
#include "http/body.h"
#include "http/reply.h"
#include "http/router.h"
#include "notices/notices.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- rows, as list items ---- */

static void notice_item(db_stmt *s, sbuf *b, void *cls)
{
    (void)cls;
    html_f(b, "<li><a href=\"/portal/notices/%I\">%s</a><small>%s · %s</small></li>", db_col_int(s, 0),
           db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3));
}

static void activity_item(db_stmt *s, sbuf *b, void *cls)
{
    (void)cls;
    html_f(b, "<li>%s<small>%s 至 %s · %s · %s</small>", db_col_text(s, 1), db_col_text(s, 2), db_col_text(s, 3),
           db_col_text(s, 4), db_col_text(s, 5));
    if (!db_col_null(s, 6) || !db_col_null(s, 7)) html_f(b, "<a href=\"/portal/live/%I\">进入直播间</a>", db_col_int(s, 0));
    sbuf_add(b, "</li>");
}

/* The calendar: a heading per start day (one begun in an earlier month and still running comes first),
 * then the day's activities; cls is the day shown last. */
static void calendar_item(db_stmt *s, sbuf *b, void *cls)
{
    char *shown = cls;
    const char *day = db_col_text(s, 2);
    if (strncmp(shown, day, 10)) {
        if (*shown) sbuf_add(b, "</ul>");
        snprintf(shown, 11, "%.10s", day);
        html_f(b, "<h2>%s</h2><ul>", shown);
    }
    activity_item(s, b, NULL);
}

static void course_item(db_stmt *s, sbuf *b, void *cls)
{
    char when[20];
    (void)cls;
    portal_when(db_col_text(s, 2), when);
    html_f(b, "<li><a href=\"/portal/courses/%I\">%s</a><small>%s · %s · <a href=\"/portal/points/%I\">%s</a></small></li>",
           db_col_int(s, 0), db_col_text(s, 1), when, db_col_text(s, 3), db_col_int(s, 4), db_col_text(s, 5));
}

static void designation_item(db_stmt *s, sbuf *b, void *cls)
{
    (void)cls;
    html_f(b, "<li>%s<small>%s · %s 起</small></li>", db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2));
}

static void contest_item(db_stmt *s, sbuf *b, void *cls)
{
    char when[20];
    (void)cls;
    portal_when(db_col_text(s, 2), when);
    html_f(b, "<li><a href=\"/contest/%I\">%s</a><small>截止 %s</small></li>", db_col_int(s, 0), db_col_text(s, 1), when);
}

/* ---- the queries of public records (limit rows, newest or soonest first) ----
 * Unscoped by design: a portal visitor has no scope, and each query selects only what its node
 * made public (public notices, is_public activities and resources, scheduled courses of teaching
 * points, active titles, published contests). */

static void q_notices_unscoped(qb *q, const char *now, int64_t limit, int64_t offset)
{
    qb_init(q, "SELECT n.id, n.title, substr(n.publish_at, 1, 10), o.name FROM notices n JOIN orgs o ON o.id = n.org_id "
               "WHERE n.public = 1 AND n.status = 'published' AND n.publish_at <= ? ORDER BY n.publish_at DESC, n.id DESC "
               "LIMIT ? OFFSET ?");
    qb_text(q, now), qb_int(q, limit), qb_int(q, offset);
}

/* The public activities running between from and to: read down the index (is_public, end_date,
 * start_date) from the first ending on or after from; the start is checked in the index. */
static void q_activities_unscoped(qb *q, const char *from, const char *to, int64_t limit)
{
    qb_init(q, "SELECT a.id, a.title, a.start_date, a.end_date, COALESCE(a.place, ''), o.name, a.stream_url, a.replay_url "
               "FROM activities a JOIN orgs o ON o.id = a.org_id WHERE a.is_public = 1 AND a.end_date >= ? AND a.start_date <= ? "
               "ORDER BY a.start_date, a.id LIMIT ?");
    qb_text(q, from), qb_text(q, to), qb_int(q, limit);
}

static void q_open_courses_unscoped(qb *q, const char *now, int64_t limit)
{
    qb_init(q, "SELECT x.id, x.title, x.starts_at, COALESCE(x.place, ''), o.id, o.name FROM courses x JOIN orgs o ON o.id = x.org_id "
               "WHERE x.status = 'scheduled' AND x.starts_at > ? AND o.type = 'point' ORDER BY x.starts_at, x.id LIMIT ?");
    qb_text(q, now), qb_int(q, limit);
}

static void q_designations_unscoped(qb *q, const char *day, int64_t limit)
{
    qb_init(q, "SELECT d.name, k.name, d.valid_from FROM designations d JOIN designation_kinds k ON k.code = d.kind "
               "WHERE d.status = 'active' AND (d.valid_to IS NULL OR d.valid_to >= ?) ORDER BY d.valid_from DESC, d.id DESC LIMIT ?");
    qb_text(q, day), qb_int(q, limit);
}

static void q_contests_unscoped(qb *q, const char *now)
{
    qb_init(q, "SELECT ct.id, ct.title, substr(ct.closes_at, 1, 16) FROM contests ct WHERE ct.status = 'published' "
               "AND ct.closes_at > ? ORDER BY ct.closes_at, ct.id LIMIT 20");
    qb_text(q, now);
}

/* A titled list section; an empty one says so. */
static int section(db *c, sbuf *b, const char *title, const char *more, qb *q, portal_row_fn fn)
{
    int n = 0;
    html_f(b, "<h2>%s</h2><ul>", title);
    int rc = portal_rows(c, q, b, fn, NULL, &n);
    if (!n) sbuf_add(b, "<li>暂无</li>");
    sbuf_add(b, "</ul>");
    if (more) html_f(b, "<p><a href=\"%R\">查看更多</a></p>", more);
    return rc;
}

/* Starts a page: the limit per address and the connection; false after replying. */
static bool page_start(request *r, db **c)
{
    if (!portal_take(r)) return false;
    *c = db_thread();
    if (!*c) { reply_db_error(r); return false; }
    return true;
}

static void finish(request *r, sbuf *b, int rc, const char *node_path)
{
    if (rc != DB_OK) { sbuf_free(b); reply_db_error(r); return; }
    portal_page_end(b);
    portal_reply(r, b, node_path);
}

/* GET /portal: the newest and the soonest of everything public; a view of the city root. */
static void handle_home(request *r)
{
    db *c;
    if (!page_start(r, &c)) return;
    char now[40], day[11];
    portal_now(now, day);
    sbuf b;
    sbuf_init(&b);
    portal_page_begin(&b, "科普门户首页");
    qb q;
    q_notices_unscoped(&q, now, 5, 0);
    int rc = section(c, &b, "通知公告", "/portal/notices", &q, notice_item);
    if (rc == DB_OK) q_activities_unscoped(&q, day, "9999-12-31", 5), rc = section(c, &b, "近期活动", "/portal/activities", &q, activity_item);
    if (rc == DB_OK) q_open_courses_unscoped(&q, now, 5), rc = section(c, &b, "开放报名的课程", NULL, &q, course_item);
    if (rc == DB_OK) portal_q_public_resources_unscoped(&q, 5), rc = section(c, &b, "科普资源", "/portal/resources", &q, portal_resource_item);
    if (rc == DB_OK) q_designations_unscoped(&q, day, 5), rc = section(c, &b, "示范命名", "/portal/designations", &q, designation_item);
    if (rc == DB_OK) q_contests_unscoped(&q, now), rc = section(c, &b, "知识竞赛", "/portal/contests", &q, contest_item);
    finish(r, &b, rc, rc == DB_OK ? portal_root_path(c, &r->arena) : NULL);
}

/* GET /portal/notices?page= : 20 a page. */
static void handle_notices(request *r)
{
    db *c;
    if (!page_start(r, &c)) return;
    const char *pg = req_query(r, "page");
    int64_t pageno = pg ? atoll(pg) : 1;
    if (pageno < 1 || pageno > 10000) pageno = 1;
    char now[40], day[11];
    portal_now(now, day);
    sbuf b;
    sbuf_init(&b);
    portal_page_begin(&b, "通知公告");
    qb q;
    q_notices_unscoped(&q, now, 20, (pageno - 1) * 20);
    int n = 0;
    sbuf_add(&b, "<ul>");
    int rc = portal_rows(c, &q, &b, notice_item, NULL, &n);
    sbuf_add(&b, "</ul>");
    if (pageno > 1) html_f(&b, "<a href=\"/portal/notices?page=%I\">上一页</a> ", pageno - 1);
    if (n == 20) html_f(&b, "<a href=\"/portal/notices?page=%I\">下一页</a>", pageno + 1);
    finish(r, &b, rc, rc == DB_OK ? portal_root_path(c, &r->arena) : NULL);
}

/* GET /portal/notices/:id: a published public notice; its body is the sanitized rich text,
 * sanitized again here (the whitelist's output is the only raw HTML a page carries). */
static void handle_notice(request *r)
{
    db *c;
    int64_t id;
    if (!param_id(r, 0, &id) || !page_start(r, &c)) return;
    char now[40], day[11];
    portal_now(now, day);
    qb q;
    qb_init(&q, "SELECT n.title, n.body, substr(n.publish_at, 1, 10), o.name, n.doc_no, n.org_path FROM notices n "
                "JOIN orgs o ON o.id = n.org_id WHERE n.id = ? AND n.public = 1 AND n.status = 'published' AND n.publish_at <= ?");
    qb_int(&q, id), qb_text(&q, now);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) { reply_db_error(r); return; }
    int rc = db_step(s);
    if (rc != DB_ROW) { db_finish(s); rc == DB_DONE ? portal_not_found(r) : reply_db_error(r); return; }
    sbuf b;
    sbuf_init(&b);
    portal_page_begin(&b, db_col_text(s, 0));
    html_f(&b, "<p><small>%s · %s%R%s</small></p>", db_col_text(s, 3), db_col_text(s, 2), db_col_null(s, 4) ? "" : " · ",
           db_col_null(s, 4) ? "" : db_col_text(s, 4));
    const char *body = db_col_null(s, 1) ? "" : db_col_text(s, 1);
    char *clean = notice_html_sanitize(body, strlen(body));
    html_f(&b, "<article>%R</article>", clean ? clean : "");
    free(clean);
    const char *path = arena_strdup(&r->arena, db_col_text(s, 5));
    db_finish(s);
    finish(r, &b, DB_OK, path);
}

/* The month asked (?month=YYYY-MM, else this one): its first and last day, and the months
 * before and after; false for a malformed month. */
static bool month_range(const char *m, const char *day, char first[24], char last[24], char prev[24], char next[24])
{
    int y, mo;
    if (m && *m) {
        if (strlen(m) != 7 || sscanf(m, "%4d-%2d", &y, &mo) != 2 || mo < 1 || mo > 12 || y < 2000 || y > 2100) return false;
    } else if (sscanf(day, "%4d-%2d", &y, &mo) != 2 || mo < 1 || mo > 12 || y < 2000 || y > 2100) {
        return false;
    }
    snprintf(first, 24, "%04d-%02d-01", y, mo);
    snprintf(last, 24, "%04d-%02d-31", y, mo);   /* days compare as text: the 31st bounds every month */
    snprintf(prev, 24, "%04d-%02d", mo == 1 ? y - 1 : y, mo == 1 ? 12 : mo - 1);
    snprintf(next, 24, "%04d-%02d", mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1);
    return true;
}

/* GET /portal/activities?month=YYYY-MM: the public activities of a month. */
static void handle_activities(request *r)
{
    db *c;
    if (!page_start(r, &c)) return;
    char now[40], day[11], first[24], last[24], prev[24], next[24];
    portal_now(now, day);
    if (!month_range(req_query(r, "month"), day, first, last, prev, next)) { portal_not_found(r); return; }
    sbuf b;
    sbuf_init(&b);
    char title[40];
    snprintf(title, sizeof title, "活动日历 %.7s", first);
    portal_page_begin(&b, title);
    html_f(&b, "<p><a href=\"/portal/activities?month=%s\">上个月</a> · <a href=\"/portal/activities?month=%s\">下个月</a></p>",
           prev, next);
    qb q;
    q_activities_unscoped(&q, first, last, 500);
    int n = 0;
    char day_shown[11] = "";
    int rc = portal_rows(c, &q, &b, calendar_item, day_shown, &n);
    if (n) sbuf_add(&b, "</ul>");
    else sbuf_add(&b, "<p>本月暂无公开活动</p>");
    finish(r, &b, rc, rc == DB_OK ? portal_root_path(c, &r->arena) : NULL);
}

/* A page of one section (title, heading) of the rows make gives, counted at the city root. */
typedef void (*page_query)(qb *q, const char *now, const char *day);

static void one_section_page(request *r, const char *title, const char *heading, page_query make, portal_row_fn item)
{
    db *c;
    if (!page_start(r, &c)) return;
    char now[40], day[11];
    portal_now(now, day);
    sbuf b;
    sbuf_init(&b);
    portal_page_begin(&b, title);
    qb q;
    make(&q, now, day);
    int rc = section(c, &b, heading, NULL, &q, item);
    finish(r, &b, rc, rc == DB_OK ? portal_root_path(c, &r->arena) : NULL);
}

static void designations_query(qb *q, const char *now, const char *day)
{
    (void)now;
    q_designations_unscoped(q, day, 200);
}

static void contests_query(qb *q, const char *now, const char *day)
{
    (void)day;
    q_contests_unscoped(q, now);
}

/* GET /portal/designations: the active titles (demonstration points, bases ...). */
static void handle_designations(request *r)
{
    one_section_page(r, "示范命名", "有效命名", designations_query, designation_item);
}

/* GET /portal/contests: the open contests, linked to their phone pages (/contest/:id). */
static void handle_contests(request *r)
{
    one_section_page(r, "知识竞赛", "正在进行", contests_query, contest_item);
}

const struct route portal_pages_table[] = {
    {"GET", "/portal", handle_home, ROUTE_PUBLIC, 0, .summary = "The portal's home page (HTML)"},
    {"GET", "/portal/notices", handle_notices, ROUTE_PUBLIC, 0, .summary = "Public notices (HTML)"},
    {"GET", "/portal/notices/:id", handle_notice, ROUTE_PUBLIC, 0, .summary = "One public notice (HTML)"},
    {"GET", "/portal/activities", handle_activities, ROUTE_PUBLIC, 0, .summary = "The public activities of a month (HTML)"},
    {"GET", "/portal/designations", handle_designations, ROUTE_PUBLIC, 0, .summary = "Active designations (HTML)"},
    {"GET", "/portal/contests", handle_contests, ROUTE_PUBLIC, 0, .summary = "Open contests (HTML)"},
    {0},
};

