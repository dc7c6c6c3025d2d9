/* calls_verify.c - `kepu calls verify` (calls_verify.h): every counter the calls engine keeps as
 * entries move, recomputed from the records and compared. Only entries proper (kind entry) count:
 * follow-up reports (midterm, final: reports.c) are no entries of the call. The rules are the
 * movers':
 *  - calls.entries_total: +1 on a first submission, -1 when a submitted entry is withdrawn
 *    (entry_flow.c), so: entries ever submitted and not withdrawn;
 *  - call_unit_counts (entry_flow.c, entries.c): drafts, submitted (every status that counts
 *    against the quota: not draft, returned or withdrawn), returned, late (never taken back),
 *    withdrawn at the entrant's unit; recommended at each stage's holder, once for every
 *    recommendation the entry's history records (the holders walked as entry_flow.c's
 *    holder_at walks them);
 *  - the score aggregates: calls_rebuild_aggregates() itself (reviews.c), run in a transaction
 *    that is rolled back, so the comparison uses the very logic that wrote them;
 *  - the statistics keys: the same records as the key sources of calls.c (call_entries.*) and
 *    calls_public.c (titles.*, titles_revoked.*) summed up the tree, against the day roll-ups,
 *    and the month roll-ups against their days.
 * Reads only; prints a line per difference. */
#include "calls/calls_verify.h"
#include "calls/calls.h"
#include "db/query.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_MAX 50   /* lines printed per check; all are counted */

typedef struct verify { db *c; FILE *out; int64_t diffs; int shown; } verify;

static void note(verify *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(verify *v, const char *fmt, ...)
{
    v->diffs++;
    if (v->shown++ >= SHOW_MAX) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(v->out, fmt, ap);
    va_end(ap);
    fputc('\n', v->out);
}

/* ---- entries_total ---------------------------------------------------------------------------- */

static int check_totals(verify *v)
{
    db_stmt *s = db_prepare(v->c, "SELECT c.id, c.template_code, c.entries_total, (SELECT COUNT(*) FROM call_entries e "
                                  "WHERE e.call_id = c.id AND e.kind = 'entry' AND e.first_submitted_at IS NOT NULL AND e.status <> 'withdrawn') "
                                  "FROM calls c ORDER BY c.id");
    if (!s) return DB_ERR;
    int rc;
    v->shown = 0;
    while ((rc = db_step(s)) == DB_ROW)
        if (db_col_int(s, 2) != db_col_int(s, 3))
            note(v, "call %lld (%s) entries_total: kept %lld, recomputed %lld", (long long)db_col_int(s, 0),
                 db_col_text(s, 1), (long long)db_col_int(s, 2), (long long)db_col_int(s, 3));
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

/* ---- call_unit_counts: the columns kept at the entrant ---------------------------------------- */

#define IS(cond) "SUM(CASE WHEN " cond " THEN 1 ELSE 0 END)"
#define EXPECTED_UNITS                                                                                   \
    "SELECT call_id, org_id, " IS("status = 'draft'") " AS drafts, "                                    \
    IS("status NOT IN ('draft', 'returned', 'withdrawn')") " AS submitted, " IS("status = 'returned'")  \
    " AS returned, SUM(late) AS late, " IS("status = 'withdrawn'") " AS withdrawn FROM call_entries "   \
    "WHERE kind = 'entry' GROUP BY call_id, org_id"
static const char *const unit_columns[] = {"drafts", "submitted", "returned", "late", "withdrawn"};

static int check_units(verify *v)
{
    /* a kept row against its records (none: zeros), then records with no kept row */
    db_stmt *s = db_prepare(v->c,
        "SELECT k.call_id, k.org_id, k.drafts, k.submitted, k.returned, k.late, k.withdrawn, COALESCE(x.drafts, 0), "
        "COALESCE(x.submitted, 0), COALESCE(x.returned, 0), COALESCE(x.late, 0), COALESCE(x.withdrawn, 0) "
        "FROM call_unit_counts k LEFT JOIN (" EXPECTED_UNITS ") x ON x.call_id = k.call_id AND x.org_id = k.org_id "
        "UNION ALL SELECT x.call_id, x.org_id, 0, 0, 0, 0, 0, x.drafts, x.submitted, x.returned, x.late, x.withdrawn "
        "FROM (" EXPECTED_UNITS ") x WHERE NOT EXISTS (SELECT 1 FROM call_unit_counts k WHERE k.call_id = x.call_id "
        "AND k.org_id = x.org_id) ORDER BY 1, 2");
    if (!s) return DB_ERR;
    int rc;
    v->shown = 0;
    while ((rc = db_step(s)) == DB_ROW)
        for (int i = 0; i < 5; i++)
            if (db_col_int(s, 2 + i) != db_col_int(s, 7 + i))
                note(v, "call %lld unit %lld call_unit_counts.%s: kept %lld, recomputed %lld", (long long)db_col_int(s, 0),
                     (long long)db_col_int(s, 1), unit_columns[i], (long long)db_col_int(s, 2 + i),
                     (long long)db_col_int(s, 7 + i));
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

/* ---- call_unit_counts.recommended: at each stage's holder -------------------------------------- */

typedef struct held { int64_t call_id, org_id, n; } held;
typedef struct held_list { held *v; size_t n, cap; } held_list;

static int held_add(held_list *l, int64_t call_id, int64_t org_id)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].call_id == call_id && l->v[i].org_id == org_id) return l->v[i].n++, DB_OK;
    if (l->n == l->cap) {
        held *grown = realloc(l->v, (l->cap = l->cap ? l->cap * 2 : 64) * sizeof *grown);
        if (!grown) return DB_ERR;
        l->v = grown;
    }
    l->v[l->n++] = (held){call_id, org_id, 1};
    return DB_OK;
}

