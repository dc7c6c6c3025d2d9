/* demo_students.c - the demo city's students (学员) at the first teaching points, and the
 * attendance of some of them at those points' held courses, written through the students and
 * check-in modules so that the courses' attendance and the keyed counter move together
 * (`kepu stats verify` stays at 0). */
#include "demo/demo.h"
#include "checkin/checkin.h"
#include "teaching/students.h"
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
    return demo_fill_ratings(c);
}
