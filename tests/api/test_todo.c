/* test_todo.c - the to-do home and reminders over HTTP (issue 16 D): a district admin's to-do lists
 * the plan a point below submitted, with its count in the menu's badges (the counts match the
 * items), and it clears once approved; another district and the point itself do not list it; a
 * reviewer is not asked for plans; the reminder settings are validated (422 naming lead_days,
 * nothing changed); the worker (a tick a second) reminds each point admin of a call due tomorrow
 * exactly once over several ticks, in the app and by e-mail to a local SMTP sink (recipient and
 * decoded subject checked); the bell's read and read-all touch only the caller's own rows; a
 * district owes last month's report (due its last day + the form's days) until it submits it; a
 * reviewer's to-do holds the sheet assigned to it and nothing else; two nodes ticking on one
 * database still remind each user once and mail each address once. */
#include "harness.h"
#include "smtp_sink.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

static char *admin, *a_admin, *b_admin, *p_admin, *q_admin, *rev;
static int64_t root, dist_a, dist_b, point_a, point_b, plan_id, call_id;
static char term_from[16], tomorrow[16];
static int term_year;
static const char *term;

/* Shanghai's calendar day offset days from today. */
static void shanghai_day(int days, char *out, size_t len)
{
    time_t t = time(NULL) + 8 * 3600 + days * 86400L;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, len, "%Y-%m-%d", &tm);
}

static void current_term(void)
{
    char today[16];
    shanghai_day(0, today, sizeof today);
    int y = atoi(today), m = atoi(today + 5);
    term_year = m == 1 ? y - 1 : y;
    term = m >= 2 && m <= 7 ? "spring" : "autumn";
    snprintf(term_from, sizeof term_from, "%04d-%s", term_year % 10000, !strcmp(term, "spring") ? "03-01" : "09-01");
}

static int setup(void **state)
{
    int port = smtp_sink_start();
    if (!port) return -1;
    setenv("KEPU_SMTP_URL", P("smtp://127.0.0.1:%d", port), 1);
    setenv("KEPU_SMTP_FROM", "kepu@test.local", 1);
    setenv("KEPU_REMINDER_TICK", "1", 1);
    if (server_start(state) != 0) return -1;
    current_term();
    shanghai_day(1, tomorrow, sizeof tomorrow);
    admin = login("admin", ADMIN_PASSWORD);
    root = root_org_id(admin);
    dist_a = create_org(admin, root, "district", "待办甲区");
    dist_b = create_org(admin, root, "district", "待办乙区");
    point_a = create_org(admin, dist_a, "point", "待办甲区教学点");
    point_b = create_org(admin, dist_b, "point", "待办乙区教学点");
    create_user(admin, "todo_a_admin", dist_a, "org_admin", "subtree", 0);
    create_user(admin, "todo_b_admin", dist_b, "org_admin", "subtree", 0);
    create_user_body(admin, jpack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "username", "todo_p_admin", "name", "甲点管理员",
                                  "password", USER_PASSWORD, "org_id", (json_int_t)point_a, "role", "org_admin",
                                  "data_scope", "subtree", "email", "p.admin@example.org"));
    create_user_body(admin, jpack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "username", "todo_q_admin", "name", "乙点管理员",
                                  "password", USER_PASSWORD, "org_id", (json_int_t)point_b, "role", "org_admin",
                                  "data_scope", "subtree", "email", "q.admin@example.org"));
    create_user(admin, "todo_rev", dist_b, "reviewer", "self", 0);
    a_admin = login("todo_a_admin", USER_PASSWORD);
    b_admin = login("todo_b_admin", USER_PASSWORD);
    p_admin = login("todo_p_admin", USER_PASSWORD);
    q_admin = login("todo_q_admin", USER_PASSWORD);
    rev = login("todo_rev", USER_PASSWORD);
    return 0;
}

static int teardown(void **state)
{
    free(admin), free(a_admin), free(b_admin), free(p_admin), free(q_admin), free(rev);
    return server_stop(state);
}

