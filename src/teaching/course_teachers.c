/* course_teachers.c - which courses a teacher of the pool taught, and the teacher page's section
 * "teaching" built from them (see teaching.h). A course names its teachers as JSON text
 * [{"name", "id"}]; course_teachers links the ids that are teachers of the pool, kept in step by
 * every course write (courses.c), so that a teacher's courses come from an index on SQLite and
 * PostgreSQL alike. The section counts only courses the caller may see: a city-pool teacher
 * shown to a district lists that district's courses. */
#include "teaching/teaching.h"
#include "teaching/teachers.h"
#include "core/timeutil.h"
#include "db/query.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

int courses_link_teachers(db *c, int64_t course_id, const char *teachers_json)
{
    qb q;
    qb_init(&q, "DELETE FROM course_teachers WHERE course_id = ?");
    qb_int(&q, course_id);
    int rc = qb_exec(c, &q, NULL);
    json_t *v = teachers_json ? json_loads(teachers_json, 0, NULL) : NULL, *e;
    size_t i;
    json_array_foreach(v, i, e) {
        json_t *id = json_object_get(e, "id");
        if (rc != DB_OK || !json_is_integer(id)) continue;
        /* only teachers that exist: the JSON may name an id the pool no longer knows */
        qb_init(&q, "INSERT INTO course_teachers (course_id, teacher_id) SELECT ?, id FROM teachers WHERE id = ? "
                    "ON CONFLICT DO NOTHING");
        qb_int(&q, course_id), qb_int(&q, json_integer_value(id));
        rc = qb_exec(c, &q, NULL);
    }
    json_decref(v);
    return rc;
}

/* Whether path lies in the same district (the second level: /city/district/...) as course_path:
 * a district's pool serves its points, whose staff may not see the district's own records. */
static bool same_district(const char *path, const char *course_path)
{
    const char *end = course_path;
    for (int k = 0; k < 3; k++) {   /* past the leading '/', the city's id and the district's */
        end = strchr(end, '/');
        if (!end) return false;
        end++;
    }
    return !strncmp(path, course_path, (size_t)(end - course_path));
}

int courses_resolve_teachers(db *c, const principal *p, arena *a, const char *course_path, const char **json)
{
    json_t *v = json_loads(*json, 0, NULL), *e;
    size_t i;
    int rc = v ? DB_OK : DB_ERR;
    json_array_foreach(v, i, e) {
        json_t *id = json_object_get(e, "id");
        if (!json_is_integer(id)) {
            json_object_set_new(e, "guest", json_true());
            continue;
        }
        teacher t;
        rc = entity_get(c, &teacher_entity, &p->scope, a, json_integer_value(id), &t);
        /* unscoped: the city pool (市级师资库) serves every district, and a district's pool its
         * points, wherever the teachers sit */
        if (rc == TCH_NOT_FOUND && entity_get_unscoped(c, &teacher_entity, a, json_integer_value(id), &t) == DB_OK &&
            (!strcmp(t.pool_level, "city") || same_district(t.org_path, course_path)))
            rc = DB_OK;
        /* a retired teacher has left the pool */
        if (rc == TCH_NOT_FOUND || (rc == DB_OK && !strcmp(t.status, "retired"))) rc = TEACH_TEACHER_NOT_IN_POOL;
        if (rc != DB_OK) break;
        json_object_set_new(e, "name", json_string(t.name));
        json_object_set_new(e, "guest", json_false());
    }
    char *text = rc == DB_OK ? json_dumps(v, JSON_COMPACT) : NULL;
    if (rc == DB_OK) *json = text ? arena_strdup(a, text) : NULL;
    if (rc == DB_OK && !*json) rc = DB_ERR;
    free(text);
    json_decref(v);
    return rc;
}

/* The section's figures: one row of aggregates over the teacher's courses in the caller's scope. */
typedef struct teaching_figures {
    int64_t held, scheduled, cancelled, hours, attendance, rating_count, rating_sum;
    const char *rating_avg;
} teaching_figures;

static void figures_fill(void *rec, arena *a)
{
    teaching_figures *f = rec;
    f->rating_avg = course_rating_avg(a, f->rating_sum, f->rating_count);
}

#define HELD(expr) "COALESCE(SUM(CASE WHEN x.status = 'held' THEN " expr " ELSE 0 END), 0)"
/* the ratings of the courses not cancelled */
#define RATED(expr) "COALESCE(SUM(CASE WHEN x.status <> 'cancelled' THEN " RATINGS(expr) " ELSE 0 END), 0)"
#define F(member) offsetof(teaching_figures, member)
static const field figures_fields[] = {
    {"courses_held", HELD("1"), FT_INT, F(held), .flags = 0},
    {"courses_scheduled", "COUNT(CASE WHEN x.status = 'scheduled' THEN 1 END)", FT_INT, F(scheduled), .flags = 0},
    {"courses_cancelled", "COUNT(CASE WHEN x.status = 'cancelled' THEN 1 END)", FT_INT, F(cancelled), .flags = 0},
    {"teaching_hours", HELD("x.hours"), FT_INT, F(hours), .flags = 0},
    {"attendance", HELD("x.attendance"), FT_INT, F(attendance), .flags = 0},
    {"rating_avg", NULL, FT_JSON, F(rating_avg), .flags = FF_NO_SELECT},
    {"rating_count", RATED("COUNT(*)"), FT_INT, F(rating_count), .flags = 0},
    {"rating_sum", RATED("COALESCE(SUM(r.stars), 0)"), FT_INT, F(rating_sum), .flags = FF_HIDDEN},
    {0},
};
#undef F

