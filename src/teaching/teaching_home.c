/* teaching_home.c - the teaching panel of the home page (GET /api/v1/teaching/home, docs/api.md
 * "Teaching home"). For a teaching point: its plan of the current term, the next scheduled
 * courses, the year's held courses against its goal (a target of the targets module when one
 * applies to the point, else the 24 a 示范教学点 owes, else none: goal 0, status "none") with the
 * pace due by today, and recent
 * attendance. For a district, a street or the city: its points' plans awaiting review, oldest
 * first, and each point's completion and course count, worst first, with the term's sign-off
 * (签认, signoffs.c) where there is one. It only reads, through the models of plans, completion,
 * courses, targets, sign-offs and check-in, so scope holds as everywhere. */
#include "teaching/teaching.h"
#include "teaching/signoffs.h"
#include "calls/results.h"
#include "checkin/checkin.h"
#include "core/period.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "http/entity_http.h"
#include "http/reply.h"
#include "orgs/orgs.h"
#include "targets/targets.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_GOAL 24     /* 示范教学点: at least 24 courses a year (docs/domain.md §2.1) */
#define DEFAULT_GOAL_TITLE "demo_point"   /* ... owed by the holders of that title only */
#define UPCOMING 10
#define RECENT 10
#define CHECKIN_DAYS 7
#define AWAITING_MAX 20
#define SIGNOFFS 4          /* a point's latest sign-offs on its home */

/* The term a day falls in; between terms (February, August) the one about to start. January
 * belongs to the autumn term of the year before. */
static void current_term(const char *today, int *year, const char **term)
{
    int y = atoi(today), m = atoi(today + 5);
    *year = m == 1 ? y - 1 : y;
    *term = m >= 2 && m <= 7 ? "spring" : "autumn";
}

/* The year's courses of a unit against its goal. */
typedef struct course_goal {
    int64_t held, goal, expected;
    char from[11], to[11];
    bool has_target, has_default;   /* neither: no goal (0), status "none" */
    target t;
} course_goal;

/* The courses f selects (org_id: that subtree, TEACH_ORG_NOT_FOUND outside the scope): q starts
 * their list's where (released on an error). */
static int courses_of(db *c, const principal *p, arena *a, const course_filter *f, qb *q)
{
    qb_init(q, "");
    int rc = entity_list_where(c, &course_entity, &p->scope, a, f->org_id, q);
    if (rc == DB_OK) courses_where(q, f);
    return rc;
}

/* {"items": [...], "total": n}: the first `limit` records of e that where selects, in order; rc is
 * the code of the entity_list_where() that started where (not DB_OK: nothing more is read). */
static int list_write(db *c, arena *a, const entity *e, int rc, qb *where, const char *order, int64_t limit, jw *w)
{
    int64_t total = 0;
    jw_obj(w);
    jw_key(w, "items");
    if (rc == DB_OK) rc = entity_list_page(c, e, where, order, limit, 0, a, w, &total, NULL, NULL);
    jw_key(w, "total"), jw_int(w, total);
    jw_obj_end(w);
    return rc;
}

/* The goal of a point, its period and its held courses there: the calendar year's count
 * (held_year) is at hand from the completion query; another period is counted through the course
 * register. */
