/* test_scope.c - proves the data-scope rule (docs/domain.md §3, docs/api.md "Roles and scope") as a
 * matrix: users of every role and data scope, each against nodes in every relation to its own
 * (own node, child, sibling, parent, other branch, membership), on every org, user and audit
 * endpoint, and on the records, attachments and totals of the activity register and statistics. Outside scope a node answers exactly like a missing id (404 for single records,
 * absent from lists, searches, trees and totals); inside scope a role too low for a write gets
 * 403; inside scope with the role, the write succeeds. docs/api.md: "The role check comes first:
 * a role that may not call an endpoint at all gets 403 whatever the id", so a staff or teacher
 * write is 403 even outside its scope (that tells nothing about existence).
 *
 * The tree (built by admin under the bootstrap root):
 *   root(city) ─┬─ A(district) ─┬─ A1(street) ─┬─ A1p(point)
 *               │               │              └─ A1q(point)
 *               │               └─ A2(street)
 *               └─ B(district) ─── Bp(point)
 * One volunteer (scope self) is homed at every node: the "homed user" of the node. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

enum { ROOT, A, A1, A1P, A1Q, A2, B, BP, NODES };
static const char *node_label[NODES] = {"root", "A", "A1", "A1p", "A1q", "A2", "B", "Bp"};
static const char *node_name[NODES] = {NULL /* the bootstrap name */, "渝北区", "龙溪街道", "松牌路教学点",
                                       "金紫山教学点", "双龙湖街道", "南岸区", "弹子石教学点"};
static const char *node_type[NODES] = {"city", "district", "street", "point", "point", "street", "district", "point"};
static const int node_parent[NODES] = {-1, ROOT, A, A1, A1, A, ROOT, B};
static int64_t node[NODES], homed[NODES];
/* An activity recorded by admin at every node, with one attached file. */
static int64_t activity_at[NODES], file_at[NODES];
static const bool has_children[NODES] = {[ROOT] = true, [A] = true, [A1] = true, [B] = true};
static char root_name[128];

/* The users. orgs: visible nodes in total; roots: roots of GET /orgs/tree; users: total of
 * GET /users (-1: 403 for the role). */
enum { U_ADMIN, U_A_ADMIN, U_A_STAFF, U_A_STAFF_ORG, U_A1_TEACHER, U_B_ADMIN, U_MEMBER, U_REVIEWER, USERS };
static const struct {
    const char *name;
    int home;
    const char *role, *scope;
    int member;   /* an extra membership, or -1 */
    int orgs, roots, users;
} U[USERS] = {
    [U_ADMIN] = {"admin", ROOT, "admin", "all", -1, 8, 1, 16},
    [U_A_ADMIN] = {"a_admin", A, "org_admin", "subtree", -1, 5, 1, 11},
    [U_A_STAFF] = {"a_staff", A, "staff", "subtree", -1, 5, 1, 11},
    [U_A_STAFF_ORG] = {"a_staff_org", A, "staff", "org", -1, 1, 1, 5},
    [U_A1_TEACHER] = {"a1_teacher", A1, "teacher", "self", -1, 1, 1, -1},
    [U_B_ADMIN] = {"b_admin", B, "org_admin", "subtree", -1, 2, 1, 3},
    [U_MEMBER] = {"a1p_member_bp", A1P, "staff", "subtree", BP, 2, 2, 3},
    /* the role reviewer (issue 15) reads no part of the tree whatever its scope: orgs -1 (403) */
    [U_REVIEWER] = {"a_reviewer", A, "reviewer", "subtree", -1, -1, -1, -1},
};
static char *token[USERS];

/* Expected answers of GET /users?org_id=X and GET /audit?entity=org&entity_id=X. */
enum { LU_403 = 1, LU_404, LU_SUBTREE /* as admin's total */, LU_NODE /* only users homed at X */ };
enum { AU_403 = 1, AU_NONE /* as for a missing id */, AU_ALL /* as admin's total, > 0 */ };