static entity figures_entity = {
    .name = "teaching_figures", .from = " FROM course_teachers ct JOIN courses x ON x.id = ct.course_id",
    .path_column = "x.org_path", .owner_column = "x.created_by", .size = sizeof(teaching_figures),
    .fields = figures_fields, .not_found = TEACH_NOT_FOUND, .on_read = figures_fill,
};

/* A course as the teacher's page lists it: a few members of the course record. */
#define T(member) offsetof(course, member)
static const field taught_fields[] = {
    {"id", "x.id", FT_ID, T(id), .flags = 0},
    {"day", "x.day", FT_DAY, T(day), .flags = 0},
    {"starts_at", "x.starts_at", FT_TIME, T(starts_at), .flags = 0},
    {"ends_at", "x.ends_at", FT_TIME, T(ends_at), .flags = 0},
    {"org_id", "x.org_id", FT_ID, T(org_id), .flags = 0},
    {"org_name", "o.name", FT_TEXT, T(org_name), .flags = 0},
    {"title", "x.title", FT_TEXT, T(title), .flags = 0},
    {"status", "x.status", FT_ENUM, T(status), .flags = 0, .choices = course_statuses},
    {"attendance", "x.attendance", FT_INT, T(attendance), .flags = 0},
    {"teaching_hours", "x.hours", FT_INT, T(hours), .flags = 0},
    {"rating_avg", NULL, FT_JSON, T(rating_avg), .flags = FF_NO_SELECT},
    {"rating_count", RATINGS("COUNT(*)"), FT_INT, T(rating_count), .flags = 0},
    {"rating_sum", RATINGS("COALESCE(SUM(r.stars), 0)"), FT_INT, T(rating_sum), .flags = FF_HIDDEN},
    {0},
};
#undef T

entity taught_course_entity = {
    .name = "taught_course", .doc = "A course a teacher of the pool taught (the teacher page)",
    .from = " FROM course_teachers ct JOIN courses x ON x.id = ct.course_id JOIN orgs o ON o.id = x.org_id",
    .id_column = "x.id", .path_column = "x.org_path", .owner_column = "x.created_by",
    .order = " ORDER BY x.starts_at DESC, x.id DESC", .size = sizeof(course), .fields = taught_fields,
    .not_found = TEACH_NOT_FOUND, .errors = teaching_errors, .on_read = course_rating_fill,
};

/* Courses of the teacher before now (newest first) or still to come (soonest first). */
static int write_courses(db *c, const principal *p, arena *a, int64_t teacher_id, bool upcoming, jw *w)
{
    char now[40];
    time_now_rfc3339(now);
    qb q;
    qb_init(&q, " WHERE ct.teacher_id = ?");
    qb_int(&q, teacher_id);
    entity_scope_filter(&taught_course_entity, &p->scope, &q);
    /* starts_at is always written in +08:00, so text order is time order */
    qb_sql(&q, upcoming ? " AND x.starts_at > ? AND x.status = 'scheduled'" : " AND x.starts_at <= ?");
    qb_text(&q, now);
    return entity_list_all(c, &taught_course_entity, &q, upcoming ? " ORDER BY x.starts_at, x.id LIMIT 5"
                           : " ORDER BY x.starts_at DESC, x.id DESC LIMIT 20", a, w, NULL, NULL);
}

/* {"courses_held", "courses_scheduled", "courses_cancelled", "teaching_hours", "attendance",
 *  "rating_avg", "rating_count", "recent": [...], "upcoming": [...]} */
static int teaching_section(db *c, const principal *p, arena *a, const teacher *t, jw *w)
{
    teaching_figures f;
    qb q;
    qb_init(&q, " AND ct.teacher_id = ?");
    qb_int(&q, t->id);
    int rc = entity_get_where(c, &figures_entity, &p->scope, a, &q, &f);
    jw_obj(w);
    if (rc == DB_OK) entity_write_fields(w, &figures_entity, &f);
    if (rc == DB_OK) jw_key(w, "recent"), rc = write_courses(c, p, a, t->id, false, w);
    if (rc == DB_OK) jw_key(w, "upcoming"), rc = write_courses(c, p, a, t->id, true, w);
    jw_obj_end(w);
    return rc;
}

void course_teachers_init(void)
{
    entity_prepare(&figures_entity);   /* not a record of the API: not registered */
    teachers_register_section("teaching", teaching_section);
}
