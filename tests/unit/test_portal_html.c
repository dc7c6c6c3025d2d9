/* test_portal_html.c - the portal's one HTML writer (src/portal/portal_html.c): %s escapes the
 * five characters that can end a text or an attribute, %R and numbers pass as they are, NULL is
 * nothing, and a stray percent sign is kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "portal/portal.h"
#include <string.h>

static void test_escapes_text(void **state)
{
    (void)state;
    sbuf b;
    sbuf_init(&b);
    html_f(&b, "<p title=\"%s\">%s</p>", "\"><script>", "a&b<c>'d'");
    assert_string_equal(b.s, "<p title=\"&quot;&gt;&lt;script&gt;\">a&amp;b&lt;c&gt;&#39;d&#39;</p>");
    sbuf_free(&b);
}

static void test_raw_numbers_and_null(void **state)
{
    (void)state;
    sbuf b;
    sbuf_init(&b);
    html_f(&b, "%R|%d|%I|%s|100%%|%q|end%", "<b>", -7, (int64_t)1234567890123, (const char *)NULL);
    assert_string_equal(b.s, "<b>|-7|1234567890123||100%|%q|end%");
    sbuf_free(&b);
}

static void test_chinese_passes(void **state)
{
    (void)state;
    sbuf b;
    sbuf_init(&b);
    html_esc(&b, "科普<讲座>");
    assert_string_equal(b.s, "科普&lt;讲座&gt;");
    sbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes_text),
        cmocka_unit_test(test_raw_numbers_and_null),
        cmocka_unit_test(test_chinese_passes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
