/* teaching.h - the community science university's teaching plans (教学计划) and courses
 * (课程), docs/domain.md §2.1.
 *
 * Plans: a teaching point plans a term (spring, autumn) or a year: items with topic, category,
 * teacher, date and place. Workflow draft -> submitted -> approved | returned (with a reason)
 * -> revised (draft again) -> submitted ...; every step is kept. Only an upper level's
 * org_admin approves or returns; a unit never reviews its own plan.
 * Courses: sessions at a point, from an approved plan's item or ad hoc; scheduled -> held (record,
 * attendance, photos) or cancelled. A held course counts in the statistics of its point and
 * every ancestor as keyed counters: courses 1, attendance, teaching_hours (whole hours of its
 * duration, half up), changed in the writer's transaction on hold, edit, cancel and delete.
 *
 * Every function takes the caller's principal; records outside its scope do not exist
 * (TEACH_NOT_FOUND). Strings of returned records live in the given arena. */
#ifndef KEPU_TEACHING_H
#define KEPU_TEACHING_H
#include "auth/principal.h"
#include "core/arena.h"
#include "db/db.h"
#include "core/jsonw.h"
#include "http/request.h"
#include "model/entity.h"
#include <jansson.h>
#include <time.h>

enum {
    TEACH_NOT_FOUND = -700,
    TEACH_ORG_NOT_FOUND = -701,     /* org_id outside scope or missing */
    TEACH_NOT_POINT = -702,         /* org_id is not a teaching point */
    TEACH_BAD_STATE = -703,         /* the record's status does not allow this */
    TEACH_OWN_UNIT = -704,          /* reviewing one's own unit's plan, or not an upper level */
    TEACH_DUPLICATE = -705,         /* a plan for this point and term exists */
    TEACH_NO_ITEMS = -706,          /* submitting an empty plan */
    TEACH_ITEM_NOT_FOUND = -707,    /* plan_item_id outside scope or missing */
    TEACH_PLAN_NOT_APPROVED = -708, /* a course from an item of a plan not approved */
    TEACH_ITEM_OTHER_ORG = -709,    /* the item belongs to another point's plan */
    TEACH_NOT_STARTED = -710,       /* holding a course before it starts */
    TEACH_TOO_MANY_FILES = -711,
    TEACH_TEACHER_NOT_IN_POOL = -712, /* a course teacher's id is not a teacher of the caller's pool */
};

/* The module's error table (plans.c): every TEACH_* code; the entities of plans and courses answer
 * from it (entity_reply_error). */
extern const struct error_row teaching_errors[];

/* ---- the category dictionary (plans.c) ---- */
typedef struct teaching_category {
    int64_t sort;
    const char *code, *name;
} teaching_category;
extern struct entity teaching_category_entity;
bool teaching_category_exists(db *c, const char *code);
/* The org of a plan or course: org_id when a teaching point in p's scope (*o), else
 * TEACH_ORG_NOT_FOUND or TEACH_NOT_POINT. */
struct org;
int teaching_point(db *c, const principal *p, arena *a, int64_t org_id, struct org *o);

/* The days of a term: spring YEAR-03-01..YEAR-07-31, autumn YEAR-09-01..(YEAR+1)-01-31,
 * year YEAR-01-01..YEAR-12-31. false for an unknown term. */
bool teaching_term_range(int year, const char *term, char from[11], char to[11]);
extern const char *const teaching_terms[];   /* spring, autumn, year; NULL */

/* ---- plans (plans.c) ---- */
#define PLAN_MAX_ITEMS 200

/* An item of a plan as stored (plan_item_entity, read through its plan's scope); the input of a
 * plan's create and update fills its FF_CREATE fields (topic, category, teacher_name, teacher_id,
 * planned_date, place), which entity_store() writes. */
typedef struct plan_item {
    int64_t id, seq, teacher_id;      /* teacher_id 0: none */
    int64_t course_id;                /* the latest course from it not cancelled, 0: none */
    int64_t plan_org_id;              /* its plan's point */
    const char *topic, *category, *category_name, *teacher_name, *planned_date, *place;
    const char *plan_status;          /* its plan's status */
    bool held;                        /* a held course started from it */
} plan_item;

