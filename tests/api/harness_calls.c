/* harness_calls.c - the steps of a call's cycle the calls engine's API tests share (harness.h):
 * a metric of the year, a reviewer's sheet of an entry, and the 公示 opened, ended at once and
 * finalized. */
#include "harness.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

int64_t metric_this_year(const char *token, int64_t org, const char *name)
{
    char year[5];
    json_t *j = NULL;
    memcpy(year, shanghai_at(0), 4), year[4] = 0;
    expect_status(api("GET", P("/stats?org_id=%lld&period=%s&metrics=%s", (long long)org, year, name), token, NULL, &j), j, 200);
    int64_t n = json_integer_value(json_object_get(jget(j, "values"), name));
    json_decref(j);
    return n;
}

int64_t review_sheet_of(const char *token, int64_t call, int64_t entry, int64_t user_id)
{
    json_t *j = NULL, *it;
    size_t k;
    int64_t id = 0;
    expect_status(api("GET", P("/calls/%lld/assignments?entry_id=%lld", (long long)call, (long long)entry), token, NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), k, it) if (jint(it, "user_id") == user_id) id = jint(it, "id");
    json_decref(j);
    assert_true(id > 0);
    return id;
}

void call_publicize_and_finalize(const char *token, int64_t call)
{
    json_t *j = NULL;
    expect_status(api("POST", P("/calls/%lld/publicity", (long long)call), token, jpack("{s:s}", "ends_at", "2099-12-31"), &j), j,
                  200);
    char starts[40];
    snprintf(starts, sizeof starts, "%s", jstr(j, "starts_at"));
    json_decref(j);
    /* the public page answers while the window is open */
    expect_status(api("GET", P("/public/calls/%lld/publicity", (long long)call), NULL, NULL, &j), j, 200);
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/publicity", (long long)call), token,
                      jpack("{s:s, s:s}", "ends_at", starts, "reason", "按期结束"), &j), j, 200);
    json_decref(j);
    expect_status(api("POST", P("/calls/%lld/finalize", (long long)call), token, NULL, &j), j, 200);
    assert_string_equal(jstr(j, "status"), "final");
    json_decref(j);
}

int64_t call_template_id(const char *token, const char *code)
{
    json_t *j = NULL, *it;
    size_t i;
    int64_t id = 0;
    expect_status(api("GET", "/call-templates?page_size=100", token, NULL, &j), j, 200);
    json_array_foreach(jget(j, "items"), i, it) if (!strcmp(jstr(it, "code"), code)) id = jint(it, "id");
    json_decref(j);
    assert_true(id > 0);
    return id;
}
