/* test_orgs.c - proves the organization tree of docs/api.md "Orgs" and the error conventions:
 * create (201, materialized path under the parent), get, list by parent with exact totals and
 * pagination limits (page_size 1..500), search by Chinese substring and by code (LIKE
 * wildcards taken literally), the nested tree, rename, duplicate codes (409), moving a subtree
 * (every descendant's path rewritten) and refusing a move under itself, delete rules (409 when
 * not empty, 204 then 404); and input validation: lengths counted in characters, unknown and
 * read-only fields named, wrong types, malformed JSON and invalid UTF-8 (400), SQL-looking text
 * stored verbatim, unknown routes (404 JSON), bodies over 1 MiB (413), and the error shape
 * {"error":{"code","message","field"}} on every error. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static char *admin;
static int64_t root;
static char root_path[32];

static int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    snprintf(root_path, sizeof root_path, "/%lld/", (long long)root);
    return 0;
}

static int teardown(void **state)
{
    free(admin);
    return server_stop(state);
}

/* GET /orgs/:id (must be 200), caller frees. */
static json_t *get_org(int64_t id)
{
    json_t *j;
    expect_status(api("GET", P("/orgs/%lld", (long long)id), admin, NULL, &j), j, 200);
    return j;
}

static char *path_of(int64_t id)
{
    json_t *j = get_org(id);
    char *p = strdup(jstr(j, "path"));
    json_decref(j);
    return p;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = s ? strlen(s) : 0, m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *repeat(const char *unit, int times)
{
    char *s = malloc(strlen(unit) * (size_t)times + 1);
    s[0] = 0;
    for (int i = 0; i < times; i++) strcat(s, unit);
    return s;
}

static void test_create_child_returns_201_with_path_under_parent(void **state)
{
    (void)state;
    json_t *d;
    expect_status(api("POST", "/orgs", admin,
                      jpack("{s:I, s:s, s:s, s:s}", "parent_id", (json_int_t)root, "type", "district",
                            "name", "渝中区", "code", "500103"), &d), d, 201);
    int64_t id = jint(d, "id");
    assert_true(id > 0);
    assert_int_equal(jint(d, "parent_id"), root);
    assert_string_equal(jstr(d, "type"), "district");
    assert_string_equal(jstr(d, "name"), "渝中区");
    assert_string_equal(jstr(d, "code"), "500103");
    assert_string_equal(jstr(d, "path"), P("%s%lld/", root_path, (long long)id));
    assert_int_equal(jint(d, "depth"), 1);
    assert_true(ends_with(jstr(d, "created_at"), "+08:00"));
    assert_true(ends_with(jstr(d, "updated_at"), "+08:00"));
    json_t *p;
    expect_status(api("POST", "/orgs", admin,
                      jpack("{s:I, s:s, s:s}", "parent_id", (json_int_t)id, "type", "point", "name", "大坪教学点"),
                      &p), p, 201);
    char want[64];
    snprintf(want, sizeof want, "%s%lld/", jstr(d, "path"), (long long)jint(p, "id"));
    assert_string_equal(jstr(p, "path"), want);
    assert_int_equal(strncmp(jstr(p, "path"), jstr(d, "path"), strlen(jstr(d, "path"))), 0);
    assert_int_equal(jint(p, "depth"), 2);
    assert_true(json_is_null(jget(p, "code")));
    /* GET answers the same object */
    json_t *g = get_org(jint(p, "id"));
    assert_true(json_equal(g, p));
    json_decref(g);
    json_decref(p);
    json_decref(d);
}

static void test_list_by_parent_paginates_with_exact_totals(void **state)
{
    (void)state;
    int64_t parent = create_org(admin, root, "district", "分页测试区");
    int64_t kids[7];
    for (int i = 0; i < 7; i++)
        kids[i] = create_org(admin, parent, i < 5 ? "point" : "street", P("分页子节点%d号", i));
    json_t *j;
    int seen = 0;
    for (int page = 1; page <= 4; page++) {
        expect_status(api("GET", P("/orgs?parent_id=%lld&page=%d&page_size=3", (long long)parent, page),
                          admin, NULL, &j), j, 200);
        assert_int_equal(jint(j, "total"), 7);
        assert_int_equal(jint(j, "page"), page);
        assert_int_equal(jint(j, "page_size"), 3);
        json_t *items = jget(j, "items");
        size_t want = page < 3 ? 3 : page == 3 ? 1 : 0;
        assert_int_equal(json_array_size(items), want);
        for (size_t i = 0; i < json_array_size(items); i++, seen++)   /* creation order */
            assert_int_equal(jint(items, P("%zu.id", i)), kids[seen]);
        json_decref(j);
    }
    assert_int_equal(seen, 7);
    assert_int_equal(list_total(admin, P("/orgs?parent_id=%lld&type=point", (long long)parent)), 5);
    assert_int_equal(list_total(admin, P("/orgs?parent_id=%lld&type=street", (long long)parent)), 2);
    expect_status(api("GET", P("/orgs?parent_id=%lld", (long long)parent), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "page"), 1);
    assert_int_equal(jint(j, "page_size"), 50);   /* the default */
    json_decref(j);
    expect_status(api("GET", "/orgs?page_size=500", admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "page_size"), 500);
    json_decref(j);
    expect_api_error("GET", "/orgs?page_size=501", admin, NULL, 422, "invalid_field", "page_size");
    expect_api_error("GET", "/orgs?page_size=0", admin, NULL, 422, "invalid_field", "page_size");
    expect_api_error("GET", "/orgs?page_size=-1", admin, NULL, 422, "invalid_field", "page_size");
    expect_api_error("GET", "/orgs?page_size=ten", admin, NULL, 422, "invalid_field", "page_size");
    expect_api_error("GET", "/orgs?page=0", admin, NULL, 422, "invalid_field", "page");
    expect_api_error("GET", "/orgs?parent_id=x", admin, NULL, 422, "invalid_field", "parent_id");
}

static void test_search_finds_chinese_substrings_and_codes(void **state)
{
    (void)state;
    int64_t d = create_org(admin, root, "district", "搜索测试区");
    int64_t a = create_org(admin, d, "point", "和平社区教学点");
    int64_t b = create_org(admin, d, "street", "和睦街道");
    expect_status(api("PATCH", P("/orgs/%lld", (long long)b), admin, jpack("{s:s}", "code", "HM_street-9"), NULL),
                  NULL, 200);
    json_t *j;
    char *q = urlenc("和平");
    expect_status(api("GET", P("/orgs?q=%s", q), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "total"), 1);
    assert_int_equal(jint(j, "items.0.id"), a);
    json_decref(j);
    free(q);
    q = urlenc("和");
    assert_int_equal(list_total(admin, P("/orgs?parent_id=%lld&q=%s", (long long)d, q)), 2);
    free(q);
    assert_int_equal(list_total(admin, "/orgs?q=HM_street"), 1);       /* by code */
    /* LIKE wildcards are literal text: no name or code holds them */
    assert_int_equal(list_total(admin, "/orgs?q=%25"), 0);
    assert_int_equal(list_total(admin, "/orgs?q=_"), 1);                 /* only HM_street-9 */
    q = urlenc("不存在的名字");
    assert_int_equal(list_total(admin, P("/orgs?q=%s", q)), 0);
    free(q);
}

static int count_nodes(json_t *node)
{
    int n = 1;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(node, "children"), i, c) n += count_nodes(c);
    return n;
}