typedef struct plan {
    int64_t id, org_id, year, reviewed_by, created_by, item_count;
    const char *org_path, *org_name, *term, *term_from, *term_to, *title, *status, *returned_reason;
    const char *submitted_at, *reviewed_at, *created_at, *updated_at;
    const char *items_body;           /* unused: the body's "items" member is read by teaching_api.c */
    int nitems;
    plan_item *items;                 /* input of create/update; NULL in read records */
} plan;

/* A step of a plan's review (its timeline). */
typedef struct plan_step {
    int64_t id, user_id;
    const char *action, *from_status, *to_status, *reason, *username, *at;
} plan_step;

/* The declared records (model/entity.h): plans in the caller's scope (path and creator), their
 * items and steps seen through their plan. */
extern struct entity plan_entity, plan_item_entity, plan_step_entity;

/* The stored items of x (read within its scope), into an array from the arena. */
int plans_items(db *c, arena *a, const plan *x, plan_item **out, int *n);
/* The entity's create hook, in and out plans (plans.c has update and delete); in: org_id, year,
 * term, title, items, validated by plan_entity.input, plan_input (teaching_api.c): the body's items
 * checked, or the stored ones still within a changed term. */
int plans_create(db *c, const principal *p, arena *a, const void *in, void *out);
bool plan_input(request *r, void *rec, bool creating);
/* action: "submit", "approve" or "return" (reason required by the caller for return). */
int plans_transition(db *c, const principal *p, arena *a, int64_t id, const char *action, const char *reason,
                     plan *out);

/* ---- completion (plan_completion.c) ---- */
/* For org_id (0: the caller's home org) and year (term NULL: every term): planned items of
 * approved plans, items held (a held course from the item), all held courses in the period,
 * and the rate held / planned, for the org and each direct child (by_points: each teaching
 * point below instead). Writes {"org": {...}, "items": [{...}]}. */
int plans_completion(db *c, const principal *p, arena *a, int64_t org_id, int year, const char *term,
                     bool by_points, jw *w);

#define COMPLETION_MAX_UNITS 5000
#define COMPLETION_MAX_UNITS_TEXT "5000"
typedef struct completion_unit {
    int64_t org_id, planned, held, held_total;
    const char *name, *type, *path;
    const char *rate;                 /* held / planned as JSON text (teaching_rate) */
} completion_unit;
/* held / planned with three decimals as JSON text, in a; null when planned is 0. */
const char *teaching_rate(arena *a, int64_t planned, int64_t held);
/* The same figures as records: *unit for the org (0: the caller's home org), and when items is
 * not NULL its direct children or teaching points (at most COMPLETION_MAX_UNITS, in path
 * order) in an array from the arena. */
int plans_completion_units(db *c, const principal *p, arena *a, int64_t org_id, int year, const char *term,
                           bool by_points, completion_unit *unit, completion_unit **items, int *n);

/* ---- courses (courses.c) ---- */
#define COURSE_MAX_COUNT 100000      /* capacity and attendance */
#define COURSE_MAX_TEACHERS 10

typedef struct course {
    int64_t id, org_id, plan_item_id, plan_id, capacity, attendance, hours, created_by;
    const char *org_path, *org_name, *title, *topic, *category, *category_name, *starts_at, *ends_at, *day, *place;
    const char *teachers;             /* JSON array text [{"name","id"}] */
    const char *audience, *materials, *status, *record, *held_at, *cancel_reason;
    const char *created_at, *updated_at;
    int64_t rating_count, rating_sum; /* the students' ratings (read only) */
    const char *rating_avg;           /* JSON number text or null, from them */
} course;

typedef struct course_filter {
    int64_t org_id, plan_id;          /* 0: any */
    const char *status, *from, *to;   /* NULL or "": any; from and to days */
} course_filter;

