/* contest_fixture.h - what the contest API tests share (static, included once per test program):
 * reviewed questions in a bank whose right answers the test can tell from the paper alone (a
 * single-choice question's right option reads "对<n>", the wrong ones "错..."), a contest made and
 * published, a public player registered, and answering a paper right or wrong on purpose.
 *
 * Questions go through the question bank's API (package A: POST /questions, then /review); on a
 * build without it (this branch before the merge) they are written into the SQLite file directly.
 * Everything returned is the caller's to free (json_decref, free). */
#ifndef KEPU_CONTEST_FIXTURE_H
#define KEPU_CONTEST_FIXTURE_H
#include "harness.h"
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static __attribute__((unused)) void fx_insert_sqlite(int64_t org, const char *category, const char *stem, const char *options, const char *answer)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(P("%s/kepu.db", server_dir()), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *sql = sqlite3_mprintf(
        "INSERT INTO questions (org_id, org_path, type, category, difficulty, status, version, stem, created_at, updated_at) "
        "SELECT id, path, 'single', %Q, 2, 'reviewed', 1, %Q, '2026-01-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00' "
        "FROM orgs WHERE id = %lld; INSERT INTO question_versions (question_id, version, stem, options, answer, created_at) "
        "VALUES (last_insert_rowid(), 1, %Q, %Q, %Q, '2026-01-01T00:00:00+08:00');",
        category, stem, (long long)org, stem, options, answer);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) fprintf(stderr, "fixture insert: %s\n", err ? err : "?");
    assert_int_equal(rc, SQLITE_OK);
    sqlite3_free(sql);
    sqlite3_close(db);
}

/* One statement of ours straight into the test's database, on either engine. */
static __attribute__((unused)) void fx_sql(const char *sql)
{
    if (!strcmp(test_db_kind(), "sqlite")) {
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open(P("%s/kepu.db", server_dir()), &db), SQLITE_OK);
        sqlite3_busy_timeout(db, 5000);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
        return;
    }
    PGconn *pg = PQconnectdb(test_db_url());
    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    PGresult *res = PQexec(pg, sql);
    assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    PQfinish(pg);
}

/* The same on PostgreSQL (the test's own database). */
static __attribute__((unused)) void fx_insert_pg(int64_t org, const char *category, const char *stem, const char *options,
                                                 const char *answer)
{
    PGconn *pg = PQconnectdb(test_db_url());
    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    char org_text[24];
    snprintf(org_text, sizeof org_text, "%lld", (long long)org);
    const char *params[] = {org_text, category, stem, options, answer};
    PGresult *res = PQexecParams(pg,
        "WITH q AS (INSERT INTO questions (org_id, org_path, type, category, difficulty, status, version, stem, created_at, "
        "updated_at) SELECT id, path, 'single', $2, 2, 'reviewed', 1, $3, '2026-01-01T00:00:00+08:00', "
        "'2026-01-01T00:00:00+08:00' FROM orgs WHERE id = $1::bigint RETURNING id) INSERT INTO question_versions "
        "(question_id, version, stem, options, answer, created_at) SELECT id, 1, $3, $4, $5, '2026-01-01T00:00:00+08:00' FROM q",
        5, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) fprintf(stderr, "fixture insert: %s\n", PQerrorMessage(pg));
    assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
    PQclear(res);
    PQfinish(pg);
}

