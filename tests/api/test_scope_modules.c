/* test_scope_modules.c - the data-scope matrix of test_scope.c, extended to the teaching and
 * volunteer modules: teachers, plans, courses (attendance, files), students (attendance, export),
 * check-in sessions, the teaching home and completion, volunteers (reveal, export), teams and
 * memberships. The rule (docs/domain.md §3, docs/api.md "Roles and scope"): a record outside the
 * caller's scope answers exactly like a missing id (404 not_found) and is absent from every list,
 * search and export; the role check comes first (a role too low gets 403 whatever the id); inside
 * scope with the role the call succeeds, unless a standing rule of the step says otherwise
 * (certify/return: an upper district; file/city-pool: the city; plan review: an upper level).
 *
 * The tree is test_scope.c's:
 *   root(city) ─┬─ A(district) ─┬─ A1(street) ─┬─ A1p(point)
 *               │               │              └─ A1q(point)
 *               │               └─ A2(street)
 *               └─ B(district) ─── Bp(point)
 * Admin records one base record of every kind at every node (plans, courses, students and
 * check-in sessions at the teaching points only). Expectations are computed from the tree, the
 * users' scopes and one table of endpoints (method, path, min role, record kind, the state the
 * record must be in, the standing rule), so adding an endpoint is one row. Writes that change a
 * record's state work on a fresh record prepared by admin in that state, reused until a call
 * succeeds on it; lists and exports are counted first, before any fresh record exists. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

enum { ROOT, A, A1, A1P, A1Q, A2, B, BP, NODES };
static const char *node_label[NODES] = {"root", "A", "A1", "A1p", "A1q", "A2", "B", "Bp"};
static const char *node_name[NODES] = {NULL /* the bootstrap name */, "渝北区", "龙溪街道", "松牌路教学点",
                                       "金紫山教学点", "双龙湖街道", "南岸区", "弹子石教学点"};
static const char *node_type[NODES] = {"city", "district", "street", "point", "point", "street", "district", "point"};
static const int node_parent[NODES] = {-1, ROOT, A, A1, A1, A, ROOT, B};
static int64_t node[NODES];
static char root_name[128];

enum { U_ADMIN, U_A_ADMIN, U_A_STAFF, U_A_STAFF_ORG, U_B_ADMIN, U_MEMBER, U_P_TEACHER, U_P_SELF, USERS };
static const struct {
    const char *name;
    int home;
    const char *role, *scope;
    int member;   /* an extra membership, or -1 */
    int rank;
} U[USERS] = {
    [U_ADMIN] = {"admin", ROOT, "admin", "all", -1, 4},
    [U_A_ADMIN] = {"m_a_admin", A, "org_admin", "subtree", -1, 3},
    [U_A_STAFF] = {"m_a_staff", A, "staff", "subtree", -1, 2},
    [U_A_STAFF_ORG] = {"m_a_staff_org", A, "staff", "org", -1, 2},
    [U_B_ADMIN] = {"m_b_admin", B, "org_admin", "subtree", -1, 3},
    [U_MEMBER] = {"m_a1p_member_bp", A1P, "staff", "subtree", BP, 2},
    [U_P_TEACHER] = {"m_a1p_teacher", A1P, "teacher", "org", -1, 1},
    [U_P_SELF] = {"m_a1p_staff_self", A1P, "staff", "self", -1, 2},
};
static char *token[USERS], *prep;   /* prep: a staff of A2 with scope all who proposes teachers */

enum { K_TEACHER, K_PLAN, K_COURSE, K_STUDENT, K_SESSION, K_VOLUNTEER, K_TEAM, K_MEMBER, KINDS };
static const char *kind_name[KINDS] = {"teacher", "plan", "course", "student", "session", "volunteer", "team",
                                       "membership"};
static int64_t base[KINDS][NODES];   /* 0: no record of that kind at the node (not a point) */

#define MISSING 99999999LL
static int failures, serial = 1000;