static int goal_of(db *c, const principal *p, arena *a, const completion_unit *u, int64_t held_year,
                   const char *today, course_goal *g)
{
    char y_from[11], y_to[11];
    memset(g, 0, sizeof *g);
    teaching_term_range(atoi(today), "year", y_from, y_to);
    int rc = targets_applying(c, p, a, u->path, u->type, "courses", today, &g->t);
    if (rc != DB_OK && rc != TGT_NOT_FOUND) return rc;
    g->has_target = rc == DB_OK;
    /* the 24 binds the holders of 示范教学点 only (issue 15); another point has no goal unless a
     * target gives it one */
    g->has_default = !g->has_target && designations_held(c, u->org_id, DEFAULT_GOAL_TITLE, today);
    g->goal = g->has_target ? g->t.goal : g->has_default ? DEFAULT_GOAL : 0;
    snprintf(g->from, sizeof g->from, "%s", g->has_target ? g->t.period_from : y_from);
    snprintf(g->to, sizeof g->to, "%s", g->has_target ? g->t.period_to : y_to);
    g->expected = targets_expected(g->goal, g->from, g->to, today);
    g->held = held_year;
    if (!strcmp(g->from, y_from) && !strcmp(g->to, y_to)) return DB_OK;
    course_filter f = {.org_id = u->org_id, .status = "held", .from = g->from, .to = g->to};
    qb q;
    jw scratch;
    jw_init(&scratch);
    rc = courses_of(c, p, a, &f, &q);
    if (rc == DB_OK) rc = entity_list_page(c, &course_entity, &q, NULL, 0, 0, a, &scratch, &g->held, NULL, NULL);
    jw_free(&scratch);
    return rc;
}

static const char *goal_status(const course_goal *g)
{
    if (!g->goal) return "none";
    if (g->held >= g->goal) return "achieved";
    return g->held >= g->expected ? "on_track" : "behind";
}

