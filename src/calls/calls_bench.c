/* calls_bench.c - the bulk path of bench/calls.sh (kepu bench-fill --calls N): first bench units
 * (type 'unit', under the districts in turn) until BENCH_UNITS nodes lie below the root, so the
 * board runs over a province's 5,000 eligible units; then a contest call in review at the root with
 * N entries over those units, R reviewer accounts, per_entry
 * submitted sheets an entry (reviewers in turn) of C criteria (max 10, weight 1, random whole
 * tenths), written row by row in transactions of 2,000 entries; then the aggregates rebuilt by
 * calls_rebuild_aggregates(), as a real round leaves them. Conflicts are not checked here: the
 * bench measures reading, not assignment. */
#include "calls/reviews_internal.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BENCH_BATCH 2000
#define BENCH_UNITS 5000

typedef struct unit_list { int n; int64_t *ids; char **paths; } unit_list;

static int load_units(db *c, int64_t *root, char *root_path, size_t len, unit_list *u)
{
    db_stmt *s = db_prepare(c, "SELECT id, path FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1");
    if (!s) return DB_ERR;
    int rc = db_step(s);
    if (rc == DB_ROW) *root = db_col_int(s, 0), snprintf(root_path, len, "%s", db_col_text(s, 1));
    db_finish(s);
    if (rc != DB_ROW) return DB_ERR;
    if (!(s = db_prepare(c, "SELECT id, path FROM orgs WHERE parent_id IS NOT NULL ORDER BY id"))) return DB_ERR;
    int cap = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        if (u->n == cap) {
            cap = cap ? cap * 2 : 256;
            u->ids = realloc(u->ids, sizeof *u->ids * (size_t)cap);
            u->paths = realloc(u->paths, sizeof *u->paths * (size_t)cap);
        }
        u->ids[u->n] = db_col_int(s, 0);
        u->paths[u->n++] = strdup(db_col_text(s, 1));
    }
    db_finish(s);
    return rc == DB_DONE && u->n ? DB_OK : DB_ERR;
}

/* Bench units under the root's children in turn until BENCH_UNITS nodes lie below the root (the
 * path needs the id, so each row is inserted, then its path set). */
static int add_units(db *c, const char *now)
{
    int64_t have = 0, parents[256];
    if ((have = db_query_int(c, "SELECT COUNT(*) FROM orgs WHERE parent_id IS NOT NULL")) < 0) return DB_ERR;
    int np = 0;
    db_stmt *s = db_prepare(c, "SELECT id FROM orgs WHERE depth = 1 ORDER BY id LIMIT 256");
    if (!s) return DB_ERR;
    while (db_step(s) == DB_ROW) parents[np++] = db_col_int(s, 0);
    db_finish(s);
    int rc = np ? db_begin(c) : DB_ERR;
    for (int64_t i = have; rc == DB_OK && i < BENCH_UNITS; i++) {
        int64_t id = 0, parent = parents[i % np];
        char name[64], tmp[64];
        snprintf(name, sizeof name, "压测单位%lld", (long long)i);
        snprintf(tmp, sizeof tmp, "bench-unit-%lld", (long long)i);
        qb q;
        qb_init(&q, "INSERT INTO orgs (parent_id, type, name, path, depth, created_at, updated_at) "
                    "VALUES (?, 'unit', ?, ?, 2, ?, ?) RETURNING id");
        qb_int(&q, parent), qb_text(&q, name), qb_text(&q, tmp), qb_text(&q, now), qb_text(&q, now);
        if ((rc = qb_exec(c, &q, &id)) != DB_OK) break;
        qb_init(&q, "UPDATE orgs SET path = (SELECT p.path FROM orgs p WHERE p.id = ?) || ? || '/' WHERE id = ?");
        char idtext[24];
        snprintf(idtext, sizeof idtext, "%lld", (long long)id);
        qb_int(&q, parent), qb_text(&q, idtext), qb_int(&q, id);
        rc = qb_exec(c, &q, NULL);
    }
    if (rc == DB_OK) return db_commit(c);
    if (np) db_rollback(c);
    return rc;
}

static const char *branch(const char *root_path, const char *path, char *out, size_t len)
{
    size_t n = strlen(root_path);
    const char *slash = strchr(path + n, '/');
    snprintf(out, len, "%.*s", slash ? (int)(slash - path) + 1 : (int)strlen(path), path);
    return out;
}