static bool is_point(int n) { return !strcmp(node_type[n], "point"); }
static bool under(int n, int top)
{
    for (; n >= 0; n = node_parent[n])
        if (n == top) return true;
    return false;
}
/* Whether the node itself is visible (orgs: scope self sees its nodes alone). */
static bool node_vis(int u, int n)
{
    if (!strcmp(U[u].scope, "all")) return true;
    if (!strcmp(U[u].scope, "subtree")) return under(n, U[u].home) || (U[u].member >= 0 && under(n, U[u].member));
    return n == U[u].home || n == U[u].member;
}
/* Whether the base record of kind k at node n is visible: scope self sees only what its user
 * recorded, and admin recorded everything here. */
static bool sees(int u, int k, int n)
{
    return base[k][n] && node_vis(u, n) && strcmp(U[u].scope, "self") != 0;
}

static void fail_at(int u, int n, const char *what, long got, long want)
{
    fprintf(stderr, "FAIL user=%s (%s/%s) node=%s: %s: got %ld, want %ld\n", U[u].name, U[u].role, U[u].scope,
            n >= 0 ? node_label[n] : "-", what, got, want);
    failures++;
}
static void check(int u, int n, const char *what, long got, long want)
{
    if (got != want) fail_at(u, n, what, got, want);
}

/* ---- records ---- */

static const char *id_number(void) { return test_id_number(serial++, 100); }
static const char *phone(void) { return P("139%08d", serial++); }

static const char *at(long seconds) { return shanghai_at(seconds); }

/* POST as tok, expecting want; returns the answer's id. */
static int64_t post_id(const char *tok, const char *path, json_t *body, int want)
{
    json_t *j = NULL;
    expect_status(api("POST", path, tok, body, &j), j, want);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}
static void post_ok(const char *tok, const char *path, json_t *body)
{
    json_t *j = NULL;
    expect_status(api("POST", path, tok, body, &j), j, 200);
    json_decref(j);
}

static int64_t new_teacher(int n, const char *name)
{
    return post_id(token[U_ADMIN], "/teachers",
                   jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)node[n], "name", name, "id_number", id_number()), 201);
}
static int64_t new_plan(int n, int year, const char *title)
{
    return post_id(token[U_ADMIN], "/plans",
                   jpack("{s:I, s:i, s:s, s:s, s:[{s:s, s:s, s:s}]}", "org_id", (json_int_t)node[n], "year", year,
                         "term", "year", "title", title, "items", "topic", "防范电信诈骗", "category", "anti_fraud",
                         "planned_date", P("%d-06-01", year)), 201);
}
static int64_t new_course(int n, long from, const char *title)
{
    return post_id(token[U_ADMIN], "/courses",
                   jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)node[n], "title", title, "category",
                         "health", "starts_at", at(from), "ends_at", at(from + 3600)), 201);
}
static int64_t new_student(int n, const char *name)
{
    return post_id(token[U_ADMIN], "/students",
                   jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)node[n], "name", name, "phone", phone()), 201);
}
static int64_t open_session(int64_t course)
{
    json_t *j = NULL;
    expect_status(api("POST", "/checkin/sessions", token[U_ADMIN],
                      jpack("{s:s, s:I}", "kind", "course", "owner_id", (json_int_t)course), &j), j, 200);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}
static int64_t new_volunteer(int n, const char *name)
{
    return post_id(token[U_ADMIN], "/volunteers",
                   jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)node[n], "name", name, "id_number", id_number(),
                         "phone", phone()), 201);
}
static int64_t new_team(int n, const char *name)
{
    json_t *b = jpack("{s:I, s:s}", "org_id", (json_int_t)node[n], "category", "district");
    if (name) json_object_set_new(b, "name", json_string(name));
    return post_id(token[U_ADMIN], "/volunteer-teams", b, 201);
}
static int64_t join(int64_t team, int64_t volunteer, const char *how)
{
    return post_id(token[U_ADMIN], P("/volunteer-teams/%lld/members", (long long)team),
                   jpack("{s:I, s:s}", "volunteer_id", (json_int_t)volunteer, "how", how), 201);
}

/* The states a write needs its record in. */
enum prep { P_BASE, P_FRESH, P_PROPOSED, P_CERTIFIED, P_FILED, P_SUBMITTED, P_STARTED, P_ATTENDED, P_PENDING,
            P_INVITED, P_ACTIVE };

