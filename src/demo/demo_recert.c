/* demo_recert.c - the demo's re-certification (issue 15, package G; src/calls/recert.c): eight
 * teaching points named 示范教学点 about two years before the demo's today (their term ends in
 * a few weeks), seven of those with the most courses this year and the one with the fewest, and
 * the city's 称号复核 of them in 公示: the minimum is the pace of 24 courses due by today (a
 * review in the middle of the year cannot ask for the whole year's 24), the last ranked
 * proposed too (末位淘汰); the proposal applied, the last-ranked one kept by the city on a
 * re-inspection (an override with its reason), so one title stands to be revoked in the 公示.
 * Everything goes through the modules' functions with the demo's principal. */
#include "demo/demo.h"
#include "calls/calls.h"
#include "calls/calls_internal.h"   /* calls_create, calls_move: the writers the routes use */
#include "calls/results.h"
#include "core/period.h"
#include "db/query.h"
#include "targets/targets.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOLDERS 8

/* The points with the most held courses this year, then the one with the fewest. */
#define BY_COURSES "SELECT o.id FROM orgs o WHERE o.type = 'point' ORDER BY (SELECT COUNT(*) FROM courses k " \
                   "WHERE k.org_id = o.id AND k.status = 'held' AND k.day >= ?) "
static int pick_points(db *c, arena *a, int year, int64_t *ids)
{
    (void)a;
    qb q;
    char from[11];
    snprintf(from, sizeof from, "%04d-01-01", year);
    int n = 0, rc;
    for (int pass = 0; pass < 2; pass++) {
        qb_init(&q, pass ? BY_COURSES "ASC, o.id LIMIT 1" : BY_COURSES "DESC, o.id LIMIT ?");
        qb_text(&q, from);
        if (!pass) qb_int(&q, HOLDERS - 1);
        db_stmt *s = qb_prepare(&q, c);
        if (!s) return -1;
        while ((rc = db_step(s)) == DB_ROW) {
            int64_t id = db_col_int(s, 0);
            bool seen = false;
            for (int i = 0; i < n; i++) seen |= ids[i] == id;
            if (!seen && n < HOLDERS) ids[n++] = id;
        }
        db_finish(s);
        if (rc != DB_DONE) return -1;
    }
    return n;
}

/* The builtin template's form and review as a call from it would copy them. */
static int template_call(db *c, arena *a, const demo_context *x, call_rec *in)
{
    qb q;
    qb_init(&q, "SELECT config FROM call_templates WHERE code = 'recertification'");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    json_t *cfg = db_step(s) == DB_ROW ? json_loads(db_col_text(s, 0), 0, NULL) : NULL;
    db_finish(s);
    if (!cfg) return DB_ERR;
    char *form = json_dumps(json_object_get(cfg, "form"), JSON_COMPACT), *review = json_dumps(json_object_get(cfg, "review"), JSON_COMPACT);
    char deadline[11];
    day_add(x->today, -5, deadline);   /* the holders' reports are in */
    *in = (call_rec){.template_code = "recertification", .org_id = x->city_id, .year = x->year,
                     .title = arena_printf(a, "%d年示范教学点称号复核", x->year), .eligible = "holders", .stages = "[]",
                     .form = arena_strdup(a, form), .review = arena_strdup(a, review), .late_policy = "refuse",
                     .max_per_unit = 1, .deadline = arena_printf(a, "%sT23:59:59+08:00", deadline),
                     .body = "对现有示范教学点进行两年一次的复核：年度开课不足或排名末位的，撤销命名。"};
    free(form), free(review);
    json_decref(cfg);
    return DB_OK;
}

/* The pace of 24 courses due by today (targets' rule), at least 1. */
static int64_t pace(const demo_context *x)
{
    char from[11], to[11];
    snprintf(from, sizeof from, "%04d-01-01", x->year);
    snprintf(to, sizeof to, "%04d-12-31", x->year);
    int64_t due = targets_expected(24, from, to, x->today);
    return due < 1 ? 1 : due;
}

static int run(db *c, const principal *p, arena *a, const demo_context *x, int *held, int64_t *revoked)
{
    int64_t ids[HOLDERS];
    int n = pick_points(c, a, x->year, ids);
    if (n < 2) return DB_ERR;
    *held = n;
    char back[32], from[11];
    snprintf(back, sizeof back, "%04d%.6s", (x->year - 2) % 10000, x->today + 4);
    if (!strcmp(back + 5, "02-29")) back[9] = '8';
    day_add(back, 45, from);   /* named two years back: the term ends in about six weeks */
    int rc = DB_OK;
    for (int i = 0; rc == DB_OK && i < n; i++) {
        designation in = {.kind = "demo_point", .org_id = ids[i], .valid_from = from}, out;
        rc = designations_create(c, p, a, &in, &out);
    }
    call_rec in, call, moved;
    if (rc == DB_OK) rc = template_call(c, a, x, &in);
    if (rc == DB_OK) rc = calls_create(c, p, a, &in, &call);
    if (rc == DB_OK)
        rc = recert_set(c, p, a, &call, "demo_point", arena_printf(a, "{\"courses\":%lld}", (long long)pace(x)), 1, 0);
    if (rc == DB_OK) rc = calls_move(c, p, a, call.id, "open", &moved);
    if (rc == DB_OK) rc = calls_move(c, p, a, call.id, "close", &moved);
    int64_t applied = 0;
    if (rc == DB_OK) rc = recert_apply(c, p, a, &moved, &applied);
    /* the city re-inspects the last-ranked point and keeps it */
    int64_t last = 0;
    if (rc == DB_OK &&
        demo_ids(c, "SELECT id FROM call_entries WHERE call_id = ? AND outcome = 'revoke' AND decision_reason LIKE '末位淘汰%' "
                    "ORDER BY id LIMIT 1", call.id, &last, 1) == 1) {
        entry_decision d;
        rc = results_decide(c, p, a, last, "keep", NULL, 0, "整改后复查合格，保留命名 / re-inspected after rectification: kept", &d);
    }
    if (rc == DB_OK && demo_ids(c, "SELECT COUNT(*) FROM call_entries WHERE call_id = ? AND outcome = 'revoke'", call.id, revoked, 1) != 1)
        rc = DB_ERR;
    char ends[11];
    day_add(x->today, 7, ends);
    publicity pub;
    if (rc == DB_OK)
        rc = results_publicize(c, p, a, call.id, arena_printf(a, "%sT23:59:59+08:00", ends),
                               "以下示范教学点复核结果予以公示，公示期内如有异议请提出。", NULL, &pub);
    return rc;
}

int demo_step_recert(db *c, const demo_context *x)
{
    principal demo = demo_principal_unscoped();
    arena a;
    arena_init(&a);
    int64_t revoked = 0;
    int held = 0;
    int rc = run(c, &demo, &a, x, &held, &revoked);
    arena_free(&a);
    if (rc != DB_OK) {
        fprintf(stderr, "demo recert: failed (%d)\n", rc);
        return -1;
    }
    printf("demo recert: %d 示范教学点 under re-certification in 公示, %lld to be revoked\n", held, (long long)revoked);
    return 0;
}
