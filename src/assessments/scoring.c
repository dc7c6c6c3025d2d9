/* scoring.c - the scores of an assessment (assessments.h): live from the sources and the manual
 * scores while open (or draft), from assessment_results once final. Per unit and indicator:
 * RATIO sources score weight x value (value clamped to 0..1), COUNT sources weight x value / the
 * best unit's value, manual items the score given; the total is their sum and units of equal
 * totals (to the hundredth) share a rank. Values are kept as value x 10,000, scores in hundredths.
 * The caller sees the rows of the units its scope covers (the city all, a district its own). */
#include "assessments/assessments.h"
#include "assessments/sources.h"
#include "core/timeutil.h"
#include "db/query.h"
#include "assessments/assess_sql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The assessed units: the nodes of the scheme's unit type under its org, by name. */
static int load_units(db *c, arena *a, const asm_scheme *s, assess_unit **out, int *n)
{
    qb q;
    qb_init(&q, "SELECT id, path, name FROM orgs WHERE type = ? AND substr(path, 1, length(?)) = ? AND path <> ? "
                "ORDER BY name, id");
    qb_text(&q, s->unit_type), qb_text(&q, s->org_path), qb_text(&q, s->org_path), qb_text(&q, s->org_path);
    db_stmt *st = qb_prepare(&q, c);
    if (!st) return DB_ERR;
    int cap = 64, k = 0, rc;
    assess_unit *v = arena_alloc(a, sizeof(assess_unit) * (size_t)cap);
    while (v && (rc = db_step(st)) == DB_ROW) {
        if (k == cap) {
            assess_unit *w = arena_alloc(a, sizeof(assess_unit) * (size_t)cap * 2);
            if (!w) break;
            memcpy(w, v, sizeof(assess_unit) * (size_t)cap), v = w, cap *= 2;
        }
        v[k].org_id = db_col_int(st, 0);
        v[k].path = arena_strdup(a, db_col_text(st, 1)), v[k].name = arena_strdup(a, db_col_text(st, 2));
        k++;
    }
    db_finish(st);
    if (!v) return DB_ERR;
    *out = v, *n = k;
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

/* Manual scores into the rows: row of unit u, column of indicator i. */
static int load_manual(db *c, arena *a, const asm_scheme *s, const asm_indicator *ind, int ni, const assess_unit *u, int nu,
                       asm_unit_row *rows, bool *scored)
{
    qb q;
    qb_init(&q, "SELECT indicator_id, org_id, score_e2, note, id FROM assessment_manual_scores WHERE scheme_id = ?");
    qb_int(&q, s->id);
    db_stmt *st = qb_prepare(&q, c);
    if (!st) return DB_ERR;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int i = -1, k = -1;
        for (int j = 0; j < ni; j++) if (ind[j].id == db_col_int(st, 0)) i = j;
        for (int j = 0; j < nu; j++) if (u[j].org_id == db_col_int(st, 1)) k = j;
        if (i < 0 || k < 0) continue;
        rows[k].score_e2[i] = rows[k].value_e4[i] = db_col_int(st, 2);
        rows[k].value_e4[i] *= 100;
        scored[k * ni + i] = true;
        rows[k].score_id[i] = db_col_int(st, 4);
        const char *note = db_col_text(st, 3);
        if (note && *note) rows[k].detail[i] = arena_strdup(a, note);
    }
    db_finish(st);
    return rc == DB_DONE ? DB_OK : rc;
}

/* One source indicator's column. */
static int score_source(db *c, arena *a, int year, const asm_indicator *x, int col, const assess_unit *u, int nu,
                        asm_unit_row *rows)
{
    const assessment_source *src = assessment_source_find(x->source);
    if (!src) {
        for (int k = 0; k < nu; k++) rows[k].detail[col] = "数据来源暂不可用 / the source is not available";
        return DB_OK;
    }
    assess_measure *m = arena_alloc(a, sizeof(assess_measure) * (size_t)(nu ? nu : 1));
    if (!m) return DB_ERR;
    int rc = src->measure_unscoped(c, a, year, x->param, u, nu, m);
    if (rc != DB_OK) return rc;
    double best = 0;
    for (int k = 0; k < nu; k++) best = m[k].value > best ? m[k].value : best;
    for (int k = 0; k < nu; k++) {
        double v = m[k].value, sc;
        if (src->unit == ASSESS_RATIO) sc = (double)x->weight * (v < 0 ? 0 : v > 1 ? 1 : v);
        else sc = best > 0 ? (double)x->weight * v / best : 0;
        rows[k].value_e4[col] = asm_round(v * 10000.0);
        rows[k].score_e2[col] = asm_round(sc * 100.0);
        rows[k].detail[col] = m[k].detail;
        if (src->unit == ASSESS_COUNT && v < best)
            rows[k].detail[col] = arena_printf(a, "%s%s%g，最高单位 %g / %g, the best unit %g", m[k].detail ? m[k].detail : "",
                                               m[k].detail ? "; " : "", v, best, v, best);
    }
    return DB_OK;
}