static int64_t make(int k, enum prep s, int n)
{
    static int year = 2040;
    const char *a = token[U_ADMIN];
    int64_t id = 0;
    switch (k) {
    case K_TEACHER:
        id = new_teacher(n, "一次性教师");
        if (s >= P_PROPOSED) post_ok(prep, P("/teachers/%lld/propose", (long long)id), NULL);
        if (s >= P_CERTIFIED) post_ok(a, P("/teachers/%lld/certify", (long long)id), NULL);
        if (s >= P_FILED) post_ok(a, P("/teachers/%lld/file", (long long)id), NULL);
        break;
    case K_PLAN:
        id = new_plan(n, year++, "一次性教学计划");
        if (s == P_SUBMITTED) post_ok(a, P("/plans/%lld/submit", (long long)id), NULL);
        break;
    case K_COURSE:
        id = new_course(n, s == P_FRESH ? 86400 * 3 : -3600, "一次性课程");
        if (s == P_ATTENDED)
            post_ok(a, P("/courses/%lld/attendance", (long long)id),
                    jpack("{s:[I]}", "student_ids", (json_int_t)base[K_STUDENT][n]));
        break;
    case K_STUDENT: id = new_student(n, "一次性学员"); break;
    case K_SESSION: id = open_session(new_course(n, 86400 * 3, "一次性课程")); break;
    case K_VOLUNTEER: id = new_volunteer(n, "一次性志愿者"); break;
    case K_TEAM: id = new_team(n, NULL); break;
    case K_MEMBER:
        id = join(base[K_TEAM][n], new_volunteer(n, "一次性志愿者"),
                  s == P_PENDING ? "apply" : s == P_INVITED ? "invite" : "add");
        break;
    }
    return id;
}

/* ---- the endpoints ---- */

enum { ST_NONE, ST_UPPER_DISTRICT /* certify, return */, ST_CITY /* file, city-pool */, ST_UPPER /* plan review */ };

/* path and body are formats: %1$lld the record's id, %2$lld the id of the base record of kind
 * `other` at the same node (-1: none); a path with %3$s gets a fresh check-in token. */
struct ep {
    const char *method, *path;
    int rank, kind;
    enum prep prep;
    const char *body;
    int ok, other, standing;
};

