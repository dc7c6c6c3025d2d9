/* test_scope.c - the scope matrix: every role and data scope against nodes in every relation
 * (own node, child, sibling, parent, other branch) on every endpoint. Outside scope is 404,
 * never 403 and never counted; inside scope with too low a role is 403. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* The tree: root -> A -> A1 -> A1p ; root -> B -> Bp ; A -> A2 (sibling of A1) */
enum { ROOT, A, A1, A1P, A2, B, BP, NODES };
static int64_t node[NODES];
static int64_t homed_user[NODES];      /* a staff user homed at each node */
static const char *node_name[NODES] = {"root", "A", "A1", "A1p", "A2", "B", "Bp"};

enum { U_ADMIN, U_A_ORGADMIN, U_A_STAFF, U_A_STAFF_ORG, U_A1_TEACHER, U_B_ORGADMIN, U_MEMBER, USERS };
static char *token[USERS];
static const char *user_name[USERS] = {"admin", "a_orgadmin", "a_staff", "a_staff_org", "a1_teacher",
                                       "b_orgadmin", "a1p_member_bp"};

/* What each user may see: 1 visible, 0 not. Columns follow the node enum. */
static const int visible[USERS][NODES] = {
    /*                 root A  A1 A1p A2 B  Bp */
    [U_ADMIN]       = {1,   1, 1, 1,  1, 1, 1},
    [U_A_ORGADMIN]  = {0,   1, 1, 1,  1, 0, 0},
    [U_A_STAFF]     = {0,   1, 1, 1,  1, 0, 0},
    [U_A_STAFF_ORG] = {0,   1, 0, 0,  0, 0, 0},
    [U_A1_TEACHER]  = {0,   0, 1, 0,  0, 0, 0},
    [U_B_ORGADMIN]  = {0,   0, 0, 0,  0, 1, 1},
    [U_MEMBER]      = {0,   0, 0, 1,  0, 0, 1},   /* home A1p + membership Bp, subtree */
};
static const int can_write_orgs[USERS] = {1, 1, 0, 0, 0, 1, 0};
static const int can_read_users[USERS] = {1, 1, 1, 1, 0, 1, 1};

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    char *admin = login("admin", ADMIN_PASSWORD);
    node[ROOT] = root_org_id(admin);
    node[A] = create_org(admin, node[ROOT], "district", "A区");
    node[A1] = create_org(admin, node[A], "street", "A1街道");
    node[A1P] = create_org(admin, node[A1], "point", "A1p教学点");
    node[A2] = create_org(admin, node[A], "street", "A2街道");
    node[B] = create_org(admin, node[ROOT], "district", "B区");
    node[BP] = create_org(admin, node[B], "point", "Bp教学点");
    for (int n = 0; n < NODES; n++) {
        char uname[32];
        snprintf(uname, sizeof uname, "homed_%s", node_name[n]);
        homed_user[n] = create_user(admin, uname, node[n], "volunteer", "self", 0);
    }
    create_user(admin, "a_orgadmin", node[A], "org_admin", "subtree", 0);
    create_user(admin, "a_staff", node[A], "staff", "subtree", 0);
    create_user(admin, "a_staff_org", node[A], "staff", "org", 0);
    create_user(admin, "a1_teacher", node[A1], "teacher", "self", 0);
    create_user(admin, "b_orgadmin", node[B], "org_admin", "subtree", 0);
    create_user(admin, "a1p_member_bp", node[A1P], "staff", "subtree", node[BP]);
    token[U_ADMIN] = admin;
    for (int u = 1; u < USERS; u++) token[u] = login(user_name[u], USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    for (int u = 0; u < USERS; u++) free(token[u]);
    return server_stop(state);
}

static int failures;

static void check(int u, int n, const char *what, long got, long want)
{
    if (got == want) return;
    fprintf(stderr, "FAIL user=%s node=%s %s: got %ld want %ld\n", user_name[u], node_name[n], what, got, want);
    failures++;
}