static json_t *todo_of(const char *token)
{
    json_t *j = NULL;
    expect_status(api("GET", "/todo?limit=5", token, NULL, &j), j, 200);
    return j;
}

/* The group of kind in a to-do answer, or NULL. */
static json_t *group(json_t *todo, const char *kind)
{
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(todo, "groups"), i, g) if (!strcmp(jstr(g, "kind"), kind)) return g;
    return NULL;
}

static json_t *counts_of(const char *token)
{
    json_t *j = NULL;
    expect_status(api("GET", "/todo/counts", token, NULL, &j), j, 200);
    return j;
}

/* The badges add up to the to-do's groups and total. */
static void expect_counts_match(const char *token)
{
    json_t *t = todo_of(token), *c = counts_of(token);
    assert_int_equal(jint(c, "total"), jint(t, "total"));
    int64_t sum = 0;
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(t, "groups"), i, g) {
        sum += jint(g, "count");
        assert_true(jint(g, "count") > 0);   /* empty sources are left out */
        assert_true(json_integer_value(json_object_get(jget(c, "counts"), jstr(g, "menu"))) >= jint(g, "count"));
    }
    assert_int_equal(sum, jint(t, "total"));
    json_decref(t), json_decref(c);
}

static void test_plan_review(void **state)
{
    (void)state;
    json_t *j = NULL, *items = json_array();
    json_array_append_new(items, jpack("{s:s, s:s, s:s}", "topic", "识别电信诈骗", "category", "anti_fraud", "planned_date", term_from));
    expect_status(api("POST", "/plans", p_admin, jpack("{s:I, s:i, s:s, s:s, s:o}", "org_id", (json_int_t)point_a, "year",
                                                       term_year, "term", term, "title", "甲点本学期教学计划", "items", items),
                      &j), j, 201);
    plan_id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/plans/%lld/submit", (long long)plan_id), p_admin, NULL, NULL), NULL, 200);

    json_t *t = todo_of(a_admin), *g = group(t, "plan_review");
    assert_non_null(g);
    assert_int_equal(jint(g, "count"), 1);
    assert_string_equal(jstr(g, "menu"), "/plans");
    json_t *it = json_array_get(jget(g, "items"), 0);
    assert_int_equal(jint(it, "id"), plan_id);
    assert_string_equal(jstr(it, "title"), "甲点本学期教学计划");
    assert_string_equal(jstr(it, "org_name"), "待办甲区教学点");
    assert_string_equal(jstr(it, "link"), P("/plans/%lld", (long long)plan_id));
    assert_false(json_is_true(json_object_get(it, "overdue")));
    json_decref(t);
    json_t *c = counts_of(a_admin);
    assert_int_equal(jint(c, "counts./plans"), 1);
    json_decref(c);
    expect_counts_match(a_admin);
    /* not another district's, not the point's own (a point does not review its own plan) */
    t = todo_of(b_admin);
    assert_null(group(t, "plan_review"));
    json_decref(t);
    t = todo_of(p_admin);
    assert_null(group(t, "plan_review"));
    json_decref(t);

    expect_status(api("POST", P("/plans/%lld/approve", (long long)plan_id), a_admin, NULL, NULL), NULL, 200);
    t = todo_of(a_admin);
    assert_null(group(t, "plan_review"));
    json_decref(t);
    c = counts_of(a_admin);
    assert_null(jget(c, "counts./plans"));
    json_decref(c);
    expect_counts_match(a_admin);
}

static void test_limit_and_reviewer(void **state)
{
    (void)state;
    expect_api_error("GET", "/todo?limit=0", a_admin, NULL, 422, "invalid_field", "limit");
    expect_api_error("GET", "/todo?limit=21", a_admin, NULL, 422, "invalid_field", "limit");
    expect_api_error("GET", "/todo?limit=x", a_admin, NULL, 422, "invalid_field", "limit");
    /* a reviewer is asked only by the sources of its rank: never plans or a unit's calls */
    json_t *t = todo_of(rev);
    assert_null(group(t, "plan_review"));
    assert_null(group(t, "call_entry_due"));
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(t, "groups"), i, g) assert_string_equal(jstr(g, "kind"), "review_assigned");
    json_decref(t);
    expect_counts_match(rev);
}