/* The declared record (model/entity.h), in the caller's scope by path and creator. */
extern struct entity course_entity;
extern const char *const course_statuses[];   /* scheduled, held, cancelled; NULL */
/* A figure of the ratings of course x, as a column of a select over courses x. */
#define RATINGS(expr) "(SELECT " expr " FROM course_ratings r WHERE r.course_id = x.id)"
/* The course-shaped records' after_read: rating_avg from rating_sum and rating_count
 * (course_rating_avg's number, or null). */
void course_rating_fill(void *rec, arena *a);

/* Parses an RFC 3339 time ("2026-05-18T09:30:00+08:00", seconds optional, Z or any offset). */
bool course_time_parse(const char *text, time_t *out);
/* One attendant more (delta > 0) or less, inside the caller's transaction: the course's
 * attendance and, when held, the keyed counter; the first check-in of a started course holds it. */
int courses_add_attendance(db *c, arena *a, int64_t id, int64_t delta);
/* The filter's conditions but org_id (" AND ..."), and the list's " ORDER BY" for order "asc"
 * (NULL for any other: the entity's, newest first): for the list handler and the home page. */
void courses_where(qb *q, const course_filter *f);
const char *courses_order(const char *order);
/* The entity's create hook (update and delete are courses.c's own), x and out courses. x: every
 * field already validated (starts_at/ends_at normalized to +08:00, day set, by course_input in
 * teaching_api.c). A plan_item_id fills org, title, topic, category and teacher where x leaves
 * them empty. */
int courses_create(db *c, const principal *p, arena *a, const void *x, void *out);
/* The body's rules after the field table's: a course without a plan item says what it is, a known
 * category, ends_at within 24 hours after starts_at; sets day. */
bool course_input(request *r, void *rec, bool creating);
/* scheduled -> held with the record and attendance (now must be past starts_at). */
int courses_hold(db *c, const principal *p, arena *a, int64_t id, const char *record, int64_t attendance,
                 course *out);
/* scheduled or held -> cancelled (a held course's figures leave the statistics). */
int courses_cancel(db *c, const principal *p, arena *a, int64_t id, const char *reason, course *out);

/* ---- the teaching panel of the home page (teaching_home.c) ---- */
void teaching_home_handle(request *r);
/* ---- ratings and the teachers of courses (course_ratings.c, course_teachers.c) ---- */
/* The "course" check-in kind's on_rating hook (checkin.h), inside the caller's transaction: the
 * student's stars (1-5) and comment (NULL or validated) for the course, replacing an earlier
 * rating of the same student (*replaced); audited as who, entity course_rating. */
int courses_rate(db *c, actor who, arena *a, int64_t course_id, int64_t student_id, int stars,
                 const char *comment, bool *replaced);
/* The average of n ratings totalling sum as JSON text (in a): a number with two decimals; null
 * when n is 0. */
const char *course_rating_avg(arena *a, int64_t sum, int64_t n);
/* Links a course to the pool's teachers its teachers JSON names by id (ids of teachers that
 * exist; unknown ids stay in the JSON only), replacing its links; in the caller's transaction. */
int courses_link_teachers(db *c, int64_t course_id, const char *teachers_json);
/* The teachers JSON checked against the pool p sees: each id a teacher in p's scope, of the
 * city pool or of the district of the course (at course_path) (its name
 * then the pool's, guest false), each entry without an id a guest speaker (guest true).
 * *json is replaced by text in a; TEACH_TEACHER_NOT_IN_POOL or a DB code. */
int courses_resolve_teachers(db *c, const principal *p, arena *a, const char *course_path, const char **json);
/* Registers the teacher page's section "teaching" (teachers.h): courses taught in the
 * caller's scope, held and scheduled counts, hours, attendance, ratings, recent courses. */
void course_teachers_init(void);
extern struct entity taught_course_entity;

/* ---- registration ---- */
/* Tells stats the keyed metrics and how to recompute them, orgs the path copies and the teacher
 * page its section (course_teachers_init): for the server and the command line (stats verify,
 * rebuild, demo). */
void courses_init(void);
/* Routes of plans, completion, categories and courses (teaching_api.c). */
void teaching_plans_courses_register(void);
extern const struct attachment_kind course_files;   /* course_files.c */

#endif