static bool list_contains(json_t *items, int64_t id)
{
    size_t i;
    json_t *e;
    json_array_foreach(items, i, e) if (json_integer_value(json_object_get(e, "id")) == id) return true;
    return false;
}

static void test_reads_see_exactly_the_scope(void **state)
{
    (void)state;
    failures = 0;
    for (int u = 0; u < USERS; u++) {
        json_t *j;
        api("GET", "/api/v1/orgs?page_size=500", token[u], NULL, &j);
        int expect_total = 0;
        for (int n = 0; n < NODES; n++) expect_total += visible[u][n];
        /* admin also sees orgs made by the other test files' nodes: none here */
        check(u, ROOT, "orgs total", (long)json_integer_value(json_object_get(j, "total")), expect_total);
        for (int n = 0; n < NODES; n++) {
            char path[128];
            long want = visible[u][n] ? 200 : 404;
            check(u, n, "list contains", list_contains(json_object_get(j, "items"), node[n]), visible[u][n]);
            snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)node[n]);
            check(u, n, "GET org", api("GET", path, token[u], NULL, NULL), want);
            snprintf(path, sizeof path, "/api/v1/orgs/%lld/tree", (long long)node[n]);
            check(u, n, "GET tree", api("GET", path, token[u], NULL, NULL), want);
            snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)homed_user[n]);
            long uw = !can_read_users[u] ? 403 : (visible[u][n] && !(u == U_A1_TEACHER)) ? 200 : 404;
            check(u, n, "GET user", api("GET", path, token[u], NULL, NULL), uw);
            snprintf(path, sizeof path, "/api/v1/users?org_id=%lld", (long long)node[n]);
            long lw = !can_read_users[u] ? 403 : visible[u][n] ? 200 : 404;
            check(u, n, "GET users?org_id", api("GET", path, token[u], NULL, NULL), lw);
        }
        json_decref(j);
        /* search: a name only in branch B */
        api("GET", "/api/v1/orgs?q=Bp", token[u], NULL, &j);
        check(u, BP, "search total", (long)json_integer_value(json_object_get(j, "total")), visible[u][BP]);
        json_decref(j);
    }
    assert_int_equal(failures, 0);
}

static void test_writes_respect_scope_and_role(void **state)
{
    (void)state;
    failures = 0;
    char *admin = token[U_ADMIN];
    for (int u = 0; u < USERS; u++) {
        for (int n = 0; n < NODES; n++) {
            char path[128], body[128];
            long in_scope_want = can_write_orgs[u] ? 0 : 403;
            /* rename */
            snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)node[n]);
            long got = api("PATCH", path, token[u], "{\"name\":\"改名测试\"}", NULL);
            check(u, n, "PATCH org", got, !can_write_orgs[u] ? 403 : visible[u][n] ? 200 : 404);
            snprintf(body, sizeof body, "{\"name\":\"%s\"}", node_name[n]);
            api("PATCH", path, admin, body, NULL);
            /* create a child */
            snprintf(body, sizeof body, "{\"parent_id\":%lld,\"type\":\"point\",\"name\":\"临时\"}", (long long)node[n]);
            json_t *j = NULL;
            got = api("POST", "/api/v1/orgs", token[u], body, &j);
            long want = in_scope_want ? 403 : visible[u][n] ? 201 : 404;
            check(u, n, "POST child", got, want);
            int64_t leaf = got == 201 ? json_integer_value(json_object_get(j, "id")) : 0;
            json_decref(j);
            if (!leaf) leaf = create_org(admin, node[n], "point", "临时");
            /* delete a disposable leaf under the node: visible exactly when the node's subtree is */
            snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)leaf);
            int leaf_visible = visible[u][n] && u != U_A_STAFF_ORG && u != U_A1_TEACHER;
            got = api("DELETE", path, token[u], NULL, NULL);
            check(u, n, "DELETE leaf", got, !can_write_orgs[u] ? 403 : leaf_visible ? 204 : 404);
            if (got != 204) api("DELETE", path, admin, NULL, NULL);
            /* audit of the node */
            snprintf(path, sizeof path, "/api/v1/audit?entity=org&entity_id=%lld", (long long)node[n]);
            j = NULL;
            got = api("GET", path, token[u], NULL, &j);
            if (u == U_A1_TEACHER) check(u, n, "GET audit", got, 403);
            else check(u, n, "audit total>0", json_integer_value(json_object_get(j, "total")) > 0, visible[u][n]);
            json_decref(j);
        }
    }
    assert_int_equal(failures, 0);
}

