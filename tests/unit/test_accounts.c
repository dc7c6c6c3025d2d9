/* test_accounts.c - the grant rules of accounts on an in-memory database: nobody hands out a
 * role, a data scope or an org beyond its own, and nobody disables or demotes itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "accounts/accounts.h"
#include "auth/auth.h"
#include "orgs/orgs.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    db *c;
    arena a;
    org city, d1, d2;
    principal district_admin;
    user admin_user;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    arena_init(&f->a);
    assert_int_equal(db_open(":memory:", &f->c), DB_OK);
    assert_int_equal(db_migrate(f->c), DB_OK);
    orgs_create_system(f->c, &f->a, 0, "city", "市科协", NULL, &f->city);
    orgs_create_system(f->c, &f->a, f->city.id, "district", "甲区", NULL, &f->d1);
    orgs_create_system(f->c, &f->a, f->city.id, "district", "乙区", NULL, &f->d2);
    user_input in = {.username = "boss", .name = "Boss", .org_id = f->city.id, .role = "admin",
                     .data_scope = "all", .password = "long-enough-pw"};
    assert_int_equal(accounts_create_system(f->c, &f->a, &in, &f->admin_user), DB_OK);
    user da;
    user_input din = {.username = "d1admin", .name = "D1", .org_id = f->d1.id, .role = "org_admin",
                      .data_scope = "subtree", .password = "long-enough-pw"};
    assert_int_equal(accounts_create_system(f->c, &f->a, &din, &da), DB_OK);
    assert_int_equal(principal_load(f->c, &f->a, da.id, &f->district_admin), DB_ROW);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    db_close(f->c);
    arena_free(&f->a);
    free(f);
    return 0;
}

static int try_create(fixture *f, const char *username, int64_t org_id, const char *role, const char *sc)
{
    user u;
    user_input in = {.username = username, .name = "x", .org_id = org_id, .role = role, .data_scope = sc,
                     .password = "long-enough-pw"};
    return accounts_create(f->c, &f->district_admin, &f->a, &in, &u);
}

static void test_create_within_own_grant(void **state)
{
    fixture *f = *state;
    assert_int_equal(try_create(f, "ok_staff", f->d1.id, "staff", "subtree"), DB_OK);
    assert_int_equal(try_create(f, "ok_peer", f->d1.id, "org_admin", "subtree"), DB_OK);
}

static void test_create_refuses_more_rights(void **state)
{
    fixture *f = *state;
    assert_int_equal(try_create(f, "too_high", f->d1.id, "admin", "subtree"), ACC_GRANT_TOO_HIGH);
    assert_int_equal(try_create(f, "too_wide", f->d1.id, "staff", "all"), ACC_GRANT_TOO_HIGH);
    assert_int_equal(try_create(f, "elsewhere", f->d2.id, "staff", "org"), ACC_ORG_NOT_FOUND);
    assert_int_equal(try_create(f, "ok_staff", f->d1.id, "staff", "org"), ACC_DUPLICATE_USERNAME);
}

static void test_admin_outside_reach_is_invisible(void **state)
{
    fixture *f = *state;
    user u;
    user_input in = {.name = "hacked"};
    assert_int_equal(accounts_update(f->c, &f->district_admin, &f->a, f->admin_user.id, &in, &u), ACC_NOT_FOUND);
    assert_int_equal(accounts_set_password(f->c, &f->district_admin, &f->a, f->admin_user.id, "another-long-pw"),
                     ACC_NOT_FOUND);
}

static void test_no_self_disable_or_demotion(void **state)
{
    fixture *f = *state;
    user u;
    user_input off = {.has_active = true, .active = false};
    assert_int_equal(accounts_update(f->c, &f->district_admin, &f->a, f->district_admin.user_id, &off, &u),
                     ACC_SELF_CHANGE);
    user_input demote = {.role = "staff"};
    assert_int_equal(accounts_update(f->c, &f->district_admin, &f->a, f->district_admin.user_id, &demote, &u),
                     ACC_SELF_CHANGE);
    user_input rename = {.name = "新名字"};
    assert_int_equal(accounts_update(f->c, &f->district_admin, &f->a, f->district_admin.user_id, &rename, &u),
                     DB_OK);
    assert_string_equal(u.name, "新名字");
}

static void test_phone_is_masked_unless_revealed(void **state)
{
    (void)state;
    user u = {.id = 1, .username = "u", .name = "n", .org_name = "o", .role = "staff",
              .data_scope = "org", .phone = "13812345678", .created_at = "t", .updated_at = "t"};
    json_t *masked = user_json(&u, false), *clear = user_json(&u, true);
    assert_string_equal(json_string_value(json_object_get(masked, "phone")), "138****5678");
    assert_string_equal(json_string_value(json_object_get(clear, "phone")), "13812345678");
    assert_null(json_object_get(masked, "password_hash"));
    json_decref(masked);
    json_decref(clear);
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_within_own_grant),
        cmocka_unit_test(test_create_refuses_more_rights),
        cmocka_unit_test(test_admin_outside_reach_is_invisible),
        cmocka_unit_test(test_no_self_disable_or_demotion),
        cmocka_unit_test(test_phone_is_masked_unless_revealed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
