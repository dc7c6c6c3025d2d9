/* test_orgs.c - the organization tree's model on an in-memory database: paths, moves,
 * deletes, and the data scope every query applies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "audit/audit.h"
#include "orgs/orgs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    db *c;
    arena a;
    org city, d1, d2, s1, p1, p2;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    arena_init(&f->a);
    assert_int_equal(db_open(":memory:", &f->c), DB_OK);
    assert_int_equal(db_migrate(f->c), DB_OK);
    assert_int_equal(orgs_create_system(f->c, &f->a, 0, "city", "重庆市科协", "500000", &f->city), DB_OK);
    assert_int_equal(orgs_create_system(f->c, &f->a, f->city.id, "district", "渝中区", "500103", &f->d1), DB_OK);
    assert_int_equal(orgs_create_system(f->c, &f->a, f->city.id, "district", "江北区", "500105", &f->d2), DB_OK);
    assert_int_equal(orgs_create_system(f->c, &f->a, f->d1.id, "street", "解放碑街道", NULL, &f->s1), DB_OK);
    assert_int_equal(orgs_create_system(f->c, &f->a, f->s1.id, "point", "和平社区教学点", NULL, &f->p1), DB_OK);
    assert_int_equal(orgs_create_system(f->c, &f->a, f->d2.id, "point", "观音桥教学点", NULL, &f->p2), DB_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    db_close(f->c);
    arena_free(&f->a);
    free(f);
    return 0;
}

static principal as_user(fixture *f, enum scope_level level, const org *home)
{
    principal p;
    memset(&p, 0, sizeof p);
    p.user_id = 99;
    p.username = "tester";
    p.rank = RANK_ORG_ADMIN;
    p.scope.level = level;
    p.scope.user_id = 99;
    scope_add_path(&f->a, &p.scope, home->path);
    return p;
}

static void test_paths_follow_the_tree(void **state)
{
    fixture *f = *state;
    char want[64];
    snprintf(want, sizeof want, "/%lld/%lld/%lld/", (long long)f->city.id, (long long)f->d1.id,
             (long long)f->s1.id);
    assert_string_equal(f->s1.path, want);
    assert_int_equal(f->p1.depth, 3);
}

static void test_path_upper_bound_closes_the_subtree(void **state)
{
    fixture *f = *state;
    assert_string_equal(path_upper_bound(&f->a, "/1/7/"), "/1/70");
    assert_true(strcmp("/1/7/999/", "/1/70") < 0);
    assert_true(strcmp("/1/70/", "/1/70") > 0);   /* node 70 is not inside node 7 */
}

static void test_scope_hides_other_branch(void **state)
{
    fixture *f = *state;
    principal p = as_user(f, SCOPE_SUBTREE, &f->d1);
    org o;
    assert_int_equal(orgs_get(f->c, &p, &f->a, f->p1.id, &o), DB_OK);
    assert_int_equal(orgs_get(f->c, &p, &f->a, f->p2.id, &o), ORGS_NOT_FOUND);
    assert_int_equal(orgs_get(f->c, &p, &f->a, f->city.id, &o), ORGS_NOT_FOUND);
}

static void test_list_total_counts_only_scope(void **state)
{
    fixture *f = *state;
    principal p = as_user(f, SCOPE_SUBTREE, &f->d1);
    org_filter flt = {0};
    int64_t total = 0;
    jw w;
    jw_init(&w);
    assert_int_equal(orgs_list(f->c, &p, &f->a, &flt, 50, 0, &w, &total), DB_OK);
    assert_int_equal(total, 3);             /* 渝中区, its street, its point */
    json_t *items = jw_to_json(&w);
    assert_int_equal(json_array_size(items), 3);
    json_decref(items);
    jw_free(&w);
    principal alone = as_user(f, SCOPE_ORG, &f->d1);
    jw_init(&w);
    assert_int_equal(orgs_list(f->c, &alone, &f->a, &flt, 50, 0, &w, &total), DB_OK);
    assert_int_equal(total, 1);
    jw_free(&w);
}

static void test_search_escapes_like_wildcards(void **state)
{
    fixture *f = *state;
    principal p = as_user(f, SCOPE_ALL, &f->city);
    org_filter flt = {.q = "%"};
    int64_t total = -1;
    jw w;
    jw_init(&w);
    assert_int_equal(orgs_list(f->c, &p, &f->a, &flt, 50, 0, &w, &total), DB_OK);
    assert_int_equal(total, 0);
    jw_free(&w);
    flt.q = "教学点";
    jw_init(&w);
    assert_int_equal(orgs_list(f->c, &p, &f->a, &flt, 50, 0, &w, &total), DB_OK);
    assert_int_equal(total, 2);
    jw_free(&w);
}

static void test_move_rewrites_subtree_paths(void **state)
{
    fixture *f = *state;
    principal p = as_user(f, SCOPE_ALL, &f->city);
    org moved, point;
    assert_int_equal(orgs_update(f->c, &p, &f->a, f->s1.id, NULL, NULL, NULL, f->d2.id, &moved), DB_OK);
    assert_int_equal(moved.parent_id, f->d2.id);
    assert_int_equal(orgs_get(f->c, &p, &f->a, f->p1.id, &point), DB_OK);
    assert_true(strncmp(point.path, f->d2.path, strlen(f->d2.path)) == 0);
    assert_int_equal(point.depth, 3);
    /* and back, so other tests see the original tree */
    assert_int_equal(orgs_update(f->c, &p, &f->a, f->s1.id, NULL, NULL, NULL, f->d1.id, &moved), DB_OK);
}