static void expect_prefs(const char *token, bool email, const char *leads)
{
    json_t *j = NULL;
    expect_status(api("GET", "/me/notify-prefs", token, NULL, &j), j, 200);
    assert_int_equal(json_is_true(json_object_get(j, "email")), email);
    assert_false(json_is_true(json_object_get(j, "sms")));
    char *d = json_dumps(jget(j, "lead_days"), JSON_COMPACT);
    assert_string_equal(d, leads);
    free(d);
    json_decref(j);
}

static void test_prefs(void **state)
{
    (void)state;
    expect_prefs(p_admin, false, "[3,1]");   /* the defaults */
    const char *bad[] = {"{\"lead_days\": [31]}", "{\"lead_days\": [-1]}", "{\"lead_days\": [1,2,3,4]}",
                         "{\"lead_days\": []}", "{\"lead_days\": [2,2]}", "{\"lead_days\": \"3\"}",
                         "{\"lead_days\": [1.5]}", "{\"email\": true, \"lead_days\": [40]}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        expect_api_error("PUT", "/me/notify-prefs", p_admin, json_loads(bad[i], 0, NULL), 422, "invalid_field", "lead_days");
    expect_api_error("PUT", "/me/notify-prefs", p_admin, jpack("{s:b, s:b}", "email", 1, "phone", 1), 422, "unknown_field", "phone");
    expect_api_error("PUT", "/me/notify-prefs", p_admin, jpack("{s:s}", "email", "yes"), 422, "invalid_field", "email");
    expect_prefs(p_admin, false, "[3,1]");   /* nothing changed */
    json_t *j = NULL;
    expect_status(api("PUT", "/me/notify-prefs", p_admin, jpack("{s:b, s:[i, i]}", "email", 1, "lead_days", 1, 5), &j), j, 200);
    json_decref(j);
    expect_prefs(p_admin, true, "[5,1]");   /* stored largest first */
    expect_prefs(q_admin, false, "[3,1]");  /* another user's are their own */
    expect_status(api("PUT", "/me/notify-prefs", q_admin, jpack("{s:b}", "email", 1), &j), j, 200);
    json_decref(j);
    /* audited as the user's change */
    expect_status(api("GET", "/audit?entity=notify_prefs", admin, NULL, &j), j, 200);
    assert_true(jint(j, "total") >= 2);
    json_decref(j);
}

/* My notifications (all, or unread), as the bell reads them. */
static json_t *bell(const char *token, bool unread)
{
    json_t *j = NULL;
    expect_status(api("GET", unread ? "/notifications?unread=1" : "/notifications", token, NULL, &j), j, 200);
    return j;
}

static void test_worker_reminds_once(void **state)
{
    (void)state;
    json_t *j = NULL;
    expect_status(api("POST", "/call-templates", admin,
                      jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s}], s:[], s:s, s:[s], s:i, s:i, s:s}}", "code", "t_todo",
                            "name", "待办测试征集", "kind", "collection", "config", "form", "key", "topic", "label", "题目",
                            "type", "text", "stages", "eligible", "types", "eligible_types", "point", "min_per_unit", 1,
                            "max_per_unit", 3, "late_policy", "flag"), &j), j, 201);
    int64_t tpl = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/calls", admin, jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id",
                                                    (json_int_t)root, "year", 2026, "title", "社区科普案例征集",
                                                    "deadline", tomorrow), &j), j, 201);
    call_id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)call_id), admin, NULL, NULL), NULL, 200);
    /* the point owes an entry: on its to-do, due tomorrow */
    json_t *t = todo_of(p_admin), *g = group(t, "call_entry_due");
    assert_non_null(g);
    assert_int_equal(jint(g, "count"), 1);
    assert_int_equal(jint(json_array_get(jget(g, "items"), 0), "id"), call_id);
    assert_memory_equal(jstr(json_array_get(jget(g, "items"), 0), "due"), tomorrow, 10);
    json_decref(t);
    t = todo_of(a_admin);   /* a district is not eligible: not its to-do */
    assert_null(group(t, "call_entry_due"));
    json_decref(t);

    /* several ticks (one a second): each point admin reminded exactly once */
    for (int i = 0; i < 50 && smtp_sink_count() < 2; i++) nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    sleep(3);
    const char *who[] = {p_admin, q_admin};
    for (int k = 0; k < 2; k++) {
        json_t *b = bell(who[k], false);
        assert_int_equal(jint(b, "total"), 1);
        assert_int_equal(jint(b, "unread"), 1);
        json_t *n = json_array_get(jget(b, "items"), 0);
        assert_string_equal(jstr(n, "kind"), "call_entry_due");
        assert_int_equal(jint(n, "ref_id"), call_id);
        assert_string_equal(jstr(n, "link"), P("/calls/%lld", (long long)call_id));
        assert_non_null(strstr(jstr(n, "title"), "社区科普案例征集"));
        json_decref(b);
    }
    /* the district's admin is no unit of the call: nothing */
    json_t *b = bell(a_admin, false);
    assert_int_equal(jint(b, "total"), 0);
    json_decref(b);
    /* the e-mails reached the sink, one per chosen address, with the subject decoded */
    assert_int_equal(smtp_sink_count(), 2);
    bool seen_p = false, seen_q = false;
    for (int i = 0; i < 2; i++) {
        char rcpt[512], data[8192], subject[512];
        assert_int_equal(smtp_sink_message(i, rcpt, sizeof rcpt, data, sizeof data), 0);
        seen_p |= !strcmp(rcpt, "p.admin@example.org"), seen_q |= !strcmp(rcpt, "q.admin@example.org");
        assert_int_equal(smtp_decoded_subject(data, subject, sizeof subject), 0);
        assert_non_null(strstr(subject, "【待办提醒】社区科普案例征集"));
        assert_non_null(strstr(data, "Content-Type: text/plain; charset=UTF-8"));
    }
    assert_true(seen_p && seen_q);
    /* the log counts, never names an address */
    FILE *f = fopen(P("%s/server.log", server_dir()), "r");
    assert_non_null(f);
    char line[4096];
    bool counted = false;
    while (fgets(line, sizeof line, f)) {
        assert_null(strstr(line, "@example.org"));
        counted |= strstr(line, "reminders: ") != NULL;
    }
    fclose(f);
    assert_true(counted);
}