static const struct ep eps[] = {
    {"GET", "/teachers/%1$lld", 1, K_TEACHER, P_BASE, NULL, 200, -1, 0},
    {"GET", "/teachers/%1$lld/profile", 1, K_TEACHER, P_BASE, NULL, 200, -1, 0},
    {"PATCH", "/teachers/%1$lld", 2, K_TEACHER, P_BASE, "{\"title\":\"副教授\"}", 200, -1, 0},
    {"DELETE", "/teachers/%1$lld", 2, K_TEACHER, P_FRESH, NULL, 204, -1, 0},
    {"POST", "/teachers/%1$lld/propose", 2, K_TEACHER, P_FRESH, NULL, 200, -1, 0},
    {"POST", "/teachers/%1$lld/certify", 3, K_TEACHER, P_PROPOSED, NULL, 200, -1, ST_UPPER_DISTRICT},
    {"POST", "/teachers/%1$lld/return", 3, K_TEACHER, P_PROPOSED, "{\"reason\":\"材料不全\"}", 200, -1,
     ST_UPPER_DISTRICT},
    {"GET", "/teachers/%1$lld/letter.pdf", 1, K_TEACHER, P_CERTIFIED, NULL, 200, -1, 0},
    {"POST", "/teachers/%1$lld/file", 3, K_TEACHER, P_CERTIFIED, NULL, 200, -1, ST_CITY},
    {"POST", "/teachers/%1$lld/city-pool", 3, K_TEACHER, P_FILED, NULL, 200, -1, ST_CITY},

    {"GET", "/plans/%1$lld", 1, K_PLAN, P_BASE, NULL, 200, -1, 0},
    {"PATCH", "/plans/%1$lld", 2, K_PLAN, P_BASE, "{\"title\":\"矩阵教学计划\"}", 200, -1, 0},
    {"DELETE", "/plans/%1$lld", 2, K_PLAN, P_FRESH, NULL, 204, -1, 0},
    {"POST", "/plans/%1$lld/submit", 2, K_PLAN, P_FRESH, NULL, 200, -1, 0},
    {"POST", "/plans/%1$lld/approve", 3, K_PLAN, P_SUBMITTED, NULL, 200, -1, ST_UPPER},
    {"POST", "/plans/%1$lld/return", 3, K_PLAN, P_SUBMITTED, "{\"reason\":\"课时不足\"}", 200, -1, ST_UPPER},

    {"GET", "/courses/%1$lld", 1, K_COURSE, P_BASE, NULL, 200, -1, 0},
    {"PATCH", "/courses/%1$lld", 2, K_COURSE, P_BASE, "{\"place\":\"社区活动室\"}", 200, -1, 0},
    {"DELETE", "/courses/%1$lld", 2, K_COURSE, P_FRESH, NULL, 204, -1, 0},
    {"POST", "/courses/%1$lld/hold", 2, K_COURSE, P_STARTED, "{\"attendance\":5}", 200, -1, 0},
    {"POST", "/courses/%1$lld/cancel", 2, K_COURSE, P_FRESH, NULL, 200, -1, 0},
    {"GET", "/courses/%1$lld/files", 1, K_COURSE, P_BASE, NULL, 200, -1, 0},
    {"GET", "/courses/%1$lld/attendance", 1, K_COURSE, P_BASE, NULL, 200, -1, 0},
    {"POST", "/courses/%1$lld/attendance", 2, K_COURSE, P_FRESH, "{\"student_ids\":[%2$lld]}", 200, K_STUDENT, 0},
    {"DELETE", "/courses/%1$lld/attendance/%2$lld", 2, K_COURSE, P_ATTENDED, NULL, 204, K_STUDENT, 0},
    {"POST", "/checkin/sessions", 2, K_COURSE, P_BASE, "{\"kind\":\"course\",\"owner_id\":%1$lld}", 200, -1, 0},

    {"GET", "/students/%1$lld", 1, K_STUDENT, P_BASE, NULL, 200, -1, 0},
    {"GET", "/students/%1$lld/attendance", 1, K_STUDENT, P_BASE, NULL, 200, -1, 0},
    {"PATCH", "/students/%1$lld", 2, K_STUDENT, P_BASE, "{\"age_group\":\"60_69\"}", 200, -1, 0},
    {"DELETE", "/students/%1$lld", 2, K_STUDENT, P_FRESH, NULL, 204, -1, 0},

    {"GET", "/checkin/sessions/%1$lld", 2, K_SESSION, P_BASE, NULL, 200, -1, 0},
    {"GET", "/checkin/sessions/%1$lld/token", 2, K_SESSION, P_BASE, NULL, 200, -1, 0},
    {"GET", "/checkin/sessions/%1$lld/qr.svg?token=%3$s", 2, K_SESSION, P_BASE, NULL, 200, -1, 0},
    {"POST", "/checkin/sessions/%1$lld/close", 2, K_SESSION, P_FRESH, NULL, 200, -1, 0},

    {"GET", "/volunteers/%1$lld", 2, K_VOLUNTEER, P_BASE, NULL, 200, -1, 0},
    {"PATCH", "/volunteers/%1$lld", 2, K_VOLUNTEER, P_BASE, "{\"skills\":[\"科普讲解\"]}", 200, -1, 0},
    {"DELETE", "/volunteers/%1$lld", 2, K_VOLUNTEER, P_FRESH, NULL, 204, -1, 0},
    {"POST", "/volunteers/%1$lld/reveal", 3, K_VOLUNTEER, P_BASE, NULL, 200, -1, 0},

    {"GET", "/volunteer-teams/%1$lld", 2, K_TEAM, P_BASE, NULL, 200, -1, 0},
    {"PATCH", "/volunteer-teams/%1$lld", 2, K_TEAM, P_BASE, "{\"description\":\"矩阵服务队\"}", 200, -1, 0},
    {"DELETE", "/volunteer-teams/%1$lld", 2, K_TEAM, P_FRESH, NULL, 204, -1, 0},
    {"GET", "/volunteer-teams/%1$lld/members", 2, K_TEAM, P_BASE, NULL, 200, -1, 0},
    {"POST", "/volunteer-teams/%1$lld/members", 2, K_TEAM, P_FRESH, "{\"volunteer_id\":%2$lld,\"how\":\"invite\"}",
     201, K_VOLUNTEER, 0},

    {"PATCH", "/volunteer-memberships/%1$lld", 2, K_MEMBER, P_BASE, "{\"role\":\"deputy\"}", 200, -1, 0},
    {"POST", "/volunteer-memberships/%1$lld/approve", 2, K_MEMBER, P_PENDING, NULL, 200, -1, 0},
    {"POST", "/volunteer-memberships/%1$lld/decline", 2, K_MEMBER, P_PENDING, NULL, 200, -1, 0},
    {"POST", "/volunteer-memberships/%1$lld/accept", 2, K_MEMBER, P_INVITED, NULL, 200, -1, 0},
    {"POST", "/volunteer-memberships/%1$lld/reject", 2, K_MEMBER, P_INVITED, NULL, 200, -1, 0},
    {"DELETE", "/volunteer-memberships/%1$lld", 2, K_MEMBER, P_ACTIVE, NULL, 204, -1, 0},
};
#define EPS (sizeof eps / sizeof *eps)
static int64_t fresh[EPS][NODES];

