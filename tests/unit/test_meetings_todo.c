/* test_meetings_todo.c - the meetings' to-do sources (todo/todo.h): meeting_register counts the
 * caller's own unit's invitations with places left while registration is open (a unit whose
 * quota is filled has none, another district's is not counted), meeting_upcoming the meetings in
 * the next 7 days its unit registered someone for, and the registration deadlines in a window go
 * to the units with places left only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "core/pii.h"
#include "core/timeutil.h"
#include "meetings/meetings.h"
#include "orgs/orgs.h"
#include "todo/todo.h"
#include <string.h>
#include <time.h>

static principal admin(void)
{
    principal p;
    memset(&p, 0, sizeof p);
    p.username = "t";
    p.rank = RANK_ADMIN;
    p.scope.level = SCOPE_ALL;
    return p;
}

static principal staff_of(arena *a, const org *o)
{
    principal p;
    memset(&p, 0, sizeof p);
    p.username = "s";
    p.user_id = 0;
    p.org_id = o->id;
    p.org_path = o->path;
    p.rank = RANK_STAFF;
    p.scope.level = SCOPE_SUBTREE;
    scope_add_path(a, &p.scope, o->path);
    return p;
}

static const char *in_seconds(arena *a, long s)
{
    char *buf = arena_alloc(a, 32);
    time_to_rfc3339(time(NULL) + s, buf);
    return buf;
}

static int64_t count(db *c, const todo_source *src, const principal *p, arena *a)
{
    todo_bucket b;
    memset(&b, 0, sizeof b);
    assert_int_equal(src->collect(c, p, a, 5, &b), DB_OK);
    return b.count;
}

struct seen { int64_t org_id[8]; int n; };

static int note(db *c, const todo_deadline *d, void *cls)
{
    (void)c;
    struct seen *s = cls;
    if (s->n < 8) s->org_id[s->n++] = d->org_id;
    return DB_OK;
}

static void test_register_and_upcoming(void **state)
{
    (void)state;
    unsigned char key[32] = {7};
    pii_set_key(key);
    db *c;
    arena a;
    arena_init(&a);
    assert_int_equal(db_open(":memory:", &c), DB_OK);
    assert_int_equal(db_migrate(c), DB_OK);
    org city, d1, d2;
    orgs_create_system(c, &a, 0, "city", "市", NULL, &city);
    orgs_create_system(c, &a, city.id, "district", "甲区", NULL, &d1);
    orgs_create_system(c, &a, city.id, "district", "乙区", NULL, &d2);
    principal p = admin();
    meeting in = {.org_id = city.id, .title = "推进会", .kind = "work", .starts_at = in_seconds(&a, 3 * 86400),
                  .ends_at = in_seconds(&a, 3 * 86400 + 3600), .place = "会议室",
                  .registration_deadline = in_seconds(&a, 2 * 86400), .default_quota = 2,
                  .targeting = "{\"org_types\":[\"district\"]}"}, m;
    assert_int_equal(meeting_entity.create(c, &p, &a, &in, &m), DB_OK);
    principal s1 = staff_of(&a, &d1), s2 = staff_of(&a, &d2);
    assert_int_equal(count(c, &meeting_register_source, &s1, &a), 0);   /* a draft invites nobody */
    assert_int_equal(meetings_publish(c, &p, &a, m.id, &m), DB_OK);
    assert_int_equal(count(c, &meeting_register_source, &s1, &a), 1);
    assert_int_equal(count(c, &meeting_register_source, &s2, &a), 1);
    assert_int_equal(count(c, &meeting_upcoming_source, &s1, &a), 0);
    int64_t id;
    meeting_participant one = {.name = "张三", .phone = "13900000001"}, two = {.name = "李四", .phone = "13900000002"};
    assert_int_equal(participants_add(c, &s1, &a, m.id, 0, &one, &id), DB_OK);
    assert_int_equal(count(c, &meeting_register_source, &s1, &a), 1);   /* one place left */
    assert_int_equal(count(c, &meeting_upcoming_source, &s1, &a), 1);
    assert_int_equal(participants_add(c, &s1, &a, m.id, 0, &two, &id), DB_OK);
    assert_int_equal(count(c, &meeting_register_source, &s1, &a), 0);   /* the quota filled */
    assert_int_equal(count(c, &meeting_register_source, &s2, &a), 1);
    assert_int_equal(count(c, &meeting_upcoming_source, &s2, &a), 0);
    struct seen seen = {0};
    assert_int_equal(meeting_register_source.deadlines_unscoped(c, &a, in_seconds(&a, 0), in_seconds(&a, 3 * 86400), note,
                                                                &seen), DB_OK);
    assert_int_equal(seen.n, 1);
    assert_int_equal(seen.org_id[0], d2.id);
    seen.n = 0;   /* a window before the deadline holds none */
    assert_int_equal(meeting_register_source.deadlines_unscoped(c, &a, in_seconds(&a, 0), in_seconds(&a, 86400), note,
                                                                &seen), DB_OK);
    assert_int_equal(seen.n, 0);
    db_close(c);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_register_and_upcoming)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