static void test_move_rejects_own_descendant(void **state)
{
    fixture *f = *state;
    principal p = as_user(f, SCOPE_ALL, &f->city);
    org o;
    assert_int_equal(orgs_update(f->c, &p, &f->a, f->d1.id, NULL, NULL, NULL, f->p1.id, &o),
                     ORGS_INTO_DESCENDANT);
    assert_int_equal(orgs_update(f->c, &p, &f->a, f->city.id, NULL, NULL, NULL, f->d1.id, &o),
                     ORGS_IS_ROOT);
}

static void test_move_out_of_scope_target_is_not_found(void **state)
{
    fixture *f = *state;
    principal p = as_user(f, SCOPE_SUBTREE, &f->d1);
    org o;
    assert_int_equal(orgs_update(f->c, &p, &f->a, f->s1.id, NULL, NULL, NULL, f->d2.id, &o),
                     ORGS_NOT_FOUND);
}

static void test_delete_refuses_nonempty_and_audits(void **state)
{
    fixture *f = *state;
    principal p = as_user(f, SCOPE_ALL, &f->city);
    org leaf;
    assert_int_equal(orgs_delete(f->c, &p, &f->a, f->s1.id), ORGS_NOT_EMPTY);
    assert_int_equal(orgs_create(f->c, &p, &f->a, f->d2.id, "point", "临时教学点", NULL, &leaf), DB_OK);
    assert_int_equal(orgs_delete(f->c, &p, &f->a, leaf.id), DB_OK);
    assert_int_equal(orgs_get(f->c, &p, &f->a, leaf.id, &leaf), ORGS_NOT_FOUND);
    db_stmt *s = db_prepare(f->c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'org' AND entity_id = ?");
    db_bind_int(s, 1, leaf.id);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 2);    /* create + delete */
    db_finish(s);
}

static void test_node_alone_scope_cannot_create_children(void **state)
{
    fixture *f = *state;
    principal p = as_user(f, SCOPE_ORG, &f->d1);
    org o;
    assert_int_equal(orgs_create(f->c, &p, &f->a, f->d1.id, "street", "新街道", NULL, &o), ORGS_OUT_OF_REACH);
}

static void test_duplicate_code_is_refused(void **state)
{
    fixture *f = *state;
    principal p = as_user(f, SCOPE_ALL, &f->city);
    org o;
    assert_int_equal(orgs_create(f->c, &p, &f->a, f->city.id, "district", "重复", "500103", &o),
                     ORGS_DUPLICATE_CODE);
}

static void test_audit_diff_keeps_changed_fields(void **state)
{
    (void)state;
    json_t *b = json_pack("{s:s, s:i, s:s}", "name", "旧", "depth", 1, "updated_at", "x");
    json_t *a = json_pack("{s:s, s:i, s:s}", "name", "新", "depth", 1, "updated_at", "y");
    json_t *d = audit_diff(b, a);
    assert_int_equal(json_object_size(d), 1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(d, "name"), "after")), "新");
    json_decref(b);
    json_decref(a);
    json_decref(d);
}

/* The text audit_record() writes equals the diff dumped by jansson, nested values included. */
static void test_audit_text_equals_dumped_diff(void **state)
{
    (void)state;
    json_t *b = json_pack("{s:s, s:i, s:[s,s], s:o, s:b, s:f, s:s}", "name", "旧\"名\\", "n", 3, "tags",
                          "健康", "应急", "extra", json_pack("{s:i}", "z", 1), "flag", 1, "funds", 1.5, "same", "x");
    json_t *a = json_pack("{s:s, s:i, s:[s], s:n, s:b, s:s, s:s}", "name", "新\n名", "n", -4, "tags", "健康",
                          "gone", "flag", 0, "added", "加", "same", "x");
    json_t *d = audit_diff(b, a);
    char *want = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS), *got = audit_changes_text(b, a);
    assert_non_null(got);
    assert_string_equal(got, want);
    char *created = audit_changes_text(NULL, a);
    json_t *parsed = json_loads(created, 0, NULL);
    assert_int_equal(json_object_size(parsed), 6);   /* every field that is not null ("gone" is) */
    assert_true(json_is_null(json_object_get(json_object_get(parsed, "added"), "before")));
    free(want), free(got), free(created);
    json_decref(parsed), json_decref(d), json_decref(a), json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_follow_the_tree),
        cmocka_unit_test(test_path_upper_bound_closes_the_subtree),
        cmocka_unit_test(test_scope_hides_other_branch),
        cmocka_unit_test(test_list_total_counts_only_scope),
        cmocka_unit_test(test_search_escapes_like_wildcards),
        cmocka_unit_test(test_move_rewrites_subtree_paths),
        cmocka_unit_test(test_move_rejects_own_descendant),
        cmocka_unit_test(test_move_out_of_scope_target_is_not_found),
        cmocka_unit_test(test_delete_refuses_nonempty_and_audits),
        cmocka_unit_test(test_node_alone_scope_cannot_create_children),
        cmocka_unit_test(test_duplicate_code_is_refused),
        cmocka_unit_test(test_audit_diff_keeps_changed_fields),
        cmocka_unit_test(test_audit_text_equals_dumped_diff),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