static int standing(int st, int u, int n)
{
    int h = U[u].home;
    bool above = h != n && under(n, h);
    switch (st) {
    case ST_UPPER_DISTRICT:
        return !strcmp(U[u].role, "admin") || (above && (h == ROOT || !strcmp(node_type[h], "district"))) ? 0 : 403;
    case ST_CITY: return h == ROOT ? 0 : 403;
    case ST_UPPER: return above ? 0 : 403;
    default: return 0;
    }
}

static int expected(const struct ep *e, int u, int n)
{
    if (U[u].rank < e->rank) return 403;
    if (!sees(u, e->kind, n)) return 404;
    int s = standing(e->standing, u, n);
    return s ? s : e->ok;
}

static char *session_token(int64_t session)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/checkin/sessions/%lld/token", (long long)session), token[U_ADMIN], NULL, &j), j, 200);
    char *t = strdup(jstr(j, "token"));
    json_decref(j);
    return t;
}

/* One call of endpoint e by user u on the record of node n (id MISSING: a missing id). */
static int call(const struct ep *e, int u, int n, long long id, json_t **out)
{
    long long other = e->other >= 0 ? (long long)base[e->other][n] : 0;
    char *tok = strstr(e->path, "%3$s") ? session_token(id == MISSING ? base[e->kind][n] : id) : NULL;
    char path[256], body[256];
    snprintf(path, sizeof path, e->path, id, other, tok ? tok : "");
    if (e->body) snprintf(body, sizeof body, e->body, id, other, "");
    free(tok);
    return api_text(e->method, path, token[u], e->body ? body : NULL, out);
}

static void check_endpoint(size_t i, int u, int n)
{
    const struct ep *e = &eps[i];
    if (!base[e->kind][n]) return;
    int64_t id = e->prep == P_BASE ? base[e->kind][n] : fresh[i][n] ? fresh[i][n] : (fresh[i][n] = make(e->kind, e->prep, n));
    int want = expected(e, u, n);
    json_t *j = NULL;
    int st = call(e, u, n, (long long)id, &j);
    const char *what = P("%s %s (%s)", e->method, e->path, kind_name[e->kind]);
    check(u, n, what, st, want);
    if (st == 404 && strstr(e->path, "%3$s"))   /* a missing session has no valid token: 422 */
        check(u, n, P("%s is not_found", what), !strcmp(err_code(j), "not_found"), 1);
    else if (st == 404) {   /* exactly like a missing id */
        json_t *m = NULL;
        int mst = call(e, u, n, MISSING, &m);
        check(u, n, P("%s: status for a missing id", what), mst, 404);
        if (strcmp(err_code(j), err_code(m)) || strcmp(err_field(j), err_field(m))) {
            fprintf(stderr, "FAIL user=%s node=%s %s: error %s/%s, for a missing id %s/%s\n", U[u].name,
                    node_label[n], what, err_code(j), err_field(j), err_code(m), err_field(m));
            failures++;
        }
        json_decref(m);
    }
    if (st >= 200 && st < 300 && e->prep != P_BASE) fresh[i][n] = 0;   /* used up */
    json_decref(j);
}