static void goal_write(jw *w, const course_goal *g)
{
    jw_obj(w);
    jw_key(w, "from"), jw_str(w, g->from);
    jw_key(w, "to"), jw_str(w, g->to);
    jw_key(w, "held"), jw_int(w, g->held);
    jw_key(w, "goal"), jw_int(w, g->goal);
    jw_key(w, "goal_source"), jw_str(w, g->has_target ? "target" : g->has_default ? "default" : "none");
    jw_key(w, "target");
    if (g->has_target) {
        jw_obj(w);
        jw_key(w, "id"), jw_int(w, g->t.id);
        jw_key(w, "title"), jw_str(w, g->t.title);
        jw_key(w, "org_name"), jw_str(w, g->t.org_name);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_key(w, "expected"), jw_int(w, g->expected);
    jw_key(w, "percent");
    if (g->goal) jw_int(w, g->held * 100 / g->goal);
    else jw_null(w);   /* no goal: nothing to be a percent of */
    jw_key(w, "status"), jw_str(w, goal_status(g));
    jw_obj_end(w);
}

/* "view", "today" and "org" of every answer, and the current "term" (term NULL: none). */
static void head_write(jw *w, const org *o, const char *view, const char *today, int year, const char *term)
{
    char from[11], to[11];
    jw_key(w, "view"), jw_str(w, view);
    jw_key(w, "today"), jw_str(w, today);
    jw_key(w, "org"), jw_obj(w);
    jw_key(w, "id"), jw_int(w, o->id);
    jw_key(w, "name"), jw_str(w, o->name);
    jw_key(w, "type"), jw_str(w, o->type);
    jw_obj_end(w);
    if (!term || !teaching_term_range(year, term, from, to)) return;
    jw_key(w, "term"), jw_obj(w);
    jw_key(w, "year"), jw_int(w, year);
    jw_key(w, "term"), jw_str(w, term);
    jw_key(w, "from"), jw_str(w, from);
    jw_key(w, "to"), jw_str(w, to);
    jw_obj_end(w);
}

/* ---- a teaching point ---- */

/* The plan of a point for a year and term (unique), in scope; TEACH_NOT_FOUND when none. */
static int plans_find(db *c, const principal *p, arena *a, int64_t org_id, int year, const char *term, plan *out)
{
    qb q;
    qb_init(&q, " AND x.org_id = ? AND x.year = ? AND x.term = ?");
    qb_int(&q, org_id);
    qb_int(&q, year);
    qb_text(&q, term);
    return entity_get_where(c, &plan_entity, &p->scope, a, &q, out);
}

/* The plan of the term, else the point's plan for the whole year, else the next term's (being
 * prepared, as in January for spring); null when none exists. */
static int point_plan(db *c, const principal *p, arena *a, const org *o, int year, const char *term, jw *w)
{
    plan x;
    completion_unit u;
    bool spring = !strcmp(term, "spring");
    int rc = plans_find(c, p, a, o->id, year, term, &x);
    if (rc == TEACH_NOT_FOUND) rc = plans_find(c, p, a, o->id, year, "year", &x);
    if (rc == TEACH_NOT_FOUND) rc = plans_find(c, p, a, o->id, spring ? year : year + 1, spring ? "autumn" : "spring", &x);
    if (rc == TEACH_NOT_FOUND) { jw_null(w); return DB_OK; }
    /* items held count for approved plans only, which are the only ones courses start from */
    if (rc == DB_OK) rc = plans_completion_units(c, p, a, o->id, (int)x.year, x.term, false, &u, NULL, NULL);
    if (rc != DB_OK) return rc;
    jw_obj(w);
    jw_key(w, "id"), jw_int(w, x.id);
    jw_key(w, "title"), jw_str(w, x.title);
    jw_key(w, "year"), jw_int(w, x.year);
    jw_key(w, "term"), jw_str(w, x.term);
    jw_key(w, "status"), jw_str(w, x.status);
    jw_key(w, "returned_reason"), jw_str(w, x.returned_reason);
    jw_key(w, "submitted_at"), jw_str(w, x.submitted_at);
    jw_key(w, "reviewed_at"), jw_str(w, x.reviewed_at);
    jw_key(w, "planned"), jw_int(w, x.item_count);
    jw_key(w, "held"), jw_int(w, u.held);
    jw_key(w, "rate"), jw_raw(w, teaching_rate(a, x.item_count, u.held));
    jw_obj_end(w);
    return DB_OK;
}

static int checkins_write(db *c, const principal *p, arena *a, const org *o, const char *today, jw *w)
{
    int64_t counts[CHECKIN_DAYS], total = 0;
    char from[11], day[11];
    day_add(today, 1 - CHECKIN_DAYS, from);
    int rc = checkin_daily_counts(c, p, a, "course", o->path, from, CHECKIN_DAYS, counts);
    if (rc != DB_OK) return rc;
    jw_obj(w);
    jw_key(w, "from"), jw_str(w, from);
    jw_key(w, "to"), jw_str(w, today);
    jw_key(w, "days");
    jw_arr(w);
    for (int i = 0; i < CHECKIN_DAYS; i++) {
        day_add(from, i, day);
        total += counts[i];
        jw_obj(w);
        jw_key(w, "day"), jw_str(w, day);
        jw_key(w, "checkins"), jw_int(w, counts[i]);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "total"), jw_int(w, total);
    jw_obj_end(w);
    return DB_OK;
}

static int point_home(db *c, const principal *p, arena *a, const org *o, const char *today, jw *w)
{
    int year;
    const char *term;
    completion_unit unit;
    course_goal g;
    current_term(today, &year, &term);
    jw_obj(w);
    head_write(w, o, "point", today, year, term);
    jw_key(w, "plan");
    int rc = point_plan(c, p, a, o, year, term, w);
    course_filter up = {.org_id = o->id, .status = "scheduled", .from = today};
    qb q;
    jw_key(w, "upcoming");
    if (rc == DB_OK)
        rc = list_write(c, a, &course_entity, courses_of(c, p, a, &up, &q), &q, courses_order("asc"), UPCOMING, w);
    if (rc == DB_OK) rc = plans_completion_units(c, p, a, o->id, atoi(today), NULL, false, &unit, NULL, NULL);
    if (rc == DB_OK) rc = goal_of(c, p, a, &unit, unit.held_total, today, &g);
    jw_key(w, "courses");
    if (rc == DB_OK) goal_write(w, &g);
    course_filter held = {.org_id = o->id, .status = "held", .to = today};
    jw_key(w, "recent");
    if (rc == DB_OK)
        rc = list_write(c, a, &course_entity, courses_of(c, p, a, &held, &q), &q, NULL, RECENT, w);
    jw_key(w, "checkins");
    if (rc == DB_OK) rc = checkins_write(c, p, a, o, today, w);
    /* the upper level's sign-offs of the point's terms, newest first */
    jw_key(w, "signoffs");
    if (rc == DB_OK) {
        qb_init(&q, "");
        rc = list_write(c, a, &signoff_entity, entity_list_where(c, &signoff_entity, &p->scope, a, o->id, &q), &q, NULL,
                        SIGNOFFS, w);
    }
    jw_obj_end(w);
    return rc;
}

/* ---- a district, a street or the city ---- */

typedef struct point_row {
    const completion_unit *term;     /* this term's planned and held items */
    course_goal goal;
    const signoff *signoff;          /* this term's sign-off, NULL when none (read for the page) */
} point_row;

/* Worst first: no approved plan this term, then the lowest completion, then the fewest
 * courses against the goal; the tree's order last. */
static int worse_first(const void *x, const void *y)
{
    const point_row *a = x, *b = y;
    double ra = a->term->planned ? (double)a->term->held / (double)a->term->planned : -1.0;
    double rb = b->term->planned ? (double)b->term->held / (double)b->term->planned : -1.0;
    if (ra != rb) return ra < rb ? -1 : 1;
    double ga = a->goal.goal ? (double)a->goal.held / (double)a->goal.goal : 1.0;
    double gb = b->goal.goal ? (double)b->goal.held / (double)b->goal.goal : 1.0;
    if (ga != gb) return ga < gb ? -1 : 1;
    return strcmp(a->term->path, b->term->path);
}

static void point_row_write(jw *w, arena *a, const point_row *r)
{
    jw_obj(w);
    jw_key(w, "org_id"), jw_int(w, r->term->org_id);
    jw_key(w, "name"), jw_str(w, r->term->name);
    jw_key(w, "planned"), jw_int(w, r->term->planned);
    jw_key(w, "held"), jw_int(w, r->term->held);
    jw_key(w, "rate"), jw_raw(w, teaching_rate(a, r->term->planned, r->term->held));
    jw_key(w, "courses"), goal_write(w, &r->goal);
    jw_key(w, "signoff");
    if (r->signoff) entity_write(w, &signoff_entity, r->signoff);
    else jw_null(w);
    jw_obj_end(w);
}

/* Reads the term's sign-off of each row of the page into the arena. */
static int page_signoffs(db *c, const principal *p, arena *a, int year, const char *term, point_row *rows, int64_t from,
                         int64_t to)
{
    for (int64_t i = from; i < to; i++) {
        signoff *x = arena_alloc(a, sizeof *x);
        int rc = x ? signoff_find(c, p, a, rows[i].term->org_id, year, term, x) : DB_ERR;
        if (rc != DB_OK && rc != SIGNOFF_NOT_FOUND) return rc;
        rows[i].signoff = rc == DB_OK ? x : NULL;
    }
    return DB_OK;
}

/* Each point's term completion and year's courses, sorted worst first, one page written. */
static int points_write(db *c, const principal *p, arena *a, const org *o, int year, const char *term,
                        const char *today, const page *pg, jw *w)
{
    completion_unit unit, yunit, *units, *years;
    int n, ny;
    int rc = plans_completion_units(c, p, a, o->id, year, term, true, &unit, &units, &n);
    if (rc == DB_OK) rc = plans_completion_units(c, p, a, o->id, atoi(today), NULL, true, &yunit, &years, &ny);
    if (rc != DB_OK) return rc;
    point_row *rows = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *rows);
    int64_t behind = 0, achieved = 0, no_plan = 0;
    /* both queries list the same points in path order */
    for (int i = 0; rc == DB_OK && i < n; i++) {
        rows[i].term = &units[i];
        int64_t held_year = i < ny && years[i].org_id == units[i].org_id ? years[i].held_total : 0;
        rc = goal_of(c, p, a, &units[i], held_year, today, &rows[i].goal);
        const char *st = goal_status(&rows[i].goal);
        behind += !strcmp(st, "behind");
        achieved += !strcmp(st, "achieved");
        no_plan += units[i].planned == 0;
    }
    if (rc != DB_OK) return rc;
    qsort(rows, (size_t)n, sizeof *rows, worse_first);
    int64_t last = pg->offset + pg->size < n ? pg->offset + pg->size : n;
    if ((rc = page_signoffs(c, p, a, year, term, rows, pg->offset, last)) != DB_OK) return rc;
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
    for (int64_t i = pg->offset; i < last; i++) point_row_write(w, a, &rows[i]);
    jw_arr_end(w);
    jw_key(w, "total"), jw_int(w, n);
    jw_key(w, "page"), jw_int(w, pg->page);
    jw_key(w, "page_size"), jw_int(w, pg->size);
    jw_key(w, "planned"), jw_int(w, unit.planned);
    jw_key(w, "held"), jw_int(w, unit.held);
    jw_key(w, "rate"), jw_raw(w, teaching_rate(a, unit.planned, unit.held));
    jw_key(w, "courses_held"), jw_int(w, yunit.held_total);
    jw_key(w, "behind"), jw_int(w, behind);
    jw_key(w, "achieved"), jw_int(w, achieved);
    jw_key(w, "without_plan"), jw_int(w, no_plan);
    jw_obj_end(w);
    return DB_OK;
}

