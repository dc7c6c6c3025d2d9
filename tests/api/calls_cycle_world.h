/* calls_cycle_world.h - the world and the steps the builtin templates' cycle tests share
 * (test_calls_templates.c, test_calls_cycles.c): a city with seven districts; in district A a
 * point, a society, a base and a school, in district B a point, a rural society (农技协) and a
 * school, each with a staff user logged in; five reviewers in districts C to G (no entrant's);
 * and the steps of a cycle through the API: open a call copied from a builtin template, enter
 * valid values, submit, score, decide, 公示 and finalize. Static definitions: include it in one
 * test program only, after harness.h and cmocka.h. */
#ifndef KEPU_CALLS_CYCLE_WORLD_H
#define KEPU_CALLS_CYCLE_WORLD_H

/* Every helper is used by one of the two programs at least, not each by both. */
#define CYCLE_HELPER static __attribute__((unused))

static const char *const codes[] = {"demo_point", "lecture_collection", "key_project", "base", "youth_contest",
                                    "excellent_teacher", "rural_top10", "excellent_work", "recertification",
                                    "premium_resource", NULL};
#define NCODES 10

enum { U_POINT_A, U_POINT_B, U_SOCIETY, U_BASE, U_UNIT, U_DISTRICT, U_SOCIETY_B, U_UNIT_B, NUNITS };
#define NDIST 7
#define NREV 5
static char *admin, *dist_admin[2], *unit_tok[NUNITS], *rev_tok[NREV];
static int64_t root, dist[NDIST], unit_org[NUNITS], rev_user[NREV];

CYCLE_HELPER int setup(void **state)
{
    if (server_start(state) != 0) return -1;
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    const char *dn[NDIST] = {"模板甲区", "模板乙区", "模板丙区", "模板丁区", "模板戊区", "模板己区", "模板庚区"};
    for (int i = 0; i < NDIST; i++) dist[i] = create_org(admin, root, "district", dn[i]);
    unit_org[U_POINT_A] = create_org(admin, dist[0], "point", "甲区教学点");
    unit_org[U_POINT_B] = create_org(admin, dist[1], "point", "乙区教学点");
    unit_org[U_SOCIETY] = create_org(admin, dist[0], "society", "甲区科普学会");
    unit_org[U_BASE] = create_org(admin, dist[0], "base", "甲区科普基地");
    unit_org[U_UNIT] = create_org(admin, dist[0], "unit", "甲区一中");
    unit_org[U_DISTRICT] = dist[0];
    unit_org[U_SOCIETY_B] = create_org(admin, dist[1], "society", "乙区农技协");
    unit_org[U_UNIT_B] = create_org(admin, dist[1], "unit", "乙区二中");
    for (int i = 0; i < NUNITS; i++) {
        create_user(admin, P("tpl_u%d", i), unit_org[i], "staff", "org", 0);
        unit_tok[i] = login(P("tpl_u%d", i), USER_PASSWORD);
    }
    for (int i = 0; i < 2; i++) {   /* the admins of districts A and B (they certify their teachers) */
        create_user(admin, P("tpl_d%d", i), dist[i], "org_admin", "subtree", 0);
        dist_admin[i] = login(P("tpl_d%d", i), USER_PASSWORD);
    }
    for (int i = 0; i < NREV; i++) {   /* reviewers of districts C to G: no entrant's */
        rev_user[i] = create_user(admin, P("tpl_r%d", i), dist[2 + i], "staff", "org", 0);
        rev_tok[i] = login(P("tpl_r%d", i), USER_PASSWORD);
    }
    return 0;
}

CYCLE_HELPER int teardown(void **state)
{
    free(admin), free(dist_admin[0]), free(dist_admin[1]);
    for (int i = 0; i < NUNITS; i++) free(unit_tok[i]);
    for (int i = 0; i < NREV; i++) free(rev_tok[i]);
    return server_stop(state);
}

/* The builtin template of code (the caller decrefs). */
CYCLE_HELPER json_t *builtin(const char *code)
{
    json_t *j = NULL, *it, *out = NULL;
    size_t i;
    expect_status(api("GET", "/call-templates?page_size=100", unit_tok[U_POINT_A], NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), i, it) if (!strcmp(jstr(it, "code"), code)) out = json_incref(it);
    json_decref(j);
    assert_non_null(out);
    return out;
}

