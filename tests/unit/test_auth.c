/* test_auth.c - password hashing, sessions and the scope rule's SQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "auth/auth.h"
#include <sodium.h>
#include <string.h>

static void test_password_hash_verifies_only_the_same_password(void **state)
{
    (void)state;
    char hash[PASSWORD_HASH_MAX];
    assert_int_equal(password_hash("correct horse battery", hash), 0);
    assert_non_null(strstr(hash, "$argon2id$"));
    assert_non_null(strstr(hash, "m=19456,t=2"));
    assert_true(password_verify(hash, "correct horse battery"));
    assert_false(password_verify(hash, "correct horse battery!"));
    assert_false(password_verify(NULL, "x"));
}

static void test_sessions_store_only_a_token_digest(void **state)
{
    (void)state;
    db *c;
    arena a;
    arena_init(&a);
    assert_int_equal(db_open(":memory:", &c), DB_OK);
    assert_int_equal(db_migrate(c), DB_OK);
    assert_int_equal(db_exec(c, "INSERT INTO orgs (id, type, name, path, depth, created_at, updated_at) "
                                "VALUES (1, 'city', 'c', '/1/', 0, 'x', 'x');"
                                "INSERT INTO users (id, username, name, org_id, role, data_scope, password_hash, "
                                "created_at, updated_at) VALUES (7, 'u7', 'n', 1, 'staff', 'subtree', 'h', 'x', 'x')"), DB_OK);
    char token[TOKEN_CHARS], csrf[CSRF_CHARS];
    assert_int_equal(session_create(c, 7, "127.0.0.1", token, csrf), DB_OK);
    assert_int_equal(strlen(token), 43);      /* 256 bits in base64url */
    assert_int_equal(strlen(csrf), 32);
    db_stmt *s = db_prepare(c, "SELECT token_hash FROM sessions WHERE user_id = 7");
    assert_int_equal(db_step(s), DB_ROW);
    assert_string_not_equal(db_col_text(s, 0), token);
    assert_int_equal(strlen(db_col_text(s, 0)), 64);
    db_finish(s);
    principal p;
    assert_int_equal(principal_load(c, &a, 7, &p), DB_ROW);
    assert_int_equal(p.rank, RANK_STAFF);
    assert_int_equal(p.scope.level, SCOPE_SUBTREE);
    assert_string_equal(p.scope.paths[0], "/1/");
    assert_int_equal(session_delete_user(c, 7, 0), DB_OK);
    assert_int_equal(db_changes(c), 1);
    db_close(c);
    arena_free(&a);
}

static void test_scope_filter_binds_ranges_not_text(void **state)
{
    (void)state;
    arena a;
    arena_init(&a);
    scope s = {.level = SCOPE_SUBTREE};
    scope_add_path(&a, &s, "/1/7/");
    scope_add_path(&a, &s, "/1/9/");
    scope_add_path(&a, &s, "/1/7/");          /* duplicates are ignored */
    qb q;
    qb_init(&q, "SELECT 1 FROM orgs o WHERE 1 = 1");
    scope_filter(&s, &q, "o.path");
    assert_int_equal(q.n, 4);
    assert_null(strstr(q.sql.s, "/1/7/"));    /* values are bound, never spliced */
    assert_string_equal(q.b[1].s, "/1/70");
    qb_free(&q);
    s.level = SCOPE_ALL;
    qb_init(&q, "x");
    scope_filter(&s, &q, "o.path");
    assert_string_equal(q.sql.s, "x");
    qb_free(&q);
    assert_true(scope_covers(&(scope){.level = SCOPE_ALL}, "/5/"));
    s.level = SCOPE_ORG;
    assert_true(scope_covers(&s, "/1/7/"));
    assert_false(scope_covers(&s, "/1/7/8/"));
    s.level = SCOPE_SUBTREE;
    assert_true(scope_covers(&s, "/1/7/8/"));
    assert_false(scope_covers(&s, "/1/70/"));
    arena_free(&a);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_hash_verifies_only_the_same_password),
        cmocka_unit_test(test_sessions_store_only_a_token_digest),
        cmocka_unit_test(test_scope_filter_binds_ranges_not_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
