/* test_scope_modules2.c - the data-scope matrix of test_scope_modules.c for what it does not
 * cover: volunteer projects and sign-ups (hours, service records), report forms, targets, file
 * uploads and downloads (activities and courses), the Excel imports (students, volunteers, teachers,
 * orgs) and /teacher-selections
 * (the public endpoints: test_scope_public.c). The rule is the same (docs/domain.md §3, docs/api.md
 * "Roles and scope"): a record outside the caller's scope answers exactly like a missing id (404)
 * and is absent from every list; the role check comes first (403 whatever the id); standing rules of a step (the
 * city decides selections, districts and the city nominate) come after scope. Scope `self` sees
 * only what its user recorded, except what belongs to its node as a unit: the node's targets and
 * the forms its unit fills.
 *
 * The tree, users, records and the way expectations are computed are test_scope_modules.c's:
 *   root(city) ─┬─ A(district) ─┬─ A1(street) ─┬─ A1p(point)
 *               │               │              └─ A1q(point)
 *               │               └─ A2(street)
 *               └─ B(district) ─── Bp(point) */
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
static const char *node_name[NODES] = {NULL, "渝北区", "龙溪街道", "松牌路教学点", "金紫山教学点", "双龙湖街道", "南岸区",
                                       "弹子石教学点"};
static const char *node_type[NODES] = {"city", "district", "street", "point", "point", "street", "district", "point"};
static const int node_parent[NODES] = {-1, ROOT, A, A1, A1, A, ROOT, B};
static int64_t node[NODES];

enum { U_ADMIN, U_A_ADMIN, U_A_STAFF, U_A_STAFF_ORG, U_B_ADMIN, U_MEMBER, U_P_TEACHER, U_P_SELF, USERS };
static const struct {
    const char *name;
    int home;
    const char *role, *scope;
    int member;
    int rank;
} U[USERS] = {
    [U_ADMIN] = {"admin", ROOT, "admin", "all", -1, 4},
    [U_A_ADMIN] = {"n_a_admin", A, "org_admin", "subtree", -1, 3},
    [U_A_STAFF] = {"n_a_staff", A, "staff", "subtree", -1, 2},
    [U_A_STAFF_ORG] = {"n_a_staff_org", A, "staff", "org", -1, 2},
    [U_B_ADMIN] = {"n_b_admin", B, "org_admin", "subtree", -1, 3},
    [U_MEMBER] = {"n_a1p_member_bp", A1P, "staff", "subtree", BP, 2},
    [U_P_TEACHER] = {"n_a1p_teacher", A1P, "teacher", "org", -1, 1},
    [U_P_SELF] = {"n_a1p_staff_self", A1P, "staff", "self", -1, 2},
};
static char *token[USERS], *prep;

enum { K_VOLUNTEER, K_PROJECT, K_SIGNUP, K_ACTIVITY, K_AFILE, K_COURSE, K_CFILE, K_TARGET, K_FORM, K_TEACHER,
       K_SELECTION, KINDS };
static const char *kind_name[KINDS] = {"volunteer", "project", "sign-up", "activity", "activity file", "course",
                                       "course file", "target", "form", "teacher", "selection"};
/* How scope self treats a kind: OWNED records only its user's, NODE records of its node (the
 * node's targets), FILLED forms of its node and the nodes above it (which its unit fills). */
enum vis { OWNED, NODE, FILLED };
static const enum vis kind_vis[KINDS] = {OWNED, OWNED, OWNED, OWNED, OWNED, OWNED, OWNED, NODE, FILLED, OWNED, OWNED};
static int64_t base[KINDS][NODES];
static int64_t team[NODES], position[NODES];   /* the base project's position */
static struct { int64_t project, position; } positions[2048];   /* every project's position */
static int npositions;

#define MISSING 99999999LL
#define SELECTION_YEAR 2030
static int failures, serial = 5000;

