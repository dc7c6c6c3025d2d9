/* demo_teachhome.c - the heads of a few demo teaching points (教学点负责人), so that the point's
 * teaching home (its term plan, upcoming courses, the 24-course progress, recent attendance)
 * can be seen as its own admin sees it: d<code>_point is the org_admin of the district's first
 * teaching point (the one with students and an approved autumn plan in the demo). */
#include "demo/demo.h"
#include "accounts/accounts.h"
#include "core/arena.h"
#include <stdio.h>
#include <string.h>

static const struct { const char *code, *district; } heads[] = {
    {"500103", "渝中区"},
    {"500101", "万州区"},
};

/* The first teaching point (by id) below the district with this code; 0 when none. */
static int64_t first_point(db *c, const char *code)
{
    db_stmt *s = db_prepare(c, "SELECT p.id FROM orgs p JOIN orgs d ON p.path > d.path AND "
                               "substr(p.path, 1, length(d.path)) = d.path WHERE d.code = ? AND p.type = 'point' "
                               "ORDER BY p.id LIMIT 1");
    if (!s) return 0;
    db_bind_text(s, 1, code);
    int64_t id = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_finish(s);
    return id;
}

int demo_fill_point_heads(db *c)
{
    arena a;
    arena_init(&a);
    int rc = DB_OK;
    for (size_t i = 0; rc == DB_OK && i < sizeof heads / sizeof *heads; i++) {
        int64_t point = first_point(c, heads[i].code);
        if (!point) continue;
        user u;
        user_input in = {.username = arena_printf(&a, "d%s_point", heads[i].code),
                         .name = arena_printf(&a, "%s教学点负责人", heads[i].district), .org_id = point,
                         .role = "org_admin", .data_scope = "subtree", .password = DEMO_PASSWORD};
        rc = accounts_create_system(c, &a, &in, &u);
    }
    arena_free(&a);
    if (rc != DB_OK) return -1;
    printf("  d500103_point   the head (org_admin) of a 渝中区 teaching point (also d500101_point)\n");
    return 0;
}