static int by_total(const void *x, const void *y)
{
    const asm_unit_row *a = x, *b = y;
    if (a->total_e2 != b->total_e2) return a->total_e2 < b->total_e2 ? 1 : -1;
    return strcmp(a->name, b->name);
}

static void rank_rows(asm_unit_row *rows, int n)
{
    qsort(rows, (size_t)n, sizeof *rows, by_total);
    for (int k = 0; k < n; k++) rows[k].rank = k && rows[k].total_e2 == rows[k - 1].total_e2 ? rows[k - 1].rank : k + 1;
}

static asm_unit_row *new_rows(arena *a, int nu, int ni)
{
    asm_unit_row *rows = arena_alloc(a, sizeof(asm_unit_row) * (size_t)(nu ? nu : 1));
    for (int k = 0; rows && k < nu; k++) {
        rows[k].value_e4 = arena_alloc(a, sizeof(int64_t) * (size_t)(ni ? ni : 1));
        rows[k].score_e2 = arena_alloc(a, sizeof(int64_t) * (size_t)(ni ? ni : 1));
        rows[k].detail = arena_alloc(a, sizeof(char *) * (size_t)(ni ? ni : 1));
        rows[k].score_id = arena_alloc(a, sizeof(int64_t) * (size_t)(ni ? ni : 1));
        if (!rows[k].value_e4 || !rows[k].score_e2 || !rows[k].detail || !rows[k].score_id) return NULL;
    }
    return rows;
}

/* Every unit's live scores, ranked. */
static int live_rows(db *c, arena *a, const asm_scheme *s, const asm_indicator *ind, int ni, asm_unit_row **out, int *nr)
{
    assess_unit *u;
    int nu;
    int rc = load_units(c, a, s, &u, &nu);
    if (rc != DB_OK) return rc;
    asm_unit_row *rows = new_rows(a, nu, ni);
    bool *scored = arena_alloc(a, (size_t)(nu * ni + 1));
    if (!rows || !scored) return DB_ERR;
    for (int k = 0; k < nu; k++) rows[k].org_id = u[k].org_id, rows[k].name = u[k].name;
    rc = load_manual(c, a, s, ind, ni, u, nu, rows, scored);
    for (int i = 0; rc == DB_OK && i < ni; i++) {
        if (strcmp(ind[i].source, "manual") != 0) rc = score_source(c, a, (int)s->year, &ind[i], i, u, nu, rows);
        else
            for (int k = 0; k < nu; k++)
                if (!scored[k * ni + i]) rows[k].detail[i] = "尚未评分 / not scored yet";
    }
    if (rc != DB_OK) return rc;
    for (int k = 0; k < nu; k++)
        for (int i = 0; i < ni; i++) rows[k].total_e2 += rows[k].score_e2[i];
    rank_rows(rows, nu);
    *out = rows, *nr = nu;
    return DB_OK;
}

