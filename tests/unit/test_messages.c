/* test_messages.c - the message catalog (http/messages.h): every message the server can write
 * is "中文 / English" with the same conversions in both halves, so the UI can translate it by
 * its key; keys and params as the error replies carry them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "app.h"
#include "http/messages.h"
#include "http/reply.h"
#include <stdio.h>
#include <string.h>

struct bad {
    int n, templates;
    char first[600];
};

static void check_one(const char *t, void *cls)
{
    struct bad *b = cls;
    char zh[512], en[512];
    b->templates++;
    /* The English half may leave out a parameter the Chinese names (the field is in the reply's
     * "field" too). */
    bool ok = messages_split(t, zh, en, sizeof zh);
    if (!ok) fprintf(stderr, "not \"中文 / English\": %s\n", t);
    if (!ok && b->n++ == 0) snprintf(b->first, sizeof b->first, "%s", t);
}

static void test_every_message_has_two_languages(void **state)
{
    (void)state;
    assert_int_equal(app_register_routes(), 0);
    struct bad b = {0};
    messages_foreach(check_one, &b);
    if (b.n) fprintf(stderr, "%d messages are not \"中文 / English\"; the first: %s\n", b.n, b.first);
    assert_int_equal(b.n, 0);
    assert_true(b.templates > 200);   /* every module's messages, not a handful */
}

static void test_split_numbers_the_conversions_across_both_halves(void **state)
{
    (void)state;
    char zh[128], en[128];
    assert_true(messages_split("密码太弱：%.*s / password too weak: %s", zh, en, sizeof zh));
    assert_string_equal(zh, "密码太弱：{0}");
    assert_string_equal(en, "password too weak: {1}");
    assert_true(messages_split("应为 1 至 100 (%%) / 1 to %d (percent)", zh, en, sizeof zh));
    assert_string_equal(zh, "应为 1 至 100 (%)");
    assert_string_equal(en, "1 to {0} (percent)");
    assert_false(messages_split("一 / one / eins", zh, en, sizeof zh));
    assert_false(messages_split("only one language", zh, en, sizeof zh));
}

static void test_catalog_keys_are_the_keys_replies_carry(void **state)
{
    (void)state;
    const json_t *cat = messages_catalog();
    char key[10];
    message_key("请求体必须是 JSON 对象 / body must be a JSON object", key);
    const json_t *m = json_object_get(cat, key);
    assert_non_null(m);
    assert_string_equal(json_string_value(json_object_get(m, "en")), "body must be a JSON object");
    assert_string_equal(json_string_value(json_object_get(m, "zh")), "请求体必须是 JSON 对象");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_message_has_two_languages),
        cmocka_unit_test(test_split_numbers_the_conversions_across_both_halves),
        cmocka_unit_test(test_catalog_keys_are_the_keys_replies_carry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