/* One row: user x node. vis: the node is visible (GET 200, listed, found, its tree readable);
 * tree: nodes in its visible subtree; kids: its visible children (a hidden parent of a visible
 * node still lists that node, which names the parent in its parent_id anyway);
 * then the statuses of PATCH /orgs/X, POST /orgs under X, DELETE of a fresh leaf under X,
 * the users list, GET and PATCH of X's homed user, and the audit of X. */
struct row {
    int user;
    const char *rel;
    int node, vis, tree, kids;
    int patch_org, post_child, del_leaf, users, get_user, patch_user, audit;
};

static const struct row rows[] = {
    /* user           relation       node vis tree kids  PATCH POST  DEL   users        GETu PATCHu audit */
    {U_ADMIN,       "own",          ROOT, 1, 8,  2,    200,  201,  204,  LU_SUBTREE, 200, 200, AU_ALL},
    {U_ADMIN,       "child",        A,    1, 5,  2,    200,  201,  204,  LU_SUBTREE, 200, 200, AU_ALL},
    {U_ADMIN,       "other branch", BP,   1, 1,  0,    200,  201,  204,  LU_SUBTREE, 200, 200, AU_ALL},

    {U_A_ADMIN,     "own",          A,    1, 5,  2,    200,  201,  204,  LU_SUBTREE, 200, 200, AU_ALL},
    {U_A_ADMIN,     "child",        A1,   1, 3,  2,    200,  201,  204,  LU_SUBTREE, 200, 200, AU_ALL},
    {U_A_ADMIN,     "grandchild",   A1P,  1, 1,  0,    200,  201,  204,  LU_SUBTREE, 200, 200, AU_ALL},
    {U_A_ADMIN,     "sibling",      B,    0, 0,  0,    404,  404,  404,  LU_404,     404, 404, AU_NONE},
    {U_A_ADMIN,     "parent",       ROOT, 0, 0,  1,    404,  404,  404,  LU_404,     404, 404, AU_NONE},
    {U_A_ADMIN,     "other branch", BP,   0, 0,  0,    404,  404,  404,  LU_404,     404, 404, AU_NONE},

    {U_A_STAFF,     "own",          A,    1, 5,  2,    403,  403,  403,  LU_SUBTREE, 200, 403, AU_ALL},
    {U_A_STAFF,     "child",        A1,   1, 3,  2,    403,  403,  403,  LU_SUBTREE, 200, 403, AU_ALL},
    {U_A_STAFF,     "sibling",      B,    0, 0,  0,    403,  403,  403,  LU_404,     404, 403, AU_NONE},
    {U_A_STAFF,     "parent",       ROOT, 0, 0,  1,    403,  403,  403,  LU_404,     404, 403, AU_NONE},
    {U_A_STAFF,     "other branch", BP,   0, 0,  0,    403,  403,  403,  LU_404,     404, 403, AU_NONE},

    {U_A_STAFF_ORG, "own",          A,    1, 1,  0,    403,  403,  403,  LU_NODE,    200, 403, AU_ALL},
    {U_A_STAFF_ORG, "child",        A1,   0, 0,  0,    403,  403,  403,  LU_404,     404, 403, AU_NONE},
    {U_A_STAFF_ORG, "sibling",      B,    0, 0,  0,    403,  403,  403,  LU_404,     404, 403, AU_NONE},
    {U_A_STAFF_ORG, "parent",       ROOT, 0, 0,  1,    403,  403,  403,  LU_404,     404, 403, AU_NONE},
    {U_A_STAFF_ORG, "other branch", BP,   0, 0,  0,    403,  403,  403,  LU_404,     404, 403, AU_NONE},

    {U_A1_TEACHER,  "own",          A1,   1, 1,  0,    403,  403,  403,  LU_403,     403, 403, AU_403},
    {U_A1_TEACHER,  "child",        A1P,  0, 0,  0,    403,  403,  403,  LU_403,     403, 403, AU_403},
    {U_A1_TEACHER,  "sibling",      A2,   0, 0,  0,    403,  403,  403,  LU_403,     403, 403, AU_403},
    {U_A1_TEACHER,  "parent",       A,    0, 0,  1,    403,  403,  403,  LU_403,     403, 403, AU_403},
    {U_A1_TEACHER,  "other branch", BP,   0, 0,  0,    403,  403,  403,  LU_403,     403, 403, AU_403},

    {U_B_ADMIN,     "own",          B,    1, 2,  1,    200,  201,  204,  LU_SUBTREE, 200, 200, AU_ALL},
    {U_B_ADMIN,     "child",        BP,   1, 1,  0,    200,  201,  204,  LU_SUBTREE, 200, 200, AU_ALL},
    {U_B_ADMIN,     "sibling",      A,    0, 0,  0,    404,  404,  404,  LU_404,     404, 404, AU_NONE},
    {U_B_ADMIN,     "parent",       ROOT, 0, 0,  1,    404,  404,  404,  LU_404,     404, 404, AU_NONE},
    {U_B_ADMIN,     "other branch", A1P,  0, 0,  0,    404,  404,  404,  LU_404,     404, 404, AU_NONE},

    {U_MEMBER,      "own",          A1P,  1, 1,  0,    403,  403,  403,  LU_SUBTREE, 200, 403, AU_ALL},
    {U_MEMBER,      "membership",   BP,   1, 1,  0,    403,  403,  403,  LU_SUBTREE, 200, 403, AU_ALL},
    {U_MEMBER,      "sibling",      A1Q,  0, 0,  0,    403,  403,  403,  LU_404,     404, 403, AU_NONE},
    {U_MEMBER,      "parent",       A1,   0, 0,  1,    403,  403,  403,  LU_404,     404, 403, AU_NONE},
    {U_MEMBER,      "member parent", B,   0, 0,  1,    403,  403,  403,  LU_404,     404, 403, AU_NONE},
    {U_MEMBER,      "other branch", A2,   0, 0,  0,    403,  403,  403,  LU_404,     404, 403, AU_NONE},
};