/* The holder of stage k for an entry at path, as entry_flow.c's holder_at: the entrant's nearest
 * ancestor (or itself) below the owner of stages[k]'s type, stages without one skipped; past the
 * stages, the owner (*stage = the count of stages). */
static int holder(db *c, json_t *stages, const char *owner_path, int64_t owner, const char *path, int64_t k,
                  int64_t *stage, int64_t *out)
{
    int rc = DB_OK;
    for (*out = 0; !*out && k < (int64_t)json_array_size(stages); k++) {
        qb q;
        qb_init(&q, "SELECT id FROM orgs WHERE type = ? AND substr(?, 1, length(path)) = path AND length(path) > ? "
                    "ORDER BY depth DESC LIMIT 1");
        qb_text(&q, json_string_value(json_object_get(json_array_get(stages, (size_t)k), "org_type")));
        qb_text(&q, path), qb_int(&q, (int64_t)strlen(owner_path));
        rc = qb_exec(c, &q, out);
        if (rc == DB_DONE) rc = DB_OK, *out = 0;
        if (rc != DB_OK) return rc;
        *stage = k;
    }
    if (!*out) *out = owner, *stage = (int64_t)json_array_size(stages);
    return DB_OK;
}

/* Every recommendation in the histories, credited to the holder it was made at. */
static int recount_recommended(db *c, held_list *l)
{
    db_stmt *s = db_prepare(c, "SELECT e.call_id, e.org_path, c.stages, c.org_path, c.org_id, COUNT(*) FROM call_entry_steps t "
                               "JOIN call_entries e ON e.id = t.entry_id JOIN calls c ON c.id = e.call_id "
                               "WHERE t.action = 'recommend' GROUP BY e.id, e.call_id, e.org_path, c.stages, c.org_path, "
                               "c.org_id");
    if (!s) return DB_ERR;
    /* the rows first, then holder()'s queries, one statement open at a time */
    typedef struct rec { int64_t call_id, owner, n; char *path, *stages, *owner_path; } rec;
    rec *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            rec *grown = realloc(rows, (cap = cap ? cap * 2 : 64) * sizeof *grown);
            if (!grown) { rc = DB_ERR; break; }
            rows = grown;
        }
        rows[n++] = (rec){db_col_int(s, 0), db_col_int(s, 4), db_col_int(s, 5), strdup(db_col_text(s, 1)),
                          strdup(db_col_text(s, 2)), strdup(db_col_text(s, 3))};
    }
    db_finish(s);
    if (rc == DB_DONE) rc = DB_OK;
    for (size_t i = 0; i < n; i++) {
        json_t *stages = json_loads(rows[i].stages, 0, NULL);
        int64_t k = 0, stage = 0, org = 0;
        for (int64_t j = 0; rc == DB_OK && j < rows[i].n; j++) {
            rc = holder(c, stages, rows[i].owner_path, rows[i].owner, rows[i].path, k, &stage, &org);
            if (rc == DB_OK) rc = held_add(l, rows[i].call_id, org);
            k = stage + 1;
        }
        json_decref(stages);
        free(rows[i].path), free(rows[i].stages), free(rows[i].owner_path);
    }
    free(rows);
    return rc;
}