/* ---- setup ---- */

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    const char *admin = token[U_ADMIN] = login("admin", ADMIN_PASSWORD);
    json_t *j;
    expect_status(api("GET", "/orgs/tree", admin, NULL, &j), j, 200);
    node[ROOT] = jint(j, "items.0.id");
    snprintf(root_name, sizeof root_name, "%s", jstr(j, "items.0.name"));
    node_name[ROOT] = root_name;
    json_decref(j);
    for (int n = 1; n < NODES; n++) node[n] = create_org(admin, node[node_parent[n]], node_type[n], node_name[n]);
    for (int u = 1; u < USERS; u++)
        create_user(admin, U[u].name, node[U[u].home], U[u].role, U[u].scope, U[u].member >= 0 ? node[U[u].member] : 0);
    for (int u = 1; u < USERS; u++) token[u] = login(U[u].name, USER_PASSWORD);
    create_user(admin, "m_prep", node[A2], "staff", "all", 0);
    prep = login("m_prep", USER_PASSWORD);
    for (int n = 0; n < NODES; n++) {
        const char *nm = node_name[n];
        base[K_TEACHER][n] = new_teacher(n, P("矩阵教师%s", nm));
        base[K_VOLUNTEER][n] = new_volunteer(n, P("矩阵志愿者%s", nm));
        base[K_TEAM][n] = new_team(n, P("矩阵服务队%s", nm));
        base[K_MEMBER][n] = join(base[K_TEAM][n], base[K_VOLUNTEER][n], "add");
        if (!is_point(n)) continue;
        base[K_PLAN][n] = new_plan(n, 2025, P("矩阵教学计划%s", nm));
        base[K_COURSE][n] = new_course(n, 86400 * 2, P("矩阵课程%s", nm));
        base[K_STUDENT][n] = new_student(n, P("矩阵学员%s", nm));
        base[K_SESSION][n] = open_session(base[K_COURSE][n]);
    }
    return 0;
}

static int teardown(void **state)
{
    for (int u = 0; u < USERS; u++) free(token[u]);
    free(prep);
    return server_stop(state);
}

/* ---- lists, searches, exports ---- */

static const struct lst {
    const char *path;   /* %s: a node's name (searches); %lld: a node's id (filters) */
    int rank, kind;
} lists[] = {
    {"/teachers?page_size=500", 1, K_TEACHER},   {"/plans?page_size=500", 1, K_PLAN},
    {"/courses?page_size=500", 1, K_COURSE},     {"/students?page_size=500", 1, K_STUDENT},
    {"/volunteers?page_size=500", 2, K_VOLUNTEER}, {"/volunteer-teams?page_size=500", 2, K_TEAM},
};
static const struct lst searches[] = {
    {"/teachers?q=%s", 1, K_TEACHER},   {"/courses?q=%s", 1, K_COURSE},         {"/students?q=%s", 1, K_STUDENT},
    {"/volunteers?q=%s", 2, K_VOLUNTEER}, {"/volunteer-teams?q=%s", 2, K_TEAM},
};
static const struct lst filters[] = {
    {"/teachers?org_id=%lld", 1, K_TEACHER},     {"/plans?org_id=%lld", 1, K_PLAN},
    {"/courses?org_id=%lld", 1, K_COURSE},       {"/students?org_id=%lld", 1, K_STUDENT},
    {"/volunteers?org_id=%lld", 2, K_VOLUNTEER}, {"/volunteer-teams?org_id=%lld", 2, K_TEAM},
    {"/volunteers?team_id=%lld", 2, K_TEAM},
};
static const struct lst exports[] = {
    {"/students/export", 1, K_STUDENT}, {"/volunteers/export", 2, K_VOLUNTEER}, {"/volunteer-teams/export", 2, K_TEAM},
};
static const char *name_prefix[KINDS] = {"矩阵教师", "矩阵教学计划", "矩阵课程", "矩阵学员", NULL, "矩阵志愿者",
                                         "矩阵服务队", NULL};

