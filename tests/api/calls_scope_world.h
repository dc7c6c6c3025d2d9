/* calls_scope_world.h - the world the calls engine's scope matrices share (test_scope_calls.c,
 * test_scope_calls_c.c, test_scope_calls_d.c): a city, district A with points P and Q, district B
 * with its point, and eight users, each logged in: the city admin; A's admin and staff (subtree);
 * B's admin; P's and Q's staff, and a teacher and a volunteer at P (their node alone). Each test
 * program runs its own server and database, so the names need no prefix. Static definitions:
 * include it in one test program only, after harness.h and cmocka.h.
 *
 *   root(city) ─┬─ A(district) ─┬─ P(point)
 *               │               └─ Q(point)
 *               └─ B(district) ─── B's point */
#ifndef KEPU_CALLS_SCOPE_WORLD_H
#define KEPU_CALLS_SCOPE_WORLD_H

enum { U_ADMIN, U_A_ADMIN, U_A_STAFF, U_B_ADMIN, U_P_STAFF, U_Q_STAFF, U_P_TEACHER, U_P_VOLUNTEER, USERS };
static const char *const user_name[USERS] = {"admin", "a_admin", "a_staff", "b_admin", "p_staff", "q_staff",
                                             "p_teacher", "p_volunteer"};
static char *tok[USERS];
static int64_t root, dist_a, dist_b, point_p, point_q, point_b;
static int failures;   /* matrix rows that did not hold; each test asserts 0 at its end */

#define MISSING MATRIX_MISSING

/* POST expecting 200 or 201; the answer's id. */
static int64_t post_id(const char *token, const char *path, json_t *body)
{
    json_t *j = NULL;
    int st = api("POST", path, token, body, &j);
    if (st != 201 && st != 200) fprintf(stderr, "POST %s: %d\n", path, st);
    assert_true(st == 201 || st == 200);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

/* Starts the server and builds the tree and the users; the caller's setup then adds its calls. */
static int world_start(void **state)
{
    if (server_start(state) != 0) return -1;
    tok[U_ADMIN] = login("admin", ADMIN_PASSWORD);
    root = root_org_id(tok[U_ADMIN]);
    dist_a = create_org(tok[U_ADMIN], root, "district", "范围甲区");
    dist_b = create_org(tok[U_ADMIN], root, "district", "范围乙区");
    point_p = create_org(tok[U_ADMIN], dist_a, "point", "甲区P点");
    point_q = create_org(tok[U_ADMIN], dist_a, "point", "甲区Q点");
    point_b = create_org(tok[U_ADMIN], dist_b, "point", "乙区B点");
    const struct { int64_t org; const char *role, *scope; } u[USERS] = {
        {0, NULL, NULL}, {dist_a, "org_admin", "subtree"}, {dist_a, "staff", "subtree"}, {dist_b, "org_admin", "subtree"},
        {point_p, "staff", "org"}, {point_q, "staff", "org"}, {point_p, "teacher", "org"}, {point_p, "volunteer", "org"},
    };
    for (int i = 1; i < USERS; i++) {
        create_user(tok[U_ADMIN], user_name[i], u[i].org, u[i].role, u[i].scope, 0);
        tok[i] = login(user_name[i], USER_PASSWORD);
    }
    return 0;
}

static int teardown(void **state)
{
    for (int i = 0; i < USERS; i++) free(tok[i]);
    return server_stop(state);
}

/* A matrix row for user u (-1: anonymous), as harness.c's scope_row() checks it. */
static void row(int u, const char *method, const char *fmt, int64_t id, const char *body, int want)
{
    if (!scope_row(u < 0 ? "public" : user_name[u], u < 0 ? NULL : tok[u], method, fmt, id, body, want)) failures++;
}

#endif