static void test_tree_nests_children(void **state)
{
    (void)state;
    int64_t d = create_org(admin, root, "district", "树测试区");
    int64_t s = create_org(admin, d, "street", "树测试街道");
    int64_t p1 = create_org(admin, s, "point", "树测试点一");
    int64_t p2 = create_org(admin, s, "point", "树测试点二");
    int64_t s2 = create_org(admin, d, "street", "树测试街道二");
    json_t *j;
    expect_status(api("GET", P("/orgs/%lld/tree", (long long)d), admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "id"), d);
    assert_string_equal(jstr(j, "name"), "树测试区");
    assert_int_equal(json_array_size(jget(j, "children")), 2);
    assert_int_equal(jint(j, "children.0.id"), s);
    assert_int_equal(jint(j, "children.1.id"), s2);
    assert_int_equal(json_array_size(jget(j, "children.0.children")), 2);
    assert_int_equal(jint(j, "children.0.children.0.id"), p1);
    assert_int_equal(jint(j, "children.0.children.1.id"), p2);
    assert_int_equal(jint(j, "children.0.children.0.parent_id"), s);
    assert_int_equal(json_array_size(jget(j, "children.0.children.0.children")), 0);
    assert_int_equal(count_nodes(j), 5);
    json_decref(j);
    /* the forest: one root for the admin, holding everything */
    expect_status(api("GET", "/orgs/tree", admin, NULL, &j), j, 200);
    assert_int_equal(json_array_size(jget(j, "items")), 1);
    assert_int_equal(jint(j, "items.0.id"), root);
    assert_int_equal(count_nodes(jget(j, "items.0")), (int)list_total(admin, "/orgs?page_size=1"));
    json_decref(j);
    expect_api_error("GET", "/orgs/99999999/tree", admin, NULL, 404, "not_found", "*");
}