static int district_home(db *c, const principal *p, arena *a, const org *o, const char *today, const page *pg, jw *w)
{
    int year;
    const char *term;
    current_term(today, &year, &term);
    jw_obj(w);
    head_write(w, o, "district", today, year, term);
    /* every submitted plan below, whatever its term, oldest first: the review queue does not wait
     * for terms */
    qb q;
    qb_init(&q, "");
    int rc = entity_list_where(c, &plan_entity, &p->scope, a, o->id, &q);
    if (rc == DB_OK) qb_sql(&q, " AND x.status = 'submitted'");
    jw_key(w, "awaiting");
    rc = list_write(c, a, &plan_entity, rc, &q, " ORDER BY x.submitted_at, x.id", AWAITING_MAX, w);
    jw_key(w, "points");
    if (rc == DB_OK) rc = points_write(c, p, a, o, year, term, today, pg, w);
    jw_obj_end(w);
    return rc;
}

static bool is_upper_level(const char *type)
{
    return !strcmp(type, "city") || !strcmp(type, "district") || !strcmp(type, "street");
}

/* For org_id (0: the caller's home org): {"view": "point", ...} for a teaching point,
 * {"view": "district", ...} for a district, street or city (its points paged by pg, worst
 * first), {"view": "none"} for other units (docs/api.md "Teaching home"). */