static void test_read_mine_only(void **state)
{
    (void)state;
    json_t *mine = bell(p_admin, true), *theirs = bell(q_admin, true);
    int64_t my_id = jint(json_array_get(jget(mine, "items"), 0), "id");
    int64_t their_id = jint(json_array_get(jget(theirs, "items"), 0), "id");
    json_decref(mine), json_decref(theirs);
    expect_api_error("POST", P("/notifications/%lld/read", (long long)their_id), p_admin, NULL, 404, "not_found", NULL);
    json_t *j = NULL;
    expect_status(api("POST", P("/notifications/%lld/read", (long long)my_id), p_admin, NULL, &j), j, 200);
    assert_non_null(jstr(j, "read_at"));
    json_decref(j);
    json_t *b = bell(p_admin, true);
    assert_int_equal(jint(b, "total"), 0);
    json_decref(b);
    b = bell(q_admin, true);   /* theirs untouched */
    assert_int_equal(jint(b, "total"), 1);
    json_decref(b);
    expect_status(api("POST", "/notifications/read-all", p_admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "updated"), 0);
    json_decref(j);
    b = bell(q_admin, true);
    assert_int_equal(jint(b, "unread"), 1);
    json_decref(b);
    expect_status(api("POST", "/notifications/read-all", q_admin, NULL, &j), j, 200);
    assert_int_equal(jint(j, "updated"), 1);
    json_decref(j);
    b = bell(q_admin, false);
    assert_int_equal(jint(b, "total"), 1);
    assert_int_equal(jint(b, "unread"), 0);
    json_decref(b);
}