static void test_grants_never_exceed_the_granter(void **state)
{
    (void)state;
    char body[256];
    json_t *j;
    snprintf(body, sizeof body, "{\"username\":\"grant1\",\"name\":\"x\",\"org_id\":%lld,\"role\":\"admin\",\"data_scope\":\"subtree\",\"password\":\"long-enough-1\"}", (long long)node[A1]);
    assert_int_equal(api("POST", "/api/v1/users", token[U_A_ORGADMIN], body, &j), 403);
    json_decref(j);
    snprintf(body, sizeof body, "{\"username\":\"grant2\",\"name\":\"x\",\"org_id\":%lld,\"role\":\"staff\",\"data_scope\":\"all\",\"password\":\"long-enough-1\"}", (long long)node[A1]);
    assert_int_equal(api("POST", "/api/v1/users", token[U_A_ORGADMIN], body, NULL), 403);
    snprintf(body, sizeof body, "{\"username\":\"grant3\",\"name\":\"x\",\"org_id\":%lld,\"role\":\"staff\",\"data_scope\":\"subtree\",\"password\":\"long-enough-1\"}", (long long)node[B]);
    assert_int_equal(api("POST", "/api/v1/users", token[U_A_ORGADMIN], body, &j), 404);
    assert_string_equal(err_field(j), "org_id");
    json_decref(j);
    snprintf(body, sizeof body, "{\"username\":\"grant4\",\"name\":\"x\",\"org_id\":%lld,\"role\":\"staff\",\"data_scope\":\"subtree\",\"password\":\"long-enough-1\",\"member_org_ids\":[%lld]}", (long long)node[A1], (long long)node[BP]);
    assert_int_equal(api("POST", "/api/v1/users", token[U_A_ORGADMIN], body, NULL), 404);
    snprintf(body, sizeof body, "{\"username\":\"grant5\",\"name\":\"x\",\"org_id\":%lld,\"role\":\"staff\",\"data_scope\":\"subtree\",\"password\":\"long-enough-1\"}", (long long)node[A1]);
    assert_int_equal(api("POST", "/api/v1/users", token[U_A_ORGADMIN], body, NULL), 201);
    /* a district admin cannot lift itself */
    json_t *me;
    api("GET", "/api/v1/me", token[U_A_ORGADMIN], NULL, &me);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/users/%lld", (long long)json_integer_value(json_object_get(me, "id")));
    json_decref(me);
    assert_int_equal(api("PATCH", path, token[U_A_ORGADMIN], "{\"data_scope\":\"all\"}", NULL), 403);
    assert_int_equal(api("PATCH", path, token[U_A_ORGADMIN], "{\"active\":false}", NULL), 422);
    /* moving a node out of one's own branch: the target parent does not exist for the caller */
    snprintf(path, sizeof path, "/api/v1/orgs/%lld", (long long)node[A2]);
    snprintf(body, sizeof body, "{\"parent_id\":%lld}", (long long)node[B]);
    assert_int_equal(api("PATCH", path, token[U_A_ORGADMIN], body, NULL), 404);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_see_exactly_the_scope),
        cmocka_unit_test(test_writes_respect_scope_and_role),
        cmocka_unit_test(test_grants_never_exceed_the_granter),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
