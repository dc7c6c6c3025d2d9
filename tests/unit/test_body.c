/* test_body.c - the free-text readers of http/body.h, built without a connection: body_text
 * (one line, valid_name's rules) and body_multiline_text (line breaks and tabs allowed), both
 * leaving an absent field alone, clearing on null or "", and refusing with 422 invalid_field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "http/body.h"
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

typedef bool (*text_reader)(request *r, const char *field, size_t max_chars, const char **out);

/* Reads field "t" of the JSON body with reader and limit 5; *status gets the reply (0: none). */
static bool read_one(text_reader reader, const char *body, const char **out, int *status)
{
    request r;
    memset(&r, 0, sizeof r);
    arena_init(&r.arena);
    r.json = json_loads(body, 0, NULL);
    assert_non_null(r.json);
    bool ok = reader(&r, "t", 5, out);
    if (*out) *out = *out == json_string_value(json_object_get(r.json, "t")) ? strdup(*out) : *out;
    *status = r.status;
    if (r.response) MHD_destroy_response(r.response);
    json_decref(r.json);
    arena_free(&r.arena);
    return ok;
}

static void test_body_text_takes_one_line_of_at_most_max_chars(void **state)
{
    (void)state;
    const char *out = "kept";
    int status = 0;
    assert_true(read_one(body_text, "{}", &out, &status));
    assert_string_equal(out, "kept");   /* absent: untouched */
    assert_true(read_one(body_text, "{\"t\": \"科普中心a\"}", &out, &status));
    assert_string_equal(out, "科普中心a");
    free((char *)out);
    assert_true(read_one(body_text, "{\"t\": null}", &out, &status));
    assert_null(out);
    out = "kept";
    assert_true(read_one(body_text, "{\"t\": \"\"}", &out, &status));
    assert_null(out);
    const char *refused[] = {"{\"t\": \"科普中心ab\"}", "{\"t\": \"a\\nb\"}", "{\"t\": \"a\\tb\"}", "{\"t\": \"   \"}",
                             "{\"t\": \"a\\u202eb\"}", "{\"t\": \"a\\u007fb\"}", "{\"t\": 3}"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        out = NULL;
        assert_false(read_one(body_text, refused[i], &out, &status));
        assert_int_equal(status, 422);
        assert_null(out);
    }
}

/* Course texts: the divergent copy kept as it was (line breaks and tabs allowed; only ASCII
 * controls below 0x20 refused). */
static void test_body_multiline_text_allows_line_breaks_and_tabs(void **state)
{
    (void)state;
    const char *out = NULL;
    int status = 0;
    assert_true(read_one(body_multiline_text, "{\"t\": \"a\\r\\nb\\t\"}", &out, &status));
    assert_string_equal(out, "a\r\nb\t");   /* 5 characters: the limit */
    free((char *)out);
    out = NULL;
    assert_true(read_one(body_multiline_text, "{\"t\": \"   \"}", &out, &status));
    assert_string_equal(out, "   ");
    free((char *)out);
    out = "kept";
    assert_true(read_one(body_multiline_text, "{\"t\": \"\"}", &out, &status));
    assert_null(out);
    const char *refused[] = {"{\"t\": \"abcdef\"}", "{\"t\": \"a\\u0001b\"}", "{\"t\": \"a\\u001bb\"}", "{\"t\": []}"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        out = NULL;
        assert_false(read_one(body_multiline_text, refused[i], &out, &status));
        assert_int_equal(status, 422);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_text_takes_one_line_of_at_most_max_chars),
        cmocka_unit_test(test_body_multiline_text_allows_line_breaks_and_tabs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