/* The frozen rows: each unit's indicator rows and its total (indicator 0), in rank order. */
static int frozen_rows(db *c, arena *a, const asm_scheme *s, const asm_indicator *ind, int ni, asm_unit_row **out, int *nr)
{
    qb q;
    qb_init(&q, "SELECT r.org_id, o.name, r.score_e2, r.rank FROM assessment_results r JOIN orgs o ON o.id = r.org_id "
                "WHERE r.scheme_id = ? AND r.indicator_id = 0 ORDER BY r.rank, o.name");
    qb_int(&q, s->id);
    db_stmt *st = qb_prepare(&q, c);
    if (!st) return DB_ERR;
    int cap = 0, rc, n = 0;
    while ((rc = db_step(st)) == DB_ROW) cap++;
    db_finish(st);
    if (rc != DB_DONE) return rc;
    asm_unit_row *rows = new_rows(a, cap, ni);
    if (!rows) return DB_ERR;
    qb_init(&q, "SELECT r.org_id, o.name, r.score_e2, r.rank FROM assessment_results r JOIN orgs o ON o.id = r.org_id "
                "WHERE r.scheme_id = ? AND r.indicator_id = 0 ORDER BY r.rank, o.name");
    qb_int(&q, s->id);
    if (!(st = qb_prepare(&q, c))) return DB_ERR;
    while ((rc = db_step(st)) == DB_ROW && n < cap) {
        rows[n].org_id = db_col_int(st, 0), rows[n].name = arena_strdup(a, db_col_text(st, 1));
        rows[n].total_e2 = db_col_int(st, 2), rows[n].rank = db_col_int(st, 3);
        n++;
    }
    db_finish(st);
    qb_init(&q, "SELECT org_id, indicator_id, value_e4, score_e2, detail FROM assessment_results WHERE scheme_id = ? "
                "AND indicator_id <> 0");
    qb_int(&q, s->id);
    if (!(st = qb_prepare(&q, c))) return DB_ERR;
    while ((rc = db_step(st)) == DB_ROW) {
        int k = -1, i = -1;
        for (int j = 0; j < n; j++) if (rows[j].org_id == db_col_int(st, 0)) k = j;
        for (int j = 0; j < ni; j++) if (ind[j].id == db_col_int(st, 1)) i = j;
        if (k < 0 || i < 0) continue;
        rows[k].value_e4[i] = db_col_int(st, 2), rows[k].score_e2[i] = db_col_int(st, 3);
        rows[k].detail[i] = arena_strdup(a, db_col_text(st, 4));
    }
    db_finish(st);
    *out = rows, *nr = n;
    return rc == DB_DONE ? DB_OK : rc;
}

int asm_scores_rows(db *c, const principal *p, arena *a, const asm_scheme *s, asm_indicator **ind, int *ni,
                    asm_unit_row **rows, int *nr, int *unit_count)
{
    int rc = asm_indicators(c, a, s->id, ind, ni);
    asm_unit_row *all = NULL;
    int n = 0;
    if (rc == DB_OK) rc = !strcmp(s->status, "final") ? frozen_rows(c, a, s, *ind, *ni, &all, &n)
                                                     : live_rows(c, a, s, *ind, *ni, &all, &n);
    if (rc != DB_OK) return rc;
    *unit_count = n;
    /* the assessing unit sees every row; another caller the units its scope covers */
    if (scope_covers(&p->scope, s->org_path)) { *rows = all, *nr = n; return DB_OK; }
    int k = 0;
    qb q;
    for (int j = 0; j < n; j++) {
        const char *path = NULL;
        qb_init(&q, "SELECT path FROM orgs WHERE id = ?");
        qb_int(&q, all[j].org_id);
        db_stmt *st = qb_prepare(&q, c);
        if (!st) return DB_ERR;
        if (db_step(st) == DB_ROW) path = arena_strdup(a, db_col_text(st, 0));
        db_finish(st);
        if (path && scope_covers(&p->scope, path)) all[k++] = all[j];
    }
    *rows = all, *nr = k;
    return DB_OK;
}

static void jw_e(jw *w, int64_t v, int digits)
{
    char buf[48];
    double d = (double)v / (digits == 2 ? 100.0 : 10000.0);
    snprintf(buf, sizeof buf, digits == 2 ? "%.2f" : "%.4f", d);
    jw_raw(w, buf);
}