static int visible_count(int u, int k)
{
    int c = 0;
    for (int n = 0; n < NODES; n++) c += sees(u, k, n);
    return c;
}

static void check_lists(int u)
{
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
        const struct lst *l = &lists[i];
        json_t *j = NULL;
        int st = api("GET", l->path, token[u], NULL, &j);
        check(u, -1, P("GET %s", l->path), st, U[u].rank < l->rank ? 403 : 200);
        if (st == 200) {
            check(u, -1, P("GET %s total", l->path), (long)jint(j, "total"), visible_count(u, l->kind));
            for (int n = 0; n < NODES; n++)
                if (base[l->kind][n])
                    check(u, n, P("GET %s lists the %s", l->path, kind_name[l->kind]),
                          items_have_id(jget(j, "items"), base[l->kind][n]), sees(u, l->kind, n));
        }
        json_decref(j);
    }
    for (size_t i = 0; i < sizeof searches / sizeof *searches; i++)
        for (int n = 0; n < NODES; n++) {
            const struct lst *l = &searches[i];
            if (!base[l->kind][n]) continue;
            char *q = urlenc(P("%s%s", name_prefix[l->kind], node_name[n]));
            json_t *j = NULL;
            int st = api("GET", P(l->path, q), token[u], NULL, &j);
            free(q);
            check(u, n, P("GET %s", l->path), st, U[u].rank < l->rank ? 403 : 200);
            if (st == 200) check(u, n, P("GET %s total", l->path), (long)jint(j, "total"), sees(u, l->kind, n));
            json_decref(j);
        }
}

/* A filter on a node or team outside scope finds nothing (404, or an empty list); inside, the
 * node's own record is there exactly when it is visible. */
static void check_filters(int u)
{
    for (size_t i = 0; i < sizeof filters / sizeof *filters; i++)
        for (int n = 0; n < NODES; n++) {
            const struct lst *l = &filters[i];
            bool by_team = strstr(l->path, "team_id") != NULL;
            int k = by_team ? K_VOLUNTEER : l->kind;
            if (!base[l->kind][n]) continue;
            long long id = by_team ? (long long)base[K_TEAM][n] : (long long)node[n];
            bool in = by_team ? sees(u, K_TEAM, n) : node_vis(u, n);
            json_t *j = NULL;
            int st = api("GET", P(l->path, id), token[u], NULL, &j);
            const char *what = P("GET %s", l->path);
            if (U[u].rank < l->rank) check(u, n, what, st, 403);
            else if (!in) check(u, n, P("%s finds nothing", what), st == 404 || (st == 200 && jint(j, "total") == 0), 1);
            else if (st != 200) check(u, n, what, st, 200);
            else check(u, n, P("%s holds the node's record", what), items_have_id(jget(j, "items"), base[k][n]),
                       sees(u, k, n));
            json_decref(j);
        }
}

static int count_rows(const char *xml)
{
    int c = 0;
    for (const char *s = xml; (s = strstr(s, "<row ")) != NULL; s++) c++;
    return c;
}

static void check_exports(int u)
{
    for (size_t i = 0; i < sizeof exports / sizeof *exports; i++) {
        const struct lst *l = &exports[i];
        http_resp admin_resp, resp;
        expect_status(api_full("GET", l->path, token[U_ADMIN], NULL, &admin_resp), NULL, 200);
        char *admin_xml = xlsx_sheet_xml(&admin_resp);
        int header = count_rows(admin_xml) - visible_count(U_ADMIN, l->kind);
        int st = api_full("GET", l->path, token[u], NULL, &resp);
        check(u, -1, P("GET %s", l->path), st, U[u].rank < l->rank ? 403 : 200);
        if (st == 200) {
            char *xml = xlsx_sheet_xml(&resp);
            check(u, -1, P("GET %s rows", l->path), count_rows(xml) - header, visible_count(u, l->kind));
            for (int n = 0; n < NODES; n++)
                if (base[l->kind][n])
                    check(u, n, P("GET %s has the %s's name", l->path, kind_name[l->kind]),
                          strstr(xml, P("%s%s", name_prefix[l->kind], node_name[n])) != NULL, sees(u, l->kind, n));
            free(xml);
        }
        free(admin_xml);
        http_resp_free(&admin_resp);
        http_resp_free(&resp);
    }
}