static void test_rename_and_code_changes(void **state)
{
    (void)state;
    int64_t d = create_org(admin, root, "district", "旧名区");
    json_t *j;
    expect_status(api("PATCH", P("/orgs/%lld", (long long)d), admin,
                      jpack("{s:s, s:s, s:s}", "name", "新名区", "code", "NEW-1", "type", "unit"), &j), j, 200);
    assert_string_equal(jstr(j, "name"), "新名区");
    assert_string_equal(jstr(j, "code"), "NEW-1");
    assert_string_equal(jstr(j, "type"), "unit");
    assert_int_equal(jint(j, "parent_id"), root);
    json_decref(j);
    j = get_org(d);
    assert_string_equal(jstr(j, "name"), "新名区");
    json_decref(j);
    expect_status(api("PATCH", P("/orgs/%lld", (long long)d), admin, jpack("{s:n}", "code"), &j), j, 200);
    assert_true(json_is_null(jget(j, "code")));   /* null clears the code */
    assert_string_equal(jstr(j, "name"), "新名区");
    json_decref(j);
    expect_api_error("PATCH", P("/orgs/%lld", (long long)d), admin, jpack("{s:s}", "code", "has space"), 422,
                     "invalid_field", "code");
    char *c33 = repeat("C", 33);
    expect_api_error("PATCH", P("/orgs/%lld", (long long)d), admin, jpack("{s:s}", "code", c33), 422,
                     "invalid_field", "code");
    free(c33);
    expect_api_error("PATCH", P("/orgs/%lld", (long long)d), admin, jpack("{s:s}", "name", ""), 422,
                     "invalid_field", "name");
    expect_api_error("PATCH", "/orgs/99999999", admin, jpack("{s:s}", "name", "x"), 404, "not_found", "*");
}

static void test_duplicate_code_is_409(void **state)
{
    (void)state;
    int64_t a = create_org(admin, root, "district", "代码甲区");
    int64_t b = create_org(admin, root, "district", "代码乙区");
    expect_status(api("PATCH", P("/orgs/%lld", (long long)a), admin, jpack("{s:s}", "code", "DUP-7"), NULL),
                  NULL, 200);
    expect_api_error("PATCH", P("/orgs/%lld", (long long)b), admin, jpack("{s:s}", "code", "DUP-7"), 409,
                     "duplicate_code", "code");
    expect_api_error("POST", "/orgs", admin,
                     jpack("{s:I, s:s, s:s, s:s}", "parent_id", (json_int_t)root, "type", "unit", "name", "代码丙",
                           "code", "DUP-7"), 409, "duplicate_code", "code");
    /* nothing half-created: the name is not in the tree */
    char *q = urlenc("代码丙");
    assert_int_equal(list_total(admin, P("/orgs?q=%s", q)), 0);
    free(q);
    /* a code can be reused once freed */
    expect_status(api("PATCH", P("/orgs/%lld", (long long)a), admin, jpack("{s:n}", "code"), NULL), NULL, 200);
    expect_status(api("PATCH", P("/orgs/%lld", (long long)b), admin, jpack("{s:s}", "code", "DUP-7"), NULL),
                  NULL, 200);
}

