/* ranking.c - the rankings of a contest (see contests.h): persons by their best attempt (more
 * points first, then less time, then earlier), read as one range of contest_best's ranking
 * index; districts (the nodes of type district under the contest's org) by participants per
 * 10,000 residents (orgs.population) and by average best score, from contest_districts. Both as
 * JSON and as a workbook. Names are masked everywhere. */
#include "contests/contests.h"
#include "db/query.h"
#include "docs/xlsx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *contest_mask_name(arena *a, const char *name)
{
    if (!name || !*name) return "*";
    size_t first = 1;
    while (name[first] && (name[first] & 0xC0) == 0x80) first++;
    size_t rest = 0;
    for (const char *p = name + first; *p; p++) rest += (*p & 0xC0) != 0x80;
    char *out = arena_alloc(a, first + (rest ? rest : 1) + 1);
    memcpy(out, name, first);
    memset(out + first, '*', rest ? rest : 1);
    out[first + (rest ? rest : 1)] = 0;
    return out;
}

int ranking_rank_of(db *c, int64_t contest_id, int64_t score, int64_t used_s, const char *at, int64_t *rank)
{
    qb q;
    int64_t better = 0;
    qb_init(&q, "SELECT COUNT(*) FROM contest_best WHERE contest_id = ? AND (score > ? OR (score = ? AND (used_s < ? OR "
                "(used_s = ? AND at < ?))))");
    qb_int(&q, contest_id), qb_int(&q, score), qb_int(&q, score), qb_int(&q, used_s), qb_int(&q, used_s);
    qb_text(&q, at ? at : "");
    int rc = qb_exec(c, &q, &better);
    *rank = better + 1;
    return rc;
}

typedef void (*person_fn)(int64_t rank, const char *name, const char *district, int64_t score, int64_t used, void *cls);

static int each_person(db *c, arena *a, const contest *ct, int64_t limit, int64_t offset, person_fn fn, void *cls)
{
    db_stmt *s = db_prepare(c, "SELECT b.person_name, o.name, b.score, b.used_s FROM contest_best b JOIN orgs o ON o.id = "
                               "b.org_id WHERE b.contest_id = ? ORDER BY b.score DESC, b.used_s, b.at, b.person_kind, "
                               "b.person_id LIMIT ? OFFSET ?");
    if (!s) return DB_ERR;
    db_bind_int(s, 1, ct->id), db_bind_int(s, 2, limit), db_bind_int(s, 3, offset);
    int rc;
    for (int64_t i = 1; (rc = db_step(s)) == DB_ROW; i++)
        fn(offset + i, contest_mask_name(a, db_col_text(s, 0)), db_col_text(s, 1), db_col_int(s, 2), db_col_int(s, 3), cls);
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

static void person_json(int64_t rank, const char *name, const char *district, int64_t score, int64_t used, void *cls)
{
    jw *w = cls;
    jw_obj(w);
    jw_key(w, "rank"), jw_int(w, rank);
    jw_key(w, "name"), jw_str(w, name);
    jw_key(w, "district"), jw_str(w, district);
    jw_key(w, "score"), jw_int(w, score);
    jw_key(w, "used_s"), jw_int(w, used);
    jw_obj_end(w);
}

int ranking_persons(db *c, arena *a, const contest *ct, int64_t limit, int64_t offset, jw *w)
{
    qb q;
    int64_t total = 0;
    qb_init(&q, "SELECT COUNT(*) FROM contest_best WHERE contest_id = ?");
    qb_int(&q, ct->id);
    int rc = qb_exec(c, &q, &total);
    if (rc != DB_OK) return rc;
    jw_obj(w);
    jw_key(w, "items"), jw_arr(w);
    rc = each_person(c, a, ct, limit, offset, person_json, w);
    jw_arr_end(w);
    jw_key(w, "total"), jw_int(w, total);
    jw_obj_end(w);
    return rc;
}

static void person_row(int64_t rank, const char *name, const char *district, int64_t score, int64_t used, void *cls)
{
    xlsx *x = cls;
    xlsx_int(x, 0, rank), xlsx_text(x, 1, name), xlsx_text(x, 2, district), xlsx_int(x, 3, score), xlsx_int(x, 4, used);
    xlsx_next_row(x);
}

int ranking_persons_xlsx(db *c, arena *a, const contest *ct, xlsx *x)
{
    return each_person(c, a, ct, 100000, 0, person_row, x);
}

typedef struct district_row {
    int64_t org_id, population, participants, score_sum;
    const char *name;
    int64_t per_10k_e2, avg_e2;   /* hundredths */
    int rank_per_10k, rank_avg;
} district_row;

static int cmp_per_10k(const void *x, const void *y)
{
    const district_row *a = *(district_row *const *)x, *b = *(district_row *const *)y;
    return a->per_10k_e2 != b->per_10k_e2 ? (a->per_10k_e2 < b->per_10k_e2 ? 1 : -1) : (a->org_id > b->org_id) - (a->org_id < b->org_id);
}

static int cmp_avg(const void *x, const void *y)
{
    const district_row *a = *(district_row *const *)x, *b = *(district_row *const *)y;
    return a->avg_e2 != b->avg_e2 ? (a->avg_e2 < b->avg_e2 ? 1 : -1) : (a->org_id > b->org_id) - (a->org_id < b->org_id);
}

/* The districts with their figures and both ranks (equal figures share a rank). */
static int read_districts(db *c, arena *a, const contest *ct, district_row **out, int *n)
{
    qb q;
    qb_init(&q, "SELECT o.id, o.name, COALESCE(o.population, 0), COALESCE(d.participants, 0), COALESCE(d.score_sum, 0) "
                "FROM orgs o LEFT JOIN contest_districts d ON d.contest_id = ? AND d.org_id = o.id WHERE o.type = 'district'");
    qb_int(&q, ct->id);
    qb_subtree(&q, a, "o.path", ct->org_path);
    qb_sql(&q, " ORDER BY o.path");
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    int cap = 64, k = 0, rc;
    district_row *rows = arena_alloc(a, sizeof *rows * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (k == cap) {
            district_row *more = arena_alloc(a, sizeof *more * (size_t)(cap *= 2));
            memcpy(more, rows, sizeof *rows * (size_t)k);
            rows = more;
        }
        district_row *d = &rows[k++];
        *d = (district_row){db_col_int(s, 0), db_col_int(s, 2), db_col_int(s, 3), db_col_int(s, 4),
                            arena_strdup(a, db_col_text(s, 1)), 0, 0, 0, 0};
        d->per_10k_e2 = d->population > 0 ? d->participants * 1000000 / d->population : 0;
        d->avg_e2 = d->participants > 0 ? d->score_sum * 100 / d->participants : 0;
    }
    db_finish(s);
    if (rc != DB_DONE) return rc;
    district_row **order = arena_alloc(a, sizeof *order * (size_t)(k ? k : 1));
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < k; i++) order[i] = &rows[i];
        qsort(order, (size_t)k, sizeof *order, pass ? cmp_avg : cmp_per_10k);
        for (int i = 0; i < k; i++) {
            int64_t v = pass ? order[i]->avg_e2 : order[i]->per_10k_e2;
            int64_t prev = i ? (pass ? order[i - 1]->avg_e2 : order[i - 1]->per_10k_e2) : -1;
            int r = i && v == prev ? (pass ? order[i - 1]->rank_avg : order[i - 1]->rank_per_10k) : i + 1;
            if (pass) order[i]->rank_avg = r;
            else order[i]->rank_per_10k = r;
        }
    }
    *out = rows, *n = k;
    return DB_OK;
}