#define MISSING 99999999LL
static int failures;

static void check(const struct row *r, const char *what, long got, long want)
{
    if (got == want) return;
    fprintf(stderr, "FAIL row %td: user=%s (%s/%s) node=%s (%s) %s: got %ld, want %ld\n", r - rows,
            U[r->user].name, U[r->user].role, U[r->user].scope, node_label[r->node], r->rel, what, got, want);
    failures++;
}

static void check_user(int u, const char *what, long got, long want)
{
    if (got == want) return;
    fprintf(stderr, "FAIL user=%s (%s/%s) %s: got %ld, want %ld\n", U[u].name, U[u].role, U[u].scope, what, got,
            want);
    failures++;
}

static int64_t record_activity(const char *tok, int64_t org)
{
    json_t *j = NULL;
    expect_status(api("POST", "/activities", tok,
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)org, "kind", "lecture", "title",
                            "范围矩阵活动", "start_date", "2025-06-01", "end_date", "2025-06-01", "participants", 10), &j),
                  j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int upload_pdf(const char *tok, int64_t activity, json_t **out)
{
    static const char pdf[] = "%PDF-1.4 matrix";
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
    const char *headers[] = {auth, "X-File-Name: matrix.pdf", NULL};
    http_resp resp;
    int st = http("POST", P(API_BASE "/activities/%lld/files", (long long)activity), headers, pdf, sizeof pdf - 1, &resp);
    if (out) *out = json_incref(resp.json);
    http_resp_free(&resp);
    return st;
}

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    char *admin = login("admin", ADMIN_PASSWORD);
    token[U_ADMIN] = admin;
    json_t *j;
    expect_status(api("GET", "/orgs/tree", admin, NULL, &j), j, 200);
    node[ROOT] = jint(j, "items.0.id");
    snprintf(root_name, sizeof root_name, "%s", jstr(j, "items.0.name"));
    node_name[ROOT] = root_name;
    json_decref(j);
    for (int n = 1; n < NODES; n++) node[n] = create_org(admin, node[node_parent[n]], node_type[n], node_name[n]);
    for (int n = 0; n < NODES; n++)
        homed[n] = create_user(admin, P("homed_%s", node_label[n]), node[n], "volunteer", "self", 0);
    for (int u = 1; u < USERS; u++)
        create_user(admin, U[u].name, node[U[u].home], U[u].role, U[u].scope, U[u].member >= 0 ? node[U[u].member] : 0);
    for (int u = 1; u < USERS; u++) token[u] = login(U[u].name, USER_PASSWORD);
    for (int n = 0; n < NODES; n++) {
        activity_at[n] = record_activity(admin, node[n]);
        j = NULL;
        expect_status(upload_pdf(admin, activity_at[n], &j), j, 201);
        file_at[n] = jint(j, "id");
        json_decref(j);
    }
    return 0;
}

