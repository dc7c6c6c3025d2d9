/* test_sqlite_bigram.c - the FTS5 tokenizer kepu_bigram (db/sqlite_bigram.c): the tokens of a
 * text (pairs of neighbouring characters, ASCII lower-cased, none across whitespace or the
 * ideographic space, byte ranges right, invalid UTF-8 taken byte by byte); registered on every
 * connection, an FTS5 table over an external content table finds two-character words and longer
 * phrases, not characters that are only near each other, and forgets a row's old text when the
 * triggers' 'delete' gives it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "db/sqlite_bigram.h"
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

struct seen { char text[512]; int n, last_end; };

/* Collects the tokens as "tok[start,end] ". */
static int collect(void *cls, const char *token, int len, int start, int end)
{
    struct seen *s = cls;
    assert_true(len > 0 && len <= SQLITE_BIGRAM_MAX);
    assert_true(start >= 0 && start < end);
    size_t at = strlen(s->text);
    snprintf(s->text + at, sizeof s->text - at, "%.*s[%d,%d] ", len, token, start, end);
    s->n++;
    return 0;
}

static const char *tokens(const char *text, int n)
{
    static struct seen s;
    memset(&s, 0, sizeof s);
    assert_int_equal(sqlite_bigram_walk(text, n, collect, &s), 0);
    return s.text;
}

static void test_tokens(void **state)
{
    (void)state;
    assert_string_equal(tokens("科普讲座", 12), "科普[0,6] 普讲[3,9] 讲座[6,12] ");
    assert_string_equal(tokens("AI 课", 6), "ai[0,2] ");                       /* none across a space */
    assert_string_equal(tokens("急\xE3\x80\x80救", 9), "");                      /* nor the ideographic one */
    assert_string_equal(tokens("急", 3), "");
    assert_string_equal(tokens("", 0), "");
    assert_string_equal(tokens("a\xFF" "b", 3), "a\xFF[0,2] \xFF" "b[1,3] ");   /* invalid bytes: one each */
    assert_string_equal(tokens("x\xE6\x80", 3), "x\xE6[0,2] \xE6\x80[1,3] ");    /* cut off: byte by byte */
    assert_string_equal(tokens("\xE6\x80 ab", 5), "\xE6\x80[0,2] ab[3,5] ");     /* never swallows a space */
}

static int stop_at_two(void *cls, const char *token, int len, int start, int end)
{
    (void)token, (void)len, (void)start, (void)end;
    return ++*(int *)cls == 2 ? 7 : 0;
}

static void test_emit_stops_the_walk(void **state)
{
    (void)state;
    int calls = 0;
    assert_int_equal(sqlite_bigram_walk("abcdef", 6, stop_at_two, &calls), 7);
    assert_int_equal(calls, 2);
}

static int64_t count(sqlite3 *h, const char *phrase)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT COUNT(*) FROM t_fts WHERE t_fts MATCH ?", -1, &s, NULL), SQLITE_OK);
    char q[128];
    snprintf(q, sizeof q, "\"%s\"", phrase);
    sqlite3_bind_text(s, 1, q, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

static void test_fts5_table(void **state)
{
    (void)state;
    assert_int_equal(sqlite_bigram_register(), SQLITE_OK);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
    const char *schema =
        "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT);"
        "CREATE VIRTUAL TABLE t_fts USING fts5(body, tokenize = 'kepu_bigram', content = 't', content_rowid = 'id');"
        "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO t_fts (rowid, body) VALUES (new.id, new.body); END;"
        "CREATE TRIGGER t_upd AFTER UPDATE OF body ON t BEGIN "
        "  INSERT INTO t_fts (t_fts, rowid, body) VALUES ('delete', old.id, old.body);"
        "  INSERT INTO t_fts (rowid, body) VALUES (new.id, new.body); END;"
        "INSERT INTO t (body) VALUES ('家庭急救知识讲座'), ('防火 安全'), ('AI 入门');";
    assert_int_equal(sqlite3_exec(h, schema, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(count(h, "急救"), 1);
    assert_int_equal(count(h, "急救知识"), 1);      /* three neighbouring tokens */
    assert_int_equal(count(h, "救急"), 0);
    assert_int_equal(count(h, "家庭讲座"), 0);      /* both words are there, not as one phrase */
    assert_int_equal(count(h, "火安"), 0);          /* across the space */
    assert_int_equal(count(h, "ai"), 1);
    assert_int_equal(count(h, "AI"), 1);
    assert_int_equal(sqlite3_exec(h, "UPDATE t SET body = '用电安全' WHERE id = 1", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(count(h, "急救"), 0);
    assert_int_equal(count(h, "用电"), 1);
    assert_int_equal(count(h, "安全"), 2);          /* row 1 now, and row 2 after its space */
    sqlite3_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_emit_stops_the_walk),
        cmocka_unit_test(test_fts5_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