static int check_recommended(verify *v)
{
    held_list l = {0};
    int rc = recount_recommended(v->c, &l);
    db_stmt *s = rc == DB_OK ? db_prepare(v->c, "SELECT call_id, org_id, recommended FROM call_unit_counts") : NULL;
    if (rc == DB_OK && !s) rc = DB_ERR;
    v->shown = 0;
    while (rc == DB_OK && (rc = db_step(s)) == DB_ROW) {
        int64_t call_id = db_col_int(s, 0), org_id = db_col_int(s, 1), kept = db_col_int(s, 2), want = 0;
        for (size_t i = 0; i < l.n; i++)
            if (l.v[i].call_id == call_id && l.v[i].org_id == org_id) want = l.v[i].n, l.v[i].n = -1 - l.v[i].n;
        if (kept != want)
            note(v, "call %lld unit %lld call_unit_counts.recommended: kept %lld, recomputed %lld", (long long)call_id,
                 (long long)org_id, (long long)kept, (long long)want);
        rc = DB_OK;
    }
    if (s) db_finish(s);
    if (rc == DB_DONE) rc = DB_OK;
    /* holders credited with no kept row at all (marked rows were matched above) */
    for (size_t i = 0; rc == DB_OK && i < l.n; i++)
        if (l.v[i].n > 0)
            note(v, "call %lld unit %lld call_unit_counts.recommended: no row kept, recomputed %lld",
                 (long long)l.v[i].call_id, (long long)l.v[i].org_id, (long long)l.v[i].n);
    free(l.v);
    return rc;
}

/* ---- the score aggregates ------------------------------------------------------------------- */

#define AGG_COLS 7
static const char *const agg_names[AGG_COLS] = {"n_reviews", "score_sum", "score_mean", "score_agg", "score_spread",
                                                "tie1", "outlier flags (the flagged sheets' ids summed)"};

/* The aggregates of the call's reviewed entries, ordered by id: AGG_COLS + 1 values a row (the
 * id first; the outliers as the sum of the flagged sheets' ids). *n rows; the caller frees. */
static int snapshot(db *c, int64_t call_id, int64_t **out, size_t *n)
{
    qb q;
    qb_init(&q, "SELECT e.id, e.n_reviews, e.score_sum, e.score_mean, e.score_agg, e.score_spread, COALESCE(e.tie1, 0), "
                "(SELECT COALESCE(SUM(r.id), 0) FROM call_reviews r WHERE r.entry_id = e.id AND r.outlier <> 0) "
                "FROM call_entries e WHERE e.call_id = ? AND EXISTS (SELECT 1 FROM call_reviews r WHERE r.entry_id = e.id) "
                "ORDER BY e.id");
    qb_int(&q, call_id);
    db_stmt *s = qb_prepare(&q, c);
    if (!s) return DB_ERR;
    size_t cap = 0;
    int rc;
    *out = NULL, *n = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        if (*n == cap) {
            int64_t *grown = realloc(*out, (cap = cap ? cap * 2 : 256) * (AGG_COLS + 1) * sizeof *grown);
            if (!grown) { rc = DB_ERR; break; }
            *out = grown;
        }
        for (int i = 0; i <= AGG_COLS; i++) (*out)[*n * (AGG_COLS + 1) + (size_t)i] = db_col_int(s, i);
        (*n)++;
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

static int check_call_aggregates(verify *v, int64_t call_id)
{
    int64_t *kept = NULL, *again = NULL;
    size_t nk = 0, na = 0;
    int rc = db_begin(v->c);
    if (rc != DB_OK) return rc;
    rc = snapshot(v->c, call_id, &kept, &nk);
    if (rc == DB_OK) rc = calls_rebuild_aggregates(v->c, call_id);
    if (rc == DB_OK) rc = snapshot(v->c, call_id, &again, &na);
    db_rollback(v->c);   /* nothing of the recomputation stays */
    for (size_t i = 0; rc == DB_OK && i < nk && i < na; i++)
        for (int k = 1; k <= AGG_COLS; k++) {
            int64_t a = kept[i * (AGG_COLS + 1) + (size_t)k], b = again[i * (AGG_COLS + 1) + (size_t)k];
            if (a != b)
                note(v, "call %lld entry %lld %s: kept %lld, recomputed %lld", (long long)call_id,
                     (long long)kept[i * (AGG_COLS + 1)], agg_names[k - 1], (long long)a, (long long)b);
        }
    free(kept), free(again);
    return rc;
}

static int check_aggregates(verify *v)
{
    db_stmt *s = db_prepare(v->c, "SELECT DISTINCT call_id FROM call_reviews ORDER BY call_id");
    if (!s) return DB_ERR;
    int64_t ids[4096];
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW && n < 4096) ids[n++] = db_col_int(s, 0);
    db_finish(s);
    if (rc != DB_DONE && rc != DB_ROW) return rc;
    v->shown = 0;
    for (int i = 0; i < n; i++)
        if ((rc = check_call_aggregates(v, ids[i])) != DB_OK) return rc;
    return DB_OK;
}