static int teardown(void **state)
{
    for (int u = 0; u < USERS; u++) free(token[u]);
    return server_stop(state);
}

static int count_nodes(json_t *n)
{
    int c = 1;
    size_t i;
    json_t *k;
    json_array_foreach(json_object_get(n, "children"), i, k) c += count_nodes(k);
    return c;
}

/* status and total (or error code) of one GET, to compare an answer with a missing id's. */
struct answer { int status; int64_t total; char code[32]; };

static struct answer answer_of(const char *tok, const char *path)
{
    struct answer a = {0};
    json_t *j = NULL;
    a.status = api("GET", path, tok, NULL, &j);
    a.total = a.status == 200 ? jint(j, "total") : -1;
    snprintf(a.code, sizeof a.code, "%s", err_code(j));
    json_decref(j);
    return a;
}

static void check_same(const struct row *r, const char *what, struct answer got, struct answer missing)
{
    check(r, what, got.status, missing.status);
    check(r, P("%s total (as for a missing id)", what), (long)got.total, (long)missing.total);
    if (strcmp(got.code, missing.code) != 0) {
        fprintf(stderr, "FAIL row %td: %s error code %s, for a missing id %s\n", r - rows, what, got.code, missing.code);
        failures++;
    }
}

/* Reads of one row: the node, its tree, its children, the full list, a search by its name,
 * the users homed under it, its homed user, its audit. */
static void check_reads(const struct row *r)
{
    const char *t = token[r->user], *admin = token[U_ADMIN];
    long long id = (long long)node[r->node];
    json_t *j = NULL;
    int st = api("GET", P("/orgs/%lld", id), t, NULL, &j);
    check(r, "GET /orgs/:id", st, r->vis ? 200 : 404);
    if (!r->vis) check(r, "GET /orgs/:id is not_found", strcmp(err_code(j), "not_found") == 0, 1);
    json_decref(j);
    st = api("GET", P("/orgs/%lld/tree", id), t, NULL, &j);
    check(r, "GET /orgs/:id/tree", st, r->vis ? 200 : 404);
    if (st == 200) check(r, "nodes in GET /orgs/:id/tree", count_nodes(j), r->tree);
    json_decref(j);
    struct answer kids = answer_of(t, P("/orgs?parent_id=%lld", id));
    if (!r->vis && r->kids == 0)   /* nothing to show: exactly like a parent that does not exist */
        check_same(r, "GET /orgs?parent_id=", kids, answer_of(t, P("/orgs?parent_id=%lld", MISSING)));
    check(r, "GET /orgs?parent_id=", kids.status, 200);
    check(r, "GET /orgs?parent_id= total", (long)kids.total, r->kids);
    expect_status(api("GET", "/orgs?page_size=500", t, NULL, &j), j, 200);
    check(r, "listed in GET /orgs", items_have_id(jget(j, "items"), node[r->node]), r->vis);
    json_decref(j);
    char *q = urlenc(node_name[r->node]);
    check(r, "GET /orgs?q=<name> total", (long)list_total(t, P("/orgs?q=%s", q)), r->vis);
    free(q);

    const char *users_path = P("/users?org_id=%lld&page_size=500", id);
    struct answer ua = answer_of(t, users_path);
    if (r->users == LU_403) check(r, "GET /users?org_id=", ua.status, 403);
    if (r->users == LU_404) {
        check(r, "GET /users?org_id=", ua.status, 404);
        check_same(r, "GET /users?org_id=", ua, answer_of(t, P("/users?org_id=%lld", MISSING)));
    }
    if (r->users == LU_SUBTREE) {
        check(r, "GET /users?org_id=", ua.status, 200);
        check(r, "GET /users?org_id= total (admin's)", (long)ua.total, (long)list_total(admin, users_path));
    }
    if (r->users == LU_NODE) {
        expect_status(api("GET", users_path, admin, NULL, &j), j, 200);
        long at_node = 0;
        size_t i;
        json_t *e;
        json_array_foreach(jget(j, "items"), i, e) at_node += jint(e, "org_id") == node[r->node];
        json_decref(j);
        check(r, "GET /users?org_id=", ua.status, 200);
        check(r, "GET /users?org_id= total (homed at the node)", (long)ua.total, at_node);
    }
    check(r, "GET /users/:id (homed user)", api("GET", P("/users/%lld", (long long)homed[r->node]), t, NULL, NULL),
          r->get_user);

    const char *audit_path = P("/audit?entity=org&entity_id=%lld", id);
    struct answer aa = answer_of(t, audit_path);
    if (r->audit == AU_403) check(r, "GET /audit", aa.status, 403);
    if (r->audit == AU_NONE)
        check_same(r, "GET /audit", aa, answer_of(t, P("/audit?entity=org&entity_id=%lld", MISSING)));
    if (r->audit == AU_ALL) {
        int64_t all = list_total(admin, audit_path);
        check(r, "GET /audit", aa.status, 200);
        check(r, "GET /audit total (admin's)", (long)aa.total, (long)all);
        check(r, "GET /audit has entries", all > 0, 1);
    }
}