static int teaching_home_write(db *c, const principal *p, arena *a, int64_t org_id, const page *pg, jw *w)
{
    org o;
    char now[40];
    int rc = orgs_get(c, p, a, org_id ? org_id : p->org_id, &o);
    if (rc != DB_OK) return rc == ORGS_NOT_FOUND ? TEACH_ORG_NOT_FOUND : rc;
    time_now_rfc3339(now);
    now[10] = 0;
    if (!strcmp(o.type, "point")) return point_home(c, p, a, &o, now, w);
    if (is_upper_level(o.type)) return district_home(c, p, a, &o, now, pg, w);
    /* societies, bases, units: no teaching of their own to show */
    jw_obj(w);
    head_write(w, &o, "none", now, 0, NULL);
    jw_obj_end(w);
    return DB_OK;
}

void teaching_home_handle(request *r)
{
    int64_t org_id = 0;
    bool has;
    page pg;
    if (!query_id(r, "org_id", &org_id, &has) || !query_page(r, &pg)) return;
    db *c = db_thread();
    jw w;
    jw_init(&w);
    int rc = c ? teaching_home_write(c, r->principal, &r->arena, org_id, &pg, &w) : DB_ERR;
    if (rc != DB_OK) { jw_free(&w); entity_reply_error(r, &plan_entity, rc); return; }
    reply_jw(r, 200, &w);
}
