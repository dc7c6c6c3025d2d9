/* test_stmt_cache.c - the statement cache both engines share (db/stmt_cache.c): texts that fall
 * into one set do not evict each other up to its 4 ways, the least recently used one makes room
 * for a fifth, statements in use are never evicted, and a full busy set caches nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "db/stmt_cache.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 6

/* N statement texts whose hashes pick the same set (found by trying "SELECT 0", "SELECT 1"…). */
static db_stmt stmts[N];
static char texts[N][32];

static void colliding_texts(void)
{
    int n = 0;
    unsigned set = str_hash("SELECT 0") % STMT_CACHE_SETS;
    for (int i = 0; n < N; i++) {
        char sql[32];
        snprintf(sql, sizeof sql, "SELECT %d", i);
        if (str_hash(sql) % STMT_CACHE_SETS != set) continue;
        strcpy(texts[n], sql);
        stmts[n] = (db_stmt){.sql = texts[n], .hash = str_hash(sql)};
        n++;
    }
}

/* What an engine's prepare does: the cached statement, or stmts[i] put where the cache says. */
static db_stmt *prepare(stmt_cache *c, int i, db_stmt **evicted)
{
    int slot;
    db_stmt *hit = stmt_cache_get(c, texts[i], str_hash(texts[i]), &slot);
    *evicted = NULL;
    if (hit) return hit;
    stmts[i].in_use = true;
    if (slot >= 0) *evicted = stmt_cache_put(c, slot, &stmts[i]);
    return &stmts[i];
}

static bool is_cached(stmt_cache *c, int i)
{
    for (int k = 0; k < STMT_CACHE_SLOTS; k++)
        if (c->slot[k] == &stmts[i]) return true;
    return false;
}

static void test_four_colliding_texts_stay_cached(void **state)
{
    (void)state;
    stmt_cache c = {0};
    colliding_texts();
    db_stmt *ev;
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 4; i++) {
            db_stmt *s = prepare(&c, i, &ev);
            assert_ptr_equal(s, &stmts[i]);
            assert_null(ev);              /* nothing displaced: four ways for four texts */
            assert_true(s->cached);
            s->in_use = false;            /* finish */
        }
    for (int i = 0; i < 4; i++) assert_true(is_cached(&c, i));
}

static void test_least_recently_used_makes_room(void **state)
{
    (void)state;
    stmt_cache c = {0};
    colliding_texts();
    db_stmt *ev;
    for (int i = 0; i < 4; i++) prepare(&c, i, &ev)->in_use = false;
    /* use 0, 2, 3 again: 1 is now the least recently used */
    prepare(&c, 0, &ev)->in_use = false;
    prepare(&c, 2, &ev)->in_use = false;
    prepare(&c, 3, &ev)->in_use = false;
    prepare(&c, 4, &ev)->in_use = false;
    assert_ptr_equal(ev, &stmts[1]);
    assert_false(is_cached(&c, 1));
    /* then 0 is the oldest */
    prepare(&c, 5, &ev)->in_use = false;
    assert_ptr_equal(ev, &stmts[0]);
    assert_true(is_cached(&c, 2) && is_cached(&c, 3) && is_cached(&c, 4) && is_cached(&c, 5));
}

static void test_statements_in_use_are_never_evicted(void **state)
{
    (void)state;
    stmt_cache c = {0};
    colliding_texts();
    db_stmt *ev;
    db_stmt *oldest = prepare(&c, 0, &ev);    /* oldest, and still in use */
    for (int i = 1; i < 4; i++) prepare(&c, i, &ev)->in_use = false;
    prepare(&c, 4, &ev)->in_use = false;
    assert_ptr_equal(ev, &stmts[1]);          /* not 0, which is older but busy */
    assert_true(is_cached(&c, 0));
    /* the same text while its cached statement is busy: not the busy one */
    int slot;
    assert_null(stmt_cache_get(&c, texts[0], str_hash(texts[0]), &slot));
    assert_true(slot >= 0 && c.slot[slot] != oldest);
    oldest->in_use = false;
}

static void test_a_busy_set_caches_nothing(void **state)
{
    (void)state;
    stmt_cache c = {0};
    colliding_texts();
    db_stmt *ev;
    for (int i = 0; i < 4; i++) prepare(&c, i, &ev);   /* all four in use */
    for (int i = 0; i < N; i++) stmts[i].cached = i < 4;
    db_stmt *s = prepare(&c, 4, &ev);
    assert_null(ev);
    assert_false(s->cached);                  /* the engine destroys it at finish */
    for (int i = 0; i < 4; i++) assert_true(is_cached(&c, i));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_four_colliding_texts_stay_cached),
        cmocka_unit_test(test_least_recently_used_makes_room),
        cmocka_unit_test(test_statements_in_use_are_never_evicted),
        cmocka_unit_test(test_a_busy_set_caches_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