static int insert_call(db *c, int64_t root, const char *root_path, int criteria, int per_entry, const char *now,
                       int64_t *id)
{
    char cfg[4096];
    int at = snprintf(cfg, sizeof cfg, "{\"per_entry\":%d,\"aggregate\":\"mean\",\"tie\":\"k0\",\"criteria\":[", per_entry);
    for (int k = 0; k < criteria && at < (int)sizeof cfg - 64; k++)
        at += snprintf(cfg + at, sizeof cfg - (size_t)at, "%s{\"key\":\"k%d\",\"label\":\"指标%d\",\"max\":10}",
                       k ? "," : "", k, k + 1);
    snprintf(cfg + at, sizeof cfg - (size_t)at, "]}");
    qb q;
    qb_init(&q, "INSERT INTO calls (template_code, org_id, org_path, year, title, status, eligible, form, stages, "
                "deadline, late_policy, review, awards, created_at, updated_at) VALUES ('bench', ?, ?, 2026, "
                "'压测评选', 'reviewing', 'types', '[]', '[]', '2026-10-31T23:59:59+08:00', 'refuse', ?, "
                "'[{\"level\":\"一等奖\",\"share\":10},{\"level\":\"二等奖\",\"share\":20},{\"level\":\"三等奖\",\"share\":40}]', "
                "?, ?) RETURNING id");
    qb_int(&q, root), qb_text(&q, root_path), qb_text(&q, cfg), qb_text(&q, now), qb_text(&q, now);
    return qb_exec(c, &q, id);
}