/* The last month's label and the day 10 days after its end, in Shanghai. */
static void last_month(char label[8], char due[11])
{
    time_t t = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    t -= (time_t)tm.tm_mday * 86400;   /* the last day of last month */
    gmtime_r(&t, &tm);
    strftime(label, 8, "%Y-%m", &tm);
    t += 10 * 86400L;
    gmtime_r(&t, &tm);
    strftime(due, 11, "%Y-%m-%d", &tm);
}

static void test_form_due(void **state)
{
    (void)state;
    char label[8], due[11];
    last_month(label, due);
    json_t *j = NULL;
    expect_status(api("POST", "/forms", admin,
                      jpack("{s:I, s:s, s:s, s:s, s:i, s:[{s:s, s:s, s:s}]}", "org_id", (json_int_t)root, "title",
                            "区县月度科普报表", "period_type", "month", "filler_type", "district", "deadline_days", 10,
                            "fields", "key", "people", "label", "参与人次", "metric", "participants"), &j), j, 201);
    int64_t form = jint(j, "id");
    json_decref(j);
    json_t *t = todo_of(a_admin), *g = group(t, "form_due");
    assert_non_null(g);
    assert_int_equal(jint(g, "count"), 1);
    json_t *it = json_array_get(jget(g, "items"), 0);
    assert_int_equal(jint(it, "id"), form);
    assert_string_equal(jstr(it, "due"), due);
    assert_string_equal(jstr(it, "title"), P("区县月度科普报表（%s）", label));
    assert_string_equal(jstr(it, "link"), P("/forms/%lld", (long long)form));
    json_decref(t);
    expect_counts_match(a_admin);
    t = todo_of(p_admin);   /* a point does not fill it */
    assert_null(group(t, "form_due"));
    json_decref(t);
    /* a draft is not a report: still owed; submitted, it clears (and B still owes its own) */
    expect_status(api("POST", P("/forms/%lld/reports", (long long)form), a_admin,
                      jpack("{s:I, s:s, s:{s:i}, s:b}", "org_id", (json_int_t)dist_a, "period", label, "values", "people", 5,
                            "submit", 0), &j), j, 200);
    json_decref(j);
    t = todo_of(a_admin);
    assert_non_null(group(t, "form_due"));
    json_decref(t);
    expect_status(api("POST", P("/forms/%lld/reports", (long long)form), a_admin,
                      jpack("{s:I, s:s, s:{s:i}, s:b}", "org_id", (json_int_t)dist_a, "period", label, "values", "people", 5,
                            "submit", 1), &j), j, 200);
    json_decref(j);
    t = todo_of(a_admin);
    assert_null(group(t, "form_due"));
    json_decref(t);
    t = todo_of(b_admin);
    assert_non_null(group(t, "form_due"));
    json_decref(t);
}