static bool is_point(int n) { return !strcmp(node_type[n], "point"); }
static bool under(int n, int top)
{
    for (; n >= 0; n = node_parent[n])
        if (n == top) return true;
    return false;
}
static bool node_vis(int u, int n)
{
    if (!strcmp(U[u].scope, "all")) return true;
    if (!strcmp(U[u].scope, "subtree")) return under(n, U[u].home) || (U[u].member >= 0 && under(n, U[u].member));
    return n == U[u].home || n == U[u].member;
}
static bool sees(int u, int k, int n)
{
    if (!base[k][n]) return false;
    switch (kind_vis[k]) {
    case NODE: return node_vis(u, n);
    case FILLED:   /* the owner in scope, or one of the caller's nodes below it */
        return node_vis(u, n) || !strcmp(U[u].scope, "all") || under(U[u].home, n) ||
               (U[u].member >= 0 && under(U[u].member, n));
    default: return node_vis(u, n) && strcmp(U[u].scope, "self") != 0;
    }
}

static void check(int u, int n, const char *what, long got, long want)
{
    if (got == want) return;
    fprintf(stderr, "FAIL user=%s (%s/%s) node=%s: %s: got %ld, want %ld\n", U[u].name, U[u].role, U[u].scope,
            n >= 0 ? node_label[n] : "-", what, got, want);
    failures++;
}

/* ---- records ---- */

static const char *id_number(void) { return test_id_number(serial++, 200); }
static const char *phone(void) { return P("137%08d", serial++); }

static const char *at(long seconds) { return shanghai_at(seconds); }