/* ---- the statistics keys ---------------------------------------------------------------------- */

#define CALL_KEYS "(substr(kind, 1, 13) = 'call_entries.' OR substr(kind, 1, 7) = 'titles.' " \
                  "OR substr(kind, 1, 15) = 'titles_revoked.')"
/* the records as calls.c's key_source and calls_public.c's title_keys count them */
#define KEY_RECORDS                                                                                       \
    "SELECT e.org_path, e.counted_day AS day, 'call_entries.' || c.template_code AS key, 1 AS n "        \
    "FROM call_entries e JOIN calls c ON c.id = e.call_id WHERE e.kind = 'entry' AND e.counted_day IS NOT NULL " \
    "AND e.status NOT IN ('draft', 'returned', 'withdrawn') "                                             \
    "UNION ALL SELECT d.org_path, d.valid_from AS day, 'titles.' || d.kind AS key, 1 AS n FROM designations d " \
    "UNION ALL SELECT d.org_path, substr(d.revoked_at, 1, 10) AS day, 'titles_revoked.' || d.kind AS key, 1 AS n " \
    "FROM designations d WHERE d.revoked_at IS NOT NULL"
#define ANC "anc(id, anc_id) AS (SELECT id, id FROM orgs UNION ALL SELECT anc.id, o.parent_id FROM anc " \
            "JOIN orgs o ON o.id = anc.anc_id WHERE o.parent_id IS NOT NULL)"
#define DIFF_OF(a, b) "SELECT '" a "', org_id, bucket, kind, n FROM (SELECT * FROM " a " EXCEPT SELECT * FROM " b ") x"

static const char days_sql[] =
    "WITH RECURSIVE " ANC ", records AS (SELECT anc.anc_id AS org_id, g.day AS bucket, g.key AS kind, SUM(g.n) AS n "
    "FROM (" KEY_RECORDS ") g JOIN orgs leaf ON leaf.path = g.org_path JOIN anc ON anc.id = leaf.id "
    "GROUP BY anc.anc_id, g.day, g.key), kept AS (SELECT org_id, bucket, kind, n FROM stat_kind_rollups "
    "WHERE grain = 'd' AND " CALL_KEYS " AND n <> 0) "
    DIFF_OF("kept", "records") " UNION ALL " DIFF_OF("records", "kept") " ORDER BY 4, 2, 3, 1";
static const char months_sql[] =
    "WITH days AS (SELECT org_id, substr(bucket, 1, 7) AS bucket, kind, SUM(n) AS n FROM stat_kind_rollups "
    "WHERE grain = 'd' AND " CALL_KEYS " GROUP BY org_id, substr(bucket, 1, 7), kind HAVING SUM(n) <> 0), "
    "months AS (SELECT org_id, bucket, kind, n FROM stat_kind_rollups WHERE grain = 'm' AND " CALL_KEYS " AND n <> 0) "
    DIFF_OF("months", "days") " UNION ALL " DIFF_OF("days", "months") " ORDER BY 4, 2, 3, 1";

/* what: "day" or "month"; each row names its side, and other the side compared with */
static int check_keys(verify *v, const char *sql, const char *what)
{
    db_stmt *s = db_prepare(v->c, sql);
    if (!s) return DB_ERR;
    int rc;
    v->shown = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *side = db_col_text(s, 0);
        const char *other = !strcmp(side, "kept") ? "records" : !strcmp(side, "records") ? "roll-ups kept"
                          : !strcmp(side, "months") ? "days" : "months kept";
        note(v, "stats %s at org %lld, %s %s: %s %lld, not matched by the %s", db_col_text(s, 3), (long long)db_col_int(s, 1),
             what, db_col_text(s, 2), side, (long long)db_col_int(s, 4), other);
    }
    db_finish(s);
    return rc == DB_DONE ? DB_OK : rc;
}

int calls_verify(db *c, FILE *out, int64_t *differences)
{
    verify v = {c, out, 0, 0};
    int rc = check_totals(&v);
    if (rc == DB_OK) rc = check_units(&v);
    if (rc == DB_OK) rc = check_recommended(&v);
    if (rc == DB_OK) rc = check_aggregates(&v);
    if (rc == DB_OK) rc = check_keys(&v, days_sql, "day");
    if (rc == DB_OK) rc = check_keys(&v, months_sql, "month");
    *differences = v.diffs;
    return rc;
}