static int insert_reviewers(db *c, int64_t call_id, const char *root_path, const unit_list *u, int n, const char *now,
                            int64_t *users, int64_t *rids)
{
    int rc = DB_OK;
    char b[512];
    for (int i = 0; rc == DB_OK && i < n; i++) {
        int o = (i * 7919) % u->n;
        qb q;
        qb_init(&q, "INSERT INTO users (username, name, org_id, role, data_scope, active, password_hash, created_at, "
                    "updated_at) VALUES (?, ?, ?, 'staff', 'org', 1, '!', ?, ?) RETURNING id");
        char name[64];
        snprintf(name, sizeof name, "bench_rev_%lld_%d", (long long)call_id, i);
        qb_text(&q, name), qb_text(&q, name), qb_int(&q, u->ids[o]), qb_text(&q, now), qb_text(&q, now);
        if ((rc = qb_exec(c, &q, &users[i])) != DB_OK) break;
        qb_init(&q, "INSERT INTO call_reviewers (call_id, user_id, org_path, user_path, branch_path, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
        qb_int(&q, call_id), qb_int(&q, users[i]), qb_text(&q, root_path), qb_text(&q, u->paths[o]);
        qb_text(&q, branch(root_path, u->paths[o], b, sizeof b)), qb_text(&q, now);
        rc = qb_exec(c, &q, &rids[i]);
    }
    return rc;
}

/* One entry and its sheets. */
static int insert_entry(db *c, int64_t call_id, int64_t root, const char *root_path, const unit_list *u, int64_t i,
                        int criteria, int per_entry, int n_rev, const int64_t *users, const int64_t *rids, const char *now)
{
    int o = rand() % u->n;
    char b[512], title[64], code[8];
    snprintf(title, sizeof title, "压测作品%lld", (long long)i);
    snprintf(code, sizeof code, "B%05lld", (long long)(i % 100000));
    int64_t entry = 0, sheet = 0;
    qb q;
    qb_init(&q, "INSERT INTO call_entries (call_id, kind, org_id, org_path, branch_path, title, field_values, status, "
                "stage_no, stage_org_id, blind_code, first_submitted_at, submitted_at, counted_day, created_at, "
                "updated_at) VALUES (?, 'entry', ?, ?, ?, ?, '{}', 'under_review', 0, ?, ?, ?, ?, '2026-10-01', ?, ?) "
                "RETURNING id");
    qb_int(&q, call_id), qb_int(&q, u->ids[o]), qb_text(&q, u->paths[o]), qb_text(&q, branch(root_path, u->paths[o], b, sizeof b));
    qb_text(&q, title), qb_int(&q, root), qb_text(&q, code), qb_text(&q, now), qb_text(&q, now), qb_text(&q, now);
    qb_text(&q, now);
    int rc = qb_exec(c, &q, &entry);
    for (int k = 0; rc == DB_OK && k < per_entry; k++) {
        int r = (int)((i * per_entry + k) % n_rev);
        int score[64], sum = 0;
        for (int j = 0; j < criteria; j++) sum += score[j] = 30 + rand() % 71;
        qb_init(&q, "INSERT INTO call_reviews (call_id, round_no, entry_id, reviewer_id, user_id, entry_path, status, "
                    "total, submitted_at, assigned_at) VALUES (?, 1, ?, ?, ?, ?, 'submitted', ?, ?, ?) RETURNING id");
        qb_int(&q, call_id), qb_int(&q, entry), qb_int(&q, rids[r]), qb_int(&q, users[r]), qb_text(&q, u->paths[o]);
        qb_int(&q, (20000LL * sum + criteria * 100) / (2LL * criteria * 100)), qb_text(&q, now), qb_text(&q, now);
        if ((rc = qb_exec(c, &q, &sheet)) != DB_OK) break;
        for (int j = 0; rc == DB_OK && j < criteria; j++) {
            qb_init(&q, "INSERT INTO call_review_scores (review_id, criterion_no, score) VALUES (?, ?, ?)");
            qb_int(&q, sheet), qb_int(&q, j), qb_int(&q, score[j]);
            rc = qb_exec(c, &q, NULL);
        }
    }
    return rc;
}

static int rebuild_cb(db *c, void *cls) { return calls_rebuild_aggregates(c, *(int64_t *)cls); }

int calls_bench_fill(db *c, int64_t entries, int reviewers, int criteria, int per_entry, int64_t *call_out)
{
    if (entries < 1 || reviewers < per_entry || criteria < 1 || criteria > 64 || per_entry < 1) return DB_ERR;
    unit_list u = {0};
    int64_t root = 0, call_id = 0;
    char root_path[512], now[32];
    time_now_rfc3339(now);
    srand(15);
    int64_t *users = calloc((size_t)reviewers, sizeof *users), *rids = calloc((size_t)reviewers, sizeof *rids);
    int rc = users && rids ? add_units(c, now) : DB_ERR;
    rc = rc == DB_OK ? load_units(c, &root, root_path, sizeof root_path, &u) : rc;
    if (rc == DB_OK && (rc = db_begin(c)) == DB_OK) {
        rc = insert_call(c, root, root_path, criteria, per_entry, now, &call_id);
        if (rc == DB_OK) rc = insert_reviewers(c, call_id, root_path, &u, reviewers, now, users, rids);
        rc = rc == DB_OK ? db_commit(c) : (db_rollback(c), rc);
    }
    for (int64_t done = 0; rc == DB_OK && done < entries;) {
        if ((rc = db_begin(c)) != DB_OK) break;
        for (int k = 0; rc == DB_OK && k < BENCH_BATCH && done < entries; k++, done++)
            rc = insert_entry(c, call_id, root, root_path, &u, done, criteria, per_entry, reviewers, users, rids, now);
        rc = rc == DB_OK ? db_commit(c) : (db_rollback(c), rc);
    }
    if (rc == DB_OK) {
        qb q;
        qb_init(&q, "UPDATE calls SET entries_total = ? WHERE id = ?");
        qb_int(&q, entries), qb_int(&q, call_id);
        rc = qb_exec(c, &q, NULL);
    }
    if (rc == DB_OK) {
        /* the board's counts, as the entry moves keep them */
        qb q;
        qb_init(&q, "INSERT INTO call_unit_counts (call_id, org_id, org_path, submitted, last_at) SELECT call_id, "
                    "org_id, org_path, COUNT(*), MAX(submitted_at) FROM call_entries WHERE call_id = ? "
                    "GROUP BY call_id, org_id, org_path");
        qb_int(&q, call_id);
        rc = qb_exec(c, &q, NULL);
    }
    if (rc == DB_OK) rc = db_transaction(c, rebuild_cb, &call_id);
    for (int i = 0; i < u.n; i++) free(u.paths[i]);
    free(u.paths), free(u.ids), free(users), free(rids);
    *call_out = call_id;
    return rc;
}