static void test_review_assigned(void **state)
{
    (void)state;
    json_t *j = NULL, *review = json_loads("{\"per_entry\":1,\"blind\":true,\"aggregate\":\"mean\",\"criteria\":"
                                           "[{\"key\":\"q\",\"label\":\"质量\",\"max\":10,\"weight\":1}]}", 0, NULL);
    assert_non_null(review);
    expect_status(api("POST", "/call-templates", admin,
                      jpack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s}], s:[], s:s, s:[s], s:o}}", "code", "t_todo_rev", "name",
                            "评审待办", "kind", "contest", "config", "form", "key", "name", "label", "名称", "type", "text",
                            "stages", "eligible", "types", "eligible_types", "point", "review", review), &j), j, 201);
    int64_t tpl = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", "/calls", admin, jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id",
                                                    (json_int_t)root, "year", 2026, "title", "科普作品评选（待办）",
                                                    "deadline", "2099-10-31"), &j), j, 201);
    int64_t call = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)call), admin, NULL, NULL), NULL, 200);
    expect_status(api("POST", P("/calls/%lld/entries", (long long)call), p_admin,
                      jpack("{s:I, s:s, s:{s:s}}", "org_id", (json_int_t)point_a, "title", "社区防诈骗短剧", "values", "name",
                            "社区防诈骗短剧"), &j), j, 201);
    int64_t entry = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/entries/%lld/submit", (long long)entry), p_admin, NULL, NULL), NULL, 200);
    expect_status(api("POST", P("/calls/%lld/close", (long long)call), admin, NULL, NULL), NULL, 200);
    int64_t rev_id = me_id(rev);
    expect_status(api("POST", P("/calls/%lld/reviewers", (long long)call), admin, jpack("{s:I}", "user_id", (json_int_t)rev_id),
                      NULL), NULL, 201);
    expect_status(api("POST", P("/calls/%lld/assignments", (long long)call), admin,
                      jpack("{s:I, s:I}", "entry_id", (json_int_t)entry, "user_id", (json_int_t)rev_id), &j), j, 201);
    json_decref(j);
    expect_status(api("GET", "/reviews", rev, NULL, &j), j, 200);
    int64_t sheet = jint(j, "items.0.id");
    json_decref(j);
    json_t *t = todo_of(rev);
    assert_int_equal(json_array_size(jget(t, "groups")), 1);   /* review_assigned only */
    json_t *g = group(t, "review_assigned");
    assert_non_null(g);
    assert_int_equal(jint(g, "count"), 1);
    assert_int_equal(jint(json_array_get(jget(g, "items"), 0), "id"), sheet);
    assert_string_equal(jstr(json_array_get(jget(g, "items"), 0), "link"), P("/reviews/%lld", (long long)sheet));
    json_decref(t);
    json_t *c = counts_of(rev);
    assert_int_equal(jint(c, "counts./reviews"), 1);
    assert_int_equal(jint(c, "total"), 1);
    json_decref(c);
    t = todo_of(a_admin);   /* another's sheet is not on anyone else's to-do */
    assert_null(group(t, "review_assigned"));
    json_decref(t);
}

/* How many of token's notifications are about ref_id. */
static int64_t notes_about(const char *token, int64_t ref_id)
{
    json_t *b = NULL;
    expect_status(api("GET", "/notifications?page_size=100", token, NULL, &b), b, 200);
    int64_t n = 0;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(b, "items"), i, it) n += jint(it, "ref_id") == ref_id;
    json_decref(b);
    return n;
}

/* Two nodes on one database, each ticking every second: still one reminder per user and one
 * e-mail per address (the claims in todo_reminders_sent and on the rows' states). */
static void test_two_nodes_remind_once(void **state)
{
    (void)state;
    assert_int_equal(second_node_start(), 0);
    int mails = smtp_sink_count();
    json_t *j = NULL;
    expect_status(api("GET", "/call-templates?page_size=100", admin, NULL, &j), j, 200);
    int64_t tpl = 0;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "items"), i, it) if (!strcmp(jstr(it, "code"), "t_todo")) tpl = jint(it, "id");
    json_decref(j);
    assert_true(tpl > 0);
    expect_status(api("POST", "/calls", admin, jpack("{s:I, s:I, s:i, s:s, s:s}", "template_id", (json_int_t)tpl, "org_id",
                                                    (json_int_t)root, "year", 2026, "title", "两节点提醒征集",
                                                    "deadline", tomorrow), &j), j, 201);
    int64_t call = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/open", (long long)call), admin, NULL, NULL), NULL, 200);
    for (int k = 0; k < 100 && smtp_sink_count() < mails + 2; k++)
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    sleep(3);   /* three more ticks of each node */
    assert_int_equal(notes_about(p_admin, call), 1);
    assert_int_equal(notes_about(q_admin, call), 1);
    use_node(2);
    assert_int_equal(notes_about(p_admin, call), 1);
    use_node(1);
    assert_int_equal(smtp_sink_count(), mails + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_review),
        cmocka_unit_test(test_limit_and_reviewer),
        cmocka_unit_test(test_prefs),
        cmocka_unit_test(test_worker_reminds_once),
        cmocka_unit_test(test_read_mine_only),
        cmocka_unit_test(test_form_due),
        cmocka_unit_test(test_review_assigned),
        cmocka_unit_test(test_two_nodes_remind_once),
    };
    return run_api_tests(tests, setup, teardown);
}