static int64_t post_id(const char *tok, const char *path, json_t *body, int want)
{
    json_t *j = NULL;
    int st = api("POST", path, tok, body, &j);
    if (st != want) fprintf(stderr, "POST %s:\n", path);
    expect_status(st, j, want);
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

/* A 1x1 PNG. */
static const unsigned char png[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0,
    0, 0x90, 0x77, 0x53, 0xDE, 0, 0, 0, 12, 'I', 'D', 'A', 'T', 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0, 0, 3, 1, 1, 0,
    0xC9, 0xFE, 0x92, 0xEF, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};

/* A raw upload (files, imports) as tok; *out the answer. */
static int raw_post(const char *tok, const char *path, const char *name, const void *bytes, size_t len, json_t **out)
{
    char auth[256], fname[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
    snprintf(fname, sizeof fname, "X-File-Name: %s", name);
    const char *headers[] = {auth, "Content-Type: application/octet-stream", fname, NULL};
    http_resp resp;
    int st = http("POST", P(API_BASE "%s", path), headers, bytes, len, &resp);
    if (out) *out = json_incref(resp.json);
    http_resp_free(&resp);
    return st;
}

static int64_t upload(const char *path)
{
    json_t *j = NULL;
    expect_status(raw_post(token[U_ADMIN], path, "photo.png", png, sizeof png, &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int64_t new_volunteer(int n)
{
    return post_id(token[U_ADMIN], "/volunteers",
                   jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)node[n], "name", "矩阵志愿者", "id_number",
                         id_number(), "phone", phone()), 201);
}

/* A published public project of the node's team, from..to seconds from now; *pos its position. */
static int64_t new_project(int n, long from, long to, const char *audience, int64_t *pos)
{
    json_t *j = NULL;
    expect_status(api("POST", "/volunteer-projects", token[U_ADMIN],
                      jpack("{s:I, s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:i}]}", "team_id", (json_int_t)team[n], "title",
                            P("矩阵志愿项目%s", node_name[n]), "starts_at", at(from), "ends_at", at(to), "audience",
                            audience, "status", "published", "positions", "name", "讲解员", "headcount", 100), &j),
                  j, 201);
    int64_t id = jint(j, "id");
    if (pos) *pos = jint(j, "positions.0.id");
    if (npositions < (int)(sizeof positions / sizeof *positions))
        positions[npositions].project = id, positions[npositions++].position = jint(j, "positions.0.id");
    json_decref(j);
    return id;
}

static int64_t staff_signup(int64_t project, int64_t pos, int64_t volunteer)
{
    return post_id(token[U_ADMIN], P("/volunteer-projects/%lld/signups", (long long)project),
                   jpack("{s:I, s:I}", "volunteer_id", (json_int_t)volunteer, "position_id", (json_int_t)pos), 201);
}

/* A volunteer registered on the public page at the node: its id, and the phone's key in key. */
static int64_t public_volunteer(int n, char key[128], char *phone_out)
{
    json_t *j = NULL;
    const char *ph = phone();
    if (phone_out) strcpy(phone_out, ph);
    expect_status(api("POST", "/public/volunteers", NULL,
                      jpack("{s:I, s:s, s:s, s:s}", "org_id", (json_int_t)node[n], "name", "公开志愿者", "id_number",
                            id_number(), "phone", ph), &j), j, 201);
    snprintf(key, 128, "%s", jstr(j, "volunteer_key"));
    json_decref(j);
    expect_status(api("GET", P("/volunteers?phone=%s", ph), token[U_ADMIN], NULL, &j), j, 200);
    int64_t id = jint(j, "items.0.id");
    json_decref(j);
    assert_true(id > 0);
    return id;
}

/* A request of a volunteer's phone (key NULL: none). */
static int pub(const char *method, const char *path, const char *key, json_t *body, json_t **out)
{
    char hk[200];
    snprintf(hk, sizeof hk, "X-Volunteer-Key: %s", key ? key : "");
    const char *headers[] = {"Content-Type: application/json", key ? hk : NULL, NULL};
    char *text = body ? json_dumps(body, 0) : NULL;
    json_decref(body);
    http_resp resp;
    int st = http(method, P(API_BASE "%s", path), headers, text, text ? strlen(text) : 0, &resp);
    free(text);
    if (out) *out = resp.json ? json_incref(resp.json) : NULL;
    http_resp_free(&resp);
    return st;
}

static int64_t pending_signup(int n)
{
    char key[128];
    public_volunteer(n, key, NULL);
    json_t *j = NULL;
    expect_status(pub("POST", "/public/volunteer/signups", key,
                      jpack("{s:I, s:I}", "project_id", (json_int_t)base[K_PROJECT][n], "position_id",
                            (json_int_t)position[n]), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

static int64_t new_teacher(int n, bool certified)
{
    int64_t id = post_id(token[U_ADMIN], "/teachers",
                         jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)node[n], "name", P("矩阵教师%s", node_name[n]),
                               "id_number", id_number()), 201);
    if (certified) {
        post_ok(prep, P("/teachers/%lld/propose", (long long)id), NULL);
        post_ok(token[U_ADMIN], P("/teachers/%lld/certify", (long long)id), NULL);
    }
    return id;
}

static int64_t new_target(int n)
{
    return post_id(token[U_ADMIN], "/targets",
                   jpack("{s:I, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)node[n], "title",
                         P("矩阵目标%s", node_name[n]), "metric", "activities", "period", "2026", "goal", 10), 201);
}

/* The states a write needs its record in. */
enum prep { P_BASE, P_FRESH, P_STARTED, P_PENDING, P_ACCEPTED, P_MARKABLE, P_CONFIRMED, P_CERTIFIED };

static int64_t make(int k, enum prep s, int n)
{
    const char *a = token[U_ADMIN];
    int64_t pos = 0, id = 0;
    static char mark[200];
    switch (k) {
    case K_PROJECT: id = new_project(n, s == P_STARTED ? -3600 : 86400 * 2, s == P_STARTED ? 3600 : 86400 * 2 + 7200,
                                     "public", NULL); break;
    case K_SIGNUP: {
        if (s == P_PENDING) return pending_signup(n);
        if (s == P_ACCEPTED) return staff_signup(base[K_PROJECT][n], position[n], new_volunteer(n));
        int64_t project = new_project(n, -3600, 3600, "public", &pos);   /* started: presence may be marked */
        id = staff_signup(project, pos, new_volunteer(n));
        if (s == P_CONFIRMED) {
            snprintf(mark, sizeof mark, "{\"checkin_at\":\"%s\",\"checkout_at\":\"%s\"}", at(-3600), at(0));
            expect_status(api_text("PUT", P("/volunteer-signups/%lld/attendance", (long long)id), a, mark, NULL), NULL,
                          200);
            post_ok(a, P("/volunteer-projects/%lld/confirm-hours", (long long)project), NULL);
        }
        break;
    }
    case K_AFILE: id = upload(P("/activities/%lld/files", (long long)base[K_ACTIVITY][n])); break;
    case K_CFILE: id = upload(P("/courses/%lld/files", (long long)base[K_COURSE][n])); break;
    case K_TARGET: id = new_target(n); break;
    case K_TEACHER: id = new_teacher(n, true); break;
    case K_SELECTION:
        id = post_id(a, "/teacher-selections",
                     jpack("{s:i, s:I, s:s}", "year", SELECTION_YEAR + 1, "teacher_id", (json_int_t)new_teacher(n, true),
                           "reason", "矩阵推荐"), 201);
        break;
    }
    return id;
}


/* ---- the endpoints ---- */

enum { ST_NONE, ST_CITY /* decide a selection */, ST_NOMINATE /* a district or the city, its subtree */ };

/* In path and body: {id} the record's id, {other} the id of the base record of kind `other` at
 * the same node, {pos} the position of the project {id}, {mark} a presence body (now). raw:
 * the body is a PNG sent as a file. */
struct ep {
    const char *method, *path;
    int rank, kind;
    enum prep prep;
    const char *body;
    int ok, other, standing;
    bool raw;
};

static const struct ep eps[] = {
    {"GET", "/volunteer-projects/{id}", 2, K_PROJECT, P_BASE, NULL, 200, -1, 0, false},
    {"PATCH", "/volunteer-projects/{id}", 2, K_PROJECT, P_BASE, "{\"place\":\"矩阵活动室\"}", 200, -1, 0, false},
    {"GET", "/volunteer-projects/{id}/signups", 2, K_PROJECT, P_BASE, NULL, 200, -1, 0, false},
    {"POST", "/volunteer-projects/{id}/signups", 2, K_PROJECT, P_FRESH, "{\"volunteer_id\":{other},\"position_id\":{pos}}",
     201, K_VOLUNTEER, 0, false},
    {"POST", "/volunteer-projects/{id}/confirm-hours", 2, K_PROJECT, P_STARTED, NULL, 200, -1, 0, false},
    {"GET", "/volunteers/{id}/service", 2, K_VOLUNTEER, P_BASE, NULL, 200, -1, 0, false},

    {"POST", "/volunteer-signups/{id}/accept", 2, K_SIGNUP, P_PENDING, NULL, 200, -1, 0, false},
    {"POST", "/volunteer-signups/{id}/decline", 2, K_SIGNUP, P_PENDING, NULL, 200, -1, 0, false},
    {"POST", "/volunteer-signups/{id}/cancel", 2, K_SIGNUP, P_ACCEPTED, NULL, 200, -1, 0, false},
    {"PUT", "/volunteer-signups/{id}/attendance", 2, K_SIGNUP, P_MARKABLE, "{mark}", 200, -1, 0, false},
    {"PATCH", "/volunteer-signups/{id}/hours", 2, K_SIGNUP, P_CONFIRMED, "{\"minutes\":50,\"reason\":\"矩阵更正\"}", 200,
     -1, 0, false},

    {"POST", "/activities/{id}/files", 2, K_ACTIVITY, P_BASE, NULL, 201, -1, 0, true},
    {"GET", "/activities/{id}/files", 1, K_ACTIVITY, P_BASE, NULL, 200, -1, 0, false},
    {"GET", "/files/{id}", 1, K_AFILE, P_BASE, NULL, 200, -1, 0, false},
    {"DELETE", "/activities/{other}/files/{id}", 2, K_AFILE, P_FRESH, NULL, 204, K_ACTIVITY, 0, false},
    {"POST", "/courses/{id}/files", 2, K_COURSE, P_BASE, NULL, 201, -1, 0, true},
    {"GET", "/courses/{id}/files", 1, K_COURSE, P_BASE, NULL, 200, -1, 0, false},
    {"GET", "/courses/{other}/files/{id}", 1, K_CFILE, P_BASE, NULL, 200, K_COURSE, 0, false},
    {"DELETE", "/courses/{other}/files/{id}", 2, K_CFILE, P_FRESH, NULL, 204, K_COURSE, 0, false},

    {"GET", "/targets/{id}", 1, K_TARGET, P_BASE, NULL, 200, -1, 0, false},
    {"GET", "/targets/{id}/progress", 1, K_TARGET, P_BASE, NULL, 200, -1, 0, false},
    {"PATCH", "/targets/{id}", 3, K_TARGET, P_BASE, "{\"goal\":12}", 200, -1, 0, false},
    {"DELETE", "/targets/{id}", 3, K_TARGET, P_FRESH, NULL, 204, -1, 0, false},

    {"GET", "/forms/{id}", 1, K_FORM, P_BASE, NULL, 200, -1, 0, false},
    {"GET", "/forms/{id}/completeness?period=2026", 2, K_FORM, P_BASE, NULL, 200, -1, 0, false},
    {"GET", "/forms/{id}/reports?period=2026", 2, K_FORM, P_BASE, NULL, 200, -1, 0, false},

    {"POST", "/teacher-selections", 3, K_TEACHER, P_CERTIFIED, "{\"year\":2030,\"teacher_id\":{id},\"reason\":\"矩阵\"}",
     201, -1, ST_NOMINATE, false},
    {"POST", "/teacher-selections/{id}/decide", 3, K_SELECTION, P_FRESH, "{\"decision\":\"approve\"}", 200, -1, ST_CITY,
     false},
};
#define EPS (sizeof eps / sizeof *eps)
static int64_t fresh[EPS][NODES];

static int64_t position_of(int64_t project)
{
    for (int i = 0; i < npositions; i++)
        if (positions[i].project == project) return positions[i].position;
    return 0;
}

static int standing(int st, int u, int n)
{
    int h = U[u].home;
    switch (st) {
    case ST_CITY: return h == ROOT ? 0 : 403;
    case ST_NOMINATE: return (h == ROOT || !strcmp(node_type[h], "district")) && under(n, h) ? 0 : 403;
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

/* text with {id}, {other}, {pos} and {mark} replaced, into out. */
static void subst(char *out, size_t size, const char *text, long long id, long long other)
{
    size_t o = 0;
    for (const char *s = text; *s && o + 1 < size;) {
        int n = 0;
        if (!strncmp(s, "{id}", 4)) n = snprintf(out + o, size - o, "%lld", id), s += 4;
        else if (!strncmp(s, "{other}", 7)) n = snprintf(out + o, size - o, "%lld", other), s += 7;
        else if (!strncmp(s, "{pos}", 5)) n = snprintf(out + o, size - o, "%lld", (long long)position_of(id)), s += 5;
        else if (!strncmp(s, "{mark}", 6))
            n = snprintf(out + o, size - o, "{\"checkin_at\":\"%s\",\"checkout_at\":\"%s\"}", at(-1800), at(-600)), s += 6;
        else out[o] = *s++, n = 1;
        o += (size_t)n;
    }
    out[o < size ? o : size - 1] = 0;
}

static int call(const struct ep *e, int u, int n, long long id, json_t **out)
{
    long long other = e->other >= 0 ? (long long)base[e->other][n] : 0;
    char path[256], body[512];
    subst(path, sizeof path, e->path, id, other);
    if (e->raw) return raw_post(token[u], path, "photo.png", png, sizeof png, out);
    if (e->body) subst(body, sizeof body, e->body, id, other);
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
    if (st != want && j) {
        char *text = json_dumps(j, JSON_COMPACT);
        fprintf(stderr, "    answer: %s\n", text);
        free(text);
    }
    if (st == 404) {   /* exactly like a missing id */
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
    fprintf(stderr, "scope matrix 2: %zu endpoints, %d cases\n", EPS, cases);
    if (failures) fprintf(stderr, "%d scope matrix check(s) failed\n", failures);
    assert_int_equal(failures, 0);
}

/* ---- lists ---- */

static const struct lst {
    const char *path;
    int rank, kind;
    bool total;   /* the answer has "total" (a paged list) */
} lists[] = {
    {"/volunteer-projects?page_size=500", 2, K_PROJECT, true},
    {"/targets?page_size=500", 1, K_TARGET, true},
    {"/forms?page_size=500", 1, K_FORM, true},
    {"/teacher-selections?year=2030", 1, K_SELECTION, false},
};

static void test_lists_hold_exactly_the_scope(void **state)
{
    (void)state;
    failures = 0;
    for (int u = 0; u < USERS; u++)
        for (size_t i = 0; i < sizeof lists / sizeof *lists; i++) {
            const struct lst *l = &lists[i];
            json_t *j = NULL;
            int st = api("GET", l->path, token[u], NULL, &j);
            check(u, -1, P("GET %s", l->path), st, U[u].rank < l->rank ? 403 : 200);
            if (st == 200) {
                int visible = 0;
                for (int n = 0; n < NODES; n++) {
                    if (!base[l->kind][n]) continue;
                    visible += sees(u, l->kind, n);
                    check(u, n, P("GET %s lists the %s", l->path, kind_name[l->kind]),
                          items_have_id(jget(j, "items"), base[l->kind][n]), sees(u, l->kind, n));
                }
                long got = l->total ? (long)jint(j, "total") : (long)json_array_size(jget(j, "items"));
                check(u, -1, P("GET %s count", l->path), got, visible);
            }
            json_decref(j);
        }
    if (failures) fprintf(stderr, "%d list check(s) failed\n", failures);
    assert_int_equal(failures, 0);
}

/* A unit's report to a form: the form visible (else 404 as a missing form), the filling point in
 * scope (else 404 naming org_id), then saved as a draft (nothing counts before it is submitted). */
static void test_form_reports_take_fillers_in_scope(void **state)
{
    (void)state;
    failures = 0;
    static const int filler[NODES] = {[ROOT] = A1P, [A] = A1P, [A1] = A1Q, [A2] = -1, [A1P] = -1, [A1Q] = -1,
                                      [B] = BP, [BP] = -1};
    for (int u = 0; u < USERS; u++)
        for (int n = 0; n < NODES; n++) {
            int f = filler[n];
            if (f < 0) continue;
            json_t *j = NULL;
            int st = api_text("POST", P("/forms/%lld/reports", (long long)base[K_FORM][n]), token[u],
                              P("{\"org_id\":%lld,\"period\":\"2026\",\"values\":{\"n\":3}}", (long long)node[f]), &j);
            int want = U[u].rank < 2 ? 403 : !sees(u, K_FORM, n) || !node_vis(u, f) ? 404 : 200;
            check(u, n, P("POST /forms/{id}/reports for %s", node_label[f]), st, want);
            if (st == 404)
                check(u, n, P("POST /forms/{id}/reports 404 names %s", sees(u, K_FORM, n) ? "org_id" : "nothing"),
                      !strcmp(err_field(j), sees(u, K_FORM, n) ? "org_id" : "null"), 1);
            if (st == 200) check(u, n, "a report saved, not submitted", !strcmp(jstr(j, "status"), "draft"), 1);
            json_decref(j);
        }
    if (failures) fprintf(stderr, "%d form report check(s) failed\n", failures);
    assert_int_equal(failures, 0);
}

/* ---- imports ---- */

/* The imports take a node: a role under the module's rank 403 (staff; org_admin for orgs), a node
 * outside scope 404 naming org_id (as a missing node), the students' a node that is not a point
 * 422 naming org_id; inside, the dry run reads the row and writes nothing. */
enum { I_STUDENTS, I_VOLUNTEERS, I_TEACHERS, I_ORGS, IMPORTS };
static const char *const import_module[IMPORTS] = {"students", "volunteers", "teachers", "orgs"};
static const int import_rank[IMPORTS] = {2, 2, 2, 3};

static void test_imports_take_only_nodes_in_scope(void **state)
{
    (void)state;
    failures = 0;
    static const char *const sh[] = {"姓名", "手机号"}, *const vh[] = {"姓名", "身份证号", "手机号"},
                             *const th[] = {"姓名", "身份证号"}, *const oh[] = {"机构名称", "机构类型"};
    char idn[24], tidn[24];
    snprintf(idn, sizeof idn, "%s", id_number());
    snprintf(tidn, sizeof tidn, "%s", id_number());
    const char *srow[] = {"导入学员", "13700001234"}, *vrow[] = {"导入志愿者", idn, "13700004321"},
               *trow[] = {"矩阵导入教师", tidn}, *orow[] = {"矩阵导入机构", "教学点"};
    size_t len[IMPORTS];
    char *book[IMPORTS] = {import_workbook(2, sh, srow, 2, 1, &len[0]), import_workbook(3, vh, vrow, 3, 1, &len[1]),
                           import_workbook(2, th, trow, 2, 1, &len[2]), import_workbook(2, oh, orow, 2, 1, &len[3])};
    for (int u = 0; u < USERS; u++) {
        for (int t = 0; t < IMPORTS; t++) {
            const char *tpl = P("/%s/import/template.xlsx", import_module[t]);
            http_resp r;
            check(u, -1, P("GET %s", tpl), api_full("GET", tpl, token[u], NULL, &r), U[u].rank < import_rank[t] ? 403 : 200);
            http_resp_free(&r);
        }
        for (int n = 0; n <= NODES; n++) {   /* NODES: a missing node */
            long long org = n < NODES ? (long long)node[n] : MISSING;
            for (int t = 0; t < IMPORTS; t++) {
                const char *what = P("POST /%s/import", import_module[t]);
                json_t *j = NULL;
                int st = raw_post(token[u], P("/%s/import?org_id=%lld&commit=0", import_module[t], org), "i.xlsx", book[t],
                                  len[t], &j);
                int want = U[u].rank < import_rank[t] ? 403
                         : n == NODES || !node_vis(u, n)  ? 404
                         : t == I_STUDENTS && !is_point(n) ? 422 : 200;
                check(u, n < NODES ? n : -1, what, st, want);
                if (st == 404 || st == 422) check(u, n < NODES ? n : -1, P("%s names org_id", what), !strcmp(err_field(j), "org_id"), 1);
                if (st == 200) {
                    check(u, n, P("%s rows", what), (long)jint(j, "rows"), 1);
                    check(u, n, P("%s valid", what), (long)jint(j, "valid"), 1);
                    check(u, n, P("%s committed", what), json_is_true(jget(j, "committed")), 0);
                }
                json_decref(j);
            }
        }
    }
    for (int t = 0; t < IMPORTS; t++) free(book[t]);
    /* the dry runs wrote nothing */
    json_t *j = NULL;
    expect_status(api("GET", "/volunteers?phone=13700004321", token[U_ADMIN], NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 0);
    json_decref(j);
    expect_status(api("GET", "/students?q=%E5%AF%BC%E5%85%A5%E5%AD%A6%E5%91%98", token[U_ADMIN], NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 0);
    json_decref(j);
    char *q = urlenc("矩阵导入");
    assert_int_equal(list_total(token[U_ADMIN], P("/teachers?q=%s", q)), 0);
    assert_int_equal(list_total(token[U_ADMIN], P("/orgs?q=%s", q)), 0);
    free(q);
    if (failures) fprintf(stderr, "%d import check(s) failed\n", failures);
    assert_int_equal(failures, 0);
}

/* ---- setup ---- */

static void base_records(int n)
{
    const char *a = token[U_ADMIN], *nm = node_name[n];
    team[n] = post_id(a, "/volunteer-teams",
                      jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)node[n], "category", "district", "name",
                            P("矩阵二服务队%s", nm)), 201);
    base[K_VOLUNTEER][n] = new_volunteer(n);
    base[K_PROJECT][n] = new_project(n, 86400 * 2, 86400 * 2 + 7200, "public", &position[n]);
    base[K_SIGNUP][n] = staff_signup(base[K_PROJECT][n], position[n], base[K_VOLUNTEER][n]);
    base[K_ACTIVITY][n] = post_id(a, "/activities",
                                  jpack("{s:I, s:s, s:s, s:s, s:s, s:i}", "org_id", (json_int_t)node[n], "kind", "lecture",
                                        "title", P("矩阵活动%s", nm), "start_date", "2026-03-03", "end_date", "2026-03-03",
                                        "participants", 20), 201);
    base[K_AFILE][n] = make(K_AFILE, P_BASE, n);
    base[K_TARGET][n] = new_target(n);
    base[K_FORM][n] = post_id(a, "/forms",
                              jpack("{s:I, s:s, s:s, s:s, s:i, s:[{s:s, s:s, s:s}]}", "org_id", (json_int_t)node[n],
                                    "title", P("矩阵报表%s", nm), "period_type", "year", "filler_type", "point",
                                    "deadline_days", 10, "fields", "key", "n", "label", "场次", "metric", "activities"),
                              201);
    base[K_TEACHER][n] = new_teacher(n, true);
    base[K_SELECTION][n] = post_id(a, "/teacher-selections",
                                   jpack("{s:i, s:I, s:s}", "year", SELECTION_YEAR, "teacher_id",
                                         (json_int_t)base[K_TEACHER][n], "reason", "矩阵推荐"), 201);
    if (!is_point(n)) return;
    base[K_COURSE][n] = post_id(a, "/courses",
                                jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)node[n], "title",
                                      P("矩阵课程%s", nm), "category", "health", "starts_at", at(86400 * 2), "ends_at",
                                      at(86400 * 2 + 3600)), 201);
    base[K_CFILE][n] = make(K_CFILE, P_BASE, n);
}

static int setup(void **state)
{
    setenv("KEPU_VOLUNTEER_REGISTER_LIMIT", "100000", 1);   /* pending sign-ups come from the public page */
    if (server_start(state) != 0) return -1;
    const char *admin = token[U_ADMIN] = login("admin", ADMIN_PASSWORD);
    node[ROOT] = root_org_id(admin);
    for (int n = 1; n < NODES; n++) node[n] = create_org(admin, node[node_parent[n]], node_type[n], node_name[n]);
    for (int u = 1; u < USERS; u++)
        create_user(admin, U[u].name, node[U[u].home], U[u].role, U[u].scope, U[u].member >= 0 ? node[U[u].member] : 0);
    for (int u = 1; u < USERS; u++) token[u] = login(U[u].name, USER_PASSWORD);
    create_user(admin, "n_prep", node[A2], "staff", "all", 0);
    prep = login("n_prep", USER_PASSWORD);
    for (int n = 0; n < NODES; n++) base_records(n);
    return 0;
}

static int teardown(void **state)
{
    for (int u = 0; u < USERS; u++) free(token[u]);
    free(prep);
    return server_stop(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_hold_exactly_the_scope),
        cmocka_unit_test(test_imports_take_only_nodes_in_scope),
        cmocka_unit_test(test_every_user_node_and_endpoint),
        cmocka_unit_test(test_form_reports_take_fillers_in_scope),
        cmocka_unit_test(stats_verify_test),
    };
    return run_api_tests(tests, setup, teardown);
}