/* The unit that enters a call of the template: one of its first eligible type. */
CYCLE_HELPER int entrant_of(const char *code)
{
    json_t *t = builtin(code);
    const char *type = json_string_value(json_array_get(json_object_get(jget(t, "config"), "eligible_types"), 0));
    static const char *const types[NUNITS] = {"point", "point", "society", "base", "unit", "district", "society", "unit"};
    int who = U_UNIT;   /* no types: any unit */
    for (int i = NUNITS - 1; type && i >= 0; i--) if (!strcmp(types[i], type)) who = i;
    json_decref(t);
    return who;
}

/* A draft call of the builtin template (its form and stages copied), opened. */
CYCLE_HELPER int64_t opened_call(const char *code, const char *deadline)
{
    json_t *t = builtin(code), *j = NULL;
    expect_status(api("POST", "/calls", admin,
                      jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)jint(t, "id"), "org_id", (json_int_t)root,
                            "year", 2026, "title", P("2026年%s", jstr(t, "name")), "deadline", deadline), &j), j, 201);
    int64_t id = jint(j, "id");
    assert_string_equal(jstr(j, "template_code"), code);
    assert_true(json_equal(jget(j, "form"), json_object_get(jget(t, "config"), "form")));
    assert_true(json_equal(jget(j, "stages"), json_object_get(jget(t, "config"), "stages")));
    assert_int_equal(jint(j, "max_per_unit"), json_integer_value(json_object_get(jget(t, "config"), "max_per_unit")));
    assert_true(json_equal(jget(j, "review"), json_object_get(jget(t, "config"), "review")) ||
                !json_object_get(jget(t, "config"), "review"));
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)id), admin, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "open");
    json_decref(j);
    json_decref(t);
    return id;
}

/* A scalar value for a definition (rows' columns too). */
CYCLE_HELPER json_t *scalar(json_t *d)
{
    const char *t = json_string_value(json_object_get(d, "type"));
    if (!strcmp(t, "number")) return json_integer(12);
    if (!strcmp(t, "money")) return json_integer(5000);
    if (!strcmp(t, "date")) return json_string("2026-05-01");
    if (!strcmp(t, "choice")) return json_incref(json_array_get(json_object_get(d, "options"), 0));
    return json_string("测试内容");
}

/* The pool person a person field names (0: a name typed instead): set before draft() for a call
 * whose entrants are persons. */
static int64_t person_value;

/* Values every field of the form accepts: checklist items answered (not claimed: no evidence
 * files needed), one row, a typed person; files and figures left out (none is required). */
CYCLE_HELPER json_t *valid_values(json_t *form)
{
    json_t *values = json_object(), *d, *x;
    size_t i, k;
    json_array_foreach(form, i, d) {
        const char *t = json_string_value(json_object_get(d, "type")), *key = json_string_value(json_object_get(d, "key"));
        json_t *v = NULL;
        if (!strcmp(t, "figure") || !strcmp(t, "file") || !strcmp(t, "photo") || !strcmp(t, "node")) {
            assert_false(json_is_true(json_object_get(d, "required")));
        } else if (!strcmp(t, "person")) {
            v = person_value ? json_pack("{s:I}", "id", (json_int_t)person_value) : json_pack("{s:s}", "name", "张三");
        } else if (!strcmp(t, "checklist")) {
            v = json_object();
            json_array_foreach(json_object_get(d, "items"), k, x)
                json_object_set_new(v, json_string_value(json_object_get(x, "key")), json_pack("{s:b}", "ok", 0));
        } else if (!strcmp(t, "rows")) {
            json_t *row = json_object();
            json_array_foreach(json_object_get(d, "columns"), k, x)
                json_object_set_new(row, json_string_value(json_object_get(x, "key")), scalar(x));
            v = json_pack("[o]", row);
        } else {
            v = scalar(d);
        }
        if (v) json_object_set_new(values, key, v);
    }
    return values;
}

/* A teacher of the pool at unit u (of district A or B), filed by the city after its district
 * certified it; its id. */
CYCLE_HELPER int64_t pool_teacher(int u, const char *name)
{
    static int seq;
    json_t *j = NULL;
    expect_status(api("POST", "/teachers", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:s}", "org_id", (json_int_t)unit_org[u], "name", name, "unit", "市第一中学",
                            "id_number", test_id_number(8000 + seq, seq), "phone", "13800004321"), &j), j, 201);
    seq++;
    int64_t id = jint(j, "id");
    json_decref(j);
    const char *steps[3] = {"propose", "certify", "file"};
    const char *who[3] = {admin, dist_admin[u == U_POINT_B || u == U_SOCIETY_B || u == U_UNIT_B], admin};
    for (int i = 0; i < 3; i++) {
        expect_status(api("POST", P("/teachers/%lld/%s", (long long)id, steps[i]), who[i], NULL, &j), j, 200);
        json_decref(j);
    }
    return id;
}