/* Records of the node: visible when the node is, except to scope self (it sees only what its
 * user recorded, and admin recorded these). Totals: only for a node whose whole subtree is
 * visible. Outside, every answer is the one for a missing id. */
static void check_records_and_totals(const struct row *r)
{
    const char *t = token[r->user], *admin = token[U_ADMIN];
    bool records = r->vis && strcmp(U[r->user].scope, "self") != 0;
    bool totals = r->vis && (has_children[r->node] ? !strcmp(U[r->user].scope, "subtree") || !strcmp(U[r->user].scope, "all") : true);
    const char *reads[][2] = {
        {P("/activities/%lld", (long long)activity_at[r->node]), P("/activities/%lld", MISSING)},
        {P("/activities/%lld/files", (long long)activity_at[r->node]), P("/activities/%lld/files", MISSING)},
        {P("/files/%lld", (long long)file_at[r->node]), P("/files/%lld", MISSING)},
    };
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        struct answer got = answer_of(t, reads[i][0]);
        if (records) check(r, P("GET %s", reads[i][0]), got.status, 200);
        else check_same(r, P("GET %s", reads[i][0]), got, answer_of(t, reads[i][1]));
    }
    const char *stats[] = {"/stats?org_id=%lld&period=2025&metrics=activities",
                           "/stats/series?org_id=%lld&period=2025&grain=quarter&metrics=activities",
                           "/stats/children?org_id=%lld&period=2025",
                           "/stats/sources?org_id=%lld&period=2025"};
    for (size_t i = 0; i < sizeof stats / sizeof *stats; i++) {
        const char *path = P(stats[i], (long long)node[r->node]);
        json_t *mine = NULL, *admins = NULL;
        int st = api("GET", path, t, NULL, &mine);
        check(r, P("GET %s", path), st, totals ? 200 : 404);
        if (st == 200 && i == 0) {
            expect_status(api("GET", path, admin, NULL, &admins), admins, 200);
            check(r, "activities total (admin's)", (long)jint(mine, "values.activities"), (long)jint(admins, "values.activities"));
            check(r, "activities total > 0", jint(mine, "values.activities") > 0, 1);
        }
        if (st == 200 && i == 3)   /* the sources' parts: the activity register holds them all here */
            check(r, "sources total = activity register's part", (long)jint(mine, "total.activities"),
                  (long)jint(json_array_get(json_object_get(mine, "sources"), 0), "values.activities"));
        json_decref(mine);
        json_decref(admins);
    }
}

