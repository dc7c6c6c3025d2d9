/* course_ratings.c - the stars and short comments students give a course from the phone after
 * checking in (see teaching.h). The check-in module decides who may rate (the holder of a
 * remembered key who checked in to the course's session, within the rating days) and calls
 * courses_rate() as the "course" kind's on_rating hook; the course's average and count are read
 * with every course (courses.c) and on the teacher's page (course_teachers.c). */
#include "teaching/teaching.h"
#include "teaching/students.h"
#include "core/timeutil.h"
#include "model/entity.h"
#include <inttypes.h>
#include <stddef.h>

const char *course_rating_avg(arena *a, int64_t sum, int64_t n)
{
    if (n <= 0) return "null";
    /* two decimals, half up, in integers: no float formatting differences between nodes */
    int64_t hundredths = (sum * 200 + n) / (2 * n);
    return arena_printf(a, "%" PRId64 ".%02" PRId64, hundredths / 100, hundredths % 100);
}

/* A rating as the audit keeps it (no API answers one: courses show the average). */
typedef struct rating {
    int64_t course_id, student_id, stars;
    const char *comment;
} rating;

#define T(member) offsetof(rating, member)
static const field rating_fields[] = {
    {"course_id", "r.course_id", FT_ID, T(course_id), .flags = 0},
    {"student_id", "r.student_id", FT_ID, T(student_id), .flags = 0},
    {"stars", "r.stars", FT_INT, T(stars), .flags = 0, .min = 1, .max = 5},
    {"comment", "r.comment", FT_TEXT, T(comment), .flags = 0},
    {0},
};
#undef T

entity course_rating_entity = {
    .name = "course_rating", .doc = "A student's stars (1-5) and comment for a course",
    .from = " FROM course_ratings r", .id_column = "r.id", .path_column = "r.org_path",
    .size = sizeof(rating), .fields = rating_fields, .not_found = TEACH_NOT_FOUND,
};

int courses_rate(db *c, actor who, arena *a, int64_t course_id, int64_t student_id, int stars,
                 const char *comment, bool *replaced)
{
    course x;
    rating old, new_one = {course_id, student_id, stars, comment};
    qb conds;
    /* the check-in module proved the student's key and check-in before calling: no user scope */
    int rc = entity_get_unscoped(c, &course_entity, a, course_id, &x);
    if (rc != DB_OK) return rc;
    qb_init(&conds, " AND r.course_id = ? AND r.student_id = ?");
    qb_int(&conds, course_id);
    qb_int(&conds, student_id);
    rc = entity_get_where_unscoped(c, &course_rating_entity, a, &conds, &old);
    if (rc != DB_OK && rc != TEACH_NOT_FOUND) return rc;
    bool had = rc == DB_OK;
    char now[40];
    time_now_rfc3339(now);
    /* an upsert, so that two taps racing each other leave one rating, not a constraint error */
    qb q;
    int64_t id = 0;
    qb_init(&q, "INSERT INTO course_ratings (course_id, org_path, student_id, stars, comment, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (course_id, student_id) DO UPDATE "
                "SET stars = excluded.stars, comment = excluded.comment, updated_at = excluded.updated_at RETURNING id");
    qb_int(&q, course_id), qb_text(&q, x.org_path), qb_int(&q, student_id), qb_int(&q, stars);
    qb_text(&q, comment), qb_text(&q, now), qb_text(&q, now);
    if ((rc = qb_exec(c, &q, &id)) != DB_OK) return rc < 0 ? rc : DB_ERR;
    *replaced = had;
    return entity_audit(c, &course_rating_entity, who, x.org_path, id, had ? "update" : "create", had ? &old : NULL,
                        &new_one);
}
