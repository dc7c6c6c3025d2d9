/* test_resource_text.c - a PDF's text for the resource library's search (src/resources/
 * resource_text.c): lines broken between Chinese characters are joined and others become one
 * space; the reading stops at its page and byte bounds (never inside a UTF-8 character); a file
 * that is no readable PDF gives NULL. The PDFs are drawn here with cairo and pango. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "resources/resources.h"
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

static void join(const char *in, const char *want)
{
    char *t = strdup(in);
    resource_text_join_lines(t);
    assert_string_equal(t, want);
    free(t);
}

static void test_lines_joined(void **state)
{
    (void)state;
    join("系列讲\n座", "系列讲座");
    join("安全\r\n\r\n用电", "安全用电");
    join("line one\nline two", "line one line two");
    join("中文\nEnglish", "中文 English");
    join("\n开头与结尾\n", "开头与结尾");
    join("", "");
}

/* A PDF of n pages at path, page i saying texts[i]. */
static void draw(int n, const char *const *texts)
{
    cairo_surface_t *sf = cairo_pdf_surface_create(path, 595, 842);
    cairo_t *cr = cairo_create(sf);
    for (int i = 0; i < n; i++) {
        PangoLayout *l = pango_cairo_create_layout(cr);
        PangoFontDescription *fd = pango_font_description_from_string("Noto Sans CJK SC 14");
        pango_layout_set_font_description(l, fd);
        pango_font_description_free(fd);
        pango_layout_set_text(l, texts[i], -1);
        cairo_move_to(cr, 56, 72);
        pango_cairo_show_layout(cr, l);
        g_object_unref(l);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
}

static bool utf8_valid(const unsigned char *s)
{
    while (*s) {
        int n = *s < 0x80 ? 0 : (*s & 0xE0) == 0xC0 ? 1 : (*s & 0xF0) == 0xE0 ? 2 : (*s & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0) return false;
        s++;
        for (int i = 0; i < n; i++, s++)
            if ((*s & 0xC0) != 0x80) return false;
    }
    return true;
}

static void test_bounds(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    const char *pages[] = {"第一页防汛知识", "第二页燃气安全", "第三页不应读到"};
    draw(3, pages);
    const char *t = resource_pdf_text(path, 2, 4096, &a);
    assert_non_null(t);
    assert_non_null(strstr(t, "防汛知识"));
    assert_non_null(strstr(t, "燃气安全"));
    assert_null(strstr(t, "不应读到"));            /* past the page bound */
    for (size_t cap = 1; cap < 30; cap++) {         /* a byte bound never splits a character */
        const char *s = resource_pdf_text(path, 3, cap, &a);
        assert_non_null(s);
        assert_true(strlen(s) <= cap);
        assert_true(utf8_valid((const unsigned char *)s));
    }
    arena_free(&a);
}

/* A file store given as a relative path (data/files, the default without a SQLite database)
 * hands over relative paths: read from the working directory, not refused. */
static void test_relative_path(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    const char *pages[] = {"相对路径的科普资料"};
    draw(1, pages);
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir("/tmp"), 0);
    const char *t = resource_pdf_text(path + strlen("/tmp/"), 1, 4096, &a);
    assert_int_equal(chdir(cwd), 0);
    assert_non_null(t);
    assert_non_null(strstr(t, "相对路径"));
    arena_free(&a);
}

static void test_not_a_pdf(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("%PDF-1.4\n1 0 obj garbage\n%%EOF\n", f);
    fclose(f);
    assert_null(resource_pdf_text(path, 10, 4096, &a));
    assert_null(resource_pdf_text("/nonexistent/x.pdf", 10, 4096, &a));
    arena_free(&a);
}

int main(void)
{
    snprintf(path, sizeof path, "/tmp/kepu-test-resource-text-%d.pdf", (int)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_joined),
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_relative_path),
        cmocka_unit_test(test_not_a_pdf),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(path);
    return rc;
}
