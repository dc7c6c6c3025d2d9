/* test_two_nodes.c - two kepu processes on one database behave as one: sessions, login delays and
 * writes made through one node hold on the other, audit ids never collide, and killing a node
 * with SIGKILL loses nothing it acknowledged. Runs on SQLite (one file) and PostgreSQL. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    return second_node_start();
}

static void test_session_from_a_works_on_b(void **state)
{
    (void)state;
    use_node(1);
    char *t = login("admin", ADMIN_PASSWORD);
    use_node(2);
    assert_int_equal(api("GET", "/api/v1/me", t, NULL, NULL), 200);
    assert_int_equal(api("POST", "/api/v1/auth/logout", t, NULL, NULL), 204);
    use_node(1);
    assert_int_equal(api("GET", "/api/v1/me", t, NULL, NULL), 401);
    free(t);
}

/* Login failures are counted by the limiter: on PostgreSQL in the database, so five failures
 * through node A delay the same (account, address) on node B. SQLite deployments run one node
 * (docs/operations.md) and count in memory: there the delay holds on the node that counted. */
static void test_login_delay_on_a_holds_on_b(void **state)
{
    (void)state;
    use_node(1);
    char *admin = login("admin", ADMIN_PASSWORD);
    create_user(admin, "twonode_lock", root_org_id(admin), "staff", "org", 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(api_text("POST", "/api/v1/auth/login", NULL, "{\"username\":\"twonode_lock\",\"password\":\"wrong-password\"}", NULL), 401);
    bool shared = strcmp(test_db_kind(), "postgresql") == 0;
    use_node(shared ? 2 : 1);
    json_t *j;
    assert_int_equal(api_text("POST", "/api/v1/auth/login", NULL, "{\"username\":\"twonode_lock\",\"password\":\"" USER_PASSWORD "\"}", &j), 429);
    assert_string_equal(err_code(j), "too_many_attempts");
    json_decref(j);
    use_node(1);
    free(admin);
}

static void test_writes_interleave_without_collisions(void **state)
{
    (void)state;
    use_node(1);
    char *admin = login("admin", ADMIN_PASSWORD);
    int64_t root = root_org_id(admin);
    int64_t ids[20];
    for (int i = 0; i < 20; i++) {
        use_node(1 + i % 2);
        char name[32];
        snprintf(name, sizeof name, "双节点区%d", i);
        ids[i] = create_org(admin, root, "district", name);
    }
    for (int i = 0; i < 20; i++)
        for (int k = 0; k < i; k++) assert_true(ids[i] != ids[k]);
    json_t *j;
    use_node(2);
    assert_int_equal(api("GET", "/api/v1/audit?entity=org&page_size=500", admin, NULL, &j), 200);
    json_t *items = json_object_get(j, "items");
    size_t n = json_array_size(items);
    assert_true(n >= 20);
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < a; b++)
            assert_true(json_integer_value(json_object_get(json_array_get(items, a), "id")) !=
                        json_integer_value(json_object_get(json_array_get(items, b), "id")));
    json_decref(j);
    free(admin);
}

static void test_kill_9_loses_nothing_acknowledged(void **state)
{
    (void)state;
    use_node(1);
    char *admin = login("admin", ADMIN_PASSWORD);
    int64_t root = root_org_id(admin);
    int64_t ids[10];
    for (int i = 0; i < 10; i++) {
        char name[32];
        snprintf(name, sizeof name, "断电测试点%d", i);
        ids[i] = create_org(admin, root, "point", name);
    }
    kill_first_node_hard();
    use_node(2);
    for (int i = 0; i < 10; i++) {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)ids[i]);
        assert_int_equal(api("GET", path, admin, NULL, NULL), 200);
    }
    assert_int_equal(api("GET", "/api/v1/me", admin, NULL, NULL), 200);   /* session survives */
    free(admin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_from_a_works_on_b),
        cmocka_unit_test(test_login_delay_on_a_holds_on_b),
        cmocka_unit_test(test_writes_interleave_without_collisions),
        cmocka_unit_test(test_kill_9_loses_nothing_acknowledged),
    };
    return run_api_tests(tests, setup, server_stop);
}