/* Writes on the node's records: the role check first (staff or above), then the scope. */
static void check_record_writes(const struct row *r)
{
    const char *t = token[r->user], *admin = token[U_ADMIN];
    bool staff = strcmp(U[r->user].role, "teacher") != 0 && strcmp(U[r->user].role, "volunteer") != 0 &&
                 strcmp(U[r->user].role, "reviewer") != 0;
    bool records = r->vis && strcmp(U[r->user].scope, "self") != 0;
    int want = !staff ? 403 : records ? 200 : 404;
    check(r, "PATCH /activities/:id",
          api("PATCH", P("/activities/%lld", (long long)activity_at[r->node]), t, jpack("{s:s}", "title", "范围矩阵活动"), NULL),
          want);
    json_t *j = NULL;
    int st = upload_pdf(t, activity_at[r->node], &j);
    check(r, "POST /activities/:id/files", st, !staff ? 403 : records ? 201 : 404);
    if (st == 201) api("DELETE", P("/activities/%lld/files/%lld", (long long)activity_at[r->node], (long long)jint(j, "id")), admin, NULL, NULL);
    json_decref(j);
    int64_t fresh = record_activity(admin, node[r->node]);
    st = api("DELETE", P("/activities/%lld", (long long)fresh), t, NULL, NULL);
    check(r, "DELETE /activities/:id", st, !staff ? 403 : records ? 204 : 404);
    if (st != 204) expect_status(api("DELETE", P("/activities/%lld", (long long)fresh), admin, NULL, NULL), NULL, 204);
}

/* Writes of one row; everything they create is removed again by admin. */
static void check_writes(const struct row *r)
{
    const char *t = token[r->user], *admin = token[U_ADMIN];
    long long id = (long long)node[r->node];
    json_t *j = NULL;
    check(r, "PATCH /orgs/:id", api("PATCH", P("/orgs/%lld", id), t, jpack("{s:s}", "name", node_name[r->node]), NULL),
          r->patch_org);
    int st = api("POST", "/orgs", t, jpack("{s:I, s:s, s:s}", "parent_id", (json_int_t)id, "type", "unit", "name", "临时子节点"),
                 &j);
    check(r, "POST /orgs under it", st, r->post_child);
    if (st == 404) check(r, "POST /orgs 404 names parent_id", strcmp(err_field(j), "parent_id") == 0, 1);
    if (st == 201) api("DELETE", P("/orgs/%lld", (long long)jint(j, "id")), admin, NULL, NULL);
    json_decref(j);
    int64_t leaf = create_org(admin, node[r->node], "unit", "一次性叶节点");
    st = api("DELETE", P("/orgs/%lld", (long long)leaf), t, NULL, NULL);
    check(r, "DELETE leaf under it", st, r->del_leaf);
    if (st != 204) expect_status(api("DELETE", P("/orgs/%lld", (long long)leaf), admin, NULL, NULL), NULL, 204);
    check(r, "PATCH /users/:id (homed user)",
          api("PATCH", P("/users/%lld", (long long)homed[r->node]), t,
              jpack("{s:s}", "name", P("homed_%s", node_label[r->node])), NULL),
          r->patch_user);
}

static void test_scope_matrix_every_user_node_and_endpoint(void **state)
{
    (void)state;
    failures = 0;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        check_reads(&rows[i]);
        check_writes(&rows[i]);
        check_records_and_totals(&rows[i]);
        check_record_writes(&rows[i]);
    }
    if (failures) fprintf(stderr, "%d scope matrix check(s) failed\n", failures);
    assert_int_equal(failures, 0);
}