/* A reviewed single-choice question "<stem>" whose right option is "对<n>" (shown among 3 wrong). */
static __attribute__((unused)) void fx_question(const char *admin_token, int64_t org, const char *category, int n)
{
    char stem[64], right[16], options[128];
    snprintf(stem, sizeof stem, "测试题%s-%d：下列哪项正确？", category, n);
    snprintf(right, sizeof right, "对%d", n);
    snprintf(options, sizeof options, "[\"错甲%d\",\"%s\",\"错乙%d\",\"错丙%d\"]", n, right, n, n);
    json_t *j = NULL;
    int st = api("POST", "/questions", admin_token,
                 jpack("{s:I, s:s, s:s, s:i, s:s, s:o, s:s}", "org_id", (json_int_t)org, "type", "single", "category",
                       category, "difficulty", 2, "stem", stem, "options", json_loads(options, 0, NULL), "answer", "B"),
                 &j);
    if (st == 404) {   /* no question bank API in this build: straight into the database */
        json_decref(j);
        if (!strcmp(test_db_kind(), "sqlite")) fx_insert_sqlite(org, category, stem, options, "\"B\"");
        else fx_insert_pg(org, category, stem, options, "\"B\"");
        return;
    }
    expect_status(st, j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/questions/%lld/review", (long long)id), admin_token, NULL, &j), j, 200);
    json_decref(j);
}

/* A published contest of org (body fields beyond the defaults in extra, taken). */
static __attribute__((unused)) int64_t fx_contest(const char *token, int64_t org, const char *title, json_t *extra)
{
    json_t *body = jpack("{s:I, s:s, s:s, s:s, s:s, s:[s,s,s,s], s:[{s:s, s:i, s:i, s:i}], s:i, s:b, s:b}", "org_id",
                         (json_int_t)org, "title", title, "kind", "contest", "opens_at", shanghai_at(-3600), "closes_at",
                         shanghai_at(86400), "audience", "public", "student", "volunteer", "staff", "rules", "category",
                         "lit_knowledge", "difficulty", 0, "count", 4, "points", 5, "time_limit_s", 600,
                         "shuffle_questions", 1, "shuffle_options", 1);
    if (extra) json_object_update(body, extra), json_decref(extra);
    json_t *j = NULL;
    expect_status(api("POST", "/contests", token, body, &j), j, 201);
    int64_t id = jint(j, "id");
    json_decref(j);
    expect_status(api("POST", P("/contests/%lld/publish", (long long)id), token, NULL, &j), j, 200);
    json_decref(j);
    return id;
}

/* A public player of the contest: the person key (malloc'd). */
static __attribute__((unused)) char *fx_player(int64_t contest, const char *name, const char *phone, int64_t district)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/public/contests/%lld/players", (long long)contest), NULL,
                      jpack("{s:s, s:s, s:I}", "name", name, "phone", phone, "district_id", (json_int_t)district), &j),
                  j, 201);
    char *key = strdup(jstr(j, "person_key"));
    json_decref(j);
    return key;
}

/* The shown label of a question's right option ("对..."), or of a wrong one. */
static __attribute__((unused)) const char *fx_label(json_t *question, bool right)
{
    json_t *opts = json_object_get(question, "options");
    for (size_t i = 0; i < json_array_size(opts); i++) {
        const char *text = json_string_value(json_object_get(json_array_get(opts, i), "text"));
        if (text && (strncmp(text, "对", strlen("对")) == 0) == right)
            return json_string_value(json_object_get(json_array_get(opts, i), "label"));
    }
    return "Z";
}

/* Answers question no of paper (the start's answer) right or wrong; returns the status. */
static __attribute__((unused)) int fx_answer(int64_t contest, json_t *paper, int no, bool right, const char *label_override)
{
    json_t *q = json_array_get(json_object_get(paper, "questions"), (size_t)no - 1);
    const char *label = label_override ? label_override : fx_label(q, right);
    char header[160];
    snprintf(header, sizeof header, "X-Attempt-Token: %s", jstr(paper, "attempt_token"));
    const char *headers[] = {header, "Content-Type: application/json", NULL};
    char body[64];
    snprintf(body, sizeof body, "{\"answer\": \"%s\"}", label);
    http_resp r;
    int st = http("PUT", P("/api/v1/public/contests/%lld/attempts/%lld/answers/%d", (long long)contest,
                           (long long)jint(paper, "attempt_id"), no), headers, body, strlen(body), &r);
    http_resp_free(&r);
    return st;
}

/* Submits the attempt of paper; *out the answer. Returns the status. */
static __attribute__((unused)) int fx_submit(int64_t contest, json_t *paper, json_t **out)
{
    char header[160];
    snprintf(header, sizeof header, "X-Attempt-Token: %s", jstr(paper, "attempt_token"));
    const char *headers[] = {header, "Content-Type: application/json", NULL};
    http_resp r;
    int st = http("POST", P("/api/v1/public/contests/%lld/attempts/%lld/submit", (long long)contest,
                            (long long)jint(paper, "attempt_id")), headers, "{}", 2, &r);
    *out = r.json ? json_incref(r.json) : NULL;
    http_resp_free(&r);
    return st;
}

/* Starts an attempt with a person key; *out the answer. Returns the status. */
static __attribute__((unused)) int fx_start(int64_t contest, const char *key, const char *kind, json_t **out)
{
    return api("POST", P("/public/contests/%lld/attempts", (long long)contest), NULL,
               jpack("{s:s, s:s}", "person_key", key, "person_kind", kind), out);
}

#endif
