/* demo_ratings.c - the demo's course ratings: about two in three students who attended a held
 * course at the demo's first points rated it from the phone (mostly four or five stars, a few
 * with a short comment), written through the teaching module's rating hook as the public
 * check-in writes them, so that courses and teachers' pages show true averages. */
#include "demo/demo.h"
#include "teaching/teaching.h"
#include "auth/principal.h"
#include "core/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The attendees of every held course, read whole before any write: (course, student) pairs in
 * course order, malloc'd; *n set. NULL on failure. */
static int64_t (*attendees(db *c, int *n))[2]
{
    db_stmt *s = db_prepare(c, "SELECT x.id, k.person_id FROM courses x JOIN checkin_sessions ses "
                               "ON ses.owner_kind = 'course' AND ses.owner_id = x.id JOIN checkins k "
                               "ON k.session_id = ses.id AND k.person_kind = 'student' WHERE x.status = 'held' "
                               "ORDER BY x.id, k.person_id");
    int cap = 1024, rc;
    int64_t (*rows)[2] = s ? malloc(sizeof *rows * (size_t)cap) : NULL;
    *n = 0;
    while (rows && (rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            int64_t (*more)[2] = realloc(rows, sizeof *rows * (size_t)(cap *= 2));
            if (!more) { free(rows); rows = NULL; break; }
            rows = more;
        }
        rows[*n][0] = db_col_int(s, 0);
        rows[(*n)++][1] = db_col_int(s, 1);
    }
    if (rows && rc != DB_DONE) free(rows), rows = NULL;
    db_finish(s);
    return rows;
}

int demo_fill_ratings(db *c)
{
    srand(1357u);
    int n, rc = DB_OK, courses = 0;
    int64_t (*rows)[2] = attendees(c, &n), students[64];
    if (!rows) return -1;
    struct rate_args w = {0, students, 0, 0};
    for (int i = 0; rc == DB_OK && i < n; i++) {
        w.course_id = rows[i][0];
        if (w.n < 64) students[w.n++] = rows[i][1];
        if (i + 1 < n && rows[i + 1][0] == w.course_id) continue;   /* more attendees of this course */
        rc = db_transaction(c, rate_course, &w);
        courses++;
        w.n = 0;
    }
    free(rows);
    if (rc != DB_OK) return -1;
    printf("demo ratings: %d ratings of %d held courses\n", w.rated, courses);
    return 0;
}
