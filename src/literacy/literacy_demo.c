/* literacy_demo.c - the literacy part of the demo city (demo/demo.h): every district's resident
 * population (300,000..1,200,000, set on the node as an admin would) and its survey rows of
 * 2023..this year: the whole population and the gender and urban/rural groups, rates of about
 * 10..17% rising a little each year, unlike from district to district. Written through the
 * module's own writer (checks, statistics, audit). */
#include "literacy/literacy.h"
#include "demo/demo.h"
#include "orgs/orgs.h"

/* One district-year: the all row and four group rows around its rate (ten-thousandths). */
static int demo_year(db *c, const principal *p, arena *a, int64_t org_id, int year, int64_t pop, int64_t bp)
{
    static const struct { const char *dim, *value; int share, delta; } groups[] = {
        {"gender", "male", 51, 120}, {"gender", "female", 49, -125},
        {"area", "urban", 62, 310}, {"area", "rural", 38, -505},
    };
    literacy_survey s = {.org_id = org_id, .year = year, .group_dim = "all", .group_value = "", .rate_bp = bp,
                         .sample_size = 1200, .weight_population = pop, .source = "公民科学素质抽样调查（演示数据）"};
    int rc = literacy_create(c, p, a, &s, NULL);
    for (int g = 0; rc == DB_OK && g < 4; g++) {
        literacy_survey gs = s;
        gs.group_dim = groups[g].dim, gs.group_value = groups[g].value;
        gs.weight_population = pop * groups[g].share / 100;
        gs.rate_bp = bp + groups[g].delta;
        gs.sample_size = 1200 * groups[g].share / 100;
        rc = literacy_create(c, p, a, &gs, NULL);
    }
    return rc;
}

int demo_step_literacy(db *c, const demo_context *x)
{
    int64_t ids[64];
    int n = demo_ids(c, "SELECT id FROM orgs WHERE type = 'district' AND parent_id = ? ORDER BY id", x->city_id, ids, 64);
    if (n < 0) return -1;
    arena a;
    arena_init(&a);
    principal demo = demo_principal_unscoped();
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        int64_t pop = 300000 + (int64_t)((i * 7919 + 3) % 19) * 47000;   /* 300,000 .. 1,146,000 */
        org out;
        rc = orgs_update_population(c, &demo, &a, ids[i], NULL, NULL, NULL, 0, &pop, &out);
        int64_t base = 1000 + (int64_t)((i * 37 + 11) % 50) * 10;      /* 10.00% .. 14.90% in 2023 */
        for (int year = 2023; rc == DB_OK && year <= x->year; year++)
            rc = demo_year(c, &demo, &a, ids[i], year, pop, base + (year - 2023) * (60 + i % 5 * 15));
        arena_free(&a);
    }
    arena_free(&a);
    return rc == DB_OK ? 0 : -1;
}