/* The teaching home and the completion report take a node: outside scope 404 naming org_id. */
static void check_node_reads(int u)
{
    const char *paths[] = {"/teaching/home?org_id=%lld", "/teaching/completion?org_id=%lld&year=2025"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        for (int n = 0; n < NODES; n++) {
            json_t *j = NULL;
            int st = api("GET", P(paths[i], (long long)node[n]), token[u], NULL, &j);
            check(u, n, P("GET %s", paths[i]), st, node_vis(u, n) ? 200 : 404);
            if (st == 404) check(u, n, P("GET %s 404 names org_id", paths[i]), !strcmp(err_field(j), "org_id"), 1);
            json_decref(j);
        }
}

static void test_lists_searches_and_exports_hold_exactly_the_scope(void **state)
{
    (void)state;
    failures = 0;
    for (int u = 0; u < USERS; u++) {
        check_lists(u);
        check_filters(u);
        check_exports(u);
        check_node_reads(u);
    }
    if (failures) fprintf(stderr, "%d list check(s) failed\n", failures);
    assert_int_equal(failures, 0);
}

static void test_every_user_node_and_endpoint(void **state)
{
    (void)state;
    failures = 0;
    int cases = 0;
    for (size_t i = 0; i < EPS; i++)
        for (int u = 0; u < USERS; u++)
            for (int n = 0; n < NODES; n++) {
                if (base[eps[i].kind][n]) cases++;
                check_endpoint(i, u, n);
            }
    fprintf(stderr, "scope matrix: %zu endpoints, %d cases\n", EPS, cases);
    if (failures) fprintf(stderr, "%d scope matrix check(s) failed\n", failures);
    assert_int_equal(failures, 0);
}

/* A membership belongs to its team's org: a volunteer of A1 in a team of Bp shows that team
 * to B, and the team stays out of A's view of the volunteer; B's list by team does not show
 * the volunteer of A1. */
static void test_memberships_across_branches(void **state)
{
    (void)state;
    int64_t m = join(base[K_TEAM][BP], base[K_VOLUNTEER][A1], "add");
    json_t *j = NULL;
    expect_status(api("GET", P("/volunteers/%lld", (long long)base[K_VOLUNTEER][A1]), token[U_A_STAFF], NULL, &j), j, 200);
    size_t i;
    json_t *e;
    bool own = false, other = false;
    json_array_foreach(jget(j, "teams"), i, e) {
        own |= jint(e, "team_id") == base[K_TEAM][A1];
        other |= jint(e, "team_id") == base[K_TEAM][BP];
    }
    json_decref(j);
    assert_true(own);
    assert_false(other);
    expect_status(api("GET", P("/volunteer-teams/%lld/members", (long long)base[K_TEAM][BP]), token[U_B_ADMIN], NULL, &j),
                  j, 200);
    assert_true(items_have_id(jget(j, "items"), m));
    json_decref(j);
    expect_status(api("GET", P("/volunteers?team_id=%lld&page_size=500", (long long)base[K_TEAM][BP]), token[U_B_ADMIN],
                      NULL, &j), j, 200);
    assert_true(items_have_id(jget(j, "items"), base[K_VOLUNTEER][BP]));
    assert_false(items_have_id(jget(j, "items"), base[K_VOLUNTEER][A1]));
    json_decref(j);
    expect_status(api("DELETE", P("/volunteer-memberships/%lld", (long long)m), token[U_B_ADMIN], NULL, NULL), NULL, 204);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_searches_and_exports_hold_exactly_the_scope),
        cmocka_unit_test(test_every_user_node_and_endpoint),
        cmocka_unit_test(test_memberships_across_branches),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