static void write_e2(jw *w, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
    jw_raw(w, buf);
}

int ranking_districts(db *c, arena *a, const contest *ct, jw *w)
{
    district_row *rows;
    int n, rc = read_districts(c, a, ct, &rows, &n);
    if (rc != DB_OK) return rc;
    jw_obj(w);
    jw_key(w, "items"), jw_arr(w);
    for (int i = 0; i < n; i++) {
        jw_obj(w);
        jw_key(w, "org_id"), jw_int(w, rows[i].org_id);
        jw_key(w, "district"), jw_str(w, rows[i].name);
        jw_key(w, "population"), jw_int(w, rows[i].population);
        jw_key(w, "participants"), jw_int(w, rows[i].participants);
        jw_key(w, "per_10k"), write_e2(w, rows[i].per_10k_e2);
        jw_key(w, "avg_score"), write_e2(w, rows[i].avg_e2);
        jw_key(w, "rank_per_10k"), jw_int(w, rows[i].rank_per_10k);
        jw_key(w, "rank_avg"), jw_int(w, rows[i].rank_avg);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    return DB_OK;
}

int ranking_districts_xlsx(db *c, arena *a, const contest *ct, xlsx *x)
{
    district_row *rows;
    int n, rc = read_districts(c, a, ct, &rows, &n);
    if (rc != DB_OK) return rc;
    for (int i = 0; i < n; i++) {
        xlsx_text(x, 0, rows[i].name), xlsx_int(x, 1, rows[i].population), xlsx_int(x, 2, rows[i].participants);
        xlsx_decimal(x, 3, (double)rows[i].per_10k_e2 / 100), xlsx_decimal(x, 4, (double)rows[i].avg_e2 / 100);
        xlsx_int(x, 5, rows[i].rank_per_10k), xlsx_int(x, 6, rows[i].rank_avg);
        xlsx_next_row(x);
    }
    return DB_OK;
}