static void test_move_rewrites_the_paths_of_the_whole_subtree(void **state)
{
    (void)state;
    int64_t a = create_org(admin, root, "district", "迁出区");
    int64_t b = create_org(admin, root, "district", "迁入区");
    int64_t s = create_org(admin, a, "street", "迁移街道");
    int64_t p1 = create_org(admin, s, "point", "迁移点一");
    int64_t p2 = create_org(admin, s, "point", "迁移点二");
    int64_t u = create_org(admin, p1, "unit", "迁移单位");
    char *bpath = path_of(b);
    json_t *j;
    expect_status(api("PATCH", P("/orgs/%lld", (long long)s), admin, jpack("{s:I}", "parent_id", (json_int_t)b),
                      &j), j, 200);
    char spath[96];
    snprintf(spath, sizeof spath, "%s%lld/", bpath, (long long)s);
    assert_string_equal(jstr(j, "path"), spath);
    assert_int_equal(jint(j, "parent_id"), b);
    assert_int_equal(jint(j, "depth"), 2);
    json_decref(j);
    int64_t below[] = {p1, p2, u};
    const char *want[] = {P("%s%lld/", spath, (long long)p1), P("%s%lld/", spath, (long long)p2),
                          P("%s%lld/%lld/", spath, (long long)p1, (long long)u)};
    int depth[] = {3, 3, 4};
    for (int i = 0; i < 3; i++) {
        j = get_org(below[i]);
        assert_string_equal(jstr(j, "path"), want[i]);
        assert_int_equal(jint(j, "depth"), depth[i]);
        json_decref(j);
    }
    assert_int_equal(list_total(admin, P("/orgs?parent_id=%lld", (long long)a)), 0);
    assert_int_equal(list_total(admin, P("/orgs?parent_id=%lld", (long long)b)), 1);
    expect_status(api("GET", P("/orgs/%lld/tree", (long long)b), admin, NULL, &j), j, 200);
    assert_int_equal(count_nodes(j), 5);
    json_decref(j);
    free(bpath);
}

static void test_move_rejects_own_descendant_and_self(void **state)
{
    (void)state;
    int64_t a = create_org(admin, root, "district", "环路区");
    int64_t s = create_org(admin, a, "street", "环路街道");
    int64_t p = create_org(admin, s, "point", "环路点");
    char *before = path_of(p);
    expect_api_error("PATCH", P("/orgs/%lld", (long long)a), admin, jpack("{s:I}", "parent_id", (json_int_t)p),
                     409, "move_into_descendant", "*");
    expect_api_error("PATCH", P("/orgs/%lld", (long long)a), admin, jpack("{s:I}", "parent_id", (json_int_t)s),
                     409, "move_into_descendant", "*");
    expect_api_error("PATCH", P("/orgs/%lld", (long long)a), admin, jpack("{s:I}", "parent_id", (json_int_t)a),
                     409, "move_into_descendant", "*");
    char *after = path_of(p);
    assert_string_equal(before, after);
    free(before);
    free(after);
    expect_api_error("PATCH", P("/orgs/%lld", (long long)s), admin,
                     jpack("{s:I}", "parent_id", (json_int_t)99999999), 404, "not_found", "parent_id");
    /* a missing node is a plain 404 whatever its body names; a missing parent of a new node names it */
    expect_api_error("PATCH", "/orgs/99999999", admin, jpack("{s:I}", "parent_id", (json_int_t)a), 404, "not_found", NULL);
    expect_api_error("POST", "/orgs", admin,
                     jpack("{s:I, s:s, s:s}", "parent_id", (json_int_t)99999999, "type", "street", "name", "无上级街道"),
                     404, "not_found", "parent_id");
    /* the root stays the root */
    expect_api_error("PATCH", P("/orgs/%lld", (long long)root), admin, jpack("{s:I}", "parent_id", (json_int_t)a),
                     403, "forbidden", "*");
}

