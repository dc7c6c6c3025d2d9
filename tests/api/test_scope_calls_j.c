/* test_scope_calls_j.c - the data-scope matrix of issue 15's package J for the city, a district's
 * admin and staff, another district, two points' staff, a teacher and a volunteer: a call for
 * persons (a pool teacher entered by its unit or its district, never by a unit outside the
 * teacher's path), 推荐上报 (the call's managers': a district answers 404 as for a missing call,
 * ranks below org_admin 403), and the entry PDF (seen exactly as GET /entries/:id).
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
#include <cmocka.h>

#include "calls_scope_world.h"

static int64_t person_call, closed_call, entry_p, teacher_p;

static void step(int64_t id, const char *token, const char *action)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/teachers/%lld/%s", (long long)id, action), token, NULL, &j), j, 200);
    json_decref(j);
}

static int64_t template_of(const char *code)
{
    json_t *j = NULL, *it;
    size_t i;
    int64_t id = 0;
    expect_status(api("GET", "/call-templates?page_size=100", tok[U_ADMIN], NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), i, it) if (!strcmp(jstr(it, "code"), code)) id = jint(it, "id");
    json_decref(j);
    return id;
}

static int setup(void **state)
{
    if (world_start(state) != 0) return -1;
    /* a filed teacher at P */
    teacher_p = post_id(tok[U_ADMIN], "/teachers", jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)point_p, "name", "范围教师",
                                                        "id_number", test_id_number(8000, 1), "phone", "13800005678"));
    step(teacher_p, tok[U_ADMIN], "propose"), step(teacher_p, tok[U_A_ADMIN], "certify"), step(teacher_p, tok[U_ADMIN], "file");
    person_call = post_id(tok[U_ADMIN], "/calls",
                          jpack("{s:I, s:I, s:i, s:s, s:s, s:s, s:s}", "template_id", (json_int_t)template_of("excellent_teacher"),
                                "org_id", (json_int_t)root, "year", 2026, "title", "范围优秀教师", "deadline", "2099-12-31",
                                "eligible", "persons", "person_kind", "teacher"));
    post_id(tok[U_ADMIN], P("/calls/%lld/open", (long long)person_call), NULL);
    /* a call of points, closed: an entry of P submitted */
    int64_t tpl = post_id(tok[U_ADMIN], "/call-templates",
                          jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s}], s:[], s:s, s:[s]}}", "code", "sj_base", "name", "范围推荐",
                                "kind", "contest", "config", "form", "key", "name", "label", "名称", "type", "text", "stages",
                                "eligible", "types", "eligible_types", "point"));
    closed_call = post_id(tok[U_ADMIN], "/calls", jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id",
                                                       (json_int_t)root, "year", 2026, "title", "范围推荐上报", "deadline", "2099-12-31"));
    post_id(tok[U_ADMIN], P("/calls/%lld/open", (long long)closed_call), NULL);
    entry_p = post_id(tok[U_P_STAFF], P("/calls/%lld/entries", (long long)closed_call),
                      jpack("{s:s, s:{s:s}}", "title", "范围作品", "values", "name", "甲"));
    post_id(tok[U_P_STAFF], P("/entries/%lld/submit", (long long)entry_p), NULL);
    post_id(tok[U_ADMIN], P("/calls/%lld/close", (long long)closed_call), NULL);
    return 0;
}

/* Entering P's teacher: the city, A (its district) and P's staff may; B and Q see no such
 * person in their pool (422), ranks without entry rights are refused first (403). Each success
 * is withdrawn so that the next row may enter the person again. */
static void test_person_entries(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int enter[USERS] =      {201,  201,  201,  422,  201,  422,  403,  403};
    char body[160];
    snprintf(body, sizeof body, "{\"title\":\"范围推荐\",\"values\":{\"teacher\":{\"id\":%lld},\"deeds\":\"事迹\"}}", (long long)teacher_p);
    for (int u = 0; u < USERS; u++) {
        json_t *j = NULL;
        int st = api("POST", P("/calls/%lld/entries", (long long)person_call), tok[u], json_loads(body, 0, NULL), &j);
        if (st != enter[u] || (st == 201 && jint(j, "org_id") != point_p))
            fprintf(stderr, "FAIL %s enter: %d\n", user_name[u], st), failures++;
        int64_t id = st == 201 ? jint(j, "id") : 0;
        json_decref(j);
        if (!id) continue;
        post_id(tok[u], P("/entries/%lld/submit", (long long)id), NULL);
        post_id(tok[u], P("/entries/%lld/withdraw", (long long)id), NULL);
    }
    assert_int_equal(failures, 0);
}

static void test_recommend_up_and_pdf(void **state)
{
    (void)state;
    /*                                    admin a_adm a_stf b_adm p_stf q_stf teach volun */
    static const int manage[USERS] =     {200,  404,  403,  404,  403,  403,  403,  403};
    static const int see_p[USERS] =      {200,  200,  200,  404,  200,  404,  403,  403};
    for (int u = 0; u < USERS; u++) {
        row(u, "POST", "/calls/%lld/recommend-up", closed_call, "{\"count\": 1}", manage[u]);
        row(u, "GET", "/calls/%lld/recommended-up", closed_call, NULL, manage[u]);
        row(u, "GET", "/entries/%lld/entry.pdf", entry_p, NULL, see_p[u]);
        row(u, "GET", "/entries/%lld", entry_p, NULL, see_p[u]);   /* the same as the entry itself */
    }
    row(-1, "POST", "/calls/%lld/recommend-up", closed_call, "{\"count\": 1}", 401);
    row(-1, "GET", "/calls/%lld/recommended-up", closed_call, NULL, 401);
    row(-1, "GET", "/entries/%lld/entry.pdf", entry_p, NULL, 401);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_person_entries),
        cmocka_unit_test(test_recommend_up_and_pdf),
    };
    return run_api_tests(tests, setup, teardown);
}
