/* test_entity.c - the entity engine's reads on an in-memory database (model/entity.h), over the
 * organization tree: the complete hook after every get and list, the unpaged list, and the
 * unscoped read by a condition. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "model/entity.h"
#include "orgs/orgs.h"
#include <stdlib.h>
#include <string.h>

typedef struct node {
    int64_t id, depth;
    const char *name, *path, *label;   /* label: filled by the complete hook */
} node;

enum { NODE_NOT_FOUND = -9001 };

static int completed;      /* calls of the hook */
static bool hook_fails;

static int complete(db *c, const scope *sc, arena *a, void *rec)
{
    (void)c, (void)sc;
    node *n = rec;
    completed++;
    n->label = arena_printf(a, "%s@%lld", n->name, (long long)n->depth);
    return hook_fails ? DB_ERR : DB_OK;
}

#define T(member) offsetof(node, member)
static const field node_fields[] = {
    {"id", "o.id", FT_ID, T(id), .flags = 0},
    {"name", "o.name", FT_TEXT, T(name), .flags = 0},
    {"depth", "o.depth", FT_INT, T(depth), .flags = 0},
    {"label", "", FT_TEXT, T(label), .flags = FF_NO_SELECT},
    {"path", "o.path", FT_TEXT, T(path), .flags = FF_HIDDEN},
    {0},
};
#undef T

static entity node_entity = {
    .name = "node", .from = " FROM orgs o", .id_column = "o.id", .path_column = "o.path",
    .order = " ORDER BY o.id", .size = sizeof(node), .fields = node_fields, .not_found = NODE_NOT_FOUND,
    .complete = complete,
};

typedef struct fixture {
    db *c;
    arena a;
    org city, d1, d2;
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
    completed = 0;
    hook_fails = false;
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

static void test_get_runs_the_hook_and_keeps_the_scope(void **state)
{
    fixture *f = *state;
    scope sc = {.level = SCOPE_SUBTREE};
    scope_add_path(&f->a, &sc, f->d1.path);
    node n;
    assert_int_equal(entity_get(f->c, &node_entity, &sc, &f->a, f->d1.id, &n), DB_OK);
    assert_string_equal(n.label, "渝中区@1");
    assert_int_equal(completed, 1);
    assert_int_equal(entity_get(f->c, &node_entity, &sc, &f->a, f->d2.id, &n), NODE_NOT_FOUND);
    assert_int_equal(completed, 1);   /* no row, no hook */
}

static void test_get_where_unscoped_finds_by_a_condition(void **state)
{
    fixture *f = *state;
    node n;
    qb q;
    qb_init(&q, " AND o.code = ?");
    qb_text(&q, "500105");
    assert_int_equal(entity_get_where_unscoped(f->c, &node_entity, &f->a, &q, &n), DB_OK);
    assert_int_equal(n.id, f->d2.id);
    assert_string_equal(n.label, "江北区@1");
    qb_init(&q, " AND o.code = ?");
    qb_text(&q, "none");
    assert_int_equal(entity_get_where_unscoped(f->c, &node_entity, &f->a, &q, &n), NODE_NOT_FOUND);
}

static void test_list_all_writes_every_row_in_order_with_the_hook(void **state)
{
    fixture *f = *state;
    jw w;
    qb q;
    jw_init(&w);
    qb_init(&q, " WHERE o.depth = ?");
    qb_int(&q, 1);
    assert_int_equal(entity_list_all(f->c, &node_entity, &q, " ORDER BY o.id DESC", &f->a, &w, NULL, NULL), DB_OK);
    json_t *j = jw_to_json(&w);
    assert_int_equal(json_array_size(j), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "label")), "江北区@1");
    assert_null(json_object_get(json_array_get(j, 0), "path"));   /* hidden */
    assert_int_equal(completed, 2);
    json_decref(j);
    jw_free(&w);
}

static void test_a_failing_hook_fails_the_list(void **state)
{
    fixture *f = *state;
    jw w;
    qb q;
    int64_t total = 0;
    hook_fails = true;
    jw_init(&w);
    qb_init(&q, " WHERE 1 = 1");
    assert_int_equal(entity_list_page(f->c, &node_entity, &q, NULL, 10, 0, &f->a, &w, &total, NULL, NULL), DB_ERR);
    jw_free(&w);
    jw_init(&w);
    qb_init(&q, " WHERE 1 = 1");
    assert_int_equal(entity_list_all(f->c, &node_entity, &q, NULL, &f->a, &w, NULL, NULL), DB_ERR);
    jw_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_get_runs_the_hook_and_keeps_the_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_where_unscoped_finds_by_a_condition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_all_writes_every_row_in_order_with_the_hook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_failing_hook_fails_the_list, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