static void test_delete_refuses_non_empty_and_removes_empty(void **state)
{
    (void)state;
    int64_t d = create_org(admin, root, "district", "删除测试区");
    int64_t p = create_org(admin, d, "point", "删除测试点");
    int64_t h = create_org(admin, root, "point", "有用户的点");
    create_user(admin, "homed_at_h", h, "volunteer", "self", 0);
    expect_api_error("DELETE", P("/orgs/%lld", (long long)d), admin, NULL, 409, "org_not_empty", "*");
    expect_api_error("DELETE", P("/orgs/%lld", (long long)h), admin, NULL, 409, "org_not_empty", "*");
    expect_status(api("DELETE", P("/orgs/%lld", (long long)p), admin, NULL, NULL), NULL, 204);
    expect_api_error("GET", P("/orgs/%lld", (long long)p), admin, NULL, 404, "not_found", "*");
    expect_api_error("DELETE", P("/orgs/%lld", (long long)p), admin, NULL, 404, "not_found", "*");
    expect_status(api("DELETE", P("/orgs/%lld", (long long)d), admin, NULL, NULL), NULL, 204);   /* now empty */
    expect_api_error("GET", P("/orgs/%lld", (long long)d), admin, NULL, 404, "not_found", "*");
}

/* Issue 12 item 6: a district admin PATCHed its own district to {"type":"city"} and got 200 (the
 * city's report completeness then silently dropped the district). Its own type, code and name
 * are now the parent's business; the children below it stay its own. */
static void test_district_admin_cannot_retype_or_rename_its_own_district(void **state)
{
    (void)state;
    int64_t city = create_org(admin, root, "city", "自改城市");
    int64_t district = create_org(admin, city, "district", "自改区");
    int64_t street = create_org(admin, district, "street", "自改街道");
    create_user(admin, "own_da", district, "org_admin", "subtree", 0);
    char *da = login("own_da", USER_PASSWORD);
    const char *own = P("/orgs/%lld", (long long)district);
    expect_api_error("PATCH", own, da, jpack("{s:s}", "type", "city"), 403, "forbidden", NULL);
    expect_api_error("PATCH", own, da, jpack("{s:s}", "name", "改名"), 403, "forbidden", NULL);
    expect_api_error("PATCH", own, da, jpack("{s:s}", "code", "OWN-1"), 403, "forbidden", NULL);
    expect_api_error("PATCH", P("/orgs/%lld", (long long)city), da, jpack("{s:s}", "name", "x"), 404, "not_found", "*");
    json_t *j = get_org(district);
    assert_string_equal(jstr(j, "type"), "district");
    assert_string_equal(jstr(j, "name"), "自改区");
    assert_true(json_is_null(jget(j, "code")));
    json_decref(j);
    /* sending the unchanged values is no change (a form saving the whole node) */
    expect_status(api("PATCH", own, da, jpack("{s:s, s:s}", "type", "district", "name", "自改区"), &j), j, 200);
    json_decref(j);
    /* below its own node it still manages as before */
    expect_status(api("PATCH", P("/orgs/%lld", (long long)street), da,
                      jpack("{s:s, s:s, s:s}", "type", "point", "name", "新街道", "code", "OWN-2"), &j), j, 200);
    assert_string_equal(jstr(j, "type"), "point");
    json_decref(j);
    /* the city's admin (scope over the parent) may */
    expect_status(api("PATCH", own, admin, jpack("{s:s, s:s}", "name", "区新名", "code", "OWN-3"), &j), j, 200);
    assert_string_equal(jstr(j, "name"), "区新名");
    json_decref(j);
    create_user(admin, "own_ca", city, "org_admin", "subtree", 0);
    char *ca = login("own_ca", USER_PASSWORD);
    expect_status(api("PATCH", own, ca, jpack("{s:s}", "name", "城市管理员改名"), &j), j, 200);
    json_decref(j);
    expect_api_error("PATCH", P("/orgs/%lld", (long long)city), ca, jpack("{s:s}", "type", "district"), 403,
                     "forbidden", NULL);
    free(ca);
    free(da);
}

/* ?org_id= narrows the list to a subtree; an org outside the caller's scope is 404 like a
 * missing one (never an empty list that would look like "no children"). */
