/* portal.h - the public portal (/portal/, issue 18 C): server-rendered Chinese pages for phones
 * that need no login and no JavaScript to read (home, notices, the activity calendar, a point's
 * courses with an enrolment form, public resources with a player, designations, contests, the
 * live room), their JSON twins under /api/v1/public/, the enrolment of a student from a phone
 * (SMS code) and the staff's list of a course's enrolments.
 *
 * Every text from the database reaches a page through one escaping writer (html_f); every page
 * answers with an ETag (a hash of its bytes) and 304 to a matching If-None-Match. Views are
 * counted per node and day as the keyed metric portal_views, batched in memory (portal_views.c).
 *
 * Ownership: html_f and html_esc append to the caller's sbuf; portal_reply takes the buffer.
 * Strings read from the database live in the request's arena. */
#ifndef KEPU_PORTAL_H
#define KEPU_PORTAL_H
#include "core/sbuf.h"
#include "db/db.h"
#include "http/request.h"
#include "http/router.h"
#include <stdint.h>

enum {
    PORTAL_NOT_FOUND = -2950,        /* anything not shown publicly: one 404 */
    PORTAL_ENROL_FULL = -2951,       /* the course's capacity is reached */
    PORTAL_ENROL_CODE = -2952,       /* the SMS code is wrong or expired */
    PORTAL_ENROL_NOT_POINT = -2953,  /* the course's node is not a teaching point */
    PORTAL_STAFF_NOT_FOUND = -2954,  /* a course outside the caller's scope */
    PORTAL_ENROL_DUPLICATE = -2955,  /* the phone is enrolled in the course already */
};

/* ---- the HTML writer (portal_html.c) ---- */
/* Appends s (NULL: nothing) with & < > " ' escaped. */
void html_esc(sbuf *b, const char *s);
/* Appends fmt where %s is a text escaped, %R a raw trusted fragment (a constant of this module),
 * %d an int, %I an int64_t and %% a percent sign. Any other directive is written as is. */
void html_f(sbuf *b, const char *fmt, ...);
/* The page's head (doctype, viewport, style, the title escaped) and the top navigation. */
void portal_page_begin(sbuf *b, const char *title);
void portal_page_end(sbuf *b);
/* Replies 200 with the page (or 304 when If-None-Match names its ETag), text/html, Cache-Control
 * "public, no-cache" (kept, but revalidated: every visit reaches the server, so it is counted),
 * and counts a view of node_path (NULL: none). Takes b. */
void portal_reply(request *r, sbuf *b, const char *node_path);
/* The pages' Content-Security-Policy on the reply made (the server adds its own to any reply
 * without one): media from http(s) hosts for the live rooms, scripts from the server only. */
void portal_csp(request *r);
/* The one 404 page for everything not shown (an unknown id, a draft, a private record). */
void portal_not_found(request *r);
/* Runs q (released) and calls fn for each row; *count (may be NULL) gets the number of rows.
 * DB_OK or a DB code. Strings of a row live until the next step: fn copies what it keeps. */
struct qb;
typedef void (*portal_row_fn)(db_stmt *s, sbuf *b, void *cls);
int portal_rows(db *c, struct qb *q, sbuf *b, portal_row_fn fn, void *cls, int *count);
/* The public resources (approved and marked public), premium first and newest next, at most
 * limit: (id, title, premium, kind, node name), read down migration 040's index resources_public;
 * and the list item of such a row (portal_more.c). */
void portal_q_public_resources_unscoped(struct qb *q, int64_t limit);
void portal_resource_item(db_stmt *s, sbuf *b, void *cls);
/* The current time (RFC 3339, Shanghai) and today's day, in the caller's buffers. */
void portal_now(char now[40], char day[11]);
/* A time as a page shows it: "2026-05-18T09:30:00+08:00" -> "2026-05-18 09:30" (NULL: ""). */
void portal_when(const char *rfc3339, char out[20]);
/* The "too many requests" answer of the pages' limit per address; false when over it. */
bool portal_take(request *r);

/* ---- the views (portal_views.c) ---- */
/* One view of a page of the node at org_path today, and one viewer of an activity's live room;
 * batched in memory and written by portal_views_flush (at most every KEPU_PORTAL_VIEWS_FLUSH
 * seconds, default 10, or when the batch is full); the request that finds the batch due writes it. */
void portal_view(const char *org_path);
void portal_live_viewer(int64_t activity_id);
/* Writes the batch now if due (force: whatever its age) in its own transaction; call outside any
 * read snapshot. DB_OK or a DB code (the batch is kept for the next try). */
int portal_views_flush(db *c, bool force);
/* The path of the city root (the home page's node), in the arena; NULL when no org exists. */
const char *portal_root_path(db *c, arena *a);

/* ---- courses (portal_courses.c) ---- */
typedef struct pcourse {
    int64_t id, point_id, capacity, enrolled;
    const char *title, *starts_at, *ends_at, *place, *point_name, *org_path, *topic, *audience;
    bool open;   /* starts later than now: enrolment open */
} pcourse;
/* A scheduled course of a teaching point, as the public sees it (strings in the arena);
 * PORTAL_NOT_FOUND for any other id. Public, so without a caller's scope. */
int portal_course_get_public_unscoped(db *c, arena *a, int64_t id, pcourse *out);

/* ---- module hooks (app_modules.c) ---- */
void portal_init(void);
void portal_register_routes(void);
/* The API route tables of the files, added by portal_register_routes; the pages (/portal/...)
 * are not API routes: the server hands paths under /portal to portal_serve (http/server.h),
 * which matches them against the files' page tables. */
void portal_more_register(void);
void portal_courses_register(void);
void portal_enrol_register(void);
extern struct entity course_enrolment_entity;
extern const struct route portal_pages_table[], portal_more_table[], portal_courses_table[];
/* Answers a path under /portal from the page tables (the one 404 page when none matches). */
void portal_serve(request *r);

#endif
