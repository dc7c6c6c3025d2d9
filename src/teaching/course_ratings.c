/* course_ratings.c - the stars and short comments students give a course from the phone after
 * checking in (see teaching.h). The check-in module decides who may rate (the holder of a
 * remembered key who checked in to the course's session, within the rating days) and calls
 * courses_rate() as the "course" kind's on_rating hook; the course's average and count are read
 * with every course (courses.c) and on the teacher's page (course_teachers.c). */
#include "teaching/teaching.h"
#include "audit/audit.h"
#include "core/timeutil.h"
#include <inttypes.h>
#include <stdio.h>

void course_rating_avg_write(jw *w, int64_t sum, int64_t n)
{
    if (n <= 0) { jw_null(w); return; }
    /* two decimals, half up, in integers: no float formatting differences between nodes */
    int64_t hundredths = (sum * 200 + n) / (2 * n);
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64 ".%02" PRId64, hundredths / 100, hundredths % 100);
    jw_raw(w, buf);
}

/* The student's rating of the course, if any: *id 0 when none. */
static int rating_of(db *c, arena *a, int64_t course_id, int64_t student_id, int64_t *id, int64_t *stars,
                     const char **comment)
{
    db_stmt *s = db_prepare(c, "SELECT id, stars, comment FROM course_ratings WHERE course_id = ? AND student_id = ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, course_id);
    db_bind_int(s, 2, student_id);
    int rc = db_step(s);
    *id = 0;
    if (rc == DB_ROW) {
        *id = db_col_int(s, 0);
        *stars = db_col_int(s, 1);
        *comment = arena_strdup(a, db_col_text(s, 2));
    }
    db_finish(s);
    return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

static json_t *rating_json(int64_t course_id, int64_t student_id, int64_t stars, const char *comment)
{
    return json_pack("{s:I, s:I, s:I, s:s?}", "course_id", (json_int_t)course_id, "student_id", (json_int_t)student_id,
                     "stars", (json_int_t)stars, "comment", comment);
}

int courses_rate(db *c, actor who, arena *a, int64_t course_id, int64_t student_id, int stars,
                 const char *comment, bool *replaced)
{
    course x;
    int64_t old_id, old_stars = 0;
    const char *old_comment = NULL;
    int rc = courses_get_unscoped(c, a, course_id, &x);
    if (rc == DB_OK) rc = rating_of(c, a, course_id, student_id, &old_id, &old_stars, &old_comment);
    if (rc != DB_OK) return rc;
    char now[40];
    time_now_rfc3339(now);
    /* an upsert, so that two taps racing each other leave one rating, not a constraint error */
    db_stmt *s = db_prepare(c, "INSERT INTO course_ratings (course_id, org_path, student_id, stars, comment, created_at, "
                               "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (course_id, student_id) DO UPDATE "
                               "SET stars = excluded.stars, comment = excluded.comment, updated_at = excluded.updated_at "
                               "RETURNING id");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, course_id);
    db_bind_text(s, 2, x.org_path);
    db_bind_int(s, 3, student_id);
    db_bind_int(s, 4, stars);
    db_bind_text(s, 5, comment);
    db_bind_text(s, 6, now);
    db_bind_text(s, 7, now);
    rc = db_step(s);
    int64_t id = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERR;
    *replaced = old_id != 0;
    json_t *before = old_id ? rating_json(course_id, student_id, old_stars, old_comment) : NULL;
    json_t *after = rating_json(course_id, student_id, stars, comment);
    rc = audit_record(c, who, x.org_path, "course_rating", id, old_id ? "update" : "create", before, after);
    json_decref(before);
    json_decref(after);
    return rc;
}