/* An approved resource of the library uploaded at unit u (issue 18: the premium_resource
 * template's pool); its id. */
CYCLE_HELPER int64_t pool_resource(int u, const char *title)
{
    static const char png[] = {(char)0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                               0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};
    json_t *j = NULL;
    expect_status(api("POST", "/resources", admin,
                      jpack("{s:I, s:s, s:s}", "org_id", (json_int_t)unit_org[u], "title", title, "kind", "images"), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    char auth[512];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", admin);
    const char *headers[] = {auth, "X-File-Name: a.png", "Content-Type: application/octet-stream", NULL};
    http_resp resp;
    assert_int_equal(http("POST", P(API_BASE "/resources/%lld/versions", (long long)id), headers, png, sizeof png, &resp), 201);
    http_resp_free(&resp);
    expect_status(api("POST", P("/resources/%lld/submit", (long long)id), admin, NULL, &j), j, 200);
    json_decref(j);
    const char *district = dist_admin[u == U_POINT_B || u == U_SOCIETY_B || u == U_UNIT_B];
    expect_status(api("POST", P("/resources/%lld/review", (long long)id), district, jpack("{s:s}", "decision", "approve"), &j), j, 200);
    json_decref(j);
    return id;
}

/* A draft of unit u in call with valid values; returns its id. */
CYCLE_HELPER int64_t draft(int64_t call, int u, const char *title)
{
    json_t *j = NULL;
    expect_status(api("GET", P("/calls/%lld", (long long)call), unit_tok[u], NULL, &j), j, 200);
    json_t *values = valid_values(jget(j, "form"));
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/entries", (long long)call), unit_tok[u],
                      jpack("{s:s, s:o}", "title", title, "values", values), &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    return id;
}

/* A submitted entry of unit u in call; returns its id. */
CYCLE_HELPER int64_t submitted(int64_t call, int u, const char *title)
{
    json_t *j = NULL;
    int64_t id = draft(call, u, title);
    expect_status(api("POST", P("/entries/%lld/submit", (long long)id), unit_tok[u], NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "submitted");
    json_decref(j);
    return id;
}

/* Ends the open 公示 of call now (with a reason), then finalizes it. */
CYCLE_HELPER void publicize_and_finalize(int64_t call) { call_publicize_and_finalize(admin, call); }

CYCLE_HELPER void decide(int64_t entry, const char *outcome, const char *level)
{
    json_t *j = NULL;
    json_t *body = level ? jpack("{s:s, s:s, s:s}", "outcome", outcome, "award_level", level, "reason", "综合评定")
                         : jpack("{s:s, s:s}", "outcome", outcome, "reason", "采用");
    expect_status(api("POST", P("/entries/%lld/decide", (long long)entry), admin, body, &j), j, 200);
    assert_string_equal(jstr(j, "outcome"), outcome);
    json_decref(j);
}

CYCLE_HELPER int64_t metric(int64_t org, const char *name) { return metric_this_year(admin, org, name); }

CYCLE_HELPER int64_t sheet_of(int64_t call, int64_t entry, int r) { return review_sheet_of(admin, call, entry, rev_user[r]); }

/* Reviewer r's sheet of entry in call, every criterion scored pct percent of its maximum (in
 * whole tenths, as the API takes them), submitted. */
CYCLE_HELPER void score_pct(int64_t call, int64_t entry, int r, int pct)
{
    json_t *c, *scores = json_object(), *j = NULL;
    size_t i;
    expect_status(api("GET", P("/calls/%lld", (long long)call), admin, NULL, &j), j, 200);
    json_array_foreach(jget(j, "review.criteria"), i, c)
        json_object_set_new(scores, json_string_value(json_object_get(c, "key")),
                            json_pack("{s:I}", "score", (json_int_t)(json_integer_value(json_object_get(c, "max")) * 10 * pct / 100)));
    assert_true(json_object_size(scores) > 0);
    json_decref(j);
    expect_status(api("POST", P("/reviews/%lld/submit", (long long)sheet_of(call, entry, r)), rev_tok[r],
                      jpack("{s:o}", "scores", scores), &j), j, 200);
    assert_string_equal(jstr(j, "status"), "submitted");
    json_decref(j);
}

#endif