/* Per user: the whole visible tree, list totals and the users total are exactly the scope. */
static void test_lists_and_totals_hold_exactly_the_scope(void **state)
{
    (void)state;
    failures = 0;
    for (int u = 0; u < USERS; u++) {
        json_t *j;
        if (U[u].orgs < 0) {   /* a role below member: the role check refuses every read of the tree */
            static const char *const paths[] = {"/orgs", "/orgs/tree", "/users", "/stats", "/activities"};
            for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
                check_user(u, paths[i], api("GET", paths[i], token[u], NULL, NULL), 403);
            check_user(u, "GET /orgs/:id", api("GET", P("/orgs/%lld", (long long)node[U[u].home]), token[u], NULL, NULL), 403);
            check_user(u, "GET /orgs/:missing", api("GET", P("/orgs/%lld", MISSING), token[u], NULL, NULL), 403);
            continue;
        }
        expect_status(api("GET", "/orgs?page_size=500", token[u], NULL, &j), j, 200);
        check_user(u, "GET /orgs total", (long)jint(j, "total"), U[u].orgs);
        check_user(u, "GET /orgs items", (long)json_array_size(jget(j, "items")), U[u].orgs);
        json_decref(j);
        expect_status(api("GET", "/orgs/tree", token[u], NULL, &j), j, 200);
        json_t *items = jget(j, "items");
        check_user(u, "GET /orgs/tree roots", (long)json_array_size(items), U[u].roots);
        long n = 0;
        for (size_t i = 0; i < json_array_size(items); i++) n += count_nodes(json_array_get(items, i));
        check_user(u, "GET /orgs/tree nodes", n, U[u].orgs);
        json_decref(j);
        int st = api("GET", "/users?page_size=500", token[u], NULL, &j);
        check_user(u, "GET /users", st, U[u].users < 0 ? 403 : 200);
        if (st == 200) check_user(u, "GET /users total", (long)jint(j, "total"), U[u].users);
        json_decref(j);
        check_user(u, "GET /orgs/:missing", api("GET", P("/orgs/%lld", MISSING), token[u], NULL, NULL), 404);
    }
    assert_int_equal(failures, 0);
}

static void test_moves_stay_inside_the_writable_scope(void **state)
{
    (void)state;
    const char *a_admin = token[U_A_ADMIN], *b_admin = token[U_B_ADMIN];
    /* out of A's branch: the target parent does not exist for its admin */
    expect_api_error("PATCH", P("/orgs/%lld", (long long)node[A2]), a_admin,
                     jpack("{s:I}", "parent_id", (json_int_t)node[B]), 404, "not_found", "parent_id");
    expect_api_error("PATCH", P("/orgs/%lld", (long long)node[A]), a_admin,
                     jpack("{s:I}", "parent_id", (json_int_t)node[B]), 404, "not_found", "parent_id");
    expect_api_error("PATCH", P("/orgs/%lld", (long long)node[BP]), b_admin,
                     jpack("{s:I}", "parent_id", (json_int_t)node[A2]), 404, "not_found", "parent_id");
    /* a node it cannot see: 404 on the node itself */
    expect_api_error("PATCH", P("/orgs/%lld", (long long)node[BP]), a_admin,
                     jpack("{s:I}", "parent_id", (json_int_t)node[A2]), 404, "not_found", "*");
    /* inside its branch it may move, and move back */
    json_t *j;
    expect_status(api("PATCH", P("/orgs/%lld", (long long)node[A1Q]), a_admin,
                      jpack("{s:I}", "parent_id", (json_int_t)node[A2]), &j), j, 200);
    assert_int_equal(jint(j, "parent_id"), node[A2]);
    json_decref(j);
    expect_status(api("PATCH", P("/orgs/%lld", (long long)node[A1Q]), a_admin,
                      jpack("{s:I}", "parent_id", (json_int_t)node[A1]), NULL), NULL, 200);
    /* after the move and back, A's staff sees exactly its five nodes again */
    assert_int_equal(list_total(token[U_A_STAFF], "/orgs?page_size=500"), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_and_totals_hold_exactly_the_scope),
        cmocka_unit_test(test_scope_matrix_every_user_node_and_endpoint),
        cmocka_unit_test(test_moves_stay_inside_the_writable_scope),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
