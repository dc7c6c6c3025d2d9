/* test_scope_todo.c - the data-scope matrix of the to-do and the notifications (issue 16 D) for
 * the city, a district's admin and staff, another district, two points' staff, a teacher and a
 * volunteer. The to-do never lists another unit's things: a plan submitted at P is on the review
 * list of the city and A's admin only (not A's staff: no rank to approve, not B, not P itself); a
 * call due tomorrow for points is owed by P and Q (their staff), no one else. A notification is
 * its user's alone: another user's id is 404 as a missing one, the lists hold one's own only;
 * anonymous callers get 401 everywhere.
 *
 *   root(city) ─┬─ A(district) ─┬─ P(point)
 *               │               └─ Q(point)
 *               └─ B(district) ─── B's point */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "calls_scope_world.h"

static int64_t plan_p, call_c, note_p;

static int setup(void **state)
{
    setenv("KEPU_REMINDER_TICK", "1", 1);
    if (world_start(state) != 0) return -1;
    char today[16], tomorrow[16];
    time_t t = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    t += 86400, gmtime_r(&t, &tm);
    strftime(tomorrow, sizeof tomorrow, "%Y-%m-%d", &tm);
    int y = atoi(today), m = atoi(today + 5);
    int year = m == 1 ? y - 1 : y;
    const char *term = m >= 2 && m <= 7 ? "spring" : "autumn";
    plan_p = post_id(tok[U_ADMIN], "/plans",
                     jpack("{s:I, s:i, s:s, s:s, s:[{s:s, s:s, s:s}]}", "org_id", (json_int_t)point_p, "year", year, "term",
                           term, "title", "P点教学计划", "items", "topic", "防诈骗", "category", "anti_fraud", "planned_date",
                           P("%04d-%s", year % 10000, !strcmp(term, "spring") ? "03-01" : "09-01")));
    post_id(tok[U_ADMIN], P("/plans/%lld/submit", (long long)plan_p), NULL);
    int64_t tpl = post_id(tok[U_ADMIN], "/call-templates",
                          jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s}], s:[], s:s, s:[s], s:i}}", "code", "st_todo", "name",
                                "待办范围", "kind", "collection", "config", "form", "key", "name", "label", "名称", "type", "text",
                                "stages", "eligible", "types", "eligible_types", "point", "min_per_unit", 1));
    call_c = post_id(tok[U_ADMIN], "/calls", jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id",
                                                  (json_int_t)root, "year", 2026, "title", "待办范围征集", "deadline", tomorrow));
    post_id(tok[U_ADMIN], P("/calls/%lld/open", (long long)call_c), NULL);
    /* the worker reminds P's and Q's staff (a tick a second) */
    for (int i = 0; i < 100 && !note_p; i++) {
        json_t *j = NULL;
        if (api("GET", "/notifications", tok[U_P_STAFF], NULL, &j) == 200 && jint(j, "total") > 0)
            note_p = jint(j, "items.0.id");
        json_decref(j);
        if (!note_p) nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    return note_p ? 0 : -1;
}

/* The count of kind in u's to-do (0: not listed). */
static int64_t todo_count(int u, const char *kind)
{
    json_t *j = NULL;
    int64_t n = -1;
    if (api("GET", "/todo", tok[u], NULL, &j) == 200) {
        n = 0;
        size_t i;
        json_t *g;
        json_array_foreach(json_object_get(j, "groups"), i, g) if (!strcmp(jstr(g, "kind"), kind)) n = jint(g, "count");
    }
    json_decref(j);
    return n;
}

static void test_todo(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int plans[USERS] =      {1,    1,    0,    0,    0,    0,    0,    0};
    static const int calls[USERS] =      {0,    0,    0,    0,    1,    1,    0,    0};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/todo", 0, NULL, 200);
        row(u, "GET", "/todo/counts", 0, NULL, 200);
        if (todo_count(u, "plan_review") != plans[u] || todo_count(u, "call_entry_due") != calls[u])
            fprintf(stderr, "FAIL %s to-do: plans %lld calls %lld\n", user_name[u], (long long)todo_count(u, "plan_review"),
                    (long long)todo_count(u, "call_entry_due")),
                failures++;
    }
    row(-1, "GET", "/todo", 0, NULL, 401);
    row(-1, "GET", "/todo/counts", 0, NULL, 401);
    assert_int_equal(failures, 0);
}

static void test_notifications(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int mine[USERS] =       {0,    0,    0,    0,    1,    1,    0,    0};
    for (int u = 0; u < USERS; u++) {
        row(u, "GET", "/notifications", 0, NULL, 200);
        row(u, "GET", "/me/notify-prefs", 0, NULL, 200);
        row(u, "PUT", "/me/notify-prefs", 0, "{\"lead_days\": [2]}", 200);
        if (u != U_P_STAFF) {
            row(u, "POST", "/notifications/%lld/read", note_p, NULL, 404);
            row(u, "POST", "/notifications/read-all", 0, NULL, 200);
        }
        json_t *j = NULL;
        if (api("GET", "/notifications", tok[u], NULL, &j) != 200 || jint(j, "total") != mine[u])
            fprintf(stderr, "FAIL %s notifications: %lld\n", user_name[u], (long long)jint(j, "total")), failures++;
        json_decref(j);
    }
    /* the others' read-all left P's unread; P reads its own */
    json_t *j = NULL;
    assert_int_equal(api("GET", "/notifications?unread=1", tok[U_P_STAFF], NULL, &j), 200);
    assert_int_equal(jint(j, "total"), 1);
    json_decref(j);
    row(U_P_STAFF, "POST", "/notifications/%lld/read", note_p, NULL, 200);
    row(-1, "GET", "/notifications", 0, NULL, 401);
    row(-1, "POST", "/notifications/%lld/read", note_p, NULL, 401);
    row(-1, "POST", "/notifications/read-all", 0, NULL, 401);
    row(-1, "GET", "/me/notify-prefs", 0, NULL, 401);
    row(-1, "PUT", "/me/notify-prefs", 0, "{\"lead_days\": [2]}", 401);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_todo),
        cmocka_unit_test(test_notifications),
    };
    return run_api_tests(tests, setup, teardown);
}