static void test_list_by_org_id_is_a_subtree_and_404_outside_scope(void **state)
{
    (void)state;
    int64_t city = create_org(admin, root, "city", "子树城市");
    int64_t district = create_org(admin, city, "district", "子树区");
    create_org(admin, district, "street", "子树街道");
    int64_t other = create_org(admin, root, "city", "另一城市");
    assert_int_equal(list_total(admin, P("/orgs?org_id=%lld", (long long)city)), 3);
    assert_int_equal(list_total(admin, P("/orgs?org_id=%lld", (long long)district)), 2);
    create_user(admin, "subtree_da", district, "org_admin", "subtree", 0);
    char *da = login("subtree_da", USER_PASSWORD);
    assert_int_equal(list_total(da, P("/orgs?org_id=%lld", (long long)district)), 2);
    expect_api_error("GET", P("/orgs?org_id=%lld", (long long)other), da, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", P("/orgs?org_id=%lld", (long long)city), da, NULL, 404, "not_found", "org_id");
    expect_api_error("GET", "/orgs?org_id=999999", da, NULL, 404, "not_found", "org_id");
    free(da);
}

static void test_create_validates_every_field(void **state)
{
    (void)state;
    json_int_t r = (json_int_t)root;
    char *ok100 = repeat("科", 100), *bad101 = repeat("科", 101), *ascii101 = repeat("a", 101);
    expect_api_error("POST", "/orgs", admin, jpack("{s:I, s:s, s:s}", "parent_id", r, "type", "point", "name", ""),
                     422, "invalid_field", "name");
    expect_api_error("POST", "/orgs", admin,
                     jpack("{s:I, s:s, s:s}", "parent_id", r, "type", "point", "name", bad101), 422,
                     "invalid_field", "name");
    expect_api_error("POST", "/orgs", admin,
                     jpack("{s:I, s:s, s:s}", "parent_id", r, "type", "point", "name", ascii101), 422,
                     "invalid_field", "name");
    json_t *j;
    expect_status(api("POST", "/orgs", admin, jpack("{s:I, s:s, s:s}", "parent_id", r, "type", "point", "name", ok100),
                      &j), j, 201);   /* 100 characters = 300 bytes: characters count */
    assert_string_equal(jstr(j, "name"), ok100);
    json_decref(j);
    expect_api_error("POST", "/orgs", admin, jpack("{s:I, s:s, s:s}", "parent_id", r, "type", "castle", "name", "x"),
                     422, "invalid_field", "type");
    expect_api_error("POST", "/orgs", admin, jpack("{s:I, s:s}", "parent_id", r, "name", "x"), 422, "required", "type");
    expect_api_error("POST", "/orgs", admin, jpack("{s:I, s:s}", "parent_id", r, "type", "point"), 422, "required", "name");
    expect_api_error("POST", "/orgs", admin, jpack("{s:s, s:s}", "type", "point", "name", "x"), 422, "required",
                     "parent_id");
    expect_api_error("POST", "/orgs", admin,
                     jpack("{s:I, s:s, s:s, s:i}", "parent_id", r, "type", "point", "name", "x", "color", 1), 422,
                     "unknown_field", "color");
    const char *read_only[] = {"path", "id", "depth", "created_at", "updated_at"};
    for (size_t i = 0; i < sizeof read_only / sizeof *read_only; i++)
        expect_api_error("POST", "/orgs", admin,
                         jpack("{s:I, s:s, s:s, s:s}", "parent_id", r, "type", "point", "name", "x", read_only[i], "9"),
                         422, "read_only_field", read_only[i]);
    expect_api_error("POST", "/orgs", admin, jpack("{s:I, s:s, s:i}", "parent_id", r, "type", "point", "name", 5), 422,
                     "invalid_field", "name");
    expect_api_error("POST", "/orgs", admin, jpack("{s:s, s:s, s:s}", "parent_id", "1", "type", "point", "name", "x"),
                     422, "invalid_field", "parent_id");
    expect_api_error("POST", "/orgs", admin, jpack("{s:f, s:s, s:s}", "parent_id", 1.5, "type", "point", "name", "x"),
                     422, "invalid_field", "parent_id");
    expect_api_error("POST", "/orgs", admin, jpack("{s:I, s:i, s:s}", "parent_id", r, "type", 3, "name", "x"), 422,
                     "invalid_field", "type");
    expect_api_error("POST", "/orgs", admin,
                     jpack("{s:I, s:s, s:s}", "parent_id", (json_int_t)99999999, "type", "point", "name", "x"), 404,
                     "not_found", "parent_id");
    /* PATCH names unknown and read-only fields the same way */
    expect_api_error("PATCH", P("/orgs/%lld", (long long)root), admin, jpack("{s:s}", "path", "/1/"), 422,
                     "read_only_field", "path");
    expect_api_error("PATCH", P("/orgs/%lld", (long long)root), admin, jpack("{s:i}", "id", 7), 422,
                     "read_only_field", "id");
    expect_api_error("PATCH", P("/orgs/%lld", (long long)root), admin, jpack("{s:s}", "colour", "red"), 422,
                     "unknown_field", "colour");
    free(ok100);
    free(bad101);
    free(ascii101);
}

/* Issue 12: an org name with a right-to-left override or a zero-width space is refused (422,
 * field name) on create and on rename. */
static void test_org_names_refuse_bidi_and_zero_width_controls(void **state)
{
    (void)state;
    int64_t d = create_org(admin, root, "district", "控制字符区");
    const char *bad[] = {"\u202E区协科", "渝中\u200B区", "a\u2067b\u2069", "\uFEFF渝北区", "a\u200Db"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        json_t *j;
        expect_error(api("POST", "/orgs", admin, jpack("{s:I, s:s, s:s}", "parent_id", (json_int_t)root, "type",
                                                        "point", "name", bad[i]), &j),
                     j, 422, "invalid_field", "name");
        assert_non_null(strstr(jstr(j, "error.message"), "控制字符"));
        json_decref(j);
        expect_api_error("PATCH", P("/orgs/%lld", (long long)d), admin, jpack("{s:s}", "name", bad[i]), 422,
                         "invalid_field", "name");
    }
    json_t *j = get_org(d);
    assert_string_equal(jstr(j, "name"), "控制字符区");
    json_decref(j);
}

static void test_malformed_json_and_invalid_utf8_are_400(void **state)
{
    (void)state;
    json_t *j;
    const char *malformed[] = {"{bad", "{\"name\":}", "{}x", "nul", "{\"name\":\"unterminated}"};
    for (size_t i = 0; i < sizeof malformed / sizeof *malformed; i++) {
        expect_error(api_text("POST", "/orgs", admin, malformed[i], &j), j, 400, "malformed_json", "*");
        json_decref(j);
    }
    expect_error(api_text("POST", "/orgs", admin, "[1,2]", &j), j, 400, "bad_request", "*");   /* not an object */
    json_decref(j);
    const char *bad_utf8[] = {
        "{\"parent_id\":1,\"type\":\"point\",\"name\":\"\xff\xfe\"}",          /* never UTF-8 */
        "{\"parent_id\":1,\"type\":\"point\",\"name\":\"\xc0\xaf\"}",          /* overlong '/' */
        "{\"parent_id\":1,\"type\":\"point\",\"name\":\"\xed\xa0\x80\"}",      /* a surrogate */
        "{\"parent_id\":1,\"type\":\"point\",\"name\":\"\xe7\xa7\"}",          /* cut short */
    };
    for (size_t i = 0; i < sizeof bad_utf8 / sizeof *bad_utf8; i++) {
        expect_error(api_text("POST", "/orgs", admin, bad_utf8[i], &j), j, 400, "invalid_utf8", "*");
        json_decref(j);
    }
}

static void test_sql_looking_and_special_text_is_stored_verbatim(void **state)
{
    (void)state;
    const char *names[] = {"'); DROP TABLE orgs;--", "\" OR 1=1 --", "引号\"反斜杠\\表情😀", "<script>alert(1)</script>"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        json_t *j;
        expect_status(api("POST", "/orgs", admin,
                          jpack("{s:I, s:s, s:s}", "parent_id", (json_int_t)root, "type", "unit", "name", names[i]), &j),
                      j, 201);
        assert_string_equal(jstr(j, "name"), names[i]);
        int64_t id = jint(j, "id");
        json_decref(j);
        j = get_org(id);
        assert_string_equal(jstr(j, "name"), names[i]);
        json_decref(j);
    }
    char *q = urlenc("DROP TABLE");
    assert_int_equal(list_total(admin, P("/orgs?q=%s", q)), 1);
    free(q);
    assert_true(list_total(admin, "/orgs") > 4);   /* the table is still there */
}

static void test_unknown_routes_and_methods_answer_json_errors(void **state)
{
    (void)state;
    expect_api_error("GET", "/no-such-thing", admin, NULL, 404, "not_found", NULL);
    expect_api_error("GET", "/no-such-thing", NULL, NULL, 404, "not_found", NULL);
    expect_api_error("GET", "/orgs/abc", admin, NULL, 404, "not_found", "*");
    expect_api_error("GET", "/orgs/0", admin, NULL, 404, "not_found", "*");
    expect_api_error("GET", "/orgs/99999999", admin, NULL, 404, "not_found", "*");
    expect_api_error("PUT", "/orgs", admin, NULL, 405, "method_not_allowed", NULL);
    expect_api_error("DELETE", "/orgs", admin, NULL, 405, "method_not_allowed", NULL);
    http_resp r;
    assert_int_equal(api_full("GET", "/no-such-thing", admin, NULL, &r), 404);
    char *ct = resp_header(&r, "Content-Type");
    assert_non_null(ct);
    assert_non_null(strstr(ct, "application/json"));
    free(ct);
    http_resp_free(&r);
}

static void test_body_over_one_mebibyte_is_413(void **state)
{
    (void)state;
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
    const char *headers[] = {auth, "Content-Type: application/json", NULL};
    size_t limit = 1024 * 1024;
    /* exactly 1 MiB: a valid body padded with spaces is accepted */
    char *body = malloc(limit + 2);
    int n = snprintf(body, limit, "{\"parent_id\":%lld,\"type\":\"point\",\"name\":\"一兆字节\"}", (long long)root);
    memset(body + n, ' ', limit - (size_t)n);
    http_resp r;
    http("POST", API_BASE "/orgs", headers, body, limit, &r);
    expect_status(r.status, r.json, 201);
    http_resp_free(&r);
    /* one byte more */
    body[limit] = ' ';
    http("POST", API_BASE "/orgs", headers, body, limit + 1, &r);
    expect_error(r.status, r.json, 413, "body_too_large", "*");
    http_resp_free(&r);
    free(body);
    size_t big = 3 * limit;
    body = malloc(big);
    memset(body, ' ', big);
    http("POST", API_BASE "/orgs", headers, body, big, &r);
    expect_error(r.status, r.json, 413, "body_too_large", "*");
    http_resp_free(&r);
    /* without a Content-Length (chunked), the cap holds as well */
    const char *chunked[] = {auth, "Content-Type: application/json", "Transfer-Encoding: chunked", NULL};
    http("POST", API_BASE "/orgs", chunked, body, big, &r);
    expect_error(r.status, r.json, 413, "body_too_large", "*");
    http_resp_free(&r);
    free(body);
    expect_status(api("GET", "/health", NULL, NULL, NULL), NULL, 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_child_returns_201_with_path_under_parent),
        cmocka_unit_test(test_list_by_parent_paginates_with_exact_totals),
        cmocka_unit_test(test_search_finds_chinese_substrings_and_codes),
        cmocka_unit_test(test_tree_nests_children),
        cmocka_unit_test(test_rename_and_code_changes),
        cmocka_unit_test(test_duplicate_code_is_409),
        cmocka_unit_test(test_move_rewrites_the_paths_of_the_whole_subtree),
        cmocka_unit_test(test_move_rejects_own_descendant_and_self),
        cmocka_unit_test(test_delete_refuses_non_empty_and_removes_empty),
        cmocka_unit_test(test_district_admin_cannot_retype_or_rename_its_own_district),
        cmocka_unit_test(test_list_by_org_id_is_a_subtree_and_404_outside_scope),
        cmocka_unit_test(test_create_validates_every_field),
        cmocka_unit_test(test_org_names_refuse_bidi_and_zero_width_controls),
        cmocka_unit_test(test_malformed_json_and_invalid_utf8_are_400),
        cmocka_unit_test(test_sql_looking_and_special_text_is_stored_verbatim),
        cmocka_unit_test(test_unknown_routes_and_methods_answer_json_errors),
        cmocka_unit_test(test_body_over_one_mebibyte_is_413),
    };
    return run_api_tests(tests, setup, teardown);
}
