/* demo_students.c - the demo city's students (学员) at the first teaching points, and the
 * attendance of some of them at those points' held courses, written through the students and
 * check-in modules so that the courses' attendance and the keyed counter move together
 * (`kepu stats verify` stays at 0). Then the ratings: about two in three students who attended a
 * held course rated it from the phone (mostly four or five stars, a few with a short comment),
 * written through the teaching module's rating hook as the public check-in writes them, so that
 * courses and teachers' pages show true averages. */
#include "demo/demo.h"
#include "checkin/checkin.h"
#include "teaching/students.h"
#include "teaching/teaching.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POINTS 40
#define PER_POINT 15

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙"};
static const char *const given[] = {"秀英", "桂兰", "建国", "德明", "淑珍", "玉梅", "志强", "红霞", "国华", "丽娟"};
static const char *const ages[] = {"36_59", "60_69", "60_69", "70_plus", "70_plus", "18_35"};

static int point_students(db *c, const principal *p, arena *a, int64_t org_id, int k, int64_t *ids)
{
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < PER_POINT; i++) {
        student in = {.org_id = org_id, .status = "active", .informant = i % 7 == 0,
                      .name = arena_printf(a, "%s%s", surnames[rand() % 12], given[rand() % 10]),
                      .gender = i % 3 ? "female" : "male", .age_group = ages[rand() % 6],
                      .phone = arena_printf(a, "139%04d%04d", k, i)}, out;
        rc = students_create(c, p, a, &in, &out);
        ids[i] = out.id;
    }
    return rc;
}

/* 3 to 8 of the point's students marked at each held course of the point. */
static int point_attendance(db *c, const principal *p, arena *a, int64_t org_id, const int64_t *ids)
{
    int64_t courses[64];
    int n = demo_ids(c, "SELECT id FROM courses WHERE org_id = ? AND status = 'held' ORDER BY id", org_id, courses, 64);
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        int64_t pick[8];
        int m = 3 + rand() % 6, first = rand() % PER_POINT, added, already;
        for (int j = 0; j < m; j++) pick[j] = ids[(first + j) % PER_POINT];
        rc = checkin_mark(c, p, a, "course", courses[i], pick, m, &added, &already);
    }
    return rc;
}

static const char *const comments[] = {"讲得通俗易懂，很实用", "案例贴近生活，学到了", "希望多开几次这样的课",
                                       "老师很耐心，演示清楚", "内容有点多，跟不上"};

struct rate_args {
    int64_t course_id, *students;
    int n, rated;
};

static int rate_course(db *c, void *cls)
{
    struct rate_args *w = cls;
    actor who = actor_key(ACTOR_STUDENT_KEY, "public_checkin", NULL, NULL);
    arena a;
    arena_init(&a);
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < w->n; i++) {
        if (rand() % 3 == 0) continue;                 /* not everyone rates */
        int r = rand() % 20, stars = r < 11 ? 5 : r < 17 ? 4 : r < 19 ? 3 : 2;
        const char *comment = rand() % 4 == 0 ? comments[stars >= 4 ? rand() % 4 : 4] : NULL;
        bool replaced;
        rc = courses_rate(c, who, &a, w->course_id, w->students[i], stars, comment, &replaced);
        if (rc == DB_OK) w->rated++;
    }
    arena_free(&a);
    return rc;
}

/* Up to MAX_ATTENDANCES check-ins of the demo's students: 40 points, a year's courses each, at
 * most 8 students a course. */
#define MAX_ATTENDANCES 16384

static int fill_ratings(db *c)
{
    srand(1357u);
    /* the attendees of every held course, read whole before any write: (course, student) pairs
     * in course order */
    static int64_t rows[MAX_ATTENDANCES][2];
    int n = demo_rows(c, "SELECT x.id, k.person_id FROM courses x JOIN checkin_sessions ses "
                         "ON ses.owner_kind = 'course' AND ses.owner_id = x.id JOIN checkins k "
                         "ON k.session_id = ses.id AND k.person_kind = 'student' WHERE x.status = 'held' "
                         "ORDER BY x.id, k.person_id", 0, 2, rows[0], MAX_ATTENDANCES);
    int rc = n >= 0 ? DB_OK : DB_ERR, courses = 0;
    int64_t students[64];
    struct rate_args w = {0, students, 0, 0};
    for (int i = 0; rc == DB_OK && i < n; i++) {
        w.course_id = rows[i][0];
        if (w.n < 64) students[w.n++] = rows[i][1];
        if (i + 1 < n && rows[i + 1][0] == w.course_id) continue;   /* more attendees of this course */
        rc = db_transaction(c, rate_course, &w);
        courses++;
        w.n = 0;
    }
    if (rc != DB_OK) return -1;
    printf("demo ratings: %d ratings of %d held courses\n", w.rated, courses);
    return 0;
}

int demo_step_students(db *c, const demo_context *x)
{
    (void)x;
    principal demo = demo_principal_unscoped();
    srand(2468u);
    int64_t points[POINTS];
    int n = demo_ids(c, "SELECT id FROM orgs WHERE type = 'point' ORDER BY id", 0, points, POINTS);
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        arena a;
        int64_t ids[PER_POINT];
        arena_init(&a);
        rc = point_students(c, &demo, &a, points[i], i, ids);
        if (rc == DB_OK) rc = point_attendance(c, &demo, &a, points[i], ids);
        arena_free(&a);
    }
    if (rc != DB_OK) return -1;
    printf("demo students: %d at each of %d points, with attendance at their held courses\n", PER_POINT, n);
    return fill_ratings(c);
}