int asm_scores_write(db *c, const principal *p, arena *a, const asm_scheme *s, jw *w)
{
    asm_indicator *ind;
    asm_unit_row *rows;
    int ni, nr, count;
    int rc = asm_scores_rows(c, p, a, s, &ind, &ni, &rows, &nr, &count);
    if (rc != DB_OK) return rc;
    jw_obj(w);
    jw_key(w, "scheme_id"), jw_int(w, s->id);
    jw_key(w, "status"), jw_str(w, s->status);
    jw_key(w, "frozen"), jw_bool(w, !strcmp(s->status, "final"));
    jw_key(w, "frozen_at"), jw_str(w, s->frozen_at);
    jw_key(w, "unit_count"), jw_int(w, count);
    jw_key(w, "indicators"), jw_arr(w);
    for (int i = 0; i < ni; i++) {
        const assessment_source *src = assessment_source_find(ind[i].source);
        jw_obj(w);
        jw_key(w, "id"), jw_int(w, ind[i].id);
        jw_key(w, "name"), jw_str(w, ind[i].name);
        jw_key(w, "source"), jw_str(w, ind[i].source);
        jw_key(w, "unit"), jw_str(w, src ? (src->unit == ASSESS_RATIO ? "ratio" : "count") : "manual");
        jw_key(w, "weight"), jw_int(w, ind[i].weight);
        jw_key(w, "max_points"), jw_int(w, ind[i].max_points);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "units"), jw_arr(w);
    for (int k = 0; k < nr; k++) {
        jw_obj(w);
        jw_key(w, "org_id"), jw_int(w, rows[k].org_id);
        jw_key(w, "name"), jw_str(w, rows[k].name);
        jw_key(w, "total"), jw_e(w, rows[k].total_e2, 2);
        jw_key(w, "rank"), jw_int(w, rows[k].rank);
        jw_key(w, "items"), jw_arr(w);
        for (int i = 0; i < ni; i++) {
            int64_t full = !strcmp(ind[i].source, "manual") ? ind[i].max_points : ind[i].weight;
            jw_obj(w);
            jw_key(w, "indicator_id"), jw_int(w, ind[i].id);
            jw_key(w, "value"), jw_e(w, rows[k].value_e4[i], 4);
            jw_key(w, "score"), jw_e(w, rows[k].score_e2[i], 2);
            jw_key(w, "lost"), jw_e(w, full * 100 - rows[k].score_e2[i] > 0 ? full * 100 - rows[k].score_e2[i] : 0, 2);
            jw_key(w, "detail"), jw_str(w, rows[k].detail[i]);
            jw_key(w, "score_id"), jw_int_or_null(w, rows[k].score_id[i]);
            jw_obj_end(w);
        }
        jw_arr_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
    return DB_OK;
}

int asm_finalize(db *c, const principal *p, arena *a, const asm_scheme *s, asm_scheme *out)
{
    asm_indicator *ind;
    asm_unit_row *rows;
    int ni, nr, count;
    int rc = db_begin(c);
    if (rc != DB_OK) return rc;
    /* the live scores of every unit, read in this transaction (p manages the scheme) */
    rc = asm_scores_rows(c, p, a, s, &ind, &ni, &rows, &nr, &count);
    for (int k = 0; rc == DB_OK && k < nr; k++) {
        const char *path = NULL;
        qb q;
        qb_init(&q, "SELECT path FROM orgs WHERE id = ?");
        qb_int(&q, rows[k].org_id);
        db_stmt *st = qb_prepare(&q, c);
        if (!st) { rc = DB_ERR; break; }
        if (db_step(st) == DB_ROW) path = arena_strdup(a, db_col_text(st, 0));
        db_finish(st);
        for (int i = -1; rc == DB_OK && i < ni; i++) {
            qb_init(&q, "INSERT INTO assessment_results (scheme_id, org_id, org_path, indicator_id, value_e4, score_e2, rank, "
                        "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            qb_int(&q, s->id), qb_int(&q, rows[k].org_id), qb_text(&q, path ? path : "");
            qb_int(&q, i < 0 ? 0 : ind[i].id), qb_int(&q, i < 0 ? 0 : rows[k].value_e4[i]);
            qb_int(&q, i < 0 ? rows[k].total_e2 : rows[k].score_e2[i]), qb_int(&q, rows[k].rank);
            qb_text(&q, i < 0 ? NULL : rows[k].detail[i]);
            rc = qb_exec(c, &q, NULL);
        }
    }
    char now[32];
    time_now_rfc3339(now);
    if (rc == DB_OK) {
        qb q;
        qb_init(&q, "UPDATE assessment_schemes SET status = 'final', frozen_at = ?, updated_at = ? WHERE id = ? AND status = 'open'");
        qb_text(&q, now), qb_text(&q, now), qb_int(&q, s->id);
        rc = qb_exec(c, &q, NULL);
    }
    /* the row this transaction just changed */
    if (rc == DB_OK) rc = entity_get_unscoped(c, &assessment_entity, a, s->id, out);
    if (rc == DB_OK && strcmp(out->status, "final") != 0) rc = ASM_STATE;
    if (rc == DB_OK) rc = entity_audit(c, &assessment_entity, actor_of(p), s->org_path, s->id, "finalize", s, out);
    if (rc != DB_OK) { db_rollback(c); return rc; }
    return db_commit(c);
}
